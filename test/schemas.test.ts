import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { eventTypeName } from "../generator/naming.js";
import { mutate, providers, root, type InvalidCase } from "./support.js";

const loaded = await providers();
const documented = JSON.parse(await readFile(path.join(root, "test/fixtures/documented-events.json"), "utf8")) as Record<string, string[]>;

describe("coverage of the documented events", () => {
  it("has a folder for every documented provider and no other", () => {
    expect(loaded.map((p) => p.name).sort()).toEqual(Object.keys(documented).filter((k) => !k.startsWith("$")).sort());
  });
  for (const provider of loaded) {
    it(`${provider.name}: one schema per documented event, none missing, none extra`, () => {
      expect(provider.events.map((e) => e.base).sort()).toEqual([...(documented[provider.name] ?? [])].sort());
    });
  }
});

for (const provider of loaded) {
  const prefix = provider.manifest.typePrefix;
  const api = (await import(`../generated/src/${provider.name}/index.ts`)) as Record<string, unknown>;
  const validateAny = api[`validate${prefix}Event`] as (value: unknown) => { ok: boolean; issues?: { pointer: string; keyword: string; message: string }[] };
  const isAny = api[`is${prefix}Event`] as (value: unknown) => boolean;
  const examples = new Map(provider.events.map((e) => [e.base, e.schema.examples as unknown[]]));

  describe(`${provider.name}: every example is accepted`, () => {
    for (const event of provider.events) {
      it(event.base, () => {
        const validate = api[`validate${eventTypeName(prefix, event.base)}`] as typeof validateAny;
        const guard = api[`is${eventTypeName(prefix, event.base)}`] as typeof isAny;
        for (const example of examples.get(event.base)!) {
          expect(validate(example)).toEqual({ ok: true, value: example });
          expect(validateAny(example)).toEqual({ ok: true, value: example });
          expect(guard(example)).toBe(true);
          expect(isAny(example)).toBe(true);
        }
      });
    }
  });

  describe(`${provider.name}: invalid bodies are rejected with the pointer of the wrong field`, async () => {
    const fixture = path.join(root, `test/fixtures/invalid/${provider.name}.json`);
    const { cases } = JSON.parse(await readFile(fixture, "utf8")) as { cases: InvalidCase[] };
    it("has at least three cases per event family", () => {
      const families = new Set(provider.events.map((e) => family(e.base)));
      for (const name of families) expect(cases.filter((c) => family(c.example) === name).length, name).toBeGreaterThanOrEqual(3);
    });
    for (const testCase of cases) {
      it(testCase.name, () => {
        const body = mutate(examples.get(testCase.example)![0], testCase);
        const result = validateAny(body);
        expect(result.ok).toBe(false);
        expect(result.issues![0]).toMatchObject({ pointer: testCase.pointer, keyword: testCase.keyword });
        expect(result.issues![0]!.message).toMatch(/\w/);
        expect(isAny(body)).toBe(false);
        const guard = api[`is${eventTypeName(prefix, testCase.example)}`] as typeof isAny;
        expect(guard(body)).toBe(false);
      });
    }
  });

  it(`${provider.name}: validators are Standard Schemas`, () => {
    const standard = (validateAny as unknown as { "~standard": { version: number; vendor: string; validate: (v: unknown) => unknown } })["~standard"];
    expect(standard).toMatchObject({ version: 1, vendor: "confhooks" });
    const example = provider.events[0]!.schema.examples as unknown[];
    expect(standard.validate(example[0])).toEqual({ value: example[0] });
    const pointer = provider.manifest.envelope.discriminant;
    const broken = mutate(example[0], { set: { [pointer]: 42 } });
    expect(standard.validate(broken)).toEqual({ issues: [{ message: "must be a string", path: pointer.slice(1).split("/") }] });
  });
}

/** `room.client.joined` → `room.client`, `user-audio-muted` → `user`, `conference_start` → `conference`. */
function family(eventType: string): string {
  const parts = eventType.split(/[.\-_]/);
  return eventType.includes(".") ? eventType.slice(0, eventType.lastIndexOf(".")) : parts[0]!;
}
