import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { toInterfaces } from "../generator/emit/interfaces.js";
import type { JsonSchema, LoadedProvider } from "../generator/load.js";
import { buildModel } from "../generator/model.js";
import { classify, levelOf, type Change, type Level } from "../generator/release.js";
import { providers } from "./support.js";

/**
 * The release classification checked against two oracles that know nothing of the walker it
 * uses. For a catalogue of schema changes, each applied at every position an event can hold an
 * object, and for the issue's own case on Daily's real schemas:
 * (a) TypeScript: the generated type of each event, before and after, one program for all.
 *     Wider: code written against the old type stops compiling — the new type is not assignable
 *     to the old one once each optional property counts as present (so reading a removed field
 *     fails too). Narrower: the old type is not assignable to the new one.
 * (b) Instances: values generated from the old schema (fast-check; declared fields only, as
 *     deliveries carry them) that the old validator accepts and the new one refuses.
 * Either finding means breaking; neither, not breaking. The classification must agree, and
 * match the level the catalogue expects.
 */

type Slot = Record<string, any>;
interface Entry {
  readonly change: string;
  readonly expect: Level | "none";
  /** Where in the object the change shows, e.g. `/name`. */
  readonly at: string;
  readonly before?: (slot: Slot) => void;
  readonly after: (slot: Slot) => void;
}

/** The object each change is made to: a field of each kind, of which each change keeps the one it touches (and `id`). */
const slot = (): Slot => ({
  type: "object",
  description: "The object the change is made to.",
  properties: {
    id: { type: "string", description: "Always there." },
    name: { type: "string", description: "A string." },
    count: { type: "integer", description: "An integer." },
    state: { enum: ["on", "off", "idle"], description: "An enum." },
    flag: { type: "boolean", description: "A boolean." },
    note: { type: ["string", "null"], description: "A nullable string." },
    ratio: { type: "number", description: "A number." },
    tags: { type: "array", items: { type: "string" }, description: "A list." },
    info: { type: "object", properties: { x: { type: "string", description: "A nested string." } }, description: "An object." },
    labels: { type: "object", additionalProperties: { type: "string" }, description: "A map." },
  },
  required: ["id", "name", "count", "state"],
});

/** The object before and after a change, without the fields the change leaves alone. */
function versions(entry: Entry): Record<"before" | "after", Slot> {
  const before = slot();
  entry.before?.(before);
  const after = structuredClone(before);
  entry.after(after);
  const names = Object.keys({ ...before.properties, ...after.properties }).filter((name) => name === "id" || JSON.stringify(before.properties[name]) !== JSON.stringify(after.properties[name]) || before.required.includes(name) !== after.required.includes(name));
  for (const object of [before, after]) {
    object.properties = Object.fromEntries(Object.entries(object.properties).filter(([name]) => names.includes(name)));
    object.required = object.required.filter((name: string) => names.includes(name));
  }
  return { before, after };
}

