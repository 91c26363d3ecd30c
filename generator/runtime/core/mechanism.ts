import type { DeliveryError } from "./delivery.js";
import type { DigestEncoding, FormJsonSpec, HashAlgorithm, PartSpec, ProviderDeclaration, SignatureSpec, TimestampSpec } from "./provider.js";
import type { ReceivedRequest } from "./request.js";
import { secretKey } from "./secrets.js";

export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly error: DeliveryError };

/** One digest to compute: an HMAC when `key` is set, else a plain hash of `parts`. */
export interface Digest {
  readonly algorithm: HashAlgorithm;
  readonly key?: string | Uint8Array | undefined;
  readonly parts: readonly (string | Uint8Array)[];
  readonly encoding: DigestEncoding;
  /** Which of the configured secrets it was computed with. */
  readonly secret?: number | undefined;
}

/** One comparison of a verification: it passes when any computed digest equals any given value. */
export interface Check {
  readonly digests: readonly Digest[];
  readonly given: readonly string[];
  /** Why the delivery is refused when none matches. */
  readonly mismatch: string;
}

/** What is left once the headers are read: every check must pass. */
export interface VerificationPlan {
  readonly checks: readonly Check[];
}

/** What a mechanism reads besides the request. */
export interface VerifyContext {
  readonly provider: ProviderDeclaration;
  /** The configured secrets, checked non-blank. */
  readonly secrets: readonly string[];
  readonly options: Readonly<Record<string, unknown>>;
  /** `options.toleranceSeconds`, when set. */
  readonly toleranceSeconds: number | undefined;
  readonly now: () => number;
}

/** A request being signed: mechanisms add headers or a query parameter. */
export interface Draft {
  readonly headers: Record<string, string>;
  url: string;
  readonly body: string;
  /** The request as a receiver would read it, for message parts. */
  readonly view: () => ReceivedRequest;
}

export interface SignContext {
  readonly provider: ProviderDeclaration;
  readonly secret: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** When the delivery is sent, in milliseconds. */
  readonly at: number;
  readonly digest: (digest: Digest) => Promise<string>;
}

/** How one kind of check reads, verifies and signs, from its declaration in provider.json. */
export interface Mechanism<Spec> {
  /** Where the credential travels, for messages: `the Whereby-Signature header`. */
  credential(spec: Spec): string;
  /** Whether the request carries the credential: enough to invite its body. */
  present(spec: Spec, request: ReceivedRequest): boolean;
  /** Options without which this mechanism cannot sign (BigBlueButton's `callbackUrl`). */
  needs(spec: Spec): readonly string[];
  /** A verdict, or the comparisons left to make. Never throws. */
  plan(spec: Spec, request: ReceivedRequest, context: VerifyContext): VerifyResult | readonly Check[];
  /** Adds the credential to a request being signed. */
  sign(spec: Spec, draft: Draft, context: SignContext): Promise<void>;
}

export const verified: VerifyResult = { ok: true };

/** A verification's refusal. */
export type Refusal = Extract<VerifyResult, { readonly ok: false }>;

export function fail(code: "signature" | "stale", message: string): Refusal {
  return { ok: false, error: { code, message } };
}

