// Tests written to kill mutants that survived `npm run mutate` in the trigger's claim and run
// logic (claims.ts, run.ts): test/MUTATION.md. Through the public API where a provider reaches
// the code (a Whereby or 8x8 trigger's `handleDelivery`, with verification off: everything
// tested here comes after it); the claims' own contract (what a retry waiting for an attempt is
// told, what the store is asked and how often) and the synchronous answers through the runtime's
// `Claims` and `Runner`. Time is fake (vi.useFakeTimers); stores, matchers and queues are
// resolved by hand.
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createJaasTrigger, createMemoryDedupeStore, createWherebyTrigger, type DedupeStore } from "../generated/src/index.js";
import type { DeliveryResponse, Tally } from "../generated/src/runtime/core/answers.js";
import { Claims, StoreFailure } from "../generated/src/runtime/core/claims.js";
import type { DedupeState } from "../generated/src/runtime/core/dedupe.js";
import { Lifecycle } from "../generated/src/runtime/core/lifecycle.js";
import { Reporter } from "../generated/src/runtime/core/log.js";
import { Runner, type ParsedShape, type RunnerSettings } from "../generated/src/runtime/core/run.js";
import type { Validator } from "../generated/src/runtime/core/validation.js";

const day = 24 * 60 * 60_000;
const joined = JSON.parse(readFileSync(new URL("../schemas/whereby/room.client.joined.schema.json", import.meta.url), "utf8")).examples[0];
/** A Whereby delivery of one room.client.joined event whose key is `id`. */
const delivery = (id = "evt-1") => ({ headers: {}, body: JSON.stringify({ ...joined, id }) });
/** An 8x8 SETTINGS_PROVISIONING request: its answer carries data. */
const provisioning = { headers: {}, body: JSON.stringify({ fqn: "vpaas-magic-cookie-5b7d2e91/design-review" }) };
const settings = { lobbyEnabled: true, passcode: "123456", maxOccupants: 12 };
const acknowledged = (duplicates = 0) => ({ status: 200, body: { ok: true, events: 1, unknown: 0, invalid: 0, duplicates } });

beforeEach(() => void vi.useFakeTimers({ now: 1_700_000_000_000 }));
afterEach(() => void vi.useRealTimers());

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => ((resolve = yes), (reject = no)));
  return { promise, resolve, reject };
}

/** Follows a value that may be a promise: `done` and `value` once it settled. */
function watch<T>(value: T | Promise<T>): { done: boolean; value?: T } {
  const seen: { done: boolean; value?: T } = { done: false };
  void Promise.resolve(value).then((settled) => Object.assign(seen, { done: true, value: settled }));
  return seen;
}

/** Lets every promise that needs no time settle (microtasks only: no timer fires). */
async function flush(): Promise<void> {
  for (let turn = 0; turn < 100; turn++) await Promise.resolve();
}

/** A store made of these parts, recording what it is asked. */
function storeOf(parts: Partial<DedupeStore>): { store: DedupeStore; asked: unknown[][] } {
  const asked: unknown[][] = [];
  const store = Object.fromEntries(
    Object.entries({ release: () => {}, ...parts }).map(([name, part]) => [name, (...args: unknown[]) => (asked.push([name, ...args]), (part as (...args: unknown[]) => unknown)(...args))]),
  ) as unknown as DedupeStore;
  return { store, asked };
}

/** What `onError` is told: each error's message and cause, and the key of the event it came with. */
function errorsSeen() {
  const seen: { message: string; cause?: unknown; key?: string }[] = [];
  const onError = (error: unknown, parsed?: { key: string }) => {
    const { message, cause } = error as Error;
    seen.push({ message, ...(cause === undefined ? {} : { cause }), ...(parsed ? { key: parsed.key } : {}) });
  };
  return { seen, onError };
}

/** The answer to a request, its body parsed. */
async function answerOf(trigger: { handleDelivery(request: never): Promise<DeliveryResponse> }, request: object) {
  const { status, body } = await trigger.handleDelivery(request as never);
  return { status, body: JSON.parse(body) as unknown };
}

