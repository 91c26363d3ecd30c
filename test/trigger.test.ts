import { request as httpRequest } from "node:http";
import { describe, expect, it, vi } from "vitest";
import { createTrigger, type ParsedEvent, type Provider } from "../generated/src/index.js";
import { createWherebyTrigger } from "../generated/src/whereby/index.js";
import { send, start } from "./http.js";
import { encodeBody, providers, secrets, sign, callbackUrl } from "./support.js";

const loaded = await providers();
const exampleOf = (provider: string, type: string) =>
  (loaded.find((p) => p.name === provider)!.events.find((e) => e.base === type)!.schema.examples as unknown[])[0];

function signed(provider: Provider, event: unknown) {
  const body = encodeBody(provider, event);
  const { url, headers } = sign(provider, body);
  return { path: url, headers, body };
}

describe("a trigger per provider, end to end over HTTP", () => {
  const cases: [Provider, string][] = [["whereby", "room.client.joined"], ["daily", "participant.joined"], ["bigbluebutton", "user-joined"], ["iotum", "enter_conference"]];
  for (const [provider, type] of cases) {
    it(`${provider}: signed ${type} → matcher gets the typed event → event emitted → 200`, async () => {
      const matcher = vi.fn(() => true);
      const trigger = createTrigger({ provider, secret: secrets[provider], callbackUrl, port: 0, webhookTriggers: { [type]: matcher } as never });
      const emitted: ParsedEvent[] = [];
      trigger.on("trigger_event_success", (parsed) => emitted.push(parsed as ParsedEvent));
      const base = await start(trigger);
      const response = await send(base, signed(provider, exampleOf(provider, type)));
      expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: { ok: true, events: 1, unknown: 0, invalid: 0, duplicates: 0 } });
      expect(matcher).toHaveBeenCalledWith(exampleOf(provider, type));
      expect(emitted).toMatchObject([{ provider, type, event: exampleOf(provider, type) }]);
    });
  }
});

