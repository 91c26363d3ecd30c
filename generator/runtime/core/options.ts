import { mechanismOf, primaryMechanisms, secretList, type DeclaredOptions, type VerifyOptions } from "./signatures.js";
import type { ProviderDeclaration } from "./provider.js";
import { describeSecret, secretKey } from "./secrets.js";

const hashes = ["sha1", "sha256", "sha384", "sha512"];

/**
 * Checks the verification options of a trigger once, at construction, with a `TypeError` that
 * names the option: a blank secret, a secret that breaks the provider's rule (Daily: base64 of at
 * least 16 bytes), a tolerance that is not a number or an option of the wrong type would
 * otherwise switch a protection off. Returns the secrets as a list.
 */
export function checkVerifyOptions(provider: ProviderDeclaration, options: Omit<VerifyOptions, "secret"> & { readonly secret?: unknown }, where: string): { readonly secret: readonly string[] } {
  const secrets = secretList(options.secret);
  if (!secrets) {
    throw new TypeError(`${where}: set \`secret\` (a non-empty string, or a list of them while rotating; not blank) to verify deliveries, or insecureSkipVerification: true for local experiments`);
  }
  for (const secret of secrets) {
    if (secretKey(provider.secret, secret) === null) {
      const about = provider.secret?.about ? `${provider.secret.about}, ` : "";
      throw new TypeError(`${where}: a ${provider.title} secret is ${about}${describeSecret(provider.secret)}; got one of ${secret.length} characters that is not`);
    }
  }
  const { toleranceSeconds, now } = options;
  if (toleranceSeconds !== undefined && !(typeof toleranceSeconds === "number" && Number.isFinite(toleranceSeconds) && toleranceSeconds >= 0)) {
    throw new TypeError(`${where}: toleranceSeconds must be a number of seconds ≥ 0, got ${String(toleranceSeconds)}`);
  }
  if (now !== undefined && typeof now !== "function") throw new TypeError(`${where}: now must be a function returning milliseconds`);
  const declared = options as unknown as DeclaredOptions;
  for (const [name, spec] of Object.entries(provider.options ?? {})) {
    const value = declared[name];
    if (value === undefined || spec.sign) continue;
    const ok = spec.type === "hash" ? hashes.includes(value as string) : spec.type === "strings" ? secretList(value) !== undefined : typeof value === "string" && value !== "";
    const expected = spec.type === "hash" ? `one of ${hashes.join(", ")}` : spec.type === "strings" ? "a non-blank string or a list of them" : "a non-empty string";
    if (!ok) throw new TypeError(`${where}: ${name} must be ${expected} (${spec.description}), got ${JSON.stringify(value) ?? String(value)}`);
  }
  // Names that pick the secret (a JWT's issuer) pair up with the secrets, in order.
  for (const spec of provider.authentication) {
    if (spec.mechanism !== "jwt" || !spec.issuer) continue;
    const names = secretList(declared[spec.issuer.option]);
    if (names && names.length !== secrets.length) throw new TypeError(`${where}: ${spec.issuer.option} lists ${names.length} name(s) for ${secrets.length} secret(s); give one per secret, in the same order`);
  }
  // An option every mechanism needs (LiveKit's apiKey) is required; one that only some need is not.
  const primary = primaryMechanisms(provider);
  for (const name of mechanismOf(primary[0]!).needs(primary[0]!)) {
    if (declared[name] === undefined && primary.every((spec) => mechanismOf(spec).needs(spec).includes(name))) {
      throw new TypeError(`${where}: set \`${name}\` (${provider.options?.[name]?.description ?? "required to verify deliveries"})`);
    }
  }
  return { secret: secrets };
}
