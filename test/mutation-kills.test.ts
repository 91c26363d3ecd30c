// Tests written to kill mutants that survived `npm run mutate` (test/MUTATION.md), one describe
// per mutated file. Public API only.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMemoryDedupeStore, createRedisDedupeStore } from "../generated/src/index.js";

afterEach(() => void vi.useRealTimers());

describe("generator/runtime/core/dedupe.ts: the memory store", () => {
  it("takes maxKeys: 1 and then keeps exactly one key", () => {
    const store = createMemoryDedupeStore({ maxKeys: 1 });
    expect([store.claim("a", 60_000), store.claim("a", 60_000), store.claim("b", 60_000), store.claim("a", 60_000)]).toEqual([true, false, true, true]);
  });

  it("frees a key when its TTL has run out exactly, not a millisecond later", () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const store = createMemoryDedupeStore();
    expect(store.claim("k", 1_000)).toBe(true);
    vi.setSystemTime(1_700_000_000_999);
    expect(store.claim("k", 1_000)).toBe(false);
    vi.setSystemTime(1_700_000_001_000);
    expect(store.claim("k", 1_000)).toBe(true);
  });

  it("a key's state: free, in flight once claimed, done once completed", () => {
    const store = createMemoryDedupeStore();
    expect(store.state("k")).toBe("free");
    store.claim("k", 60_000);
    expect(store.state("k")).toBe("in_flight");
    store.complete("k", 60_000);
    expect(store.state("k")).toBe("done");
  });

  it("names the option it refuses", () => {
    for (const maxKeys of [0, -1, 1.5, NaN]) expect(() => createMemoryDedupeStore({ maxKeys }), String(maxKeys)).toThrow(/maxKeys must be a positive integer/);
  });
});

describe("generator/runtime/core/dedupe.ts: the Redis store's client check", () => {
  it("refuses anything but a client with set, get and del, naming what it needs", () => {
    const set = async () => "OK";
    const get = async () => null;
    const del = async () => 1;
    for (const client of [undefined, null, {}, { set }, { del }, { set, del }, { set, get, del: "no" }, { set: "no", get, del }, { set, get: "no", del }]) {
      expect(() => createRedisDedupeStore(client as never), JSON.stringify(client)).toThrow(/^createRedisDedupeStore: pass a connected node-redis or ioredis client$/);
    }
    expect(() => createRedisDedupeStore({ set, get, del })).not.toThrow();
  });
});

describe("generator/runtime/core/dedupe.ts: what the Redis store asks of each client dialect", () => {
  // The value stored is not part of the contract (only the key's existence is): not checked.
  const fake = (dialect: "node-redis" | "ioredis", reply: unknown) => {
    const calls: unknown[][] = [];
    const client = { set: async (...args: unknown[]) => (calls.push(["set", ...args]), reply), get: async (...args: unknown[]) => (calls.push(["get", ...args]), null), del: async (...args: unknown[]) => (calls.push(["del", ...args]), 1) };
    return { calls, client: dialect === "ioredis" ? Object.assign(client, { status: "ready" }) : client };
  };

  it("node-redis: SET key NX PX, the TTL rounded up to whole milliseconds, at least 1; DEL to release; no prefix unless given", async () => {
    const { calls, client } = fake("node-redis", "OK");
    const store = createRedisDedupeStore(client);
    expect(await store.claim("k", 1500.2)).toBe(true);
    expect(await store.claim("k", 0.2)).toBe(true);
    await store.release("k");
    await createRedisDedupeStore(client, { prefix: "app:" }).claim("k", 10);
    expect(calls.map(([verb, key, , options]) => [verb, key, options])).toEqual([["set", "k", { NX: true, PX: 1501 }], ["set", "k", { NX: true, PX: 1 }], ["del", "k", undefined], ["set", "app:k", { NX: true, PX: 10 }]]);
  });

  it("ioredis (a client with a status): SET key <value> PX ms NX", async () => {
    const { calls, client } = fake("ioredis", "OK");
    expect(await createRedisDedupeStore(client, { prefix: "p:" }).claim("k", 2000)).toBe(true);
    expect(calls.map(([verb, key, , ...rest]) => [verb, key, ...rest])).toEqual([["set", "p:k", "PX", 2000, "NX"]]);
  });

  it("a key already held (Redis answers null) is not claimed", async () => {
    expect(await createRedisDedupeStore(fake("node-redis", null).client).claim("k", 10)).toBe(false);
    expect(await createRedisDedupeStore(fake("ioredis", null).client).claim("k", 10)).toBe(false);
  });
});
