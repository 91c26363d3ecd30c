import { Claims, StoreFailure } from "./claims.js";
import { createMemoryDedupeStore, type DedupeStore } from "./dedupe.js";
import type { ParsedEventOf, ProviderDefinition } from "./delivery.js";
import { Emitter } from "./emitter.js";
import { describeThrown, Reporter } from "./log.js";
import { fillMatchers, type Matcher } from "./matchers.js";
import { checkDedupe } from "./options.js";
import type { QueueMessage } from "./queue.js";
import type { ParsedShape } from "./run.js";
import { TRIGGER_EVENT_SUCCESS, type TriggerEvents } from "./trigger.js";

export interface ConsumerOptions<Registry, Message> {
  /** A matcher per event type, as a trigger takes them; each slot left out never matches. */
  readonly webhookTriggers?: Partial<Registry> | undefined;
  /**
   * Where handled events are remembered, so that a message the queue delivers again does not run
   * a matcher twice: a store shared by every worker (`createRedisDedupeStore`), or `false`.
   * Default: this process's memory (10,000 keys), right for one worker process only.
   */
  readonly dedupe?: DedupeStore | false | undefined;
  /** How long an event's key is remembered. Default 24 h. */
  readonly dedupeTtlMs?: number | undefined;
  /**
   * How long the claim of an event whose matcher runs holds in a store that tells in flight from
   * done, should its worker die: a redelivery waits that long before it runs the event. Make it
   * longer than your slowest matcher. Default 5 min.
   */
  readonly leaseMs?: number | undefined;
  /**
   * Told about each failure: a matcher that throws or rejects (`handle` rejects too), a
   * listener that does, a dedupe store that fails after the event was handled. Default: one line
   * each, as a trigger logs them.
   */
  readonly onError?: ((error: unknown, message?: Message) => unknown) | undefined;
}

/** How long a message waits for an attempt at its event still running elsewhere before `handle` rejects (the queue retries later). */
const inFlightWaitMs = 10_000;
/** How long one dedupe store call may take before it counts as failed. */
const storeTimeoutMs = 5_000;
const defaultLeaseMs = 5 * 60_000;
const day = 24 * 60 * 60 * 1000;

/**
 * The worker side of a trigger with `queue`: `handle(message)` runs the matcher of the message's
 * event type, with the typing of the trigger's, and emits `trigger_event_success` when it
 * returns `true`. It resolves once the event was handled (or had been: the message is a
 * redelivery), and rejects when the matcher fails, when an attempt at the same event still runs
 * elsewhere, or when the dedupe store fails before the matcher runs — so that the queue delivers
 * the message again. Queues deliver at least once: each event's `key` is claimed in the dedupe
 * store as `confhooks:<provider>:<key>` (the trigger's namespace for handled events) before its
 * matcher runs, so a redelivered message runs once. The event is not validated again: the
 * receiver did, and the queue is yours.
 */
export class Consumer<Parsed extends ParsedShape> extends Emitter<TriggerEvents<QueueMessage<Parsed>>> {
  readonly #provider: ProviderDefinition;
  readonly #where: string;
  readonly #types: ReadonlySet<string>;
  readonly #matchers: Readonly<Record<string, Matcher<unknown>>>;
  readonly #claims: Claims | undefined;
  readonly #reporter: Reporter;

  constructor(provider: ProviderDefinition, options: ConsumerOptions<unknown, QueueMessage<Parsed>>) {
    super();
    const where = `create${provider.typePrefix ?? ""}Consumer`;
    if (typeof options !== "object" || options === null) throw new TypeError(`${where}: options must be an object`);
    checkDedupe(options, where);
    if (options.onError !== undefined && typeof options.onError !== "function") throw new TypeError(`${where}: onError must be a function`);
    const { leaseMs = defaultLeaseMs } = options;
    if (!(typeof leaseMs === "number" && Number.isFinite(leaseMs) && leaseMs >= 1)) throw new TypeError(`${where}: leaseMs must be a number of milliseconds ≥ 1, got ${String(leaseMs)}`);
    this.#provider = provider;
    this.#where = where;
    this.#types = new Set(provider.eventTypes);
    this.#matchers = fillMatchers(provider.eventTypes, (options.webhookTriggers ?? {}) as Record<string, Matcher<never>>) as Record<string, Matcher<unknown>>;
    const store = options.dedupe === false ? undefined : (options.dedupe ?? createMemoryDedupeStore());
    this.#claims = store && new Claims(store, options.dedupeTtlMs ?? day, storeTimeoutMs, leaseMs);
    this.#reporter = new Reporter(provider.title, options.onError as ((error: unknown, parsed?: never) => unknown) | undefined);
  }

