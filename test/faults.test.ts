// Issue 22: the faults found by probing the trigger as an attacker and as an unlucky operator
// would. Each scenario runs on the Node adapter (over HTTP) and through `trigger.fetch` (the Web
// build, verifying with Web Crypto); fault 2 runs against a real redis-server in redis.test.ts.
import { createHash } from "node:crypto";
import { connect } from "node:net";
import { format } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTrigger as createNodeTrigger, signBody, signDelivery, verifyDelivery, verifyDeliveryAsync, type Provider } from "../generated/src/index.js";
import { createTrigger as createWebTrigger } from "../generated/src/web.js";
import { start } from "./http.js";
import { adapters } from "./receivers.js";
import { callbackUrl, providers, secrets } from "./support.js";

const loaded = await providers();
const exampleOf = (provider: string, type: string): any =>
  structuredClone((loaded.find((p) => p.name === provider)!.events.find((e) => e.base === type)!.schema.examples as unknown[])[0]);
const joined = exampleOf("whereby", "room.client.joined");
const signedJoin = (id = joined.id) => signDelivery("whereby", { ...joined, id }, { secret: secrets.whereby });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const is2xx = (status: number) => status >= 200 && status < 300;

/** Console output as Node prints it: `util.format` runs, so a value it cannot print throws as it would. */
function captureConsole() {
  const lines: Record<"warn" | "error" | "debug", string[]> = { warn: [], error: [], debug: [] };
  const spies = (["warn", "error", "debug"] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines[level].push(format(...args))),
  );
  return { lines, spies, restore: () => spies.forEach((spy) => spy.mockRestore()) };
}
afterEach(() => vi.restoreAllMocks());

/** A value `util.inspect` cannot print: its custom inspection throws. */
const unprintable = { [Symbol.for("nodejs.util.inspect.custom")]() { throw new Error("cannot print me"); } };

