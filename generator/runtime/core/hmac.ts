import {
  fail, messages, once, readSignature, readTimestamp, signatureCredential, signaturePresent, timestampText, writeSignature,
  type Check, type Digest, type Mechanism,
} from "./mechanism.js";
import type { HmacSpec } from "./provider.js";
import { describeSecret, secretKey } from "./secrets.js";

/** An HMAC of a message made of parts (text, headers, the timestamp, the raw body…), keyed with each secret. */
export const hmac: Mechanism<HmacSpec> = {
  // Stryker disable next-line ArrowFunction: static: evaluated when the module loads, before Stryker's runner activates a mutant; planted by hand, "an unsigned delivery is refused naming every credential" (test/mutation-kills-verification.test.ts) fails
  credential: (spec) => signatureCredential(spec.signature),
  present: (spec, request) => signaturePresent(spec.signature, request),
  needs: (spec) => optionsIn(spec.message),

  plan(spec, request, context) {
    const signature = readSignature(spec.signature, request, spec.timestamp?.list);
    if ("ok" in signature) return signature;
    const time = spec.timestamp && readTimestamp(spec.timestamp, request, signature, context);
    if (typeof time === "object") return time;
    const candidates = messages(spec.message, { request, options: context.options, timestamp: time }, context.provider);
    if (!Array.isArray(candidates)) return candidates;
    const digests: Digest[] = [];
    for (let secret = 0; secret < context.secrets.length; secret++) {
      const key = secretKey(context.provider.secret, context.secrets[secret]!);
      if (key !== null) for (const parts of candidates) digests.push({ algorithm: spec.algorithm, key, parts, encoding: spec.signature.encoding, secret });
    }
    if (digests.length === 0) return fail("signature", `no ${context.provider.title} secret is valid ${describeSecret(context.provider.secret)}`);
    const check: Check = { digests, given: signature.values, mismatch: once(mismatches, spec, () => `${signatureCredential(spec.signature)} does not match the body`) };
    return [check];
  },

  async sign(spec, draft, context) {
    const timestamp = spec.timestamp && { list: spec.timestamp.list, text: timestampText(spec.timestamp, context.at) };
    if (spec.timestamp?.header !== undefined) draft.headers[spec.timestamp.header] = timestamp!.text;
    const candidates = messages(spec.message, { request: draft.view(), options: context.options, timestamp: timestamp?.text }, context.provider);
    if (!Array.isArray(candidates)) throw new TypeError(`sign ${context.provider.title} delivery: ${candidates.error.message}`);
    const key = secretKey(context.provider.secret, context.secret)!;
    const signature = await context.digest({ algorithm: spec.algorithm, key, parts: candidates[0]!, encoding: spec.signature.encoding });
    writeSignature(spec.signature, draft, signature, timestamp);
  },
};

/** Why a delivery is refused when no signature matches, worded once per declaration. */
const mismatches = new WeakMap<object, string>();

/** The options a message reads (`{ option: … }` parts, in `anyOf`s too). */
export function optionsIn(parts: HmacSpec["message"]): string[] {
  return parts.flatMap((part) => ("option" in part ? [part.option] : "anyOf" in part ? optionsIn(part.anyOf) : []));
}
