// A peer shaped like Whereby's assistant-SDK trigger: Express, express.json, the matcher of the
// event's type, no signature verification and no validation.
import express from "express";

const webhookTriggers = { "room.client.joined": (event) => event.data.roleName === "host" };
const app = express();
app.post("/", express.json(), (req, res) => {
  const matcher = webhookTriggers[req.body?.type] ?? (() => false);
  res.status(200).json({ matched: matcher(req.body) === true });
});
const server = app.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => process.send?.({ port: server.address().port }) ?? console.log("listening"));
process.on("message", (message) => message === "cpu" && process.send({ cpu: process.cpuUsage() }));
