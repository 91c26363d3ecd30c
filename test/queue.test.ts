import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { Queue, Worker, type Job } from "bullmq";
import { build } from "esbuild";
import { Redis as IORedis } from "ioredis";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import {
  bullMQJobId,
  createBullMQQueue,
  createCloudflareQueue,
  createConsumer,
  createMemoryDedupeStore,
  createRedisDedupeStore,
  createTrigger,
  signBody,
  signDelivery,
  type DedupeStore,
  type QueuedEvent,
} from "../generated/src/index.js";
import { createJaasTrigger } from "../generated/src/jaas/index.js";
import { createWherebyConsumer, createWherebyTrigger, type WherebyParsedEvent } from "../generated/src/whereby/index.js";
import { send, type Received, type Sent } from "./http.js";
import { adapters } from "./receivers.js";
import { startRedis } from "./redis-server.js";
import { callbackUrl, providers, root, secrets, sign } from "./support.js";

/**
 * Issue 25: a trigger with `queue` acknowledges only what the queue stored, and consumers run the
 * matchers once per event. First against a queue in memory, then with the real components:
 * BullMQ over a real redis-server (from test/redis-setup.ts), Cloudflare Queues in workerd.
 */
const loaded = await providers();
const exampleOf = (provider: string, type: string): any => structuredClone((loaded.find((p) => p.name === provider)!.events.find((e) => e.base === type)!.schema.examples as unknown[])[0]);
const joined = exampleOf("whereby", "room.client.joined");
const joinedAs = (id: string) => ({ ...joined, id, data: { ...joined.data, participantId: `participant-${id}` } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const deliver = (id: string) => signDelivery("whereby", joinedAs(id), { secret: secrets.whereby });

/** A queue in memory whose `send` does what the test says: resolve after `delayMs`, reject, or never settle. */
function memoryQueue(behaviour: (message: QueuedEvent, call: number) => "store" | "reject" | "hang" | number = () => "store") {
  const stored: QueuedEvent[] = [];
  const hanging: (() => void)[] = [];
  let calls = 0;
  return {
    stored,
    /** Lets every send that hangs resolve: the queue stored those messages late. */
    release: () => hanging.splice(0).forEach((resolve) => resolve()),
    queue: {
      send: vi.fn((message: QueuedEvent) => {
        const what = behaviour(message, ++calls);
        const copy = JSON.parse(JSON.stringify(message)) as QueuedEvent; // what a real queue keeps: JSON
        if (what === "reject") return Promise.reject(new Error("the queue is full"));
        if (what === "hang") return new Promise<void>((resolve) => hanging.push(() => (stored.push(copy), resolve())));
        return sleep(what === "store" ? 0 : what).then(() => void stored.push(copy));
      }),
    },
  };
}

for (const [adapter, open] of Object.entries(adapters)) {
  describe(`a trigger with queue (${adapter})`, () => {
    it("sends each usable event as one JSON message and answers 200 only once send resolved; no matcher runs", async () => {
      const { queue, stored } = memoryQueue(() => 80);
      const { post } = await open({ provider: "whereby", secret: secrets.whereby, queue });
      const began = Date.now();
      const answer = await post(await deliver("evt-stored"));
      expect(answer).toMatchObject({ status: 200, body: { ok: true, events: 1, duplicates: 0 } });
      expect(Date.now() - began).toBeGreaterThanOrEqual(75);
      expect(stored).toEqual([{ provider: "whereby", type: "room.client.joined", key: "evt-stored", event: joinedAs("evt-stored"), receivedAt: expect.any(Number) }]);
      expect(Math.abs(stored[0]!.receivedAt - began)).toBeLessThan(1_000);
    });

    it("a send that rejects: 503 with Retry-After, reported to onError with the event; the retry sends it again", async () => {
      const { queue, stored } = memoryQueue((_, call) => (call === 1 ? "reject" : "store"));
      const onError = vi.fn();
      const { post } = await open({ provider: "whereby", secret: secrets.whereby, queue, onError });
      const request = await deliver("evt-rejected");
      const refused = await post(request);
      expect(refused).toMatchObject({ status: 503, body: { ok: false, error: { code: "queue_unavailable" } } });
      expect(refused.headers["retry-after"]).toBe("5");
      expect(onError).toHaveBeenCalledOnce();
      expect(onError.mock.calls[0]![0].message).toMatch(/^Whereby trigger: the queue did not store the room\.client\.joined event evt-rejected \(Error: the queue is full\); answered 503/);
      expect(onError.mock.calls[0]![1]).toMatchObject({ key: "evt-rejected" });
      expect(await post(request)).toMatchObject({ status: 200, body: { duplicates: 0 } });
      expect(stored.map((message) => message.key)).toEqual(["evt-rejected"]);
      expect(await post(request)).toMatchObject({ status: 200, body: { duplicates: 1 } });
      expect(queue.send).toHaveBeenCalledTimes(2);
    });

    it("a send that has not resolved within responseTimeoutMs: 503, reported once; once it resolves, a retry is a duplicate", async () => {
      const { queue, stored, release } = memoryQueue(() => "hang");
      const onError = vi.fn();
      const { post } = await open({ provider: "whereby", secret: secrets.whereby, queue, onError, responseTimeoutMs: 100 });
      const request = await deliver("evt-slow");
      try {
        expect(await post(request)).toMatchObject({ status: 503, body: { error: { code: "queue_unavailable" } } });
        expect(onError).toHaveBeenCalledOnce();
        expect(onError.mock.calls[0]![0].message).toMatch(/send did not resolve within responseTimeoutMs \(100 ms\)/);
        // A retry while that send still hangs waits for it, then is told to retry later: never a 2xx.
        expect(await post(request)).toMatchObject({ status: 503, body: { error: { code: "in_flight" } } });
      } finally {
        release(); // else stop() would wait for the sends
      }
      await sleep(10);
      expect(stored).toHaveLength(1);
      expect(await post(request)).toMatchObject({ status: 200, body: { duplicates: 1 } });
      expect(queue.send).toHaveBeenCalledOnce();
      expect(onError).toHaveBeenCalledOnce();
    });

    it("a send that throws, and one with dedupe off: 503; without dedupe every delivery is sent", async () => {
      const onError = vi.fn();
      const throwing = { send: () => { throw new Error("not connected"); } };
      const { post } = await open({ provider: "whereby", secret: secrets.whereby, queue: throwing, onError });
      expect(await post(await deliver("evt-throws"))).toMatchObject({ status: 503, body: { error: { code: "queue_unavailable" } } });
      expect(onError.mock.calls[0]![0].message).toMatch(/\(Error: not connected\)/);
      const { queue, stored } = memoryQueue();
      const { post: postUndeduplicated } = await open({ provider: "whereby", secret: secrets.whereby, queue, dedupe: false });
      const request = await deliver("evt-twice");
      for (let time = 0; time < 2; time++) expect(await postUndeduplicated(request)).toMatchObject({ status: 200, body: { duplicates: 0 } });
      expect(stored).toHaveLength(2);
    });

    it("a delivery sent twice at once, and retried later, is sent once: the retries wait for the first send", async () => {
      const { queue, stored } = memoryQueue(() => 50);
      const { post } = await open({ provider: "whereby", secret: secrets.whereby, queue });
      const request = await deliver("evt-concurrent");
      const answers = await Promise.all([post(request), post(request)]);
      answers.push(await post(request));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
      expect(answers.map((answer) => answer.body.duplicates).sort()).toEqual([0, 1, 1]);
      expect(stored).toHaveLength(1);
    });
  });
}

describe("a trigger with queue: its options and its events", () => {
  it("refuses a queue without send, and matchers (they run in the consumers), naming them", () => {
    expect(() => createWherebyTrigger({ secret: secrets.whereby, queue: {} as never })).toThrow(/^createWherebyTrigger: queue must be an object with send\(message\)/);
    expect(() => createWherebyTrigger({ secret: secrets.whereby, queue: { send: async () => {} }, webhookTriggers: { "room.client.joined": () => true } })).toThrow(
      /^createWherebyTrigger: with queue, matchers run in the consumers \(createWherebyConsumer\), not here; move "room\.client\.joined" there$/,
    );
  });

  it("sends each event of a BigBlueButton delivery, with the envelope's fields", async () => {
    const { queue, stored } = memoryQueue();
    const trigger = createTrigger({ provider: "bigbluebutton", secret: secrets.bigbluebutton!, callbackUrl, queue });
    const event = (userId: string, ts: number) => {
      const value = exampleOf("bigbluebutton", "user-joined");
      value.data.attributes.user["internal-user-id"] = userId;
      value.data.event.ts = ts;
      return value;
    };
    const request = await signDelivery("bigbluebutton", [event("w_1", 1_700_000_000_100), event("w_2", 1_700_000_000_200)], { secret: secrets.bigbluebutton, callbackUrl });
    const response = await trigger.handleDelivery(request);
    expect(response.status).toBe(200);
    expect(stored.map((message) => [message.type, message.event && (message.event as any).data.attributes.user["internal-user-id"], Object.keys(message.envelope ?? {}).sort()])).toEqual([
      ["user-joined", "w_1", ["domain", "timestamp"]],
      ["user-joined", "w_2", ["domain", "timestamp"]],
    ]);
  });

  it("answers an event whose answer carries data in the receiver (8x8's SETTINGS_PROVISIONING), and sends the others", async () => {
    const { queue, stored } = memoryQueue();
    const secret = "whsec_jaas-secret-for-tests";
    const trigger = createJaasTrigger({ secret, queue, webhookTriggers: { SETTINGS_PROVISIONING: () => ({ lobbyEnabled: true }) } });
    const asked = JSON.stringify({ fqn: "vpaas-magic-cookie-5b7d2e91c4a84f0b9e36a1d8f2c07e4a/design-review" });
    const answered = await trigger.handleDelivery({ method: "POST", body: asked, ...sign("jaas", asked, { secret }) });
    expect([answered.status, JSON.parse(answered.body)]).toEqual([200, { lobbyEnabled: true }]);
    expect(stored).toEqual([]);
    const dialIn = exampleOf("jaas", "DIAL_IN_STARTED");
    const sent = await trigger.handleDelivery({ ...(await signBody("jaas", JSON.stringify(dialIn), { secret })) });
    expect(sent.status).toBe(200);
    expect(stored).toMatchObject([{ provider: "jaas", type: "DIAL_IN_STARTED", key: `${dialIn.idempotencyKey}:DIAL_IN_STARTED` }]);
  });
});

describe("a consumer", () => {
  const message = (id: string) => ({ provider: "whereby", type: "room.client.joined", key: id, event: joinedAs(id), receivedAt: Date.now() }) as const;

  it("runs the matcher of the message's type, emits trigger_event_success with the message, and runs each key once", async () => {
    const matcher = vi.fn((event: WherebyParsedEvent["event"]) => event.type === "room.client.joined");
    const consumer = createWherebyConsumer({ webhookTriggers: { "room.client.joined": matcher } });
    const matched: unknown[] = [];
    consumer.on("trigger_event_success", (parsed) => void matched.push(parsed.receivedAt && parsed.key));
    await Promise.all([consumer.handle(message("evt-1")), consumer.handle(message("evt-1"))]);
    await consumer.handle(message("evt-1"));
    await consumer.handle(message("evt-2"));
    expect(matcher).toHaveBeenCalledTimes(2);
    expect(matched).toEqual(["evt-1", "evt-2"]);
  });

  it("rejects when the matcher fails (reported to onError) and releases the key, so that the redelivery runs it", async () => {
    let calls = 0;
    const onError = vi.fn();
    const consumer = createConsumer({ provider: "whereby", onError, webhookTriggers: { "room.client.joined": async () => (++calls === 1 ? Promise.reject(new Error("the database timed out")) : true) } });
    await expect(consumer.handle(message("evt-fails"))).rejects.toThrow("the database timed out");
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: "the database timed out" }), expect.objectContaining({ key: "evt-fails" }));
    await consumer.handle(message("evt-fails"));
    await consumer.handle(message("evt-fails"));
    expect(calls).toBe(2);
  });

  it("rejects a message that is not one of its provider's with a TypeError saying why, and a store that fails", async () => {
    const consumer = createWherebyConsumer({});
    await expect(consumer.handle(null as never)).rejects.toThrow(/^createWherebyConsumer: handle: a message must be an object, got null; pass the message a trigger with `queue` sent/);
    await expect(consumer.handle({ ...message("x"), provider: "daily" } as never)).rejects.toThrow(/the message is of provider "daily", not "whereby"/);
    await expect(consumer.handle({ ...message("x"), type: "room.exploded" } as never)).rejects.toThrow(/type "room\.exploded" is not a Whereby event type/);
    await expect(consumer.handle({ ...message("x"), key: "" } as never)).rejects.toThrow(/no idempotency key/);
    const down: DedupeStore = { claim: () => Promise.reject(new Error("ECONNREFUSED")), release: () => {} };
    const matcher = vi.fn(() => true);
    await expect(createWherebyConsumer({ dedupe: down, webhookTriggers: { "room.client.joined": matcher } }).handle(message("x"))).rejects.toThrow(/dedupe store failed \(Error: ECONNREFUSED\); retry later/);
    expect(matcher).not.toHaveBeenCalled();
    expect(() => createWherebyConsumer({ dedupe: {} as never })).toThrow(/^createWherebyConsumer: dedupe must be false or a store/);
    expect(() => createWherebyConsumer({ leaseMs: 0 })).toThrow(/^createWherebyConsumer: leaseMs must be a number of milliseconds ≥ 1, got 0$/);
    expect(() => createWherebyConsumer({ webhookTriggers: { "room.exploded": () => true } as never })).toThrow(/Unknown event type "room\.exploded"/);
    expect(() => createConsumer({ provider: "nope" as never })).toThrow(/^createConsumer: unknown provider "nope"/);
  });

  it("shares the trigger's namespace for handled events, and a trigger with queue uses its own", async () => {
    const store = createMemoryDedupeStore();
    const { queue } = memoryQueue();
    const trigger = createWherebyTrigger({ secret: secrets.whereby, queue, dedupe: store });
    expect((await trigger.handleDelivery({ ...(await deliver("evt-ns")) })).status).toBe(200);
    expect([store.state("confhooks-queued:whereby:evt-ns"), store.state("confhooks:whereby:evt-ns")]).toEqual(["done", "free"]);
    await createWherebyConsumer({ dedupe: store }).handle(message("evt-ns"));
    expect(store.state("confhooks:whereby:evt-ns")).toBe("done");
  });
});

