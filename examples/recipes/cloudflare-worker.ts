// Cloudflare Workers: the Web build of confhooks/daily (no node: module), served by trigger.fetch.
// The secret comes from the Worker's environment, so the trigger is made on the first request.
import { createDailyTrigger, type DailyParsedEvent } from "../../generated/src/daily/web.js";

interface Env {
  readonly DAILY_WEBHOOK_HMAC: string;
}

let trigger: ReturnType<typeof createDailyTrigger> | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    trigger ??= createDailyTrigger({
      secret: env.DAILY_WEBHOOK_HMAC,
      responseTimeoutMs: false, // a Worker may stop once it has answered: answer only when the matchers are done
      webhookTriggers: { "meeting.ended": (event) => event.payload.end_ts - event.payload.start_ts > 60 },
    }).on("trigger_event_success", (parsed: DailyParsedEvent) => console.log("long meeting ended", parsed.key));
    return trigger.fetch(request);
  },
};
