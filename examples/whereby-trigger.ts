// A Whereby trigger: verified, parsed, validated and matched deliveries on port 8080.
// Run: WHEREBY_WEBHOOK_SECRET=… node --import tsx examples/whereby-trigger.ts
import { createWherebyTrigger } from "../generated/src/whereby/index.js";

const trigger = createWherebyTrigger({
  secret: process.env.WHEREBY_WEBHOOK_SECRET ?? "",
  webhookTriggers: { "room.client.joined": (event) => event.data.roleName === "host" },
});
trigger.on("trigger_event_success", ({ event }) => console.log(`host joined ${event.data.roomName}`));
const { port } = await trigger.start();
console.log(`listening on ${port}`);
