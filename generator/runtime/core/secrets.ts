import type { SecretSpec } from "./provider.js";

/** Decoded keys by rule and secret: configuration, so few; bounded all the same. */
const decoded = new Map<string, string | Uint8Array | null>();

/**
 * The key a secret stands for under the provider's rule: its text (UTF-8, the default), or the
 * bytes it encodes once a declared prefix such as `whsec_` is removed; `null` when it breaks
 * the rule (not strict base64 or hex, fewer bytes than `minBytes`).
 */
export function secretKey(spec: SecretSpec | undefined, secret: string): string | Uint8Array | null {
  if (!spec) return secret;
  // Stryker disable next-line ConditionalExpression,StringLiteral: a shortcut: read by the rule below, such a secret keys with its own text too
  if (spec.encoding === "utf8" && spec.prefix === undefined && spec.minBytes === undefined) return secret;
  const id = JSON.stringify([spec.encoding, spec.prefix, spec.minBytes, secret]);
  let key = decoded.get(id);
  // Stryker disable next-line ConditionalExpression: a cache (decoded again, the key is the same; never decoded, the mutant only crashes)
  if (key === undefined) {
    const text = spec.prefix !== undefined && secret.startsWith(spec.prefix) ? secret.slice(spec.prefix.length) : secret;
    const bytes = spec.encoding === "base64" ? decodeBase64(text) : spec.encoding === "hex" ? decodeHex(text) : new TextEncoder().encode(text);
    // Stryker disable next-line ConditionalExpression,StringLiteral: text or its UTF-8 bytes, the same HMAC key (node:crypto caches the keys it makes from text)
    const usable = spec.encoding === "utf8" ? text : bytes;
    key = bytes !== null && bytes.length >= (spec.minBytes ?? 1) ? usable : null;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a bound on memory, not on behaviour
    if (decoded.size >= 64) decoded.clear();
    decoded.set(id, key);
  }
  return key;
}

/** What a valid secret looks like, for messages: `base64 of at least 16 bytes`. */
export function describeSecret(spec: SecretSpec | undefined): string {
  if (!spec || (spec.encoding === "utf8" && spec.minBytes === undefined && spec.prefix === undefined)) return "a non-blank string";
  const encoding = spec.encoding === "utf8" ? "text" : spec.encoding;
  const size = spec.minBytes !== undefined ? ` of at least ${spec.minBytes} bytes` : "";
  const prefix = spec.prefix !== undefined ? `, after an optional ${spec.prefix} prefix` : "";
  return `${encoding}${size}${prefix}`;
}

export function decodeBase64(text: string): Uint8Array | null {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return null;
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}

function decodeHex(text: string): Uint8Array | null {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) return null;
  return new Uint8Array(text.length / 2).map((_, i) => parseInt(text.slice(2 * i, 2 * i + 2), 16));
}
