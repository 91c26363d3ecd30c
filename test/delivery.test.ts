import { describe, expect, it } from "vitest";
import { parseDelivery, verifyDelivery, type Provider } from "../generated/src/index.js";
import { callbackUrl, encodeBody, providers, secrets, sign } from "./support.js";

const loaded = await providers();
const now = 1_700_000_000_000;

describe("parseDelivery: every schema example, wrapped in its provider's envelope", () => {
  for (const provider of loaded) {
    for (const source of provider.events) {
      it(`${provider.name} ${source.base}`, () => {
        for (const example of source.schema.examples as unknown[]) {
          const body = encodeBody(provider.name, example);
          for (const raw of [body, new TextEncoder().encode(body)]) {
            const result = parseDelivery(provider.name as Provider, { headers: {}, body: raw });
            expect(result).toMatchObject({ ok: true, events: [{ provider: provider.name, type: source.base, event: example }] });
          }
        }
      });
    }
  }
});

describe("parseDelivery: errors carry a stable code and never throw", () => {
  const cases: { name: string; provider: Provider; body: unknown; code: string; pointer?: string; message?: RegExp }[] = [
    { name: "broken JSON", provider: "whereby", body: '{"type": "room.client.joined",', code: "malformed", message: /not valid JSON/ },
    { name: "a JSON array", provider: "daily", body: "[]", code: "malformed", message: /JSON object/ },
    { name: "bytes that are not UTF-8", provider: "whereby", body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), code: "malformed", message: /UTF-8/ },
    { name: "an already parsed object", provider: "whereby", body: { type: "room.client.joined" }, code: "malformed", message: /raw bytes.*express\.raw/ },
    { name: "iotum: a broken payload string", provider: "iotum", body: JSON.stringify({ event: "conference_end", payload: '{"conference_id":1258835,', timestamp: "2022-08-24T20:56:55.000Z" }), code: "malformed", pointer: "/payload" },
    { name: "iotum: the wiki's own example with its stray backtick", provider: "iotum", body: '{ "event": "conference_end", "payload": "{\\"conference_id\\":1258835,\\"host_id\\":61803}", "timestamp": "2022-08-24T20:56:55.000Z"` }', code: "malformed" },
    { name: "iotum: payload neither string nor object", provider: "iotum", body: JSON.stringify({ event: "conference_end", payload: 7, timestamp: "2022-08-24T20:56:55.000Z" }), code: "invalid", pointer: "/payload" },
    { name: "bigbluebutton: no event field", provider: "bigbluebutton", body: "domain=bbb.example.com&timestamp=1", code: "malformed", pointer: "/event" },
    { name: "bigbluebutton: event field is not JSON", provider: "bigbluebutton", body: "event=%5B%7B", code: "malformed", pointer: "/event" },
    { name: "an event without a type", provider: "whereby", body: JSON.stringify({ id: "x", data: {} }), code: "invalid", pointer: "/type" },
    { name: "an invalid field", provider: "whereby", body: JSON.stringify({ id: "x", apiVersion: "1.0", createdAt: "2026-01-01T00:00:00Z", type: "room.session.started", data: { roomName: 7, subdomain: "acme" } }), code: "invalid", pointer: "/data/roomName" },
    { name: "an unknown event type", provider: "daily", body: JSON.stringify({ version: "1.0.0", type: "meeting.paused", id: "x", payload: {}, event_ts: 1 }), code: "unknown_event" },
    { name: "an unknown provider", provider: "teleconf" as Provider, body: "{}", code: "unknown_provider" },
  ];
  for (const { name, provider, body, code, pointer, message } of cases) {
    it(name, () => {
      const result = parseDelivery(provider, { headers: {}, body: body as string });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe(code);
      if (pointer !== undefined) expect(result.error.pointer).toBe(pointer);
      if (message) expect(result.error.message).toMatch(message);
    });
  }

  for (const provider of loaded) {
    it(`${provider.name}: a body cut short is malformed, not thrown`, () => {
      const body = encodeBody(provider.name, (provider.events[0]!.schema.examples as unknown[])[0]);
      const cut = provider.name === "bigbluebutton" ? body.replace(/timestamp=\d+$/, "").slice(0, -40) : body.slice(0, -5);
      expect(parseDelivery(provider.name as Provider, { headers: {}, body: cut })).toMatchObject({ ok: false, error: { code: "malformed" } });
    });
  }

  it("keeps the decoded event of an unknown type, so nothing is lost", () => {
    const event = { version: "1.0.0", type: "meeting.paused", id: "evt-1", payload: { room: "standup" }, event_ts: 1 };
    const result = parseDelivery("daily", { headers: {}, body: JSON.stringify(event) });
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "unknown_event", type: "meeting.paused", event, index: 0 }) });
  });

  it("never throws, whatever the request", () => {
    const bodies: unknown[] = [undefined, null, 42, "", " ", "null", "true", '""', "{}", "[{}]", "%", "event=", "event=null", "event=%5Bnull%5D", new Uint8Array(0), new Uint8Array([0xc3])];
    for (const provider of loaded.map((p) => p.name as Provider)) {
      for (const body of bodies) {
        const result = parseDelivery(provider, { headers: {}, body: body as string });
        expect(typeof result.ok).toBe("boolean");
      }
      expect(parseDelivery(provider, null as never).ok).toBe(false);
    }
  });
});

