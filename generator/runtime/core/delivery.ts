import type { Handshake } from "./handshakes.js";
import { pointerPath, type HandshakeSpec, type ProviderDeclaration, type ProviderDefinition } from "./provider.js";
import { stringifyJson } from "./json.js";
import { ReceivedRequest, viewOf } from "./request.js";
import { sha256Hex } from "./sha256.js";
import { quote } from "./text.js";
import { eventTypeOf, readPath, type RecognisedEvent, type ValidationIssue, type Validator } from "./validation.js";

/** One HTTP request as received, before any parsing: verification needs the exact bytes. */
export interface DeliveryRequest {
  readonly method?: string | undefined;
  /** Path and query as received, e.g. `/hooks/bbb?checksum=…` (BigBlueButton signs with a query parameter). */
  readonly url?: string | undefined;
  /** Header names in any case. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The raw body. Never a parsed object: re-serialising breaks signatures. */
  readonly body: string | Uint8Array;
}

export type DeliveryErrorCode =
  /** The body cannot be decoded: not UTF-8, not JSON, no `event` form field, a broken inner payload string. */
  | "malformed"
  /** An event does not match its schema; `pointer` names the field. */
  | "invalid"
  /** An event's type is not one the provider documents; `event` holds it, decoded. */
  | "unknown_event"
  /** The signature, checksum or token is missing or does not match any secret. */
  | "signature"
  /** The signed timestamp is outside the replay window. */
  | "stale"
  /** The body is larger than the limit. */
  | "too_large"
  /** The provider name is not one this package knows. */
  | "unknown_provider";

/**
 * An error with a stable `code`; narrowing on `code` gives the fields that code carries (the
 * others read `undefined`): `invalid` and `unknown_event` always carry the event, its `index`
 * and a `pointer`; `malformed` may carry a `pointer`; the refusals of a request carry only a
 * `message`.
 */
export type DeliveryError = MalformedError | InvalidEventError | UnknownEventError | RefusalError;

/** What every `DeliveryError` has. */
interface ErrorBase {
  /** What went wrong, for logs and for the response to the sender. */
  readonly message: string;
  /** For errors a trigger reports (to `onInvalid`): the raw body of the delivery, so nothing is lost. */
  readonly body?: string | Uint8Array | undefined;
}

/** The body cannot be decoded. */
export interface MalformedError extends ErrorBase {
  readonly code: "malformed";
  /** JSON pointer of what cannot be decoded (`/event`, `/payload`), when it is one field. */
  readonly pointer?: string | undefined;
  readonly issues?: undefined;
  readonly index?: undefined;
  readonly type?: undefined;
  readonly event?: undefined;
}

/** An event of the delivery that does not match its schema, has no type, or lacks its id. */
export interface InvalidEventError extends ErrorBase {
  readonly code: "invalid";
  /** JSON pointer of the offending value inside the event, `""` for the event itself. */
  readonly pointer: string;
  /** Every issue the validator reported, when it ran. */
  readonly issues?: readonly ValidationIssue[] | undefined;
  /** The event's position in the delivery (a batch may hold several). */
  readonly index: number;
  /** The event's type as sent, when it has one. */
  readonly type?: string | undefined;
  /** The decoded event, so nothing is lost. */
  readonly event: unknown;
}

/** An event of a type the provider does not document. */
export interface UnknownEventError extends ErrorBase {
  readonly code: "unknown_event";
  /** The pointer of the event type (the provider's discriminant). */
  readonly pointer: string;
  readonly issues?: undefined;
  readonly index: number;
  /** The event's type as sent. */
  readonly type: string;
  /** The decoded event, so nothing is lost. */
  readonly event: unknown;
}

/** A request refused as a whole: its signature, its age, its size, its provider. */
export interface RefusalError extends ErrorBase {
  readonly code: "signature" | "stale" | "too_large" | "unknown_provider";
  readonly pointer?: undefined;
  readonly issues?: undefined;
  readonly index?: undefined;
  readonly type?: undefined;
  readonly event?: undefined;
}

export type DeliveryResult<Parsed> =
  | {
      readonly ok: true;
      /** The usable events, validated. */
      readonly events: readonly Parsed[];
      /**
       * When a delivery carries several events, those that could not be used (an undocumented
       * type, an invalid event), each with its `code`, `index` and decoded `event`, so nothing is
       * lost. Present only when there are some.
       */
      readonly skipped?: readonly DeliveryError[];
    }
  | { readonly ok: false; readonly error: DeliveryError };

