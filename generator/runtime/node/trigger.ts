import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { answer, type DeliveryResponse } from "../core/answers.js";
import type { ParsedEventOf, ProviderDefinition } from "../core/delivery.js";
import { isThenable } from "../core/emitter.js";
import { stopTimeout } from "../core/lifecycle.js";
import type { ParsedShape, Receiver } from "../core/receiver.js";
import type { VerifyOptions } from "../core/signatures.js";
import { Trigger, type StopOptions, type TriggerOptions } from "../core/trigger.js";
import { computeDigestsSync } from "./verify.js";

export type NodeTriggerOptions<Registry, Parsed, Verify extends VerifyOptions = VerifyOptions> = TriggerOptions<Registry, Parsed, Verify> & NodeServerOptions;

/** What the Node server adds to a trigger's options. */
export interface NodeServerOptions {
  /** Default 8080, as Whereby's assistant SDK; 0 picks a free port. */
  readonly port?: number | undefined;
  /** Interface to listen on. Default: every interface. */
  readonly host?: string | undefined;
  /** How long a client may take to send the request headers. Default 10,000 ms; at most `requestTimeoutMs`. Enforced to about a second. */
  readonly headersTimeoutMs?: number | undefined;
  /** How long a client may take to send the whole request. Default 30,000 ms. Enforced to about a second. */
  readonly requestTimeoutMs?: number | undefined;
  /** How long an idle kept-alive connection stays open. Default 5,000 ms. */
  readonly keepAliveTimeoutMs?: number | undefined;
}

/**
 * What the package's declarations say of Node's objects, structurally, so that importing the
 * package (for its types, guards or validators) compiles without @types/node. `trigger.server`
 * is Node's `http.Server`; where @types/node is installed, `trigger.server as
 * import("node:http").Server` gives its whole type.
 */
export interface NodeServer {
  readonly listening: boolean;
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  address(): NodeAddress | string | null;
  listen(port?: number, host?: string, listener?: () => void): this;
  close(callback?: (error?: Error) => void): this;
  closeAllConnections(): void;
  closeIdleConnections(): void;
  on(event: string, listener: (...args: any[]) => void): this;
  once(event: string, listener: (...args: any[]) => void): this;
  off(event: string, listener: (...args: any[]) => void): this;
  emit(event: string, ...args: any[]): boolean;
}

/** Where a started trigger listens: Node's `AddressInfo`. */
export interface NodeAddress {
  readonly address: string;
  readonly family: string;
  readonly port: number;
}

/** The request `middleware` takes: Node's `IncomingMessage` (Express's and Connect's requests are), with the body a raw parser left. */
export interface NodeRequest {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body?: unknown;
  on(event: string, listener: (...args: any[]) => void): unknown;
}

/** The response `middleware` writes: Node's `ServerResponse`. */
export interface NodeResponse {
  readonly headersSent: boolean;
  setHeader(name: string, value: number | string | readonly string[]): unknown;
  end(): unknown;
}

/**
 * The platform-neutral `Trigger` served over `node:http`: `start()` listens (port 8080 by
 * default), `stop()` drains and always ends, `middleware` mounts it in Connect or Express.
 * Verification is synchronous with `node:crypto`. A thin adapter: it reads requests and writes
 * answers; the receiver the trigger composes decides them.
 */
export class NodeTrigger<Parsed extends ParsedShape> extends Trigger<Parsed> {
  /** The node:http server behind `start()`; handles requests whether or not it listens. */
  readonly server: NodeServer;
  readonly #receiver: Receiver<Parsed>;
  readonly #path: string;
  readonly #port: number;
  readonly #host: string | undefined;
  readonly #sockets = new Set<Socket>();

