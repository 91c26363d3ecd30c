// Tests written to kill mutants that survived `npm run mutate` in envelope decoding
// (generator/runtime/core/delivery.ts, request.ts): test/MUTATION.md. Through `parseDelivery` where a
// provider of the package reaches the code; the generic parts (ids from several pointers or a
// header, a handshake matched by several values, answers recognised by what they hold) through
// the runtime's own entry points with a provider declared here, as a provider.json would declare
// it, whose validators accept any event of their type.
import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseDelivery, type DeliveryRequest } from "../generated/src/index.js";
import { decodeDelivery, parseWith } from "../generated/src/runtime/core/delivery.js";
import type { EnvelopeSpec, HandshakeSpec, ProviderDeclaration, ProviderDefinition } from "../generated/src/runtime/core/provider.js";
import type { Validator } from "../generated/src/runtime/core/validation.js";
import { verifyWith } from "../generated/src/runtime/node/verify.js";

/** A validator of events whose `type` is `type`: what the generated ones are, without a schema. */
const typed = (type: string) => {
  const is = (value: unknown): value is unknown => typeof value === "object" && value !== null && (value as { type?: unknown }).type === type;
  return Object.assign((value: unknown) => (is(value) ? { ok: true, value } : { ok: false, issues: [{ pointer: "/type", keyword: "const", message: `must be ${type}` }] }), { is }) as unknown as Validator<unknown>;
};

/** A provider named Acme, as a provider.json would declare it, with events of type `x`. */
function declare(envelope: Partial<EnvelopeSpec> = {}, extra: Partial<ProviderDefinition> = {}): ProviderDefinition {
  return {
    name: "acme",
    title: "Acme",
    envelope: { format: "json", discriminant: "/type", ...envelope },
    authentication: [],
    eventTypes: ["x"],
    validators: { x: typed("x") },
    ...extra,
  } as ProviderDefinition;
}

const post = (body: string, headers: Record<string, string> = {}): DeliveryRequest => ({ headers, body });
/** The key of an event without an id: the SHA-256 of its JSON as decoded (1e400 decodes to Infinity, written null). */
const hash = (json: string) => createHash("sha256").update(JSON.stringify(JSON.parse(json))).digest("hex");

describe("delivery.ts: what cannot be decoded is malformed, saying what and where", () => {
  it("a JSON body that is not an object, for one event per delivery; one that is not JSON", () => {
    for (const body of ["[]", '[{"type":"room.client.joined"}]', "null", "42", '"x"', "true"]) {
      expect(parseDelivery("whereby", post(body)), body).toEqual({ ok: false, error: { code: "malformed", message: "the body must be a JSON object", pointer: "" } });
    }
    expect(parseDelivery("whereby", post("{"))).toEqual({ ok: false, error: { code: "malformed", message: expect.stringMatching(/^the body is not valid JSON: \S/) } });
  });

  it("a form: its events field missing, twice, not JSON, or neither an array nor an object", () => {
    const form = (fields: string) => post(fields, { "content-type": "application/x-www-form-urlencoded" });
    expect(parseDelivery("bigbluebutton", form("domain=d"))).toEqual({ ok: false, error: { code: "malformed", message: "the form has no `event` field", pointer: "/event" } });
    expect(parseDelivery("bigbluebutton", form("event=%7B%7D&event=%7B%7D"))).toEqual({ ok: false, error: { code: "malformed", message: 'the form has the field "event" twice', pointer: "/event" } });
    expect(parseDelivery("bigbluebutton", form("event=%7B"))).toEqual({ ok: false, error: { code: "malformed", message: expect.stringMatching(/^the `event` form field is not valid JSON: \S/), pointer: "/event" } });
    for (const value of ["42", "null", "%22x%22"]) {
      expect(parseDelivery("bigbluebutton", form(`event=${value}`)), value).toEqual({ ok: false, error: { code: "malformed", message: "the `event` form field must be a JSON array or object", pointer: "/event" } });
    }
  });

  it("a JSON string inside the event that is not JSON, at its pointer", () => {
    expect(parseDelivery("iotum", post('{"event":"conference_end","payload":"{"}'))).toEqual({ ok: false, error: { code: "malformed", message: expect.stringMatching(/^the payload string is not valid JSON: \S/), pointer: "/payload" } });
  });

  it("a JSON string nested in the event, at its full pointer", () => {
    const nested = declare({ jsonStrings: ["/data/payload"] });
    expect(parseWith(nested, post('{"type":"x","data":{"payload":"{"}}'))).toEqual({ ok: false, error: { code: "malformed", message: expect.stringMatching(/^the payload string is not valid JSON: \S/), pointer: "/data/payload" } });
    expect(parseWith(nested, post('{"type":"x","data":{"payload":"{\\"a\\":1}"}}'))).toMatchObject({ ok: true, events: [{ event: { type: "x", data: { payload: { a: 1 } } } }] });
  });

  it("an event refused as a whole names it (event), not an empty pointer", () => {
    const refusing = Object.assign(() => ({ ok: false, issues: [{ pointer: "", keyword: "not", message: "must not be valid" }] }), { is: () => false }) as unknown as Validator<unknown>;
    expect(parseWith(declare({}, { validators: { x: refusing } }), post('{"type":"x"}'))).toMatchObject({ ok: false, error: { code: "invalid", message: "x: (event) must not be valid", pointer: "" } });
  });

  it("a request whose properties throw when read is malformed, never thrown", () => {
    const request = { headers: {}, get body(): string { throw new Error("the stream was closed"); } };
    expect(parseDelivery("whereby", request)).toEqual({ ok: false, error: { code: "malformed", message: "cannot decode the delivery: the stream was closed" } });
  });

  it("an event without a documented type: no type, or one the provider does not document", () => {
    expect(parseWith(declare(), post('{"id":1}'))).toEqual({ ok: false, error: { code: "invalid", message: "the event has no Acme event type at /type", pointer: "/type", index: 0, event: { id: 1 } } });
    expect(parseWith(declare(), post('{"type":"y"}'))).toEqual({ ok: false, error: { code: "unknown_event", message: 'Acme event type "y" is not documented', pointer: "/type", index: 0, type: "y", event: { type: "y" } } });
  });
});

