import { execFile } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { loadSchemas, type LoadedProvider, type ProviderManifest } from "../generator/load.js";
import type { PartSpec } from "../generator/runtime/core/provider.js";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

let loaded: Promise<LoadedProvider[]> | undefined;
/** The schemas in schemas/, read once per test file. */
export function providers(): Promise<LoadedProvider[]> {
  loaded ??= loadSchemas(path.join(root, "schemas"), root);
  return loaded;
}

/** An invalid-body case of test/fixtures/invalid/<provider>.json. */
export interface InvalidCase {
  readonly name: string;
  readonly example: string;
  readonly set?: Record<string, unknown>;
  readonly remove?: string[];
  readonly pointer: string;
  readonly keyword: string;
}

/** A deep copy of `value` with the case's `remove` and `set` pointers applied. */
export function mutate(value: unknown, { set = {}, remove = [] }: Pick<InvalidCase, "set" | "remove">): unknown {
  const copy = structuredClone(value);
  const parentOf = (pointer: string) => {
    const tokens = pointer.slice(1).split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
    const last = tokens.pop()!;
    let parent = copy as Record<string, unknown>;
    for (const token of tokens) parent = parent[token] as Record<string, unknown>;
    if (typeof parent !== "object" || parent === null) throw new Error(`no parent object at ${pointer}`);
    return { parent, last };
  };
  for (const pointer of remove) {
    const { parent, last } = parentOf(pointer);
    if (!(last in parent)) throw new Error(`nothing to remove at ${pointer}`);
    delete parent[last];
  }
  for (const [pointer, value] of Object.entries(set)) {
    const { parent, last } = parentOf(pointer);
    parent[last] = value;
  }
  return copy;
}

const execFileAsync = promisify(execFile);

