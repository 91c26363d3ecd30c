// Next.js route handler (app/api/hooks/whereby/route.ts): the route's POST is the trigger's fetch.
import { createWherebyTrigger } from "../../generated/src/whereby/web.js";

const trigger = createWherebyTrigger({
  secret: process.env.WHEREBY_WEBHOOK_SECRET ?? "",
  responseTimeoutMs: false, // serverless: the function may be frozen after it answers
  webhookTriggers: { "room.client.joined": (event) => event.data.roleName === "host" },
});
trigger.on("trigger_event_success", ({ event }) => console.log(`host joined ${event.data.roomName}`));

export const POST = trigger.fetch;
