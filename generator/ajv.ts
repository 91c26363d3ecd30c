import { Ajv2020 } from "ajv/dist/2020.js";
import type { LoadedProvider } from "./load.js";
import { mapSchema } from "./walk.js";

/** The one JSON Schema dialect every schema file declares. */
export const dialect = "https://json-schema.org/draft/2020-12/schema";
/** `$id` of `schemas/<path>` is `${idBase}<path>`. */
export const idBase = "https://confhooks.dev/schemas/";

/**
 * One ajv instance per provider, holding its schemas: lint compiles with it, the validator
 * emitter prints its standalone code. Per provider, so that the names ajv gives its functions
 * depend on that provider's schemas only: adding a provider changes no other's compiled.js. Options chosen for standalone output without runtime imports:
 * `unicode: false` measures string lengths in UTF-16 units instead of importing ajv's
 * `ucs2length`; `messages: false` leaves messages to the runtime, which words them from the
 * error's keyword and params; `unicodeRegExp: false` compiles patterns without the `u` flag,
 * which is faster and exact for our ASCII patterns. `inlineRefs: false` compiles each `common/`
 * part once, as a function its events call, instead of a copy in every event (Zoom's 105 events
 * share a few large parts); ajv's `strictRequired` cannot see fields of a part that is not
 * inlined, so it is off: a required field that no example carries fails the examples instead.
 */
export function createAjv(provider: LoadedProvider): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    allErrors: false,
    messages: false,
    unicode: false,
    unicodeRegExp: false,
    code: { source: true, esm: true, lines: true, optimize: true },
    inlineRefs: false,
    logger: { log: console.log, warn: failOnWarning, error: console.error },
  });
  for (const { schema } of [...provider.shared, ...provider.answers, ...provider.events]) ajv.addSchema(withoutAnnotations(schema) as object);
  return ajv;
}

const annotations = new Set(["title", "description", "examples", "$comment", "default", "deprecated"]);

/**
 * The schema without the keywords that do not validate: ajv copies the schema objects a
 * validator refers to into the standalone code, and descriptions and examples would only
 * make it larger. (A field named like an annotation stays: the walker never takes `properties` for a schema.)
 */
function withoutAnnotations(schema: unknown): unknown {
  return mapSchema(schema, (node) => Object.fromEntries(Object.entries(node).filter(([key]) => !annotations.has(key))));
}

/** ajv's warnings (ignored keywords, strict-mode notes) are schema mistakes here; only the notice that `unicode` is deprecated is expected. */
function failOnWarning(...args: unknown[]): void {
  const message = args.join(" ");
  if (!message.includes("option unicode")) throw new Error(`ajv: ${message}`);
}
