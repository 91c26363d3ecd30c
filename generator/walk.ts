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
 * Both read one table of the keywords that hold schemas: all those lint.ts allows (it refuses
 * every other keyword), so both reach every position. For each: whether it holds a map of
 * schemas, a list or one, and where its schemas apply in a value — at the same place (`base`:
 * `allOf`; `branch`: `anyOf`/`oneOf`), at a named property, at the values of keys matching a
 * pattern or of the other keys, at array items or at one index, or nowhere of their own (`rule`).
 */
type Role = "base" | "branch" | "property" | "pattern" | "values" | "items" | "index" | "rule";
const subschemaKeywords: Readonly<Record<string, readonly ["map" | "list" | "one", Role]>> = {
  properties: ["map", "property"],
  patternProperties: ["map", "pattern"],
  anyOf: ["list", "branch"],
  oneOf: ["list", "branch"],
  allOf: ["list", "base"],
  prefixItems: ["list", "index"],
  additionalProperties: ["one", "values"],
  items: ["one", "items"],
  not: ["one", "rule"],
  propertyNames: ["one", "rule"],
};

export function isObject(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

interface Child {
  readonly keyword: string;
  readonly role: Role;
  /** The property name or pattern (maps), the index (lists). */
  readonly key?: string | number;
  readonly schema: unknown;
}

/** The schemas directly inside `node`, in the order of the table. */
function children(node: JsonSchema): Child[] {
  const found: Child[] = [];
  for (const [keyword, [holds, role]] of Object.entries(subschemaKeywords)) {
    const value = node[keyword];
    if (holds === "map" && isObject(value)) for (const [key, schema] of Object.entries(value)) found.push({ keyword, role, key, schema });
    if (holds === "list" && Array.isArray(value)) value.forEach((schema, key) => found.push({ keyword, role, key, schema }));
    if (holds === "one" && keyword in node) found.push({ keyword, role, schema: value });
  }
  return found;
}

/** Calls `visit` on `node` and on every schema nested in it, parents first, with its JSON pointer in the file. A value that is not an object is visited, not entered. */
export function walkSchema(node: unknown, visit: (node: unknown, at: string) => void, at = ""): void {
  visit(node, at);
  if (!isObject(node)) return;
  for (const { keyword, key, schema } of children(node)) walkSchema(schema, visit, `${at}/${keyword}${key === undefined ? "" : `/${pointerToken(key)}`}`);
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
    const holds = subschemaKeywords[key]?.[0];
    if (holds === "map" && isObject(value)) out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, mapSchema(child, rebuild)]));
    else if (holds === "list" && Array.isArray(value)) out[key] = value.map((child) => mapSchema(child, rebuild));
    else out[key] = holds === "one" ? mapSchema(value, rebuild) : value;
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
  for (const { role, schema } of children(node)) if (role === "base") parts.push(...expand(schema, base, trail, files));
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
  for (const [index, { node, base, trail }] of parts.entries()) {
    const branches = children(node).filter(({ role }) => role === "branch");
    if (branches.length === 0) continue;
    const { keyword } = branches[0]!;
    const rest = { ...node };
    delete rest[keyword];
    const others = [...parts.slice(0, index), { node: rest, base, trail }, ...parts.slice(index + 1)];
    return branches
      .filter((branch) => branch.keyword === keyword)
      .flatMap(({ schema }) => variants([...others, ...expand(schema, base, trail, files)], files).map((variant) => ({ parts: variant.parts, oneOf: variant.oneOf || keyword === "oneOf" })));
  }
  return [{ parts, oneOf: false }];
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
  const at = <K>(map: Map<K, Part[]>, key: K) => map.get(key) ?? map.set(key, []).get(key)!;
  for (const { node: parent, base, trail } of parts) {
    for (const name of Array.isArray(parent.required) ? parent.required : []) found.required.add(String(name));
    for (const { role, key, schema } of children(parent)) {
      const node = schemaOf(schema);
      if (!node) continue;
      const part = { node, base, trail };
      if (role === "property") at(found.properties, String(key)).push(part);
      else if (role === "pattern") at(found.patterns, String(key)).push(part);
      else if (role === "values") found.values.push(part);
      else if (role === "items") found.items.push(part);
      else if (role === "index") (found.prefixItems[Number(key)] ??= []).push(part);
    }
  }
  return found;
}
