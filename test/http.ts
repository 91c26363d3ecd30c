import { request as httpRequest } from "node:http";

interface Stoppable {
  stop(): Promise<void>;
}

interface Startable extends Stoppable {
  start(): Promise<{ port: number }>;
}

const running: Stoppable[] = [];

/** Stops every trigger started or registered here: after each test (test/setup.ts). */
export async function stopStarted(): Promise<void> {
  await Promise.all(running.splice(0).map((trigger) => trigger.stop()));
}

/** Starts a trigger on a free port of 127.0.0.1, stopped after the test; resolves with its base URL. */
export async function start(trigger: Startable): Promise<string> {
  running.push(trigger);
  const { port } = await trigger.start();
  return `http://127.0.0.1:${port}`;
}

/** Stops a trigger that serves through `fetch` after the test, so that nothing it holds outlives it. */
export function stopAfterTest<T extends Stoppable>(trigger: T): T {
  running.push(trigger);
  return trigger;
}

export interface Sent {
  readonly method?: string;
  readonly path?: string;
  readonly url?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface Received {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  readonly body: any;
}

/** One HTTP request over a real socket; resolves with the status and the parsed JSON body. */
export function send(base: string, { method = "POST", path, url, headers = {}, body = "" }: Sent) {
  return new Promise<Received>((resolve, reject) => {
    const req = httpRequest(`${base}${path ?? url ?? "/"}`, { method, agent: false, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The same request through a trigger's Web handler: a `Request` in, the `Response` read like `send` reads one. */
export async function fetchThrough(trigger: { fetch(request: Request): Promise<Response> }, { method = "POST", path, url, headers = {}, body = "" }: Sent): Promise<Received> {
  const hasBody = method !== "GET" && method !== "HEAD";
  const response = await trigger.fetch(new Request(`http://receiver.test${path ?? url ?? "/"}`, { method, headers, ...(hasBody && { body }) }));
  const text = await response.text();
  return { status: response.status, headers: Object.fromEntries(response.headers), body: text ? JSON.parse(text) : undefined };
}
