import { pointerToken } from "./errors.js";
import type { JsonSchema } from "./load.js";
import { below, expand, rootPart, variants, type Files, type Part } from "./walk.js";

/**
 * What an upgrade does to a consumer, event by event:
 * - `breaking`: an event removed, or an existing event's type got wider (code that compiled may
 *   stop compiling: a field widened, made optional or removed, an enum value added) or narrower
 *   (deliveries that validated may be refused: a type narrowed, a field made required, an enum
 *   value removed, a stricter rule);
 * - `feature`: a new event, a new optional field, a new deprecation;
 * - `fix`: descriptions, examples, defaults, and rules loosened without changing the type (more
 *   deliveries accepted, typed as before).
 */
export type Level = "breaking" | "feature" | "fix";
const levels: readonly Level[] = ["breaking", "feature", "fix"];

export interface Change {
  readonly level: Level;
  readonly provider: string;
  readonly event: string;
  /** Where in the event, e.g. `/payload/permissions/canReceive/base/video` (`*`: any array item or map value; empty: the event itself). */
  readonly pointer: string;
  readonly message: string;
}

/** `schemas/release.lock.json`: the schema files of the last release, by path below schemas/. */
export interface ReleaseLock {
  readonly version: string;
  readonly schemas: Readonly<Record<string, JsonSchema>>;
}

/** What classification reads of a provider (a loaded provider fits). */
export interface ProviderSchemas {
  readonly name: string;
  readonly events: readonly { readonly base: string; readonly path: string; readonly schema: JsonSchema }[];
  readonly shared: readonly { readonly path: string; readonly schema: JsonSchema }[];
}

export function lockOf(version: string, providers: readonly ProviderSchemas[]): ReleaseLock {
  const files = providers.flatMap((provider) => [...provider.shared, ...provider.events]);
  return { version, schemas: Object.fromEntries(files.map((file) => [file.path, file.schema] as const).sort(([a], [b]) => (a < b ? -1 : 1))) };
}

/** The providers whose schemas a lock holds. */
export function providersOf(lock: ReleaseLock): ProviderSchemas[] {
  const providers = new Map<string, { name: string; events: ProviderSchemas["events"][number][]; shared: ProviderSchemas["shared"][number][] }>();
  for (const [path, schema] of Object.entries(lock.schemas)) {
    const [name = "", ...rest] = path.split("/");
    const provider = providers.get(name) ?? providers.set(name, { name, events: [], shared: [] }).get(name)!;
    if (rest[0] === "common") provider.shared.push({ path, schema });
    else provider.events.push({ path, base: rest.join("/").replace(/\.schema\.json$/, ""), schema });
  }
  return [...providers.values()];
}

/** Every change from the schemas `before` to the schemas `after`, per event, classified by its effect on consumers. */
export function classify(before: readonly ProviderSchemas[], after: readonly ProviderSchemas[]): Change[] {
  const changes: Change[] = [];
  for (const name of union(before.map((p) => p.name), after.map((p) => p.name))) {
    const [was, is] = [before, after].map((side) => side.find((p) => p.name === name));
    const files = (provider?: ProviderSchemas): Files => new Map([...(provider?.shared ?? []), ...(provider?.events ?? [])].map((file) => [String(file.schema.$id), file.schema]));
    const context = { was: files(was), is: files(is) };
    const oldEvents = new Map(was?.events.map((e) => [e.base, e.schema]));
    const newEvents = new Map(is?.events.map((e) => [e.base, e.schema]));
    for (const event of union([...oldEvents.keys()], [...newEvents.keys()])) {
      const seen = new Set<string>();
      const add = (level: Level, pointer: string, message: string) => {
        const key = `${level} ${pointer} ${message}`;
        if (!seen.has(key)) changes.push({ level, provider: name, event, pointer, message });
        seen.add(key);
      };
      const [a, b] = [oldEvents.get(event), newEvents.get(event)];
      if (!b) add("breaking", "", "removed");
      else if (!a) add("feature", "", b.deprecated === true ? "added, deprecated (retired, still accepted)" : "added");
      else compare([rootPart(a)], [rootPart(b)], "", { ...context, add });
    }
    // A common/ part is compared in each event that uses it; its type, exported under its own name, goes with its file.
    for (const { path } of was?.shared ?? []) {
      const part = path.slice(name.length + 1).replace(/\.schema\.json$/, "");
      if (!is?.shared.some((file) => file.path === path)) changes.push({ level: "breaking", provider: name, event: part, pointer: "", message: "removed: its type is no longer exported" });
    }
  }
  return changes;
}

