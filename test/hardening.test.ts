import { request as httpRequest } from "node:http";
import { connect, type Socket } from "node:net";
import { describe, expect, it, vi } from "vitest";
import { constantTimeEqual, createTrigger, createWherebyTrigger, handleDeliveryOf, signDelivery, verifyDelivery, verifyDeliveryAsync, type Provider } from "./hardening-support.js";
import { send, start } from "./http.js";
import { callbackUrl, providers, secrets } from "./support.js";

const loaded = await providers();
const joined = (loaded.find((p) => p.name === "whereby")!.events.find((e) => e.base === "room.client.joined")!.schema.examples as any[])[0];
const signedJoin = (id = joined.id) => signDelivery("whereby", { ...joined, id }, { secret: secrets.whereby });
const quiet = { secret: secrets.whereby, port: 0, host: "127.0.0.1", onError: () => {} };

/** Writes raw bytes on a new connection and collects what comes back until the server closes or `until` matches. */
function raw(base: string, write: (socket: Socket) => void, until?: RegExp): Promise<string> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    let received = "";
    const socket = connect(Number(port), "127.0.0.1", () => write(socket));
    socket.on("data", (chunk) => {
      received += chunk.toString();
      if (until?.test(received)) (socket.destroy(), resolve(received));
    });
    socket.on("close", () => resolve(received));
    socket.on("error", reject);
  });
}

describe("1–3: a throwing listener or hook changes no answer and never stops the process", () => {
  it("1. async matcher + throwing trigger_event_success listener: exactly one 200, onError once", async () => {
    const onError = vi.fn();
    const trigger = createWherebyTrigger({ ...quiet, onError, webhookTriggers: { "room.client.joined": async () => true } });
    trigger.on("trigger_event_success", () => { throw new Error("listener broke"); });
    const base = await start(trigger);
    expect((await send(base, await signedJoin())).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(onError.mock.calls.map(([error]) => (error as Error).message)).toEqual(["listener broke"]);
    expect(await trigger.handleDelivery({ ...(await signedJoin("evt-2")) })).toMatchObject({ status: 200 });
  });

  it("2. sync matcher + throwing or rejecting listener: 200, not a 500 that would fire the event twice", async () => {
    const onError = vi.fn();
    const trigger = createWherebyTrigger({ ...quiet, onError, webhookTriggers: { "room.client.joined": () => true } });
    trigger.on("trigger_event_success", () => { throw new Error("sync listener broke"); });
    trigger.on("trigger_event_success", async () => { throw new Error("async listener broke"); });
    const base = await start(trigger);
    expect((await send(base, await signedJoin())).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(onError.mock.calls.map(([error]) => (error as Error).message).sort()).toEqual(["async listener broke", "sync listener broke"]);
  });

  it("3. onUnknown, onInvalid and onError that throw or reject: the process stays up and the delivery is answered", async () => {
    const uncaught = vi.fn();
    process.on("uncaughtException", uncaught);
    process.on("unhandledRejection", uncaught);
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const base = await start(createWherebyTrigger({
        ...quiet,
        onUnknown: () => { throw new Error("onUnknown broke"); },
        onInvalid: async () => { throw new Error("onInvalid broke"); },
        onError: () => { throw new Error("onError broke too"); },
      }));
      const unknown = await signDelivery("whereby", { ...joined, type: "room.client.teleported" } as never, { secret: secrets.whereby });
      expect((await send(base, unknown)).status).toBe(200);
      const invalid = await signDelivery("whereby", { ...joined, data: { ...joined.data, roleName: "janitor" } } as never, { secret: secrets.whereby });
      expect((await send(base, invalid)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(uncaught).not.toHaveBeenCalled();
      expect(error.mock.calls.map((call) => String((call[1] as Error)?.message ?? call[0]))).toEqual(["onError broke too", "onError broke too"]);
    } finally {
      process.off("uncaughtException", uncaught);
      process.off("unhandledRejection", uncaught);
      error.mockRestore();
    }
  });
});

describe("listeners", () => {
  it("on, once and off behave as Node's EventEmitter: once fires one time, off removes a once registration too", async () => {
    const trigger = createWherebyTrigger({ ...quiet, webhookTriggers: { "room.client.joined": () => true } });
    const seen: string[] = [];
    const removed = () => seen.push("removed");
    trigger.on("trigger_event_success", ({ key }) => void seen.push(`on ${key}`)).once("trigger_event_success", ({ key }) => void seen.push(`once ${key}`));
    trigger.once("trigger_event_success", removed).off("trigger_event_success", removed);
    await trigger.handleDelivery(await signedJoin("a"));
    await trigger.handleDelivery(await signedJoin("b"));
    expect(seen).toEqual(["on a", "once a", "on b"]);
    expect(trigger.listenerCount("trigger_event_success")).toBe(1);
  });
});

describe("4: stop() always ends", () => {
  it("with a matcher that never settles: resolves after timeoutMs and reports the abandoned delivery", async () => {
    const onError = vi.fn();
    const trigger = createWherebyTrigger({ ...quiet, onError, responseTimeoutMs: 50, webhookTriggers: { "room.client.joined": () => new Promise<boolean>(() => {}) } });
    const base = await start(trigger);
    expect((await send(base, await signedJoin())).status).toBe(202);
    const began = Date.now();
    await trigger.stop({ timeoutMs: 200 });
    expect(Date.now() - began).toBeLessThan(2_000);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/abandoned/) }), undefined);
  });

  it("with a client holding a half-sent request: resolves", async () => {
    const trigger = createWherebyTrigger(quiet);
    const base = await start(trigger);
    const { port } = new URL(base);
    const socket = connect(Number(port), "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"half");
    await new Promise((resolve) => setTimeout(resolve, 20));
    const closed = new Promise((resolve) => socket.once("close", resolve));
    await trigger.stop({ timeoutMs: 200 });
    await closed;
  });

  it("answers a request that arrives on a busy kept-alive connection after stop() with 503 and Connection: close", async () => {
    let release!: () => void;
    const trigger = createWherebyTrigger({ ...quiet, webhookTriggers: { "room.client.joined": () => new Promise<boolean>((resolve) => (release = () => resolve(true))) } });
    const base = await start(trigger);
    const first = await signedJoin("evt-a");
    const second = await signedJoin("evt-b");
    const request = (r: { url: string; headers: Readonly<Record<string, string>>; body: string }) =>
      `POST ${r.url} HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n${Object.entries(r.headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")}Content-Length: ${Buffer.byteLength(r.body)}\r\n\r\n${r.body}`;
    let stopped!: Promise<void>;
    const answers = raw(base, (socket) => {
      socket.write(request(first));
      setTimeout(() => {
        stopped = trigger.stop({ timeoutMs: 2_000 });
        socket.write(request(second));
        setTimeout(() => release(), 50);
      }, 50);
    });
    const text = await answers;
    await stopped;
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text).toMatch(/HTTP\/1\.1 503[\s\S]*connection: close/i);
  });
});

