import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeDelivery, type DeliveryError, type DeliveryRequest, type ParsedEventOf, type ProviderDefinition } from "./delivery.js";
import { fillMatchers, type Matcher } from "./matchers.js";
import { verifyWith, type VerifyOptions } from "./signatures.js";

export interface TriggerOptions<Registry, Parsed> extends Omit<VerifyOptions, "secret"> {
  /** See `VerifyOptions.secret`. Required unless `insecureSkipVerification` is set. */
  readonly secret?: VerifyOptions["secret"];
  /** Accept unsigned deliveries. Only for local experiments: anyone could then fire your triggers. */
  readonly insecureSkipVerification?: boolean;
  /** A matcher per event type; each slot left out never matches. */
  readonly webhookTriggers?: Partial<Registry>;
  /** Default 8080, as Whereby's assistant SDK; 0 picks a free port. */
  readonly port?: number;
  /** Interface to listen on. Default: every interface. */
  readonly host?: string;
  /** Path that receives deliveries (POST) and answers health checks (GET). Default `/`. */
  readonly path?: string;
  /** Larger bodies are refused with 413. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Answer 202 when matchers are still running after this long, well inside the providers' 5 s timeouts. Default 4000 ms. */
  readonly responseTimeoutMs?: number;
  /** Told about each event of a type the provider does not document; the delivery is still answered 200. Default: a console warning. */
  readonly onUnknown?: (error: DeliveryError) => void;
  /** Told about each failure: a matcher that throws or rejects, a refused delivery. Default: console.error. */
  readonly onError?: (error: unknown, parsed?: Parsed) => void;
}

export interface DeliveryResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The name Whereby's assistant SDK emits when a matcher returns true; kept for those porting from it. */
export const TRIGGER_EVENT_SUCCESS = "trigger_event_success";

export interface TriggerEvents<Parsed> {
  /** A matcher returned true for this event. */
  trigger_event_success: [parsed: Parsed];
}

/** The matcher registry, served: verifies, parses, validates, runs the matchers, emits matches. */
export class Trigger<Parsed extends { readonly type: string; readonly event: unknown }> extends EventEmitter<TriggerEvents<Parsed>> {
  /** The node:http server behind `start()`; handles requests whether or not it listens. */
  readonly server: Server;
  readonly #provider: ProviderDefinition;
  readonly #options: TriggerOptions<unknown, Parsed>;
  readonly #matchers: Readonly<Record<string, Matcher<unknown>>>;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #maxBodyBytes: number;
  readonly #path: string;

