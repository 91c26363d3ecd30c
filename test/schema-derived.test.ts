// Tests derived from the schemas themselves (issue 26), so that no hand-picked list can miss a
// place: for every `$ref` and every `enum` of every event schema, at any depth (through shared
// files, allOf, anyOf, items, maps), each example that reaches that place is broken there and
// the package must refuse it at that JSON pointer:
//   - `$ref`: a required field of the referenced part removed (or, for a part without required
//     fields, the value replaced by one of a type the part does not allow);
//   - `enum`: the value replaced by ones outside the enum.
// The positions come from walking the schemas and the examples together; a place no example
// reaches is listed (printed), never skipped in silence. An independent ajv compile of the raw
// schemas (not the generator's) decides whether a broken example is really invalid: under anyOf
// another branch may still accept it, and such cases are listed, not asserted.
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import type { JsonSchema, LoadedProvider, SchemaFile } from "../generator/load.js";
import { parseDelivery, type Provider } from "../generated/src/index.js";
import { encodeBody, mutate, providers } from "./support.js";

const loaded = await providers();

/** The schema keywords whose value is one subschema, a list of them, or a map of them. */
const single = ["additionalProperties", "items", "not", "propertyNames", "contains", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties"];
const lists = ["allOf", "anyOf", "oneOf", "prefixItems"];
const maps = ["properties", "patternProperties", "dependentSchemas", "$defs"];
/** Keywords whose values are data, not schemas. */
const data = new Set(["examples", "default", "const", "enum", "required", "type", "description", "title", "$comment", "$id", "$schema", "pattern", "deprecated"]);

const ABSENT = Symbol("absent");
type Instance = unknown | typeof ABSENT;

interface Case {
  readonly event: string;
  readonly example: number;
  /** `file#pointer` of the `$ref` or `enum` keyword. */
  readonly at: string;
  readonly what: string;
  readonly remove?: string[];
  readonly set?: Record<string, unknown>;
  readonly pointer: string;
  readonly keyword: string;
  /** Inside an anyOf/oneOf branch: another branch may accept the broken example, and the first issue may be another branch's. */
  readonly choice: boolean;
}

interface Walked {
  readonly cases: Case[];
  /** `file#pointer` of every `$ref` and `enum` keyword the walk passed, with whether an example reached it. */
  readonly positions: Map<string, { kind: "$ref" | "enum"; reached: boolean }>;
}

const reference = new Ajv2020({ strict: false, allErrors: false });
for (const provider of loaded) for (const { schema } of [...provider.shared, ...provider.events]) reference.addSchema(schema as object);

/** The shared file a `$ref` of `from` names. */
function resolve(provider: LoadedProvider, from: SchemaFile, ref: string): SchemaFile {
  const id = new URL(ref, String(from.schema.$id)).href;
  const target = provider.shared.find((s) => s.schema.$id === id);
  if (!target) throw new Error(`${from.file}: $ref ${ref} names no shared file`);
  return target;
}

/** Whether `instance` is valid against the subschema at `file#pointer`, by the independent ajv. */
function matches(file: SchemaFile, pointer: string, instance: unknown): boolean {
  const validate = reference.getSchema(`${String(file.schema.$id)}#${pointer}`);
  if (!validate) throw new Error(`no subschema at ${file.file}#${pointer}`);
  return validate(instance) as boolean;
}

function walkEvent(provider: LoadedProvider, event: SchemaFile): Walked {
  const walked: Walked = { cases: [], positions: new Map() };
  let example = 0;
  (event.schema.examples as unknown[]).forEach((value, index) => {
    example = index;
    walk(event, event.schema, "", value, "", false, [event.file]);
  });
  return walked;

  function walk(file: SchemaFile, node: unknown, at: string, instance: Instance, where: string, choice: boolean, stack: string[]): void {
    if (typeof node !== "object" || node === null || Array.isArray(node)) return;
    const schema = node as JsonSchema;
    const present = instance !== ABSENT;
    const push = (c: Omit<Case, "event" | "example" | "choice">) => walked.cases.push({ ...c, event: event.base, example, choice });

    if (typeof schema.$ref === "string") {
      const key = `${file.file}#${at}/$ref`;
      const position = walked.positions.get(key) ?? { kind: "$ref" as const, reached: false };
      walked.positions.set(key, { ...position, reached: position.reached || present });
      const target = resolve(provider, file, schema.$ref);
      if (present) {
        const before = walked.cases.length;
        const required = Array.isArray(target.schema.required) ? (target.schema.required as string[]) : [];
        if (isObject(instance)) {
          for (const field of required) {
            if (Object.hasOwn(instance, field)) push({ at: key, what: `${target.path} field "${field}" removed`, remove: [`${where}/${token(field)}`], pointer: `${where}/${token(field)}`, keyword: "required" });
          }
        }
        const wrong = walked.cases.length === before && where !== "" ? wrongType(target.schema.type) : ABSENT;
        if (wrong !== ABSENT) push({ at: key, what: `${target.path} value replaced by ${JSON.stringify(wrong)}`, set: { [where]: wrong }, pointer: where, keyword: "type" });
      }
      if (stack.includes(target.file)) throw new Error(`${target.file} refers to itself through ${stack.join(" → ")}`);
      walk(target, target.schema, "", instance, where, choice, [...stack, target.file]);
    }

    if (Array.isArray(schema.enum)) {
      const key = `${file.file}#${at}/enum`;
      const position = walked.positions.get(key) ?? { kind: "enum" as const, reached: false };
      walked.positions.set(key, { ...position, reached: position.reached || present });
      if (present) {
        for (const value of outside(schema.enum, instance)) push({ at: key, what: `${JSON.stringify(value)} outside the enum`, set: { [where]: value }, pointer: where, keyword: "enum" });
      }
    }

    for (const [keyword, value] of Object.entries(schema)) {
      const here = `${at}/${token(keyword)}`;
      if (data.has(keyword) || keyword === "$ref") continue;
      if (maps.includes(keyword) && isObject(value)) {
        for (const [name, child] of Object.entries(value)) {
          let reached: Instance = ABSENT;
          if (keyword === "properties" && isObject(instance) && Object.hasOwn(instance, name)) reached = instance[name];
          if (keyword === "patternProperties" && isObject(instance)) {
            const keys = Object.keys(instance).filter((k) => new RegExp(name).test(k));
            for (const k of keys) walk(file, child, `${here}/${token(name)}`, instance[k], `${where}/${token(k)}`, choice, stack);
            if (keys.length > 0) continue;
          }
          walk(file, child, `${here}/${token(name)}`, reached, keyword === "properties" ? `${where}/${token(name)}` : where, choice, stack);
        }
      } else if (lists.includes(keyword) && Array.isArray(value)) {
        value.forEach((child, i) => {
          if (keyword === "prefixItems") {
            const item = Array.isArray(instance) && i < instance.length ? instance[i] : ABSENT;
            return walk(file, child, `${here}/${i}`, item, `${where}/${i}`, choice, stack);
          }
          const alternative = keyword === "anyOf" || keyword === "oneOf";
          // A branch is reached only by an instance it accepts: the others describe other shapes.
          const reached = present && (!alternative || matches(file, `${here}/${i}`, instance)) ? instance : ABSENT;
          walk(file, child, `${here}/${i}`, reached, where, choice || alternative, stack);
        });
      } else if (keyword === "items" && isObject(value)) {
        const skip = Array.isArray(schema.prefixItems) ? schema.prefixItems.length : 0;
        const items = Array.isArray(instance) ? instance.slice(skip) : [];
        items.forEach((item, i) => walk(file, value, here, item, `${where}/${i + skip}`, choice, stack));
        if (items.length === 0) walk(file, value, here, ABSENT, where, choice, stack);
      } else if (keyword === "additionalProperties" && isObject(value)) {
        const declared = isObject(schema.properties) ? Object.keys(schema.properties) : [];
        const patterns = isObject(schema.patternProperties) ? Object.keys(schema.patternProperties).map((p) => new RegExp(p)) : [];
        const extra = isObject(instance) ? Object.keys(instance).filter((k) => !declared.includes(k) && !patterns.some((p) => p.test(k))) : [];
        for (const k of extra) walk(file, value, here, (instance as Record<string, unknown>)[k], `${where}/${token(k)}`, choice, stack);
        if (extra.length === 0) walk(file, value, here, ABSENT, where, choice, stack);
      } else if (single.includes(keyword)) {
        // not, if/then/else, propertyNames, contains…: their places are listed as unreached, not broken.
        walk(file, value, here, ABSENT, where, choice, stack);
      } else if (typeof value === "object" && value !== null) {
        throw new Error(`${file.file}#${here}: a keyword this walk does not know; teach it before relying on its counts`);
      }
    }
  }
}

/** Values of the same JSON type as `current` that are not in `values`. */
function outside(values: unknown[], current: unknown): unknown[] {
  const candidates: unknown[] = [];
  if (typeof current === "string") candidates.push(`${current}x`, current === current.toLowerCase() ? current.toUpperCase() : current.toLowerCase(), "");
  else if (typeof current === "number") candidates.push(Math.max(...values.filter((v): v is number => typeof v === "number")) + 1, current + 0.5);
  else if (typeof current === "boolean") candidates.push(!current);
  return candidates.filter((value, i) => !values.some((v) => v === value) && candidates.indexOf(value) === i);
}

/** A value of a JSON type that `type` does not allow, or ABSENT when `type` is not given. */
function wrongType(type: unknown): Instance {
  if (type === undefined) return ABSENT;
  const allowed = [type].flat() as string[];
  const samples: [string[], unknown][] = [[["string"], "x"], [["integer", "number"], 42], [["boolean"], true], [["null"], null], [["array"], []], [["object"], {}]];
  const sample = samples.find(([types]) => !types.some((t) => allowed.includes(t)));
  return sample ? sample[1] : ABSENT;
}

/**
 * Whether the refusal names the case's place: the first issue (the error's pointer) outside
 * anyOf/oneOf; any issue inside, where the branches that do not fit report first. An event
 * without its type cannot be validated at all: the error names the pointer, with no issues.
 */
function refusedAt(error: { pointer?: string; issues?: readonly { pointer: string; keyword: string }[] }, c: Case): boolean {
  if (error.issues === undefined) return error.pointer === c.pointer;
  if (c.choice) return error.issues.some((i) => i.pointer === c.pointer && i.keyword === c.keyword);
  return error.pointer === c.pointer && error.issues[0]?.pointer === c.pointer && error.issues[0]?.keyword === c.keyword;
}

/** `file#pointer` of every `$ref` and `enum` keyword in the files an event schema reaches, found by a plain scan of the JSON. */
function keywordsIn(provider: LoadedProvider, event: SchemaFile): Set<string> {
  const found = new Set<string>();
  const files = [event];
  for (let i = 0; i < files.length; i++) scan(files[i]!, files[i]!.schema, "", false);
  return found;

  function scan(file: SchemaFile, node: unknown, at: string, isMap: boolean): void {
    if (typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) return node.forEach((item, i) => scan(file, item, `${at}/${i}`, false));
    for (const [key, value] of Object.entries(node)) {
      if (isMap) scan(file, value, `${at}/${token(key)}`, false);
      else if (key === "$ref" && typeof value === "string") {
        found.add(`${file.file}#${at}/$ref`);
        const target = resolve(provider, file, value);
        if (!files.includes(target)) files.push(target);
      } else if (key === "enum") found.add(`${file.file}#${at}/enum`);
      else if (!data.has(key)) scan(file, value, `${at}/${token(key)}`, maps.includes(key));
    }
  }
}

function token(key: string | number): string {
  return String(key).replace(/~/g, "~0").replace(/\//g, "~1");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// The walk over every event of every provider, before the tests are declared; each broken
// example is judged by the independent ajv once, here.
const walks = loaded.map((provider) => ({
  provider,
  events: provider.events.map((event) => {
    const { cases, positions } = walkEvent(provider, event);
    const validate = reference.getSchema(String(event.schema.$id))!;
    const judged = cases.map((c) => {
      const broken = mutate((event.schema.examples as unknown[])[c.example], c);
      return { ...c, broken, stillValid: validate(broken) as boolean };
    });
    return { event, positions, cases: judged };
  }),
}));

describe("every $ref and enum of every event schema, broken in the examples, is refused at its pointer", () => {
  for (const { provider, events } of walks) {
    describe(provider.name, () => {
      for (const { event, cases } of events) {
        it(`${event.base}: ${cases.length} broken examples`, () => {
          const wrong: string[] = [];
          for (const c of cases) {
            const label = `example ${c.example}, ${c.at}: ${c.what}`;
            if (c.stillValid) {
              if (!c.choice) wrong.push(`${label}: the schema itself accepts it (a mistake of this test's walk)`);
              continue; // another anyOf/oneOf branch accepts it: nothing to refuse (counted by "the walk")
            }
            const result = parseDelivery(provider.name as Provider, { headers: {}, body: encodeBody(provider.name, c.broken) });
            if (result.ok) wrong.push(`${label}: accepted`);
            else if (result.error.code !== "invalid") wrong.push(`${label}: refused as ${result.error.code}, not invalid`);
            else if (!refusedAt(result.error, c)) {
              wrong.push(`${label}: refused at ${result.error.pointer} (${result.error.issues?.map((i) => `${i.pointer} ${i.keyword}`).join(", ")}), not at ${c.pointer} (${c.keyword})`);
            }
          }
          expect(wrong).toEqual([]);
        });
      }
    });
  }
});

describe("the walk", () => {
  it("passes every $ref and enum keyword of the files each event reaches (none skipped), and lists the places no example reaches", () => {
    const unreached: string[] = [];
    const totals = { $ref: 0, enum: 0, reached: 0, cases: 0, alternatives: 0, acceptedByAnotherBranch: 0 };
    for (const { provider, events } of walks) {
      for (const { event, positions, cases } of events) {
        expect(new Set(positions.keys()), event.file).toEqual(keywordsIn(provider, event));
        for (const [at, { kind, reached }] of positions) {
          totals[kind]++;
          if (reached) totals.reached++;
          else unreached.push(`${provider.name} ${event.base}: ${at}`);
        }
        totals.cases += cases.length;
        totals.alternatives += cases.filter((c) => c.choice).length;
        totals.acceptedByAnotherBranch += cases.filter((c) => c.choice && c.stillValid).length;
      }
    }
    console.log(
      `schema-derived: ${totals.$ref} $ref and ${totals.enum} enum places (per event), ${totals.reached} reached by an example, ` +
        `${totals.cases} broken examples (${totals.alternatives} under anyOf/oneOf, ${totals.acceptedByAnotherBranch} of them valid through another branch, not asserted); ` +
        `${unreached.length} places no example reaches:\n` +
        unreached.map((line) => `  ${line}`).join("\n"),
    );
    expect(totals.reached).toBeGreaterThan(0);
    expect(totals.cases).toBeGreaterThanOrEqual(totals.reached);
  });
});