  constructor(provider: ProviderDefinition, options: NodeTriggerOptions<unknown, Parsed>) {
    let receiver: Receiver<Parsed> | undefined;
    super(provider, options, computeDigestsSync, (composed) => (receiver = composed));
    this.#receiver = receiver!;
    const where = `createTrigger(${provider.name})`;
    this.#port = options.port ?? 8080;
    this.#host = options.host;
    if (!(Number.isInteger(this.#port) && this.#port >= 0 && this.#port <= 65535)) throw new TypeError(`${where}: port must be an integer from 0 to 65535, got ${String(options.port)}`);
    const headersTimeout = milliseconds(options.headersTimeoutMs, 10_000, "headersTimeoutMs", where);
    const requestTimeout = milliseconds(options.requestTimeoutMs, 30_000, "requestTimeoutMs", where);
    if (headersTimeout > requestTimeout) throw new TypeError(`${where}: headersTimeoutMs (${headersTimeout}) must not exceed requestTimeoutMs (${requestTimeout})`);
    this.#path = options.path ?? "/";
    this.server = createServer({
      headersTimeout,
      requestTimeout,
      keepAliveTimeout: milliseconds(options.keepAliveTimeoutMs, 5_000, "keepAliveTimeoutMs", where),
      // Node checks both timeouts only this often (30 s by default): check every second, or more often for shorter limits.
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(headersTimeout / 2))),
    }, (req, res) => this.#serve(req, res, this.#path));
    // `Expect: 100-continue`: the body is invited only when it could be accepted; otherwise the answer comes at once.
    this.server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
      if (this.#turned(req, this.#path) === undefined) {
        if (!this.#receiver.gate.invites({ headers: req.headers, url: req.url, body: "" })) {
          send(res, this.#receiver.refuse("unauthenticated", { code: "signature", message: "the request carries no signature, checksum or token" }), true);
          return void res.once("finish", () => req.socket.destroy());
        }
        res.writeContinue();
      }
      this.server.emit("request", req, res);
    });
    this.server.on("connection", (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once("close", () => this.#sockets.delete(socket));
    });
  }

  /** Starts listening; resolves with the bound address (`port: 0` picks a free port). A stopped trigger does not start again. */
  start(): Promise<NodeAddress> {
    if (this.stopping) return Promise.reject(new Error("start() after stop(): a stopped trigger does not start again; create a new one"));
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.#port, this.#host, () => {
        this.server.off("error", reject);
        resolve(this.server.address() as NodeAddress);
      });
    });
  }

  /**
   * Stops accepting connections, answers requests that still arrive on kept-alive connections
   * with 503 and `Connection: close`, closes idle connections, waits for deliveries in flight
   * up to `timeoutMs` (default 10 s), then closes every connection and resolves. Never hangs.
   * A `timeoutMs` that is not a number of milliseconds is a `TypeError`, before anything stops.
   */
  override async stop(options?: StopOptions): Promise<void> {
    const deadline = Date.now() + stopTimeout(options);
    const closed = this.server.listening ? new Promise<void>((resolve) => this.server.close(() => resolve())) : Promise.resolve();
    this.server.closeIdleConnections();
    await super.stop(options);
    // Let the answers just written reach their clients (and requests pipelined behind them get
    // their 503), closing connections as they fall idle; then close whatever is left.
    const idle = setInterval(() => this.server.closeIdleConnections(), 10);
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(deadline - Date.now(), 1_000))))]);
    clearInterval(idle);
    this.server.closeAllConnections();
    for (const socket of this.#sockets) socket.destroy(); // half-sent requests are not in the server's list
    await closed;
  }

  /** Connect/Express middleware. Mount it with a raw body parser (`express.raw({ type: "*\/*", limit })`) or none at all. */
  readonly middleware = (req: NodeRequest, res: NodeResponse, next?: (error?: unknown) => void): void => {
    if (req.body !== undefined && typeof req.body !== "string" && !(req.body instanceof Uint8Array)) {
      const error = new TypeError("confhooks needs the raw body: a JSON parser ran before it, and re-serialising breaks signatures. Use express.raw({ type: \"*/*\" }) on this route.");
      if (next) return next(error);
      return send(res as ServerResponse, answer("rawBody", error.message));
    }
    if (req.body === undefined) this.#serve(req as IncomingMessage, res as ServerResponse, undefined);
    else this.#answer(req as IncomingMessage, res as ServerResponse, req.body);
  };

  /** Why the request line and headers turn the request away (`path` undefined: any path), if they do. */
  #turned(req: IncomingMessage, path: string | undefined) {
    return this.#receiver.gate.head(req.method ?? "GET", path === undefined ? undefined : pathOf(req.url), path, Number(req.headers["content-length"]), this.stopping);
  }

  /** A request whose body is still to be read. */
  #serve(req: IncomingMessage, res: ServerResponse, path: string | undefined): void {
    const turned = this.#turned(req, path);
    if (turned === "tooLarge") return this.#tooLarge(req, res);
    if (turned !== undefined) return send(res, this.#receiver.turn(turned), turned === "stopping");
    // Answer as soon as the body grows too large, then close: the rest is never read.
    collectBody(req, this.#receiver.gate.maxBodyBytes, (read) => (read === undefined ? this.#tooLarge(req, res) : this.#answer(req, res, read)));
  }

  /**
   * 413 at once, then close. What the client is still sending is discarded for a moment (up to
   * the limit again, at most a second) so that it reads the answer instead of a connection reset.
   */
  #tooLarge(req: IncomingMessage, res: ServerResponse): void {
    send(res, this.#receiver.turn("tooLarge"), true);
    let discarded = 0;
    req.on("data", (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > this.#receiver.gate.maxBodyBytes) req.socket.destroy();
    });
    req.resume();
    setTimeout(() => req.socket.destroy(), 1000).unref();
  }

  #answer(req: IncomingMessage, res: ServerResponse, body: string | Uint8Array): void {
    // A request that arrives after stop() is answered 503 and its connection closed; one already
    // in flight keeps its connection, so that requests pipelined behind it still get that 503.
    const closing = this.stopping;
    const response = this.#receiver.respond({ method: req.method, url: req.url, headers: req.headers, body });
    if (isThenable(response)) this.#receiver.lifecycle.track(response.then((settled) => send(res, settled, closing)));
    else send(res, response, closing);
  }
}

