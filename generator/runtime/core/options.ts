import { mechanismOf, primaryMechanisms, secretList, type DeclaredOptions, type VerifyOptions } from "./signatures.js";
import type { OptionSpec, ProviderDeclaration } from "./provider.js";
import { describeSecret, secretKey } from "./secrets.js";
import type { TriggerSettings } from "./trigger.js";

const hashes = ["sha1", "sha256", "sha384", "sha512"];

/** A trigger's options once checked: its secrets as a list (none when verification is off). */
export type CheckedTriggerOptions = TriggerSettings<unknown, unknown> & Omit<VerifyOptions, "secret"> & {
  readonly secret?: readonly string[] | undefined;
};

/** Every option of a trigger checked at construction: nothing invalid may silently switch a protection off. */
export function checkTriggerOptions(provider: ProviderDeclaration & { readonly name: string }, options: TriggerSettings<unknown, unknown>): CheckedTriggerOptions {
  const where = provider.typePrefix === undefined ? `createTrigger(${provider.name})` : `create${provider.typePrefix}Trigger`;
  if (typeof options !== "object" || options === null) throw new TypeError(`${where}: options must be an object`);
  const { responseTimeoutMs, maxBodyBytes, invalid, insecureSkipVerification, queue } = options;
  if (insecureSkipVerification !== undefined && typeof insecureSkipVerification !== "boolean") {
    throw new TypeError(`${where}: insecureSkipVerification must be true (to accept unsigned deliveries) or false, got ${describe(insecureSkipVerification)}`);
  }
  if (responseTimeoutMs !== undefined && responseTimeoutMs !== false && !(Number.isFinite(responseTimeoutMs) && responseTimeoutMs >= 1 && responseTimeoutMs < 2 ** 31)) {
    throw new TypeError(`${where}: responseTimeoutMs must be false or milliseconds from 1 to 2³¹ − 1, got ${String(responseTimeoutMs)}`);
  }
  if (maxBodyBytes !== undefined && !(Number.isSafeInteger(maxBodyBytes) && maxBodyBytes > 0)) {
    throw new TypeError(`${where}: maxBodyBytes must be a positive integer, got ${String(maxBodyBytes)}`);
  }
  checkDedupe(options, where);
  if (invalid !== undefined && invalid !== "acknowledge" && invalid !== "reject") throw new TypeError(`${where}: invalid must be "acknowledge" or "reject", got ${JSON.stringify(invalid)}`);
  for (const hook of ["onUnknown", "onInvalid", "onError"] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== "function") throw new TypeError(`${where}: ${hook} must be a function`);
  }
  if (queue !== undefined) {
    if (typeof (queue as { send?: unknown } | null)?.send !== "function") throw new TypeError(`${where}: queue must be an object with send(message), e.g. createBullMQQueue(queue) or createCloudflareQueue(binding)`);
    // With a queue, matchers run in the consumers: a matcher given here would silently never run.
    const answerers = Object.keys(provider.answers ?? {});
    const matchers = Object.keys(options.webhookTriggers ?? {}).filter((type) => !answerers.includes(type) && (options.webhookTriggers as Record<string, unknown>)[type] !== undefined);
    if (matchers.length > 0) {
      throw new TypeError(`${where}: with queue, matchers run in the consumers (create${provider.typePrefix ?? ""}Consumer), not here; move ${matchers.map((type) => JSON.stringify(type)).join(", ")} there${answerers.length > 0 ? ` (only the answerers of ${answerers.map((type) => JSON.stringify(type)).join(", ")} stay in the trigger)` : ""}`);
    }
  }
  const verify = options as Omit<VerifyOptions, "secret"> & { readonly secret?: unknown };
  if (insecureSkipVerification === true && verify.secret === undefined) return options as CheckedTriggerOptions;
  checkOptions(provider, verify, where, true);
  const secrets = checkSecrets(provider, verify.secret, where);
  // Names that pick the secret (a JWT's issuer, LiveKit's apiKey) pair up with the secrets, in order.
  for (const spec of provider.authentication) {
    if (spec.mechanism !== "jwt" || !spec.issuer) continue;
    const names = secretList((options as unknown as DeclaredOptions)[spec.issuer.option]);
    if (names && names.length !== secrets.length) throw new TypeError(`${where}: ${spec.issuer.option} lists ${names.length} name(s) for ${secrets.length} secret(s); give one per secret, in the same order`);
  }
  return { ...options, secret: secrets };
}

/** `dedupe` and `dedupeTtlMs`, as a trigger and a consumer take them. */
export function checkDedupe({ dedupe, dedupeTtlMs }: { readonly dedupe?: unknown; readonly dedupeTtlMs?: unknown }, where: string): void {
  if (dedupe !== undefined && dedupe !== false) {
    const store = dedupe as Record<string, unknown> | null;
    const optional = ["complete", "state"].filter((name) => store?.[name] !== undefined);
    if (typeof store?.claim !== "function" || typeof store.release !== "function" || (optional.length > 0 && !(typeof store.complete === "function" && typeof store.state === "function"))) {
      throw new TypeError(`${where}: dedupe must be false or a store with claim(key, ttlMs) and release(key), and optionally both complete(key, ttlMs) and state(key)`);
    }
  }
  if (dedupeTtlMs !== undefined && !(typeof dedupeTtlMs === "number" && Number.isFinite(dedupeTtlMs) && dedupeTtlMs > 0)) throw new TypeError(`${where}: dedupeTtlMs must be a positive number, got ${String(dedupeTtlMs)}`);
}

