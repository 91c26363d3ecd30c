// Tests written to kill mutants that survived `npm run mutate` in generator/runtime/core/validation.ts
// (test/MUTATION.md): the issues a user sees (pointer, keyword, message) and the type guards,
// through the public API with real events (the schemas' first examples) broken at one field. The
// keywords a schema may use but none does today (exclusive bounds, maxLength, minItems, maxItems,
// oneOf, a keyword without words of its own, a required field whose name needs escaping) through
// `createValidator` with a schema compiled here by the generator's own ajv (`createAjv`, the
// instance whose code the generator prints as each provider's compiled.js); the rules recognising
// an event without its discriminant that no provider declares (two values present, none absent)
// through `eventTypeOf`.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  formatIssue, isJaasEvent, isWherebyEvent, validateDailyEvent, validateJaasEvent, validateWherebyEvent,
  validateWherebyRoomClientJoinedEvent, type ValidationIssue,
} from "../generated/src/index.js";
import { createValidator, eventTypeOf, type CompiledSchema } from "../generated/src/runtime/core/validation.js";
import { createAjv } from "../generator/ajv.js";

/** The first example of `schemas/<file>`: a real event, valid. */
const example = (file: string) => JSON.parse(readFileSync(new URL(`../schemas/${file}`, import.meta.url), "utf8")).examples[0];
const joined = example("whereby/room.client.joined.schema.json");
const feedback = example("jaas/FEEDBACK.schema.json");
const dailyJoined = example("daily/participant.joined.schema.json");
const settings = example("jaas/SETTINGS_PROVISIONING.schema.json");

const issue = (pointer: string, keyword: string, message: string): ValidationIssue => ({ pointer, keyword, message });
const refused = (...issues: ValidationIssue[]) => ({ ok: false, issues });
/** Whereby's room.client.joined with `data` changed. */
const joinedWith = (data: object) => ({ ...joined, data: { ...joined.data, ...data } });
/** Daily's participant.joined with `payload.permissions` changed. */
const permissions = (changes: object) => ({ ...dailyJoined, payload: { ...dailyJoined.payload, permissions: { ...dailyJoined.payload.permissions, ...changes } } });

describe("the message of each keyword, at the pointer of the field, on real events", () => {
  it("the examples are valid as they are (what the cases below break)", () => {
    expect(validateWherebyEvent(joined)).toEqual({ ok: true, value: joined });
    expect(validateJaasEvent(feedback)).toEqual({ ok: true, value: feedback });
    expect(validateDailyEvent(dailyJoined)).toEqual({ ok: true, value: dailyJoined });
  });

  it("type, with one type and with several", () => {
    expect(validateWherebyEvent({ ...joined, id: 5 })).toEqual(refused(issue("/id", "type", "must be string")));
    expect(validateDailyEvent(permissions({ canSend: "video" }))).toEqual(refused(issue("/payload/permissions/canSend", "type", "must be array or boolean")));
  });

  it("const, enum, pattern, minLength", () => {
    expect(validateWherebyEvent({ ...joined, apiVersion: "2.0" })).toEqual(refused(issue("/apiVersion", "const", 'must be "1.0"')));
    expect(validateWherebyEvent(joinedWith({ roleName: "king" }))).toEqual(refused(issue("/data/roleName", "enum",
      'must be one of "owner", "member", "host", "visitor", "granted_visitor", "viewer", "granted_viewer", "recorder", "streamer", "captioner", "assistant"')));
    expect(validateWherebyEvent({ ...joined, createdAt: "yesterday" })).toEqual(refused(issue("/createdAt", "pattern",
      String.raw`must match the pattern ^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$`)));
    expect(validateWherebyEvent({ ...joined, id: "" })).toEqual(refused(issue("/id", "minLength", "must have at least 1 characters")));
  });

  it("minimum and maximum", () => {
    expect(validateWherebyEvent(joinedWith({ numClients: -1 }))).toEqual(refused(issue("/data/numClients", "minimum", "must be >= 0")));
    expect(validateJaasEvent({ ...feedback, data: { ...feedback.data, rating: 6 } })).toEqual(refused(issue("/data/rating", "maximum", "must be <= 5")));
    expect(validateJaasEvent({ ...feedback, data: { ...feedback.data, rating: -2 } })).toEqual(refused(issue("/data/rating", "minimum", "must be >= -1")));
  });

  it("anyOf, after the issues of each shape, at a pointer whose key holds / and ~", () => {
    const at = "/payload/permissions/canReceive/byUserId/a~1b~0c";
    expect(validateDailyEvent(permissions({ canReceive: { byUserId: { "a/b~c": "yes" } } }))).toEqual(refused(
      issue(at, "type", "must be boolean"),
      issue(at, "type", "must be object"),
      issue(at, "anyOf", "must match one of the allowed shapes"),
    ));
  });
});

