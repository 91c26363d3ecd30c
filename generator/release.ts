import { createHash } from "node:crypto";
import type { JsonSchema, LoadedProvider, SchemaFile } from "./load.js";

/**
 * What consumers of the generated package can rely on, per event: every field by JSON pointer
 * with the values it may take. A release's surface is committed (schemas/release.lock.json) so
 * that the next release can say what changed for consumers, and how much.
 */
export interface ReleaseLock {
  readonly version: string;
  readonly providers: Readonly<Record<string, Readonly<Record<string, EventSurface>>>>;
}

export interface EventSurface {
  readonly deprecated: boolean;
  /** Hash of the schema files the event is made of: any change to them, descriptions included. */
  readonly text: string;
  readonly fields: Readonly<Record<string, FieldSurface>>;
}

export interface FieldSurface {
  /** JSON types the field may have, sorted; `any` when the schema does not say. */
  readonly types: readonly string[];
  readonly required: boolean;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  /** The other validation keywords, e.g. `pattern`, `minLength`, each with its value as JSON text. */
  readonly rules?: Readonly<Record<string, string>>;
}

export type Level = "major" | "minor" | "patch";

export interface Change {
  readonly level: Level;
  readonly provider: string;
  readonly event: string;
  readonly message: string;
}

/** The validation keywords besides type, const and enum, with the JSON type each one constrains. */
const ruleTypes: Readonly<Record<string, string>> = {
  pattern: "string", minLength: "string", maxLength: "string",
  minimum: "number", maximum: "number", exclusiveMinimum: "number", exclusiveMaximum: "number", multipleOf: "number",
  minItems: "array", maxItems: "array", minProperties: "object", maxProperties: "object",
};

/** The surface of every event of every provider. */
export function surfaceOf(providers: readonly LoadedProvider[]): ReleaseLock["providers"] {
  const surface: Record<string, Record<string, EventSurface>> = {};
  for (const provider of providers) {
    const byId = new Map(provider.shared.map((file) => [String(file.schema.$id), file]));
    const events: Record<string, EventSurface> = {};
    for (const source of provider.events) {
      const used = new Set<SchemaFile>([source]);
      const resolve = (node: JsonSchema, base: string): [JsonSchema, string] => {
        const id = new URL(String(node.$ref), base).href;
        const file = byId.get(id);
        if (!file) return [node, base];
        used.add(file);
        return [file.schema, id];
      };
      const fields: Record<string, FieldSurface> = {};
      walk([[source.schema, String(source.schema.$id)]], "", true, fields, resolve);
      const text = createHash("sha256");
      for (const file of [...used].sort((a, b) => (a.path < b.path ? -1 : 1))) text.update(file.path).update(JSON.stringify(file.schema));
      events[source.base] = { deprecated: source.schema.deprecated === true, text: text.digest("hex").slice(0, 16), fields };
    }
    surface[provider.name] = events;
  }
  return surface;
}

type Resolve = (node: JsonSchema, base: string) => [JsonSchema, string];

/**
 * Records the field at `pointer`, described by `nodes` together (an event's own part of an
 * object and the shared parts it `$ref`s or lists in `allOf`), then its properties and items.
 */