/** Builds the Node trigger of one provider; the generated `create<Provider>Trigger` functions of the Node entry call it. */
export function createNodeTriggerWith<Name extends string, EventMap, Registry, Verify extends VerifyOptions>(
  provider: ProviderDefinition<Name, EventMap>,
  options: NodeTriggerOptions<Registry, ParsedEventOf<Name, EventMap>, Verify>,
): NodeTrigger<ParsedEventOf<Name, EventMap>> {
  return new NodeTrigger(provider as unknown as ProviderDefinition, options as unknown as NodeTriggerOptions<unknown, ParsedEventOf<Name, EventMap>>);
}

function milliseconds(value: number | undefined, fallback: number, name: string, where: string): number {
  if (value === undefined) return fallback;
  if (!(Number.isInteger(value) && value > 0 && value < 2 ** 31)) throw new TypeError(`${where}: ${name} must be whole milliseconds from 1 to 2³¹ − 1, got ${String(value)}`);
  return value;
}

function send(res: ServerResponse, response: DeliveryResponse, close = false): void {
  if (res.headersSent || res.destroyed) return;
  if (close) res.setHeader("connection", "close");
  res.setHeader("content-length", Buffer.byteLength(response.body)); // not chunked: one write, and clients know where it ends
  res.writeHead(response.status, response.headers).end(response.body);
}

function pathOf(url = "/"): string {
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}

/** Calls `done` with the body, or `undefined` as soon as it grows past `limit` (nothing more is read). */
function collectBody(req: IncomingMessage, limit: number, done: (body: Buffer | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limit) return void chunks.push(chunk);
    req.off("data", onData).off("end", onEnd);
    done(undefined);
  };
  const onEnd = () => done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
  req.on("data", onData).on("end", onEnd);
  req.on("error", () => req.destroy()); // the sender went away: there is nobody to answer
}
