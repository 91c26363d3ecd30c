import type { ProviderDefinition } from "./delivery.js";
import { dailyKey, secretList, type VerifyOptions } from "./signatures.js";

const algorithms = ["sha1", "sha256", "sha384", "sha512"];

/**
 * Checks the verification options of a trigger once, at construction, with a `TypeError` that
 * names the option: a blank secret, a Daily secret that decodes to too few bytes or a tolerance
 * that is not a number would otherwise switch a protection off. Returns the secrets as a list.
 */
export function checkVerifyOptions(provider: Pick<ProviderDefinition, "signature">, options: Omit<VerifyOptions, "secret"> & { readonly secret?: unknown }, where: string): { readonly secret: readonly string[] } {
  const secrets = secretList(options.secret);
  if (!secrets) {
    throw new TypeError(`${where}: set \`secret\` (a non-empty string, or a list of them while rotating; not blank) to verify deliveries, or insecureSkipVerification: true for local experiments`);
  }
  if (provider.signature === "daily-hmac") {
    for (const secret of secrets) {
      if (!dailyKey(secret)) throw new TypeError(`${where}: a Daily secret is the webhook's base64 \`hmac\` and must decode to at least 16 bytes; got one of ${secret.length} characters that does not`);
    }
  }
  const { toleranceSeconds, now, algorithm, callbackUrl, basicAuth } = options;
  if (toleranceSeconds !== undefined && !(Number.isFinite(toleranceSeconds) && toleranceSeconds >= 0)) {
    throw new TypeError(`${where}: toleranceSeconds must be a number of seconds ≥ 0, got ${String(toleranceSeconds)}`);
  }
  if (now !== undefined && typeof now !== "function") throw new TypeError(`${where}: now must be a function returning milliseconds`);
  if (algorithm !== undefined && !algorithms.includes(algorithm)) throw new TypeError(`${where}: algorithm must be one of ${algorithms.join(", ")}, got ${JSON.stringify(algorithm)}`);
  if (callbackUrl !== undefined && (typeof callbackUrl !== "string" || callbackUrl === "")) throw new TypeError(`${where}: callbackUrl must be the URL registered with hooks/create`);
  if (basicAuth !== undefined && !secretList(basicAuth)) throw new TypeError(`${where}: basicAuth must be a non-blank string or a list of them`);
  return { secret: secrets };
}