const catalogue: readonly Entry[] = [
  // Nothing a consumer sees, or only words.
  { change: "a field's description reworded", expect: "fix", at: "/name", after: (s) => (s.properties.name.description = "Reworded.") },
  { change: "the object's description reworded", expect: "fix", at: "", after: (s) => (s.description = "Reworded.") },
  { change: "an example given to a field", expect: "fix", at: "/name", after: (s) => (s.properties.name.examples = ["Ada"]) },
  { change: "a default documented", expect: "fix", at: "/count", after: (s) => (s.properties.count.default = 1) },
  { change: "a $comment added", expect: "none", at: "/name", after: (s) => (s.properties.name.$comment = "Checked on 2026-11-30.") },
  { change: "a type list written as anyOf", expect: "none", at: "/note", after: (s) => (s.properties.note = { anyOf: [{ type: "string" }, { type: "null" }], description: "A nullable string." }) },
  { change: "a type list reordered", expect: "none", at: "/note", after: (s) => (s.properties.note.type = ["null", "string"]) },
  { change: "an anyOf of disjoint types made oneOf", expect: "none", at: "/note", before: (s) => (s.properties.note = { anyOf: [{ type: "string" }, { type: "null" }], description: "A nullable string." }), after: (s) => (s.properties.note = { oneOf: s.properties.note.anyOf, description: "A nullable string." }) },
  { change: "a field no longer deprecated", expect: "fix", at: "/flag", before: (s) => (s.properties.flag.deprecated = true), after: (s) => delete s.properties.flag.deprecated },
  // More of the same: what compiled compiles, what validated validates.
  { change: "an optional field added", expect: "feature", at: "/extra", after: (s) => (s.properties.extra = { type: "string", description: "New." }) },
  { change: "an optional object added", expect: "feature", at: "/extra", after: (s) => (s.properties.extra = { type: "object", properties: { y: { type: "integer", description: "Y." } }, required: ["y"], description: "New." }) },
  { change: "a field declared in an object that had none", expect: "feature", at: "/info/x", before: (s) => delete s.properties.info.properties, after: (s) => (s.properties.info.properties = { x: { type: "string", description: "A nested string." } }) },
  { change: "a field deprecated", expect: "feature", at: "/flag", after: (s) => (s.properties.flag.deprecated = true) },
  { change: "an integer widened to a number", expect: "fix", at: "/count", after: (s) => (s.properties.count.type = "number") },
  { change: "a minLength dropped", expect: "fix", at: "/name", before: (s) => (s.properties.name.minLength = 1), after: (s) => delete s.properties.name.minLength },
  { change: "a maxLength raised", expect: "fix", at: "/name", before: (s) => (s.properties.name.maxLength = 5), after: (s) => (s.properties.name.maxLength = 50) },
  { change: "a pattern dropped", expect: "fix", at: "/name", before: (s) => (s.properties.name.pattern = "^[a-z]+$"), after: (s) => delete s.properties.name.pattern },
  { change: "a minimum lowered", expect: "fix", at: "/count", before: (s) => (s.properties.count.minimum = 10), after: (s) => (s.properties.count.minimum = 0) },
  // Narrower: deliveries that validated may be refused.
  { change: "a required field added", expect: "breaking", at: "/extra", after: (s) => ((s.properties.extra = { type: "string", description: "New." }), s.required.push("extra")) },
  { change: "an optional field made required", expect: "breaking", at: "/note", after: (s) => s.required.push("note") },
  { change: "a nullable field made non-null", expect: "breaking", at: "/note", after: (s) => (s.properties.note.type = "string") },
  { change: "an enum value removed", expect: "breaking", at: "/state", after: (s) => (s.properties.state.enum = ["on", "off"]) },
  { change: "a boolean narrowed to a string", expect: "breaking", at: "/flag", after: (s) => (s.properties.flag.type = "string") },
  { change: "a number narrowed to an integer", expect: "breaking", at: "/ratio", after: (s) => (s.properties.ratio.type = "integer") },
  { change: "a minLength added", expect: "breaking", at: "/name", after: (s) => (s.properties.name.minLength = 3) },
  { change: "a maxLength lowered", expect: "breaking", at: "/name", before: (s) => (s.properties.name.maxLength = 50), after: (s) => (s.properties.name.maxLength = 2) },
  { change: "a pattern added", expect: "breaking", at: "/name", after: (s) => (s.properties.name.pattern = "^[a-z]+$") },
  { change: "a pattern changed", expect: "breaking", at: "/name", before: (s) => (s.properties.name.pattern = "^[a-z]+$"), after: (s) => (s.properties.name.pattern = "^[a-z]{3,}$") },
  { change: "a minimum raised", expect: "breaking", at: "/count", before: (s) => (s.properties.count.minimum = 0), after: (s) => (s.properties.count.minimum = 10) },
  { change: "a multipleOf added", expect: "breaking", at: "/ratio", after: (s) => (s.properties.ratio.multipleOf = 0.5) },
  { change: "array items narrowed to an enum", expect: "breaking", at: "/tags/*", after: (s) => (s.properties.tags.items = { enum: ["a", "b"] }) },
  { change: "a minItems added", expect: "breaking", at: "/tags", after: (s) => (s.properties.tags.minItems = 2) },
  { change: "a const changed", expect: "breaking", at: "/state", before: (s) => (s.properties.state = { const: "on", description: "A const." }), after: (s) => (s.properties.state.const = "off") },
  { change: "a not added", expect: "breaking", at: "/note", after: (s) => (s.properties.note.not = { type: "null" }) },
  { change: "map values given a maxLength", expect: "breaking", at: "/labels/*", after: (s) => (s.properties.labels.additionalProperties.maxLength = 2) },
  { change: "a type given to an untyped field", expect: "breaking", at: "/name", before: (s) => (s.properties.name = { description: "Anything." }), after: (s) => (s.properties.name.type = "string") },
  { change: "an anyOf branch removed", expect: "breaking", at: "/note", before: (s) => (s.properties.note = { anyOf: [{ type: "string" }, { type: "null" }], description: "A nullable string." }), after: (s) => s.properties.note.anyOf.pop() },
  // Wider: code that compiled may stop compiling.
  { change: "a required field made optional", expect: "breaking", at: "/name", after: (s) => (s.required = ["id", "count", "state"]) },
  { change: "a field made nullable", expect: "breaking", at: "/name", after: (s) => (s.properties.name.type = ["string", "null"]) },
  { change: "an enum value added", expect: "breaking", at: "/state", after: (s) => s.properties.state.enum.push("away") },
  { change: "an enum opened to any string", expect: "breaking", at: "/state", after: (s) => (s.properties.state = { type: "string", description: "A string." }) },
  { change: "an optional field removed", expect: "breaking", at: "/note", after: (s) => delete s.properties.note },
  { change: "a required field removed", expect: "breaking", at: "/name", after: (s) => ((s.required = ["id", "count", "state"]), delete s.properties.name) },
  { change: "an anyOf branch added", expect: "breaking", at: "/flag", after: (s) => (s.properties.flag = { anyOf: [{ type: "boolean" }, { type: "string" }], description: "A boolean or a string." }) },
  { change: "an integer that may be a string too", expect: "breaking", at: "/count", after: (s) => (s.properties.count.type = ["integer", "string"]) },
  { change: "array items widened", expect: "breaking", at: "/tags/*", after: (s) => (s.properties.tags.items.type = ["string", "integer"]) },
  { change: "a field's type dropped", expect: "breaking", at: "/name", after: (s) => (s.properties.name = { description: "Anything." }) },
  { change: "an object's fields dropped", expect: "breaking", at: "/info/x", after: (s) => delete s.properties.info.properties },
  { change: "a maxItems dropped (the generated type counts items)", expect: "breaking", at: "/tags", before: (s) => (s.properties.tags.maxItems = 2), after: (s) => delete s.properties.tags.maxItems },
  { change: "an integer changed to a string", expect: "breaking", at: "/count", after: (s) => (s.properties.count.type = "string") },
];