for (const [adapter, open] of Object.entries(adapters)) {
  describe(`issue 22 faults, ${adapter}`, () => {
    describe("1. a retry that arrives while the first attempt is running", () => {
      for (const responseTimeoutMs of [false, undefined] as const) {
        it(`is acknowledged only once the event was handled (responseTimeoutMs: ${responseTimeoutMs})`, async () => {
          let calls = 0;
          let successes = 0;
          const { post } = await open({
            provider: "whereby", secret: secrets.whereby, responseTimeoutMs, onError: () => {},
            webhookTriggers: { "room.client.joined": async () => { const call = ++calls; await sleep(call === 1 ? 600 : 10); if (call === 1) throw new Error("the database timed out"); successes++; return true; } },
          });
          const request = await signedJoin();
          const first = post(request); // the provider's client gives up on it after 300 ms, and retries
          await sleep(300);
          let retry = await post(request);
          if (!is2xx(retry.status)) {
            await first;
            retry = await post(request); // the provider retries again later
          }
          expect(retry.status).toBe(200);
          expect(successes, "a 2xx went out before any attempt had handled the event").toBe(1);
          expect((await first).status).toBe(500);
          expect(await post(request)).toMatchObject({ status: 200, body: { duplicates: 1 } });
          expect(successes).toBe(1);
        });
      }

      it("gets 503 when the first attempt is still running after responseTimeoutMs, and a duplicate once it is done", async () => {
        let calls = 0;
        const { post } = await open({
          provider: "whereby", secret: secrets.whereby, responseTimeoutMs: 200, onError: () => {},
          webhookTriggers: { "room.client.joined": async () => (calls++, await sleep(700), true) },
        });
        const request = await signedJoin();
        const first = post(request);
        await sleep(100);
        const retry = await post(request);
        expect(retry).toMatchObject({ status: 503, body: { ok: false, error: { code: "in_flight" } } });
        expect(retry.headers["retry-after"]).toBeDefined();
        expect((await first).status).toBe(202);
        await sleep(700);
        expect(await post(request)).toMatchObject({ status: 200, body: { duplicates: 1 } });
        expect(calls).toBe(1);
      });
    });

    describe("3. BigBlueButton 2.x checksums", () => {
      /** A 2.x delivery: the checksum covers the JSON of the decoded fields, not the body. */
      function legacy(at: number) {
        const event = JSON.stringify([exampleOf("bigbluebutton", "user-joined")]);
        const json = JSON.stringify({ event, timestamp: at, domain: "bbb.example.com" });
        const checksum = createHash("sha1").update(callbackUrl + json + secrets.bigbluebutton).digest("hex");
        return { event: encodeURIComponent(event), url: `/?checksum=${checksum}`, body: `event=${encodeURIComponent(event)}&timestamp=${at}&domain=bbb.example.com` };
      }

      it("refuses a captured delivery whose fields are sent twice to move its timestamp and domain", async () => {
        const envelopes: unknown[] = [];
        const matcher = vi.fn(() => true);
        const { trigger, post } = await open({ provider: "bigbluebutton", secret: secrets.bigbluebutton, callbackUrl, onError: () => {}, onInvalid: () => {}, webhookTriggers: { "user-joined": matcher } });
        trigger.on("trigger_event_success", (parsed: { envelope: unknown }) => envelopes.push(parsed.envelope));
        const old = Date.now() - 30 * 24 * 3600_000;
        const captured = legacy(old);
        expect((await post(captured)).status, "the captured delivery as sent").toBe(401);
        for (const body of [
          `event=${captured.event}&t%69mestamp=${old}&domain=bbb.example.com&timestamp=${Date.now()}&domain=evil.example`,
          `event=${captured.event}&timestamp=${old}&domain=bbb.example.com&timestamp=${Date.now()}`,
          `event=${captured.event}&timestamp=${old}&domain=bbb.example.com&domain=evil.example`,
        ]) {
          const answer = await post({ url: captured.url, body });
          expect(answer.status, body.slice(-60)).toBeGreaterThanOrEqual(400);
        }
        expect(matcher).not.toHaveBeenCalled();
        const fresh = legacy(Date.now());
        expect((await post(fresh)).status, "a fresh 2.x delivery").toBe(200);
        expect(envelopes).toEqual([{ timestamp: expect.any(String), domain: "bbb.example.com" }]);
      });
    });

    describe("4. insecureSkipVerification", () => {
      it("switches verification off only for the boolean true; anything else is a TypeError at construction", async () => {
        for (const value of ["false", "0", 1, "true", 0, null]) {
          await expect(open({ provider: "whereby", secret: secrets.whereby, insecureSkipVerification: value }), String(value)).rejects.toThrow(/insecureSkipVerification/);
        }
        const verifying = await open({ provider: "whereby", secret: secrets.whereby, insecureSkipVerification: false, onError: () => {} });
        expect((await verifying.post({ body: JSON.stringify(joined) })).status).toBe(401);
        const unverified = await open({ provider: "whereby", insecureSkipVerification: true, onError: () => {} });
        expect((await unverified.post({ body: JSON.stringify(joined) })).status).toBe(200);
      });
    });

    describe("5. a matcher result whose `then` throws", () => {
      it("fails the attempt and releases the key, so that the retry runs the matcher again", async () => {
        let calls = 0;
        const { post } = await open({
          provider: "whereby", secret: secrets.whereby, onError: () => {},
          webhookTriggers: {
            "room.client.joined": () => {
              calls++;
              if (calls === 1) return { get then() { throw new Error("then getter"); } } as never;
              if (calls === 2) return { then() { throw new Error("then method"); } } as never;
              return true;
            },
          },
        });
        const request = await signedJoin();
        expect(await post(request)).toMatchObject({ status: 500, body: { error: { code: "matcher" } } });
        expect(await post(request)).toMatchObject({ status: 500, body: { error: { code: "matcher" } } });
        expect(await post(request)).toMatchObject({ status: 200, body: { duplicates: 0 } });
        expect(calls).toBe(3);
        expect(await post(request)).toMatchObject({ status: 200, body: { duplicates: 1 } });
      });
    });

    describe("6. logging never throws, crashes or changes an answer", () => {
      it("an onError that throws a value util.inspect cannot print: every request is still answered", async () => {
        const output = captureConsole();
        const uncaught = vi.fn();
        process.on("uncaughtException", uncaught);
        process.on("unhandledRejection", uncaught);
        try {
          const { post } = await open({ provider: "whereby", secret: secrets.whereby, onError: () => { throw unprintable; } });
          for (let i = 0; i < 3; i++) expect((await post({ body: "{}" })).status).toBe(401);
          expect((await post(await signedJoin())).status).toBe(200);
          await sleep(20);
          expect(uncaught).not.toHaveBeenCalled();
        } finally {
          process.off("uncaughtException", uncaught);
          process.off("unhandledRejection", uncaught);
          output.restore();
        }
      });

      it("a matcher that throws or rejects with such a value gets 500 and its key released, with the default logger", async () => {
        const output = captureConsole();
        try {
          let calls = 0;
          const { post } = await open({
            provider: "whereby", secret: secrets.whereby,
            webhookTriggers: {
              "room.client.joined": () => { calls++; if (calls === 1) throw unprintable; return true; },
              "room.client.left": async () => { throw unprintable; },
            },
          });
          const request = await signedJoin();
          expect((await post(request)).status).toBe(500);
          expect(await post(request)).toMatchObject({ status: 200, body: { duplicates: 0 } });
          const left = await signDelivery("whereby", exampleOf("whereby", "room.client.left"), { secret: secrets.whereby });
          expect((await post(left)).status).toBe(500);
          expect(output.lines.error.join("\n")).toMatch(/confhooks/);
        } finally {
          output.restore();
        }
      });

      it("a console that throws changes no answer", async () => {
        for (const level of ["warn", "error", "debug"] as const) vi.spyOn(console, level).mockImplementation(() => { throw new Error("console broke"); });
        const { post } = await open({ provider: "whereby", secret: secrets.whereby, webhookTriggers: { "room.client.joined": () => { throw new Error("my bug"); } } });
        expect((await post({ body: "{}" })).status).toBe(401);
        expect((await post(await signedJoin())).status).toBe(500);
      });
    });

    describe("8. deep nesting", () => {
      const depth = 10_000;
      const deep = "[".repeat(depth) + "]".repeat(depth);

      it("an iotum event nested 10,000 levels gets a key: answered 200, then recognised as a duplicate", async () => {
        const matcher = vi.fn(() => true);
        const { post } = await open({ provider: "iotum", secret: secrets.iotum, onError: () => {}, webhookTriggers: { enter_conference: matcher } });
        const { payload, ...rest } = exampleOf("iotum", "enter_conference");
        const body = JSON.stringify({ ...rest, payload: `${JSON.stringify(payload).slice(0, -1)},"deep":${deep}}` });
        const request = await signBody("iotum", body, { secret: secrets.iotum });
        expect(await post(request)).toMatchObject({ status: 200, body: { events: 1, duplicates: 0 } });
        expect(await post(request)).toMatchObject({ status: 200, body: { events: 1, duplicates: 1 } });
        expect(matcher).toHaveBeenCalledOnce();
      });

      it("so does a BigBlueButton event", async () => {
        const matcher = vi.fn(() => true);
        const { post } = await open({ provider: "bigbluebutton", secret: secrets.bigbluebutton, callbackUrl, onError: () => {}, webhookTriggers: { "user-joined": matcher } });
        const event = JSON.stringify(exampleOf("bigbluebutton", "user-joined"));
        const body = new URLSearchParams({ domain: "bbb.example.com", event: `[${event.slice(0, -1)},"deep":${deep}}]`, timestamp: String(Date.now()) }).toString();
        const request = await signBody("bigbluebutton", body, { secret: secrets.bigbluebutton, callbackUrl });
        expect(await post(request)).toMatchObject({ status: 200, body: { events: 1, duplicates: 0 } });
        expect(await post(request)).toMatchObject({ status: 200, body: { duplicates: 1 } });
        expect(matcher).toHaveBeenCalledOnce();
      });
    });

    describe("10. stop and start", () => {
      it("stop({ timeoutMs: NaN }) is refused before anything stops", async () => {
        const { trigger, post } = await open({ provider: "whereby", secret: secrets.whereby, webhookTriggers: { "room.client.joined": () => true } });
        await expect(trigger.stop({ timeoutMs: NaN })).rejects.toThrow(TypeError);
        expect(trigger.stopping).toBe(false);
        expect((await post(await signedJoin())).status).toBe(200);
        expect(await post({ method: "GET" })).toMatchObject({ status: 200, body: { ok: true } });
      });

      it("a health check during and after stop() answers 503", async () => {
        let release!: () => void;
        const { trigger, post } = await open({ provider: "whereby", secret: secrets.whereby, webhookTriggers: { "room.client.joined": () => new Promise<boolean>((resolve) => (release = () => resolve(true))) } });
        if (adapter === "node") {
          // A kept-alive connection opened before stop(): the load balancer's health checks.
          const socket = connect(trigger.server.address().port, "127.0.0.1");
          await new Promise((resolve) => socket.once("connect", resolve));
          const answers: string[] = [];
          socket.on("data", (chunk) => answers.push(chunk.toString()));
          const delivery = post(await signedJoin());
          await sleep(50);
          const stopped = trigger.stop({ timeoutMs: 2_000 });
          socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
          await sleep(100);
          release();
          await stopped;
          expect((await delivery).status).toBe(200);
          expect(answers.join("")).toMatch(/^HTTP\/1\.1 503/);
          socket.destroy();
        } else {
          const delivery = post(await signedJoin());
          await sleep(50);
          const stopped = trigger.stop({ timeoutMs: 2_000 });
          expect(await post({ method: "GET" })).toMatchObject({ status: 503, body: { error: { code: "stopping" } } });
          release();
          await stopped;
          expect((await delivery).status).toBe(200);
          expect((await post({ method: "GET" })).status).toBe(503);
          expect((await post({ method: "HEAD" })).status).toBe(503);
        }
      });

      if (adapter === "node") {
        it("start() after stop() is refused clearly", async () => {
          const { trigger } = await open({ provider: "whereby", secret: secrets.whereby });
          await trigger.stop();
          await expect(trigger.start()).rejects.toThrow(/stop/);
        });
      }
    });

    describe("11. Daily's creation check", () => {
      it("is exactly {\"test\":\"test\"}; any other body without a type goes to onInvalid", async () => {
        const onInvalid = vi.fn();
        const { post } = await open({ provider: "daily", secret: secrets.daily, onInvalid, onError: () => {} });
        const signed = (body: string) => signBody("daily", body, { secret: secrets.daily });
        expect(await post(await signed('{"test":"test"}'))).toMatchObject({ status: 200, body: { events: 0, invalid: 0 } });
        expect(onInvalid).not.toHaveBeenCalled();
        for (const body of ['{"test":"contest"}', '{"test":"test","extra":1}', '{"testing":"test"}', '{"test":["test"]}', '{"note":"a test"}', '"test"']) {
          expect(await post(await signed(body)), body).toMatchObject({ status: 200, body: { invalid: 1 } });
        }
        expect(onInvalid).toHaveBeenCalledTimes(6);
      });
    });

    describe("12. logs cannot be flooded", () => {
      it("repeated refusals are summarised, echoed values capped, stack traces kept for the debug level", async () => {
        const output = captureConsole();
        try {
          const { trigger, post } = await open({ provider: "whereby", secret: secrets.whereby, webhookTriggers: { "room.client.joined": () => { throw new Error("my bug"); } } });
          for (let i = 0; i < 200; i++) await post({ headers: { "whereby-signature": `t=${Math.floor(Date.now() / 1000)},v1=00` }, body: "{}" });
          expect(output.lines.warn.length, "a few lines, not one per refused request").toBeLessThanOrEqual(12);

          const huge = await signDelivery("whereby", { ...joined, type: `room.${"x".repeat(20_000)}` } as never, { secret: secrets.whereby });
          expect((await post(huge)).status).toBe(200);

          expect((await post(await signedJoin())).status).toBe(500);
          await trigger.stop();
          const all = [...output.lines.warn, ...output.lines.error];
          for (const line of all) expect(line.length, line.slice(0, 200)).toBeLessThan(1_000);
          expect(all.join("\n")).toMatch(/\b\d{3} more\b/);
          const failure = output.lines.error.find((line) => line.includes("my bug"));
          expect(failure).toBeDefined();
          expect(failure).not.toMatch(/\n\s+at /);
          expect(output.lines.debug.join("\n")).toMatch(/my bug[\s\S]*\n\s+at /);
        } finally {
          output.restore();
        }
      });
    });
  });
}

