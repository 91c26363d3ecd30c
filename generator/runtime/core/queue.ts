/**
 * What a trigger with `queue` sends for each usable event: the parsed event (its provider, type,
 * idempotency key, the validated event and the envelope fields beside it) and when the delivery
 * was received (epoch ms). Plain JSON: it survives any queue's serialisation.
 */
export interface QueuedEvent {
  readonly provider: string;
  readonly type: string;
  /** The idempotency key: the same for every delivery of this event, retries included. */
  readonly key: string;
  readonly event: unknown;
  /** Envelope fields that are not part of the event (BigBlueButton's `domain` and `timestamp`). */
  readonly envelope?: Readonly<Record<string, string>> | undefined;
  /** When the receiver verified the delivery, in milliseconds since the epoch. */
  readonly receivedAt: number;
}

/** The message of one parsed event of a provider, narrowed by `type` as the event is. */
export type QueueMessage<Parsed> = Parsed extends unknown ? Parsed & { readonly receivedAt: number } : never;

/**
 * Where a trigger with `queue` hands its events: `send` resolves once the queue has stored the
 * message (a trigger answers 2xx only then), and throws or rejects when it could not.
 * `createBullMQQueue(queue)` (Node) and `createCloudflareQueue(binding)` adapt real queues; any
 * object with such a `send` will do.
 */
export interface EventQueue<Message = QueuedEvent> {
  send(message: Message): PromiseLike<unknown> | void;
}

/** The parts of a Cloudflare Queues producer binding (`env.MY_QUEUE`, a `Queue` of @cloudflare/workers-types) that the adapter uses. */
export interface CloudflareQueueBinding {
  send(body: any, options?: { readonly contentType?: any; readonly delaySeconds?: number }): Promise<unknown>;
}

export interface CloudflareQueueOptions {
  /** Delay every message this many seconds before a consumer sees it. Default 0. */
  readonly delaySeconds?: number | undefined;
}

/**
 * A Cloudflare Queues producer binding as a trigger's `queue`: each event is one message sent as
 * JSON (`contentType: "json"`). `send` resolves once Cloudflare has stored the message, so a 2xx
 * means it is in the queue. Queues deliver at least once and do not deduplicate what is sent:
 * a provider's retry after a lost answer is sent again, and the consumer's dedupe (its `key`)
 * keeps it from running twice.
 */
export function createCloudflareQueue(binding: CloudflareQueueBinding, { delaySeconds }: CloudflareQueueOptions = {}): EventQueue {
  if (typeof binding?.send !== "function") throw new TypeError("createCloudflareQueue: pass a Cloudflare Queues producer binding (env.<BINDING>), with send(body, options)");
  if (delaySeconds !== undefined && !(Number.isInteger(delaySeconds) && delaySeconds >= 0)) throw new TypeError(`createCloudflareQueue: delaySeconds must be a whole number of seconds ≥ 0, got ${String(delaySeconds)}`);
  const options = delaySeconds === undefined ? { contentType: "json" } : { contentType: "json", delaySeconds };
  return { send: (message) => binding.send(message, options) };
}