/** Where an event can hold the object: the pointer of the place, and how to put the object there (in a common/ part or not). */
const positions: readonly { name: string; pointer: string; place: (slot: Slot, ref: string) => { event: Slot; common?: Slot } }[] = [
  { name: "root", pointer: "", place: (s) => ({ event: s }) },
  { name: "nested object", pointer: "/data", place: (s) => ({ event: holder({ data: s }) }) },
  { name: "anyOf branch", pointer: "/choice", place: (s) => ({ event: holder({ choice: { anyOf: [{ type: "boolean" }, s], description: "A choice." } }) }) },
  { name: "array item", pointer: "/list/*", place: (s) => ({ event: holder({ list: { type: "array", items: s, description: "A list." } }) }) },
  { name: "map value", pointer: "/map/*", place: (s) => ({ event: holder({ map: { type: "object", additionalProperties: s, description: "A map." } }) }) },
  { name: "common/ part", pointer: "/part", place: (s, ref) => ({ event: holder({ part: { $ref: ref } }), common: s }) },
  { name: "anyOf branch in common/ (as Daily's canReceive)", pointer: "/media", place: (s, ref) => ({ event: holder({ media: { anyOf: [{ type: "boolean" }, { $ref: ref }], description: "Media." } }), common: s }) },
  { name: "allOf base", pointer: "", place: (s, ref) => ({ event: { ...holder({}), allOf: [{ $ref: ref }] }, common: s }) },
];