describe("issue 22, 7. server timeouts hold to about a second (Node)", () => {
  it("headersTimeoutMs and requestTimeoutMs close slow clients near their limits, not at Node's 30 s check", async () => {
    const trigger = createNodeTrigger({ provider: "whereby", secret: secrets.whereby, port: 0, host: "127.0.0.1", headersTimeoutMs: 2_000, requestTimeoutMs: 3_000, onError: () => {} });
    const port = Number(new URL(await start(trigger)).port);
    /** Opens a connection, writes `head`, then one byte every 250 ms; resolves with the time until the server closes it (at most 8 s). */
    const slow = (head: string, drip: string) =>
      new Promise<number>((resolve) => {
        const began = Date.now();
        const socket = connect(port, "127.0.0.1", () => socket.write(head));
        const timer = setInterval(() => socket.writable && socket.write(drip), 250);
        const done = () => (clearInterval(timer), clearTimeout(cap), socket.destroy(), resolve(Date.now() - began));
        const cap = setTimeout(done, 8_000);
        socket.on("close", done).on("error", () => {});
      });
    const [headers, body] = await Promise.all([
      slow("POST / HTTP/1.1\r\nHost: x\r\n", "X-A: b\r\n"),
      slow("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", "x"),
    ]);
    expect(headers).toBeLessThan(3_500);
    expect(body).toBeLessThan(4_500);
  }, 20_000);

  it("refuses headersTimeoutMs above requestTimeoutMs", () => {
    expect(() => createNodeTrigger({ provider: "whereby", secret: secrets.whereby, headersTimeoutMs: 5_000, requestTimeoutMs: 3_000 })).toThrow(/headersTimeoutMs/);
  });
});