describe("delivery.ts: the idempotency key", () => {
  const keyOf = (provider: ProviderDefinition, body: string, headers?: Record<string, string>) => {
    const result = parseWith(provider, post(body, headers));
    return result.ok ? result.events[0]!.key : result.error;
  };

  it("one pointer: a non-empty string as sent, a finite number written out; anything else is no id", () => {
    const byId = declare({ id: { pointers: ["/id"] } });
    expect(keyOf(byId, '{"type":"x","id":"a:b%"}')).toBe("a:b%");
    expect(keyOf(byId, '{"type":"x","id":12}')).toBe("12");
    for (const id of ['""', "1e400", "true", "null", "[1]", '{"a":1}']) {
      const body = `{"type":"x","id":${id}}`;
      expect(keyOf(byId, body), id).toEqual({ code: "invalid", message: "x: the event carries no id at /id, which Acme always sends", pointer: "/id", index: 0, type: "x", event: JSON.parse(body) });
      expect(keyOf(declare({ id: { pointers: ["/id"], fallback: "content" } }), body), id).toBe(hash(body));
    }
  });

  it("several pointers: joined with `:`, each part escaped so that no two ids join the same; one absent is no id", () => {
    const byTwo = declare({ id: { pointers: ["/a", "/b"] } });
    expect(keyOf(byTwo, '{"type":"x","a":"k","b":2}')).toBe("k:2");
    expect(keyOf(byTwo, '{"type":"x","a":"k:1","b":"%"}')).toBe("k%3A1:%25");
    expect(keyOf(byTwo, '{"type":"x","a":"k","b":"1:%"}')).toBe("k:1%3A%25");
    for (const body of ['{"type":"x","a":"k","b":""}', '{"type":"x","a":"","b":"k"}', '{"type":"x","a":"k","b":1e400}', '{"type":"x","b":"k"}']) {
      expect(keyOf(byTwo, body), body).toMatchObject({ code: "invalid", message: "x: the event carries no id at /a, /b, which Acme always sends", pointer: "/a" });
      expect(keyOf(declare({ id: { pointers: ["/a", "/b"], fallback: "content" } }), body), body).toBe(hash(body));
    }
  });

  it("a header: its value; absent, no id", () => {
    const byHeader = declare({ id: { header: "x-event-id" } });
    expect(keyOf(byHeader, '{"type":"x"}', { "X-Event-Id": "e-1" })).toBe("e-1");
    expect(keyOf(byHeader, '{"type":"x"}')).toEqual({ code: "invalid", message: "x: the event carries no id at the x-event-id header, which Acme always sends", pointer: "", index: 0, type: "x", event: { type: "x" } });
  });

  it("as JSON: the form fields beside the event, when the envelope has some", () => {
    const form = declare({ format: "form", form: [{ field: "event", events: true }, { field: "domain" }] });
    const [fromForm] = (parseWith(form, post("event=%7B%22type%22%3A%22x%22%7D&domain=d")) as { events: readonly unknown[] }).events;
    expect(JSON.parse(JSON.stringify(fromForm))).toEqual({ provider: "acme", type: "x", key: hash('{"type":"x"}'), event: { type: "x" }, envelope: { domain: "d" } });
    const [fromJson] = (parseWith(declare(), post('{"type":"x"}')) as { events: readonly unknown[] }).events;
    expect(JSON.parse(JSON.stringify(fromJson))).toEqual({ provider: "acme", type: "x", key: hash('{"type":"x"}'), event: { type: "x" } });
  });
});