describe("parseDelivery: envelopes", () => {
  const bbbExample = loaded.find((p) => p.name === "bigbluebutton")!.events.find((e) => e.base === "user-joined")!.schema.examples as unknown[];
  const leftExample = loaded.find((p) => p.name === "bigbluebutton")!.events.find((e) => e.base === "user-left")!.schema.examples as unknown[];

  it("bigbluebutton: several events in one delivery give several parsed events, with domain and timestamp", () => {
    const body = new URLSearchParams({ domain: "bbb.example.com", event: JSON.stringify([bbbExample[0], leftExample[0]]), timestamp: "1700000000000" }).toString();
    const result = parseDelivery("bigbluebutton", { headers: {}, body });
    expect(result.ok && result.events.map((e) => e.type)).toEqual(["user-joined", "user-left"]);
    expect(result.ok && result.events[0]!.envelope).toEqual({ domain: "bbb.example.com", timestamp: "1700000000000" });
  });

  it("bigbluebutton: a bare event object, as older servers send, is accepted", () => {
    const body = new URLSearchParams({ event: JSON.stringify(bbbExample[0]), timestamp: "1" }).toString();
    expect(parseDelivery("bigbluebutton", { headers: {}, body })).toMatchObject({ ok: true, events: [{ type: "user-joined" }] });
  });

  it("bigbluebutton: keeps the good events of a batch and names the position of a bad one beside them (issue 24)", () => {
    const body = new URLSearchParams({ event: JSON.stringify([bbbExample[0], { data: { type: "event", id: "user-left" } }]) }).toString();
    expect(parseDelivery("bigbluebutton", { headers: {}, body })).toMatchObject({ ok: true, events: [{ type: "user-joined" }], skipped: [{ code: "invalid", index: 1, type: "user-left", pointer: "/data/attributes" }] });
    const teleported = { ...(bbbExample[0] as { data: object }), data: { ...(bbbExample[0] as { data: object }).data, id: "user-teleported" } };
    expect(parseDelivery("bigbluebutton", { headers: {}, body: new URLSearchParams({ event: JSON.stringify([bbbExample[0], teleported]) }).toString() }))
      .toMatchObject({ ok: true, events: [{ type: "user-joined" }], skipped: [{ code: "unknown_event", index: 1, type: "user-teleported", event: teleported }] });
    expect(parseDelivery("bigbluebutton", { headers: {}, body: new URLSearchParams({ event: JSON.stringify([teleported]) }).toString() })).toMatchObject({ ok: false, error: { code: "unknown_event" } });
  });

  it("daily: the verification request sent when a webhook is created is answered with no events", () => {
    expect(parseDelivery("daily", { headers: {}, body: '{"test":"test"}' })).toEqual({ ok: true, events: [] });
  });
});