describe("the Standard Schema interface: the pointer as a path of keys", () => {
  it("the event itself is the empty path; tokens are unescaped, ~1 to / and ~0 to ~", () => {
    expect(validateWherebyRoomClientJoinedEvent["~standard"].validate(42)).toEqual({ issues: [{ message: "must be object", path: [] }] });
    const path = ["payload", "permissions", "canReceive", "byUserId", "a~1/~0b"];
    expect(validateDailyEvent["~standard"].validate(permissions({ canReceive: { byUserId: { "a~1/~0b": 1 } } }))).toEqual({ issues: [
      { message: "must be boolean", path },
      { message: "must be object", path },
      { message: "must match one of the allowed shapes", path },
    ] });
    expect(validateWherebyEvent["~standard"].validate(joined)).toEqual({ value: joined });
  });
});

describe("formatIssue", () => {
  it("writes the pointer, or (root) for the event itself, then the message", () => {
    expect(formatIssue(issue("/data/roleName", "enum", 'must be one of "host"'))).toBe('/data/roleName: must be one of "host"');
    const result = validateWherebyRoomClientJoinedEvent("x");
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual(["(root): must be object"]);
  });
});

describe("the event validator's `is`: the discriminant first, then that event's full check", () => {
  /** `validate…Event.is`, which must agree with the result of the validator and with the `is…Event` guard. */
  const guards = (is: (value: unknown) => boolean, validate: (value: unknown) => { ok: boolean }, guard: (value: unknown) => boolean) => (value: unknown) => {
    const answer = is(value);
    expect(answer).toBe(validate(value).ok);
    expect(answer).toBe(guard(value));
    return answer;
  };
  const whereby = guards(validateWherebyEvent.is, validateWherebyEvent, isWherebyEvent);
  const jaas = guards(validateJaasEvent.is, validateJaasEvent, isJaasEvent);

  it("true for a valid event only; false, never a throw, for a missing, unknown or odd discriminant", () => {
    expect(whereby(joined)).toBe(true);
    expect(whereby(joinedWith({ roleName: "king" }))).toBe(false);
    const types = [undefined, "room.client.sneezed", "toString", 7, ["room.client.joined"]];
    types.forEach((type, index) => expect(whereby({ ...joined, type }), `type #${index}`).toBe(false));
    // An object with no way to become a string (a key), which a lookup by it would throw on
    // (`validate` refuses it too: "must be a string").
    expect(validateWherebyEvent.is({ ...joined, type: Object.create(null) })).toBe(false);
    expect(whereby("room.client.joined")).toBe(false);
    expect(whereby(null)).toBe(false);
  });

  it("an event recognised by its values (JaaS's SETTINGS_PROVISIONING) is checked like any other", () => {
    expect(jaas(settings)).toBe(true);
    expect(jaas({ ...settings, fqn: 7 })).toBe(false);
    expect(jaas(feedback)).toBe(true);
    expect(jaas({ ...feedback, eventType: "FEEDBACK_GIVEN" })).toBe(false);
  });
});

