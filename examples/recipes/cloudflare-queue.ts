// Cloudflare Workers with Queues: `fetch` verifies each delivery and answers once the queue has
// stored its events; `queue` runs the matchers, retrying a message whose matcher failed.
// wrangler.toml: [[queues.producers]] binding = "WEBHOOKS", queue = "webhooks"
//                [[queues.consumers]] queue = "webhooks"
import { createCloudflareQueue, type CloudflareQueueBinding } from "../../generated/src/web.js";
import { createDailyConsumer, createDailyTrigger } from "../../generated/src/daily/web.js";

interface Env {
  readonly DAILY_WEBHOOK_HMAC: string;
  readonly WEBHOOKS: CloudflareQueueBinding; // a Queue of @cloudflare/workers-types
}

/** What a queue handler gets (@cloudflare/workers-types' MessageBatch, the parts used here). */
interface Batch {
  readonly messages: readonly { readonly body: unknown; ack(): void; retry(): void }[];
}

// Queues deliver at least once. The default dedupe store is this isolate's memory; for one run per
// event across isolates, give the consumer a store they share (a DedupeStore of your own).
const consumer = createDailyConsumer({
  webhookTriggers: { "meeting.ended": async (event) => event.payload.end_ts - event.payload.start_ts > 60 },
});

let trigger: ReturnType<typeof createDailyTrigger> | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    trigger ??= createDailyTrigger({ secret: env.DAILY_WEBHOOK_HMAC, queue: createCloudflareQueue(env.WEBHOOKS) });
    return trigger.fetch(request);
  },
  async queue(batch: Batch): Promise<void> {
    for (const message of batch.messages) {
      try {
        await consumer.handle(message.body);
        message.ack();
      } catch {
        message.retry(); // the consumer reported why to onError
      }
    }
  },
};
