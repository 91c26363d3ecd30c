import { concatBytes } from "./bytes.js";
import { decodeDelivery, type DeliveryError, type DeliveryRequest, type ParsedEventOf, type ProviderDefinition } from "./delivery.js";
import { createMemoryDedupeStore, type DedupeStore } from "./dedupe.js";
import { Emitter, isThenable } from "./emitter.js";
import { fillMatchers, type Matcher } from "./matchers.js";
import { handshakeAnswer, type Handshake } from "./handshakes.js";
import { checkVerifyOptions } from "./options.js";
import { defaultResponseTimeoutMs } from "./provider.js";
import { ReceivedRequest } from "./request.js";
import type { Validator } from "./validation.js";
import { jsonHeaders, reply, type DeliveryResponse } from "./response.js";

export { reply, type DeliveryResponse } from "./response.js";
import { digestsOf, planVerification, settleWithSecret, type Digest, type VerifyOptions } from "./signatures.js";
import { computeDigests } from "./webcrypto.js";

export type TriggerOptions<Registry, Parsed, Verify extends VerifyOptions = VerifyOptions> = TriggerSettings<Registry, Parsed> & WithoutSecret<Verify> & {
  /** See `VerifyOptions.secret`. Required unless `insecureSkipVerification` is set. */
  readonly secret?: Verify["secret"] | undefined;
};

/** A provider's verify options but `secret`, which a trigger may go without; distributed over a union of providers' options. */
type WithoutSecret<Verify> = Verify extends unknown ? Omit<Verify, "secret"> : never;

/** The options every trigger takes, whatever its provider. */
export interface TriggerSettings<Registry, Parsed> {
  /** Accept unsigned deliveries. Only for local experiments: anyone could then fire your triggers. */
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
   * that wants its answer sooner (Zoom: within 3 s).
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
  /** Told about each event of a type the provider does not document; the delivery is still answered 200. Default: one warning line. */
  readonly onUnknown?: ((error: DeliveryError) => unknown) | undefined;
  /**
   * Told about each verified event that cannot be used (`invalid` or `malformed`), with the
   * decoded event, the issues and the raw body, so nothing is lost. Default: one warning line.
   */
  readonly onInvalid?: ((error: DeliveryError) => unknown) | undefined;
  /**
   * Told once about each failure: a matcher, listener or hook that throws or rejects (with the
   * event), a refused delivery (a `DeliveryRefusedError`). Default: one line per refusal, the
   * stack trace of failures of your own code.
   */
  readonly onError?: ((error: unknown, parsed?: Parsed) => unknown) | undefined;
}

/** Reported to `onError` when a delivery is refused (401, 400, 413, …): the sender or the request was at fault, not your code. */
export class DeliveryRefusedError extends Error {
  constructor(readonly status: number, readonly delivery: DeliveryError, provider: string) {
    super(`${provider} delivery refused with ${status}: ${delivery.code}: ${delivery.message}`);
    this.name = "DeliveryRefusedError";
  }
}

/** The name Whereby's assistant SDK emits when a matcher returns true; kept for those porting from it. */
export const TRIGGER_EVENT_SUCCESS = "trigger_event_success";

export type TriggerEvents<Parsed> = {
  /** A matcher returned true for this event. */
  trigger_event_success: [parsed: Parsed];
};

/** Computes digests for verification: Web Crypto by default; the Node entry passes the synchronous `node:crypto` one. */
export type DigestBackend = (digests: readonly Digest[]) => readonly string[] | Promise<readonly string[]>;

export interface StopOptions {
  /** How long deliveries in flight may still finish. Default 10,000 ms. */
  readonly timeoutMs?: number | undefined;
}

/** How one delivery's events went, for its answer. */
interface Tally {
  readonly events: number;
  readonly unknown: number;
  readonly invalid: number;
  duplicates: number;
  failures: number;
  /** The answer an answerer gave, validated: the body of the response. */
  answer?: unknown;
}

const day = 24 * 60 * 60 * 1000;