describe("delivery.ts: handshakes and answers recognised by the values a body holds", () => {
  const spec: HandshakeSpec = { name: "check", description: "a creation check", match: { "/a": 1, "/b": { c: [1, "2", null] }, "/s": { 0: "x" }, "/t": "y" } };
  const checked = declare({}, { handshakes: [spec] });
  const right = { a: 1, b: { c: [1, "2", null] }, s: { 0: "x" }, t: "y" };

  it("is a handshake only when every declared value is there, deeply equal", () => {
    expect(decodeDelivery(checked, post(JSON.stringify(right)))).toEqual({ ok: true, events: [], handshake: { spec, document: right } });
    const wrong = [
      { a: 2 }, // one value of several
      { b: { c: [1, "2"] } }, // an array's length
      { b: { c: [1, "x", "y"] } }, // an array's items
      { b: { c: [1, "2", {}] } }, // an object for null
      { b: { c: [1, "2", null], d: 0 } }, // an extra key
      { b: { c: { 0: 1, 1: "2", 2: null } } }, // an object for an array
      { b: null },
      { s: "x" }, // a string's characters are not an object's keys
      { t: { 0: "y" } }, // nor the other way round
    ];
    for (const change of wrong) {
      const body = JSON.stringify({ ...right, ...change, type: "x" });
      expect(decodeDelivery(checked, post(body)), body).toEqual({ ok: true, events: [expect.objectContaining({ ok: true })] });
    }
  });

  it("an answer recognised by a value present, with or without values that must be absent; an answer without a rule is not guessed", () => {
    const provider = declare({}, {
      eventTypes: ["x", "r"],
      validators: { x: typed("x"), r: Object.assign(() => ({ ok: true }), { is: () => true }) as unknown as Validator<unknown> },
      answers: { r: { recognise: { present: ["/fqn"] } }, x: {} },
    });
    expect(parseWith(provider, post('{"fqn":"a"}'))).toMatchObject({ ok: true, events: [{ type: "r", event: { fqn: "a" } }] });
    expect(parseWith(provider, post("{}"))).toMatchObject({ ok: false, error: { code: "invalid", message: "the event has no Acme event type at /type" } });
  });
});

