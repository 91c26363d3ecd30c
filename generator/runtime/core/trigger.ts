import { jsonHeaders, type DeliveryResponse } from "./answers.js";
import type { DedupeStore } from "./dedupe.js";
import type { DeliveryError, DeliveryRequest, ParsedEventOf, ProviderDefinition } from "./delivery.js";
import { Emitter } from "./emitter.js";
import { fetchHandler } from "./fetch.js";
import type { DigestBackend } from "./gate.js";
import type { StopOptions } from "./lifecycle.js";
import { checkTriggerOptions } from "./options.js";
import type { EventQueue, QueueMessage } from "./queue.js";
import { Receiver, type ParsedShape } from "./receiver.js";
import type { VerifyOptions } from "./signatures.js";
import { computeDigests } from "./webcrypto.js";

export type { DeliveryResponse } from "./answers.js";
export type { DigestBackend } from "./gate.js";
export type { StopOptions } from "./lifecycle.js";
export { DeliveryRefusedError } from "./log.js";

export type TriggerOptions<Registry, Parsed, Verify extends VerifyOptions = VerifyOptions> = TriggerSettings<Registry, Parsed> & WithoutSecret<Verify> & {
  /** See `VerifyOptions.secret`. Required unless `insecureSkipVerification` is set. */
  readonly secret?: Verify["secret"] | undefined;
};

/** A provider's verify options but `secret`, which a trigger may go without; distributed over a union of providers' options. */
type WithoutSecret<Verify> = Verify extends unknown ? Omit<Verify, "secret"> : never;

/** The options every trigger takes, whatever its provider. */
export interface TriggerSettings<Registry, Parsed> {
  /**
   * Accept unsigned deliveries. Only for local experiments: anyone could then fire your
   * triggers. Only the boolean `true` switches verification off; any other value but `false`
   * is a `TypeError`.
   */
  readonly insecureSkipVerification?: boolean | undefined;
  /** A matcher per event type; each slot left out never matches. */
  readonly webhookTriggers?: Partial<Registry> | undefined;
  /** Only this path receives deliveries; others get 404. Default: any path (`fetch`), `/` (Node server). */
  readonly path?: string | undefined;
  /** Larger bodies are refused with 413, before they are read to the end. Default 1 MiB. */
  readonly maxBodyBytes?: number | undefined;
  /**
   * Answer 202 when matchers are still running after this long, well inside the provider's
   * timeout. A matcher that fails after the 202 cannot be retried by the provider: set `false`
   * to wait for every matcher, so that a 2xx means done. Default 4000 ms, or less for a provider
   * that wants its answer sooner (Zoom: within 3 s). A retry of an event whose earlier attempt is
   * still running waits for it as long, then gets 503; a dedupe store call may take half of it
   * (at most 1 s) before the store counts as down (503).
   */
  readonly responseTimeoutMs?: number | false | undefined;
  /**
   * What to answer to a verified delivery whose event does not match its schema.
   * `"acknowledge"` (default): 200, the event goes to `onInvalid` and the valid events of the
   * delivery run, so the provider neither retries in vain nor disables the hook.
   * `"reject"`: 400 and no matcher runs, as before 0.2.
   */
  readonly invalid?: "acknowledge" | "reject" | undefined;
  /**
   * Where handled events are remembered so that a retried or repeated delivery does not run a
   * matcher twice: a store shared by all receivers (e.g. `createRedisDedupeStore`), or `false`.
   * Default: a store in this process's memory (10,000 keys).
   */
  readonly dedupe?: DedupeStore | false | undefined;
  /** How long an event's key is remembered. Default 24 h, longer than any provider's retries. */
  readonly dedupeTtlMs?: number | undefined;
  /**
   * Hand every usable event to a durable queue instead of running matchers here. Each event,
   * verified, validated and deduplicated as always, is sent as one JSON message (`{ provider,
   * type, key, event, envelope?, receivedAt }`); the delivery is answered 2xx only once `send`
   * resolved for every event, and 503 (the provider retries) when one throws, rejects or has not
   * resolved within `responseTimeoutMs`, reported to `onError` with the event. Workers run the
   * matchers (`create<Provider>Consumer`); `webhookTriggers` may then hold only the answerers of
   * events whose answer carries data, which answer here and are not sent. `dedupe` then keeps
   * which events were stored in the queue: a retry of one is a duplicate, one whose send failed
   * is sent again. Adapters: `createBullMQQueue(queue)` (Node entry), `createCloudflareQueue(binding)`.
   */
  readonly queue?: EventQueue<QueueMessage<Parsed>> | undefined;
  /** Told about each event of a type the provider does not document; the delivery is still answered 200. Default: one warning line. */
  readonly onUnknown?: ((error: DeliveryError) => unknown) | undefined;
  /**
   * Told about each verified event that cannot be used (`invalid` or `malformed`), with the
   * decoded event, the issues and the raw body, so nothing is lost. Default: one warning line.
   */
  readonly onInvalid?: ((error: DeliveryError) => unknown) | undefined;
  /**
   * Told once about each failure: a matcher, listener or hook that throws or rejects (with the
   * event), a dedupe store that fails (once per delivery), a refused delivery (a
   * `DeliveryRefusedError`). Default: one line each, at most five of a kind per ten seconds and
   * then a summary; a failure's stack trace at the debug level (`console.debug`).
   */
  readonly onError?: ((error: unknown, parsed?: Parsed) => unknown) | undefined;
}

