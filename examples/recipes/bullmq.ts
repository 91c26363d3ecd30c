// BullMQ (Redis): receivers verify and store each event as a job, then answer; workers run the
// matchers and retry them. Run as many of each as you need, all on one Redis. Receiver and worker
// are two processes; they are together here only for the example.
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { createBullMQQueue, createRedisDedupeStore } from "../../generated/src/index.js";
import { createWherebyConsumer, createWherebyTrigger } from "../../generated/src/whereby/index.js";

const connection = { host: process.env.REDIS_HOST ?? "127.0.0.1", port: 6379 };

// The receiver: 2xx only once Redis holds the job (its id is the event's idempotency key).
const trigger = createWherebyTrigger({
  secret: process.env.WHEREBY_WEBHOOK_SECRET ?? "",
  queue: createBullMQQueue(new Queue("webhooks", { connection })), // 10 attempts, exponential backoff, unless the Queue says otherwise
});
await trigger.start();

// A worker: the matchers, typed as a trigger's; a matcher that throws fails the job and BullMQ retries it.
const consumer = createWherebyConsumer({
  dedupe: createRedisDedupeStore(new Redis(connection.port, connection.host)), // shared by every worker: each event runs once
  webhookTriggers: { "room.client.joined": async (event) => event.data.roleName === "host" },
});
consumer.on("trigger_event_success", ({ event, receivedAt }) => console.log("host joined", event.data.roomName, new Date(receivedAt)));
new Worker("webhooks", (job) => consumer.handle(job.data), { connection });