/** `x-webhook-signature` → `X-Webhook-Signature`, as people write header names. */
export function headerTitle(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

export function signatureCredential(spec: SignatureSpec): string {
  return once(credentials, spec, () => (spec.header !== undefined ? `the ${headerTitle(spec.header)} header` : `the ${spec.query} query parameter`));
}

/** Where each declared credential travels, worded for messages (`the Whereby-Signature header`). */
export const credentials = new WeakMap<object, string>();

/** A text derived from a declaration, computed once into `texts`: declarations are constants, and verification is a hot path. */
export function once(texts: WeakMap<object, string>, spec: object, make: () => string): string {
  let text = texts.get(spec);
  // Stryker disable next-line ConditionalExpression: a cache (made again, the text is the same; never made, the mutant only crashes)
  if (text === undefined) texts.set(spec, (text = make()));
  return text;
}

export function signaturePresent(spec: SignatureSpec, request: ReceivedRequest): boolean {
  return spec.header !== undefined ? request.header(spec.header) !== undefined : request.query(spec.query!) !== null;
}

/** The signatures a request gives, with the entries of a `t=…,v1=…` list. */
export interface GivenSignature {
  readonly values: readonly string[];
  /** The first value of the list entry named by `listKey` (a `t=` timestamp), when asked for. */
  readonly listed: string | undefined;
}

/**
 * Reads the signatures as the declaration's grammar says; entries of other schemes are ignored.
 * `listKey` names a list entry to return beside them (the timestamp of `t=…,v1=…`).
 */
export function readSignature(spec: SignatureSpec, request: ReceivedRequest, listKey?: string): GivenSignature | VerifyResult {
  const raw = spec.header !== undefined ? request.header(spec.header) : (request.query(spec.query!) ?? undefined);
  // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable: planVerification reads a signature only once present() found it
  if (raw === undefined) return fail("signature", `${signatureCredential(spec)} is missing`);
  const hex = spec.encoding === "hex";
  const values: string[] = [];
  let listed: string | undefined;
  if (spec.list) {
    const { separator, assign, scheme } = spec.list;
    // Stryker disable next-line ConditionalExpression: a shortcut for the usual shape; the loop below reads it the same
    const usual = listKey === undefined ? null : usualList(spec.list, listKey).exec(raw);
    // Stryker disable next-line ConditionalExpression: the same shortcut
    if (usual) return { values: [hex ? usual[2]!.toLowerCase() : usual[2]!], listed: usual[1] };
    for (const item of raw.split(separator)) {
      const at = item.indexOf(assign);
      if (at === -1) continue;
      const name = item.slice(0, at).trim();
      if (name === scheme) {
        const value = item.slice(at + assign.length).trim();
        values.push(hex ? value.toLowerCase() : value);
      } else if (name === listKey && listed === undefined) listed = item.slice(at + assign.length).trim();
    }
    if (values.length === 0) return fail("signature", `${signatureCredential(spec)} holds no ${scheme} signature`);
  } else if (spec.prefix !== undefined) {
    if (!raw.startsWith(spec.prefix)) return fail("signature", `${signatureCredential(spec)} must start with ${spec.prefix}`);
    values.push(hex ? raw.slice(spec.prefix.length).toLowerCase() : raw.slice(spec.prefix.length));
  } else values.push(hex ? raw.toLowerCase() : raw);
  return { values, listed };
}

const usualLists = new WeakMap<object, RegExp>();

/** `t=<digits>,v1=<signature>`, the shape nearly every delivery has, in one regular expression. */
function usualList(list: NonNullable<SignatureSpec["list"]>, listKey: string): RegExp {
  let pattern = usualLists.get(list);
  // Stryker disable next-line ConditionalExpression: a cache (made again, the pattern is the same; never made, the mutant only crashes)
  if (!pattern) {
    // Stryker disable next-line ArrowFunction,Regex: a pattern that escapes nothing or everything matches no header, and the loop reads it instead
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const { separator, assign, scheme } = list;
    pattern = new RegExp(`^${escape(listKey)}${escape(assign)}(\\d+)${escape(separator)}${escape(scheme)}${escape(assign)}([^${escape(separator)}\\s]+)$`);
    usualLists.set(list, pattern);
  }
  return pattern;
}

/** Writes a signature where and as the declaration says. */
export function writeSignature(spec: SignatureSpec, draft: Draft, signature: string, timestamp?: { readonly list?: string | undefined; readonly text: string }): void {
  let value = signature;
  if (spec.list) {
    const { separator, assign, scheme } = spec.list;
    value = `${scheme}${assign}${signature}`;
    if (timestamp?.list !== undefined) value = `${timestamp.list}${assign}${timestamp.text}${separator}${value}`;
  } else if (spec.prefix !== undefined) value = spec.prefix + signature;
  if (spec.header !== undefined) draft.headers[spec.header] = value;
  else draft.url += `${draft.url.includes("?") ? "&" : "?"}${spec.query}=${encodeURIComponent(value)}`;
}

/**
 * Reads the signed time from where the declaration says and checks it against the replay
 * window: the time as sent, `undefined` when an optional one is absent, or the refusal.
 */
export function readTimestamp(spec: TimestampSpec, request: ReceivedRequest, signature: GivenSignature, context: VerifyContext): string | undefined | VerifyResult {
  let text: string | undefined;
  let where: string;
  if (spec.header !== undefined) {
    text = request.header(spec.header);
    where = `the ${headerTitle(spec.header)} header`;
  } else if (spec.list !== undefined) {
    text = signature.listed;
    where = `the signature's ${spec.list}= entry`;
  } else {
    const form = request.form();
    if (!(form instanceof Map)) return fail("signature", (form as DeliveryError).message);
    text = form.get(spec.form!);
    where = `the ${spec.form} form field`;
  }
  if (text === undefined) return spec.optional ? undefined : fail("signature", `${where} is missing`);
  if (!/^\d+(\.\d+)?$/.test(text)) return fail("signature", `${where} is not a Unix time`);
  const value = Number(text);
  const ms = spec.unit === "milliseconds" || (spec.unit === "seconds-or-milliseconds" && value >= 1e11) ? value : value * 1000;
  return checkWindow(ms, context, spec.toleranceSeconds) ?? text;
}

/** The signing time written as the declaration's unit says. */
export function timestampText(spec: TimestampSpec, at: number): string {
  return String(spec.unit === "milliseconds" ? Math.floor(at) : Math.floor(at / 1000));
}

function checkWindow(signedAtMs: number, { toleranceSeconds, now }: VerifyContext, defaultSeconds: number): VerifyResult | undefined {
  const tolerance = toleranceSeconds ?? defaultSeconds;
  const current = now(); // planVerification's clock: a function that never throws
  // Fail closed: a broken clock or tolerance must not switch the window off.
  if (!Number.isFinite(current) || !(tolerance >= 0) || !Number.isFinite(tolerance)) return fail("stale", "the replay window cannot be checked: `now()` or `toleranceSeconds` is not a finite number");
  const skew = Math.abs(current - signedAtMs);
  return skew > tolerance * 1000
    ? fail("stale", `the signed timestamp is ${Math.round(skew / 1000)} s away from now, more than the ${tolerance} s allowed`)
    : undefined;
}

/** What a message part can read: the request (or the draft being signed), the options, the time. */
export interface PartSource {
  readonly request: ReceivedRequest;
  readonly options: Readonly<Record<string, unknown>>;
  readonly timestamp: string | undefined;
  /** The secret, for a digest's `{ from: "secret" }`. */
  readonly secret?: string | undefined;
}

/**
 * Every message the parts can make (several when an `anyOf` part has several candidates),
 * or why none can be made. Never throws.
 */
export function messages(parts: readonly PartSpec[], source: PartSource, provider: ProviderDeclaration): (string | Uint8Array)[][] | Refusal {
  // Stryker disable next-line ConditionalExpression,BlockStatement: a shortcut; the general loop below makes the same single message
  if (!hasAlternatives(parts)) {
    // One candidate: the usual case, and a hot path.
    // Adjacent texts are joined: each part is one more call into the digest.
    const message: (string | Uint8Array)[] = [];
    for (const part of parts) {
      const value = partValue(part as Exclude<PartSpec, { anyOf: unknown }>, source, provider);
      // Stryker disable next-line ConditionalExpression,StringLiteral,ArithmeticOperator: joining is a shortcut: the digest of the parts is the digest of their concatenation
      if (typeof value === "string" && typeof message[message.length - 1] === "string") message[message.length - 1] += value;
      else if (typeof value === "string" || value instanceof Uint8Array) message.push(value);
      else return value ?? fail("signature", `the request is not shaped as ${provider.title} signs it`);
    }
    return [message];
  }
  let candidates: (string | Uint8Array)[][] = [[]];
  for (const part of parts) {
    const values: (string | Uint8Array)[] = [];
    for (const alternative of "anyOf" in part ? part.anyOf : [part]) {
      const value = partValue(alternative as Exclude<PartSpec, { anyOf: unknown }>, source, provider);
      if (typeof value === "string" || value instanceof Uint8Array) values.push(value);
      else if (value !== undefined && !("anyOf" in part)) return value;
    }
    if (values.length === 0) return fail("signature", `the request is not shaped as ${provider.title} signs it`);
    candidates = candidates.flatMap((candidate) => values.map((value) => [...candidate, value]));
  }
  return candidates;
}

const alternatives = new WeakMap<readonly PartSpec[], boolean>();

function hasAlternatives(parts: readonly PartSpec[]): boolean {
  let has = alternatives.get(parts);
  // Stryker disable next-line ConditionalExpression: a cache (computed again, the answer is the same)
  if (has === undefined) alternatives.set(parts, (has = parts.some((part) => "anyOf" in part)));
  return has;
}

/** One part's value, the refusal that names what is missing, or `undefined` when the request has no such value (a form that is not this shape). */
function partValue(part: Exclude<PartSpec, { anyOf: unknown }>, source: PartSource, provider: ProviderDeclaration): string | Uint8Array | Refusal | undefined {
  switch ((part as { readonly from?: string }).from) {
    case "body":
      // Stryker disable next-line StringLiteral: unreachable: planVerification refuses a body that is not raw bytes, and a draft's is a string
      return source.request.body ?? fail("signature", "the body must be the raw bytes to be verified");
    case "timestamp":
      return source.timestamp ?? fail("signature", "the signed timestamp is missing");
    case "secret":
      return source.secret;
    case "url":
      return source.request.url;
  }
  if ("text" in part) return part.text;
  if ("header" in part) return source.request.header(part.header) ?? fail("signature", `the ${headerTitle(part.header)} header is missing`);
  if ("query" in part) return source.request.query(part.query) ?? fail("signature", `the ${part.query} query parameter is missing`);
  if ("option" in part) {
    const value = source.options[part.option];
    if (typeof value === "string" && value !== "") return value;
    const about = provider.options?.[part.option]?.description;
    return fail("signature", `set the ${part.option} option${about ? ` (${about})` : ""} to verify ${provider.title} deliveries signed this way`);
  }
  return formJson((part as { readonly formJson: FormJsonSpec }).formJson, source.request); // the last kind of part
}

/** `JSON.stringify` of the declared form fields, when the form holds exactly them (in that order when `firstField` says so). */
function formJson(spec: FormJsonSpec, request: ReceivedRequest): string | undefined {
  const form = request.form();
  if (!(form instanceof Map) || form.size !== spec.fields.length) return undefined;
  if (spec.firstField !== undefined && form.keys().next().value !== spec.firstField) return undefined;
  const json: Record<string, string | number> = {};
  for (const field of spec.fields) {
    const value = form.get(field);
    if (value === undefined) return undefined;
    if (spec.numbers?.includes(field)) {
      if (!/^\d+$/.test(value)) return undefined;
      json[field] = Number(value);
    } else json[field] = value;
  }
  return JSON.stringify(json);
}

/** Each configured secret as key bytes (or its text), with its index; those that break the provider's rule are left out. */
export function keysOf(context: Pick<VerifyContext, "provider" | "secrets">): { readonly key: string | Uint8Array; readonly secret: number }[] {
  const keys: { key: string | Uint8Array; secret: number }[] = [];
  for (let index = 0; index < context.secrets.length; index++) {
    const key = secretKey(context.provider.secret, context.secrets[index]!);
    if (key !== null) keys.push({ key, secret: index });
  }
  return keys;
}

/**
 * String equality whose time depends only on the length of `given` (the sender's), never on
 * the secret's length or on where the strings differ. Comparing strings directly avoids the
 * Buffer copies that `timingSafeEqual` needs, which cost more than the rest of a verification.
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  let difference = given.length ^ expected.length;
  const length = expected.length || 1;
  for (let i = 0; i < given.length; i++) difference |= given.charCodeAt(i) ^ (expected.charCodeAt(i % length) || 0);
  return difference === 0;
}

/** Equality of any of `candidates`, comparing with every one. */
export function matchesAny(given: string, candidates: readonly string[]): boolean {
  let found = false;
  for (const candidate of candidates) found = constantTimeEqual(given, candidate) || found;
  return found;
}

/** A secret option as a non-empty list of non-blank strings, or `undefined`. */
export function secretList(secret: unknown): readonly string[] | undefined {
  const list = typeof secret === "string" ? [secret] : secret;
  if (!Array.isArray(list) || list.length === 0) return undefined;
  for (const item of list) if (typeof item !== "string" || item.trim() === "") return undefined;
  return list as string[];
}
