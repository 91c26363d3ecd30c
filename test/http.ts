import { request as httpRequest } from "node:http";
import { afterEach } from "vitest";

interface Startable {
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
}

const running: Startable[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((trigger) => trigger.stop()));
});

/** Starts a trigger on a free port of 127.0.0.1, stopped after the test; resolves with its base URL. */
export async function start(trigger: Startable): Promise<string> {
  running.push(trigger);
  const { port } = await trigger.start();
  return `http://127.0.0.1:${port}`;
}

export interface Sent {
  readonly method?: string;
  readonly path?: string;
  readonly url?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** One HTTP request over a real socket; resolves with the status and the parsed JSON body. */
export function send(base: string, { method = "POST", path, url, headers = {}, body = "" }: Sent) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: any }>((resolve, reject) => {
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
