import { createTrigger as createNodeTrigger } from "../generated/src/index.js";
import { createTrigger as createWebTrigger } from "../generated/src/web.js";
import { fetchThrough, send, start, stopAfterTest, type Received, type Sent } from "./http.js";

export interface Receiver {
  readonly trigger: any;
  readonly post: (request: Sent) => Promise<Received>;
}

/**
 * A trigger of `options.provider` served by each adapter, stopped after the test: the Node
 * trigger over HTTP on 127.0.0.1, and the Web build's trigger through `trigger.fetch`.
 */
export const adapters: Record<"node" | "fetch", (options: Record<string, unknown>) => Promise<Receiver>> = {
  node: async (options) => {
    const trigger = createNodeTrigger({ port: 0, host: "127.0.0.1", ...options } as never);
    const base = await start(trigger);
    return { trigger, post: (request) => send(base, request) };
  },
  fetch: async (options) => {
    const trigger = stopAfterTest(createWebTrigger(options as never));
    return { trigger, post: (request) => fetchThrough(trigger, request) };
  },
};
