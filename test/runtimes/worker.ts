// One Web-standard receiver for every provider, bundled with esbuild and served by workerd, Deno
// and Bun in test/runtimes.test.ts: POST /<provider> goes to that provider's trigger.fetch.
// The test defines __RECEIVERS__ at bundle time: each provider's options and the event type whose matcher fires.
import { createTrigger } from "../../generated/src/web.js";

declare const __RECEIVERS__: Record<string, { readonly options: Record<string, unknown>; readonly matched: string }>;

const triggers = new Map<string, { fetch(request: Request): Promise<Response> }>(
  Object.entries(__RECEIVERS__).map(([provider, { options, matched }]) => {
    const trigger = createTrigger({
      ...options,
      provider,
      path: `/${provider}`,
      maxBodyBytes: 16 * 1024,
      invalid: "reject",
      onError: () => {},
      webhookTriggers: { [matched]: () => true },
    } as never);
    return [`/${provider}`, trigger] as const;
  }),
);

export default {
  fetch(request: Request): Promise<Response> {
    const trigger = triggers.get(new URL(request.url).pathname);
    return trigger ? trigger.fetch(request) : Promise.resolve(new Response("not found", { status: 404 }));
  },
};
