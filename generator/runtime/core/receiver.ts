import { answer, type DeliveryResponse } from "./answers.js";
import { Claims } from "./claims.js";
import { createMemoryDedupeStore } from "./dedupe.js";
import { decodeDelivery, type DeliveryError, type DeliveryRequest, type ProviderDefinition } from "./delivery.js";
import { isThenable } from "./emitter.js";
import { Gate, type DigestBackend, type Turned, type Verdict } from "./gate.js";
import { handshakeAnswer, type Handshake } from "./handshakes.js";
import { Lifecycle, stopTimeout, type StopOptions } from "./lifecycle.js";
import { DeliveryRefusedError, Reporter } from "./log.js";
import { fillMatchers, type Matcher } from "./matchers.js";
import { after } from "./maybe.js";
import type { CheckedTriggerOptions } from "./options.js";
import { defaultResponseTimeoutMs } from "./provider.js";
import type { EventQueue } from "./queue.js";
import { ReceivedRequest } from "./request.js";
import { Runner, type ParsedShape } from "./run.js";
import type { VerifyOptions } from "./signatures.js";

export type { ParsedShape } from "./run.js";

const day = 24 * 60 * 60 * 1000;
/** How long a trigger with `queue` holds the claim of an event whose send never settled (its receiver died), at least. */
const queueLeaseMs = 60_000;

/**
 * One trigger's receiving, composed: the gate (path, method, size, signature), the envelope and
 * its hooks, the runner (claims, matchers and listeners, or the queue), the policy (the table of answers), the
 * lifecycle and the reporter. The adapters (`fetch`, `node:http`, `handleDelivery`) read a
 * request and hand it here. Nothing here throws: a failure of this code answers 500.
 */
export class Receiver<Parsed extends ParsedShape> {
  readonly lifecycle = new Lifecycle();
  readonly reporter: Reporter;
  readonly gate: Gate;
  /** The path deliveries go to, when set. */
  readonly path: string | undefined;
  readonly #provider: ProviderDefinition;
  readonly #options: CheckedTriggerOptions;
  readonly #runner: Runner<Parsed>;

