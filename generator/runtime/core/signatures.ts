import { headerValue, type DeliveryError, type DeliveryRequest, type ProviderDefinition } from "./delivery.js";

export type HashAlgorithm = "sha1" | "sha256" | "sha384" | "sha512";

export interface VerifyOptions {
  /**
   * The secret, or several while rotating (a delivery passes when it matches any).
   * Whereby: the endpoint's signing secret. Daily: the webhook's base64 `hmac`.
   * BigBlueButton: the server's shared secret. iotum: the `x-signing-token` from the Admin UI.
   */
  readonly secret: string | readonly string[];
  /**
   * How far the signed timestamp may be from now, either way. Default 300 s for Whereby and
   * Daily; 3600 s for BigBlueButton's `timestamp` form field, since bbb-webhooks retries a
   * delivery for minutes after the event and its server's clock may be off.
   */
  readonly toleranceSeconds?: number | undefined;
  /** The current time in milliseconds; for tests. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
  /** BigBlueButton checksum mode: the callback URL exactly as registered with `hooks/create`. */
  readonly callbackUrl?: string | undefined;
  /**
   * BigBlueButton: the server's `hookChecksumAlgorithm`. Recommended: without it the algorithm
   * follows the checksum's length, so a SHA-1 checksum passes on a server that signs with SHA-256.
   */
  readonly algorithm?: HashAlgorithm | undefined;
  /** Daily: the `basicAuth` value set on the webhook; when given, `Authorization: Basic <value>` is required too. */
  readonly basicAuth?: string | readonly string[] | undefined;
}

export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly error: DeliveryError };

/** One digest to compute: an HMAC when `key` is set, else a plain hash of `parts`. */
export interface Digest {
  readonly algorithm: HashAlgorithm;
  readonly key?: string | Uint8Array;
  readonly parts: readonly (string | Uint8Array)[];
  readonly encoding: "hex" | "base64";
}

/** What is left once the headers are read: the delivery is authentic when a computed digest equals a given value. */
export interface VerificationPlan {
  readonly digests: readonly Digest[];
  readonly given: readonly string[];
  /** Why the delivery is refused when none matches. */
  readonly mismatch: string;
}

export const verified: VerifyResult = { ok: true };
const hexLengths: Record<number, HashAlgorithm> = { 40: "sha1", 64: "sha256", 96: "sha384", 128: "sha512" };

/**
 * Everything of a verification but the digests, the part that differs between `node:crypto`
 * (synchronous) and Web Crypto (asynchronous): a result already, or the digests to compare.
 * Never throws on any request.
 */
export function planVerification(provider: Pick<ProviderDefinition, "signature" | "title">, request: DeliveryRequest, options: VerifyOptions): VerifyResult | VerificationPlan {
  const secrets = secretList(options?.secret);
  if (!secrets) return fail("signature", `no ${provider.title} secret is configured`);
  const body = request?.body;
  if (typeof body !== "string" && !(body instanceof Uint8Array)) return fail("signature", "the body must be the raw bytes to be verified");
  const headers = isRecord(request.headers) ? request.headers : {};
  switch (provider.signature) {
    case "whereby-hmac":
      return planWhereby(headers, body, secrets, options);
    case "daily-hmac":
      return planDaily(headers, body, secrets, options);
    case "bigbluebutton-checksum":
      return planBigBlueButton(request, headers, body, secrets, options);
    case "iotum-token": {
      const token = headerValue(headers, "x-signing-token");
      if (token === undefined) return fail("signature", "the x-signing-token header is missing");
      return matchesAny(token, secrets) ? verified : fail("signature", "the x-signing-token header does not match");
    }
    default:
      return fail("signature", `unknown signature scheme ${JSON.stringify(provider.signature)}`);
  }
}

/** Whether a request carries the header or query parameter its scheme signs with: enough to invite its body. */
export function credentialsPresent(signature: ProviderDefinition["signature"], headers: DeliveryRequest["headers"], url: string | undefined): boolean {
  switch (signature) {
    case "whereby-hmac":
      return headerValue(headers, "whereby-signature") !== undefined;
    case "daily-hmac":
      return headerValue(headers, "x-webhook-signature") !== undefined;
    case "bigbluebutton-checksum":
      return headerValue(headers, "authorization") !== undefined || /[?&]checksum=/.test(url ?? "");
    default:
      return headerValue(headers, "x-signing-token") !== undefined;
  }
}

/** The verdict once the plan's digests are computed, in the plan's order. */
export function settle(plan: VerificationPlan, computed: readonly string[]): VerifyResult {
  let found = false;
  for (const expected of computed) for (const given of plan.given) found = constantTimeEqual(given, expected) || found;
  return found ? verified : fail("signature", plan.mismatch);
}

