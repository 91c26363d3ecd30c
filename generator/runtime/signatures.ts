import { createHash, createHmac } from "node:crypto";
import { headerValue, type DeliveryError, type DeliveryRequest, type ProviderDefinition } from "./delivery.js";

export interface VerifyOptions {
  /**
   * The secret, or several while rotating (a delivery passes when it matches any).
   * Whereby: the endpoint's signing secret. Daily: the webhook's base64 `hmac`.
   * BigBlueButton: the server's shared secret. iotum: the `x-signing-token` from the Admin UI.
   */
  readonly secret: string | readonly string[];
  /** Whereby and Daily: how far the signed timestamp may be from now, either way. Default 300 s. */
  readonly toleranceSeconds?: number;
  /** The current time in milliseconds; for tests. Default `Date.now`. */
  readonly now?: () => number;
  /** BigBlueButton checksum mode: the callback URL exactly as registered with `hooks/create`. */
  readonly callbackUrl?: string;
  /** BigBlueButton: the server's `hookChecksumAlgorithm`. Default: told by the checksum's length (sha1 … sha512). */
  readonly algorithm?: "sha1" | "sha256" | "sha384" | "sha512";
  /** Daily: the `basicAuth` value set on the webhook; when given, `Authorization: Basic <value>` is required too. */
  readonly basicAuth?: string | readonly string[];
}

export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly error: DeliveryError };

const ok: VerifyResult = { ok: true };
const hexLengths: Record<number, NonNullable<VerifyOptions["algorithm"]>> = { 40: "sha1", 64: "sha256", 96: "sha384", 128: "sha512" };

/**
 * Checks that a delivery comes from the provider, on the raw body and before any parsing,
 * with comparisons whose time does not depend on the secret. Never throws on any request.
 */
export function verifyWith(provider: Pick<ProviderDefinition, "signature" | "title">, request: DeliveryRequest, options: VerifyOptions): VerifyResult {
  const secrets = typeof options?.secret === "string" ? [options.secret] : options?.secret;
  if (!isSecretList(secrets)) return fail("signature", `no ${provider.title} secret is configured`);
  const body = request?.body;
  if (typeof body !== "string" && !(body instanceof Uint8Array)) return fail("signature", "the body must be the raw bytes to be verified");
  const headers = request.headers ?? {};
  switch (provider.signature) {
    case "whereby-hmac":
      return verifyWhereby(headers, body, secrets, options);
    case "daily-hmac":
      return verifyDaily(headers, body, secrets, options);
    case "bigbluebutton-checksum":
      return verifyBigBlueButton(request, body, secrets, options);
    case "iotum-token":
      return matchesAny(headerValue(headers, "x-signing-token"), secrets)
        ? ok
        : fail("signature", headerValue(headers, "x-signing-token") === undefined ? "the x-signing-token header is missing" : "the x-signing-token header does not match");
  }
}

/** `Whereby-Signature: t=<unix s>,v1=<hex>`; v1 = hex HMAC-SHA256(secret, `${t}.${body}`). */
function verifyWhereby(headers: DeliveryRequest["headers"], body: string | Uint8Array, secrets: readonly string[], options: VerifyOptions): VerifyResult {
  const header = headerValue(headers, "whereby-signature");
  if (header === undefined) return fail("signature", "the Whereby-Signature header is missing");
  // The usual header in one regular expression; any other order or several v1 entries by splitting.
  const usual = /^t=(\d+),v1=([0-9a-f]+)$/.exec(header);
  let timestamp = usual?.[1];
  const signatures = usual ? [usual[2]!] : [];
  if (!usual) {
    for (const part of header.split(",")) {
      const [key, value = ""] = part.trim().split("=", 2);
      if (key === "t") timestamp = value;
      else if (key === "v1") signatures.push(value.toLowerCase());
    }
  }
  if (timestamp === undefined || !/^\d+$/.test(timestamp) || signatures.length === 0) {
    return fail("signature", "the Whereby-Signature header must read t=<unix seconds>,v1=<hex>");
  }
  const stale = checkWindow(Number(timestamp) * 1000, options);
  if (stale) return stale;
  for (const secret of secrets) {
    const expected = createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex");
    for (const signature of signatures) if (constantTimeEqual(signature, expected)) return ok;
  }
  return fail("signature", "the Whereby-Signature does not match the body");
}