  constructor(provider: ProviderDefinition, options: TriggerOptions<unknown, Parsed>) {
    super();
    const secrets = typeof options.secret === "string" ? [options.secret] : options.secret;
    if (!options.insecureSkipVerification && !(secrets?.length && secrets.every((secret) => typeof secret === "string" && secret !== ""))) {
      throw new TypeError(`createTrigger(${provider.name}): set \`secret\` (a non-empty string or list of them) to verify deliveries, or insecureSkipVerification: true for local experiments`);
    }
    this.#provider = provider;
    // Checked and made a list once here, so verifying a request allocates nothing for it.
    this.#options = { ...options, secret: secrets };
    this.#matchers = fillMatchers(provider.eventTypes, (options.webhookTriggers ?? {}) as Record<string, Matcher<never>>) as Record<string, Matcher<unknown>>;
    this.#maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.#path = options.path ?? "/";
    this.server = createServer((req, res) => {
      if (pathOf(req.url) !== this.#path) return send(res, reply(404, { ok: false, error: { code: "not_found", message: `deliveries go to ${this.#path}` } }));
      this.#serve(req, res);
    });
  }

  /** Starts listening; resolves with the bound address (`port: 0` picks a free port). */
  start(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.#options.port ?? 8080, this.#options.host, () => {
        this.server.off("error", reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Stops accepting connections and resolves once every delivery in flight, matchers included, has finished. */
  async stop(): Promise<void> {
    const closed = this.server.listening ? new Promise<void>((resolve) => this.server.close(() => resolve())) : Promise.resolve();
    this.server.closeIdleConnections();
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    await closed;
  }

  /**
   * The framework-free core: one raw request in, one response out. Never throws.
   * GET/HEAD answer a health check; POST is verified (401), parsed (400), matched (500 when a
   * matcher fails, so the provider retries) and answered 200, or 202 when matchers run long.
   */
  handleDelivery(request: DeliveryRequest): Promise<DeliveryResponse> {
    return Promise.resolve(this.#respond(request));
  }

  /**
   * `handleDelivery` without the promise when no matcher returns one: a response written in
   * the tick that read the request costs the server markedly less than one written later.
   */
  #respond(request: DeliveryRequest): DeliveryResponse | Promise<DeliveryResponse> {
    const method = request.method ?? "POST";
    if (method === "GET" || method === "HEAD") return reply(200, { ok: true, provider: this.#provider.name });
    if (method !== "POST") return { ...reply(405, { ok: false, error: { code: "method", message: "deliveries are POSTed" } }), headers: { ...jsonHeaders, allow: "GET, HEAD, POST" } };
    const size = typeof request.body === "string" ? Buffer.byteLength(request.body) : request.body?.byteLength ?? 0;
    if (size > this.#maxBodyBytes) return this.#refuse(413, { code: "too_large", message: `the body is larger than ${this.#maxBodyBytes} bytes` });
    if (!this.#options.insecureSkipVerification) {
      const verified = verifyWith(this.#provider, request, this.#options as VerifyOptions);
      if (!verified.ok) return this.#refuse(401, verified.error);
    }
    const decoded = decodeDelivery(this.#provider, request);
    if (!decoded.ok) return this.#refuse(400, decoded.error);
    const parsed: Parsed[] = [];
    for (const outcome of decoded.events) {
      if (outcome.ok) parsed.push(outcome.parsed as unknown as Parsed);
      else if (outcome.error.code === "unknown_event") (this.#options.onUnknown ?? warnUnknown)(outcome.error);
      else return this.#refuse(400, outcome.error);
    }
    return this.#match(parsed, decoded.events.length - parsed.length);
  }

  /** Connect/Express middleware. Mount it with a raw body parser (`express.raw({ type: "*\/*" })`) or none at all. */
  readonly middleware = (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next?: (error?: unknown) => void): void => {
    if (req.body !== undefined && typeof req.body !== "string" && !(req.body instanceof Uint8Array)) {
      const error = new TypeError("confhooks needs the raw body: a JSON parser ran before it, and re-serialising breaks signatures. Use express.raw({ type: \"*/*\" }) on this route.");
      if (next) return next(error);
      return send(res, reply(500, { ok: false, error: { code: "raw_body", message: error.message } }));
    }
    this.#serve(req, res, req.body as string | Uint8Array | undefined);
  };

  #serve(req: IncomingMessage, res: ServerResponse, body?: string | Uint8Array): void {
    if (body !== undefined || req.method !== "POST") return this.#answer(req, res, body ?? "");
    const tooLarge = () => send(res, this.#refuse(413, { code: "too_large", message: `the body is larger than ${this.#maxBodyBytes} bytes` }), true);
    if (Number(req.headers["content-length"]) > this.#maxBodyBytes) return tooLarge();
    collectBody(req, this.#maxBodyBytes, (read) => (read === undefined ? tooLarge() : this.#answer(req, res, read)));
  }

  #answer(req: IncomingMessage, res: ServerResponse, body: string | Uint8Array): void {
    const response = this.#respond({ method: req.method, url: req.url, headers: req.headers, body });
    if (response instanceof Promise) this.#track(response.then((answer) => send(res, answer)));
    else send(res, response);
  }

  #match(events: readonly Parsed[], unknown: number): DeliveryResponse | Promise<DeliveryResponse> {
    const pending: Promise<void>[] = [];
    const failures: unknown[] = [];
    for (const parsed of events) {
      try {
        const result = this.#matchers[parsed.type]!(parsed.event);
        if (result instanceof Promise) pending.push(result.then((matched) => this.#settle(matched, parsed), (error: unknown) => this.#fail(error, parsed, failures)));
        else this.#settle(result, parsed);
      } catch (error) {
        this.#fail(error, parsed, failures);
      }
    }
    const answer = (): DeliveryResponse =>
      failures.length > 0
        ? reply(500, { ok: false, error: { code: "matcher", message: `${failures.length} matcher(s) failed; the provider should retry` } })
        : reply(200, { ok: true, events: events.length, unknown });
    if (pending.length === 0) return answer();
    const all = Promise.all(pending);
    this.#track(all);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<DeliveryResponse>((resolve) => {
      timer = setTimeout(() => resolve(reply(202, { ok: true, events: events.length, unknown, pending: true })), this.#options.responseTimeoutMs ?? 4000);
    });
    return Promise.race([all.then(answer), late]).finally(() => clearTimeout(timer));
  }

  #settle(matched: boolean, parsed: Parsed): void {
    if (matched === true) this.emit(TRIGGER_EVENT_SUCCESS, parsed);
  }

  #fail(error: unknown, parsed: Parsed, failures: unknown[]): void {
    failures.push(error);
    this.#report(error, parsed);
  }

  #refuse(status: number, error: DeliveryError): DeliveryResponse {
    this.#report(Object.assign(new Error(`${this.#provider.title} delivery refused with ${status}: ${error.message}`), { delivery: error }));
    return reply(status, { ok: false, error: { code: error.code, message: error.message, ...(error.pointer !== undefined && { pointer: error.pointer }) } });
  }

  #report(error: unknown, parsed?: Parsed): void {
    try {
      (this.#options.onError ?? logError)(error, parsed);
    } catch (hookError) {
      logError(hookError);
    }
  }

  #track(promise: Promise<unknown>): void {
    this.#inFlight.add(promise);
    promise.catch((error: unknown) => this.#report(error)).finally(() => this.#inFlight.delete(promise));
  }
}

/** Builds the trigger of one provider; the generated `create<Provider>Trigger` functions call it. */
export function createTriggerWith<Name extends string, EventMap, Registry>(
  provider: ProviderDefinition<Name, EventMap>,
  options: TriggerOptions<Registry, ParsedEventOf<Name, EventMap>>,
): Trigger<ParsedEventOf<Name, EventMap>> {
  return new Trigger(provider as unknown as ProviderDefinition, options as TriggerOptions<unknown, ParsedEventOf<Name, EventMap>>);
}

const jsonHeaders = { "content-type": "application/json; charset=utf-8" };

function reply(status: number, body: unknown): DeliveryResponse {
  return { status, headers: jsonHeaders, body: JSON.stringify(body) };
}

function send(res: ServerResponse, response: DeliveryResponse, close = false): void {
  if (close) res.setHeader("connection", "close");
  res.writeHead(response.status, response.headers).end(response.body);
}

function pathOf(url = "/"): string {
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}

/** Calls `done` with the body, or `undefined` once it grows past `limit` (the rest is drained, not stored). */
function collectBody(req: IncomingMessage, limit: number, done: (body: Buffer | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  });
  req.on("end", () => done(size > limit ? undefined : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
  req.on("error", () => req.destroy()); // the sender went away: there is nobody to answer
}

function warnUnknown(error: DeliveryError): void {
  console.warn(`confhooks: ${error.message}; answered 200 and ignored (pass onUnknown to handle it)`);
}

function logError(error: unknown): void {
  console.error("confhooks:", error);
}