describe("5–6: options that would switch a protection off are refused at construction", () => {
  it("5. Daily secrets that decode to nothing or too little, and blank secrets of every provider", () => {
    for (const secret of ["!!!!", "a", "ZGFpbHk=", "not base64 at all"]) expect(() => createTrigger({ provider: "daily", secret })).toThrow(TypeError);
    for (const provider of ["whereby", "daily", "bigbluebutton", "iotum"] as const) {
      for (const secret of ["", "   ", "\t\n", ["ok-secret-that-is-fine", " "]]) expect(() => createTrigger({ provider, secret } as never), `${provider} ${JSON.stringify(secret)}`).toThrow(TypeError);
    }
    expect(() => createTrigger({ provider: "daily", secret: secrets.daily })).not.toThrow();
  });

  it("6. responseTimeoutMs, toleranceSeconds, maxBodyBytes and port that are not numbers in range", () => {
    for (const responseTimeoutMs of [Infinity, 2 ** 31, 0, NaN, -1, "4000"]) expect(() => createWherebyTrigger({ ...quiet, responseTimeoutMs } as never), String(responseTimeoutMs)).toThrow(/responseTimeoutMs/);
    for (const toleranceSeconds of [NaN, -1, Infinity]) expect(() => createWherebyTrigger({ ...quiet, toleranceSeconds }), String(toleranceSeconds)).toThrow(/toleranceSeconds/);
    for (const maxBodyBytes of [0, NaN, 1.5, Infinity]) expect(() => createWherebyTrigger({ ...quiet, maxBodyBytes }), String(maxBodyBytes)).toThrow(/maxBodyBytes/);
    for (const port of [-1, 65_536, 1.5, NaN]) expect(() => createWherebyTrigger({ ...quiet, port }), String(port)).toThrow(/port/);
    expect(() => createWherebyTrigger({ ...quiet, responseTimeoutMs: false })).not.toThrow();
  });

  it("6. a clock that returns NaN refuses as stale instead of switching the window off", async () => {
    const request = await signedJoin();
    expect(verifyDelivery("whereby", request, { secret: secrets.whereby, now: () => NaN })).toMatchObject({ ok: false, error: { code: "stale" } });
    expect(verifyDelivery("whereby", request, { secret: secrets.whereby, toleranceSeconds: NaN })).toMatchObject({ ok: false, error: { code: "stale" } });
  });
});

