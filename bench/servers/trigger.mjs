// The candidate: a Whereby trigger from the compiled package, one matcher that fires.
import { createWherebyTrigger } from "../.tmp/dist/whereby/index.js";

const trigger = createWherebyTrigger({
  secret: process.env.WEBHOOK_SECRET ?? "", // bench/http.ts passes the secret test/support.ts signs with
  port: Number(process.env.PORT ?? 0),
  host: "127.0.0.1",
  dedupe: false, // the same delivery is sent again and again: measure processing it, not recognising a duplicate
  webhookTriggers: { "room.client.joined": (event) => event.data.roleName === "host" },
});
let matched = 0;
trigger.on("trigger_event_success", () => matched++);
const { port } = await trigger.start();
process.send?.({ port }) ?? console.log("listening");
process.on("message", (message) => message === "cpu" && process.send({ cpu: process.cpuUsage(), matched }));