/** `Whereby-Signature: t=<unix s>,v1=<hex>`; v1 = hex HMAC-SHA256(secret, `${t}.${body}`). */
function planWhereby(headers: DeliveryRequest["headers"], body: string | Uint8Array, secrets: readonly string[], options: VerifyOptions): VerifyResult | VerificationPlan {
  const header = headerValue(headers, "whereby-signature");
  if (header === undefined) return fail("signature", "the Whereby-Signature header is missing");
  // The usual header in one regular expression; any other order or several v1 entries by splitting.
  const usual = /^t=(\d+),v1=([0-9a-f]+)$/.exec(header);
  let timestamp = usual?.[1];
  const given = usual ? [usual[2]!] : [];
  if (!usual) {
    for (const part of header.split(",")) {
      const [key, value = ""] = part.trim().split("=", 2);
      if (key === "t") timestamp = value;
      else if (key === "v1") given.push(value.toLowerCase());
    }
  }
  if (timestamp === undefined || !/^\d+$/.test(timestamp) || given.length === 0) {
    return fail("signature", "the Whereby-Signature header must read t=<unix seconds>,v1=<hex>");
  }
  const stale = checkWindow(Number(timestamp) * 1000, options, 300);
  if (stale) return stale;
  return {
    digests: secrets.map((secret) => ({ algorithm: "sha256", key: secret, parts: [`${timestamp}.`, body], encoding: "hex" })),
    given,
    mismatch: "the Whereby-Signature does not match the body",
  };
}

/** `X-Webhook-Signature` = base64 HMAC-SHA256(base64-decoded secret, `${X-Webhook-Timestamp}.${body}`). */
function planDaily(headers: DeliveryRequest["headers"], body: string | Uint8Array, secrets: readonly string[], options: VerifyOptions): VerifyResult | VerificationPlan {
  if (options.basicAuth !== undefined) {
    const authorization = headerValue(headers, "authorization");
    const expected = (secretList(options.basicAuth) ?? []).map((value) => `Basic ${value}`);
    if (authorization === undefined) return fail("signature", "the Authorization header is missing");
    if (!matchesAny(authorization.replace(/^basic /i, "Basic "), expected)) return fail("signature", "the Authorization header does not match basicAuth");
  }
  const signature = headerValue(headers, "x-webhook-signature");
  const timestamp = headerValue(headers, "x-webhook-timestamp");
  if (signature === undefined || timestamp === undefined) return fail("signature", "the X-Webhook-Signature or X-Webhook-Timestamp header is missing");
  if (!/^\d+(\.\d+)?$/.test(timestamp)) return fail("signature", "the X-Webhook-Timestamp header is not a Unix time");
  // Daily does not document the unit: 13 digits and more are milliseconds, fewer are seconds.
  const stale = checkWindow(Number(timestamp) * (Number(timestamp) >= 1e11 ? 1 : 1000), options, 300);
  if (stale) return stale;
  const keys: Uint8Array[] = [];
  for (const secret of secrets) {
    const key = dailyKey(secret);
    if (key) keys.push(key);
  }
  if (keys.length === 0) return fail("signature", "no Daily secret is valid base64 of at least 16 bytes");
  return {
    digests: keys.map((key) => ({ algorithm: "sha256", key, parts: [`${timestamp}.`, body], encoding: "base64" })),
    given: [signature],
    mismatch: "the X-Webhook-Signature does not match the body",
  };
}

/**
 * auth2_0 mode: `Authorization: Bearer <secret>` (scheme in any case). Checksum mode: `?checksum=`
 * hex HASH(callbackUrl + body + secret), HASH sha1 by default (bbb-webhooks ≥ 3.4), or of the
 * form's JSON instead of the body (2.x); 3.0 – 3.3 hashed a constant and cannot be verified. The
 * signed `timestamp` form field (ms) must be inside the replay window.
 */
function planBigBlueButton(
  request: DeliveryRequest,
  headers: DeliveryRequest["headers"],
  body: string | Uint8Array,
  secrets: readonly string[],
  options: VerifyOptions,
): VerifyResult | VerificationPlan {
  const authorization = headerValue(headers, "authorization");
  const bearer = authorization === undefined ? undefined : /^bearer[ \t]+(.*)$/i.exec(authorization);
  if (bearer) return matchesAny(bearer[1]!, secrets) ? verified : fail("signature", "the Authorization bearer token does not match");
  const url = typeof request.url === "string" ? request.url : "";
  const checksum = new URLSearchParams(url.includes("?") ? url.slice(url.indexOf("?") + 1) : "").get("checksum");
  if (checksum === null) return fail("signature", "neither a checksum query parameter nor an Authorization bearer token was sent");
  if (!options.callbackUrl) return fail("signature", "set the callbackUrl option (the URL registered with hooks/create) to verify BigBlueButton checksums");
  const algorithm = options.algorithm ?? hexLengths[checksum.length];
  if (!algorithm) return fail("signature", "the checksum has the length of no supported hash");
  const text = typeof body === "string" ? body : new TextDecoder().decode(body);
  const stale = checkFormTimestamp(text, options);
  if (stale) return stale;
  const callbackUrl = options.callbackUrl;
  const signed = [body, ...legacySignedForm(text)];
  return {
    digests: secrets.flatMap((secret) => signed.map((content) => ({ algorithm, parts: [callbackUrl, content, secret], encoding: "hex" as const }))),
    given: [checksum.toLowerCase()],
    mismatch: "the checksum does not match the callback URL, body and secret",
  };
}