interface Context {
  readonly was: Files;
  readonly is: Files;
  add(level: Level, pointer: string, message: string): void;
}

/** One JSON type a place accepts (`any` when the schema does not say), with what constrains it there. */
interface Alternative {
  readonly type: string;
  readonly oneOf: boolean;
  readonly parts: readonly Part[];
  /** The values allowed by `const`/`enum`, as JSON text; none when any value of the type is. */
  readonly values?: readonly string[];
  readonly rules: ReadonlyMap<string, readonly unknown[]>;
}

const jsonTypes = ["array", "boolean", "integer", "null", "number", "object", "string"];

/**
 * The validation keywords besides those that lead to other places, with the types each
 * constrains and what a change does: `min` and `max` are stricter when the bound goes up or down;
 * `other` is stricter when a rule is added or changed; `typed` rules show in the generated type
 * (json-schema-to-typescript turns `minItems`/`maxItems` into tuples), so any change is breaking.
 */
type Way = "min" | "max" | "other" | "typed";
const rules: Readonly<Record<string, readonly [types: readonly string[], way: Way]>> = {
  minLength: [["string"], "min"], maxLength: [["string"], "max"], pattern: [["string"], "other"],
  minimum: [["number", "integer"], "min"], exclusiveMinimum: [["number", "integer"], "min"], maximum: [["number", "integer"], "max"], exclusiveMaximum: [["number", "integer"], "max"], multipleOf: [["number", "integer"], "other"],
  minItems: [["array"], "typed"], maxItems: [["array"], "typed"],
  minProperties: [["object"], "min"], maxProperties: [["object"], "max"], propertyNames: [["object"], "other"],
  not: [jsonTypes, "other"],
};

const annotations = ["title", "description", "examples", "default"];

/** What the place described by `parts` accepts, one alternative per JSON type and `anyOf`/`oneOf` branch. */
function alternatives(parts: readonly Part[], files: Files): Alternative[] {
  const expanded = parts.flatMap((part) => expand(part.node, part.base, part.trail, files));
  return variants(expanded, files).flatMap(({ parts, oneOf }) => {
    const nodes = parts.map((part) => part.node);
    let values: unknown[] | undefined;
    for (const node of nodes) {
      const own = "const" in node ? [node.const] : Array.isArray(node.enum) ? node.enum : undefined;
      if (own) values = values ? values.filter((value) => own.some((other) => json(other) === json(value))) : own;
    }
    const declared = nodes.filter((node) => node.type !== undefined).map((node) => [node.type].flat().map(String));
    const types = declared.length > 0 ? intersect(declared) : values ? union(values.map(typeOf), []) : ["any"];
    return types.flatMap((type) => {
      const own = values?.filter((value) => fits(value, type)).map(json).sort();
      if (own?.length === 0) return [];
      const constraints = new Map<string, unknown[]>();
      for (const node of nodes) {
        for (const [keyword, [domain]] of Object.entries(rules)) {
          if (keyword in node && (type === "any" || domain.includes(type))) constraints.set(keyword, [...(constraints.get(keyword) ?? []), node[keyword]]);
        }
      }
      return [{ type, oneOf, parts, ...(own && { values: own }), rules: constraints }];
    });
  });
}

