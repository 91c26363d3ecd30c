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
    const parsed = parseDelivery("bigbluebutton", request);
    if (!parsed.ok) return res.writeHead(400).end(`${parsed.error.code}: ${parsed.error.message}`);
    for (const { type, event } of parsed.events) if (type === "user-joined") console.log(`${event.data.attributes.user.name} joined`);
    res.writeHead(200).end();
  });
}).listen(8080);