describe("the Whereby trigger", () => {
  const joined = exampleOf("whereby", "room.client.joined");
  const make = (options: Partial<Parameters<typeof createWherebyTrigger>[0]> = {}) =>
    createWherebyTrigger({ secret: secrets.whereby, port: 0, onError: () => {}, ...options });

  it("answers 401 to a bad signature and runs no matcher", async () => {
    const matcher = vi.fn(() => true);
    const base = await start(make({ webhookTriggers: { "room.client.joined": matcher } }));
    const delivery = signed("whereby", joined);
    const response = await send(base, { ...delivery, headers: { "whereby-signature": delivery.headers["whereby-signature"]!.replace(/v1=(.)/, (_, c: string) => `v1=${c === "0" ? "1" : "0"}`) } });
    expect(response).toMatchObject({ status: 401, body: { ok: false, error: { code: "signature" } } });
    expect(matcher).not.toHaveBeenCalled();
  });

  it("answers 413 to a body over maxBodyBytes, announced or streamed", async () => {
    const base = await start(make({ maxBodyBytes: 1024 }));
    const big = JSON.stringify({ padding: "x".repeat(4096) });
    expect(await send(base, { body: big })).toMatchObject({ status: 413, body: { error: { code: "too_large" } } });
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${base}/`, { method: "POST", headers: { "transfer-encoding": "chunked" } }, (res) => (res.resume(), resolve(res.statusCode!)));
      req.on("error", reject);
      for (let i = 0; i < 8; i++) req.write("x".repeat(512));
      req.end();
    });
    expect(streamed).toBe(413);
  });

  it("with invalid: \"reject\", answers 400 with the error code to a malformed or invalid body", async () => {
    const base = await start(make({ invalid: "reject" }));
    expect(await send(base, signedRaw("{not json"))).toMatchObject({ status: 400, body: { error: { code: "malformed" } } });
    const invalid = structuredClone(joined) as { data: { roleName: string } };
    invalid.data.roleName = "janitor";
    expect(await send(base, signed("whereby", invalid))).toMatchObject({ status: 400, body: { error: { code: "invalid", pointer: "/data/roleName" } } });
  });

  it("answers 500 when a matcher throws or rejects, reports it, and keeps serving", async () => {
    const onError = vi.fn();
    const base = await start(make({
      onError,
      webhookTriggers: {
        "room.client.joined": () => { throw new Error("boom"); },
        "room.client.left": async () => { throw new Error("async boom"); },
        "room.session.started": () => true,
      },
    }));
    expect((await send(base, signed("whereby", joined))).status).toBe(500);
    expect((await send(base, signed("whereby", exampleOf("whereby", "room.client.left")))).status).toBe(500);
    expect(onError.mock.calls.map(([error]) => (error as Error).message)).toEqual(["boom", "async boom"]);
    expect(onError.mock.calls[0]![1]).toMatchObject({ type: "room.client.joined" });
    expect((await send(base, signed("whereby", exampleOf("whereby", "room.session.started")))).status).toBe(200);
  });

  it("answers 200 to an unknown event type and reports it to onUnknown", async () => {
    const onUnknown = vi.fn();
    const base = await start(make({ onUnknown }));
    const unknown = { ...(joined as object), type: "room.client.teleported" };
    expect(await send(base, signed("whereby", unknown))).toMatchObject({ status: 200, body: { ok: true, events: 0, unknown: 1 } });
    expect(onUnknown).toHaveBeenCalledWith(expect.objectContaining({ code: "unknown_event", type: "room.client.teleported", event: unknown }));
  });

  it("answers 202 within responseTimeoutMs when a matcher is slow, and still emits its match", async () => {
    let release!: () => void;
    const trigger = make({ responseTimeoutMs: 50, webhookTriggers: { "room.client.joined": () => new Promise<boolean>((resolve) => (release = () => resolve(true))) } });
    const emitted = new Promise((resolve) => trigger.on("trigger_event_success", resolve));
    const base = await start(trigger);
    expect(await send(base, signed("whereby", joined))).toMatchObject({ status: 202, body: { pending: true } });
    release();
    await expect(emitted).resolves.toMatchObject({ type: "room.client.joined" });
  });

  it("stop() waits for deliveries in flight, then refuses connections", async () => {
    const finished: string[] = [];
    const trigger = make({ webhookTriggers: { "room.client.joined": async () => { await new Promise((r) => setTimeout(r, 200)); finished.push("matcher"); return true; } } });
    const base = await start(trigger);
    const inFlight = send(base, signed("whereby", joined));
    await new Promise((r) => setTimeout(r, 50));
    await trigger.stop();
    finished.push("stopped");
    expect(finished).toEqual(["matcher", "stopped"]);
    expect((await inFlight).status).toBe(200);
    await expect(send(base, { method: "GET" })).rejects.toThrow(/ECONNREFUSED/);
  });

  it("answers GET on its path as a health check, 404 elsewhere, 405 to other methods", async () => {
    const base = await start(make({ path: "/hooks/whereby" }));
    expect(await send(base, { method: "GET", path: "/hooks/whereby" })).toMatchObject({ status: 200, body: { ok: true, provider: "whereby" } });
    expect((await send(base, { method: "POST", path: "/elsewhere" })).status).toBe(404);
    expect((await send(base, { method: "PUT", path: "/hooks/whereby" })).status).toBe(405);
  });

  it("refuses to start without a secret, and names a misspelt trigger", () => {
    expect(() => createWherebyTrigger({})).toThrow(/secret/);
    expect(() => createWherebyTrigger({ secret: [""] })).toThrow(/non-empty/);
    expect(() => createWherebyTrigger({ secret: "s", webhookTriggers: { "room.client.join": () => true } as never })).toThrow(/Unknown event type "room\.client\.join"/);
  });

  it("rejects start() when the port is taken", async () => {
    const first = make();
    const { port } = new URL(await start(first));
    await expect(make({ port: Number(port) }).start()).rejects.toThrow(/EADDRINUSE/);
  });
});

describe("the middleware", () => {
  const joined = exampleOf("whereby", "room.client.joined");

  it("serves a raw body from a framework and reads the stream when no parser ran", async () => {
    const trigger = createWherebyTrigger({ secret: secrets.whereby, webhookTriggers: { "room.client.joined": () => true } });
    const delivery = signed("whereby", joined);
    const { createServer } = await import("node:http");
    const server = createServer((req, res) => {
      if (req.url === "/raw") {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c)).on("end", () => trigger.middleware(Object.assign(req, { body: Buffer.concat(chunks) }), res));
      } else if (req.url === "/parsed") {
        req.resume().on("end", () => trigger.middleware(Object.assign(req, { body: { already: "parsed" } }), res, (error) => res.writeHead(500).end(JSON.stringify({ message: (error as Error).message }))));
      } else trigger.middleware(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      expect((await send(base, { ...delivery, path: "/raw" })).status).toBe(200);
      expect((await send(base, { ...delivery, path: "/stream" })).status).toBe(200);
      expect(await send(base, { ...delivery, path: "/parsed" })).toMatchObject({ status: 500, body: { message: expect.stringMatching(/raw body/) } });
    } finally {
      server.close();
    }
  });
});

function signedRaw(body: string) {
  const { url, headers } = sign("whereby", body);
  return { path: url, headers, body };
}
