import { readPath, type ValidationIssue, type Validator } from "./validation.js";

/** One HTTP request as received, before any parsing: verification needs the exact bytes. */
export interface DeliveryRequest {
  readonly method?: string;
  /** Path and query as received, e.g. `/hooks/bbb?checksum=…` (BigBlueButton signs with a query parameter). */
  readonly url?: string;
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
  try {
    const text = bodyText(request);
    if (typeof text !== "string") return { ok: false, error: text };
    const decoded = decoders[provider.envelope](text, provider);
    if (!decoded.ok) return decoded;
    const { events, envelope } = decoded;
    return { ok: true, events: events.map((event, index) => parseEvent(provider, event, index, envelope)) };
  } catch (error) {
    return { ok: false, error: { code: "malformed", message: `cannot decode the delivery: ${(error as Error).message}` } };
  }
}

/**
 * Decodes a delivery and validates every event in it: all events, or the first problem.
 * Never throws. Call it after `verifyDelivery`, on the same raw request.
 */
export function parseWith<Name extends string, EventMap>(
  provider: ProviderDefinition<Name, EventMap>,
  request: DeliveryRequest,
): DeliveryResult<ParsedEventOf<Name, EventMap>> {
  const decoded = decodeDelivery(provider, request);
  if (!decoded.ok) return decoded;
  const events: ParsedEventOf<Name, EventMap>[] = [];
  for (const outcome of decoded.events) {
    if (!outcome.ok) return outcome;
    events.push(outcome.parsed);
  }
  return { ok: true, events };
}

/** The value of a header, whatever the case of its name; the first one when repeated. */
export function headerValue(headers: DeliveryRequest["headers"], name: string): string | undefined {
  let value = headers[name];
  if (value === undefined) {
    for (const key in headers) {
      if (key.length === name.length && key.toLowerCase() === name) {
        value = headers[key];
        break;
      }
    }
  }
  return typeof value === "string" ? value : value?.[0];
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

type Decoded = { readonly ok: true; readonly events: unknown[]; readonly envelope?: Record<string, string> } | { readonly ok: false; readonly error: DeliveryError };

const decoders: Record<EnvelopeKind, (text: string, provider: Pick<ProviderDefinition, "signature">) => Decoded> = {
  json(text, provider) {
    const body = parseJson(text, "the body");
    if (!body.ok) return body;
    if (!isObject(body.value)) return malformed("the body must be a JSON object", "");
    // Daily checks a new or re-activated webhook with a small JSON body that has no `type`: answer it, carry no event.
    if (provider.signature === "daily-hmac" && !("type" in body.value)) return { ok: true, events: [] };
    return { ok: true, events: [body.value] };
  },
  "json-payload-string"(text) {
    const body = parseJson(text, "the body");
    if (!body.ok) return body;
    if (!isObject(body.value)) return malformed("the body must be a JSON object", "");
    const { payload } = body.value;
    if (typeof payload !== "string") return { ok: true, events: [body.value] }; // the validator names what is wrong with it
    const inner = parseJson(payload, "the payload string");
    if (!inner.ok) return { ok: false, error: { ...inner.error, pointer: "/payload" } };
    return { ok: true, events: [{ ...body.value, payload: inner.value }] };
  },
  "form-event-array"(text) {
    const form = new URLSearchParams(text);
    const field = form.get("event");
    if (field === null) return malformed("the form has no `event` field", "/event");
    const events = parseJson(field, "the `event` form field");
    if (!events.ok) return { ok: false, error: { ...events.error, pointer: "/event" } };
    const envelope: Record<string, string> = {};
    for (const [key, value] of form) if (key !== "event") envelope[key] = value;
    // bbb-webhooks 3.x sends a JSON array; older servers send a bare object.
    return { ok: true, events: Array.isArray(events.value) ? events.value : [events.value], envelope };
  },
};

function parseEvent<Name extends string, EventMap>(
  provider: ProviderDefinition<Name, EventMap>,
  event: unknown,
  index: number,
  envelope: Record<string, string> | undefined,
): EventOutcome<ParsedEventOf<Name, EventMap>> {
  const type = readPath(event, provider.discriminant);
  const validators = provider.validators as Readonly<Record<string, Validator<unknown>>>;
  if (typeof type !== "string" || !Object.hasOwn(validators, type)) {
    const where = `/${provider.discriminant.join("/")}`;
    const message = typeof type === "string"
      ? `${provider.title} event type ${JSON.stringify(type)} is not documented`
      : `the event has no ${provider.title} event type at ${where}`;
    return { ok: false, error: { code: typeof type === "string" ? "unknown_event" : "invalid", message, pointer: where, index, type: typeof type === "string" ? type : undefined, event } };
  }
  const result = validators[type]!(event);
  if (!result.ok) {
    const first = result.issues[0]!;
    return { ok: false, error: { code: "invalid", message: `${type}: ${first.pointer || "(event)"} ${first.message}`, pointer: first.pointer, issues: result.issues, index, type, event } };
  }
  const parsed = envelope ? { provider: provider.name, type, event, envelope } : { provider: provider.name, type, event };
  return { ok: true, parsed: parsed as ParsedEventOf<Name, EventMap> };
}

function parseJson(text: string, what: string): { ok: true; value: unknown } | { ok: false; error: DeliveryError } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: { code: "malformed", message: `${what} is not valid JSON: ${(error as Error).message}` } };
  }
}

function malformed(message: string, pointer: string): Decoded {
  return { ok: false, error: { code: "malformed", message, pointer } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
