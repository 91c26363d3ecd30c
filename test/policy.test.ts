import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import {
  createMemoryDedupeStore,
  createTrigger,
  parseDelivery,
  signDelivery,
  verifyDelivery,
  verifyDeliveryAsync,
  type DeliveryError,
  type Provider,
} from "../generated/src/index.js";
import { answerCases, answersTable } from "../generator/emit/answers.js";
import { answers } from "../generated/src/runtime/core/answers.js";
import { send, start } from "./http.js";
import { callbackUrl, providers, root, secrets, sign } from "./support.js";

const loaded = await providers();
const exampleOf = (provider: string, type: string): any =>
  structuredClone((loaded.find((p) => p.name === provider)!.events.find((e) => e.base === type)!.schema.examples as unknown[])[0]);

const joined = exampleOf("whereby", "room.client.joined");
const withRole = (roleName: string) => ({ ...joined, data: { ...joined.data, roleName } });
const optionsOf = <P extends Provider>(provider: P) => ({ provider, secret: secrets[provider], callbackUrl, port: 0, host: "127.0.0.1", onError: () => {} });

/** A BigBlueButton user-joined event for another user at another time: a distinct event. */
function bbbJoin(userId: string, ts: number) {
  const event = exampleOf("bigbluebutton", "user-joined");
  event.data.attributes.user["internal-user-id"] = userId;
  event.data.event.ts = ts;
  return event;
}

describe("acknowledgement policy, over HTTP", () => {
  it("answers 200 to a signed but invalid event and hands it to onInvalid with the decoded event, the issues and the raw body", async () => {
    const onInvalid = vi.fn();
    const matcher = vi.fn(() => true);
    const base = await start(createTrigger({ ...optionsOf("whereby"), onInvalid, webhookTriggers: { "room.client.joined": matcher } }));
    const request = await signDelivery("whereby", withRole("janitor") as never, { secret: secrets.whereby });
    expect(await send(base, request)).toMatchObject({ status: 200, body: { ok: true, events: 0, invalid: 1 } });
    expect(matcher).not.toHaveBeenCalled();
    expect(onInvalid).toHaveBeenCalledOnce();
    const error = onInvalid.mock.calls[0]![0] as DeliveryError;
    expect(error).toMatchObject({ code: "invalid", type: "room.client.joined", pointer: "/data/roleName", event: withRole("janitor") });
    expect(error.issues).toEqual([expect.objectContaining({ pointer: "/data/roleName", keyword: "enum" })]);
    expect(Buffer.from(error.body as Uint8Array).toString()).toBe(request.body);
  });

  it('with invalid: "reject", answers 400 and runs no matcher', async () => {
    const onInvalid = vi.fn();
    const matcher = vi.fn(() => true);
    const base = await start(createTrigger({ ...optionsOf("whereby"), invalid: "reject", onInvalid, webhookTriggers: { "room.client.joined": matcher } }));
    const response = await send(base, await signDelivery("whereby", withRole("janitor") as never, { secret: secrets.whereby }));
    expect(response).toMatchObject({ status: 400, body: { ok: false, error: { code: "invalid", pointer: "/data/roleName" } } });
    expect(matcher).not.toHaveBeenCalled();
    expect(onInvalid).not.toHaveBeenCalled();
  });

  it("answers 200 to a verified body that cannot be decoded, and hands the raw body to onInvalid", async () => {
    const onInvalid = vi.fn();
    const base = await start(createTrigger({ ...optionsOf("whereby"), onInvalid }));
    const { url, headers } = sign("whereby", "{not json");
    expect(await send(base, { url, headers, body: "{not json" })).toMatchObject({ status: 200, body: { invalid: 1 } });
    expect(onInvalid).toHaveBeenCalledWith(expect.objectContaining({ code: "malformed" }));
    expect(Buffer.from(onInvalid.mock.calls[0]![0].body).toString()).toBe("{not json");
  });

  it("runs the valid events of a BigBlueButton delivery and reports the invalid one", async () => {
    const onInvalid = vi.fn();
    const seen: string[] = [];
    const base = await start(createTrigger({
      ...optionsOf("bigbluebutton"),
      onInvalid,
      webhookTriggers: { "user-joined": (event) => (seen.push(event.data.attributes.user["internal-user-id"]), true) },
    }));
    const broken = bbbJoin("w_3", 1_700_000_000_300);
    broken.data.attributes.user.name = 42;
    const request = await signDelivery("bigbluebutton", [bbbJoin("w_1", 1_700_000_000_100), broken, bbbJoin("w_2", 1_700_000_000_200)], { secret: secrets.bigbluebutton, callbackUrl });
    expect(await send(base, request)).toMatchObject({ status: 200, body: { ok: true, events: 2, invalid: 1 } });
    expect(seen).toEqual(["w_1", "w_2"]);
    expect(onInvalid).toHaveBeenCalledWith(expect.objectContaining({ code: "invalid", index: 1, pointer: "/data/attributes/user/name" }));
  });

  it("reports a Daily body without a type that is not the creation ping, and answers the ping quietly", async () => {
    const onInvalid = vi.fn();
    const base = await start(createTrigger({ ...optionsOf("daily"), onInvalid }));
    const post = (body: string) => send(base, { ...sign("daily", body), body });
    expect(await post(JSON.stringify({ test: "test" }))).toMatchObject({ status: 200, body: { events: 0, invalid: 0 } });
    expect(onInvalid).not.toHaveBeenCalled();
    expect(await post(JSON.stringify({ id: "evt-1", payload: { room: "standup" } }))).toMatchObject({ status: 200, body: { invalid: 1 } });
    expect(onInvalid).toHaveBeenCalledWith(expect.objectContaining({ code: "invalid", pointer: "/type" }));
  });

  it("logs one concise line per invalid event when no onInvalid is given", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const base = await start(createTrigger(optionsOf("whereby")));
      await send(base, await signDelivery("whereby", withRole("janitor") as never, { secret: secrets.whereby }));
      expect(warn).toHaveBeenCalledOnce();
      expect(String(warn.mock.calls[0]![0])).toMatch(/^confhooks: Whereby invalid event: room\.client\.joined: \/data\/roleName must be one of .*answered 200/);
      expect(String(warn.mock.calls[0]![0])).not.toContain("\n");
    } finally {
      warn.mockRestore();
    }
  });
});