describe("7: never throws, for any JavaScript value", () => {
  const odd: unknown[] = [
    null,
    undefined,
    42,
    "text",
    { headers: { "whereby-signature": [1, 2] }, body: "{}" },
    { headers: { "whereby-signature": Buffer.from("t=1,v1=00") }, body: "{}" },
    { headers: { "x-signing-token": [null] }, url: 7, body: "{}" },
    { headers: null, body: "{}" },
    { headers: { authorization: 5 }, url: { toString: () => { throw new Error("no"); } }, body: "{}" },
    { headers: Object.create(null), body: new Uint8Array([0xff]) },
  ];
  for (const provider of ["whereby", "daily", "bigbluebutton", "iotum"] as Provider[]) {
    it(`${provider}: verifyDelivery, verifyDeliveryAsync and handleDelivery`, async () => {
      const options = { secret: secrets[provider], callbackUrl };
      const trigger = createTrigger({ provider, ...options, onError: () => {} } as never);
      for (const request of odd) {
        expect(() => verifyDelivery(provider, request as never, options)).not.toThrow();
        await expect(verifyDeliveryAsync(provider, request as never, options)).resolves.toMatchObject({ ok: false });
        await expect(handleDeliveryOf(trigger, request)).resolves.toMatchObject({ status: expect.any(Number) });
      }
    });
  }
});