const whereby = (options: object) => createWherebyTrigger({ insecureSkipVerification: true, ...options } as never);
const jaas = (options: object) => createJaasTrigger({ insecureSkipVerification: true, ...options } as never);

describe("generator/runtime/core/claims.ts: what a retry is told, and what the store is asked", () => {
  it("a store tells an attempt in flight from one done only with both complete and state: with one of them, a claim refused is a duplicate at once, a success completes nothing, a claim holds for the TTL", () => {
    for (const part of [{ state: () => "in_flight" as const }, { complete: () => {} }]) {
      const refusing = storeOf({ claim: () => false, ...part });
      expect(new Claims(refusing.store, day, 1000).acquire("k", undefined)).toBe("duplicate");
      expect(refusing.asked).toEqual([["claim", "k", day]]);
      const granting = storeOf({ claim: () => true, ...part });
      const claims = new Claims(granting.store, day, 1000);
      expect(claims.acquire("k", undefined)).toBe("run");
      expect(claims.settle("k", true)).toBeUndefined();
      expect(granting.asked).toEqual([["claim", "k", day]]);
    }
  });

  it("with both, a claim is a lease: the shorter of leaseMs and the TTL", () => {
    for (const [ttlMs, leaseMs, asked] of [[day, 60_000, 60_000], [30_000, 60_000, 30_000]] as const) {
      const { store, asked: calls } = storeOf({ claim: () => true, complete: () => {}, state: () => "free" });
      expect(new Claims(store, ttlMs, 1000, leaseMs).acquire("k", undefined)).toBe("run");
      expect(calls).toEqual([["claim", "k", asked]]);
    }
  });

  it("answers synchronously when the store does: a key another receiver has handled is a duplicate at once", () => {
    const { store } = storeOf({ claim: () => false, complete: () => {}, state: () => "done" });
    expect(new Claims(store, day, 1000).acquire("k", Date.now() + 1000)).toBe("duplicate");
  });

  it("a key another receiver has handled is a duplicate even when the store answers at the deadline", async () => {
    const { store } = storeOf({ claim: async () => false, complete: () => {}, state: async () => "done" as const });
    expect(await new Claims(store, day, 1000).acquire("k", Date.now())).toBe("duplicate");
  });

  it("settling a key this receiver never claimed never throws", () => {
    const claims = new Claims(createMemoryDedupeStore(), day, 1000);
    expect(claims.settle("never-claimed", true)).toBeUndefined();
    expect(claims.settle("never-claimed", false)).toBeUndefined();
  });

  it("a claim that lands after the store's timeout is a store failure; it is released if the store granted it, left alone if another receiver holds it", async () => {
    for (const granted of [true, false]) {
      const answer = deferred<boolean>();
      const { store, asked } = storeOf({ claim: () => answer.promise });
      const claim = watch(new Claims(store, day, 100).acquire("k", undefined));
      await vi.advanceTimersByTimeAsync(100);
      expect(claim.value).toBeInstanceOf(StoreFailure);
      expect((claim.value as StoreFailure).error).toEqual(new Error("the dedupe store did not answer within 100 ms"));
      answer.resolve(granted);
      await flush();
      expect(asked, String(granted)).toEqual(granted ? [["claim", "k", day], ["release", "k"]] : [["claim", "k", day]]);
    }
  });

  it("a retry of an event this receiver is running waits for it as long as it takes (no deadline), even once the store's lease ended: its success makes it a duplicate", async () => {
    const claims = new Claims(createMemoryDedupeStore(), day, 1000, 1000);
    expect(claims.acquire("k", undefined)).toBe("run");
    vi.setSystemTime(Date.now() + 5000); // the lease has ended in the store; the attempt still runs here
    const retry = watch(claims.acquire("k", undefined));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(retry.done).toBe(false);
    expect(claims.settle("k", true)).toBeUndefined();
    await flush();
    expect(retry.value).toBe("duplicate");
  });

  it("a retry of an event this receiver is running waits for it until the deadline, then is in flight", async () => {
    const claims = new Claims(createMemoryDedupeStore(), day, 1000);
    expect(claims.acquire("k", undefined)).toBe("run");
    const retry = watch(claims.acquire("k", Date.now() + 500));
    await vi.advanceTimersByTimeAsync(499);
    expect(retry.done).toBe(false);
    await vi.advanceTimersToNextTimerAsync();
    await flush();
    expect(retry.value).toBe("in_flight");
  });

  it("a claim the store refuses while this receiver's own claim of the key is being answered waits for that attempt, and runs the event when it fails", async () => {
    const answers = [deferred<boolean>(), deferred<boolean>(), deferred<boolean>()];
    let call = 0;
    const { store } = storeOf({ claim: () => answers[call++]!.promise });
    const claims = new Claims(store, day, 1000);
    const first = watch(claims.acquire("k", undefined));
    const retry = watch(claims.acquire("k", undefined));
    answers[0]!.resolve(true);
    await flush();
    expect(first.value).toBe("run");
    answers[1]!.resolve(false);
    await flush();
    expect(retry.done).toBe(false);
    expect(claims.settle("k", false)).toBeUndefined();
    await flush();
    answers[2]!.resolve(true);
    await flush();
    expect(retry.value).toBe("run");
  });

  it("while another receiver holds the key: a store that fails is a store failure at once, not in flight", async () => {
    const down = new Error("down");
    const { store } = storeOf({ claim: () => false, complete: () => {}, state: () => { throw down; } });
    const claim = watch(new Claims(store, day, 1000).acquire("k", Date.now() + 1000));
    await flush();
    expect(claim.value).toEqual(new StoreFailure(down));
  });

  it("while another receiver holds the key: it is claimed only when the store says it is free, and waited for again when another receiver takes it first", async () => {
    const states: DedupeState[] = ["in_flight", "free", "in_flight", "done"];
    const { store, asked } = storeOf({ claim: () => false, complete: () => {}, state: () => states.shift()! });
    const claim = watch(new Claims(store, day, 1000).acquire("k", Date.now() + 1000));
    await vi.advanceTimersByTimeAsync(1000);
    expect(claim.value).toBe("duplicate");
    expect(asked.map(([name]) => name)).toEqual(["claim", "state", "state", "claim", "state", "state"]);
  });

  it("while another receiver holds the key: waits for it until the deadline, then is in flight", async () => {
    const { store } = storeOf({ claim: () => false, complete: () => {}, state: () => "in_flight" });
    const claim = watch(new Claims(store, day, 1000).acquire("k", Date.now() + 1000));
    await vi.advanceTimersByTimeAsync(999);
    expect(claim.done).toBe(false);
    for (let step = 0; step < 3 && !claim.done; step++) await vi.advanceTimersToNextTimerAsync();
    expect(claim.value).toBe("in_flight");
  });

  it("while another receiver holds the key with no deadline: the store is asked with a back-off, fewer than 50 times in 10 s", async () => {
    const { store, asked } = storeOf({ claim: () => false, complete: () => {}, state: () => "in_flight" });
    const claim = watch(new Claims(store, day, 1000).acquire("k", undefined));
    const end = Date.now() + 10_000;
    while (Date.now() < end && asked.length < 50) await vi.advanceTimersToNextTimerAsync();
    expect(asked.length).toBeLessThan(50);
    expect(claim.done).toBe(false);
  });

  it("a retry waiting for another receiver learns from this receiver's own attempt once it runs the event, even when the store cannot record it done", async () => {
    let granted = false;
    const { store } = storeOf({ claim: () => granted, complete: () => { throw new Error("down"); }, state: () => "in_flight" });
    const claims = new Claims(store, day, 1000);
    const retry = watch(claims.acquire("k", Date.now() + 5000)); // another receiver holds the key
    await flush();
    granted = true; // that receiver released it, and another delivery of the event claims it here
    expect(claims.acquire("k", Date.now() + 5000)).toBe("run");
    await vi.advanceTimersByTimeAsync(10); // the retry looks again
    expect(claims.settle("k", true)).toEqual(new StoreFailure(new Error("down")));
    await flush();
    expect(retry.value).toBe("duplicate");
  });
});

