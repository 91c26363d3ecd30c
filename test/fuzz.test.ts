import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createTrigger, parseDelivery, signDelivery, verifyDelivery, verifyDeliveryAsync, type Provider } from "../generated/src/index.js";
import { encodeBody, optionsFor, providers } from "./support.js";

/**
 * Properties over arbitrary input, per provider: nothing throws or rejects, nothing is accepted
 * that an independent ajv (the schema files compiled here, not the generated code) refuses, and
 * nothing reaches Object.prototype. `npm run fuzz` runs them with FUZZ_RUNS=100000.
 */
const runs = Number(process.env.FUZZ_RUNS ?? 300);
const timeout = Math.max(60_000, runs * 5);
const loaded = await providers();

const ajv = new Ajv2020({ strict: false, allowUnionTypes: true });
for (const provider of loaded) for (const { schema } of [...provider.shared, ...provider.events]) ajv.addSchema(schema);
const schemaId = (provider: string, type: string) => `https://confhooks.dev/schemas/${provider}/${type}.schema.json`;

const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort().join();
const pristine = prototypeKeys();

/** JSON values that like to break parsers: prototype keys, deep nesting, odd strings and numbers. */
const nasty = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(null, true, false, 0, -0, 1e308, -1, 1.5, "", "__proto__", "constructor", "\u0000", "\ud800", "x".repeat(300)),
    fc.string(),
    fc.double({ noNaN: true }),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("__proto__", "constructor", "prototype", "type", "data", "id", "event", "payload")), tie("value"), { maxKeys: 5 }),
  ),
})).value;

/** A valid example with one value somewhere in it replaced, removed or added. */
function mutated(example: unknown) {
  return fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.constantFrom("replace", "remove", "add"), nasty).map(([path, how, value]) => {
    const copy = structuredClone(example) as Record<string, unknown>;
    let node: any = copy;
    for (const step of path.slice(0, -1)) {
      const keys = node && typeof node === "object" ? Object.keys(node) : [];
      if (keys.length === 0) break;
      const next = node[keys[step % keys.length]!];
      if (!next || typeof next !== "object") break;
      node = next;
    }
    const keys = Object.keys(node);
    const key = keys.length > 0 ? keys[path.at(-1)! % keys.length]! : "extra";
    if (how === "remove") delete node[key];
    else if (how === "add") node[`fuzz${path.length}`] = value;
    else node[key] = value;
    return copy;
  });
}

for (const provider of loaded) {
  const name = provider.name as Provider;
  const options = optionsFor(provider);
  const examples = provider.events.flatMap((event) => event.schema.examples as unknown[]);
  const bodies = fc.oneof(
    fc.string(),
    fc.uint8Array({ maxLength: 200 }),
    nasty.map((value) => JSON.stringify(value) ?? "null"),
    fc.constantFrom(...examples).chain(mutated).map((event) => encodeBody(name, event)),
  );
  const headers = fc.dictionary(
    fc.oneof(fc.constantFrom("whereby-signature", "x-webhook-signature", "x-webhook-timestamp", "x-signing-token", "authorization", "__proto__"), fc.string()),
    fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 2 }), fc.constant(undefined)),
    { maxKeys: 4 },
  );
  const requests = fc.record({ method: fc.constantFrom("POST", "GET", undefined), url: fc.oneof(fc.constant("/"), fc.string().map((s) => `/?checksum=${s}`), fc.constant(undefined)), headers, body: bodies });

  describe(`${name}: for any input`, () => {
    it("parseDelivery, verifyDelivery and verifyDeliveryAsync never throw, and parsing accepts only what ajv accepts", async () => {
      await fc.assert(
        fc.asyncProperty(requests, async (request) => {
          const parsed = parseDelivery(name, request);
          if (parsed.ok) for (const { type, event } of parsed.events) expect(ajv.validate(schemaId(name, type), event), `${type} accepted, ajv refuses: ${ajv.errorsText()}`).toBe(true);
          expect(verifyDelivery(name, request, options).ok).toBe(false);
          expect((await verifyDeliveryAsync(name, request, options)).ok).toBe(false);
          expect(prototypeKeys()).toBe(pristine);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        }),
        { numRuns: runs },
      );
    }, timeout);

    it("a signed delivery of a mutated event: handleDelivery answers, never rejects, and matches only events ajv accepts", async () => {
      const matched: { type: string; event: unknown }[] = [];
      const trigger = createTrigger({ provider: name, ...options, dedupe: false, onError: () => {}, onInvalid: () => {}, onUnknown: () => {} } as never);
      trigger.on("trigger_event_success", (parsed: { type: string; event: unknown }) => matched.push(parsed));
      const always = Object.fromEntries(provider.events.map((event) => [event.base, () => true]));
      const matching = createTrigger({ provider: name, ...options, dedupe: false, webhookTriggers: always, onError: () => {}, onInvalid: () => {}, onUnknown: () => {} } as never);
      matching.on("trigger_event_success", (parsed: { type: string; event: unknown }) => matched.push(parsed));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...examples).chain(mutated), async (event) => {
          matched.length = 0;
          const request = await signDelivery(name, event as never, options);
          for (const receiver of [trigger, matching]) {
            const response = await receiver.handleDelivery(request);
            expect([200, 202]).toContain(response.status);
          }
          for (const { type, event: accepted } of matched) expect(ajv.validate(schemaId(name, type), accepted)).toBe(true);
          expect(prototypeKeys()).toBe(pristine);
        }),
        { numRuns: runs },
      );
    }, timeout);
  });
}
