import type { EventQueue } from "../core/queue.js";

/** The parts of a BullMQ `Queue` the adapter uses; confhooks does not depend on BullMQ. */
export interface BullMQQueueLike {
  add(name: string, data: any, options?: any): Promise<unknown>;
  /** The queue's own defaults for every job, when it has any. */
  readonly defaultJobOptions?: { readonly attempts?: number | undefined; readonly backoff?: unknown } | undefined;
}

export interface BullMQQueueOptions {
  /**
   * BullMQ job options for every event (`attempts`, `backoff`, `removeOnComplete`, …), over the
   * queue's `defaultJobOptions`. `jobId` is always the event's. When neither sets `attempts`, each
   * job gets 10, `backoff` exponential from 1 s: BullMQ's own default of one attempt would never
   * retry a failed consumer.
   */
  readonly jobOptions?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * A BullMQ `Queue` (Redis) as a trigger's `queue`: each event is a job named `<provider>:<type>`,
 * its data the message, its id the event's idempotency key (`<provider>.<key>`, the key
 * percent-encoded: BullMQ ids may not contain `:`). `add` resolves once Redis holds the job, so a
 * 2xx means it is in Redis, as durable as your Redis is configured (with AOF and `appendfsync
 * everysec`, a crash of Redis itself can lose the last second; without AOF, all since the last
 * snapshot). A retried delivery adds a job whose id exists: BullMQ keeps
 * the first and does not run it twice, as long as the job is kept (a job removed on completion
 * can be added again; the consumer's dedupe then keeps it from running twice). While Redis is
 * down, `add` waits (ioredis queues the command) or fails: the trigger answers 503 at
 * `responseTimeoutMs`, and a job added once Redis is back keeps its id.
 */
export function createBullMQQueue(queue: BullMQQueueLike, { jobOptions = {} }: BullMQQueueOptions = {}): EventQueue {
  if (typeof queue?.add !== "function") throw new TypeError("createBullMQQueue: pass a BullMQ Queue (new Queue(name, { connection }))");
  if (typeof jobOptions !== "object" || jobOptions === null) throw new TypeError("createBullMQQueue: jobOptions must be an object of BullMQ job options");
  const retries = jobOptions.attempts === undefined && queue.defaultJobOptions?.attempts === undefined
    ? { attempts: 10, ...(jobOptions.backoff === undefined && queue.defaultJobOptions?.backoff === undefined && { backoff: { type: "exponential", delay: 1_000 } }) }
    : {};
  return {
    send: (message) => queue.add(`${message.provider}:${message.type}`, message, { ...retries, ...jobOptions, jobId: bullMQJobId(message.provider, message.key) }),
  };
}

/** The BullMQ job id of an event: `<provider>.<key>`, the key percent-encoded (no `:`, never an integer). */
export function bullMQJobId(provider: string, key: string): string {
  return `${provider}.${encodeURIComponent(key)}`;
}