/** Compares what two versions of one place accept; `pointer` is the place in the event. */
function compare(was: readonly Part[], is: readonly Part[], pointer: string, context: Context): void {
  const [before, after] = [byFamily(alternatives(was, context.was)), byFamily(alternatives(is, context.is))];
  const gone = [...before].filter(([key]) => !after.has(key)).map(([, alternative]) => describe(alternative));
  const added = [...after].filter(([key]) => !before.has(key)).map(([, alternative]) => describe(alternative));
  if (gone.length > 0 || added.length > 0) {
    context.add("breaking", pointer, added.length === 0 ? `no longer accepts ${gone.join(", ")}` : gone.length === 0 ? `also accepts ${added.join(", ")}` : `accepts ${added.join(", ")} instead of ${gone.join(", ")}`);
  }
  for (const [key, a] of before) {
    const b = after.get(key);
    const crowded = before.has(key.replace(/#\d+$/, "#1")) || after.has(key.replace(/#\d+$/, "#1"));
    if (b) compareAlternatives(a, b, pointer, crowded, context);
  }
}

/** Alternatives keyed by type (integer with number: one may replace the other) and rank among those of the same type. */
function byFamily(alternatives: readonly Alternative[]): Map<string, Alternative> {
  const keyed = new Map<string, Alternative>();
  const counts = new Map<string, number>();
  for (const alternative of alternatives) {
    const family = alternative.type === "integer" ? "number" : alternative.type;
    const rank = counts.get(family) ?? 0;
    counts.set(family, rank + 1);
    keyed.set(`${family}#${rank}`, alternative);
  }
  return keyed;
}

function compareAlternatives(a: Alternative, b: Alternative, pointer: string, crowded: boolean, context: Context): void {
  const add = (level: Level, message: string) => context.add(level, pointer, message);
  for (const keyword of annotations) {
    const text = (alternative: Alternative) => json(alternative.parts.filter(({ node }) => keyword in node).map(({ node }) => node[keyword]));
    if (text(a) !== text(b)) add("fix", `${keyword} changed`);
  }
  const deprecated = (alternative: Alternative) => alternative.parts.some(({ node }) => node.deprecated === true);
  if (deprecated(a) !== deprecated(b)) add(deprecated(b) ? "feature" : "fix", deprecated(b) ? "deprecated" : "no longer deprecated");
  if (a.type !== b.type) add(b.type === "number" ? "fix" : "breaking", b.type === "number" ? "accepts any number, not only integers" : "accepts only integers");
  if (crowded && a.oneOf !== b.oneOf) add("breaking", b.oneOf ? "must now match exactly one of its branches (oneOf)" : "may now match several branches (anyOf)");

  if (a.values && b.values) {
    const removed = a.values.filter((value) => !b.values!.includes(value));
    const added = b.values.filter((value) => !a.values!.includes(value));
    if (removed.length > 0) add("breaking", `no longer accepts ${removed.join(", ")}`);
    if (added.length > 0) add("breaking", `also accepts ${added.join(", ")}`);
  } else if (a.values) add("breaking", `accepts any ${b.type}, not only ${a.values.join(", ")}`);
  else if (b.values) add("breaking", `accepts only ${b.values.join(", ")}`);

  for (const keyword of union([...a.rules.keys()], [...b.rules.keys()])) {
    const [was, is] = [a.rules.get(keyword) ?? [], b.rules.get(keyword) ?? []];
    const effect = ruleEffect(keyword, was, is);
    if (effect) add(effect > 0 ? "breaking" : "fix", `${keyword} ${show(was)} → ${show(is)}`);
  }

  if (!["object", "array", "any"].includes(b.type)) return;
  const [x, y] = [below(a.parts), below(b.parts)];
  if (b.type === "object" || b.type === "any") {
    for (const name of union([...x.properties.keys(), ...x.required], [...y.properties.keys(), ...y.required])) {
      const at = `${pointer}/${pointerToken(name)}`;
      const [was, is] = [x.properties.get(name), y.properties.get(name)];
      const [wasRequired, isRequired] = [x.required.has(name), y.required.has(name)];
      if (was && !is) context.add("breaking", at, "removed");
      else if (!was && is) {
        // A new optional field is a feature, unless the object's other keys had a schema the field's values may not meet.
        const constrained = x.values.length > 0 || x.patterns.size > 0;
        context.add(isRequired || constrained ? "breaking" : "feature", at, isRequired ? "added, required" : "added");
      } else {
        if (wasRequired !== isRequired) context.add("breaking", at, isRequired ? "made required" : "made optional");
        if (was && is) compare(was, is, at, context);
      }
    }
    compareMaybe(x.values, y.values, `${pointer}/*`, context);
    for (const pattern of union([...x.patterns.keys()], [...y.patterns.keys()])) compareMaybe(x.patterns.get(pattern) ?? [], y.patterns.get(pattern) ?? [], `${pointer}/*`, context);
  }
  if (b.type === "array" || b.type === "any") {
    compareMaybe(x.items, y.items, `${pointer}/*`, context);
    for (let index = 0; index < Math.max(x.prefixItems.length, y.prefixItems.length); index++) compareMaybe(x.prefixItems[index] ?? [], y.prefixItems[index] ?? [], `${pointer}/${index}`, context);
  }
}

/** Compares a place that only one version may describe (array items, map values): there, it appearing or going is breaking. */
function compareMaybe(was: readonly Part[], is: readonly Part[], pointer: string, context: Context): void {
  if (was.length > 0 && is.length > 0) compare(was, is, pointer, context);
  else if (was.length > 0 || is.length > 0) context.add("breaking", pointer, is.length > 0 ? "given a schema" : "schema removed");
}

/** 1 when a change of rule is breaking (fewer values accepted, or another type), -1 when it accepts more of the same type, 0 when nothing changed. */
function ruleEffect(keyword: string, was: readonly unknown[], is: readonly unknown[]): number {
  const way = rules[keyword]![1];
  if (way === "other" || way === "typed") {
    const [a, b] = [new Set(was.map(json)), new Set(is.map(json))];
    const changed = [...b].some((rule) => !a.has(rule));
    const dropped = [...a].some((rule) => !b.has(rule));
    return changed || (dropped && way === "typed") ? 1 : dropped ? -1 : 0;
  }
  const bound = (values: readonly unknown[]) => (values.length === 0 ? undefined : (way === "min" ? Math.max : Math.min)(...(values as number[])));
  const [a, b] = [bound(was), bound(is)];
  if (a === b) return 0;
  if (a === undefined || b === undefined) return a === undefined ? 1 : -1;
  return Math.sign((b - a) * (way === "min" ? 1 : -1));
}

function describe(alternative: Alternative): string {
  return alternative.values?.join(", ") ?? (alternative.type === "any" ? "any value" : alternative.type);
}

function show(values: readonly unknown[]): string {
  return values.length === 0 ? "none" : values.map(json).join(" and ");
}

/** The JSON types every list allows (an integer is a number); `number` includes `integer`. */
function intersect(lists: readonly (readonly string[])[]): string[] {
  const types = jsonTypes.filter((type) => lists.every((list) => list.includes(type) || (type === "integer" && list.includes("number"))));
  return types.includes("number") ? types.filter((type) => type !== "integer") : types;
}

function typeOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

function fits(value: unknown, type: string): boolean {
  return type === "any" || typeOf(value) === type || (type === "integer" && Number.isInteger(value));
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

/** E.g. `2 breaking, 0 feature, 5 fix`. */
export function countLevels(changes: readonly Change[]): string {
  return levels.map((level) => `${changes.filter((change) => change.level === level).length} ${level}`).join(", ");
}

/** The highest level of `changes`, or `undefined` when there is none. */
export function levelOf(changes: readonly Change[]): Level | undefined {
  return levels.find((level) => changes.some((change) => change.level === level));
}

/**
 * Semantic versioning: a breaking release bumps the major number, a feature release the minor
 * one, a fix release the patch one. Before 1.0.0, as npm's caret ranges read versions, a breaking
 * release bumps the minor number and any other the patch number.
 */
export function nextVersion(version: string, level: Level): string {
  const [major = 0, minor = 0, patch = 0] = version.split(".").map(Number);
  if (level === "breaking") return major === 0 ? `0.${minor + 1}.0` : `${major + 1}.0.0`;
  if (level === "feature" && major > 0) return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** The CHANGELOG section of a release: its level, then each provider's events with their changes. */
export function changelogEntry(version: string, date: string, changes: readonly Change[]): string {
  const events = new Set(changes.map((change) => `${change.provider}/${change.event}`)).size;
  const lines = [`## ${version} — ${date}`, "", `**${levelOf(changes)}** release: ${countLevels(changes)} change(s) in ${events} event(s).`, ""];
  for (const provider of union(changes.map((change) => change.provider), [])) {
    lines.push(`### ${provider}`, "");
    const own = changes.filter((change) => change.provider === provider);
    for (const event of union(own.map((change) => change.event), [])) {
      const ofEvent = own.filter((change) => change.event === event);
      const listed = levels.flatMap((level) => ofEvent.filter((change) => change.level === level));
      lines.push(`- \`${event}\` (${levelOf(ofEvent)}): ${listed.map((c) => `${c.pointer ? `\`${c.pointer}\` ` : ""}${c.message} (${c.level})`).join("; ")}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}
