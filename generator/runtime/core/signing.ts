import type { DeliveryRequest } from "./delivery.js";
import { secretList, type Draft, type SignContext } from "./mechanism.js";
import { pointerPath, type EnvelopeSpec, type MechanismSpec, type ProviderDeclaration } from "./provider.js";
import { ReceivedRequest } from "./request.js";
import { sha256Hex } from "./sha256.js";
import { mechanismOf, primaryMechanisms, type DeclaredOptions } from "./signatures.js";
import { readPath } from "./validation.js";
import { computeDigest } from "./webcrypto.js";

export interface SignOptions {
  /** The secret to sign with, as you configure it on the receiver. */
  readonly secret: string;
  /** When the delivery is sent, in milliseconds. Default `Date.now()`. */
  readonly at?: number | undefined;
  /**
   * Path and query the request is sent to. Default: the path of the URL the signature covers,
   * when it covers one (BigBlueButton's `callbackUrl`: a checksum delivery goes where the hook
   * was registered), else `/`.
   */
  readonly path?: string | undefined;
}

/** A raw request as a provider would send it: hand it to `handleDelivery`, or send it over HTTP. */
export interface SignedRequest extends DeliveryRequest {
  readonly method: "POST";
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Wraps events in the provider's envelope and signs them as the provider does, so that you can
 * test your own receiver. Signs with the first mechanism whose options are given (BigBlueButton:
 * a checksum with `callbackUrl`, else a bearer token), plus each `additional` one whose option is.
 */
export async function signWith(provider: ProviderDeclaration, events: unknown, options: SignOptions): Promise<SignedRequest> {
  const where = `sign ${provider.title} delivery`;
  const list = Array.isArray(events) ? events : [events];
  if (provider.envelope.events !== "array-or-single" && list.length !== 1) throw new TypeError(`${where}: ${provider.title} sends one event per delivery, got ${list.length}`);
  const at = options?.at ?? Date.now();
  return signBodyWith(provider, encodeEnvelope(provider.envelope, list, options as unknown as DeclaredOptions, at), { ...options, at });
}

/**
 * Signs a body you wrote yourself (an invalid or undocumented event, bytes of your choice) as
 * the provider signs deliveries: for testing how a receiver answers them.
 */
export async function signBodyWith(provider: ProviderDeclaration, body: string, options: SignOptions): Promise<SignedRequest> {
  const where = `sign ${provider.title} delivery`;
  const { secret, at = Date.now() } = options ?? ({} as SignOptions);
  if (typeof secret !== "string" || secret.trim() === "") throw new TypeError(`${where}: secret must be a non-blank string`);
  if (typeof body !== "string") throw new TypeError(`${where}: the body must be a string`);
  const headers: Record<string, string> = { "content-type": provider.envelope.format === "form" ? "application/x-www-form-urlencoded" : "application/json" };
  const id = provider.envelope.id;
  if (id && "header" in id) headers[id.header] = `msg_${sha256Hex(body).slice(0, 32)}`; // a retry of the same body keeps its id
  const declared = options as unknown as DeclaredOptions;
  const chosen = primaryMechanisms(provider).find((spec) => missingOptions(spec, declared).length === 0);
  if (!chosen) throw new TypeError(`${where}: set ${missingOptions(primaryMechanisms(provider)[0]!, declared).join(", ")} to sign`);
  let view: ReceivedRequest | undefined;
  const draft: Draft = { headers, url: options.path ?? signedUrlPath(chosen, declared) ?? "/", body, view: () => (view ??= new ReceivedRequest({ url: draft.url, headers, body })) };
  const context: SignContext = { provider, secret, options: declared, at, digest: computeDigest };
  for (const spec of provider.authentication) {
    if (spec === chosen || (spec.mechanism === "token" && spec.additional && declared[spec.option!] !== undefined)) {
      await mechanismOf(spec).sign(spec, draft, context);
      view = undefined; // the next mechanism reads what this one wrote
    }
  }
  return { method: "POST", url: draft.url, headers, body };
}

/** The path (and query) of an absolute URL among the options the mechanism signs, if there is one. */
function signedUrlPath(spec: MechanismSpec, options: DeclaredOptions): string | undefined {
  for (const name of mechanismOf(spec).needs(spec)) {
    const value = options[name];
    if (typeof value !== "string" || !/^https?:\/\//i.test(value)) continue;
    try {
      const url = new URL(value);
      return url.pathname + url.search;
    } catch {
      continue;
    }
  }
  return undefined;
}

function missingOptions(spec: MechanismSpec, options: DeclaredOptions): string[] {
  return mechanismOf(spec).needs(spec).filter((name) => options[name] === undefined || (Array.isArray(options[name]) && !secretList(options[name])));
}

/** The body a provider would send for these events: JSON (with declared JSON strings re-encoded) or a form. */
function encodeEnvelope(envelope: EnvelopeSpec, events: readonly unknown[], options: DeclaredOptions, at: number): string {
  const wire = events.map((event) => withJsonStrings(event, envelope.jsonStrings ?? []));
  const json = JSON.stringify(envelope.events === "array-or-single" ? wire : wire[0]);
  if (envelope.format === "json") return json;
  const form = new URLSearchParams();
  for (const field of envelope.form ?? []) {
    if (field.events) form.append(field.field, json);
    else if (field.sign && "time" in field.sign) form.append(field.field, String(field.sign.time === "seconds" ? Math.floor(at / 1000) : Math.floor(at)));
    else if (field.sign) form.append(field.field, typeof options[field.field] === "string" ? (options[field.field] as string) : field.sign.default);
  }
  return form.toString();
}

/** A copy of `event` whose declared JSON-string values are strings again, as they travel. */
function withJsonStrings(event: unknown, pointers: readonly string[]): unknown {
  if (pointers.length === 0 || typeof event !== "object" || event === null) return event;
  const copy = structuredClone(event) as Record<string, unknown>;
  for (const pointer of pointers) {
    const path = pointerPath(pointer);
    const parent = readPath(copy, path.slice(0, -1));
    const key = path[path.length - 1]!;
    if (typeof parent === "object" && parent !== null && key in parent) {
      const value = (parent as Record<string, unknown>)[key];
      if (typeof value !== "string") (parent as Record<string, unknown>)[key] = JSON.stringify(value);
    }
  }
  return copy;
}
