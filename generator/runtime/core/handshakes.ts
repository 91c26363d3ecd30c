import { decodeDelivery, type DeliveryError, type DeliveryRequest } from "./delivery.js";
import type { Digest } from "./mechanism.js";
import type { AnswerValueSpec, HandshakeSpec, ProviderDeclaration, ProviderDefinition } from "./provider.js";
import { pointerPath } from "./provider.js";
import { viewOf } from "./request.js";
import { answer as respond, type DeliveryResponse } from "./answers.js";
import { secretKey } from "./secrets.js";
import { digestsOf, planVerification, settleWithSecret, type VerifyOptions } from "./signatures.js";
import { readPath, type ValidationIssue } from "./validation.js";
import { computeDigest, computeDigests } from "./webcrypto.js";

/** A handshake recognised in a delivery: what it is and the decoded body it was read from. */
export interface Handshake {
  readonly spec: HandshakeSpec;
  readonly document: unknown;
}

/**
 * For a server of your own: when `request` is one of the provider's handshakes (Daily's creation
 * check, Zoom's URL validation), the response to send — the declared answer, computed with the
 * secret that verified it, or 401 when it is not authentic; `undefined` when it is not a
 * handshake (verify and parse it as a delivery). Never rejects.
 */
export async function answerHandshakeWith(provider: ProviderDefinition, request: DeliveryRequest, options: VerifyOptions): Promise<DeliveryResponse | undefined> {
  const received = viewOf(request);
  const decoded = decodeDelivery(provider, received);
  if (!decoded.ok || !decoded.handshake) return undefined;
  const plan = planVerification(provider, received, options);
  let secret = 0;
  if ("checks" in plan) {
    const outcome = settleWithSecret(plan, await computeDigests(digestsOf(plan)).catch(() => []));
    if (!outcome.ok) return refusal(401, outcome.error);
    secret = outcome.secret ?? 0;
  } else if (!plan.ok) return refusal(401, plan.error);
  const answer = await handshakeAnswer(provider, decoded.handshake, (options.secret === undefined ? [] : [options.secret].flat())[secret], computeDigest);
  return "error" in answer ? refusal(400, answer.error) : answer;
}

/**
 * The response to a verified handshake: 200 with the JSON it declares, its values read from the
 * request's body or computed with the secret that verified it, or, without a declared answer,
 * the answer to a delivery of no events; or the reason it cannot be answered.
 */
export async function handshakeAnswer(
  provider: ProviderDeclaration,
  handshake: Handshake,
  secret: string | undefined,
  digest: (digest: Digest) => string | Promise<string>,
): Promise<DeliveryResponse | { readonly error: DeliveryError }> {
  const answer = handshake.spec.answer;
  if (!answer) return respond("delivered", { events: 0, unknown: 0, invalid: 0, duplicates: 0 });
  const json: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.json)) {
    const computed = await answerValue(provider, value, handshake.document, secret, digest);
    if (typeof computed !== "string") return { error: { code: "malformed", message: `${provider.title} ${handshake.spec.name}: ${computed.error}` } };
    json[name] = computed;
  }
  return respond("handshake", json);
}

async function answerValue(
  provider: ProviderDeclaration,
  value: AnswerValueSpec,
  document: unknown,
  secret: string | undefined,
  digest: (digest: Digest) => string | Promise<string>,
): Promise<string | { readonly error: string }> {
  if ("text" in value) return value.text;
  if ("pointer" in value) return read(document, value.pointer);
  if (secret === undefined) return { error: "no secret is configured to answer it with" };
  const key = secretKey(provider.secret, secret);
  if (key === null) return { error: "the secret breaks the provider's rule" };
  const parts: string[] = [];
  for (const part of value.hmac.message) {
    const text = "text" in part ? part.text : read(document, part.pointer);
    if (typeof text !== "string") return text;
    parts.push(text);
  }
  return digest({ algorithm: value.hmac.algorithm, key, parts, encoding: value.hmac.encoding });
}

function read(document: unknown, pointer: string): string | { readonly error: string } {
  const value = readPath(document, pointerPath(pointer));
  return typeof value === "string" ? value : { error: `${pointer} must be a string` };
}

function refusal(status: 401 | 400, error: DeliveryError): DeliveryResponse {
  return respond(status === 401 ? "unauthenticated" : "badRequest", error);
}

/**
 * For a server of your own: the response that carries `answer` to an event asked for one
 * (8x8's SETTINGS_PROVISIONING), once it matches the answer's schema; otherwise the issues, and
 * nothing to send. Never throws.
 */
export function answerWith(provider: ProviderDefinition, type: string, answer: unknown): { readonly ok: true; readonly response: DeliveryResponse } | { readonly ok: false; readonly issues: readonly ValidationIssue[] } {
  const validate = provider.answerValidators && Object.hasOwn(provider.answerValidators, type) ? provider.answerValidators[type]! : undefined;
  if (!validate) return { ok: false, issues: [{ pointer: "", keyword: "answer", message: `${provider.title} ${JSON.stringify(type)} is not an event whose answer carries data` }] };
  const checked = validate(answer);
  return checked.ok ? { ok: true, response: respond("answered", answer as object) } : checked;
}
