import { credentials, fail, headerTitle, keysOf, once, secretList, type Check, type Mechanism, type VerifyResult } from "./mechanism.js";
import type { HashAlgorithm, JwtSpec } from "./provider.js";
import { secretKey } from "./secrets.js";
import { quote } from "./text.js";
import { withoutScheme } from "./token.js";

// Stryker disable next-line StringLiteral: static: evaluated when the module loads, before Stryker's runner activates a mutant; an algorithm's hash is checked by the HS384/HS512 vectors (test/mutation-kills-jwt.test.ts)
const hashes: Record<JwtSpec["algorithms"][number], HashAlgorithm> = { HS256: "sha256", HS384: "sha384", HS512: "sha512" };
// Stryker disable next-line StringLiteral,ObjectLiteral,BooleanLiteral: static: evaluated when the module loads, before Stryker's runner activates a mutant (a decoder of no encoding throws there; a decoder that is not fatal would read bytes that are not UTF-8, which test/mutation-kills-jwt.test.ts refuses)
const utf8 = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/**
 * A JSON Web Token signed with HMAC: only the declared algorithms (never `none`), the secret
 * chosen by the issuer claim, `nbf` / `exp` with a leeway (`exp` required), and a claim holding
 * a hash of the raw body, compared in constant time like the signature.
 */
export const jwt: Mechanism<JwtSpec> = {
  credential: (spec) => once(credentials, spec, () => `the ${headerTitle(spec.header)} header (a JWT)`),
  present: (spec, request) => request.header(spec.header) !== undefined,
  needs: (spec) => (spec.issuer ? [spec.issuer.option] : []),

  plan(spec, request, context) {
    const where = jwt.credential(spec);
    const value = request.header(spec.header);
    // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable: planVerification runs a mechanism only once present() found its header
    if (value === undefined) return fail("signature", `${where} is missing`);
    const token = (spec.scheme !== undefined ? withoutScheme(value, spec.scheme) : undefined) ?? value.trim();
    const parts = token.split(".");
    if (parts.length !== 3) return fail("signature", `${where} is not a JWT (three base64url parts)`);
    const header = decodePart(parts[0]!);
    const claims = decodePart(parts[1]!);
    if (!header || !claims) return fail("signature", `${where} is not a JWT: its header or claims are not base64url JSON objects`);
    const algorithm = header.alg;
    if (!(spec.algorithms as readonly unknown[]).includes(algorithm)) {
      return fail("signature", `${where} is signed with ${quote(algorithm)}; only ${spec.algorithms.join(", ")} are accepted`);
    }
    if (header.crit !== undefined) return fail("signature", `${where} has critical header parameters, which are not supported`);
    const times = checkTimes(claims, spec, context.toleranceSeconds, context.now);
    if (times) return times;

    let keys = keysOf(context);
    if (spec.issuer) {
      const issuer = claims[spec.issuer.claim];
      const names = secretList(context.options[spec.issuer.option]) ?? [];
      const index = names.indexOf(issuer as string); // the names are strings: any other value matches none
      if (index === -1) return fail("signature", `the token's ${spec.issuer.claim} claim ${quote(issuer)} is not a configured ${spec.issuer.option}`);
      keys = keys.filter(({ secret }) => secret === index);
    }
    if (keys.length === 0) return fail("signature", `no ${context.provider.title} secret is configured for this token`);
    const checks: Check[] = [{
      digests: keys.map(({ key, secret }) => ({ algorithm: hashes[algorithm as keyof typeof hashes], key, parts: [`${parts[0]}.${parts[1]}`], encoding: "base64url", secret })),
      given: [parts[2]!],
      mismatch: `the signature of ${where} does not match`,
    }];
    if (spec.bodyHash) {
      const claimed = claims[spec.bodyHash.claim];
      if (typeof claimed !== "string") return fail("signature", `the token has no ${spec.bodyHash.claim} claim (the hash of the body)`);
      const body = request.body;
      // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable: planVerification refuses a body that is not raw bytes first
      if (body === undefined) return fail("signature", "the body must be the raw bytes to be verified");
      checks.push({ digests: [{ algorithm: spec.bodyHash.algorithm, parts: [body], encoding: spec.bodyHash.encoding }], given: [claimed], mismatch: `the body does not match the token's ${spec.bodyHash.claim} claim` });
    }
    return checks;
  },

  async sign(spec, draft, context) {
    const algorithm = spec.algorithms[0]!;
    const seconds = Math.floor(context.at / 1000);
    const claims: Record<string, unknown> = {};
    if (spec.issuer) claims[spec.issuer.claim] = secretList(context.options[spec.issuer.option])![0];
    Object.assign(claims, { nbf: seconds, iat: seconds, exp: seconds + (spec.lifetimeSeconds ?? 300) });
    if (spec.bodyHash) claims[spec.bodyHash.claim] = await context.digest({ algorithm: spec.bodyHash.algorithm, parts: [draft.body], encoding: spec.bodyHash.encoding });
    const input = `${encodePart({ alg: algorithm, typ: "JWT" })}.${encodePart(claims)}`;
    const key = secretKey(context.provider.secret, context.secret)!;
    // Stryker disable next-line StringLiteral: computeDigest writes base64url for any encoding but hex and base64
    const signature = await context.digest({ algorithm: hashes[algorithm], key, parts: [input], encoding: "base64url" });
    draft.headers[spec.header] = spec.scheme === undefined ? `${input}.${signature}` : `${spec.scheme} ${input}.${signature}`;
  },
};

function checkTimes(claims: Record<string, unknown>, spec: JwtSpec, tolerance: number | undefined, now: () => number): VerifyResult | undefined {
  const leeway = tolerance ?? spec.leewaySeconds ?? 10;
  const current = now() / 1000; // planVerification's clock: a function that never throws
  if (!Number.isFinite(current) || !(leeway >= 0) || !Number.isFinite(leeway)) return fail("stale", "the token's times cannot be checked: `now()` or `toleranceSeconds` is not a finite number");
  const { exp, nbf } = claims;
  if (typeof exp !== "number") return fail("signature", "the token has no exp claim");
  if (nbf !== undefined && typeof nbf !== "number") return fail("signature", "the token's nbf claim is not a number");
  if (current > exp + leeway) return fail("stale", `the token expired ${Math.round(current - exp)} s ago`);
  // Number(undefined) is NaN, never more than now: a token without nbf is valid from the start.
  if (current < Number(nbf) - leeway) return fail("stale", `the token is valid only in ${Math.round(Number(nbf) - current)} s`);
  return undefined;
}

function decodePart(part: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return undefined;
  try {
    const binary = atob(part.replace(/-/g, "+").replace(/_/g, "/")); // padding is optional to atob (forgiving-base64)
    const value: unknown = JSON.parse(utf8.decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    // Stryker disable next-line ConditionalExpression: null, returned for undefined, is refused by the caller's `!claims` all the same
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    // not base64 of UTF-8 JSON
  }
  return undefined;
}

function encodePart(value: unknown): string {
  let binary = "";
  for (const byte of encoder.encode(JSON.stringify(value))) binary += String.fromCharCode(byte);
  // Stryker disable next-line Regex: base64 has = only at its end
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
