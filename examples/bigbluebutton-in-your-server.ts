// Verify and parse BigBlueButton deliveries inside a server you already have (here plain node:http).
// Run: BBB_SECRET=… node --import tsx examples/bigbluebutton-in-your-server.ts
import { createServer } from "node:http";
import { parseDelivery, verifyDelivery } from "../generated/src/index.js";

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const request = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) }; // the raw bytes
    const verified = verifyDelivery("bigbluebutton", request, { secret: process.env.BBB_SECRET ?? "", callbackUrl: "https://example.com/bbb" });
    if (!verified.ok) return res.writeHead(401).end(verified.error.message);
    // A verified delivery is acknowledged even when some of it cannot be used: a 4xx would only make
    // bbb-webhooks retry it. Keep what cannot be used (here: log it) instead of losing it.
    const parsed = parseDelivery("bigbluebutton", request);
    if (!parsed.ok) console.warn(`unusable delivery: ${parsed.error.code}: ${parsed.error.message}`);
    for (const skipped of parsed.ok ? (parsed.skipped ?? []) : []) console.warn(`event ${skipped.index} skipped: ${skipped.code}: ${skipped.message}`);
    for (const { type, event } of parsed.ok ? parsed.events : []) if (type === "user-joined") console.log(`${event.data.attributes.user.name} joined`);
    res.writeHead(200).end();
  });
}).listen(8080);