describe("generator/runtime/core/run.ts: what the provider is answered, and what onError and the store see", () => {
  it("claims each event's key as confhooks:<provider>:<key>, with a lease when the store can complete it", async () => {
    const plain = storeOf({ claim: () => true });
    const full = storeOf({ claim: () => true, complete: () => {}, state: () => "free" });
    for (const { store } of [plain, full]) expect(await answerOf(whereby({ dedupe: store, webhookTriggers: { "room.client.joined": () => true } }), delivery("evt-1"))).toEqual(acknowledged());
    expect(plain.asked).toEqual([["claim", "confhooks:whereby:evt-1", day]]);
    expect(full.asked).toEqual([["claim", "confhooks:whereby:evt-1", 15 * 60_000], ["complete", "confhooks:whereby:evt-1", day]]);
  });

  it("with responseTimeoutMs: false, a retry of an event still running waits for it as long as it takes, and is a duplicate once it succeeded", async () => {
    const matcher = deferred<boolean>();
    let calls = 0;
    const trigger = whereby({ responseTimeoutMs: false, webhookTriggers: { "room.client.joined": () => (calls++, matcher.promise) } });
    const first = watch(answerOf(trigger, delivery()));
    const retry = watch(answerOf(trigger, delivery()));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(retry.done).toBe(false);
    matcher.resolve(true);
    await flush();
    expect(first.value).toEqual(acknowledged());
    expect(retry.value).toEqual(acknowledged(1));
    expect(calls).toBe(1);
  });

  it("with a deadline, a retry of an event still running is answered 503 in flight at it, and does not run the event when the first attempt then fails: the provider's next retry does", async () => {
    const matcher = deferred<boolean>();
    let calls = 0;
    const trigger = whereby({ responseTimeoutMs: 1000, onError: () => {}, webhookTriggers: { "room.client.joined": () => (++calls === 1 ? matcher.promise : true) } });
    const first = watch(answerOf(trigger, delivery()));
    const retry = watch(answerOf(trigger, delivery()));
    await vi.advanceTimersByTimeAsync(1000);
    expect(first.value).toMatchObject({ status: 202, body: { pending: true } });
    expect(retry.value).toMatchObject({ status: 503, body: { error: { code: "in_flight" } } });
    matcher.reject(new Error("the database timed out"));
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(1);
    expect(await answerOf(trigger, delivery())).toEqual(acknowledged());
    expect(calls).toBe(2);
  });

  it("answers 503 in flight when, at the deadline, the event's claim still waits for another receiver's attempt", async () => {
    // Another receiver runs the event: the store refuses the claim and says so, 5 ms after each question.
    const store = { claim: () => false, release: () => {}, complete: () => {}, state: () => new Promise<DedupeState>((resolve) => setTimeout(() => resolve("in_flight"), 5)) };
    const answer = watch(answerOf(whereby({ responseTimeoutMs: 1000, dedupe: store, webhookTriggers: { "room.client.joined": () => true } }), delivery()));
    await vi.advanceTimersByTimeAsync(1000);
    expect(answer.value).toMatchObject({ status: 503, body: { error: { code: "in_flight" } } });
  });

  it("the answer is due responseTimeoutMs after the delivery was received, however long the store took to claim the event", async () => {
    // A store that answers synchronously, after 600 ms (a blocking client).
    const store = { claim: () => (vi.setSystemTime(Date.now() + 600), true), release: () => {} };
    const answer = watch(answerOf(whereby({ responseTimeoutMs: 1000, dedupe: store, webhookTriggers: { "room.client.joined": () => new Promise<boolean>(() => {}) } }), delivery()));
    await vi.advanceTimersByTimeAsync(399);
    expect(answer.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(answer.value).toMatchObject({ status: 202, body: { pending: true } });
  });

  it("without dedupe, the answer waits for the matchers up to responseTimeoutMs", async () => {
    const matcher = () => new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 100));
    const answer = watch(answerOf(whereby({ dedupe: false, responseTimeoutMs: 1000, webhookTriggers: { "room.client.joined": matcher } }), delivery()));
    await vi.advanceTimersByTimeAsync(100);
    expect(answer.value).toEqual(acknowledged());
  });

  it("without dedupe, a matcher that throws or rejects gets 500, and its error goes to onError with the event", async () => {
    const broke = new Error("the CRM is down");
    for (const matcher of [() => { throw broke; }, async () => { throw broke; }]) {
      const { seen, onError } = errorsSeen();
      expect(await answerOf(whereby({ dedupe: false, onError, webhookTriggers: { "room.client.joined": matcher } }), delivery())).toMatchObject({ status: 500, body: { error: { code: "matcher" } } });
      expect(seen).toEqual([{ message: "the CRM is down", key: "evt-1" }]);
    }
  });

  it("a matcher that does not return true calls no trigger_event_success listener", async () => {
    const trigger = whereby({ webhookTriggers: { "room.client.joined": () => false } });
    const matched: string[] = [];
    trigger.on("trigger_event_success", ({ key }: { key: string }) => void matched.push(key));
    expect(await answerOf(trigger, delivery())).toEqual(acknowledged());
    expect(matched).toEqual([]);
  });

  it("a store that fails to claim: 503 dedupe_unavailable, reported with the store's error as the cause; one that does not answer in time, said so", async () => {
    const down = new Error("connection refused");
    const failing = errorsSeen();
    const trigger = whereby({ onError: failing.onError, dedupe: { claim: () => { throw down; }, release: () => {} }, webhookTriggers: { "room.client.joined": () => true } });
    expect(await answerOf(trigger, delivery())).toMatchObject({ status: 503, body: { error: { code: "dedupe_unavailable" } } });
    expect(failing.seen).toEqual([{ message: "Whereby trigger: the dedupe store failed (Error: connection refused); answered 503 so that the provider retries", cause: down }]);

    const silent = errorsSeen();
    const answer = watch(answerOf(whereby({ responseTimeoutMs: 1000, onError: silent.onError, dedupe: { claim: () => new Promise<boolean>(() => {}), release: () => {} } }), delivery()));
    await vi.advanceTimersByTimeAsync(500);
    expect(answer.value).toMatchObject({ status: 503, body: { error: { code: "dedupe_unavailable" } } });
    expect(silent.seen.map(({ message }) => message)).toEqual(["Whereby trigger: the dedupe store failed (Error: the dedupe store did not answer within 500 ms); answered 503 so that the provider retries"]);
  });

  it("a store that cannot record an event done, or free it after its matcher failed: the answer stands, and onError says what follows", async () => {
    const down = new Error("down");
    const broke = new Error("the CRM is down");
    const { seen, onError } = errorsSeen();
    const store = { claim: () => true, release: () => { throw down; }, complete: () => { throw down; }, state: () => "free" as const };
    const trigger = whereby({ dedupe: store, onError, webhookTriggers: { "room.client.joined": (event: { id: string }) => { if (event.id === "evt-ok") return true; throw broke; } } });
    expect(await answerOf(trigger, delivery("evt-ok"))).toEqual(acknowledged());
    expect(await answerOf(trigger, delivery("evt-broke"))).toMatchObject({ status: 500, body: { error: { code: "matcher" } } });
    expect(seen).toEqual([
      { message: "Whereby trigger: the dedupe store failed (Error: down); the event was handled; a retry may run it again", cause: down },
      { message: "the CRM is down", key: "evt-broke" },
      { message: "Whereby trigger: the dedupe store failed (Error: down); the key may stay claimed until its lease ends", cause: down },
    ]);
  });

  it("with a queue, each event is sent as { provider, type, key, event, receivedAt }: no envelope field where the provider has none", async () => {
    const sent: object[] = [];
    const trigger = whereby({ queue: { send: (message: object) => void sent.push(message) } });
    expect(await answerOf(trigger, delivery("evt-1"))).toEqual(acknowledged());
    expect(sent.map((message) => Object.keys(message))).toEqual([["provider", "type", "key", "event", "receivedAt"]]);
    expect(sent[0]).toEqual({ provider: "whereby", type: "room.client.joined", key: "evt-1", event: { ...joined, id: "evt-1" }, receivedAt: Date.now() });
  });

  it("a send that rejects, or has not resolved at the deadline, gets 503 queue_unavailable, reported once with the event, the send's error as the cause", async () => {
    const full = new Error("the queue is full");
    const hanging = deferred<void>();
    const sends = [() => Promise.reject(full), () => hanging.promise];
    const { seen, onError } = errorsSeen();
    const trigger = whereby({ responseTimeoutMs: 1000, onError, queue: { send: () => sends.shift()!() } });
    expect(await answerOf(trigger, delivery("evt-rejected"))).toMatchObject({ status: 503, body: { error: { code: "queue_unavailable" } } });
    const late = watch(answerOf(trigger, delivery("evt-late")));
    await vi.advanceTimersByTimeAsync(1000);
    expect(late.value).toMatchObject({ status: 503, body: { error: { code: "queue_unavailable" } } });
    hanging.reject(new Error("the queue went away")); // after the answer: it was counted already
    await flush();
    expect(seen).toEqual([
      { message: "Whereby trigger: the queue did not store the room.client.joined event evt-rejected (Error: the queue is full); answered 503 so that the provider retries", cause: full, key: "evt-rejected" },
      { message: "Whereby trigger: the queue did not store the room.client.joined event evt-late (send did not resolve within responseTimeoutMs (1000 ms)); answered 503 so that the provider retries", cause: new Error("send did not resolve within responseTimeoutMs (1000 ms)"), key: "evt-late" },
    ]);
  });

  it("a store that cannot record an event the queue stored, or free one it did not: the answer stands, and onError says what follows", async () => {
    const down = new Error("down");
    const full = new Error("the queue is full");
    const { seen, onError } = errorsSeen();
    const store = { claim: () => true, release: () => { throw down; }, complete: () => { throw down; }, state: () => "free" as const };
    const trigger = whereby({ dedupe: store, onError, queue: { send: ({ key }: { key: string }) => (key === "evt-ok" ? Promise.resolve() : Promise.reject(full)) } });
    expect(await answerOf(trigger, delivery("evt-ok"))).toEqual(acknowledged());
    expect(await answerOf(trigger, delivery("evt-full"))).toMatchObject({ status: 503, body: { error: { code: "queue_unavailable" } } });
    expect(seen).toEqual([
      { message: "Whereby trigger: the dedupe store failed (Error: down); the event was stored in the queue; a retry may send it again", cause: down },
      { message: "Whereby trigger: the dedupe store failed (Error: down); the key may stay claimed until its lease ends", cause: down },
      { message: "Whereby trigger: the queue did not store the room.client.joined event evt-full (Error: the queue is full); answered 503 so that the provider retries", cause: full, key: "evt-full" },
    ]);
  });

  it("an answer that carries data and is not ready at the deadline: 503 answer_late, reported", async () => {
    const { seen, onError } = errorsSeen();
    const answer = watch(answerOf(jaas({ responseTimeoutMs: 1000, onError, webhookTriggers: { SETTINGS_PROVISIONING: () => new Promise(() => {}) } }), provisioning));
    await vi.advanceTimersByTimeAsync(1000);
    expect(answer.value).toMatchObject({ status: 503, body: { error: { code: "answer_late" } } });
    expect(seen).toEqual([{ message: "8x8 Jitsi as a Service: the answer was not ready within responseTimeoutMs (1000 ms); answered 503" }]);
  });

  it("an answer ready in time is sent, and nothing is reported when the deadline passes", async () => {
    const { seen, onError } = errorsSeen();
    const answerer = () => new Promise((resolve) => setTimeout(() => resolve(settings), 10));
    const answer = watch(answerOf(jaas({ responseTimeoutMs: 1000, onError, webhookTriggers: { SETTINGS_PROVISIONING: answerer } }), provisioning));
    await vi.advanceTimersByTimeAsync(10);
    expect(answer.value).toEqual({ status: 200, body: settings });
    await vi.advanceTimersByTimeAsync(2000);
    expect(seen).toEqual([]);
  });

  it("an answerer that declines (false, null, undefined) gets the usual acknowledgement; one that answers a value that is not an object, throws or rejects gets 500, its reason to onError", async () => {
    for (const declined of [false, null, undefined]) {
      expect(await answerOf(jaas({ webhookTriggers: { SETTINGS_PROVISIONING: () => declined } }), provisioning), String(declined)).toEqual(acknowledged());
    }
    const broke = new Error("the settings service is down");
    const cases: [() => unknown, string][] = [
      [() => 42, "8x8 Jitsi as a Service SETTINGS_PROVISIONING: the answer does not match its schema, so it was not sent: (answer) must be object"],
      [() => { throw broke; }, broke.message],
      [async () => { throw broke; }, broke.message],
    ];
    for (const [answerer, message] of cases) {
      const { seen, onError } = errorsSeen();
      expect(await answerOf(jaas({ onError, webhookTriggers: { SETTINGS_PROVISIONING: answerer } }), provisioning), message).toMatchObject({ status: 500, body: { error: { code: "matcher" } } });
      expect(seen.map(({ message }) => message)).toEqual([message]);
    }
  });
});