/** The name Whereby's assistant SDK emits when a matcher returns true; kept for those porting from it. */
export const TRIGGER_EVENT_SUCCESS = "trigger_event_success";

export type TriggerEvents<Parsed> = {
  /** A matcher returned true for this event. */
  trigger_event_success: [parsed: Parsed];
};

/**
 * The matcher registry, served on Web APIs only: verifies, parses, validates, deduplicates,
 * runs the matchers and emits matches. `fetch` is its `Request → Response` handler for workers,
 * Deno, Bun, Next.js and Hono; the Node entry adds a `node:http` server on top.
 */
export class Trigger<Parsed extends ParsedShape> extends Emitter<TriggerEvents<Parsed>> {
  readonly #receiver: Receiver<Parsed>;

  /**
   * The Web handler, bound: `export default { fetch: trigger.fetch }`, `Deno.serve(trigger.fetch)`,
   * `export const POST = trigger.fetch`, `app.post("/hooks", (c) => trigger.fetch(c.req.raw))`.
   * Same answers as the Node server. Never rejects.
   */
  readonly fetch: (request: Request) => Promise<Response>;

  /**
   * `adapt` is handed the receiver this trigger composes, for an adapter that serves it in
   * another way (the Node entry's `node:http` server).
   */
  constructor(
    provider: ProviderDefinition,
    options: TriggerOptions<unknown, Parsed>,
    digests: DigestBackend = computeDigests,
    adapt?: (receiver: Receiver<Parsed>) => void,
  ) {
    super();
    const checked = checkTriggerOptions(provider, options as TriggerOptions<unknown, unknown>);
    this.#receiver = new Receiver<Parsed>(provider, checked, digests, (parsed, onFailure) => this.emitIsolated(TRIGGER_EVENT_SUCCESS, [parsed], onFailure));
    this.fetch = fetchHandler(this.#receiver);
    adapt?.(this.#receiver);
  }

  /**
   * The framework-free core: one raw request in, one response out. Never rejects, whatever it is given.
   * GET/HEAD answer a health check; a POST is verified (401), decoded and validated, deduplicated,
   * matched (500 when a matcher fails, so the provider retries) and answered 200, or 202 when
   * matchers run long. Invalid events are acknowledged and reported (see `invalid`).
   */
  handleDelivery(request: DeliveryRequest): Promise<DeliveryResponse> {
    return this.#receiver.handle(request);
  }

  /**
   * Stops taking deliveries (new ones get 503, health checks too, so the provider retries later
   * or elsewhere and a load balancer takes this instance out) and resolves once those in flight
   * have finished, or after `timeoutMs`, reporting to `onError` how many matchers were
   * abandoned. Never hangs. A `timeoutMs` that is not a number of milliseconds is a `TypeError`,
   * before anything stops. Stopping is final.
   */
  stop(options?: StopOptions): Promise<void> {
    return this.#receiver.stop(options);
  }

  /** Whether `stop()` has been called. */
  get stopping(): boolean {
    return this.#receiver.lifecycle.stopping;
  }
}

/** Builds the trigger of one provider; the generated `create<Provider>Trigger` functions call it. */
export function createTriggerWith<Name extends string, EventMap, Registry, Verify extends VerifyOptions>(
  provider: ProviderDefinition<Name, EventMap>,
  options: TriggerOptions<Registry, ParsedEventOf<Name, EventMap>, Verify>,
): Trigger<ParsedEventOf<Name, EventMap>> {
  return new Trigger(provider as unknown as ProviderDefinition, options as unknown as TriggerOptions<unknown, ParsedEventOf<Name, EventMap>>);
}

/** A JSON answer: the shape of every answer in the table (kept for adapters written against 0.1). */
export function reply(status: number, body: unknown): DeliveryResponse {
  return { status, headers: jsonHeaders, body: JSON.stringify(body) };
}