/**
 * The matcher registry, served on Web APIs only: verifies, parses, validates, deduplicates,
 * runs the matchers and emits matches. `fetch` is its `Request → Response` handler for workers,
 * Deno, Bun, Next.js and Hono; the Node entry adds a `node:http` server on top.
 */
export class Trigger<Parsed extends { readonly type: string; readonly key: string; readonly event: unknown }> extends Emitter<TriggerEvents<Parsed>> {
  protected readonly provider: ProviderDefinition;
  protected readonly options: TriggerOptions<unknown, Parsed>;
  protected readonly maxBodyBytes: number;
  readonly #digests: DigestBackend;
  readonly #matchers: Readonly<Record<string, Matcher<unknown>>>;
  readonly #dedupe: DedupeStore | undefined;
  readonly #dedupeTtlMs: number;
  /** The answer's validator of each event whose answer carries data. */
  readonly #answerers: ReadonlyMap<string, Validator<unknown>>;
  readonly #responseTimeoutMs: number | false;
  readonly #inFlight = new Set<Promise<unknown>>();
  #stopping = false;

  constructor(provider: ProviderDefinition, options: TriggerOptions<unknown, Parsed>, digests: DigestBackend = computeDigests) {
    super();
    const checked = checkTriggerOptions(provider, options);
    this.provider = provider;
    this.options = checked;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.#digests = digests;
    this.#matchers = fillMatchers(provider.eventTypes, (options.webhookTriggers ?? {}) as Record<string, Matcher<never>>) as Record<string, Matcher<unknown>>;
    this.#dedupe = options.dedupe === false ? undefined : (options.dedupe ?? createMemoryDedupeStore());
    this.#dedupeTtlMs = options.dedupeTtlMs ?? day;
    this.#answerers = new Map(Object.entries(provider.answerValidators ?? {}));
    this.#responseTimeoutMs = options.responseTimeoutMs ?? defaultResponseTimeoutMs(provider.answerWithinMs);
  }

