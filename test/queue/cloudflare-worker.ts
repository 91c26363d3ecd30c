// Producer and consumer of one Cloudflare Queue in one worker, bundled with esbuild and run in
// workerd by miniflare in test/queue.test.ts. POST / is a Whereby trigger whose queue is the
// EVENTS producer binding; queue(batch) hands each message to a Whereby consumer and acks it, or
// retries it when the consumer rejects; GET /handled says how often each event ran.
// The trigger does not deduplicate (dedupe: false), so that a retried delivery is sent twice and
// the consumer's own dedupe is what keeps it from running twice.
import { createCloudflareQueue, type CloudflareQueueBinding } from "../../generated/src/web.js";
import { createWherebyConsumer, createWherebyTrigger } from "../../generated/src/whereby/web.js";

interface Env {
  readonly EVENTS: CloudflareQueueBinding;
  readonly SECRET: string;
}

/** The parts of Workers' `Message` and `MessageBatch` used here (as @cloudflare/workers-types declares them). */
interface QueueMessage {
  readonly body: unknown;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

const runs: Record<string, number> = {};
const failures: string[] = [];
const consumer = createWherebyConsumer({
  onError: () => {},
  webhookTriggers: {
    "room.client.joined": (event) => {
      // An event whose id says so fails on its first attempt: the queue must deliver it again.
      if (event.id.startsWith("fail-once") && !failures.includes(event.id)) {
        failures.push(event.id);
        throw new Error("the database timed out");
      }
      runs[event.id] = (runs[event.id] ?? 0) + 1;
      return true;
    },
  },
});

let trigger: ReturnType<typeof createWherebyTrigger> | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    if (new URL(request.url).pathname === "/handled") return Promise.resolve(Response.json({ runs, failures }));
    trigger ??= createWherebyTrigger({ secret: env.SECRET, queue: createCloudflareQueue(env.EVENTS), dedupe: false, onError: () => {} });
    return trigger.fetch(request);
  },
  async queue(batch: { readonly messages: readonly QueueMessage[] }): Promise<void> {
    for (const message of batch.messages) {
      try {
        await consumer.handle(message.body);
        message.ack();
      } catch {
        message.retry({ delaySeconds: 0 });
      }
    }
  },
};