function holder(properties: Slot): Slot {
  return { type: "object", description: "An event.", properties, required: [] };
}

/** One version of the catalogue as a provider: an event (and maybe a common part) per entry and position, each event with its discriminant. */
function catalogueProvider(side: "before" | "after"): LoadedProvider {
  const events: LoadedProvider["events"][number][] = [];
  const shared: LoadedProvider["shared"][number][] = [];
  const header = (path: string) => ({ $schema: "https://json-schema.org/draft/2020-12/schema", $id: `https://confhooks.dev/schemas/${path}`, title: path });
  catalogue.forEach((entry, e) => positions.forEach((position, p) => {
    const id = `c${e}-p${p}`;
    const { event, common } = position.place(versions(entry)[side], `common/part-${id}.schema.json`);
    event.properties = { type: { const: id }, ...event.properties };
    event.required = ["type", ...event.required];
    events.push({ file: `acme/${id}`, path: `acme/${id}.schema.json`, base: id, schema: { ...header(`acme/${id}.schema.json`), ...event } });
    if (common) shared.push({ file: `acme/common/${id}`, path: `acme/common/part-${id}.schema.json`, base: `part-${id}`, schema: { ...header(`acme/common/part-${id}.schema.json`), ...common } });
  }));
  // buildModel reads only these two of provider.json.
  return { name: "acme", manifestFile: "acme/provider.json", manifest: { typePrefix: "Acme", envelope: { discriminant: "/type" } } as never, events, shared, answers: [] };
}

/** The case: Daily's `receive-media.video` narrowed from boolean to string, inside an `anyOf`. */
const daily = (await providers()).filter((provider) => provider.name === "daily");
const dailyAfter = structuredClone(daily);
(dailyAfter[0]!.shared.find((file) => file.base === "receive-media")!.schema.properties as Slot).video.type = "string";

const before = [catalogueProvider("before"), ...daily];
const after = [catalogueProvider("after"), ...dailyAfter];
const changes = classify(before, after);
const byEvent = new Map<string, Change[]>();
for (const change of changes) byEvent.set(`${change.provider}/${change.event}`, [...(byEvent.get(`${change.provider}/${change.event}`) ?? []), change]);

// (a) TypeScript: the generated interfaces of both versions in two namespaces, two assignments per event, one program.
const interfaces = async (providers: LoadedProvider[]) => (await Promise.all(buildModel(providers).map(toInterfaces))).join("\n");
const events = after.flatMap((provider) => buildModel([provider])[0]!.events.map((event) => ({ key: `${provider.name}/${event.type}`, typeName: event.typeName })));
const failed = typeErrors({
  "/was.d.ts": `declare namespace Was {\n${await interfaces(before)}\n}`,
  "/is.d.ts": `declare namespace Is {\n${await interfaces(after)}\n}`,
  "/check.ts": [
    "declare function value<T>(): T;",
    "declare const missing: unique symbol;",
    "/** What code reading a value sees: every optional property present, maybe `missing` (not `undefined`, which `-?` would drop). */",
    "type Read<T> = T extends readonly unknown[] ? { [K in keyof T]: Read<T[K]> } : T extends object ? { [K in keyof T]-?: Read<T[K]> | ({} extends Pick<T, K> ? typeof missing : never) } : T;",
    ...events.flatMap(({ typeName }) => [
      `export const wider_${typeName}: Read<Was.${typeName}> = value<Read<Is.${typeName}>>();`,
      `export const narrower_${typeName}: Is.${typeName} = value<Was.${typeName}>();`,
    ]),
  ].join("\n"),
});