  /**
   * The framework-free core: one raw request in, one response out. Never rejects, whatever it is given.
   * GET/HEAD answer a health check; a POST is verified (401), decoded and validated, deduplicated,
   * matched (500 when a matcher fails, so the provider retries) and answered 200, or 202 when
   * matchers run long. Invalid events are acknowledged and reported (see `invalid`).
   */
  handleDelivery(request: DeliveryRequest): Promise<DeliveryResponse> {
    try {
      return this.track(Promise.resolve(this.respond(request)).catch((error: unknown) => this.#internal(error)));
    } catch (error) {
      return Promise.resolve(this.#internal(error));
    }
  }

  /**
   * The Web handler, bound: `export default { fetch: trigger.fetch }`, `Deno.serve(trigger.fetch)`,
   * `export const POST = trigger.fetch`, `app.post("/hooks", (c) => trigger.fetch(c.req.raw))`.
   * Same answers as the Node server. Never rejects.
   */
  readonly fetch = async (request: Request): Promise<Response> => {
    let response: DeliveryResponse;
    try {
      response = await this.track(this.#fetchResponse(request)); // counted in flight from the first byte, for stop()
    } catch (error) {
      response = this.#internal(error);
    }
    return new Response(request?.method === "HEAD" ? null : response.body, { status: response.status, headers: response.headers });
  };

  /**
   * Stops taking deliveries (new ones get 503, so the provider retries later or elsewhere) and
   * resolves once those in flight have finished, or after `timeoutMs`, reporting to `onError`
   * how many matchers were abandoned. Never hangs.
   */
  async stop({ timeoutMs = 10_000 }: StopOptions = {}): Promise<void> {
    if (!(timeoutMs >= 0 && timeoutMs < 2 ** 31)) throw new TypeError(`stop: timeoutMs must be a number of milliseconds below 2³¹, got ${String(timeoutMs)}`);
    this.#stopping = true;
    const deadline = Date.now() + timeoutMs;
    while (this.#inFlight.size > 0 && Date.now() < deadline) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const expired = new Promise<void>((resolve) => (timer = setTimeout(resolve, deadline - Date.now())));
      await Promise.race([Promise.allSettled([...this.#inFlight]), expired]);
      clearTimeout(timer);
    }
    if (this.#inFlight.size > 0) {
      this.report(new Error(`${this.provider.title} trigger stopped after ${timeoutMs} ms with ${this.#inFlight.size} delivery(ies) still running: their matchers were abandoned`));
      this.#inFlight.clear(); // reported once; a later stop() does not wait for them again
    }
  }

  /** Whether `stop()` has been called. */
  get stopping(): boolean {
    return this.#stopping;
  }

  /**
   * `handleDelivery` without the promise when neither verification nor a matcher needs one: a
   * response written in the tick that read the request costs a server markedly less.
   */
  protected respond(request: DeliveryRequest): DeliveryResponse | Promise<DeliveryResponse> {
    if (typeof request !== "object" || request === null) return this.refuse(400, { code: "malformed", message: "the request must be an object with headers and a body" });
    const method = typeof request.method === "string" ? request.method : "POST";
    if (method === "GET" || method === "HEAD") return reply(200, { ok: true, provider: this.provider.name });
    if (method !== "POST") return { ...reply(405, { ok: false, error: { code: "method", message: "deliveries are POSTed" } }), headers: { ...jsonHeaders, allow: "GET, HEAD, POST" } };
    if (this.#stopping) return { ...reply(503, { ok: false, error: { code: "stopping", message: "this receiver is shutting down; retry" } }), headers: { ...jsonHeaders, "retry-after": "5" } };
    if (byteLength(request.body, this.maxBodyBytes) > this.maxBodyBytes) return this.refuseTooLarge();
    const received = new ReceivedRequest(request);
    if (this.options.insecureSkipVerification) return this.#accept(received, undefined);
    const plan = planVerification(this.provider, received, this.options as VerifyOptions);
    if (!("checks" in plan)) return plan.ok ? this.#accept(received, 0) : this.refuse(401, plan.error);
    const verdict = (computed: readonly string[]) => {
      const outcome = settleWithSecret(plan, computed);
      return outcome.ok ? this.#accept(received, outcome.secret ?? 0) : this.refuse(401, outcome.error);
    };
    const computed = this.#digests(digestsOf(plan));
    return isThenable(computed) ? computed.then(verdict) : verdict(computed);
  }

  protected refuseTooLarge(): DeliveryResponse {
    return this.refuse(413, { code: "too_large", message: `the body is larger than ${this.maxBodyBytes} bytes` });
  }

  protected refuse(status: number, error: DeliveryError): DeliveryResponse {
    this.report(new DeliveryRefusedError(status, error, this.provider.title));
    return reply(status, { ok: false, error: { code: error.code, message: error.message, ...(error.pointer !== undefined && { pointer: error.pointer }) } });
  }

  /** Hands a failure to `onError`, once; a failing `onError` is logged, never thrown. */
  protected report(error: unknown, parsed?: Parsed): void {
    try {
      const result = (this.options.onError ?? logFailure)(error, parsed);
      if (isThenable(result)) result.then(undefined, logFailure);
    } catch (hookError) {
      logFailure(hookError);
    }
  }

  /** Keeps a promise in the in-flight set until it settles, so that `stop()` can wait for it. */
  protected track<T>(promise: Promise<T>): Promise<T> {
    this.#inFlight.add(promise);
    const forget = () => this.#inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  async #fetchResponse(request: Request): Promise<DeliveryResponse> {
    if (!(request instanceof Request)) return this.refuse(400, { code: "malformed", message: "fetch needs a Request" });
    const url = new URL(request.url);
    if (this.options.path !== undefined && url.pathname !== this.options.path) {
      return reply(404, { ok: false, error: { code: "not_found", message: `deliveries go to ${this.options.path}` } });
    }
    let body: Uint8Array = new Uint8Array(0);
    if (request.method === "POST" && !this.#stopping) {
      if (Number(request.headers.get("content-length")) > this.maxBodyBytes) {
        await request.body?.cancel().catch(() => {});
        return this.refuseTooLarge();
      }
      const read = await readLimited(request, this.maxBodyBytes);
      if (read === undefined) return this.refuseTooLarge();
      body = read;
    }
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    return this.respond({ method: request.method, url: url.pathname + url.search, headers, body });
  }

  /** A verified request: decoded, its events matched; `secret` is the index of the secret that verified it. */
  #accept(request: ReceivedRequest, secret: number | undefined): DeliveryResponse | Promise<DeliveryResponse> {
    const decoded = decodeDelivery(this.provider, request);
    if (!decoded.ok) {
      if (this.options.invalid === "reject") return this.refuse(400, decoded.error);
      this.#hook(this.options.onInvalid ?? this.#warnInvalid, { ...decoded.error, body: request.raw.body });
      return this.#answer({ events: 0, unknown: 0, invalid: 1, duplicates: 0, failures: 0 });
    }
    if (decoded.handshake) return this.#handshake(decoded.handshake, secret);
    const events: Parsed[] = [];
    const invalid: DeliveryError[] = [];
    let unknown = 0;
    for (const outcome of decoded.events) {
      if (outcome.ok) events.push(outcome.parsed as unknown as Parsed);
      else if (outcome.error.code === "unknown_event") {
        unknown++;
        this.#hook(this.options.onUnknown ?? this.#warnUnknown, outcome.error);
      } else invalid.push(outcome.error);
    }
    if (invalid.length > 0 && this.options.invalid === "reject") return this.refuse(400, invalid[0]!);
    for (const error of invalid) this.#hook(this.options.onInvalid ?? this.#warnInvalid, { ...error, body: request.raw.body });
    return this.#match(events, { events: events.length, unknown, invalid: invalid.length, duplicates: 0, failures: 0 });
  }

  /** Answers a handshake: with the JSON it declares, or as a delivery of no events. */
  async #handshake(handshake: Handshake, secret: number | undefined): Promise<DeliveryResponse> {
    const secrets = this.options.secret as readonly string[] | undefined;
    const digest = async (digest: Digest) => (await this.#digests([digest]))[0]!;
    const answer = await handshakeAnswer(this.provider, handshake, secret === undefined ? undefined : secrets?.[secret], digest);
    if ("error" in answer) return this.refuse(400, answer.error);
    return answer;
  }

  #match(events: readonly Parsed[], tally: Tally): DeliveryResponse | Promise<DeliveryResponse> {
    const pending: Promise<void>[] = [];
    for (const parsed of events) {
      const running = this.#run(parsed, tally);
      if (running) pending.push(running);
    }
    if (pending.length === 0) return this.#answer(tally);
    const done = this.track(Promise.all(pending).then(() => this.#answer(tally)));
    if (this.#responseTimeoutMs === false) return done;
    // An answer that carries data cannot come later: past the deadline it is 503, and the provider may ask again.
    const answered = events.some((parsed) => this.#answerers.has(parsed.type));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<DeliveryResponse>((resolve) => {
      timer = setTimeout(() => {
        if (!answered) return resolve(reply(202, { ok: true, ...counts(tally), pending: true }));
        this.report(new Error(`${this.provider.title}: the answer was not ready within responseTimeoutMs (${this.#responseTimeoutMs} ms)`));
        resolve(reply(503, { ok: false, error: { code: "answer_late", message: "the answer was not ready in time" } }));
      }, this.#responseTimeoutMs as number);
    });
    return Promise.race([done, late]).finally(() => clearTimeout(timer));
  }

  /** Runs an answerer: its answer, once valid, is the response; an event asked for an answer is not deduplicated (each request wants one). */
  #runAnswerer(parsed: Parsed, tally: Tally): void | Promise<void> {
    const failed = (error: unknown): void => {
      tally.failures++;
      this.report(error, parsed);
    };
    const settle = (answer: unknown): void => {
      // Not an answer: `false` (or, from code without types, `true`, `null`, `undefined`) gets the usual acknowledgement.
      if (typeof answer === "boolean" || answer === null || answer === undefined) {
        if (answer === true) this.emitIsolated(TRIGGER_EVENT_SUCCESS, [parsed], (error) => this.report(error, parsed));
        return;
      }
      const checked = this.#answerers.get(parsed.type)!(answer);
      if (!checked.ok) {
        const first = checked.issues[0];
        return failed(new TypeError(`${this.provider.title} ${parsed.type}: the answer does not match its schema, so it was not sent: ${first ? `${first.pointer || "(answer)"} ${first.message}` : "invalid"}`));
      }
      tally.answer = answer;
      this.emitIsolated(TRIGGER_EVENT_SUCCESS, [parsed], (error) => this.report(error, parsed));
    };
    let answer: unknown;
    try {
      answer = (this.#matchers[parsed.type] as unknown as (event: unknown) => unknown)(parsed.event);
    } catch (error) {
      return failed(error);
    }
    if (isThenable(answer)) return Promise.resolve(answer).then(settle, failed);
    try {
      settle(answer);
    } catch (error) {
      failed(error);
    }
  }

  /** Claims the event's key, then runs its matcher; a duplicate is counted and not run. */
  #run(parsed: Parsed, tally: Tally): void | Promise<void> {
    if (this.#answerers.has(parsed.type)) return this.#runAnswerer(parsed, tally);
    const store = this.#dedupe;
    if (!store) return this.#runMatcher(parsed, tally, undefined);
    const key = `confhooks:${this.provider.name}:${parsed.key}`;
    const claimed = (result: boolean) => (result ? this.#runMatcher(parsed, tally, key) : void tally.duplicates++);
    const storeFailed = (error: unknown) => {
      // The receiver itself failed: answer 500 so that the provider retries.
      tally.failures++;
      this.report(error, parsed);
    };
    try {
      const result = store.claim(key, this.#dedupeTtlMs);
      return isThenable(result) ? Promise.resolve(result).then(claimed, storeFailed) : claimed(result);
    } catch (error) {
      return storeFailed(error);
    }
  }

  #runMatcher(parsed: Parsed, tally: Tally, claim: string | undefined): void | Promise<void> {
    const failed = (error: unknown): void | Promise<void> => {
      tally.failures++;
      this.report(error, parsed);
      if (claim !== undefined) return this.#release(claim, parsed);
    };
    let result: boolean | Promise<boolean>;
    try {
      result = this.#matchers[parsed.type]!(parsed.event);
    } catch (error) {
      return failed(error);
    }
    if (isThenable(result)) return Promise.resolve(result).then((matched) => this.#settle(matched, parsed), failed);
    this.#settle(result, parsed);
  }

  /** Frees a failed event's key before the 500 goes out, so that the provider's retry finds it free. */
  #release(key: string, parsed: Parsed): void | Promise<void> {
    try {
      const released = this.#dedupe!.release(key);
      if (isThenable(released)) return Promise.resolve(released).then(undefined, (error: unknown) => this.report(error, parsed));
    } catch (error) {
      this.report(error, parsed);
    }
  }

  #settle(matched: boolean, parsed: Parsed): void {
    if (matched === true) this.emitIsolated(TRIGGER_EVENT_SUCCESS, [parsed], (error) => this.report(error, parsed));
  }

  #answer(tally: Tally): DeliveryResponse {
    if (tally.failures > 0) return reply(500, { ok: false, error: { code: "matcher", message: `${tally.failures} matcher(s) failed; the provider should retry` } });
    return tally.answer !== undefined ? reply(200, tally.answer) : reply(200, { ok: true, ...counts(tally) });
  }

  /** Runs a user hook; whatever it throws or rejects goes to `onError` and changes no answer. */
  #hook(hook: (error: DeliveryError) => unknown, error: DeliveryError): void {
    try {
      const result = hook(error);
      if (isThenable(result)) result.then(undefined, (failure: unknown) => this.report(failure));
    } catch (failure) {
      this.report(failure);
    }
  }

  #internal(error: unknown): DeliveryResponse {
    this.report(error);
    return reply(500, { ok: false, error: { code: "internal", message: "the receiver failed; the provider should retry" } });
  }

  readonly #warnUnknown = (error: DeliveryError): void => {
    console.warn(`confhooks: ${error.message}; answered 200 and ignored (pass onUnknown to handle it)`);
  };

  readonly #warnInvalid = (error: DeliveryError): void => {
    console.warn(`confhooks: ${this.provider.title} ${error.code} event: ${error.message}; answered 200 (pass onInvalid to keep it, or invalid: "reject")`);
  };
}

/** Builds the trigger of one provider; the generated `create<Provider>Trigger` functions call it. */
export function createTriggerWith<Name extends string, EventMap, Registry, Verify extends VerifyOptions>(
  provider: ProviderDefinition<Name, EventMap>,
  options: TriggerOptions<Registry, ParsedEventOf<Name, EventMap>, Verify>,
): Trigger<ParsedEventOf<Name, EventMap>> {
  return new Trigger(provider as unknown as ProviderDefinition, options as unknown as TriggerOptions<unknown, ParsedEventOf<Name, EventMap>>);
}

/** Every option checked at construction: nothing invalid may silently switch a protection off. */
function checkTriggerOptions<Parsed>(provider: ProviderDefinition, options: TriggerOptions<unknown, Parsed>): TriggerOptions<unknown, Parsed> {
  const where = `createTrigger(${provider.name})`;
  if (typeof options !== "object" || options === null) throw new TypeError(`${where}: options must be an object`);
  const { responseTimeoutMs, maxBodyBytes, dedupe, dedupeTtlMs, invalid } = options;
  if (responseTimeoutMs !== undefined && responseTimeoutMs !== false && !(Number.isFinite(responseTimeoutMs) && responseTimeoutMs >= 1 && responseTimeoutMs < 2 ** 31)) {
    throw new TypeError(`${where}: responseTimeoutMs must be false or milliseconds from 1 to 2³¹ − 1, got ${String(responseTimeoutMs)}`);
  }
  if (maxBodyBytes !== undefined && !(Number.isSafeInteger(maxBodyBytes) && maxBodyBytes > 0)) {
    throw new TypeError(`${where}: maxBodyBytes must be a positive integer, got ${String(maxBodyBytes)}`);
  }
  if (dedupe !== undefined && dedupe !== false && (typeof dedupe?.claim !== "function" || typeof dedupe.release !== "function")) {
    throw new TypeError(`${where}: dedupe must be false or a store with claim(key, ttlMs) and release(key)`);
  }
  if (dedupeTtlMs !== undefined && !(Number.isFinite(dedupeTtlMs) && dedupeTtlMs > 0)) throw new TypeError(`${where}: dedupeTtlMs must be a positive number, got ${String(dedupeTtlMs)}`);
  if (invalid !== undefined && invalid !== "acknowledge" && invalid !== "reject") throw new TypeError(`${where}: invalid must be "acknowledge" or "reject", got ${JSON.stringify(invalid)}`);
  for (const hook of ["onUnknown", "onInvalid", "onError"] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== "function") throw new TypeError(`${where}: ${hook} must be a function`);
  }
  if (options.insecureSkipVerification === true) return options;
  return { ...options, ...checkVerifyOptions(provider, options, where) };
}

function counts({ events, unknown, invalid, duplicates }: Tally) {
  return { events, unknown, invalid, duplicates };
}

/** The body's size in bytes; a string's UTF-8 bytes are counted only when they could pass `limit`. */
function byteLength(body: unknown, limit: number): number {
  if (body instanceof Uint8Array) return body.byteLength;
  if (typeof body !== "string") return 0;
  return body.length * 3 <= limit ? body.length : new TextEncoder().encode(body).byteLength;
}

/** Reads a request body, or `undefined` as soon as it grows past `limit` (the rest is not read). */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | undefined> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return concatBytes(chunks);
}

function logFailure(error: unknown): void {
  if (error instanceof DeliveryRefusedError) console.warn(`confhooks: ${error.message}`);
  else console.error("confhooks:", error);
}