function walk(nodes: readonly [JsonSchema, string][], pointer: string, required: boolean, fields: Record<string, FieldSurface>, resolve: Resolve): void {
  const parts = nodes.flatMap(([node, base]) => flatten(node, base, resolve));
  const types = new Set<string>();
  const properties = new Map<string, [JsonSchema, string][]>();
  const items: [JsonSchema, string][] = [];
  const values: [JsonSchema, string][] = [];
  const requiredNames = new Set<string>();
  const rules: Record<string, string> = {};
  let enumValues: unknown[] | undefined;
  let constValue: unknown;
  for (const [part, partBase] of parts) {
    for (const type of [part.type].flat()) if (typeof type === "string") types.add(type === "integer" ? "integer" : type);
    if ("const" in part) constValue = part.const;
    if (Array.isArray(part.enum)) enumValues = part.enum;
    for (const keyword of Object.keys(ruleTypes)) if (keyword in part) rules[keyword] = JSON.stringify(part[keyword]);
    for (const name of (part.required as string[] | undefined) ?? []) requiredNames.add(name);
    for (const [name, child] of Object.entries((part.properties as Record<string, JsonSchema> | undefined) ?? {})) properties.set(name, [...(properties.get(name) ?? []), [child, partBase]]);
    for (const variant of [...((part.anyOf as JsonSchema[]) ?? []), ...((part.oneOf as JsonSchema[]) ?? [])]) {
      for (const [branch] of flatten(variant, partBase, resolve)) for (const type of [branch.type].flat()) if (typeof type === "string") types.add(type);
    }
    if (part.items && typeof part.items === "object") items.push([part.items as JsonSchema, partBase]);
    if (part.additionalProperties && typeof part.additionalProperties === "object") values.push([part.additionalProperties as JsonSchema, partBase]);
  }
  if (constValue !== undefined && types.size === 0) types.add(constValue === null ? "null" : typeof constValue);
  fields[pointer || "/"] = {
    types: types.size > 0 ? [...types].sort() : ["any"],
    required,
    ...(enumValues && { enum: enumValues }),
    ...(constValue !== undefined && { const: constValue }),
    ...(Object.keys(rules).length > 0 && { rules }),
  };
  for (const [name, children] of properties) walk(children, `${pointer}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`, requiredNames.has(name), fields, resolve);
  if (items.length > 0) walk(items, `${pointer}/[]`, true, fields, resolve);
  if (values.length > 0) walk(values, `${pointer}/*`, false, fields, resolve);
}

/** A schema node with what it `$ref`s (its siblings of `$ref` count too) and its `allOf` members. */
function flatten(node: JsonSchema, base: string, resolve: Resolve): [JsonSchema, string][] {
  const parts: [JsonSchema, string][] = [[node, base]];
  if (typeof node.$ref === "string") {
    const [target, targetBase] = resolve(node, base);
    if (target !== node) parts.push(...flatten(target, targetBase, resolve));
  }
  for (const member of (node.allOf as JsonSchema[] | undefined) ?? []) parts.push(...flatten(member, base, resolve));
  return parts;
}

/**
 * Every change from `before` to `after`, classified for consumers: `major` when a delivery that
 * was accepted may now be refused or typed code may break (an event or field removed, a type
 * narrowed, a field made required, an enum value removed, a const or rule changed), `minor` when
 * more is accepted (an event or optional field added, a type widened, a field made optional, an
 * enum value added, an event deprecated), `patch` for the rest (descriptions, examples).
 */
export function classify(before: ReleaseLock["providers"], after: ReleaseLock["providers"]): Change[] {
  const changes: Change[] = [];
  const add = (level: Level, provider: string, event: string, message: string) => changes.push({ level, provider, event, message });
  for (const provider of union(Object.keys(before), Object.keys(after))) {
    const old = before[provider] ?? {};
    const now = after[provider] ?? {};
    for (const event of union(Object.keys(old), Object.keys(now))) {
      const was = old[event];
      const is = now[event];
      if (!is) add("major", provider, event, "event removed");
      else if (!was) add("minor", provider, event, is.deprecated ? "event added (retired, still accepted)" : "event added");
      else {
        const before = changes.length;
        if (!was.deprecated && is.deprecated) add("minor", provider, event, "event deprecated: retired, still accepted");
        compareFields(was.fields, is.fields, (level, message) => add(level, provider, event, message));
        if (changes.length === before && was.text !== is.text) add("patch", provider, event, "descriptions or examples changed");
      }
    }
  }
  return changes;
}

