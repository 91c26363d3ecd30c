import { sha256Hex } from "./sha256.js";
import { readPath, type ValidationIssue, type Validator } from "./validation.js";

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

export interface DeliveryError {
  readonly code: DeliveryErrorCode;
  /** What went wrong, for logs and for the response to the sender. */
  readonly message: string;
  /** For `invalid` and `malformed`: JSON pointer of the offending value inside the event (or envelope). */
  readonly pointer?: string;
  /** For `invalid`: every issue the validator reported. */
  readonly issues?: readonly ValidationIssue[];
  /** For errors about one event: its position in the delivery (BigBlueButton may send several). */
  readonly index?: number;
  /** For `unknown_event` and `invalid`: the event's type as sent, when it has one. */
  readonly type?: string;
  /** For `unknown_event` and `invalid`: the decoded event, so nothing is lost. */
  readonly event?: unknown;
  /** For `invalid` and `malformed` reported by a trigger: the raw body of the delivery, so nothing is lost. */
  readonly body?: string | Uint8Array;
}

export type DeliveryResult<Parsed> =
  | { readonly ok: true; readonly events: readonly Parsed[] }
  | { readonly ok: false; readonly error: DeliveryError };

/** A validated event with the provider and type it was delivered as; a union narrowed by `type`. */
export type ParsedEventOf<Name extends string, EventMap> = {
  readonly [Type in keyof EventMap & string]: {
    readonly provider: Name;
    /** The provider's own event name, e.g. `room.client.joined`, `user-joined`, `conference_end`. */
    readonly type: Type;
    /**
     * The idempotency key: the same for every delivery of this event, retries included, and
     * different for any other event of the provider. Whereby's and Daily's event `id`; for
     * BigBlueButton and iotum, which send no id, the hex SHA-256 of the event's JSON (see README).
     */
    readonly key: string;
    /** The validated event (iotum's payload string decoded). */
    readonly event: EventMap[Type];
    /** Envelope fields that are not part of the event: BigBlueButton's `domain` and `timestamp` form fields. */
    readonly envelope?: Readonly<Record<string, string>>;
  };
}[keyof EventMap & string];

/** How a provider wraps events: `json` one event, `json-payload-string` iotum's string payload, `form-event-array` BigBlueButton's form. */
export type EnvelopeKind = "json" | "json-payload-string" | "form-event-array";
export type SignatureScheme = "whereby-hmac" | "daily-hmac" | "bigbluebutton-checksum" | "iotum-token";

/** Everything the runtime needs to receive one provider's webhooks; generated per provider. */
export interface ProviderDefinition<Name extends string = string, EventMap = Record<string, unknown>> {
  readonly name: Name;
  readonly title: string;
  readonly envelope: EnvelopeKind;
  readonly signature: SignatureScheme;
  /** Property path of the event type inside an event. */
  readonly discriminant: readonly string[];
  /** Property path of the provider's own event id, when it sends one: the idempotency key. */
  readonly eventId?: readonly string[] | undefined;
  readonly eventTypes: readonly (keyof EventMap & string)[];
  readonly validators: { readonly [Type in keyof EventMap]: Validator<EventMap[Type]> };
}

/** The outcome for one event of a delivery: parsed, or the reason it was not. */
export type EventOutcome<Parsed> = { readonly ok: true; readonly parsed: Parsed } | { readonly ok: false; readonly error: DeliveryError };

/**
 * Decodes the envelope and validates each event on its own, so that a receiver can act on the
 * good events of a delivery and report the others. Never throws.
 */
export function decodeDelivery<Name extends string, EventMap>(
  provider: ProviderDefinition<Name, EventMap>,
  request: DeliveryRequest,
): DeliveryResult<EventOutcome<ParsedEventOf<Name, EventMap>>> {
  const decoded = decodeEnvelope(provider, request);
  if (decoded instanceof Failure) return { ok: false, error: decoded.error };
  return {
    ok: true,
    events: decoded.events.map((event, index) => {
      const parsed = parseEvent(provider, event, index, decoded.envelope);
      return parsed instanceof Failure ? { ok: false, error: parsed.error } : { ok: true, parsed };
    }),
  };
}

