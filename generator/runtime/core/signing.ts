import type { DeliveryRequest, ProviderDefinition } from "./delivery.js";
import { dailyKey, type HashAlgorithm } from "./signatures.js";
import { computeDigest } from "./webcrypto.js";

export interface SignOptions {
  /** The secret to sign with, as you configure it on the receiver (Daily: base64). */
  readonly secret: string;
  /** When the delivery is sent, in milliseconds. Default `Date.now()`. */
  readonly at?: number | undefined;
  /** Path and query the request is sent to. Default `/`. */
  readonly path?: string | undefined;
  /** BigBlueButton: sign with a checksum of this callback URL (checksum mode); without it, `Authorization: Bearer`. */
  readonly callbackUrl?: string | undefined;
  /** BigBlueButton checksum mode: the hash. Default `sha1`, as bbb-webhooks. */
  readonly algorithm?: HashAlgorithm | undefined;
  /** BigBlueButton: the `domain` form field. Default `bbb.example.com`. */
  readonly domain?: string | undefined;
}

/** A raw request as a provider would send it: hand it to `handleDelivery`, or send it over HTTP. */
export interface SignedRequest extends DeliveryRequest {
  readonly method: "POST";
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Wraps events in the provider's envelope and signs them as the provider does, so that you can
 * test your own receiver: Whereby's `t=,v1=` HMAC, Daily's base64 HMAC with its timestamp
 * header, BigBlueButton's form with a checksum (or bearer token), iotum's token header and
 * payload string. Only BigBlueButton carries several events in one delivery.
 */
export async function signWith(provider: Pick<ProviderDefinition, "name" | "title" | "signature">, events: unknown, options: SignOptions): Promise<SignedRequest> {
  const { secret, at = Date.now(), path = "/" } = options;
  if (typeof secret !== "string" || secret.trim() === "") throw new TypeError(`sign ${provider.title} delivery: secret must be a non-blank string`);
  const list = Array.isArray(events) ? events : [events];
  if (provider.signature !== "bigbluebutton-checksum" && list.length !== 1) throw new TypeError(`sign ${provider.title} delivery: ${provider.title} sends one event per delivery, got ${list.length}`);
  const seconds = Math.floor(at / 1000);
  const json = { "content-type": "application/json" };
  switch (provider.signature) {
    case "whereby-hmac": {
      const body = JSON.stringify(list[0]);
      const v1 = await computeDigest({ algorithm: "sha256", key: secret, parts: [`${seconds}.`, body], encoding: "hex" });
      return { method: "POST", url: path, headers: { ...json, "whereby-signature": `t=${seconds},v1=${v1}` }, body };
    }
    case "daily-hmac": {
      const key = dailyKey(secret);
      if (!key) throw new TypeError("sign Daily delivery: the secret must be base64 of at least 16 bytes, as Daily's `hmac`");
      const body = JSON.stringify(list[0]);
      const signature = await computeDigest({ algorithm: "sha256", key, parts: [`${seconds}.`, body], encoding: "base64" });
      return { method: "POST", url: path, headers: { ...json, "x-webhook-timestamp": String(seconds), "x-webhook-signature": signature }, body };
    }
    case "bigbluebutton-checksum": {
      const body = new URLSearchParams({ domain: options.domain ?? "bbb.example.com", event: JSON.stringify(list), timestamp: String(Math.floor(at)) }).toString();
      const form = { "content-type": "application/x-www-form-urlencoded" };
      if (options.callbackUrl === undefined) return { method: "POST", url: path, headers: { ...form, authorization: `Bearer ${secret}` }, body };
      const checksum = await computeDigest({ algorithm: options.algorithm ?? "sha1", parts: [options.callbackUrl, body, secret], encoding: "hex" });
      return { method: "POST", url: `${path}${path.includes("?") ? "&" : "?"}checksum=${checksum}`, headers: form, body };
    }
    default: {
      // iotum sends the payload as a JSON string inside the JSON body.
      const event = list[0];
      const wire = typeof event === "object" && event !== null ? Object.fromEntries(Object.entries(event).map(([name, value]) => [name, name === "payload" && typeof value !== "string" ? JSON.stringify(value) : value])) : event;
      const body = JSON.stringify(wire);
      return { method: "POST", url: path, headers: { ...json, "x-signing-token": secret }, body };
    }
  }
}
