/**
 * Where a trigger remembers which events it has already handled, so that a provider's retry
 * (or a second delivery of the same event) does not run a matcher twice. Keys are namespaced by
 * the trigger (`confhooks:<provider>:<key>`), so several triggers may share one store.
 */
export interface DedupeStore {
  /**
   * Claims `key` for `ttlMs` milliseconds: `true` when it was free (the caller runs the event),
   * `false` when another delivery holds or has handled it. Must be atomic across every receiver
   * that shares the store.
   */
  claim(key: string, ttlMs: number): boolean | Promise<boolean>;
  /** Frees `key` after its matcher failed, so that the provider's retry runs it again. */
  release(key: string): void | Promise<void>;
}

export interface MemoryDedupeStoreOptions {
  /** The most keys kept; the oldest claim is forgotten first. Default 10,000. */
  readonly maxKeys?: number | undefined;
}

/**
 * The default store: one process's memory, bounded. Right for a single receiver; several
 * receivers behind a load balancer need a shared store such as `createRedisDedupeStore`.
 */
export function createMemoryDedupeStore({ maxKeys = 10_000 }: MemoryDedupeStoreOptions = {}): DedupeStore {
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) throw new TypeError(`createMemoryDedupeStore: maxKeys must be a positive integer, got ${String(maxKeys)}`);
  /** Key → expiry (ms); a Map keeps insertion order, so the first entry is the oldest claim. */
  const expiries = new Map<string, number>();
  return {
    claim(key, ttlMs) {
      const now = Date.now();
      const expiry = expiries.get(key);
      if (expiry !== undefined && expiry > now) return false;
      expiries.delete(key);
      while (expiries.size >= maxKeys) expiries.delete(expiries.keys().next().value!);
      expiries.set(key, now + ttlMs);
      return true;
    },
    release(key) {
      expiries.delete(key);
    },
  };
}

/** The parts of a node-redis (v4+) or ioredis client that the Redis store uses. */
export interface RedisLikeClient {
  set(...args: any[]): Promise<unknown>;
  del(...args: any[]): Promise<unknown>;
}

/**
 * A store shared by every receiver, on your own Redis client (node-redis v4+ or ioredis): one
 * atomic `SET key 1 NX PX ttl` per event. confhooks does not depend on a Redis package.
 */
export function createRedisDedupeStore(client: RedisLikeClient, { prefix = "" }: { readonly prefix?: string | undefined } = {}): DedupeStore {
  if (typeof client?.set !== "function" || typeof client.del !== "function") {
    throw new TypeError("createRedisDedupeStore: pass a connected node-redis or ioredis client");
  }
  // ioredis (which has a `status` string) takes positional tokens; node-redis an options object.
  const isNodeRedis = typeof (client as { status?: unknown }).status !== "string";
  return {
    async claim(key, ttlMs) {
      const ms = Math.max(1, Math.ceil(ttlMs));
      const reply = isNodeRedis ? await client.set(prefix + key, "1", { NX: true, PX: ms }) : await client.set(prefix + key, "1", "PX", ms, "NX");
      return reply === "OK";
    },
    async release(key) {
      await client.del(prefix + key);
    },
  };
}