/**
 * What bbb-webhooks 2.x signed instead of the body: the JSON of its form fields, in the order
 * `event`, `timestamp` (a number), `domain` (`callback_emitter.js`, 2.3.0 – 2.6.1), which is also
 * the order of its form. Nothing for a form in 3.x order (`domain` first).
 */
function legacySignedForm(text: string): string[] {
  if (!text.startsWith("event=")) return [];
  const form = new URLSearchParams(text);
  const [event, timestamp, domain] = [form.get("event"), form.get("timestamp"), form.get("domain")];
  if (event === null || timestamp === null || !/^\d+$/.test(timestamp) || domain === null) return [];
  return [JSON.stringify({ event, timestamp: Number(timestamp), domain })];
}

/** BigBlueButton signs the whole form, whose `timestamp` field (ms, when the first attempt was sent) dates it. */
function checkFormTimestamp(text: string, options: VerifyOptions): VerifyResult | undefined {
  const timestamp = /(?:^|&)timestamp=(\d+)(?:&|$)/.exec(text)?.[1];
  return timestamp === undefined ? undefined : checkWindow(Number(timestamp), options, 3600);
}

function checkWindow(signedAtMs: number, { toleranceSeconds, now = Date.now }: VerifyOptions, defaultSeconds: number): VerifyResult | undefined {
  const tolerance = toleranceSeconds ?? defaultSeconds;
  const current = typeof now === "function" ? now() : Number.NaN;
  // Fail closed: a broken clock or tolerance must not switch the window off.
  if (!Number.isFinite(current) || !(tolerance >= 0)) return fail("stale", "the replay window cannot be checked: `now()` or `toleranceSeconds` is not a number");
  const skew = Math.abs(current - signedAtMs);
  return skew > tolerance * 1000
    ? fail("stale", `the signed timestamp is ${Math.round(skew / 1000)} s away from now, more than the ${tolerance} s allowed`)
    : undefined;
}

/** Equality of any of `candidates` (static tokens, Basic and Bearer values), comparing with every one. */
function matchesAny(given: string, candidates: readonly string[]): boolean {
  let found = false;
  for (const candidate of candidates) found = constantTimeEqual(given, candidate) || found;
  return found;
}

/**
 * String equality whose time depends only on the length of `given` (the sender's), never on
 * the secret's length or on where the strings differ. Comparing strings directly avoids the
 * Buffer copies that `timingSafeEqual` needs, which cost more than the rest of a verification.
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  let difference = given.length ^ expected.length;
  const length = expected.length || 1;
  for (let i = 0; i < given.length; i++) difference |= given.charCodeAt(i) ^ (expected.charCodeAt(i % length) || 0);
  return difference === 0;
}

/** A secret option as a non-empty list of non-blank strings, or `undefined`. */
export function secretList(secret: unknown): readonly string[] | undefined {
  const list = typeof secret === "string" ? [secret] : secret;
  if (!Array.isArray(list) || list.length === 0) return undefined;
  for (const item of list) if (typeof item !== "string" || item.trim() === "") return undefined;
  return list as string[];
}

/** Daily keys are configuration: decoded once; the cache is bounded so that it cannot grow without end. */
const dailyKeys = new Map<string, Uint8Array | null>();

/** The decoded Daily secret, or `null` when it is not strict base64 of at least 16 bytes. */
export function dailyKey(secret: string): Uint8Array | null {
  let key = dailyKeys.get(secret);
  if (key === undefined) {
    key = decodeBase64(secret);
    if (key && key.length < 16) key = null;
    if (dailyKeys.size >= 64) dailyKeys.clear();
    dailyKeys.set(secret, key);
  }
  return key;
}

function decodeBase64(text: string): Uint8Array | null {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return null;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function isRecord(value: unknown): value is DeliveryRequest["headers"] {
  return typeof value === "object" && value !== null;
}

function fail(code: DeliveryError["code"], message: string): VerifyResult {
  return { ok: false, error: { code, message } };
}
