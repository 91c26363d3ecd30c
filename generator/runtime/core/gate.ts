import type { DeliveryError, DeliveryRequest } from "./delivery.js";
import { isThenable } from "./emitter.js";
import type { ProviderDeclaration } from "./provider.js";
import type { ReceivedRequest } from "./request.js";
import { credentialsPresent, digestsOf, planVerification, settleWithSecret, type Digest, type VerifyOptions } from "./signatures.js";

/** Computes digests for verification: Web Crypto by default; the Node entry passes the synchronous `node:crypto` one. */
export type DigestBackend = (digests: readonly Digest[]) => readonly string[] | Promise<readonly string[]>;

/** Why a request is answered before its body is verified (see the answers of the same names). */
export type Turned = "notFound" | "health" | "method" | "stopping" | "tooLarge";

/** Verified: the index of the secret that verified it, `undefined` when verification is off. */
export type Verdict = number | undefined | DeliveryError;

/**
 * What a request must pass before its events are read: its path, its method, the trigger's
 * state, its size, and its signature. Decides; answers nothing (the receiver does, from the
 * table of answers). Never throws.
 */
export class Gate {
  readonly #provider: ProviderDeclaration;
  readonly #verify: VerifyOptions | undefined;
  readonly #digests: DigestBackend;
  /** Bodies larger than this are refused. */
  readonly maxBodyBytes: number;

  /** `verify` undefined: verification is off (`insecureSkipVerification: true`). */
  constructor(provider: ProviderDeclaration, verify: VerifyOptions | undefined, digests: DigestBackend, maxBodyBytes: number) {
    this.#provider = provider;
    this.#verify = verify;
    this.#digests = digests;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * What the request line and the announced size say, before any body is read: why it is
   * answered at once, or `undefined` to read and verify it. The path is checked against
   * `expected` when the trigger has one (then the adapter passes the request's path).
   */
  head(method: string, path: string | undefined, expected: string | undefined, announcedBytes: number, stopping: boolean): Turned | undefined {
    if (expected !== undefined && path !== expected) return "notFound";
    if (method === "GET" || method === "HEAD") return stopping ? "stopping" : "health";
    if (method !== "POST") return "method";
    if (stopping) return "stopping";
    if (announcedBytes > this.maxBodyBytes) return "tooLarge";
    return undefined;
  }

  /** The size of a body already in memory, in bytes; a string's UTF-8 bytes are counted only when they could pass the limit. */
  sizeOf(body: unknown): number {
    if (body instanceof Uint8Array) return body.byteLength;
    if (typeof body !== "string") return 0;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: counting the bytes of every string (`false`), or of one exactly at the limit (`<`), gives the same verdict: 3 bytes per UTF-16 unit at most
    return body.length * 3 <= this.maxBodyBytes ? body.length : new TextEncoder().encode(body).byteLength;
  }

  /** Whether the request carries a credential that could authenticate it: enough to invite its body (`Expect: 100-continue`). */
  invites(request: DeliveryRequest): boolean {
    return this.#verify === undefined || credentialsPresent(this.#provider, request);
  }

  /** Verifies the request; synchronous when the digest backend is. */
  verify(request: ReceivedRequest): Verdict | Promise<Verdict> {
    if (this.#verify === undefined) return undefined;
    const plan = planVerification(this.#provider, request, this.#verify);
    if (!("checks" in plan)) return plan.ok ? 0 : plan.error;
    const settle = (computed: readonly string[]): Verdict => {
      const outcome = settleWithSecret(plan, computed);
      return outcome.ok ? (outcome.secret ?? 0) : outcome.error;
    };
    const computed = this.#digests(digestsOf(plan));
    return isThenable(computed) ? computed.then(settle) : settle(computed);
  }

  /** One digest, for a handshake's answer. */
  async digest(digest: Digest): Promise<string> {
    return (await this.#digests([digest]))[0]!;
  }
}