/**
 * The options of `verifyDelivery` and `verifyDeliveryAsync`, checked on every call with the
 * trigger's checks and `TypeError`s: an option of the wrong type (a `toleranceSeconds` that is
 * not a number, an `algorithm` that is not one of the hashes, a `callbackUrl` that is not a
 * string, no secret) throws, or rejects, alike in both. A value of the right type that cannot
 * be used fails closed instead, as the signature vectors expect: a blank secret, one that breaks
 * the provider's rule (Daily: base64 of at least 16 bytes) or an empty string option refuses the
 * delivery with `signature`; a `toleranceSeconds` that is not finite and ≥ 0, or a clock that
 * throws, with `stale`. Nothing is ever accepted that the trigger would refuse to start with.
 */
export function checkFunctionOptions(provider: ProviderDeclaration & { readonly name?: string }, options: unknown, where: string): asserts options is VerifyOptions {
  if (typeof options !== "object" || options === null) throw new TypeError(`${where}(${provider.name ?? provider.title}): options must be an object`);
  // Callers mostly pass the same options object every time: checked once for its provider. Were it
  // changed to wrong types afterwards, verification would still fail closed.
  if (checkedFor.get(options) === provider) return;
  checkOptions(provider, options as Omit<VerifyOptions, "secret"> & { readonly secret?: unknown }, where, false);
  checkedFor.set(options, provider);
}

/** Options objects of the functions already checked, with the provider they were checked for. */
const checkedFor = new WeakMap<object, ProviderDeclaration>();

/**
 * The verification options, shared by the trigger and the functions: their types always, and
 * with `ranges` (the trigger) the values too. `where` is worded only when something is wrong:
 * the functions check on every call.
 */
function checkOptions(provider: ProviderDeclaration & { readonly name?: string }, options: Omit<VerifyOptions, "secret"> & { readonly secret?: unknown }, caller: string, ranges: boolean): void {
  const { secret, toleranceSeconds, now } = options;
  const strings = typeof secret === "string" || (Array.isArray(secret) && secret.length > 0 && secret.every((item) => typeof item === "string"));
  if (!strings) throw new TypeError(`${label(provider, caller, ranges)}: ${secretRule}`);
  if (toleranceSeconds !== undefined && !(typeof toleranceSeconds === "number" && (!ranges || (Number.isFinite(toleranceSeconds) && toleranceSeconds >= 0)))) {
    throw new TypeError(`${label(provider, caller, ranges)}: toleranceSeconds must be a number of seconds ≥ 0, got ${describe(toleranceSeconds)}`);
  }
  if (now !== undefined && typeof now !== "function") throw new TypeError(`${label(provider, caller, ranges)}: now must be a function returning milliseconds`);
  const declared = options as unknown as DeclaredOptions;
  const { checked, required } = optionsOf(provider);
  for (const [name, spec] of checked) {
    const value = declared[name];
    if (value === undefined) continue;
    const ok = spec.type === "hash"
      ? hashes.includes(value as string)
      : spec.type === "strings"
        ? ranges ? secretList(value) !== undefined : typeof value === "string" || (Array.isArray(value) && value.every((item) => typeof item === "string"))
        : typeof value === "string" && (!ranges || value !== "");
    if (ok) continue;
    const expected = spec.type === "hash" ? `one of ${hashes.join(", ")}` : spec.type === "strings" ? "a non-blank string or a list of them" : "a non-empty string";
    throw new TypeError(`${label(provider, caller, ranges)}: ${name} must be ${expected} (${spec.description}), got ${describe(value)}`);
  }
  for (const name of required) {
    if (declared[name] === undefined) throw new TypeError(`${label(provider, caller, ranges)}: set \`${name}\` (${provider.options?.[name]?.description ?? "required to verify deliveries"})`);
  }
}

/** A provider's declared options to check (those for signing only are not), and those every mechanism needs; computed once per provider. */
function optionsOf(provider: ProviderDeclaration): { readonly checked: readonly [string, OptionSpec][]; readonly required: readonly string[] } {
  let found = declaredOptions.get(provider);
  if (!found) {
    // An option every mechanism needs (LiveKit's apiKey) is required; one that only some need is not.
    const primary = primaryMechanisms(provider);
    found = {
      checked: Object.entries(provider.options ?? {}).filter(([, spec]) => !spec.sign),
      required: mechanismOf(primary[0]!).needs(primary[0]!).filter((name) => primary.every((spec) => mechanismOf(spec).needs(spec).includes(name))),
    };
    declaredOptions.set(provider, found);
  }
  return found;
}

const declaredOptions = new WeakMap<ProviderDeclaration, ReturnType<typeof optionsOf>>();

const secretRule = "`secret` must be a non-empty string, or a list of them while rotating (not blank), to verify deliveries; a trigger may set insecureSkipVerification: true instead, for local experiments";

/** The trigger's secrets: none blank, each following the provider's rule. */
function checkSecrets(provider: ProviderDeclaration, secret: unknown, where: string): readonly string[] {
  const secrets = secretList(secret);
  if (!secrets) throw new TypeError(`${where}: ${secretRule}`);
  for (const item of secrets) {
    if (secretKey(provider.secret, item) === null) {
      const about = provider.secret?.about ? `${provider.secret.about}, ` : "";
      throw new TypeError(`${where}: a ${provider.title} secret is ${about}${describeSecret(provider.secret)}; got one of ${item.length} characters that is not`);
    }
  }
  return secrets;
}

/** Who checks, for a message: the trigger names itself (`createWherebyTrigger`), a function its provider too (`verifyDelivery(whereby)`). */
function label(provider: ProviderDeclaration & { readonly name?: string }, caller: string, trigger: boolean): string {
  return trigger ? caller : `${caller}(${provider.name ?? provider.title})`;
}

function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
