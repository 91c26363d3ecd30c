import { compile } from "json-schema-to-typescript";
import type { JsonSchema } from "../load.js";
import type { ProviderModel, TypeModel } from "../model.js";
import { mapSchema } from "../walk.js";
import { layoutDeclarations } from "./layout.js";

/** Name of the document that holds every schema of a provider for one json-schema-to-typescript run. */
const holder = "ConfhooksSchemas";

/**
 * One json-schema-to-typescript run per provider, every schema file a definition named by the
 * model (one run costs about half as much as one per file). A root `allOf` becomes `extends`;
 * the holder document and the "referenced by" notes it adds to each JSDoc are removed.
 */
export async function toInterfaces(provider: ProviderModel): Promise<string> {
  const models = [...provider.shared, ...provider.answers, ...provider.events];
  const byId = new Map(models.map((model) => [model.id, model]));
  const definitions: Record<string, JsonSchema> = {};
  const bases = new Map<string, string[]>();
  for (const model of models) {
    const { allOf, $id, ...root } = model.source.schema;
    bases.set(model.typeName, ((allOf as { $ref: string }[] | undefined) ?? []).map(({ $ref }) => provider.typeNames.get(new URL($ref, model.id).href)!));
    definitions[model.typeName] = { ...forTypes(root, model.id, (id) => byId.get(id)!, provider.typeNames), description: model.description };
  }
  const text = await compile({ $defs: definitions, additionalProperties: false } as never, holder, {
    bannerComment: "",
    format: false,
    additionalProperties: false,
    unreachableDefinitions: true,
    customName: (_node, definition) => (definition !== undefined && Object.hasOwn(definitions, definition) ? definition : undefined),
  });
  return layoutDeclarations(
    text
      .replace(new RegExp(`^export interface ${holder} \\{\\s*\\}\\n`, "m"), "")
      .replace(new RegExp(`^/\\*\\*\\n \\* This (?:interface|type) was referenced by \`${holder}\`'s JSON-Schema\\n \\* via the \`definition\` "\\w+"\\.\\n \\*/\\n`, "gm"), "")
      .replace(new RegExp(`^ \\* ?\\n \\* This (?:interface|type) was referenced by \`${holder}\`'s JSON-Schema\\n \\* via the \`definition\` "\\w+"\\.\\n`, "gm"), "")
      .replace(/^export interface (\w+) \{$/gm, (line, name: string) => (bases.get(name)?.length ? `export interface ${name} extends ${bases.get(name)!.join(", ")} {` : line))
      .trim(),
  )
    .replace(/^(\s*[\w$"'-]+\??: |export type \w+ = )\(([^()]*)\)(;?)$/gm, "$1$2$3")
    .replace(/\n(?=\/\*\*|export )/g, "\n\n")
    .replace(/\*\/\n\n(?=export )/g, "*/\n");
}

/**
 * Rewrites a schema for json-schema-to-typescript: a `$ref` becomes the named type of its
 * file (so shared parts are emitted once, under their own name, and a description beside a
 * `$ref` documents the property instead of spawning a `Foo1` copy); a nested `allOf` of
 * `$ref`s is merged into one object (at the root it becomes `extends`); an object that
 * declares no fields is typed `object`; `examples` and `title` stay out of the types
 * (titles would rename them).
 */
function forTypes(schema: JsonSchema, baseId: string, resolve: (id: string) => TypeModel, typeNames: ReadonlyMap<string, string>): JsonSchema {
  return mapSchema(schema, (node, original) => {
    const { $ref, allOf, examples, title, $schema, ...out } = node;
    if (typeof $ref === "string") return { ...out, tsType: typeNames.get(new URL($ref, baseId).href) };
    if (Array.isArray(original.allOf)) {
      for (const { $ref: ref } of original.allOf as { $ref: string }[]) {
        const id = new URL(ref, baseId).href;
        const base = forTypes(resolve(id).source.schema, id, resolve, typeNames);
        out.properties = { ...(base.properties as object), ...(out.properties as object) };
        out.required = [...new Set([...((base.required as string[]) ?? []), ...((out.required as string[]) ?? [])])];
      }
    }
    const declaresFields = ["properties", "patternProperties", "additionalProperties"].some((key) => key in out);
    if (out.type === "object" && !declaresFields) out.tsType = "object";
    return out;
  }) as JsonSchema;
}
