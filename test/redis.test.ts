import { Redis as IORedis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { createRedisDedupeStore, createTrigger, signDelivery, type DedupeStore } from "../generated/src/index.js";
import { send, start } from "./http.js";
import { adapters } from "./receivers.js";
import { startRedis, type RedisServer } from "./redis-server.js";
import { providers, secrets } from "./support.js";

/**
 * Which redis-server to run comes from test/redis-setup.ts: "" when there is none (the tests are
 * skipped, and the set-up has said so in one line).
 */
const redisServer = inject("redisServer");

let shared: RedisServer;
beforeAll(async () => {
  if (redisServer) shared = await startRedis(redisServer);
});
afterAll(() => shared?.stop());

const loaded = await providers();
const joined = (loaded.find((p) => p.name === "whereby")!.events.find((e) => e.base === "room.client.joined")!.schema.examples as any[])[0];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const clients = {
  "node-redis": async (port = shared.port) => {
    const client = createClient({ url: `redis://127.0.0.1:${port}` });
    client.on("error", () => {}); // reconnects on its own; without a listener, an error event would throw
    await client.connect();
    return { client, ready: () => client.isReady, close: () => (client.isOpen ? client.close() : undefined) };
  },
  ioredis: async (port = shared.port) => {
    const client = new IORedis(port, "127.0.0.1", { lazyConnect: true });
    client.on("error", () => {});
    await client.connect();
    return { client, ready: () => client.status === "ready", close: async () => void client.disconnect() };
  },
};

describe.skipIf(!redisServer).each(Object.keys(clients) as (keyof typeof clients)[])("Redis deduplication store with %s", (name) => {
  it("claims a key once until it expires or is released", async () => {
    const { client, close } = await clients[name]();
    try {
      const store: DedupeStore = createRedisDedupeStore(client, { prefix: `${name}:` });
      expect(await store.claim("a", 60_000)).toBe(true);
      expect(await store.claim("a", 60_000)).toBe(false);
      await store.release("a");
      expect(await store.claim("a", 60_000)).toBe(true);
      expect(await store.claim("short", 20)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(await store.claim("short", 20)).toBe(true);
    } finally {
      await close();
    }
  });

  it("a key's state: free, in flight once claimed, done once completed, for the ttl given and no longer", async () => {
    const { client, close } = await clients[name]();
    try {
      const store = createRedisDedupeStore(client, { prefix: `${name}-state:` });
      expect(await store.state("k")).toBe("free");
      expect(await store.claim("k", 60_000)).toBe(true);
      expect(await store.state("k")).toBe("in_flight");
      await store.complete("k", 40);
      expect(await store.state("k")).toBe("done");
      await sleep(80); // `complete` sets its own expiry: a key done forever would refuse every later delivery
      expect(await store.state("k")).toBe("free");
    } finally {
      await close();
    }
  });

  it("two receivers sharing one Redis run every event's matcher exactly once", async () => {
    const [first, second] = [await clients[name](), await clients[name]()];
    try {
      const runs = new Map<string, number>();
      const receiver = (client: unknown) =>
        createTrigger({
          provider: "whereby",
          secret: secrets.whereby,
          port: 0,
          host: "127.0.0.1",
          dedupe: createRedisDedupeStore(client as never, { prefix: `${name}-shared:` }),
          webhookTriggers: { "room.client.joined": async (event) => (runs.set(String(event.data.participantId), (runs.get(String(event.data.participantId)) ?? 0) + 1), true) },
        });
      const bases = [await start(receiver(first.client)), await start(receiver(second.client))];
      const events = Array.from({ length: 40 }, (_, i) => ({ ...joined, id: `${name}-evt-${i}`, data: { ...joined.data, participantId: `p-${i}` } }));
      const requests = await Promise.all(events.map((event) => signDelivery("whereby", event, { secret: secrets.whereby })));
      // Every delivery goes to both receivers at once, and every third one a second time (a retry).
      const answers = await Promise.all(requests.flatMap((request, i) => [send(bases[0]!, request), send(bases[1]!, request), ...(i % 3 === 0 ? [send(bases[i % 2]!, request)] : [])]));
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      expect(answers.reduce((sum, answer) => sum + answer.body.duplicates, 0)).toBe(answers.length - events.length);
      expect([...runs.values()]).toEqual(events.map(() => 1));
      expect(runs.size).toBe(events.length);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});

describe.skipIf(!redisServer).each(Object.keys(clients) as (keyof typeof clients)[])("issue 22 with %s", (name) => {
  it("1. a retry at another receiver while the first attempt runs is acknowledged only once the event was handled", async () => {
    const [first, second] = [await clients[name](), await clients[name]()];
    try {
      let calls = 0;
      let successes = 0;
      const matcher = async () => {
        const call = ++calls;
        await sleep(call === 1 ? 600 : 10);
        if (call === 1) throw new Error("the database timed out");
        successes++;
        return true;
      };
      const receiver = (client: unknown) =>
        createTrigger({
          provider: "whereby", secret: secrets.whereby, port: 0, host: "127.0.0.1", onError: () => {},
          dedupe: createRedisDedupeStore(client as never, { prefix: `${name}-in-flight:` }),
          webhookTriggers: { "room.client.joined": matcher },
        });
      const [a, b] = [await start(receiver(first.client)), await start(receiver(second.client))];
      const request = await signDelivery("whereby", { ...joined, id: `${name}-in-flight` }, { secret: secrets.whereby });
      const attempt = send(a, request);
      await sleep(300);
      const retry = await send(b, request);
      expect(retry.status).toBe(200);
      expect(successes, "a 2xx went out before any attempt had handled the event").toBe(1);
      expect((await attempt).status).toBe(500);
      expect(await send(a, request)).toMatchObject({ status: 200, body: { duplicates: 1 } });
      expect(successes).toBe(1);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  for (const [adapter, open] of Object.entries(adapters)) {
    it(`2. a store that is down means 503 per delivery, reported to onError, and nothing is lost (${adapter})`, async () => {
      const servers = [await startRedis(redisServer)];
      const { port } = servers[0]!;
      const { client, ready, close } = await clients[name](port);
      try {
        const errors: unknown[] = [];
        const matcher = vi.fn(async () => true);
        const { post } = await open({
          provider: "whereby", secret: secrets.whereby, responseTimeoutMs: 1_000, onError: (error: unknown) => errors.push(error),
          dedupe: createRedisDedupeStore(client as never), webhookTriggers: { "room.client.joined": matcher },
        });
        const requests = await Promise.all(Array.from({ length: 5 }, (_, i) => signDelivery("whereby", { ...joined, id: `${name}-down-${adapter}-${i}` }, { secret: secrets.whereby })));
        await servers[0]!.stop();
        const began = Date.now();
        const answers = await Promise.all(requests.map((request) => post(request)));
        for (const answer of answers) expect(answer).toMatchObject({ status: 503, body: { ok: false, error: { code: "dedupe_unavailable" } } });
        expect(answers[0]!.headers["retry-after"]).toBeDefined();
        expect(Date.now() - began, "bounded, and before responseTimeoutMs").toBeLessThan(1_000);
        expect(errors).toHaveLength(5);
        expect(String((errors[0] as Error).message)).toMatch(/dedupe store/);
        expect(matcher).not.toHaveBeenCalled();

        servers.push(await startRedis(redisServer, port)); // back, empty
        for (let waited = 0; !ready() && waited < 10_000; waited += 50) await sleep(50);
        const retries = await Promise.all(requests.map((request) => post(request)));
        for (const retry of retries) expect(retry).toMatchObject({ status: 200, body: { duplicates: 0 } });
        expect(matcher).toHaveBeenCalledTimes(5);
        await sleep(100);
        expect(errors, "nothing reported late").toHaveLength(5);
      } finally {
        await close();
        await Promise.all(servers.map((server) => server.stop()));
      }
    }, 30_000);
  }
});