describe("issue 22, 9. the function API checks its options as the trigger does", () => {
  const bbbOptions = { secret: secrets.bigbluebutton, callbackUrl };
  /** The TypeError's message after its `where:` prefix, or the verdict. */
  const outcome = (run: () => unknown) => {
    try {
      const result = run() as { ok: boolean; error?: { code: string } };
      return result.ok ? "ok" : result.error!.code;
    } catch (error) {
      return `${(error as Error).constructor.name}: ${(error as Error).message.replace(/^[^:]*: /, "")}`;
    }
  };
  const asyncOutcome = async (run: () => Promise<unknown>) => {
    try {
      const result = (await run()) as { ok: boolean; error?: { code: string } };
      return result.ok ? "ok" : result.error!.code;
    } catch (error) {
      return `${(error as Error).constructor.name}: ${(error as Error).message.replace(/^[^:]*: /, "")}`;
    }
  };
  /** The function API's outcome: the trigger's TypeError for an option of the wrong type, a refusal (failing closed) for a value that cannot be used. */
  const cases: [Provider, string, Record<string, unknown>, "TypeError" | "stale" | "signature"][] = [
    ["whereby", 'toleranceSeconds: "1e400"', { secret: secrets.whereby, toleranceSeconds: "1e400" }, "TypeError"],
    ["whereby", "toleranceSeconds: Infinity", { secret: secrets.whereby, toleranceSeconds: Infinity }, "stale"],
    ["whereby", "toleranceSeconds: NaN", { secret: secrets.whereby, toleranceSeconds: NaN }, "stale"],
    ["whereby", "toleranceSeconds: -1", { secret: secrets.whereby, toleranceSeconds: -1 }, "stale"],
    ["whereby", "now: 5", { secret: secrets.whereby, now: 5 }, "TypeError"],
    ["whereby", "no secret", {}, "TypeError"],
    ["whereby", "secret: 42", { secret: 42 }, "TypeError"],
    ["whereby", "a blank secret", { secret: " " }, "signature"],
    ["daily", "a secret of fewer than 16 bytes", { secret: "ZGFpbHk=" }, "signature"],
    ["bigbluebutton", 'algorithm: "foo"', { ...bbbOptions, algorithm: "foo" }, "TypeError"],
    ["bigbluebutton", 'algorithm: "md5"', { ...bbbOptions, algorithm: "md5" }, "TypeError"],
    ["bigbluebutton", 'algorithm: "SHA1"', { ...bbbOptions, algorithm: "SHA1" }, "TypeError"],
    ["bigbluebutton", "callbackUrl: 123", { ...bbbOptions, callbackUrl: 123 }, "TypeError"],
    ["daily", "basicAuth: 5", { secret: secrets.daily, basicAuth: 5 }, "TypeError"],
  ];

  for (const [provider, name, options, expected] of cases) {
    it(`${provider}, ${name}: the trigger's TypeError at construction; ${expected === "TypeError" ? "the same TypeError" : `refused with ${expected}`} from verifyDelivery and verifyDeliveryAsync alike`, async () => {
      // A delivery ten years old where the window is at stake (it must never pass), a fresh one elsewhere.
      const at = name.startsWith("toleranceSeconds") ? Date.now() - 10 * 365 * 24 * 3600_000 : Date.now();
      const type = ({ whereby: "room.client.joined", daily: "participant.joined", bigbluebutton: "user-joined", iotum: "enter_conference" } as Record<string, string>)[provider]!;
      const request = await signDelivery(provider, exampleOf(provider, type), { ...bbbOptions, secret: secrets[provider], at } as never);
      const construction = outcome(() => createNodeTrigger({ provider, ...options } as never));
      expect(construction).toMatch(/^TypeError: /);
      const sync = outcome(() => verifyDelivery(provider, request, options as never));
      expect(sync, "sync").toBe(expected === "TypeError" ? construction : expected);
      expect(await asyncOutcome(() => verifyDeliveryAsync(provider, request, options as never)), "async").toBe(sync);
    });
  }

  it("a clock that throws refuses as stale, synchronously and asynchronously, and in the trigger", async () => {
    const request = await signedJoin();
    const now = () => { throw new Error("no clock"); };
    expect(outcome(() => verifyDelivery("whereby", request, { secret: secrets.whereby, now }))).toBe("stale");
    expect(await asyncOutcome(() => verifyDeliveryAsync("whereby", request, { secret: secrets.whereby, now }))).toBe("stale");
    const trigger = createWebTrigger({ provider: "whereby", secret: secrets.whereby, now, onError: () => {} });
    expect((await trigger.handleDelivery(request)).status).toBe(401);
  });

  it("a 10-year-old delivery is never accepted", async () => {
    const request = await signDelivery("whereby", joined, { secret: secrets.whereby, at: Date.now() - 10 * 365 * 24 * 3600_000 });
    for (const toleranceSeconds of [Infinity, "1e400", 1e400, undefined]) {
      expect(outcome(() => verifyDelivery("whereby", request, { secret: secrets.whereby, toleranceSeconds } as never))).not.toBe("ok");
      expect(await asyncOutcome(() => verifyDeliveryAsync("whereby", request, { secret: secrets.whereby, toleranceSeconds } as never))).not.toBe("ok");
    }
  });
});