describe("the table of answers", () => {
  it("is the README's, and the package README's, and every answer in it has a row", async () => {
    const table = answersTable();
    expect(await readFile(path.join(root, "README.md"), "utf8")).toContain(table);
    expect(await readFile(path.join(root, "generated/README.md"), "utf8")).toContain(table);
    expect(new Set(answerCases.map((row) => row.answer))).toEqual(new Set(Object.keys(answers)));
  });
});

describe("deduplication, over HTTP", () => {
  it("runs the matcher once for the same delivery sent twice, and says so in the second answer", async () => {
    for (const provider of ["whereby", "daily", "bigbluebutton", "iotum"] as const) {
      const type = { whereby: "room.client.joined", daily: "participant.joined", bigbluebutton: "user-joined", iotum: "enter_conference" }[provider];
      const matcher = vi.fn(() => true);
      const base = await start(createTrigger({ ...optionsOf(provider), webhookTriggers: { [type]: matcher } as never }));
      const request = await signDelivery(provider, exampleOf(provider, type), { secret: secrets[provider], callbackUrl });
      expect(await send(base, request), provider).toMatchObject({ status: 200, body: { events: 1, duplicates: 0 } });
      expect(await send(base, request), provider).toMatchObject({ status: 200, body: { events: 1, duplicates: 1 } });
      expect(matcher, provider).toHaveBeenCalledOnce();
    }
  });

  it("runs a failed matcher again when the provider retries, because the failure released the event's key", async () => {
    let calls = 0;
    const base = await start(createTrigger({
      ...optionsOf("whereby"),
      webhookTriggers: { "room.client.joined": async () => { if (++calls === 1) throw new Error("database down"); return true; } },
    }));
    const request = await signDelivery("whereby", joined, { secret: secrets.whereby });
    expect((await send(base, request)).status).toBe(500);
    expect(await send(base, request)).toMatchObject({ status: 200, body: { duplicates: 0 } });
    expect(calls).toBe(2);
    expect(await send(base, request)).toMatchObject({ status: 200, body: { duplicates: 1 } });
    expect(calls).toBe(2);
  });

  it("runs the matcher every time with dedupe: false", async () => {
    const matcher = vi.fn(() => true);
    const base = await start(createTrigger({ ...optionsOf("whereby"), dedupe: false, webhookTriggers: { "room.client.joined": matcher } }));
    const request = await signDelivery("whereby", joined, { secret: secrets.whereby });
    await send(base, request);
    await send(base, request);
    expect(matcher).toHaveBeenCalledTimes(2);
  });

  it("the memory store forgets its oldest key past maxKeys, and a key after its TTL", async () => {
    const store = createMemoryDedupeStore({ maxKeys: 2 });
    expect([store.claim("a", 60_000), store.claim("b", 60_000), store.claim("a", 60_000)]).toEqual([true, true, false]);
    expect(store.claim("c", 60_000)).toBe(true); // evicts "a"
    expect([store.claim("a", 60_000), store.claim("c", 60_000)]).toEqual([true, false]);
    expect(store.claim("short", 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(store.claim("short", 1)).toBe(true);
    expect(() => createMemoryDedupeStore({ maxKeys: 0 })).toThrow(TypeError);
  });
});

describe("persist before acknowledging", () => {
  it("with responseTimeoutMs: false, answers 2xx only once the awaited matcher is done, and 500 when it fails", async () => {
    const order: string[] = [];
    let fail = false;
    const base = await start(createTrigger({
      ...optionsOf("whereby"),
      responseTimeoutMs: false,
      webhookTriggers: {
        "room.client.joined": async () => {
          await new Promise((resolve) => setTimeout(resolve, 150));
          if (fail) throw new Error("could not persist");
          order.push("persisted");
          return true;
        },
      },
    }));
    const request = await signDelivery("whereby", joined, { secret: secrets.whereby });
    const response = await send(base, request);
    order.push(`answered ${response.status}`);
    expect(order).toEqual(["persisted", "answered 200"]);
    fail = true;
    const other = await signDelivery("whereby", { ...joined, id: "another-event" }, { secret: secrets.whereby });
    expect((await send(base, other)).status).toBe(500);
  });
});

describe("idempotency keys", () => {
  const parsedKey = (provider: Provider, request: { url: string; headers: Readonly<Record<string, string>>; body: string }) => {
    const result = parseDelivery(provider, request);
    if (!result.ok) throw new Error(result.error.message);
    return result.events.map((event) => event.key);
  };

  it("is the event id for Whereby and Daily, and is part of the event's JSON", async () => {
    const request = await signDelivery("whereby", joined, { secret: secrets.whereby });
    expect(parsedKey("whereby", request)).toEqual([joined.id]);
    const parsed = parseDelivery("whereby", request);
    expect(JSON.parse(JSON.stringify(parsed.ok && parsed.events[0]))).toEqual({ provider: "whereby", type: "room.client.joined", key: joined.id, event: joined });
    const daily = exampleOf("daily", "participant.joined");
    expect(parsedKey("daily", await signDelivery("daily", daily, { secret: secrets.daily }))).toEqual([daily.id]);
  });

  it("is derived from the content for BigBlueButton and iotum: the same for a retry, different for distinct events", async () => {
    const first = await signDelivery("bigbluebutton", [bbbJoin("w_1", 1), bbbJoin("w_2", 1), bbbJoin("w_1", 2)], { secret: secrets.bigbluebutton, callbackUrl });
    const keys = parsedKey("bigbluebutton", first);
    expect(new Set(keys).size).toBe(3);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{64}$/);
    const retry = await signDelivery("bigbluebutton", [bbbJoin("w_1", 1)], { secret: secrets.bigbluebutton, callbackUrl, at: Date.now() + 5_000 });
    expect(parsedKey("bigbluebutton", retry)).toEqual([keys[0]]);

    const entered = exampleOf("iotum", "enter_conference");
    const later = { ...entered, timestamp: "2030-01-01T00:00:00.000Z" };
    const [a, b] = [parsedKey("iotum", await signDelivery("iotum", entered, { secret: secrets.iotum })), parsedKey("iotum", await signDelivery("iotum", later, { secret: secrets.iotum }))];
    expect(a).not.toEqual(b);
    expect(parsedKey("iotum", await signDelivery("iotum", entered, { secret: secrets.iotum }))).toEqual(a);
  });
});

describe("signDelivery", () => {
  for (const provider of ["whereby", "daily", "bigbluebutton", "iotum"] as const) {
    it(`${provider}: what it signs verifies, synchronously and with Web Crypto, and parses back to the event`, async () => {
      const event = exampleOf(provider, loaded.find((p) => p.name === provider)!.events[0]!.base);
      const request = await signDelivery(provider, event, { secret: secrets[provider], callbackUrl });
      const options = { secret: secrets[provider], callbackUrl };
      expect(verifyDelivery(provider, request, options)).toEqual({ ok: true });
      expect(await verifyDeliveryAsync(provider, request, options)).toEqual({ ok: true });
      expect(verifyDelivery(provider, request, { ...options, secret: provider === "daily" ? "b3RoZXItc2VjcmV0LTE2Ynl0ZXM=" : "other" })).toMatchObject({ ok: false });
      expect(parseDelivery(provider, request)).toMatchObject({ ok: true, events: [{ event }] });
    });
  }

  it("signs Whereby exactly as the documented formula (test/support.ts computes it with node:crypto)", async () => {
    const at = 1_700_000_000_000;
    const request = await signDelivery("whereby", joined, { secret: secrets.whereby, at });
    expect(request.headers["whereby-signature"]).toBe(sign("whereby", request.body, { at }).headers["whereby-signature"]);
  });

  it("signs BigBlueButton with a bearer token when no callbackUrl is given, and refuses a blank secret", async () => {
    const request = await signDelivery("bigbluebutton", exampleOf("bigbluebutton", "user-joined"), { secret: secrets.bigbluebutton });
    expect(request.headers.authorization).toBe(`Bearer ${secrets.bigbluebutton}`);
    await expect(signDelivery("whereby", joined, { secret: " " })).rejects.toThrow(TypeError);
  });
});

describe("signing for a receiver at a path of its own", () => {
  it("sends a BigBlueButton checksum delivery to the path of its callbackUrl, where a trigger for that hook listens", async () => {
    const event = (loaded.find((p) => p.name === "bigbluebutton")!.events.find((e) => e.base === "user-joined")!.schema.examples as unknown[])[0];
    const request = await signDelivery("bigbluebutton", event as never, { secret: secrets.bigbluebutton, callbackUrl: "https://example.com/hooks/bbb?meeting=1" });
    expect(request.url).toMatch(/^\/hooks\/bbb\?meeting=1&checksum=[0-9a-f]{40}$/);
    const base = await start(createTrigger({ provider: "bigbluebutton", secret: secrets.bigbluebutton, callbackUrl: "https://example.com/hooks/bbb?meeting=1", path: "/hooks/bbb", port: 0, host: "127.0.0.1", onError: () => {} }));
    expect(await send(base, request)).toMatchObject({ status: 200, body: { ok: true, events: 1 } });
    expect((await signDelivery("bigbluebutton", event as never, { secret: secrets.bigbluebutton, callbackUrl, path: "/elsewhere" })).url).toMatch(/^\/elsewhere\?checksum=/);
  });
});