/**
 * Decodes a delivery and validates every event in it: all events, or the first problem.
 * Never throws. Call it after `verifyDelivery`, on the same raw request.
 */
export function parseWith<Name extends string, EventMap>(
  provider: ProviderDefinition<Name, EventMap>,
  request: DeliveryRequest,
): DeliveryResult<ParsedEventOf<Name, EventMap>> {
  const decoded = decodeEnvelope(provider, request);
  if (decoded instanceof Failure) return { ok: false, error: decoded.error };
  const events: ParsedEventOf<Name, EventMap>[] = [];
  for (let index = 0; index < decoded.events.length; index++) {
    const parsed = parseEvent(provider, decoded.events[index], index, decoded.envelope);
    if (parsed instanceof Failure) return { ok: false, error: parsed.error };
    events.push(parsed);
  }
  return { ok: true, events };
}

/** The value of a header, whatever the case of its name; the first one when repeated; `undefined` unless a string. */
export function headerValue(headers: DeliveryRequest["headers"], name: string): string | undefined {
  let value: unknown = Object.hasOwn(headers, name) ? headers[name] : undefined;
  if (value === undefined) {
    for (const key in headers) {
      if (key.length === name.length && key.toLowerCase() === name && Object.hasOwn(headers, key)) {
        value = headers[key];
        break;
      }
    }
  }
  if (Array.isArray(value)) value = value[0];
  return typeof value === "string" ? value : undefined;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The body as text, or a `malformed` error when it is not raw bytes or not UTF-8. */
export function bodyText(request: DeliveryRequest): string | DeliveryError {
  const body: unknown = request?.body;
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) {
    try {
      return utf8.decode(body);
    } catch {
      return { code: "malformed", message: "the body is not valid UTF-8" };
    }
  }
  return {
    code: "malformed",
    message: `the body must be the raw bytes (a string or Uint8Array), got ${body === null ? "null" : typeof body}: keep the raw body in your framework (e.g. express.raw()) instead of a parsed object`,
  };
}

/** Why a step failed; a class so that the hot path tells it from a result with one `instanceof`. */
class Failure {
  constructor(readonly error: DeliveryError) {}
}

interface Decoded {
  readonly events: unknown[];
  readonly envelope?: Record<string, string>;
}

function decodeEnvelope(provider: Pick<ProviderDefinition, "envelope" | "signature">, request: DeliveryRequest): Decoded | Failure {
  try {
    const text = bodyText(request);
    return typeof text === "string" ? decoders[provider.envelope](text, provider) : new Failure(text);
  } catch (error) {
    return new Failure({ code: "malformed", message: `cannot decode the delivery: ${(error as Error).message}` });
  }
}