function compareFields(was: EventSurface["fields"], is: EventSurface["fields"], add: (level: Level, message: string) => void): void {
  for (const pointer of union(Object.keys(was), Object.keys(is))) {
    const a = was[pointer];
    const b = is[pointer];
    if (!b) add("major", `\`${pointer}\` removed`);
    else if (!a) add(b.required ? "major" : "minor", `\`${pointer}\` added${b.required ? " as required" : ""}`);
    else {
      if (!a.required && b.required) add("major", `\`${pointer}\` made required`);
      if (a.required && !b.required) add("minor", `\`${pointer}\` made optional`);
      const lost = a.types.filter((type) => !b.types.includes(type) && !(type === "integer" && b.types.includes("number")) && !b.types.includes("any"));
      const gained = b.types.filter((type) => !a.types.includes(type));
      if (lost.length > 0) add("major", `\`${pointer}\` no longer accepts ${lost.join(", ")}`);
      else if (gained.length > 0) add("minor", `\`${pointer}\` also accepts ${gained.join(", ")}`);
      if (a.enum || b.enum) {
        const removed = (a.enum ?? []).filter((value) => !(b.enum ?? []).includes(value));
        const added = (b.enum ?? []).filter((value) => !(a.enum ?? []).includes(value));
        if (b.enum && (!a.enum || removed.length > 0)) add("major", `\`${pointer}\` no longer accepts ${removed.map((v) => JSON.stringify(v)).join(", ") || "every value"}`);
        if (added.length > 0 || (a.enum && !b.enum)) add("minor", `\`${pointer}\` also accepts ${added.map((v) => JSON.stringify(v)).join(", ") || "any value"}`);
      }
      if (JSON.stringify(a.const) !== JSON.stringify(b.const)) add(b.const === undefined ? "minor" : "major", `\`${pointer}\` const ${JSON.stringify(a.const)} → ${JSON.stringify(b.const)}`);
      for (const keyword of union(Object.keys(a.rules ?? {}), Object.keys(b.rules ?? {}))) {
        const [before, after] = [a.rules?.[keyword], b.rules?.[keyword]];
        if (before === after) continue;
        // A rule on a type the field did not accept before narrows nothing that was accepted.
        const domain = ruleTypes[keyword]!;
        const constrained = a.types.includes(domain) || a.types.includes("any") || (domain === "number" && a.types.includes("integer"));
        if (before === undefined && !constrained) continue;
        add(after === undefined ? "minor" : "major", `\`${pointer}\` ${keyword} ${before ?? "none"} → ${after ?? "none"}`);
      }
    }
  }
}

/** The highest level of `changes`, or `undefined` when there is none. */
export function bumpOf(changes: readonly Change[]): Level | undefined {
  for (const level of ["major", "minor", "patch"] as const) if (changes.some((change) => change.level === level)) return level;
  return undefined;
}

/** Semantic versioning; before 1.0.0 a breaking change bumps the minor number, as npm's caret ranges expect. */
export function nextVersion(version: string, level: Level): string {
  const [major = 0, minor = 0, patch = 0] = version.split(".").map(Number);
  if (level === "major") return major === 0 ? `0.${minor + 1}.0` : `${major + 1}.0.0`;
  if (level === "minor") return major === 0 ? `0.${minor}.${patch + 1}` : `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** The CHANGELOG section of a release: its bump, then each provider's events and their changes. */
export function changelogEntry(version: string, date: string, changes: readonly Change[]): string {
  const lines = [`## ${version} — ${date}`, "", `${bumpOf(changes)} release: ${changes.length} change(s) to the schemas since the last release.`, ""];
  for (const provider of union(changes.map((change) => change.provider), [])) {
    lines.push(`### ${provider}`, "");
    for (const event of union(changes.filter((c) => c.provider === provider).map((c) => c.event), [])) {
      const own = changes.filter((c) => c.provider === provider && c.event === event);
      lines.push(`- \`${event}\`: ${own.map((c) => `${c.message} (${c.level})`).join("; ")}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}
