import { answer, settleAnswer, type DeliveryResponse, type Tally } from "./answers.js";
import { Claims, StoreFailure, type Claim } from "./claims.js";
import { decodeDelivery, type DeliveryError, type DeliveryRequest, type ProviderDefinition } from "./delivery.js";
import { isThenable } from "./emitter.js";
import { Gate, type DigestBackend, type Turned, type Verdict } from "./gate.js";
import { handshakeAnswer, type Handshake } from "./handshakes.js";
import { Lifecycle, stopTimeout, type StopOptions } from "./lifecycle.js";
import { DeliveryRefusedError, describeThrown, Reporter } from "./log.js";
import { fillMatchers, type Matcher } from "./matchers.js";
import type { CheckedTriggerOptions } from "./options.js";
import { ReceivedRequest } from "./request.js";
import { MatcherFailure, runMatcher } from "./run.js";
import type { VerifyOptions } from "./signatures.js";
import { createMemoryDedupeStore } from "./dedupe.js";

/** What the receiver needs of a parsed event. */
export interface ParsedShape {
  readonly type: string;
  readonly key: string;
  readonly event: unknown;
}

const day = 24 * 60 * 60 * 1000;

/**
 * One trigger's receiving, composed: the gate (path, method, size, signature), the envelope,
 * the claims (dedupe), the matchers and listeners (run), the policy (the table of answers), the
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
  readonly #matchers: Readonly<Record<string, Matcher<unknown>>>;
  readonly #claims: Claims | undefined;
  readonly #responseTimeoutMs: number | false;
  readonly #onMatch: (parsed: Parsed) => void;

  /** `emit` calls the `trigger_event_success` listeners, each isolated, handing failures to its second argument. */
  constructor(provider: ProviderDefinition, options: CheckedTriggerOptions, digests: DigestBackend, emit: (parsed: Parsed, onFailure: (error: unknown) => void) => void) {
    this.#provider = provider;
    this.#options = options;
    this.path = options.path;
    this.reporter = new Reporter(provider.title, options.onError);
    this.gate = new Gate(provider, options.insecureSkipVerification === true ? undefined : (options as VerifyOptions), digests, options.maxBodyBytes ?? 1024 * 1024);
    this.#matchers = fillMatchers(provider.eventTypes, (options.webhookTriggers ?? {}) as Record<string, Matcher<never>>) as Record<string, Matcher<unknown>>;
    this.#responseTimeoutMs = options.responseTimeoutMs ?? defaultResponseTimeout(provider);
    const store = options.dedupe === false ? undefined : (options.dedupe ?? createMemoryDedupeStore());
    // A store call is bounded well inside the answer's deadline: a store that cannot answer means 503.
    const storeTimeoutMs = this.#responseTimeoutMs === false ? 1000 : Math.min(1000, Math.max(1, Math.floor(this.#responseTimeoutMs / 2)));
    this.#claims = store && new Claims(store, options.dedupeTtlMs ?? day, storeTimeoutMs);
    this.#onMatch = (parsed) => {
      try {
        emit(parsed, (error) => this.reporter.report(error, parsed));
      } catch (error) {
        this.reporter.report(error, parsed);
      }
    };
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
      this.reporter.report(new Error(`${this.#provider.title} trigger stopped after ${timeoutMs} ms with ${abandoned} delivery(ies) still running: their matchers were abandoned`));
    }
    this.reporter.flush();
  }

  #respond(request: DeliveryRequest): DeliveryResponse | Promise<DeliveryResponse> {
    if (typeof request !== "object" || request === null) return this.refuse("badRequest", { code: "malformed", message: "the request must be an object with headers and a body" });
    const method = typeof request.method === "string" ? request.method : "POST";
    const turned = this.gate.head(method, undefined, undefined, this.gate.sizeOf(request.body), this.lifecycle.stopping);
    if (turned !== undefined) return this.turn(turned);
    const received = new ReceivedRequest(request);
    const verdict = this.gate.verify(received);
    return isThenable(verdict) ? verdict.then((settled) => this.#verified(received, settled)) : this.#verified(received, verdict);
  }

  #verified(request: ReceivedRequest, verdict: Verdict): DeliveryResponse | Promise<DeliveryResponse> {
    return typeof verdict === "object" ? this.refuse("unauthenticated", verdict) : this.#accept(request, verdict);
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
    return this.#match(events, { events: events.length, unknown, invalid: invalid?.length ?? 0, duplicates: 0, failures: 0, inFlight: 0, unavailable: 0, claiming: 0 });
  }

  /** Answers a handshake: with the JSON it declares, or as a delivery of no events. */
  async #handshake(handshake: Handshake, secret: number | undefined): Promise<DeliveryResponse> {
    const secrets = this.#options.secret;
    const json = await handshakeAnswer(this.#provider, handshake, secret === undefined ? undefined : secrets?.[secret], (digest) => this.gate.digest(digest));
    if (json === undefined) return answer("delivered", { events: 0, unknown: 0, invalid: 0, duplicates: 0 });
    if ("error" in json) return this.refuse("badRequest", { code: "malformed", message: `${this.#provider.title} ${handshake.spec.name}: ${json.error}` });
    return answer("handshake", json);
  }

  /** Runs every event; the answer once they are done, or at the deadline (`responseTimeoutMs`) what they are then. */
  #match(events: readonly Parsed[], tally: Tally): DeliveryResponse | Promise<DeliveryResponse> {
    const timeout = this.#responseTimeoutMs;
    // Claims wait for an earlier attempt until the deadline; without them, only the answer has one.
    const deadline = timeout !== false && this.#claims ? Date.now() + timeout : undefined;
    let pending: Promise<void>[] | undefined;
    for (const parsed of events) {
      const running = this.#event(parsed, tally, deadline);
      if (running) (pending ??= []).push(running);
    }
    if (!pending) return settleAnswer(tally);
    const done = this.lifecycle.track(Promise.all(pending).then(() => settleAnswer(tally)));
    if (timeout === false) return done;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<DeliveryResponse>((resolve) => {
      timer = setTimeout(() => resolve(settleAnswer(tally, true)), deadline === undefined ? timeout : deadline - Date.now());
    });
    return Promise.race([done, late]).finally(() => clearTimeout(timer));
  }

  /** One event: claimed (unless dedupe is off), run, its claim settled. */
  #event(parsed: Parsed, tally: Tally, deadline: number | undefined): void | Promise<void> {
    if (!this.#claims) {
      const ran = runMatcher(this.#matchers[parsed.type]!, parsed, this.#onMatch);
      return isThenable(ran) ? ran.then((failure) => this.#failed(parsed, failure, tally)) : this.#failed(parsed, ran, tally);
    }
    const key = `confhooks:${this.#provider.name}:${parsed.key}`;
    tally.claiming++;
    const claim = this.#claims.acquire(key, deadline);
    return isThenable(claim) ? claim.then((settled) => this.#claimed(parsed, key, settled, tally)) : this.#claimed(parsed, key, claim, tally);
  }

  #claimed(parsed: Parsed, key: string, claim: Claim, tally: Tally): void | Promise<void> {
    tally.claiming--;
    if (claim === "duplicate") tally.duplicates++;
    else if (claim === "in_flight") tally.inFlight++;
    else if (claim instanceof StoreFailure) {
      // Once per delivery: the 503 tells the provider to retry.
      if (tally.unavailable++ === 0) this.#storeFailed(claim, "answered 503 so that the provider retries");
    } else {
      const ran = runMatcher(this.#matchers[parsed.type]!, parsed, this.#onMatch);
      return isThenable(ran) ? ran.then((failure) => this.#settle(parsed, key, failure, tally)) : this.#settle(parsed, key, ran, tally);
    }
  }

  /** Completes the key of an event that ran, or releases it after a failure before the 500 goes out, so that the retry finds it free. */
  #settle(parsed: Parsed, key: string, failure: MatcherFailure | undefined, tally: Tally): void | Promise<void> {
    this.#failed(parsed, failure, tally);
    const settled = this.#claims!.settle(key, failure === undefined);
    const after = (store: StoreFailure | undefined) => void (store && this.#storeFailed(store, failure ? "the key may stay claimed until its lease ends" : "the event was handled; a retry may run it again"));
    return isThenable(settled) ? settled.then(after) : after(settled);
  }

  #failed(parsed: Parsed, failure: MatcherFailure | undefined, tally: Tally): void {
    if (!failure) return;
    tally.failures++;
    this.reporter.report(failure.error, parsed);
  }

  #storeFailed({ error }: StoreFailure, consequence: string): void {
    this.reporter.report(new Error(`${this.#provider.title} trigger: the dedupe store failed (${describeThrown(error)}); ${consequence}`, { cause: error }));
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

/** 4 s, or 80 % of the provider's deadline when it wants an answer sooner. */
function defaultResponseTimeout(provider: ProviderDefinition): number {
  return provider.answerWithinMs === undefined ? 4000 : Math.min(4000, Math.floor(provider.answerWithinMs * 0.8));
}