describe("an event without its discriminant: recognised by the values it holds, or refused at the discriminant", () => {
  it("a provider that recognises none: any body without it is refused there, whatever it is", () => {
    for (const value of [{}, { payload: {} }, "participant.joined", 42, null, []]) {
      expect(validateDailyEvent(value), JSON.stringify(value)).toEqual(refused(issue("/type", "discriminant", "is required")));
    }
    expect(validateDailyEvent({ type: 7 })).toEqual(refused(issue("/type", "discriminant", "must be a string")));
    expect(validateDailyEvent({ type: "participant.sneezed" })).toEqual(refused(issue("/type", "discriminant", 'is an unknown event type "participant.sneezed"')));
  });

  it("JaaS: an fqn without idempotencyKey and sessionId is SETTINGS_PROVISIONING; without the fqn, or with either of the others, it is not", () => {
    expect(validateJaasEvent(settings)).toEqual({ ok: true, value: settings });
    expect(validateJaasEvent({ fqn: 7 })).toEqual(refused(issue("/fqn", "type", "must be string")));
    const missing = refused(issue("/eventType", "discriminant", "is required"));
    expect(validateJaasEvent({})).toEqual(missing);
    expect(validateJaasEvent({ appId: settings.fqn })).toEqual(missing);
    expect(validateJaasEvent({ ...settings, idempotencyKey: "k" })).toEqual(missing);
    expect(validateJaasEvent({ ...settings, sessionId: "s" })).toEqual(missing);
    expect(validateJaasEvent("x")).toEqual(missing);
  });

  it("a rule needs every value it names present and none it names absent; one without absent values needs only the present", () => {
    const rules = [
      { type: "both", present: [["a"], ["b", "c"]] },
      { type: "a-only", present: [["a"]], absent: [["x"], ["y"]] },
    ];
    expect(eventTypeOf({ a: 1, b: { c: 0 } }, ["type"], rules)).toBe("both");
    expect(eventTypeOf({ a: 1, b: { c: 0 }, type: "t" }, ["type"], rules)).toBe("t");
    expect(eventTypeOf({ a: 1, b: {} }, ["type"], rules)).toBe("a-only");
    expect(eventTypeOf({ a: 1, b: 2, y: 0 }, ["type"], rules)).toBeUndefined();
    expect(eventTypeOf({ b: { c: 0 } }, ["type"], rules)).toBeUndefined();
    expect(eventTypeOf({ b: { c: 0 } }, ["type"], [{ type: "b", present: [["b", "c"]] }])).toBe("b");
    expect(eventTypeOf("a", ["type"], rules)).toBeUndefined();
    expect(eventTypeOf(null, ["type"], rules)).toBeUndefined();
  });
});

/** A validator of `schema`, compiled by the generator's ajv with the options every provider's is. */
function compile(schema: object): ReturnType<typeof createValidator> {
  const $id = "https://confhooks.dev/schemas/acme/thing.schema.json";
  const ajv = createAjv({ shared: [], answers: [], events: [{ schema: { $id, ...schema } }] } as never);
  return createValidator(ajv.getSchema($id) as unknown as CompiledSchema);
}

describe("keywords a schema may use (generator/lint.ts) that none uses today, compiled here", () => {
  const validate = compile({
    type: "object",
    properties: {
      share: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 },
      code: { type: "string", maxLength: 2 },
      tags: { type: "array", minItems: 1, maxItems: 2 },
      size: { oneOf: [{ type: "string" }, { type: "integer" }] },
      even: { type: "integer", multipleOf: 2 },
    },
    required: ["a/b~c"],
  });
  const base = { "a/b~c": true };

  it("exclusive bounds, maxLength, minItems, maxItems", () => {
    expect(validate({ ...base, share: 0 })).toEqual(refused(issue("/share", "exclusiveMinimum", "must be > 0")));
    expect(validate({ ...base, share: 1 })).toEqual(refused(issue("/share", "exclusiveMaximum", "must be < 1")));
    expect(validate({ ...base, code: "abc" })).toEqual(refused(issue("/code", "maxLength", "must have at most 2 characters")));
    expect(validate({ ...base, tags: [] })).toEqual(refused(issue("/tags", "minItems", "must have at least 1 items")));
    expect(validate({ ...base, tags: [1, 2, 3] })).toEqual(refused(issue("/tags", "maxItems", "must have at most 2 items")));
    expect(validate({ ...base, share: 0.5, code: "ab", tags: [1], size: 3, even: 4 })).toEqual({ ok: true, value: { ...base, share: 0.5, code: "ab", tags: [1], size: 3, even: 4 } });
  });

  it("oneOf, after the issues of each shape; a keyword without words of its own is named", () => {
    expect(validate({ ...base, size: 1.5 })).toEqual(refused(
      issue("/size", "type", "must be string"),
      issue("/size", "type", "must be integer"),
      issue("/size", "oneOf", "must match one of the allowed shapes"),
    ));
    expect(validate({ ...base, even: 3 })).toEqual(refused(issue("/even", "multipleOf", 'fails the "multipleOf" rule')));
  });

  it("a missing field is named in the pointer, / and ~ escaped; the Standard Schema path has its name as it is", () => {
    expect(validate({})).toEqual(refused(issue("/a~1b~0c", "required", "is required")));
    expect(validate["~standard"].validate({})).toEqual({ issues: [{ message: "is required", path: ["a/b~c"] }] });
  });
});
