import { createHash, createHmac, createSecretKey, type KeyObject } from "node:crypto";
import type { DeliveryRequest } from "../core/delivery.js";
import { checkFunctionOptions } from "../core/options.js";
import type { ProviderDeclaration } from "../core/provider.js";
import type { ReceivedRequest } from "../core/request.js";
import { digestsOf, planVerification, settle, type Digest, type VerifyOptions, type VerifyResult } from "../core/signatures.js";

/**
 * Checks that a delivery comes from the provider, synchronously with `node:crypto`: the fastest
 * path on Node. Same results as `verifyWithWebCrypto`. Never throws on any request; throws a
 * `TypeError` for options of the wrong type, as a trigger does at construction.
 */
export function verifyWith(provider: ProviderDeclaration, request: DeliveryRequest | ReceivedRequest, options: VerifyOptions): VerifyResult {
  checkFunctionOptions(provider, options, "verifyDelivery");
  const plan = planVerification(provider, request, options);
  return "checks" in plan ? settle(plan, computeDigestsSync(digestsOf(plan))) : plan;
}

/** Several digests with `node:crypto`, in order. */
export function computeDigestsSync(digests: readonly Digest[]): string[] {
  const computed: string[] = [];
  for (const digest of digests) computed.push(computeDigestSync(digest));
  return computed;
}

function computeDigestSync({ algorithm, key, parts, encoding }: Digest): string {
  const hash = key === undefined ? createHash(algorithm) : createHmac(algorithm, keyObject(key));
  for (const part of parts) hash.update(part);
  return hash.digest(encoding);
}

/** Keys as KeyObjects, made once per secret (configuration, so few; bounded all the same): an HMAC then needs no copy of the key. */
const keyObjects = new Map<string, KeyObject>();

function keyObject(key: string | Uint8Array): KeyObject | Uint8Array {
  if (typeof key !== "string") return key;
  let object = keyObjects.get(key);
  if (!object) {
    if (keyObjects.size >= 64) keyObjects.clear();
    keyObjects.set(key, (object = createSecretKey(Buffer.from(key, "utf8"))));
  }
  return object;
}
