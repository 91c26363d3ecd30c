// Hono (any runtime): hand the raw Request to the trigger, not a parsed body.
import { Hono } from "hono";
import { createWherebyTrigger } from "../../generated/src/whereby/web.js";

const trigger = createWherebyTrigger({
  secret: process.env.WHEREBY_WEBHOOK_SECRET ?? "",
  webhookTriggers: { "room.session.ended": () => true },
});

const app = new Hono();
app.post("/hooks/whereby", (c) => trigger.fetch(c.req.raw));

export default app;