/** `X-Webhook-Signature` = base64 HMAC-SHA256(base64-decoded secret, `${X-Webhook-Timestamp}.${body}`). */
function verifyDaily(headers: DeliveryRequest["headers"], body: string | Uint8Array, secrets: readonly string[], options: VerifyOptions): VerifyResult {
  if (options.basicAuth !== undefined) {
    const authorization = headerValue(headers, "authorization");
    const expected = (typeof options.basicAuth === "string" ? [options.basicAuth] : options.basicAuth).map((value) => `Basic ${value}`);
    if (!matchesAny(authorization, expected)) return fail("signature", authorization === undefined ? "the Authorization header is missing" : "the Authorization header does not match basicAuth");
  }
  const signature = headerValue(headers, "x-webhook-signature");
  const timestamp = headerValue(headers, "x-webhook-timestamp");
  if (signature === undefined || timestamp === undefined) return fail("signature", "the X-Webhook-Signature or X-Webhook-Timestamp header is missing");
  if (!/^\d+(\.\d+)?$/.test(timestamp)) return fail("signature", "the X-Webhook-Timestamp header is not a Unix time");
  // Daily does not document the unit: 13 digits and more are milliseconds, fewer are seconds.
  const stale = checkWindow(Number(timestamp) * (Number(timestamp) >= 1e11 ? 1 : 1000), options);
  if (stale) return stale;
  for (const secret of secrets) {
    const expected = createHmac("sha256", decodedKey(secret)).update(`${timestamp}.`).update(body).digest("base64");
    if (constantTimeEqual(signature, expected)) return ok;
  }
  return fail("signature", "the X-Webhook-Signature does not match the body");
}

/**
 * Checksum mode: `?checksum=` hex HASH(callbackUrl + body + secret) with HASH sha1 by default
 * (bbb-webhooks ≥ 3.4; earlier 3.x hashed a constant and cannot be verified). auth2_0 mode:
 * `Authorization: Bearer <secret>`.
 */
function verifyBigBlueButton(request: DeliveryRequest, body: string | Uint8Array, secrets: readonly string[], options: VerifyOptions): VerifyResult {
  const authorization = headerValue(request.headers ?? {}, "authorization");
  if (authorization?.startsWith("Bearer ")) {
    return matchesAny(authorization, secrets.map((secret) => `Bearer ${secret}`)) ? ok : fail("signature", "the Authorization bearer token does not match");
  }
  const query = request.url?.includes("?") ? request.url.slice(request.url.indexOf("?") + 1) : "";
  const checksum = new URLSearchParams(query).get("checksum");
  if (checksum === null) return fail("signature", "neither a checksum query parameter nor an Authorization bearer token was sent");
  if (!options.callbackUrl) return fail("signature", "set the callbackUrl option (the URL registered with hooks/create) to verify BigBlueButton checksums");
  const algorithm = options.algorithm ?? hexLengths[checksum.length];
  if (!algorithm) return fail("signature", "the checksum has the length of no supported hash");
  const given = checksum.toLowerCase();
  for (const secret of secrets) {
    const expected = createHash(algorithm).update(options.callbackUrl).update(body).update(secret).digest("hex");
    if (constantTimeEqual(given, expected)) return ok;
  }
  return fail("signature", "the checksum does not match the callback URL, body and secret");
}

function checkWindow(signedAtMs: number, { toleranceSeconds = 300, now = Date.now }: VerifyOptions): VerifyResult | undefined {
  const skew = Math.abs(now() - signedAtMs);
  return skew > toleranceSeconds * 1000
    ? fail("stale", `the signed timestamp is ${Math.round(skew / 1000)} s away from now, more than the ${toleranceSeconds} s allowed`)
    : undefined;
}

/** Equality of any of `candidates` (static tokens, Basic and Bearer values), comparing with every one. */
function matchesAny(given: string | undefined, candidates: readonly string[]): boolean {
  if (given === undefined) return false;
  let found = false;
  for (const candidate of candidates) found = constantTimeEqual(given, candidate) || found;
  return found;
}

/**
 * String equality whose time does not depend on where the strings differ (only on their
 * length, which is public: a digest's or a configured token's). Comparing the strings
 * directly avoids the Buffer copies that `timingSafeEqual` needs, which cost more than the
 * rest of a verification.
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  if (given.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return difference === 0;
}

/** Daily keys are configuration: decoded once, not per request. The cache holds only configured secrets. */
const base64Secrets = new Map<string, Buffer>();

function decodedKey(secret: string): Buffer {
  let key = base64Secrets.get(secret);
  if (!key) base64Secrets.set(secret, (key = Buffer.from(secret, "base64")));
  return key;
}

function isSecretList(secrets: unknown): secrets is readonly string[] {
  if (!Array.isArray(secrets) || secrets.length === 0) return false;
  for (const secret of secrets) if (typeof secret !== "string" || secret === "") return false;
  return true;
}

function fail(code: DeliveryError["code"], message: string): VerifyResult {
  return { ok: false, error: { code, message } };
}
