import { concatBytes } from "./bytes.js";
import type { DeliveryRequest, ProviderDefinition } from "./delivery.js";
import { planVerification, settle, type Digest, type HashAlgorithm, type VerifyOptions, type VerifyResult } from "./signatures.js";

/**
 * Checks that a delivery comes from the provider with Web Crypto (`crypto.subtle`): runs on
 * every runtime (workers, Deno, Bun, browsers, Node). Same results as the synchronous
 * `verifyWith` of the Node entry. Never rejects.
 */
export async function verifyWithWebCrypto(provider: Pick<ProviderDefinition, "signature" | "title">, request: DeliveryRequest, options: VerifyOptions): Promise<VerifyResult> {
  const plan = planVerification(provider, request, options);
  if (!("digests" in plan)) return plan;
  try {
    return settle(plan, await Promise.all(plan.digests.map(computeDigest)));
  } catch (error) {
    return { ok: false, error: { code: "signature", message: `Web Crypto could not compute the signature: ${(error as Error).message}` } };
  }
}

const names: Record<HashAlgorithm, string> = { sha1: "SHA-1", sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" };
const encoder = new TextEncoder();

/** One digest with Web Crypto: an HMAC when `key` is set, else a plain hash. */
export async function computeDigest({ algorithm, key, parts, encoding }: Digest): Promise<string> {
  const data = concatBytes(parts);
  const bytes = key === undefined
    ? await crypto.subtle.digest(names[algorithm], data)
    : await crypto.subtle.sign("HMAC", await hmacKey(algorithm, key), data);
  return encoding === "hex" ? toHex(new Uint8Array(bytes)) : toBase64(new Uint8Array(bytes));
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
