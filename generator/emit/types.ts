import { compile } from "json-schema-to-typescript";
import { StructureKind, type Project } from "ts-morph";
import type { JsonSchema } from "../load.js";
import type { ProviderModel, TypeModel } from "../model.js";
import { layoutDeclarations } from "./layout.js";
import { docs, exportConst, quote } from "./source.js";

/**
 * `<provider>/types.ts`: one interface per schema file (json-schema-to-typescript), then the
 * union of the provider's events, a map from event type to interface and the list of types.
 */
export async function emitTypes(provider: ProviderModel, project: Project): Promise<void> {
  const prefix = provider.manifest.typePrefix;
  const byId = new Map([...provider.shared, ...provider.events].map((model) => [model.id, model]));
  const interfaces: string[] = [];
  for (const model of [...provider.shared, ...provider.events]) {
    interfaces.push(await toInterface(model, (id) => byId.get(id)!, provider.typeNames));
  }
  const file = project.createSourceFile(`/src/${provider.name}/types.ts`, interfaces.join("\n\n"), { overwrite: true });
  const union = provider.events.map((event) => event.typeName);
  file.addStatements([{
    kind: StructureKind.TypeAlias,
    leadingTrivia: "\n",
    isExported: true,
    name: `${prefix}Event`,
    type: union.map((name) => `\n| ${name}`).join(""),
    docs: docs(`Any ${provider.manifest.title} webhook event; narrow it with its discriminant \`${provider.manifest.discriminant}\`.`),
  }, {
    kind: StructureKind.Interface,
    leadingTrivia: "\n",
    isExported: true,
    name: `${prefix}EventMap`,
    docs: docs(`Each ${provider.manifest.title} event type and the interface of its events.`),
    properties: provider.events.map((event) => ({ name: quote(event.type), type: event.typeName, docs: docs(event.title) })),
  }, {
    kind: StructureKind.TypeAlias,
    leadingTrivia: "\n",
    isExported: true,
    name: `${prefix}EventType`,
    type: `keyof ${prefix}EventMap`,
    docs: docs(`The name of a ${provider.manifest.title} event type, e.g. \`${provider.events[0]!.type}\`.`),
  }]);
  file.addStatements(exportConst({
    name: `${provider.valuePrefix}EventTypes`,
    type: `readonly ${prefix}EventType[]`,
    docs: `Every documented ${provider.manifest.title} event type, in file order.`,
    items: provider.events.map((event) => quote(event.type)),
  }));
}

async function toInterface(model: TypeModel, resolve: (id: string) => TypeModel, typeNames: ReadonlyMap<string, string>): Promise<string> {
  const { allOf, ...root } = model.source.schema;
  const bases = ((allOf as { $ref: string }[] | undefined) ?? []).map(({ $ref }) => typeNames.get(new URL($ref, model.id).href)!);
  const schema = forTypes(root, model.id, resolve, typeNames);
  const text = await compile({ ...schema, description: model.description, $id: model.id } as never, model.typeName, {
    bannerComment: "",
    format: false,
    additionalProperties: false,
    declareExternallyReferenced: false,
    customName: (node) => (node.$id === model.id ? model.typeName : undefined),
  });
  return layoutDeclarations(text.trim())
    .replace(`export interface ${model.typeName} {`, `export interface ${model.typeName}${bases.length ? ` extends ${bases.join(", ")}` : ""} {`)
    .replace(/^(\s*[\w$"'-]+\??: |export type \w+ = )\(([^()]*)\)(;?)$/gm, "$1$2$3");
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
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (typeof node !== "object" || node === null) return node;
    const { $ref, allOf, examples, title, $schema, ...rest } = node as JsonSchema;
    if (typeof $ref === "string") return { ...rewriteChildren(rest), tsType: typeNames.get(new URL($ref, baseId).href) };
    const out = rewriteChildren(rest);
    if (Array.isArray(allOf)) {
      for (const { $ref: ref } of allOf as { $ref: string }[]) {
        const id = new URL(ref, baseId).href;
        const base = forTypes(resolve(id).source.schema, id, resolve, typeNames);
        out.properties = { ...(base.properties as object), ...(out.properties as object) };
        out.required = [...new Set([...((base.required as string[]) ?? []), ...((out.required as string[]) ?? [])])];
      }
    }
    const declaresFields = ["properties", "patternProperties", "additionalProperties"].some((key) => key in out);
    if (out.type === "object" && !declaresFields) out.tsType = "object";
    return out;
  };
  const rewriteChildren = (node: JsonSchema): JsonSchema => {
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(node)) {
      out[key] = key === "properties" || key === "patternProperties"
        ? Object.fromEntries(Object.entries(value as JsonSchema).map(([name, child]) => [name, rewrite(child)]))
        : key === "const" || key === "enum" || key === "default" ? value : rewrite(value);
    }
    return out;
  };
  return rewrite(schema) as JsonSchema;
}
