// Express: mount the middleware behind express.raw, whose limit must match maxBodyBytes
// (express's default 100 kB would refuse deliveries the trigger accepts).
import express from "express";
import { createDailyTrigger } from "../../generated/src/daily/index.js";

const maxBodyBytes = 1024 * 1024;
const trigger = createDailyTrigger({
  secret: process.env.DAILY_WEBHOOK_HMAC ?? "",
  maxBodyBytes,
  webhookTriggers: { "recording.ready-to-download": () => true },
});

const app = express();
app.post("/hooks/daily", express.raw({ type: "*/*", limit: maxBodyBytes }), trigger.middleware);
app.listen(8080);
