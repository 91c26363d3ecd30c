import { Ajv2020 } from "ajv/dist/2020.js";
import type { LoadedProvider } from "./load.js";

/** The one JSON Schema dialect every schema file declares. */
export const dialect = "https://json-schema.org/draft/2020-12/schema";
/** `$id` of `schemas/<path>` is `${idBase}<path>`. */
export const idBase = "https://confhooks.dev/schemas/";

/**
 * One ajv instance holding every schema: lint compiles with it, the validator emitter prints
 * its standalone code. Options chosen for standalone output without runtime imports:
 * `unicode: false` measures string lengths in UTF-16 units instead of importing ajv's
 * `ucs2length`; `messages: false` leaves messages to the runtime, which words them from the
 * error's keyword and params.
 */
export function createAjv(providers: readonly LoadedProvider[]): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    allowUnionTypes: true,
    allErrors: false,
    messages: false,
    unicode: false,
    code: { source: true, esm: true, lines: true },
    logger: { log: console.log, warn: failOnWarning, error: console.error },
  });
  for (const provider of providers) {
    for (const { schema } of [...provider.shared, ...provider.events]) ajv.addSchema(schema);
  }
  return ajv;
}

/** ajv's warnings (ignored keywords, strict-mode notes) are schema mistakes here; only the notice that `unicode` is deprecated is expected. */
function failOnWarning(...args: unknown[]): void {
  const message = args.join(" ");
  if (!message.includes("option unicode")) throw new Error(`ajv: ${message}`);
}
