// Bun: `bun run bun.ts`; Bun.serve takes the trigger's fetch as it is.
import { createBigBlueButtonTrigger } from "../../generated/src/bigbluebutton/web.js";

declare const Bun: { serve(options: { port: number; fetch: (request: Request) => Promise<Response> }): unknown };

const trigger = createBigBlueButtonTrigger({
  secret: process.env.BBB_SECRET ?? "",
  callbackUrl: "https://example.com/bbb", // exactly as registered with hooks/create
  algorithm: "sha256", // your server's hookChecksumAlgorithm: pin it
  webhookTriggers: { "meeting-ended": () => true },
});
Bun.serve({ port: 8080, fetch: trigger.fetch });