describe("verifyDelivery", () => {
  const body = '{"type":"x"}';

  it("matches vectors computed with openssl from the documented formulas", () => {
    const at = { now: () => now };
    expect(verifyDelivery("whereby", { headers: { "Whereby-Signature": "t=1700000000,v1=29cc951fc439d64c216bbea1a7361669bacc196ec2ea452cfa008c48a61829ad" }, body }, { secret: "whsec_test", ...at })).toEqual({ ok: true });
    expect(verifyDelivery("daily", { headers: { "X-Webhook-Timestamp": "1700000000", "X-Webhook-Signature": "UUUB6z1YZh9wJhZKudE+s4rZjK4ANrge2L6Ze4S7xzk=" }, body }, { secret: secrets.daily, ...at })).toEqual({ ok: true });
    const form = "domain=bbb.example.com&event=%5B%5D&timestamp=1700000000000";
    expect(verifyDelivery("bigbluebutton", { url: "/bbb?checksum=7b0d7c249606cb92853bf4ac2ea0df6e08408cec", headers: {}, body: form }, { secret: "bbb-secret", callbackUrl: "https://example.com/bbb", ...at })).toEqual({ ok: true });
  });

  for (const provider of ["whereby", "daily", "bigbluebutton", "iotum"] as const) {
    describe(provider, () => {
      const options = { secret: secrets[provider], callbackUrl, now: () => now };
      const request = (overrides: { body?: string; secret?: string; at?: number } = {}) => {
        const { url, headers } = sign(provider, body, { secret: overrides.secret, at: overrides.at ?? now });
        return { method: "POST", url, headers, body: overrides.body ?? body };
      };

      it("accepts a valid signature, as a string or as bytes", async () => {
        const valid = request();
        expect(verifyDelivery(provider, valid, options)).toEqual({ ok: true });
        expect(verifyDelivery(provider, { ...valid, body: new TextEncoder().encode(body) }, options)).toEqual({ ok: true });
      });

      it("accepts the second secret while rotating", async () => {
        expect(verifyDelivery(provider, request(), { ...options, secret: [provider === "daily" ? "b2xkLXNlY3JldA==" : "old-secret", secrets[provider]] })).toEqual({ ok: true });
      });

      it("refuses a wrong secret", async () => {
        const other = provider === "daily" ? "d3Jvbmc=" : "wrong";
        expect(verifyDelivery(provider, request({ secret: other }), options)).toMatchObject({ ok: false, error: { code: "signature" } });
      });

      it("refuses a missing signature", () => {
        expect(verifyDelivery(provider, { url: "/", headers: {}, body }, options)).toMatchObject({ ok: false, error: { code: "signature" } });
      });

      if (provider !== "iotum") {
        it("refuses a tampered body", async () => {
          const signed = request();
          expect(verifyDelivery(provider, { ...signed, body: body.replace("x", "y") }, options)).toMatchObject({ ok: false, error: { code: "signature" } });
        });
      }

      if (provider === "whereby" || provider === "daily") {
        it("refuses a timestamp outside the replay window, both ways, and honours toleranceSeconds", async () => {
          expect(verifyDelivery(provider, request({ at: now - 301_000 }), options)).toMatchObject({ ok: false, error: { code: "stale" } });
          expect(verifyDelivery(provider, request({ at: now + 301_000 }), options)).toMatchObject({ ok: false, error: { code: "stale" } });
          expect(verifyDelivery(provider, request({ at: now - 299_000 }), options)).toEqual({ ok: true });
          expect(verifyDelivery(provider, request({ at: now - 299_000 }), { ...options, toleranceSeconds: 60 })).toMatchObject({ ok: false, error: { code: "stale" } });
        });
      }
    });
  }

  it("whereby: header names in any case, several v1 signatures", async () => {
    const { headers } = sign("whereby", body, { at: now });
    const [t, v1] = headers["whereby-signature"]!.split(",");
    const request = { headers: { "WHEREBY-SIGNATURE": `${t},v1=${"0".repeat(64)},${v1}` }, body };
    expect(verifyDelivery("whereby", request, { secret: secrets.whereby, now: () => now })).toEqual({ ok: true });
  });

  it("daily: a timestamp in milliseconds, and the optional Basic authorization", async () => {
    const { createHmac } = await import("node:crypto");
    const ms = String(now);
    const signature = createHmac("sha256", Buffer.from(secrets.daily, "base64")).update(`${ms}.${body}`).digest("base64");
    const headers = { "x-webhook-timestamp": ms, "x-webhook-signature": signature };
    const options = { secret: secrets.daily, now: () => now, basicAuth: "dXNlcjpwYXNz" };
    expect(verifyDelivery("daily", { headers, body }, { ...options, basicAuth: undefined })).toEqual({ ok: true });
    expect(verifyDelivery("daily", { headers, body }, options)).toMatchObject({ ok: false, error: { code: "signature", message: expect.stringMatching(/Authorization/) } });
    expect(verifyDelivery("daily", { headers: { ...headers, authorization: "Basic dXNlcjpwYXNz" }, body }, options)).toEqual({ ok: true });
  });

  it("bigbluebutton: sha256 checksums by their length or the algorithm option, bearer tokens, and a clear error without callbackUrl", async () => {
    const { createHash } = await import("node:crypto");
    const sha256 = createHash("sha256").update(callbackUrl + body + secrets.bigbluebutton).digest("hex");
    const request = { url: `/bbb?x=1&checksum=${sha256}`, headers: {}, body };
    expect(verifyDelivery("bigbluebutton", request, { secret: secrets.bigbluebutton, callbackUrl })).toEqual({ ok: true });
    expect(verifyDelivery("bigbluebutton", request, { secret: secrets.bigbluebutton, callbackUrl, algorithm: "sha512" })).toMatchObject({ ok: false, error: { code: "signature" } });
    expect(verifyDelivery("bigbluebutton", request, { secret: secrets.bigbluebutton })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/callbackUrl/) } });
    const bearer = { headers: { authorization: `Bearer ${secrets.bigbluebutton}` }, body };
    expect(verifyDelivery("bigbluebutton", bearer, { secret: secrets.bigbluebutton })).toEqual({ ok: true });
    expect(verifyDelivery("bigbluebutton", { ...bearer, headers: { authorization: "Bearer nope" } }, { secret: secrets.bigbluebutton })).toMatchObject({ ok: false });
  });

  it("refuses to verify without a secret, and never throws", () => {
    expect(verifyDelivery("iotum", { headers: { "x-signing-token": "" }, body }, { secret: "" })).toMatchObject({ ok: false, error: { code: "signature" } });
    expect(verifyDelivery("whereby", { headers: { "whereby-signature": "garbage" }, body }, { secret: "s" })).toMatchObject({ ok: false, error: { code: "signature" } });
    expect(verifyDelivery("whereby", null as never, { secret: "s" }).ok).toBe(false);
  });
});

describe("verifyDelivery then parseDelivery on the same request object", () => {
  it("share one view of it (a form decoded once), and a replaced body, URL or headers are read anew", () => {
    const event = (loaded.find((p) => p.name === "whereby")!.events.find((e) => e.base === "room.client.joined")!.schema.examples as { data: { displayName?: string } }[])[0]!;
    const text = JSON.stringify(event);
    const { headers } = sign("whereby", text, { at: now });
    const request = { method: "POST", url: "/", headers, body: new TextEncoder().encode(text) };
    expect(verifyDelivery("whereby", request, { secret: secrets.whereby, now: () => now })).toEqual({ ok: true });
    expect(parseDelivery("whereby", request)).toMatchObject({ ok: true, events: [{ event }] });
    const replaced = { ...request, body: "{" };
    expect(parseDelivery("whereby", replaced)).toMatchObject({ ok: false, error: { code: "malformed" } });
  });
});
