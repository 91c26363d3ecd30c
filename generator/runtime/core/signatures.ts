import type { DeliveryRequest } from "./delivery.js";
import { digest } from "./digest.js";
import { hmac } from "./hmac.js";
import { jwt } from "./jwt.js";
import {
  constantTimeEqual, fail, secretList, verified,
  type Mechanism, type VerificationPlan, type VerifyContext, type VerifyResult,
} from "./mechanism.js";
import type { MechanismSpec, ProviderDeclaration, TokenSpec } from "./provider.js";
import { ReceivedRequest, viewOf } from "./request.js";
import { checkToken, token } from "./token.js";

export type { HashAlgorithm } from "./provider.js";
export type { Digest, VerificationPlan, VerifyResult } from "./mechanism.js";
export { constantTimeEqual, secretList, verified } from "./mechanism.js";

export interface VerifyOptions {
  /**
   * The secret, or several while rotating (a delivery passes when it matches any). Each
   * provider's options type says which secret it is (`WherebyVerifyOptions`, …).
   */
  readonly secret: string | readonly string[];
  /** How far the signed timestamp may be from now, either way, in seconds. Default: the provider's (see its README section). */
  readonly toleranceSeconds?: number | undefined;
  /** The current time in milliseconds; for tests. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/** The options the runtime reads: those above and the ones a provider declares (BigBlueButton's `callbackUrl`, …). */
export type DeclaredOptions = Readonly<Record<string, unknown>>;

/** Every mechanism by the name provider.json uses: a declared mechanism without one is a compile error. */
const mechanisms: { readonly [Name in MechanismSpec["mechanism"]]: Mechanism<Extract<MechanismSpec, { mechanism: Name }>> } = { hmac, digest, token, jwt };

/** The implementation of a declared mechanism. */
export function mechanismOf<Spec extends MechanismSpec>(spec: Spec): Mechanism<Spec> {
  return mechanisms[spec.mechanism] as unknown as Mechanism<Spec>;
}

/**
 * Everything of a verification but the digests, the part that differs between `node:crypto`
 * (synchronous) and Web Crypto (asynchronous): a result already, or the comparisons to make.
 * `additional` mechanisms whose option is set must pass; among the others, the first whose
 * credential the request carries decides. Never throws on any request.
 */
export function planVerification(provider: ProviderDeclaration, request: DeliveryRequest | ReceivedRequest, options: VerifyOptions): VerifyResult | VerificationPlan {
  const secrets = secretList(options?.secret);
  if (!secrets) return fail("signature", `no ${provider.title} secret is configured`);
  const view = viewOf(request);
  if (view.body === undefined) return fail("signature", "the body must be the raw bytes to be verified");
  const declared = options as unknown as DeclaredOptions;
  const context: VerifyContext = {
    provider,
    secrets,
    options: declared,
    toleranceSeconds: typeof options.toleranceSeconds === "number" ? options.toleranceSeconds : undefined,
    now: typeof options.now === "function" ? guardedClock(options.now) : Date.now,
  };
  const primary = primaryMechanisms(provider);
  for (const spec of provider.authentication) {
    if (!isAdditional(spec) || declared[spec.option!] === undefined) continue;
    const result = checkToken(spec, view, context);
    if (!result.ok) return result;
  }
  let chosen: MechanismSpec | undefined;
  for (const spec of primary) {
    if (!mechanismOf(spec).present(spec, view)) continue;
    chosen = spec;
    break;
  }
  if (!chosen) return fail("signature", `${primary.map((spec) => mechanismOf(spec).credential(spec)).join(" or ")} is missing`);
  const result = mechanismOf(chosen).plan(chosen, view, context);
  return "ok" in result ? result : { checks: result };
}

const primaries = new WeakMap<ProviderDeclaration, readonly MechanismSpec[]>();

/** A clock that throws reads as NaN, which the replay window refuses as stale: never a throw out of verification. */
function guardedClock(now: () => number): () => number {
  return () => {
    try {
      return now();
    } catch {
      // the clock is broken
    }
    return Number.NaN;
  };
}

/** The mechanisms any one of which authenticates a delivery (not the `additional` ones). */
export function primaryMechanisms(provider: ProviderDeclaration): readonly MechanismSpec[] {
  let primary = primaries.get(provider);
  // Stryker disable next-line ConditionalExpression: a cache (computed again, the list is the same; never reading it only crashes)
  if (!primary) {
    primary = provider.authentication.filter((spec) => !isAdditional(spec));
    primaries.set(provider, primary);
  }
  return primary;
}

/**
 * Whether a mechanism is checked besides the one that authenticates, when its option is set:
 * only a static token can be (provider.schema.json), so its verdict needs no digest.
 */
function isAdditional(spec: MechanismSpec): spec is TokenSpec {
  return (spec as TokenSpec).additional === true;
}

/** Whether a request carries a credential of a mechanism that could authenticate it: enough to invite its body. */
export function credentialsPresent(provider: ProviderDeclaration, request: DeliveryRequest): boolean {
  const view = new ReceivedRequest(request);
  return primaryMechanisms(provider).some((spec) => mechanismOf(spec).present(spec, view));
}

/** The verdict once the plan's digests are computed, in the plan's order (checks, then digests). */
export function settle(plan: VerificationPlan, computed: readonly string[]): VerifyResult {
  let offset = 0;
  let refusal: string | undefined;
  for (const check of plan.checks) {
    let found = false;
    for (let index = 0; index < check.digests.length; index++) {
      for (const given of check.given) found = constantTimeEqual(given, computed[offset + index]!) || found;
    }
    offset += check.digests.length;
    if (!found) refusal ??= check.mismatch;
  }
  return refusal === undefined ? verified : fail("signature", refusal);
}

/** `settle`, also telling which secret the first check matched with (a handshake answers with that one). */
export function settleWithSecret(plan: VerificationPlan, computed: readonly string[]): { readonly ok: true; readonly secret: number | undefined } | (VerifyResult & { readonly ok: false }) {
  let offset = 0;
  let secret: number | undefined;
  let refusal: string | undefined;
  for (const check of plan.checks) {
    let found = false;
    for (let index = 0; index < check.digests.length; index++) {
      let equal = false;
      for (const given of check.given) equal = constantTimeEqual(given, computed[offset + index]!) || equal;
      if (equal && !found) secret ??= check.digests[index]!.secret;
      found = equal || found;
    }
    offset += check.digests.length;
    if (!found) refusal ??= check.mismatch;
  }
  return refusal === undefined ? { ok: true, secret } : fail("signature", refusal);
}

/** All the digests of a plan, in the order `settle` reads them. */
export function digestsOf(plan: VerificationPlan): readonly VerificationPlan["checks"][number]["digests"][number][] {
  // Stryker disable next-line ConditionalExpression: a shortcut for one check; flatMap gives the same list
  return plan.checks.length === 1 ? plan.checks[0]!.digests : plan.checks.flatMap((check) => check.digests);
}