/** A validated event with the provider and type it was delivered as; a union narrowed by `type`. */
export type ParsedEventOf<Name extends string, EventMap> = {
  readonly [Type in keyof EventMap & string]: {
    readonly provider: Name;
    /** The provider's own event name, e.g. `room.client.joined`, `user-joined`, `conference_end`. */
    readonly type: Type;
    /**
     * The idempotency key: the same for every delivery of this event, retries included, and
     * different for any other event of the provider. The provider's event id where its
     * provider.json declares one (`envelope.id`), otherwise the hex SHA-256 of the event's JSON.
     */
    readonly key: string;
    /** The validated event (iotum's payload string decoded). */
    readonly event: EventMap[Type];
    /** Envelope fields that are not part of the event: BigBlueButton's `domain` and `timestamp` form fields. */
    readonly envelope?: Readonly<Record<string, string>>;
  };
}[keyof EventMap & string];

export type { ProviderDefinition } from "./provider.js";

/** The outcome for one event of a delivery: parsed, or the reason it was not. */
export type EventOutcome<Parsed> = { readonly ok: true; readonly parsed: Parsed } | { readonly ok: false; readonly error: DeliveryError };


/** A delivery decoded: its events checked one by one, and the handshake it is, if any. */
export type DecodedDelivery<Parsed> =
  | { readonly ok: true; readonly events: readonly EventOutcome<Parsed>[]; readonly handshake?: Handshake | undefined }
  | { readonly ok: false; readonly error: DeliveryError };

/**
 * Decodes the envelope and validates each event on its own, so that a receiver can act on the
 * good events of a delivery and report the others. A handshake (a creation check, a URL
 * validation) decodes to no events. Never throws.
 */
export function decodeDelivery<Name extends string, EventMap>(
  provider: ProviderDefinition<Name, EventMap>,
  request: DeliveryRequest | ReceivedRequest,
): DecodedDelivery<ParsedEventOf<Name, EventMap>> {
  const decoded = decodeEnvelope(provider, request);
  if (decoded instanceof Failure) return { ok: false, error: decoded.error };
  if (decoded.handshake) return { ok: true, events: [], handshake: decoded.handshake };
  return {
    ok: true,
    events: decoded.events.map((event, index) => {
      const parsed = parseEvent(provider, event, index, decoded);
      return parsed instanceof Failure ? { ok: false, error: parsed.error } : { ok: true, parsed };
    }),
  };
}

/**
 * Decodes a delivery and validates every event in it: the usable events, with those that are
 * not listed beside them (`skipped`); `ok: false` only when nothing in the delivery is usable.
 * Never throws. Call it after `verifyDelivery`, on the same raw request.
 */
export function parseWith<Name extends string, EventMap>(
  provider: ProviderDefinition<Name, EventMap>,
  request: DeliveryRequest,
): DeliveryResult<ParsedEventOf<Name, EventMap>> {
  const decoded = decodeEnvelope(provider, request);
  if (decoded instanceof Failure) return { ok: false, error: decoded.error };
  const events: ParsedEventOf<Name, EventMap>[] = [];
  let skipped: DeliveryError[] | undefined;
  for (let index = 0; index < decoded.events.length; index++) {
    const parsed = parseEvent(provider, decoded.events[index], index, decoded);
    if (parsed instanceof Failure) (skipped ??= []).push(parsed.error);
    else events.push(parsed);
  }
  if (!skipped) return { ok: true, events };
  return events.length === 0 ? { ok: false, error: skipped[0]! } : { ok: true, events, skipped };
}

/** Why a step failed; a class so that the hot path tells it from a result with one `instanceof`. */
class Failure {
  constructor(readonly error: DeliveryError) {}
}

interface Decoded {
  readonly events: readonly unknown[];
  /** The provider's pointers as paths, looked up once per delivery. */
  readonly paths: Paths;
  /** Form fields beside the events. */
  readonly envelope?: Record<string, string> | undefined;
  /** The id header's value, when the envelope declares one. */
  readonly id?: string | undefined;
  readonly handshake?: Handshake | undefined;
}