/** Runs the generator's command line; resolves with its exit code and output, never rejects on exit codes. */
export async function runGenerator(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, ["generator/bin.mjs", ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout: string; stderr: string };
    return { code: failed.code ?? 1, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const loadedProviders = await providers();

/** A valid test secret for a provider, made to fit its declared rule (Daily's: base64 of at least 16 bytes). */
export function secretFor({ name, manifest }: LoadedProvider, purpose = "secret-for-tests"): string {
  const rule = manifest.secret;
  let bytes = Buffer.from(`${name}-${purpose}`);
  if (rule?.minBytes !== undefined && bytes.length < rule.minBytes) bytes = Buffer.concat([bytes, Buffer.alloc(rule.minBytes - bytes.length, "!")]);
  const text = rule?.encoding === "base64" ? bytes.toString("base64") : rule?.encoding === "hex" ? bytes.toString("hex") : bytes.toString("utf8");
  return `${rule?.prefix ?? ""}${text}`;
}

/** Another valid secret: deliveries signed with it are forged. */
export function otherSecretFor(provider: LoadedProvider): string {
  return secretFor(provider, "forger-secret");
}

/** Signing material shared by the runtime tests, one secret per provider, derived from its rule. */
export const secrets: Readonly<Record<string, string>> = Object.fromEntries(loadedProviders.map((provider) => [provider.name, secretFor(provider)]));

/** The value the tests give every `string` option a provider declares (BigBlueButton's checksum `callbackUrl`): its path is the triggers' default, `/`. */
export const callbackUrl = "https://example.com/";

/** What every test passes besides the secret: a value for each option a provider's mechanisms may need. */
/** Typed loosely on purpose: each provider has its own options type, and the tests pass these to all of them. */
export function optionsFor(provider: LoadedProvider): { secret: string } & Record<string, any> {
  const { name, manifest } = provider;
  const options: { secret: string } & Record<string, unknown> = { secret: secretFor(provider) };
  for (const [option, spec] of Object.entries(manifest.options ?? {})) {
    if (spec.sign) continue;
    if (spec.type === "string") options[option] = callbackUrl;
    else if (spec.type === "strings" && manifest.authentication.some((m) => m.mechanism === "jwt" && m.issuer?.option === option)) options[option] = `${name}-${option}`;
  }
  return options;
}

/** A provider by name (from schemas/) or loaded from elsewhere (the test-only providers of test/providers/). */
export type ProviderRef = string | LoadedProvider;

function manifestOf(provider: ProviderRef): ProviderManifest {
  if (typeof provider !== "string") return provider.manifest;
  const found = loadedProviders.find((p) => p.name === provider);
  if (!found) throw new Error(`no provider ${provider} in schemas/`);
  return found.manifest;
}

/**
 * Wraps a decoded event the way its provider puts it on the wire, read from its provider.json
 * by this file's own code (not the runtime's): declared JSON strings re-encoded, a form's fields.
 */
export function encodeBody(provider: ProviderRef, event: unknown, at = Date.now()): string {
  const { envelope } = manifestOf(provider);
  const wire = structuredClone(event) as Record<string, unknown>;
  for (const pointer of envelope.jsonStrings ?? []) {
    const key = pointer.slice(1);
    if (typeof wire[key] !== "string") wire[key] = JSON.stringify(wire[key]);
  }
  const json = JSON.stringify(envelope.events === "array-or-single" ? [wire] : wire);
  if (envelope.format === "json") return json;
  const form = new URLSearchParams();
  for (const field of envelope.form ?? []) {
    form.append(field.field, field.events ? json : field.sign && "time" in field.sign ? String(field.sign.time === "seconds" ? Math.floor(at / 1000) : at) : (field.sign as { default: string }).default);
  }
  return form.toString();
}

/**
 * Headers and URL that authenticate `body` for `provider`, computed with node:crypto by this
 * file's own reading of the provider's first mechanism (not the runtime's code): an independent
 * implementation of the declared formulas for the runtime to verify.
 */
export function sign(
  provider: string,
  body: string,
  { secret = secrets[provider]!, at = Date.now() }: { secret?: string | undefined; at?: number | undefined } = {},
): { url: string; headers: Record<string, string> } {
  const manifest = manifestOf(provider);
  const mechanism = manifest.authentication[0]!;
  const headers: Record<string, string> = {};
  if (mechanism.mechanism === "token") {
    headers[mechanism.header] = mechanism.scheme ? `${mechanism.scheme} ${secret}` : secret;
    return { url: "/", headers };
  }
  if (mechanism.mechanism === "jwt") throw new Error("sign() in test/support.ts does not make JWTs: use the provider SDK's own signer");
  const timestamp = mechanism.timestamp?.form !== undefined ? new URLSearchParams(body).get(mechanism.timestamp.form)! : String(mechanism.timestamp?.unit === "milliseconds" ? at : Math.floor(at / 1000));
  if (mechanism.timestamp?.header !== undefined) headers[mechanism.timestamp.header] = timestamp;
  const key = keyOf(manifest, secret);
  const part = (p: PartSpec): string => {
    if ("text" in p) return p.text;
    if ("header" in p) return headers[p.header]!;
    if ("option" in p) return callbackUrl;
    if ("anyOf" in p) return part(p.anyOf[0]!);
    if ("from" in p && p.from === "body") return body;
    if ("from" in p && p.from === "timestamp") return timestamp;
    if ("from" in p && p.from === "secret") return secret;
    throw new Error(`sign() in test/support.ts does not handle ${JSON.stringify(p)}`);
  };
  const message = mechanism.message.map(part).join("");
  const algorithm = typeof mechanism.algorithm === "string" ? mechanism.algorithm : mechanism.algorithm.byLength[0]!;
  const digest = (mechanism.mechanism === "hmac" ? createHmac(algorithm, key) : createHash(algorithm)).update(message).digest(mechanism.signature.encoding);
  const { signature } = mechanism;
  const value = signature.list
    ? `${mechanism.timestamp?.list !== undefined ? `${mechanism.timestamp.list}${signature.list.assign}${timestamp}${signature.list.separator}` : ""}${signature.list.scheme}${signature.list.assign}${digest}`
    : `${signature.prefix ?? ""}${digest}`;
  if (signature.header !== undefined) {
    headers[signature.header] = value;
    return { url: "/", headers };
  }
  return { url: `/?${signature.query}=${value}`, headers };
}

function keyOf(manifest: ProviderManifest, secret: string): Buffer {
  const rule = manifest.secret;
  const text = rule?.prefix !== undefined && secret.startsWith(rule.prefix) ? secret.slice(rule.prefix.length) : secret;
  return Buffer.from(text, rule?.encoding === "base64" ? "base64" : rule?.encoding === "hex" ? "hex" : "utf8");
}
