// A peer: what a user writes with Express instead of confhooks — express.raw, HMAC by hand,
// JSON.parse and an ajv validator compiled at start-up — for Whereby deliveries.
import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import express from "express";

const schemas = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../schemas/whereby");
const ajv = new Ajv2020({ strict: false });
for (const name of readdirSync(path.join(schemas, "common"))) ajv.addSchema(JSON.parse(readFileSync(path.join(schemas, "common", name), "utf8")));
const validate = ajv.compile(JSON.parse(readFileSync(path.join(schemas, "room.client.joined.schema.json"), "utf8")));

const app = express();
app.post("/", express.raw({ type: "*/*", limit: "1mb" }), (req, res) => {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(req.get("whereby-signature") ?? "");
  const expected = match && createHmac("sha256", process.env.WEBHOOK_SECRET ?? "").update(`${match[1]}.`).update(req.body).digest();
  if (!match || !timingSafeEqual(expected, Buffer.from(match[2], "hex"))) return res.status(401).end();
  const event = JSON.parse(req.body.toString("utf8"));
  if (!validate(event)) return res.status(400).end();
  res.status(200).json({ ok: true, matched: event.data.roleName === "host" });
});
const server = app.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => process.send?.({ port: server.address().port }) ?? console.log("listening"));
process.on("message", (message) => message === "cpu" && process.send({ cpu: process.cpuUsage() }));
