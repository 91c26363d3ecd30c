import type { DeliveryResponse } from "./answers.js";
import { concatBytes } from "./bytes.js";
import type { ParsedShape, Receiver } from "./receiver.js";

/**
 * The Web adapter: a `Request → Response` handler for workers, Deno, Bun, Next.js and Hono.
 * Checks the path, the method and the announced size before reading the body, reads it up to
 * the limit, and hands it to the receiver. Counts the delivery in flight from its first byte,
 * for `stop()`. Never rejects.
 */
export function fetchHandler<Parsed extends ParsedShape>(receiver: Receiver<Parsed>): (request: Request) => Promise<Response> {
  return async (request) => {
    let response: DeliveryResponse;
    try {
      response = await receiver.lifecycle.track(read(receiver, request));
    } catch (error) {
      response = receiver.internal(error);
    }
    return new Response(request?.method === "HEAD" ? null : response.body, { status: response.status, headers: response.headers });
  };
}

async function read<Parsed extends ParsedShape>(receiver: Receiver<Parsed>, request: Request): Promise<DeliveryResponse> {
  if (!(request instanceof Request)) return receiver.refuse("badRequest", { code: "malformed", message: "fetch needs a Request" });
  const url = new URL(request.url);
  const turned = receiver.gate.head(request.method, url.pathname, receiver.path, Number(request.headers.get("content-length")), receiver.lifecycle.stopping);
  if (turned === "tooLarge") await request.body?.cancel().catch(() => {});
  if (turned !== undefined) return receiver.turn(turned);
  const body = await readLimited(request, receiver.gate.maxBodyBytes);
  if (body === undefined) return receiver.turn("tooLarge");
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => (headers[name] = value));
  return receiver.respond({ method: request.method, url: url.pathname + url.search, headers, body });
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
