import { describe, expect, it } from "vitest";
import { verifyDelivery } from "../generated/src/index.js";
import { verifyDeliveryAsync } from "../generated/src/web.js";
import { signatureVectors } from "./fixtures/signature-vectors.js";

const verdict = (result: { ok: boolean; error?: { code: string } }) => (result.ok ? "ok" : result.error!.code);

describe("one table of signature vectors, two implementations with the same results", () => {
  for (const vector of signatureVectors) {
    it(`${vector.provider}: ${vector.name} → ${vector.expect}`, async () => {
      expect(verdict(verifyDelivery(vector.provider, vector.request, vector.options)), "node:crypto").toBe(vector.expect);
      expect(verdict(await verifyDeliveryAsync(vector.provider, vector.request, vector.options)), "Web Crypto").toBe(vector.expect);
      const bytes = typeof vector.request.body === "string" ? { ...vector.request, body: new TextEncoder().encode(vector.request.body) } : vector.request;
      expect(verdict(verifyDelivery(vector.provider, bytes, vector.options)), "node:crypto, bytes").toBe(vector.expect);
      expect(verdict(await verifyDeliveryAsync(vector.provider, bytes, vector.options)), "Web Crypto, bytes").toBe(vector.expect);
    });
  }
});
