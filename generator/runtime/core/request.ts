import type { DeliveryError, DeliveryRequest } from "./delivery.js";
import { quote } from "./text.js";

// Stryker disable next-line StringLiteral: run once, when the module loads, before any mutant is active (and `new TextDecoder("")` throws there)
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * One received request, read lazily and at most once: its body as text, its form fields, its
 * query. Verification and envelope decoding share it, so that a checksum, the replay window and
 * the event all read exactly the same values.
 */
export class ReceivedRequest {
  #text: string | DeliveryError | undefined;
  #form: ReadonlyMap<string, string> | DeliveryError | undefined;
  #query: URLSearchParams | undefined;

  constructor(readonly raw: DeliveryRequest) {}

  /** The raw body, when it is raw bytes or a string. */
  get body(): string | Uint8Array | undefined {
    const body: unknown = this.raw.body;
    return typeof body === "string" || body instanceof Uint8Array ? body : undefined;
  }

  /** Path and query as received. */
  get url(): string {
    return typeof this.raw.url === "string" ? this.raw.url : "";
  }

  header(name: string): string | undefined {
    const headers = this.raw.headers;
    return headers === null || headers === undefined ? undefined : headerValue(headers, name); // any other value has no such header
  }

  query(name: string): string | null {
    // Stryker disable next-line ConditionalExpression: a cache; parsing the query again gives the same values
    if (!this.#query) {
      const url = this.url;
      const start = url.indexOf("?");
      // Stryker disable next-line StringLiteral: a URL without `?` has no query; any text without `=`, `&` or `?` is a field no declaration names
      this.#query = new URLSearchParams(start === -1 ? "" : url.slice(start + 1));
    }
    return this.#query.get(name);
  }

  /** The body as text, or a `malformed` error when it is not raw bytes or not UTF-8. */
  text(): string | DeliveryError {
    return (this.#text ??= bodyText(this.raw));
  }

  /** The body's form fields; a field sent twice makes the form `malformed` (which value would count?). */
  form(): ReadonlyMap<string, string> | DeliveryError {
    // Stryker disable next-line ConditionalExpression: a cache; decoding the form again gives the same fields
    if (this.#form === undefined) {
      const text = this.text();
      this.#form = typeof text === "string" ? decodeForm(text) : text;
    }
    return this.#form;
  }
}

function decodeForm(text: string): ReadonlyMap<string, string> | DeliveryError {
  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(text)) {
    if (fields.has(name)) return { code: "malformed", message: `the form has the field ${quote(name)} twice`, pointer: `/${name}` };
    fields.set(name, value);
  }
  return fields;
}

const views = new WeakMap<object, ReceivedRequest>();

/**
 * The view of a request, shared by the calls given the same request object: `verifyDelivery`
 * then `parseDelivery` decode its body (bytes to text, a form's fields) once. A request whose
 * body, URL or headers were replaced gets a new view.
 */
export function viewOf(request: DeliveryRequest | ReceivedRequest): ReceivedRequest {
  if (request instanceof ReceivedRequest) return request;
  if (typeof request !== "object" || request === null) return new ReceivedRequest({} as DeliveryRequest); // no headers, no body: refused saying so
  const known = views.get(request);
  // Stryker disable next-line ConditionalExpression: `false` only gives up the cache (what `shows` compares is tested)
  if (known && shows(known, request)) return known;
  const view = new ReceivedRequest({ method: request.method, url: request.url, headers: request.headers, body: request.body });
  views.set(request, view);
  return view;
}

/** Whether a view still shows the request: the same body, URL and headers. */
// Stryker disable next-line BlockStatement: returning nothing only gives up the cache
function shows(view: ReceivedRequest, request: DeliveryRequest): boolean {
  // Stryker disable next-line ConditionalExpression: `false` for the whole only gives up the cache (each comparison is tested)
  return view.raw.body === request.body
    && view.raw.url === request.url && view.raw.headers === request.headers;
}

/** The value of a header, whatever the case of its name; the first one when repeated; `undefined` unless a string. */
export function headerValue(headers: DeliveryRequest["headers"], name: string): string | undefined {
  let value: unknown = Object.hasOwn(headers, name) ? headers[name] : undefined;
  if (value === undefined) {
    for (const key in headers) {
      // Stryker disable next-line ConditionalExpression: comparing the lengths first only saves lower-casing names that cannot match
      if (key.length === name.length && key.toLowerCase() === name && Object.hasOwn(headers, key)) {
        value = headers[key];
        break;
      }
    }
  }
  if (Array.isArray(value)) value = value[0];
  return typeof value === "string" ? value : undefined;
}

/** The body as text, or a `malformed` error when it is not raw bytes or not UTF-8. */
export function bodyText(request: DeliveryRequest): string | DeliveryError {
  const body: unknown = request.body;
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