/** A declaration's pointers as property paths, computed once per provider. */
interface Paths {
  readonly discriminant: readonly string[];
  readonly recognised: readonly RecognisedEvent[];
  readonly jsonStrings: readonly (readonly string[])[];
  readonly id: readonly (readonly string[])[] | undefined;
  readonly eventsField: string | undefined;
  readonly handshakes: readonly { readonly spec: HandshakeSpec; readonly match: readonly [readonly string[], unknown][] }[];
}

const compiled = new WeakMap<ProviderDeclaration, Paths>();

function pathsOf(provider: ProviderDeclaration): Paths {
  let paths = compiled.get(provider);
  // Stryker disable next-line ConditionalExpression: a cache; computing the paths again gives the same paths
  if (!paths) {
    const { envelope } = provider;
    paths = {
      discriminant: pointerPath(envelope.discriminant),
      recognised: Object.entries(provider.answers ?? {}).flatMap(([type, { recognise }]) => (recognise ? [{ type, present: recognise.present.map(pointerPath), absent: recognise.absent?.map(pointerPath) }] : [])),
      // Stryker disable next-line ArrayDeclaration: a string where a path is expected reads the keys "S", "t", "r"… in turn, which no event holds
      jsonStrings: envelope.jsonStrings?.map(pointerPath) ?? [],
      id: envelope.id && "pointers" in envelope.id ? envelope.id.pointers.map(pointerPath) : undefined,
      // Stryker disable next-line OptionalChaining: a form always has its events field (provider.schema.json); a JSON envelope stops at `form?.`
      eventsField: envelope.form?.find((field) => field.events)?.field,
      handshakes: (provider.handshakes ?? []).map((spec) => ({ spec, match: Object.entries(spec.match).map(([pointer, value]) => [pointerPath(pointer), value] as const) })),
    };
    compiled.set(provider, paths);
  }
  return paths;
}

function decodeEnvelope(provider: ProviderDeclaration, request: DeliveryRequest | ReceivedRequest): Decoded | Failure {
  try {
    // A view of the request only where it is read more than once: JSON bodies, the hot path, need none.
    const view = viewOf(request);
    const { envelope } = provider;
    const paths = pathsOf(provider);
    let document: unknown;
    let fields: Record<string, string> | undefined;
    let what = "the body"; // what holds the events, for errors
    let at = ""; // and its JSON pointer
    if (envelope.format === "form") {
      const form = view.form();
      if (!(form instanceof Map)) return new Failure(form as DeliveryError);
      const field = paths.eventsField!;
      what = `the \`${field}\` form field`;
      at = `/${field}`;
      const json = form.get(field);
      if (json === undefined) return malformed(`the form has no \`${field}\` field`, at);
      document = parseJson(json, what);
      if (document instanceof Failure) return malformed(document.error.message, at);
      fields = {};
      for (const [name, value] of form) if (name !== field) fields[name] = value;
    } else {
      const text = view.text();
      if (typeof text !== "string") return new Failure(text);
      document = parseJson(text, what);
      if (document instanceof Failure) return document;
    }
    for (const { spec, match } of paths.handshakes) {
      if (match.every(([path, value]) => deepEqual(readPath(document, path), value))) return { events: [], handshake: { spec, document }, paths };
    }
    let events: readonly unknown[];
    if (envelope.events === "array-or-single" && Array.isArray(document)) events = document;
    else if (isObject(document)) events = [document];
    else return malformed(`${what} must be a JSON ${envelope.events === "array-or-single" ? "array or object" : "object"}`, at);
    for (const event of events) {
      for (const path of paths.jsonStrings) {
        const decoded = decodeJsonString(event, path);
        if (decoded) return decoded;
      }
    }
    const idHeader = envelope.id && "header" in envelope.id ? view.header(envelope.id.header) : undefined;
    return { events, envelope: fields, id: idHeader, paths };
  } catch (error) {
    return new Failure({ code: "malformed", message: `cannot decode the delivery: ${(error as Error).message}` });
  }
}

/** Replaces the JSON string at `path` inside `event` by its value (the event was just parsed: nobody else holds it). */
function decodeJsonString(event: unknown, path: readonly string[]): Failure | undefined {
  const parent = readPath(event, path.slice(0, -1));
  const key = path[path.length - 1]!;
  if (!isObject(parent) || typeof parent[key] !== "string") return undefined; // the validator names what is wrong with it
  const value = parseJson(parent[key], `the ${key} string`);
  if (value instanceof Failure) return malformed(value.error.message, `/${path.join("/")}`);
  parent[key] = value;
  return undefined;
}

