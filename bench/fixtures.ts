import { createHash, createHmac } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadSchemas } from "../generator/load.js";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const providers = await loadSchemas(path.join(root, "schemas"), root);

/** The realistic event each provider is measured with (the issue's choice). */
export const measured = { whereby: "room.client.joined", daily: "participant.joined", bigbluebutton: "user-joined", iotum: "enter_conference" } as const;
export type MeasuredProvider = keyof typeof measured;

export const secrets = { whereby: "whsec_bench", daily: "YmVuY2gtc2VjcmV0", bigbluebutton: "bbb-bench-secret", iotum: "iotum-bench-token" } as const;
export const callbackUrl = "https://example.com/hooks/bbb";

/** The first example of an event schema: a documented, realistic event. */
export function example(provider: string, type: string): unknown {
  const source = providers.find((p) => p.name === provider)!.events.find((e) => e.base === type)!;
  return (source.schema.examples as unknown[])[0];
}

/** The event as its provider puts it on the wire. */
export function wireBody(provider: MeasuredProvider): string {
  const event = example(provider, measured[provider]) as Record<string, unknown>;
  if (provider === "iotum") return JSON.stringify({ ...event, payload: JSON.stringify(event.payload) });
  if (provider === "bigbluebutton") return new URLSearchParams({ domain: "bbb.example.com", event: JSON.stringify([event]), timestamp: String(Date.now()) }).toString();
  return JSON.stringify(event);
}

/** A signed request as the provider would send it. */
export interface SignedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export function signedRequest(provider: MeasuredProvider, body = wireBody(provider), at = Date.now()): SignedRequest {
  const t = Math.floor(at / 1000);
  switch (provider) {
    case "whereby":
      return { method: "POST", url: "/", headers: { "whereby-signature": `t=${t},v1=${createHmac("sha256", secrets.whereby).update(`${t}.${body}`).digest("hex")}` }, body };
    case "daily":
      return { method: "POST", url: "/", headers: { "x-webhook-timestamp": String(t), "x-webhook-signature": createHmac("sha256", Buffer.from(secrets.daily, "base64")).update(`${t}.${body}`).digest("base64") }, body };
    case "bigbluebutton":
      return { method: "POST", url: `/?checksum=${createHash("sha1").update(callbackUrl + body + secrets.bigbluebutton).digest("hex")}`, headers: {}, body };
    case "iotum":
      return { method: "POST", url: "/", headers: { "x-signing-token": secrets.iotum }, body };
  }
}
