// Deno: `deno run --allow-net --allow-env deno.ts` (import "npm:confhooks/iotum" there).
import { createIotumTrigger } from "../../generated/src/iotum/web.js";

declare const Deno: {
  env: { get(name: string): string | undefined };
  serve(options: { port: number }, handler: (request: Request) => Promise<Response>): unknown;
};

const trigger = createIotumTrigger({
  secret: Deno.env.get("IOTUM_SIGNING_TOKEN") ?? "",
  webhookTriggers: { conference_end: (event) => event.payload.conference_id !== undefined },
});
Deno.serve({ port: 8080 }, trigger.fetch);
