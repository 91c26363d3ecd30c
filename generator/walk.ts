import { pointerToken } from "./errors.js";
import type { JsonSchema } from "./load.js";

/**
 * The one schema walker. Two views of the same positions:
 * - a file's own schemas (`walkSchema`, `mapSchema`): every schema nested in it, by JSON pointer
 *   in the file — what lint checks, what the type emitter and ajv are given;
 * - what applies at one place of an event (`expand`, `variants`, `below`): the `$ref`'d common
 *   part and `allOf` bases merged in, one `anyOf`/`oneOf` branch chosen, then the places below
 *   (properties, array items, map values) — what release classification compares.
 *
 * Where a schema nests schemas: keywords holding a map of them, a list of them, or one. These are
 * all the subschema keywords lint.ts allows (it refuses every other keyword), so both views reach
 * every position.
 */
const subschemaMaps = ["properties", "patternProperties"];
const subschemaLists = ["anyOf", "oneOf", "allOf", "prefixItems"];
const subschemaSingles = ["additionalProperties", "items", "not", "propertyNames"];

export function isObject(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The schemas directly inside `node`, each with its JSON pointer relative to `node`. */
function children(node: JsonSchema): [string, unknown][] {
  const found: [string, unknown][] = [];
  for (const key of subschemaMaps) {
    const map = node[key];
    if (isObject(map)) for (const [name, child] of Object.entries(map)) found.push([`/${key}/${pointerToken(name)}`, child]);
  }
  for (const key of subschemaLists) {
    const list = node[key];
    if (Array.isArray(list)) list.forEach((child, index) => found.push([`/${key}/${index}`, child]));
  }
  for (const key of subschemaSingles) if (key in node) found.push([`/${key}`, node[key]]);
  return found;
}

/** Calls `visit` on `node` and on every schema nested in it, parents first, with its JSON pointer in the file. A value that is not an object is visited, not entered. */
export function walkSchema(node: unknown, visit: (node: unknown, at: string) => void, at = ""): void {
  visit(node, at);
  if (isObject(node)) for (const [pointer, child] of children(node)) walkSchema(child, visit, at + pointer);
}

/**
 * Rebuilds a schema from the leaves up: `rebuild` gets each schema object with the schemas nested
 * in it already rebuilt, and the object as it was. Other keywords' values (`const`, `enum`,
 * `examples`, `required`…) are kept as they are, and so is the order of keywords.
 */
export function mapSchema(node: unknown, rebuild: (node: JsonSchema, original: JsonSchema) => JsonSchema): unknown {
  if (!isObject(node)) return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (subschemaMaps.includes(key) && isObject(value)) out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, mapSchema(child, rebuild)]));
    else if (subschemaLists.includes(key) && Array.isArray(value)) out[key] = value.map((child) => mapSchema(child, rebuild));
    else out[key] = subschemaSingles.includes(key) ? mapSchema(value, rebuild) : value;
  }
  return rebuild(out, node);
}

/** A schema object as it is; `true` as `{}`; `false` as a schema that allows no type. */
function schemaOf(value: unknown): JsonSchema | undefined {
  return isObject(value) ? value : typeof value === "boolean" ? (value ? {} : { type: [] }) : undefined;
}

/** A schema that applies at a place of an event, with the `$id` its `$ref`s resolve against and the files entered to get there. */
export interface Part {
  readonly node: JsonSchema;
  readonly base: string;
  readonly trail: readonly string[];
}

/** A provider's schema files by `$id`: what a `$ref` (always a whole file of common/) names. */
export type Files = ReadonlyMap<string, JsonSchema>;

/** The part of an event file's root. */
export function rootPart(schema: JsonSchema): Part {
  return { node: schema, base: String(schema.$id), trail: [String(schema.$id)] };
}

/**
 * Everything that applies where `node` applies: `node` itself, then the file its `$ref` names
 * and its `allOf` members, each expanded in turn. A `$ref` back to a file already entered on the
 * way is not followed again.
 */
export function expand(value: unknown, base: string, trail: readonly string[], files: Files): Part[] {
  const node = schemaOf(value);
  if (!node) return [];
  const parts: Part[] = [{ node, base, trail }];
  if (typeof node.$ref === "string") {
    const id = new URL(node.$ref, base).href;
    const target = files.get(id);
    if (target && !trail.includes(id)) parts.push(...expand(target, id, [...trail, id], files));
  }
  for (const member of Array.isArray(node.allOf) ? node.allOf : []) parts.push(...expand(member, base, trail, files));
  return parts;
}

/** One way to match a place: the parts that all apply, one branch of each `anyOf` and `oneOf` chosen. */
export interface Variant {
  readonly parts: readonly Part[];
  /** Whether a `oneOf` branch was chosen: then the value must match no other branch. */
  readonly oneOf: boolean;
}

/** The ways to match the place that `parts` (already expanded) describe together. */
export function variants(parts: readonly Part[], files: Files): Variant[] {
  const index = parts.findIndex(({ node }) => Array.isArray(node.anyOf) || Array.isArray(node.oneOf));
  if (index < 0) return [{ parts, oneOf: false }];
  const { node, base, trail } = parts[index]!;
  const keyword = Array.isArray(node.anyOf) ? "anyOf" : "oneOf";
  const { [keyword]: branches, ...rest } = node;
  const others = [...parts.slice(0, index), { node: rest, base, trail }, ...parts.slice(index + 1)];
  return (branches as unknown[]).flatMap((branch) =>
    variants([...others, ...expand(branch, base, trail, files)], files).map((variant) => ({ parts: variant.parts, oneOf: variant.oneOf || keyword === "oneOf" })),
  );
}

/** The places directly below one that `parts` describe together, each with the (unexpanded) parts that describe it. */
export interface Below {
  readonly properties: Map<string, Part[]>;
  readonly required: Set<string>;
  /** `additionalProperties`: the values of the other keys. */
  readonly values: Part[];
  readonly patterns: Map<string, Part[]>;
  readonly items: Part[];
  readonly prefixItems: Part[][];
}

export function below(parts: readonly Part[]): Below {
  const found: Below = { properties: new Map(), required: new Set(), values: [], patterns: new Map(), items: [], prefixItems: [] };
  const add = (list: Part[], child: unknown, { base, trail }: Part) => {
    const node = schemaOf(child);
    if (node) list.push({ node, base, trail });
  };
  const at = <K>(map: Map<K, Part[]>, key: K) => map.get(key) ?? map.set(key, []).get(key)!;
  for (const part of parts) {
    const { node } = part;
    for (const name of Array.isArray(node.required) ? node.required : []) found.required.add(String(name));
    if (isObject(node.properties)) for (const [name, child] of Object.entries(node.properties)) add(at(found.properties, name), child, part);
    if (isObject(node.patternProperties)) for (const [pattern, child] of Object.entries(node.patternProperties)) add(at(found.patterns, pattern), child, part);
    if ("additionalProperties" in node) add(found.values, node.additionalProperties, part);
    if ("items" in node) add(found.items, node.items, part);
    if (Array.isArray(node.prefixItems)) node.prefixItems.forEach((child, index) => add((found.prefixItems[index] ??= []), child, part));
  }
  return found;
}