  /** `emit` calls the `trigger_event_success` listeners, each isolated, handing failures to its second argument. */
  constructor(provider: ProviderDefinition, options: CheckedTriggerOptions, digests: DigestBackend, emit: (parsed: Parsed, onFailure: (error: unknown) => void) => void) {
    this.#provider = provider;
    this.#options = options;
    this.path = options.path;
    this.reporter = new Reporter(provider.title, options.onError);
    this.gate = new Gate(provider, options.insecureSkipVerification === true ? undefined : (options as VerifyOptions), digests, options.maxBodyBytes ?? 1024 * 1024);
    const responseTimeoutMs = options.responseTimeoutMs ?? defaultResponseTimeoutMs(provider.answerWithinMs);
    const store = options.dedupe === false ? undefined : (options.dedupe ?? createMemoryDedupeStore());
    // A store call is bounded well inside the answer's deadline: a store that cannot answer means 503.
    const storeTimeoutMs = responseTimeoutMs === false ? 1000 : Math.min(1000, Math.max(1, Math.floor(responseTimeoutMs / 2)));
    this.#runner = new Runner<Parsed>({
      title: provider.title,
      matchers: fillMatchers(provider.eventTypes, (options.webhookTriggers ?? {}) as Record<string, Matcher<never>>) as Record<string, Matcher<unknown>>,
      // With a queue, a claim is held while an event is sent, which the answer waits for responseTimeoutMs
      // at most: a receiver that died meanwhile leaves it in flight for a minute, not a matcher's lease.
      claims: store && new Claims(store, options.dedupeTtlMs ?? day, storeTimeoutMs, options.queue && responseTimeoutMs !== false ? Math.max(queueLeaseMs, 2 * responseTimeoutMs) : undefined),
      namespace: provider.name,
      answerers: new Map(Object.entries(provider.answerValidators ?? {})),
      queue: options.queue as EventQueue<unknown> | undefined,
      responseTimeoutMs,
      lifecycle: this.lifecycle,
      reporter: this.reporter,
      onMatch: (parsed) => {
        try {
          emit(parsed, (error) => this.reporter.report(error, parsed));
        } catch (error) {
          this.reporter.report(error, parsed);
        }
      },
    });
  }

  /** `handleDelivery`: the answer as a promise, counted in flight for `stop()`. Never rejects. */
  handle(request: DeliveryRequest): Promise<DeliveryResponse> {
    const response = this.respond(request);
    return isThenable(response) ? this.lifecycle.track(response) : Promise.resolve(response);
  }

  /**
   * One request whose body is read to its answer: synchronous when neither verification nor a
   * matcher needs a promise (a response written in the tick that read the request costs a server
   * markedly less). No path check: the adapters make it. Never throws nor rejects.
   */
  respond(request: DeliveryRequest): DeliveryResponse | Promise<DeliveryResponse> {
    try {
      const response = this.#respond(request);
      return isThenable(response) ? response.then(undefined, (error: unknown) => this.internal(error)) : response;
    } catch (error) {
      return this.internal(error);
    }
  }

  /** The answer to a request turned away before its body counts (see `Gate.head`). */
  turn(why: Turned): DeliveryResponse {
    switch (why) {
      case "notFound":
        return answer("notFound", this.path ?? "/");
      case "health":
        return answer("health", this.#provider.name);
      case "tooLarge":
        return this.refuse("tooLarge", { code: "too_large", message: `the body is larger than ${this.gate.maxBodyBytes} bytes` });
      default:
        return answer(why);
    }
  }

  /** A refusal: reported to `onError` as a `DeliveryRefusedError`, answered from the table. */
  refuse(name: "unauthenticated" | "badRequest" | "tooLarge", error: DeliveryError): DeliveryResponse {
    const response = answer(name, error);
    this.reporter.report(new DeliveryRefusedError(response.status, error, this.#provider.title));
    return response;
  }

  /** A failure of the receiver itself: reported, answered 500 so that the provider retries. */
  internal(error: unknown): DeliveryResponse {
    this.reporter.report(error);
    return answer("internal");
  }

  /** Stops taking deliveries and waits for those in flight (see `Trigger.stop`). */
  async stop(options: StopOptions | undefined): Promise<void> {
    const timeoutMs = stopTimeout(options);
    const abandoned = await this.lifecycle.stop(timeoutMs);
    if (abandoned > 0) {
      this.reporter.report(new Error(`${this.#provider.title} trigger stopped after ${timeoutMs} ms with ${abandoned} delivery(ies) still running: their matchers (or queue sends) were abandoned`));
    }
    this.reporter.flush();
  }

  #respond(request: DeliveryRequest): DeliveryResponse | Promise<DeliveryResponse> {
    if (typeof request !== "object" || request === null) return this.refuse("badRequest", { code: "malformed", message: "the request must be an object with headers and a body" });
    const method = typeof request.method === "string" ? request.method : "POST";
    const turned = this.gate.head(method, undefined, undefined, this.gate.sizeOf(request.body), this.lifecycle.stopping);
    if (turned !== undefined) return this.turn(turned);
    const received = new ReceivedRequest(request);
    return after(this.gate.verify(received), (verdict: Verdict) => (typeof verdict === "object" ? this.refuse("unauthenticated", verdict) : this.#accept(received, verdict)));
  }

  /** A verified request: decoded, its events matched; `secret` is the index of the secret that verified it. */
  #accept(request: ReceivedRequest, secret: number | undefined): DeliveryResponse | Promise<DeliveryResponse> {
    const reject = this.#options.invalid === "reject";
    const decoded = decodeDelivery(this.#provider, request);
    if (!decoded.ok) {
      if (reject) return this.refuse("badRequest", decoded.error);
      this.#invalid({ ...decoded.error, body: request.raw.body });
      return answer("delivered", { events: 0, unknown: 0, invalid: 1, duplicates: 0 });
    }
    if (decoded.handshake) return this.#handshake(decoded.handshake, secret);
    const events: Parsed[] = [];
    let invalid: DeliveryError[] | undefined;
    let unknown = 0;
    for (const outcome of decoded.events) {
      if (outcome.ok) events.push(outcome.parsed as unknown as Parsed);
      else if (outcome.error.code === "unknown_event") {
        unknown++;
        this.#hook(this.#options.onUnknown, outcome.error, "unknown event", (error) => `${error.message}; answered 200 and ignored (pass onUnknown to handle it)`);
      } else (invalid ??= []).push(outcome.error);
    }
    if (invalid && reject) return this.refuse("badRequest", invalid[0]!);
    for (const error of invalid ?? []) this.#invalid({ ...error, body: request.raw.body });
    return this.#runner.run(events, { events: events.length, unknown, invalid: invalid?.length ?? 0, duplicates: 0, failures: 0, inFlight: 0, unavailable: 0, claiming: 0, unqueued: 0 });
  }

  /** Answers a handshake: with the JSON it declares, or as a delivery of no events. */
  async #handshake(handshake: Handshake, secret: number | undefined): Promise<DeliveryResponse> {
    const secrets = this.#options.secret;
    const response = await handshakeAnswer(this.#provider, handshake, secret === undefined ? undefined : secrets?.[secret], (digest) => this.gate.digest(digest));
    return "error" in response ? this.refuse("badRequest", response.error) : response;
  }

  #invalid(error: DeliveryError): void {
    this.#hook(this.#options.onInvalid, error, "invalid event", ({ code, message }) => `${this.#provider.title} ${code} event: ${message}; answered 200 (pass onInvalid to keep it, or invalid: "reject")`);
  }

  /** Runs a user hook, or writes the default line; whatever the hook throws or rejects goes to `onError` and changes no answer. */
  #hook(hook: ((error: DeliveryError) => unknown) | undefined, error: DeliveryError, kind: string, line: (error: DeliveryError) => string): void {
    if (!hook) return this.reporter.warn(kind, line(error));
    try {
      const result = hook(error);
      if (isThenable(result)) result.then(undefined, (failure: unknown) => this.reporter.report(failure));
    } catch (failure) {
      this.reporter.report(failure);
    }
  }
}


