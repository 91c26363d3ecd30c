import type { Digest } from "./mechanism.js";
import type { AnswerValueSpec, HandshakeSpec, ProviderDeclaration } from "./provider.js";
import { pointerPath } from "./provider.js";
import { secretKey } from "./secrets.js";
import { readPath } from "./validation.js";

/** A handshake recognised in a delivery: what it is and the decoded body it was read from. */
export interface Handshake {
  readonly spec: HandshakeSpec;
  readonly document: unknown;
}

/**
 * The JSON a handshake is answered with, its values read from the request's body or computed
 * with the secret that verified it (Zoom's URL validation: the HMAC of a token it sent), or the
 * reason it cannot be answered. `undefined` when the handshake declares no answer of its own.
 */
export async function handshakeAnswer(
  provider: ProviderDeclaration,
  handshake: Handshake,
  secret: string | undefined,
  digest: (digest: Digest) => string | Promise<string>,
): Promise<Record<string, string> | { readonly error: string } | undefined> {
  const answer = handshake.spec.answer;
  if (!answer) return undefined;
  const json: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.json)) {
    const computed = await answerValue(provider, value, handshake.document, secret, digest);
    if (typeof computed !== "string") return computed;
    json[name] = computed;
  }
  return json;
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