describe("generator/runtime/core/run.ts: the runner itself", () => {
  const tally = (events: number) => ({ events, unknown: 0, invalid: 0, duplicates: 0, failures: 0, inFlight: 0, unavailable: 0, claiming: 0, sending: 0, unqueued: 0 }) as Tally;
  const runner = (settings: Partial<RunnerSettings<ParsedShape>>) =>
    new Runner<ParsedShape>({ title: "Acme", matchers: {}, claims: undefined, namespace: "acme", responseTimeoutMs: 1000, lifecycle: new Lifecycle(), reporter: new Reporter("Acme", () => {}), onMatch: () => {}, answerers: new Map(), ...settings });
  const events = [{ type: "ping", key: "1", event: {} }, { type: "ping", key: "2", event: {} }];

  it("answers synchronously, with no timer, when the store and the matchers do", () => {
    for (const claims of [undefined, new Claims(createMemoryDedupeStore(), day, 1000)]) {
      const matched: string[] = [];
      const response = runner({ claims, matchers: { ping: () => true }, onMatch: ({ key }) => void matched.push(key) }).run(events, tally(2));
      expect(response).not.toBeInstanceOf(Promise);
      expect(response).toMatchObject({ status: 200 });
      expect(matched).toEqual(["1", "2"]);
      expect(vi.getTimerCount()).toBe(0);
    }
  });

  it("an answer refused by a validator that names no issue is still refused, as invalid", () => {
    const { seen, onError } = errorsSeen();
    const refuseAll = (() => ({ ok: false, issues: [] })) as unknown as Validator<unknown>;
    const response = runner({ matchers: { ask: (() => ({ answer: 1 })) as never }, answerers: new Map([["ask", refuseAll]]), reporter: new Reporter("Acme", onError) }).run([{ type: "ask", key: "1", event: {} }], tally(1));
    expect(response).toMatchObject({ status: 500 });
    expect(seen).toEqual([{ message: "Acme ask: the answer does not match its schema, so it was not sent: invalid", key: "1" }]);
  });
});