function parseEvent<Name extends string, EventMap>(
  provider: ProviderDefinition<Name, EventMap>,
  event: unknown,
  index: number,
  decoded: Decoded,
): ParsedEventOf<Name, EventMap> | Failure {
  const { paths } = decoded;
  const type = eventTypeOf(event, paths.discriminant, paths.recognised);
  const validators = provider.validators as Readonly<Record<string, Validator<unknown>>>;
  // Stryker disable next-line ConditionalExpression: a type that is not a string (an array holding one) finds a validator by its String(), which refuses the event all the same
  const validator = typeof type === "string" && Object.hasOwn(validators, type) ? validators[type]! : undefined;
  if (validator?.is(event)) {
    const id = paths.id ? idOf(event, paths.id) : decoded.id;
    if (id === undefined && provider.envelope.id && !provider.envelope.id.fallback) {
      const where = "pointers" in provider.envelope.id ? provider.envelope.id.pointers.join(", ") : `the ${provider.envelope.id.header} header`;
      return new Failure({ code: "invalid", message: `${type}: the event carries no id at ${where}, which ${provider.title} always sends`, pointer: "pointers" in provider.envelope.id ? provider.envelope.id.pointers[0]! : "", index, type: type as string, event });
    }
    return new ParsedRecord(provider.name, type as string, event, decoded.envelope, id) as unknown as ParsedEventOf<Name, EventMap>;
  }
  const where = provider.envelope.discriminant;
  if (typeof type !== "string") {
    return new Failure({ code: "invalid", message: `the event has no ${provider.title} event type at ${where}`, pointer: where, index, event });
  }
  if (!validator) {
    return new Failure({ code: "unknown_event", message: `${provider.title} event type ${quote(type)} is not documented`, pointer: where, index, type, event });
  }
  const result = validator(event); // again, for the issues: only on the failure path
  // Stryker disable next-line all: `is` and the validator are one compiled schema: when `is` refuses, the validator says why
  const issues = result.ok ? [] : result.issues;
  // Stryker disable next-line all: as above, never empty
  const first = issues[0] ?? { pointer: "", message: "is invalid" };
  return new Failure({ code: "invalid", message: `${type}: ${first.pointer || "(event)"} ${first.message}`, pointer: first.pointer, issues, index, type, event });
}

/** The event's id from its declared pointers (several are joined with `:`), or `undefined` when one is absent. */
function idOf(event: unknown, paths: readonly (readonly string[])[]): string | undefined {
  if (paths.length === 1) return idPart(readPath(event, paths[0]!));
  let id = "";
  for (const [index, path] of paths.entries()) {
    const part = idPart(readPath(event, path));
    if (part === undefined) return undefined;
    id += `${index === 0 ? "" : ":"}${part.replace(/%/g, "%25").replace(/:/g, "%3A")}`; // escaped, so that no two ids join the same
  }
  return id;
}

/** A value usable as (part of) an id: a non-empty string, or a finite number written out. */
function idPart(value: unknown): string | undefined {
  if (typeof value === "string") return value === "" ? undefined : value;
  return Number.isFinite(value) ? String(value) : undefined; // false for anything but a finite number: no coercion
}

/** A validated event. Its idempotency key is derived on first use when it has no id: hashing costs more than parsing. */
class ParsedRecord {
  #key: string | undefined;

  constructor(
    readonly provider: string,
    readonly type: string,
    readonly event: unknown,
    readonly envelope: Readonly<Record<string, string>> | undefined,
    id: string | undefined,
  ) {
    this.#key = id;
  }

  /**
   * The provider's event id when it sends one; otherwise the hex SHA-256 of the event's JSON as
   * decoded (key order as sent), however deeply nested. A retry re-sends the same event, so the
   * same key; two distinct events differ in at least one field (a timestamp, an id), so they
   * never share one.
   */
  get key(): string {
    return (this.#key ??= sha256Hex(stringifyJson(this.event)));
  }

  toJSON() {
    const { provider, type, key, event, envelope } = this;
    return envelope ? { provider, type, key, event, envelope } : { provider, type, key, event };
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    return new Failure({ code: "malformed", message: `${what} is not valid JSON: ${(error as Error).message}` });
  }
}

function malformed(message: string, pointer: string): Failure {
  return new Failure({ code: "malformed", message, pointer });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