  /**
   * Handles one message a trigger with `queue` sent (`job.data`, `message.body`), as the queue
   * gives it: its shape is checked here. Resolves once the event was handled, now or before;
   * rejects so that the queue retries (see the class). A message that is not one of this
   * provider's is a `TypeError` (rejected).
   */
  async handle(message: unknown): Promise<void> {
    const parsed = this.#check(message);
    const claims = this.#claims;
    if (!claims) return this.#run(parsed);
    const key = `confhooks:${this.#provider.name}:${parsed.key}`;
    const claim = await claims.acquire(key, Date.now() + inFlightWaitMs);
    if (claim === "duplicate") return;
    if (claim === "in_flight") throw new Error(`${this.#provider.title} consumer: an attempt at the ${parsed.type} event ${parsed.key} is still running elsewhere; retry later`);
    if (claim instanceof StoreFailure) throw new Error(`${this.#provider.title} consumer: the dedupe store failed (${describeThrown(claim.error)}); retry later`, { cause: claim.error });
    let failure: { readonly error: unknown } | undefined;
    try {
      await this.#run(parsed);
    } catch (error) {
      failure = { error };
    }
    const store = await claims.settle(key, failure === undefined);
    if (store) {
      const consequence = failure ? "the key may stay claimed until its lease ends (leaseMs)" : "the event was handled; a redelivery may run it again";
      this.#reporter.report(new Error(`${this.#provider.title} consumer: the dedupe store failed (${describeThrown(store.error)}); ${consequence}`, { cause: store.error }), parsed);
    }
    if (failure) throw failure.error;
  }

  /** The matcher, then the listeners if it matched; a matcher's failure is reported and thrown. */
  async #run(message: QueueMessage<Parsed>): Promise<void> {
    let result: unknown;
    try {
      result = await this.#matchers[message.type]!(message.event as never);
    } catch (error) {
      this.#reporter.report(error, message);
      throw error;
    }
    if (result === true) this.emitIsolated(TRIGGER_EVENT_SUCCESS, [message], (error) => this.#reporter.report(error, message));
  }

  #check(message: unknown): QueueMessage<Parsed> {
    const fields = message as { provider?: unknown; type?: unknown; key?: unknown } | null;
    const why = typeof fields !== "object" || fields === null
      ? `a message must be an object, got ${fields === null ? "null" : typeof fields}`
      : fields.provider !== this.#provider.name
        ? `the message is of provider ${describe(fields.provider)}, not ${JSON.stringify(this.#provider.name)}`
        : typeof fields.type !== "string" || !this.#types.has(fields.type)
          ? `the message's type ${describe(fields.type)} is not a ${this.#provider.title} event type`
          : typeof fields.key !== "string" || fields.key === ""
            ? "the message has no idempotency key"
            : undefined;
    if (why) throw new TypeError(`${this.#where}: handle: ${why}; pass the message a trigger with \`queue\` sent (BullMQ: job.data; Cloudflare: message.body)`);
    return message as QueueMessage<Parsed>;
  }
}

/** Builds the consumer of one provider; the generated `create<Provider>Consumer` functions call it. */
export function createConsumerWith<Name extends string, EventMap, Registry>(
  provider: ProviderDefinition<Name, EventMap>,
  options: ConsumerOptions<Registry, QueueMessage<ParsedEventOf<Name, EventMap>>>,
): Consumer<ParsedEventOf<Name, EventMap>> {
  return new Consumer(provider as unknown as ProviderDefinition, options as unknown as ConsumerOptions<unknown, QueueMessage<ParsedEventOf<Name, EventMap>>>);
}

function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value.slice(0, 100)) : typeof value === "object" && value !== null ? "an object" : typeof value === "symbol" ? "a symbol" : String(value);
}