/** The names of the checks of /check.ts that do not compile. Only /check.ts is checked: the declarations are what the generator emits. */
function typeErrors(files: Record<string, string>): Set<string | undefined> {
  const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib: ["lib.es5.d.ts"], types: [] };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile;
  host.getSourceFile = (name, language) => (name in files ? ts.createSourceFile(name, files[name]!, language) : read(name, language));
  const program = ts.createProgram(Object.keys(files), options, host);
  const check = program.getSourceFile("/check.ts")!;
  const diagnostics = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics(check)];
  return new Set(diagnostics.map((diagnostic) => diagnostic.file === check ? /(wider|narrower)_\w+/.exec(check.text.slice(diagnostic.start).split("\n")[0]!)?.[0] : undefined));
}

// (b) Instances: values of the old schema, validated by the new validators.
const validators = (providers: LoadedProvider[]) => {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, unicode: false, unicodeRegExp: false, logger: false, code: { optimize: false } });
  for (const provider of providers) for (const file of [...provider.shared, ...provider.events]) ajv.addSchema(file.schema);
  return (id: string) => ajv.getSchema(id) as ValidateFunction;
};
const [validateBefore, validateAfter] = [validators(before), validators(after)];
const schemasBefore = new Map(before.flatMap((provider) => [...provider.shared, ...provider.events]).map((file) => [String(file.schema.$id), file.schema]));

/** Values of `schema` (fields it declares only), independent of generator/walk.ts. */
function values(schema: unknown, base: string): fc.Arbitrary<unknown> {
  if (typeof schema !== "object" || schema === null) return fc.jsonValue({ maxDepth: 1 });
  let node = schema as JsonSchema;
  if (typeof node.$ref === "string") {
    const id = new URL(node.$ref, base).href;
    return values(schemasBefore.get(id), id);
  }
  for (const { $ref } of (node.allOf as { $ref: string }[] | undefined) ?? []) {
    const id = new URL($ref, base).href;
    const part = schemasBefore.get(id)!;
    node = { ...node, allOf: undefined, properties: { ...(part.properties as object), ...(node.properties as object) }, required: [...((part.required as string[]) ?? []), ...((node.required as string[]) ?? [])] };
  }
  const branches = (node.anyOf ?? node.oneOf) as unknown[] | undefined;
  if (branches) return fc.oneof(...branches.map((branch) => values({ ...node, anyOf: undefined, oneOf: undefined, ...(branch as object) }, base)));
  if ("const" in node) return fc.constant(node.const);
  if (Array.isArray(node.enum)) return fc.constantFrom(...node.enum);
  const types = node.type === undefined ? ["any"] : [node.type].flat().map(String);
  return fc.oneof(...types.map((type) => valuesOfType(node, type, base)));
}

function valuesOfType(node: JsonSchema, type: string, base: string): fc.Arbitrary<unknown> {
  const n = (keyword: string) => node[keyword] as number | undefined;
  switch (type) {
    case "string":
      return (typeof node.pattern === "string" ? fc.stringMatching(new RegExp(node.pattern)) : fc.string({ minLength: n("minLength") ?? 0, maxLength: n("maxLength") ?? 8 }))
        .filter((text) => text.length >= (n("minLength") ?? 0) && text.length <= (n("maxLength") ?? Infinity));
    case "integer":
      return fc.integer({ min: n("minimum") ?? -1000, max: n("maximum") ?? 1000 });
    case "number":
      return n("multipleOf") ? fc.integer({ min: -100, max: 100 }).map((k) => k * n("multipleOf")!) : fc.double({ min: n("minimum") ?? -1e6, max: n("maximum") ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(values(node.items, base), { minLength: Math.max(1, n("minItems") ?? 0), maxLength: n("maxItems") ?? 3 });
    case "object": {
      const properties = Object.entries((node.properties as Record<string, unknown>) ?? {});
      const required = new Set((node.required as string[]) ?? []);
      const fields = properties.map(([name, child]) => {
        const value = values(child, base).map((v) => [name, v] as const);
        return required.has(name) ? value : fc.oneof({ weight: 3, arbitrary: value }, { weight: 1, arbitrary: fc.constant(undefined) });
      });
      const others = node.additionalProperties === undefined ? fc.constant([]) : fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 4 }).filter((key) => !properties.some(([name]) => name === key)), values(node.additionalProperties, base)), { minLength: 1, maxLength: 3 });
      return fc.tuple(fc.tuple(...fields), others).map(([own, extra]) => Object.fromEntries([...extra, ...own.filter((field) => field !== undefined)]));
    }
    default:
      return fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
  }
}