const decoders: Record<EnvelopeKind, (text: string, provider: Pick<ProviderDefinition, "signature">) => Decoded | Failure> = {
  json(text, provider) {
    const body = parseJson(text, "the body");
    if (body instanceof Failure) return body;
    if (!isObject(body)) return malformed("the body must be a JSON object", "");
    // Daily checks a new or re-activated webhook with a small test object that has no `type`:
    // answer it, carry no event. Anything else without a type goes on, to be reported.
    if (provider.signature === "daily-hmac" && !("type" in body) && isDailyPing(body)) return { events: [] };
    return { events: [body] };
  },
  "json-payload-string"(text) {
    const body = parseJson(text, "the body");
    if (body instanceof Failure) return body;
    if (!isObject(body)) return malformed("the body must be a JSON object", "");
    if (typeof body.payload !== "string") return { events: [body] }; // the validator names what is wrong with it
    const payload = parseJson(body.payload, "the payload string");
    if (payload instanceof Failure) return new Failure({ ...payload.error, pointer: "/payload" });
    body.payload = payload; // the object was just parsed: nobody else holds it
    return { events: [body] };
  },
  "form-event-array"(text) {
    const form = new URLSearchParams(text);
    const fields = form.getAll("event");
    if (fields.length === 0) return malformed("the form has no `event` field", "/event");
    if (fields.length > 1) return malformed(`the form has ${fields.length} \`event\` fields; bbb-webhooks sends one`, "/event");
    const field = fields[0]!;
    const events = parseJson(field, "the `event` form field");
    if (events instanceof Failure) return new Failure({ ...events.error, pointer: "/event" });
    const envelope: Record<string, string> = {};
    for (const [key, value] of form) if (key !== "event") envelope[key] = value;
    // bbb-webhooks 3.x sends a JSON array; older servers send a bare object.
    return { events: Array.isArray(events) ? events : [events], envelope };
  },
};

function parseEvent<Name extends string, EventMap>(
  provider: ProviderDefinition<Name, EventMap>,
  event: unknown,
  index: number,
  envelope: Record<string, string> | undefined,
): ParsedEventOf<Name, EventMap> | Failure {
  const type = readPath(event, provider.discriminant);
  const validators = provider.validators as Readonly<Record<string, Validator<unknown>>>;
  const validator = typeof type === "string" && Object.hasOwn(validators, type) ? validators[type]! : undefined;
  if (validator?.is(event)) return new ParsedRecord(provider.name, type as string, event, envelope, provider.eventId) as unknown as ParsedEventOf<Name, EventMap>;
  const where = `/${provider.discriminant.join("/")}`;
  if (typeof type !== "string") {
    return new Failure({ code: "invalid", message: `the event has no ${provider.title} event type at ${where}`, pointer: where, index, event });
  }
  if (!validator) {
    return new Failure({ code: "unknown_event", message: `${provider.title} event type ${JSON.stringify(type)} is not documented`, pointer: where, index, type, event });
  }
  const result = validator(event); // again, for the issues: only on the failure path
  const issues = result.ok ? [] : result.issues;
  const first = issues[0] ?? { pointer: "", message: "is invalid" };
  return new Failure({ code: "invalid", message: `${type}: ${first.pointer || "(event)"} ${first.message}`, pointer: first.pointer, issues, index, type, event });
}

/** A validated event. Its idempotency key is derived on first use: hashing costs more than parsing. */
class ParsedRecord {
  #key: string | undefined;
  readonly #eventId: readonly string[] | undefined;

  constructor(
    readonly provider: string,
    readonly type: string,
    readonly event: unknown,
    readonly envelope: Readonly<Record<string, string>> | undefined,
    eventId: readonly string[] | undefined,
  ) {
    this.#eventId = eventId;
  }

  /**
   * The provider's event id when it sends one; otherwise the hex SHA-256 of the event's JSON as
   * decoded (key order as sent). A retry re-sends the same event, so the same key; two distinct
   * events differ in at least one field — BigBlueButton's `data.event.ts` (ms) and ids, iotum's
   * `timestamp` and payload — so they never share one.
   */
  get key(): string {
    if (this.#key === undefined) {
      const id = this.#eventId ? readPath(this.event, this.#eventId) : undefined;
      this.#key = typeof id === "string" && id !== "" ? id : sha256Hex(JSON.stringify(this.event));
    }
    return this.#key;
  }

  toJSON() {
    const { provider, type, key, event, envelope } = this;
    return envelope ? { provider, type, key, event, envelope } : { provider, type, key, event };
  }
}

/** Daily's creation / re-activation check: an object without `type` that says it is a test (its exact body is undocumented). */
function isDailyPing(body: Record<string, unknown>): boolean {
  return Object.keys(body).length === 0 || /test/i.test(JSON.stringify(body));
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
