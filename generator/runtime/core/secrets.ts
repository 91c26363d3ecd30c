import type { SecretSpec } from "./provider.js";

/** Decoded keys by rule and secret: configuration, so few; bounded all the same. */
const decoded = new Map<string, string | Uint8Array | null>();

/**
 * The key a secret stands for under the provider's rule: its text (UTF-8, the default), or the
 * bytes it encodes once a declared prefix such as `whsec_` is removed; `null` when it breaks
 * the rule (not strict base64 or hex, fewer bytes than `minBytes`).
 */
export function secretKey(spec: SecretSpec | undefined, secret: string): string | Uint8Array | null {
  if (!spec || (spec.encoding === "utf8" && spec.prefix === undefined && spec.minBytes === undefined)) return secret;
  const id = `${spec.encoding}:${spec.prefix ?? ""}:${spec.minBytes ?? 0}:${secret}`;
  let key = decoded.get(id);
  if (key === undefined) {
    const text = spec.prefix !== undefined && secret.startsWith(spec.prefix) ? secret.slice(spec.prefix.length) : secret;
    const bytes = spec.encoding === "base64" ? decodeBase64(text) : spec.encoding === "hex" ? decodeHex(text) : new TextEncoder().encode(text);
    key = bytes && bytes.length >= (spec.minBytes ?? 1) ? (spec.encoding === "utf8" ? text : bytes) : null;
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
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function decodeHex(text: string): Uint8Array | null {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) return null;
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
