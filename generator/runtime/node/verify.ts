import { createHash, createHmac } from "node:crypto";
import type { DeliveryRequest, ProviderDefinition } from "../core/delivery.js";
import { planVerification, settle, type Digest, type VerifyOptions, type VerifyResult } from "../core/signatures.js";

/**
 * Checks that a delivery comes from the provider, synchronously with `node:crypto`: the fastest
 * path on Node. Same results as `verifyWithWebCrypto`. Never throws on any request.
 */
export function verifyWith(provider: Pick<ProviderDefinition, "signature" | "title">, request: DeliveryRequest, options: VerifyOptions): VerifyResult {
  const plan = planVerification(provider, request, options);
  return "digests" in plan ? settle(plan, plan.digests.map(digest)) : plan;
}

function digest({ algorithm, key, parts, encoding }: Digest): string {
  const hash = key === undefined ? createHash(algorithm) : createHmac(algorithm, key);
  for (const part of parts) hash.update(part);
  return hash.digest(encoding);
}
