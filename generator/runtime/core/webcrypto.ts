import { concatBytes } from "./bytes.js";
import type { DeliveryRequest } from "./delivery.js";
import { checkFunctionOptions } from "./options.js";
import type { HashAlgorithm } from "./provider.js";
import type { ReceivedRequest } from "./request.js";
import { digestsOf, planVerification, settle, type Digest, type VerifyOptions, type VerifyResult } from "./signatures.js";
import type { ProviderDeclaration } from "./provider.js";

/**
 * Checks that a delivery comes from the provider with Web Crypto (`crypto.subtle`): runs on
 * every runtime (workers, Deno, Bun, browsers, Node). Same results as the synchronous
 * `verifyWith` of the Node entry. Never rejects on any request; rejects with a `TypeError` for
 * options of the wrong type, as a trigger throws at construction.
 */
export async function verifyWithWebCrypto(provider: ProviderDeclaration, request: DeliveryRequest | ReceivedRequest, options: VerifyOptions): Promise<VerifyResult> {
  checkFunctionOptions(provider, options, "verifyDeliveryAsync");
  const plan = planVerification(provider, request, options);
  if (!("checks" in plan)) return plan;
  try {
    return settle(plan, await computeDigests(digestsOf(plan)));
  } catch (error) {
    return { ok: false, error: { code: "signature", message: `Web Crypto could not compute the signature: ${(error as Error).message}` } };
  }
}

/** Several digests with Web Crypto, in order. */
export function computeDigests(digests: readonly Digest[]): Promise<string[]> {
  return Promise.all(digests.map(computeDigest));
}

const names: Record<HashAlgorithm, string> = { sha1: "SHA-1", sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" };
const encoder = new TextEncoder();

/** One digest with Web Crypto: an HMAC when `key` is set, else a plain hash. */
export async function computeDigest({ algorithm, key, parts, encoding }: Digest): Promise<string> {
  const data = concatBytes(parts);
  const bytes = new Uint8Array(key === undefined
    ? await crypto.subtle.digest(names[algorithm], data)
    : await crypto.subtle.sign("HMAC", await hmacKey(algorithm, key), data));
  if (encoding === "hex") return toHex(bytes);
  const base64 = toBase64(bytes);
  return encoding === "base64" ? base64 : base64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Imported keys by algorithm and secret: configuration, so few; bounded all the same. */
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(algorithm: HashAlgorithm, secret: string | Uint8Array): Promise<CryptoKey> {
  const raw = typeof secret === "string" ? encoder.encode(secret) : secret;
  const id = `${algorithm}:${typeof secret === "string" ? `s${secret}` : `b${toHex(secret)}`}`;
  let key = keys.get(id);
  if (!key) {
    if (keys.size >= 64) keys.clear();
    key = crypto.subtle.importKey("raw", raw as Uint8Array<ArrayBuffer>, { name: "HMAC", hash: names[algorithm] }, false, ["sign"]);
    keys.set(id, key);
    key.catch(() => keys.delete(id));
  }
  return key;
}

function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