describe("the queue adapters", () => {
  it("createBullMQQueue: a job per event, its id the key (percent-encoded: BullMQ ids may not hold `:`), 10 attempts unless the queue or the options say", async () => {
    const add = vi.fn(async () => ({}));
    const message = { provider: "jaas", type: "DIAL_IN_STARTED", key: "9e9e:DIAL_IN_STARTED", event: {}, receivedAt: 1 };
    await createBullMQQueue({ add }).send(message);
    await createBullMQQueue({ add, defaultJobOptions: { attempts: 3 } }).send(message);
    await createBullMQQueue({ add }, { jobOptions: { removeOnComplete: true, backoff: { type: "fixed", delay: 10 } } }).send(message);
    expect(add.mock.calls).toEqual([
      ["jaas:DIAL_IN_STARTED", message, { attempts: 10, backoff: { type: "exponential", delay: 1_000 }, jobId: "jaas.9e9e%3ADIAL_IN_STARTED" }],
      ["jaas:DIAL_IN_STARTED", message, { jobId: "jaas.9e9e%3ADIAL_IN_STARTED" }],
      ["jaas:DIAL_IN_STARTED", message, { attempts: 10, removeOnComplete: true, backoff: { type: "fixed", delay: 10 }, jobId: "jaas.9e9e%3ADIAL_IN_STARTED" }],
    ]);
    expect(bullMQJobId("whereby", "123")).toBe("whereby.123");
    expect(() => createBullMQQueue({} as never)).toThrow(/^createBullMQQueue: pass a BullMQ Queue/);
  });

  it("createCloudflareQueue: one JSON message per event", async () => {
    const send = vi.fn(async () => {});
    const message = { provider: "whereby", type: "room.client.joined", key: "k", event: {}, receivedAt: 1 };
    await createCloudflareQueue({ send }).send(message);
    await createCloudflareQueue({ send }, { delaySeconds: 5 }).send(message);
    expect(send.mock.calls).toEqual([[message, { contentType: "json" }], [message, { contentType: "json", delaySeconds: 5 }]]);
    expect(() => createCloudflareQueue({} as never)).toThrow(/^createCloudflareQueue: pass a Cloudflare Queues producer binding/);
    expect(() => createCloudflareQueue({ send }, { delaySeconds: -1 })).toThrow(/delaySeconds must be a whole number/);
  });
});