/** Values of the old version of `event` the old validator accepts and the new one refuses. */
function refused(provider: string, event: string): unknown[] {
  const id = `https://confhooks.dev/schemas/${provider}/${event}.schema.json`;
  const samples = fc.sample(values(schemasBefore.get(id), id), { numRuns: 40, seed: 23 });
  const valid = samples.filter((sample) => validateBefore(id)(sample));
  expect(valid.length, `values generated for ${provider}/${event} that its schema accepts`).toBeGreaterThan(samples.length / 2);
  return valid.filter((sample) => !validateAfter(id)(sample));
}

/** The oracles' verdict on one event, with the evidence, and the classification's. */
function verdicts(provider: string, event: string, typeName: string) {
  const wider = failed.has(`wider_${typeName}`);
  const narrower = failed.has(`narrower_${typeName}`);
  const refusedValues = refused(provider, event);
  const own: Change[] = byEvent.get(`${provider}/${event}`) ?? [];
  return {
    oracle: wider || narrower || refusedValues.length > 0 ? "breaking" : "not breaking",
    classified: levelOf(own) ?? "none",
    evidence: { wider, narrower, refused: refusedValues.slice(0, 2), changes: own.map((c) => `${c.level}: ${c.pointer} ${c.message}`) },
    own,
  };
}

describe("the release classification agrees with TypeScript and with instances", () => {
  catalogue.forEach((entry, e) => {
    it(`${entry.change}: ${entry.expect} at every position`, () => {
      positions.forEach((position, p) => {
        const id = `c${e}-p${p}`;
        const { oracle, classified, evidence, own } = verdicts("acme", id, events.find((event) => event.key === `acme/${id}`)!.typeName);
        const where = `${entry.change} at the ${position.name}: ${JSON.stringify(evidence)}`;
        expect(classified, where).toBe(entry.expect);
        expect(oracle, where).toBe(classified === "breaking" ? "breaking" : "not breaking");
        for (const change of own) expect(change.pointer, where).toBe(`${position.pointer}${entry.at}`);
      });
    });
  });

  it("Daily's receive-media.video narrowed from boolean to string inside an anyOf: breaking for the events that carry it, nothing for the others", () => {
    const carriers = ["participant.joined", "participant.left", "waiting-participant.joined", "waiting-participant.left"];
    for (const event of buildModel(daily)[0]!.events) {
      const { oracle, classified, evidence, own } = verdicts("daily", event.type, event.typeName);
      expect(classified, `${event.type}: ${JSON.stringify(evidence)}`).toBe(carriers.includes(event.type) ? "breaking" : "none");
      expect(oracle, `${event.type}: ${JSON.stringify(evidence)}`).toBe(classified === "breaking" ? "breaking" : "not breaking");
      if (carriers.includes(event.type)) {
        expect(own.map((change) => change.pointer).sort()).toEqual(["base", "byUserId/*", "bySessionId/*"].map((at) => `/payload/permissions/canReceive/${at}/video`).sort());
      }
    }
  });

  it(`covers at least 30 changes at ${positions.length} positions; every type error is one of the checks`, () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(30);
    expect(new Set(catalogue.map((entry) => entry.change)).size).toBe(catalogue.length);
    expect([...failed].filter((check) => check === undefined)).toEqual([]);
  });
});
