// Tests written to kill mutants that survived `npm run mutate` in the trigger's gate and its table
// of answers (generator/runtime/core/gate.ts, answers.ts): test/MUTATION.md. Through the public
// API: `trigger.fetch`, `trigger.handleDelivery` and a real node:http server.
import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTrigger, createWherebyTrigger, signBody, signDelivery, type DedupeStore } from "../generated/src/index.js";
import { createJaasTrigger } from "../generated/src/jaas/index.js";
import { start, stopAfterTest } from "./http.js";
import { providers, secrets } from "./support.js";

afterEach(() => void vi.useRealTimers());

const loaded = await providers();
const joined = (loaded.find((p) => p.name === "whereby")!.events.find((e) => e.base === "room.client.joined")!.schema.examples as any[])[0];
const quiet = { secret: secrets.whereby!, onError: () => {} };

/** What a trigger answers a Request, status and parsed body. */
async function answerOf(trigger: { fetch(request: Request): Promise<Response> }, request: Request) {
  const response = await trigger.fetch(request);
  return { status: response.status, contentType: response.headers.get("content-type"), body: await response.json() };
}

describe("answers.ts: every answer", () => {
  it("is JSON, and says so: a health check, a refusal, an acknowledgement", async () => {
    const trigger = stopAfterTest(createWherebyTrigger({ ...quiet, webhookTriggers: { "room.client.joined": () => true } }));
    const signed = await signDelivery("whereby", joined, { secret: secrets.whereby! });
    for (const request of [
      new Request("http://receiver.example/", { method: "GET" }),
      new Request("http://receiver.example/", { method: "POST", body: "{}" }),
      new Request("http://receiver.example/", { method: "POST", headers: signed.headers, body: signed.body }),
    ]) {
      expect((await answerOf(trigger, request)).contentType, request.method).toBe("application/json; charset=utf-8");
    }
  });

  it("a delivery whose event is still being claimed at the deadline is answered 503 in_flight, never 202", async () => {
    vi.useFakeTimers({ now: Date.now() });
    // Another receiver holds the event: the claim is refused, and its state stays "in flight".
    const store: Required<DedupeStore> = { claim: () => false, release: () => {}, complete: () => {}, state: () => "in_flight" };
    const trigger = stopAfterTest(createWherebyTrigger({ ...quiet, dedupe: store, responseTimeoutMs: 100, webhookTriggers: { "room.client.joined": () => true } }));
    const signed = await signDelivery("whereby", joined, { secret: secrets.whereby! });
    const answer = answerOf(trigger, new Request("http://receiver.example/", { method: "POST", headers: signed.headers, body: signed.body }));
    await vi.advanceTimersByTimeAsync(150);
    expect(await answer).toMatchObject({ status: 503, body: { ok: false, error: { code: "in_flight" } } });
  });

  it("an answer that carries data and is not ready at the deadline: 503 answer_late, reported; never a 202 the provider would take for its answer", async () => {
    vi.useFakeTimers({ now: Date.now() });
    const onError = vi.fn();
    const trigger = createJaasTrigger({ secret: "whsec_jaas", onError, responseTimeoutMs: 100, webhookTriggers: { SETTINGS_PROVISIONING: () => new Promise<false>(() => {}) } });
    const text = JSON.stringify({ fqn: "vpaas-magic-cookie-x/standup" });
    const signed = await signBody("jaas", text, { secret: "whsec_jaas" });
    const answer = answerOf(trigger, new Request("http://receiver.example/", { method: "POST", headers: signed.headers, body: text }));
    await vi.advanceTimersByTimeAsync(150);
    expect(await answer).toEqual({ status: 503, contentType: "application/json; charset=utf-8", body: { ok: false, error: { code: "answer_late", message: "the answer was not ready in time; retry" } } });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: "8x8 Jitsi as a Service: the answer was not ready within responseTimeoutMs (100 ms); answered 503" }), undefined);
    vi.useRealTimers();
    await trigger.stop({ timeoutMs: 1 }); // the answerer never settles: abandoned
  });
});

describe("gate.ts: what is answered before a body is verified", () => {
  it("a trigger without a path takes deliveries on any path; one with a path, only there", async () => {
    const anywhere = stopAfterTest(createWherebyTrigger(quiet));
    expect((await answerOf(anywhere, new Request("http://receiver.example/any/where", { method: "POST", body: "{}" }))).status).toBe(401);
    const there = stopAfterTest(createWherebyTrigger({ ...quiet, path: "/hooks" }));
    expect((await answerOf(there, new Request("http://receiver.example/hooks", { method: "POST", body: "{}" }))).status).toBe(401);
    expect((await answerOf(there, new Request("http://receiver.example/other", { method: "POST", body: "{}" }))).status).toBe(404);
  });

  it("a body of exactly maxBodyBytes is read; one byte more is 413: bytes, a string's UTF-8 bytes, an announced length", async () => {
    const trigger = stopAfterTest(createWherebyTrigger({ ...quiet, maxBodyBytes: 30 }));
    const statusOf = async (body: unknown) => (await trigger.handleDelivery({ method: "POST", headers: {}, body: body as string })).status;
    expect(await statusOf(new Uint8Array(30))).toBe(401);
    expect(await statusOf(new Uint8Array(31))).toBe(413);
    expect(await statusOf("a".repeat(30))).toBe(401);
    expect(await statusOf("a".repeat(31))).toBe(413);
    expect(await statusOf("€".repeat(10))).toBe(401); // 30 bytes
    expect(await statusOf("€".repeat(11))).toBe(413); // 11 characters, 33 bytes
    expect(await statusOf({ length: 1000 })).toBe(401); // not raw bytes: refused by verification, saying so, whatever it holds
    const small = stopAfterTest(createWherebyTrigger({ ...quiet, maxBodyBytes: 10 }));
    expect((await small.handleDelivery({ method: "POST", headers: {}, body: {} as never })).status).toBe(401); // not 413: it has no size

    const base = await start(createWherebyTrigger({ ...quiet, port: 0, host: "127.0.0.1", maxBodyBytes: 30 }));
    const post = (body: string) => new Promise<number>((resolve, reject) => {
      const req = httpRequest(base, { method: "POST", agent: false, headers: { "content-length": String(Buffer.byteLength(body)) } }, (res) => (res.resume(), resolve(res.statusCode!)));
      req.on("error", reject);
      req.end(body);
    });
    expect(await post("a".repeat(30))).toBe(401);
    expect(await post("a".repeat(31))).toBe(413);
  });

  it("Expect: 100-continue: with verification off, every delivery is invited", async () => {
    const base = await start(createTrigger({ provider: "whereby", insecureSkipVerification: true, port: 0, host: "127.0.0.1", onError: () => {} }));
    const first = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(base, { method: "POST", agent: false, headers: { expect: "100-continue", "content-length": "2" } });
      req.on("continue", () => (resolve("continue"), req.destroy()));
      req.on("response", (res) => (resolve(String(res.statusCode)), res.resume(), req.destroy()));
      req.on("error", (error) => (error.message.includes("socket hang up") ? undefined : reject(error)));
    });
    expect(first).toBe("continue");
  });
});
