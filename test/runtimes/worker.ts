// One Web-standard receiver for every provider, bundled with esbuild and served by workerd, Deno
// and Bun in test/runtimes.test.ts: POST /<provider> goes to that provider's trigger.fetch.
import { createTrigger, type Provider } from "../../generated/src/web.js";

const secrets: Record<Provider, string> = {
  whereby: "whsec_test",
  daily: "ZGFpbHktc2VjcmV0LWZvci10ZXN0cw==",
  bigbluebutton: "bbb-secret",
  iotum: "iotum-token",
};

/** The event type whose matcher fires, per provider. */
const matched: Record<Provider, string> = { whereby: "room.client.joined", daily: "participant.joined", bigbluebutton: "user-joined", iotum: "enter_conference" };

const triggers = new Map<string, { fetch(request: Request): Promise<Response> }>(
  (Object.keys(secrets) as Provider[]).map((provider) => {
    const trigger = createTrigger({
      provider,
      secret: secrets[provider],
      callbackUrl: "https://example.com/bbb",
      path: `/${provider}`,
      maxBodyBytes: 16 * 1024,
      invalid: "reject",
      onError: () => {},
      webhookTriggers: { [matched[provider]]: () => true } as never,
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
