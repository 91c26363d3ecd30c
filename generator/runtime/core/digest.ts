import { optionsIn } from "./hmac.js";
import { fail, messages, once, readSignature, readTimestamp, signatureCredential, signaturePresent, writeSignature, type Digest, type Mechanism } from "./mechanism.js";
import type { DigestSpec, HashAlgorithm } from "./provider.js";

/** Why a delivery is refused when no checksum matches, worded once per declaration. */
const mismatches = new WeakMap<object, string>();

/** Hex lengths of the hashes a checksum may be chosen by. */
const hexLengths: Record<HashAlgorithm, number> = { sha1: 40, sha256: 64, sha384: 96, sha512: 128 };

/** A plain hash of a message whose parts include the secret (BigBlueButton's checksums). */
export const digest: Mechanism<DigestSpec> = {
  // Stryker disable next-line ArrowFunction: static: evaluated when the module loads, before Stryker's runner activates a mutant; planted by hand, "an unsigned delivery is refused naming every credential" (test/mutation-kills-verification.test.ts) fails
  credential: (spec) => signatureCredential(spec.signature),
  present: (spec, request) => signaturePresent(spec.signature, request),
  needs: (spec) => optionsIn(spec.message),

  plan(spec, request, context) {
    const signature = readSignature(spec.signature, request, spec.timestamp?.list);
    if ("ok" in signature) return signature;
    const algorithm = chooseAlgorithm(spec, context.options, signature.values[0]!);
    if (!algorithm) return fail("signature", `${signatureCredential(spec.signature)} has the length of no supported hash`);
    const time = spec.timestamp && readTimestamp(spec.timestamp, request, signature, context);
    if (typeof time === "object") return time;
    const digests: Digest[] = [];
    for (const [index, secret] of context.secrets.entries()) {
      const candidates = messages(spec.message, { request, options: context.options, timestamp: time, secret }, context.provider);
      if (!Array.isArray(candidates)) return candidates;
      for (const parts of candidates) digests.push({ algorithm, parts, encoding: spec.signature.encoding, secret: index });
    }
    return [{ digests, given: signature.values, mismatch: once(mismatches, spec, () => `${signatureCredential(spec.signature)} does not match the request and secret`) }];
  },

  async sign(spec, draft, context) {
    const algorithm = typeof spec.algorithm === "string" ? spec.algorithm : ((context.options[spec.algorithm.option] as HashAlgorithm | undefined) ?? spec.algorithm.byLength[0]!);
    const candidates = messages(spec.message, { request: draft.view(), options: context.options, timestamp: undefined, secret: context.secret }, context.provider);
    if (!Array.isArray(candidates)) throw new TypeError(`sign ${context.provider.title} delivery: ${candidates.error.message}`);
    writeSignature(spec.signature, draft, await context.digest({ algorithm, parts: candidates[0]!, encoding: spec.signature.encoding }));
  },
};

/** The declared hash, the one the option names, or the one whose hex length the checksum has. */
function chooseAlgorithm(spec: DigestSpec, options: Readonly<Record<string, unknown>>, given: string): HashAlgorithm | undefined {
  if (typeof spec.algorithm === "string") return spec.algorithm;
  const named = options[spec.algorithm.option];
  if (named !== undefined) return named as HashAlgorithm;
  return spec.algorithm.byLength.find((algorithm) => hexLengths[algorithm] === given.length);
}