describe("request.ts: the view of a request, read once and shared", () => {
  const secret = "s";
  const sig = (text: string) => createHmac("sha256", secret).update(text).digest("hex");
  /** Signs the URL (path and query) and the body: what a provider.json can declare with `{"from": "url"}`. */
  const byUrl: ProviderDeclaration = { title: "Acme", envelope: { format: "json", discriminant: "/type" }, authentication: [{ mechanism: "hmac", algorithm: "sha256", message: [{ from: "url" }, { from: "body" }], signature: { header: "x-sig", encoding: "hex" } }] };
  const verify = (request: unknown) => verifyWith(byUrl, request as DeliveryRequest, { secret } as never);
  const ok = { ok: true };
  const mismatch = { ok: false, error: { code: "signature", message: "the X-Sig header does not match the body" } };

  it("a request object whose body, URL or headers were replaced is read again", () => {
    const request: { url?: string; headers: Record<string, string>; body: string } = { url: "/a", headers: { "x-sig": sig('/a{"type":"x"}') }, body: '{"type":"x"}' };
    expect(verify(request)).toEqual(ok);
    request.url = "/b";
    expect(verify(request)).toEqual(mismatch);
    request.url = "/a";
    expect(verify(request)).toEqual(ok);
    request.headers = { "x-sig": sig("/a{}") };
    expect(verify(request)).toEqual(mismatch);
    request.body = "{}";
    expect(verify(request)).toEqual(ok);
    expect(parseDelivery("whereby", request)).toMatchObject({ ok: false, error: { code: "invalid" } });
    request.body = "{";
    expect(parseDelivery("whereby", request)).toMatchObject({ ok: false, error: { code: "malformed" } });
  });

  it("no URL reads as an empty one; no headers object, as no headers; a URL without `?`, as no query", () => {
    expect(verify({ headers: { "x-sig": sig("{}") }, body: "{}" })).toEqual(ok);
    for (const headers of [null, undefined, "x-sig: 00", 7]) expect(verify({ headers, body: "{}" }), String(headers)).toEqual({ ok: false, error: { code: "signature", message: "the X-Sig header is missing" } });
    const byHeader = declare({ id: { header: "x-event-id" } });
    expect(parseWith(byHeader, { headers: null, body: '{"type":"x"}' } as never)).toMatchObject({ ok: false, error: { code: "invalid", message: "x: the event carries no id at the x-event-id header, which Acme always sends" } });
    const request: { headers: Record<string, string>; body: string } = { headers: { "x-event-id": "e-1" }, body: '{"type":"x"}' };
    expect(parseWith(byHeader, request)).toMatchObject({ ok: true, events: [{ key: "e-1" }] });
    request.headers = { "x-event-id": "e-2" }; // only the headers replaced: read again
    expect(parseWith(byHeader, request)).toMatchObject({ ok: true, events: [{ key: "e-2" }] });
    const byQuery: ProviderDeclaration = { ...byUrl, authentication: [{ mechanism: "hmac", algorithm: "sha256", message: [{ from: "body" }], signature: { query: "sig", encoding: "hex" } }] };
    const queried = (url: string) => verifyWith(byQuery, { url, headers: {}, body: "{}" }, { secret } as never);
    expect(queried(`/hook?sig=${sig("{}")}`)).toEqual(ok);
    expect(queried(`/hook&sig=${sig("{}")}`)).toEqual({ ok: false, error: { code: "signature", message: "the sig query parameter is missing" } });
  });

  it("a header: the exact name first, then any case; the first of repeated values; nothing but strings", () => {
    const right = sig("{}");
    expect(verify({ headers: { "X-Sig": "00", "x-sig": right }, body: "{}" })).toEqual(ok);
    expect(verify({ headers: { "X-SIG": right }, body: "{}" })).toEqual(ok);
    expect(verify({ headers: { "x-sig": [right, "00"] }, body: "{}" })).toEqual(ok);
    expect(verify({ headers: { "x-sig": ["00", right] }, body: "{}" })).toEqual(mismatch);
    expect(verify({ headers: { "x-sig": 7 }, body: "{}" })).toEqual({ ok: false, error: { code: "signature", message: "the X-Sig header is missing" } });
  });

  it("a body that is not raw bytes or not UTF-8 is malformed, saying what it got, before a form is read", () => {
    const raw = (got: string) => ({ ok: false, error: { code: "malformed", message: `the body must be the raw bytes (a string or Uint8Array), got ${got}: keep the raw body in your framework (e.g. express.raw()) instead of a parsed object` } });
    expect(parseDelivery("whereby", { headers: {}, body: null as never })).toEqual(raw("null"));
    expect(parseDelivery("whereby", { headers: {}, body: {} as never })).toEqual(raw("object"));
    expect(parseDelivery("whereby", null as never)).toEqual(raw("undefined"));
    expect(parseDelivery("bigbluebutton", { headers: {}, body: new Uint8Array([0x65, 0x3d, 0xff]) })).toEqual({ ok: false, error: { code: "malformed", message: "the body is not valid UTF-8" } });
  });
});
