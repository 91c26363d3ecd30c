import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis as IORedis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRedisDedupeStore, createTrigger, signDelivery, type DedupeStore } from "../generated/src/index.js";
import { send, start } from "./http.js";
import { providers, secrets } from "./support.js";

/**
 * A real redis-server on a free port of 127.0.0.1, in a temporary folder, nothing persisted. Which
 * redis-server comes from test/redis-setup.ts: "" when there is none (the tests are skipped, and
 * the set-up has said so in one line).
 */
const redisServer = inject("redisServer");
let server: ChildProcess | undefined;
let port: number;
let dir: string | undefined;

beforeAll(async () => {
  if (!redisServer) return;
  port = await freePort();
  dir = mkdtempSync(path.join(tmpdir(), "confhooks-redis-"));
  const child = spawn(redisServer, ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  server = child;
  await new Promise<void>((resolve, reject) => {
    child.once("error", (error) => reject(new Error(`cannot start ${redisServer} (${error.message})`)));
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("Ready to accept connections") && resolve());
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
});

afterAll(() => {
  server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const loaded = await providers();
const joined = (loaded.find((p) => p.name === "whereby")!.events.find((e) => e.base === "room.client.joined")!.schema.examples as any[])[0];

const clients = {
  "node-redis": async () => {
    const client = createClient({ url: `redis://127.0.0.1:${port}` });
    await client.connect();
    return { client, close: () => client.close() };
  },
  ioredis: async () => {
    const client = new IORedis(port, "127.0.0.1", { lazyConnect: true });
    await client.connect();
    return { client, close: async () => void client.disconnect() };
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}