/** The redis-server test/redis-setup.ts found ("" when there is none: the BullMQ tests are skipped, as the Redis ones are). */
const redisServer = inject("redisServer");

describe.skipIf(!redisServer)("BullMQ over a real redis-server", () => {
  let redis: { port: number; stop(): Promise<void> };
  beforeAll(async () => {
    redis = await startRedis(redisServer);
  });
  afterAll(() => redis?.stop());
  const connection = () => ({ host: "127.0.0.1", port: redis.port });

  /** Waits until `done()` holds, checking every 20 ms, for at most `ms`. */
  async function until(done: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
    for (const end = Date.now() + ms; !(await done()); await sleep(20)) if (Date.now() > end) throw new Error(`not done within ${ms} ms`);
  }

  it("a receiver killed with SIGKILL right after its last answer lost nothing it acknowledged: workers started afterwards run each event once", async () => {
    const name = "killed-receiver";
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(root, "test/queue/bullmq-receiver.ts"), String(redis.port), name, secrets.whereby!], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_, signal) => resolve(signal)));
    let output = "";
    const base = await new Promise<string>((resolve, reject) => {
      child.stdout!.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const port = /\{"port":(\d+)\}/.exec(output)?.[1];
        if (port) resolve(`http://127.0.0.1:${port}`);
      });
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.once("exit", (code) => reject(new Error(`the receiver exited with ${code}: ${output}`)));
    });
    const ids = Array.from({ length: 30 }, (_, i) => `evt-killed-${i}`);
    const requests = await Promise.all(ids.map(deliver));
    // Every delivery once, every third one twice at once (the provider's client gave up), then every fifth one retried.
    const answers = await Promise.all(requests.flatMap((request, i) => [send(base, request), ...(i % 3 === 0 ? [send(base, request)] : [])]));
    answers.push(...(await Promise.all(requests.filter((_, i) => i % 5 === 0).map((request) => send(base, request)))));
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    expect(answers.reduce((sum, answer) => sum + answer.body.duplicates, 0)).toBe(answers.length - ids.length);

    // Two workers, each with its consumer, sharing one Redis dedupe store; one more copy of a few jobs under other ids, as a queue that delivers twice would.
    const runs = new Map<string, number>();
    const clients = [new IORedis(redis.port, "127.0.0.1"), new IORedis(redis.port, "127.0.0.1")];
    const queue = new Queue(name, { connection: connection() });
    const workers = clients.map((client) => {
      const consumer = createWherebyConsumer({
        dedupe: createRedisDedupeStore(client),
        webhookTriggers: { "room.client.joined": async (event) => (runs.set(event.id, (runs.get(event.id) ?? 0) + 1), true) },
      });
      return new Worker(name, (job: Job) => consumer.handle(job.data), { connection: connection(), concurrency: 5 });
    });
    try {
      for (const id of ids.slice(0, 5)) await queue.add("again", (await queue.getJob(bullMQJobId("whereby", id)))!.data, { jobId: `again.${id}` });
      await until(async () => (await queue.getJobCounts("completed")).completed === ids.length + 5);
      expect(await queue.getJobCounts("failed", "waiting", "active", "delayed")).toEqual({ failed: 0, waiting: 0, active: 0, delayed: 0 });
      expect(Object.fromEntries(runs)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
      await queue.close();
      clients.forEach((client) => client.disconnect());
    }
  }, 30_000);

  it("a consumer whose matcher fails once: BullMQ retries the job and the event runs once, successfully", async () => {
    const name = "fails-once";
    const queue = new Queue(name, { connection: connection() });
    const secret = "whsec_jaas-secret-for-tests";
    const trigger = createJaasTrigger({ secret, queue: createBullMQQueue(queue, { jobOptions: { backoff: { type: "fixed", delay: 10 } } }) });
    const dialIn = exampleOf("jaas", "DIAL_IN_STARTED");
    let calls = 0;
    let successes = 0;
    const onError = vi.fn();
    const consumer = createConsumer({
      provider: "jaas",
      onError,
      webhookTriggers: { DIAL_IN_STARTED: async () => (++calls === 1 ? Promise.reject(new Error("the database timed out")) : (successes++, true)) },
    });
    const worker = new Worker(name, (job: Job) => consumer.handle(job.data), { connection: connection() });
    try {
      const response = await trigger.handleDelivery({ ...(await signBody("jaas", JSON.stringify(dialIn), { secret })) });
      expect(response.status).toBe(200);
      const job = (await queue.getJob(bullMQJobId("jaas", `${dialIn.idempotencyKey}:DIAL_IN_STARTED`)))!;
      await until(async () => (await job.getState()) === "completed");
      expect(await queue.getJob(job.id!).then((done) => done!.attemptsMade)).toBe(2);
      expect([calls, successes]).toEqual([2, 1]);
      expect(onError).toHaveBeenCalledOnce();
    } finally {
      await worker.close();
      await queue.close();
    }
  });

  // Last: it stops the file's redis-server.
  it("with Redis stopped, the receiver answers 503 (queue_unavailable), never 2xx, and reports each event", async () => {
    // The queue on a client of the test's own, disconnected at the end: BullMQ's close() would wait for a Redis that is gone.
    const client = new IORedis(redis.port, "127.0.0.1", { maxRetriesPerRequest: null });
    client.on("error", () => {}); // ioredis reconnects on its own and says so
    const queue = new Queue("redis-down", { connection: client });
    queue.on("error", () => {});
    const onError = vi.fn();
    const trigger = createWherebyTrigger({ secret: secrets.whereby, port: 0, host: "127.0.0.1", responseTimeoutMs: 300, onError, queue: createBullMQQueue(queue) });
    try {
      const base = `http://127.0.0.1:${(await trigger.start()).port}`;
      await queue.waitUntilReady();
      await redis.stop();
      const answers: Received[] = await Promise.all(Array.from({ length: 5 }, async (_, i) => send(base, await deliver(`evt-down-${i}`))));
      for (const answer of answers) expect(answer).toMatchObject({ status: 503, body: { ok: false, error: { code: "queue_unavailable" } } });
      expect(onError).toHaveBeenCalledTimes(5);
      expect(onError.mock.calls[0]![0].message).toMatch(/the queue did not store .* \(send did not resolve within responseTimeoutMs \(300 ms\)\)/);
    } finally {
      await trigger.stop({ timeoutMs: 0 }); // the sends Redis never answered are abandoned
      client.disconnect();
    }
  });
});