describe("8: limits hold", () => {
  it("a chunked body over maxBodyBytes is answered 413 long before its end", async () => {
    const base = await start(createWherebyTrigger({ ...quiet, maxBodyBytes: 1024 }));
    const { status, written } = await new Promise<{ status: number; written: number }>((resolve, reject) => {
      let written = 0;
      let answered = false;
      const req = httpRequest(`${base}/`, { method: "POST", headers: { "transfer-encoding": "chunked" } }, (res) => {
        answered = true;
        res.resume();
        resolve({ status: res.statusCode!, written });
      });
      req.on("error", (error) => (answered ? undefined : reject(error)));
      const chunk = "x".repeat(64 * 1024);
      const pump = () => {
        while (!answered && written < 200 * 1024 * 1024) {
          written += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
      };
      pump();
    });
    expect(status).toBe(413);
    expect(written).toBeLessThan(32 * 1024 * 1024);
  });

  it("an announced oversized body gets a 413 answer, not a reset", async () => {
    const base = await start(createWherebyTrigger({ ...quiet, maxBodyBytes: 1024 }));
    const text = await raw(base, (socket) => {
      socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n`);
      socket.write("x".repeat(256 * 1024));
    }, /\r\n\r\n\{.*\}/s);
    expect(text).toMatch(/^HTTP\/1\.1 413/);
    expect(text).toMatch(/too_large/);
  });

  it("Expect: 100-continue is checked against the limit and the signature header before the body is invited", async () => {
    const base = await start(createWherebyTrigger({ ...quiet, maxBodyBytes: 1024 }));
    const head = (headers: string) => `POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n${headers}\r\n`;
    expect(await raw(base, (s) => s.write(head("Content-Length: 5000\r\nWhereby-Signature: t=1,v1=00\r\n")), /\r\n\r\n\{.*\}/s)).toMatch(/^HTTP\/1\.1 413/);
    expect(await raw(base, (s) => s.write(head("Content-Length: 10\r\n")), /\r\n\r\n\{.*\}/s)).toMatch(/^HTTP\/1\.1 401/);
    const request = await signedJoin();
    const answer = await raw(base, (socket) => {
      socket.write(head(`Content-Length: ${Buffer.byteLength(request.body)}\r\nWhereby-Signature: ${request.headers["whereby-signature"]}\r\n`));
      socket.once("data", () => socket.write(request.body));
    }, /HTTP\/1\.1 200[\s\S]*\r\n\r\n\{.*\}/);
    expect(answer).toMatch(/^HTTP\/1\.1 100 Continue[\s\S]*HTTP\/1\.1 200/);
  });

  it("sets header, request and keep-alive timeouts on the server, configurable", () => {
    const defaults = createWherebyTrigger(quiet).server;
    expect([defaults.headersTimeout, defaults.requestTimeout, defaults.keepAliveTimeout]).toEqual([10_000, 30_000, 5_000]);
    const tuned = createWherebyTrigger({ ...quiet, headersTimeoutMs: 2_000, requestTimeoutMs: 4_000, keepAliveTimeoutMs: 1_000 }).server;
    expect([tuned.headersTimeout, tuned.requestTimeout, tuned.keepAliveTimeout]).toEqual([2_000, 4_000, 1_000]);
  });
});

describe("9: BigBlueButton", () => {
  const event = (loaded.find((p) => p.name === "bigbluebutton")!.events.find((e) => e.base === "user-joined")!.schema.examples as any[])[0];
  const options = { secret: secrets.bigbluebutton, callbackUrl };

  it("refuses a checksum-signed form whose timestamp is outside the replay window", async () => {
    const stale = await signDelivery("bigbluebutton", event, { ...options, at: Date.now() - 2 * 3600_000 });
    expect(verifyDelivery("bigbluebutton", stale, options)).toMatchObject({ ok: false, error: { code: "stale" } });
    expect(verifyDelivery("bigbluebutton", stale, { ...options, toleranceSeconds: 3 * 3600 })).toEqual({ ok: true });
  });

  it("refuses a SHA-1 checksum when the algorithm is pinned to SHA-256", async () => {
    const sha1 = await signDelivery("bigbluebutton", event, options);
    expect(verifyDelivery("bigbluebutton", sha1, options)).toEqual({ ok: true });
    expect(verifyDelivery("bigbluebutton", sha1, { ...options, algorithm: "sha256" })).toMatchObject({ ok: false, error: { code: "signature" } });
    const sha256 = await signDelivery("bigbluebutton", event, { ...options, algorithm: "sha256" });
    expect(verifyDelivery("bigbluebutton", sha256, { ...options, algorithm: "sha256" })).toEqual({ ok: true });
  });

  it("refuses a form with a second event field as malformed, and accepts a bearer scheme in any case", async () => {
    const signed = await signDelivery("bigbluebutton", event, { secret: secrets.bigbluebutton });
    const trigger = createTrigger({ provider: "bigbluebutton", secret: secrets.bigbluebutton, invalid: "reject", onError: () => {} });
    const twice = { ...signed, body: `${signed.body}&event=${encodeURIComponent("[]")}` };
    expect(await trigger.handleDelivery(twice)).toMatchObject({ status: 400, body: expect.stringMatching(/malformed/) });
    const lower = { ...signed, headers: { authorization: `bearer ${secrets.bigbluebutton}` } };
    expect(verifyDelivery("bigbluebutton", lower, { secret: secrets.bigbluebutton })).toEqual({ ok: true });
    expect(await trigger.handleDelivery(lower)).toMatchObject({ status: 200 });
  });
});

describe("10: comparisons", () => {
  it("are exact whatever the lengths", () => {
    expect(constantTimeEqual("token", "token")).toBe(true);
    for (const [given, expected] of [["toke", "token"], ["tokens", "token"], ["", "token"], ["token", ""], ["tokeN", "token"], ["tokentoken", "token"]]) {
      expect(constantTimeEqual(given!, expected!), `${given} vs ${expected}`).toBe(false);
    }
    expect(constantTimeEqual("", "")).toBe(true);
  });
});

describe("11: default logging", () => {
  it("one line per refused delivery, a stack trace only for a failure of your own code", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const base = await start(createWherebyTrigger({ secret: secrets.whereby, port: 0, host: "127.0.0.1", webhookTriggers: { "room.client.joined": () => { throw new Error("my bug"); } } }));
      const request = await signedJoin();
      expect((await send(base, { ...request, headers: { "whereby-signature": "t=1,v1=00" } })).status).toBe(401);
      expect(warn).toHaveBeenCalledOnce();
      expect(String(warn.mock.calls[0]![0])).toMatch(/^confhooks: Whereby delivery refused with 401: stale: [^\n]+$/);
      expect(error).not.toHaveBeenCalled();
      expect((await send(base, request)).status).toBe(500);
      expect(error).toHaveBeenCalledOnce();
      expect(error.mock.calls[0]![1]).toBeInstanceOf(Error);
      expect((error.mock.calls[0]![1] as Error).message).toBe("my bug");
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });
});