describe("Cloudflare Queues in workerd (miniflare): producer and consumer in one worker", () => {
  let mf: Miniflare;
  beforeAll(async () => {
    const bundled = await build({ entryPoints: [path.join(root, "test/queue/cloudflare-worker.ts")], bundle: true, platform: "neutral", format: "esm", write: false, logLevel: "silent" });
    mf = new Miniflare({
      modules: true,
      script: bundled.outputFiles[0]!.text,
      compatibilityDate: "2025-01-01",
      bindings: { SECRET: secrets.whereby! },
      queueProducers: { EVENTS: { queueName: "confhooks-events" } },
      queueConsumers: { "confhooks-events": { maxBatchTimeout: 0.05, maxRetries: 3, retryDelay: 0 } },
    });
    await mf.ready;
  }, 30_000);
  afterAll(() => mf?.dispose());

  it("every acknowledged event is handled once: retried deliveries and a matcher that fails once included", async () => {
    const post = async ({ url, headers, body }: Sent): Promise<number> => (await mf.dispatchFetch(`http://worker.test${url}`, { method: "POST", headers, body })).status;
    const ids = [...Array.from({ length: 12 }, (_, i) => `evt-cf-${i}`), "fail-once-1"];
    const requests = await Promise.all(ids.map(deliver));
    // The trigger does not deduplicate here: every retry is sent again, and the consumer's dedupe keeps each to one run.
    const statuses = await Promise.all(requests.flatMap((request, i) => [post(request), ...(i % 4 === 0 ? [post(request)] : [])]));
    expect(statuses).toEqual(statuses.map(() => 200));
    let handled: { runs: Record<string, number>; failures: string[] } = { runs: {}, failures: [] };
    for (const end = Date.now() + 10_000; Object.keys(handled.runs).length < ids.length && Date.now() < end; await sleep(50)) {
      handled = (await (await mf.dispatchFetch("http://worker.test/handled")).json()) as typeof handled;
    }
    await sleep(100); // a duplicate that would run twice has had its chance
    handled = (await (await mf.dispatchFetch("http://worker.test/handled")).json()) as typeof handled;
    expect(handled).toEqual({ runs: Object.fromEntries(ids.map((id) => [id, 1])), failures: ["fail-once-1"] });
  }, 30_000);
});
