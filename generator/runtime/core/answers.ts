import type { DeliveryError } from "./delivery.js";

/** One HTTP answer: what `handleDelivery` resolves with and the adapters write. */
export interface DeliveryResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** How the events of one delivery went: the counts its answer reports and what decides the answer. */
export interface Tally {
  readonly events: number;
  readonly unknown: number;
  readonly invalid: number;
  duplicates: number;
  /** Matchers that threw or rejected. */
  failures: number;
  /** Events whose first attempt was still running when this one had to answer. */
  inFlight: number;
  /** Events the dedupe store could not claim: down, or too slow. */
  unavailable: number;
  /** Events still being claimed (or waiting for another attempt) right now. */
  claiming: number;
  /** With a queue: events the queue did not store (its `send` threw, rejected or took too long). */
  unqueued: number;
  /** The answer an answerer gave (an event whose answer carries data), validated: the response's body. */
  answer?: object;
}

export type Counts = Pick<Tally, "events" | "unknown" | "invalid" | "duplicates">;

/** The body of every answer that is not a success. */
export interface ErrorBody {
  readonly ok: false;
  readonly error: { readonly code: string; readonly message: string; readonly pointer?: string | undefined };
}

interface Answer<Args extends readonly unknown[]> {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: (...args: Args) => object;
}

const retryLater = { "retry-after": "5" };

/**
 * Every answer a trigger gives, by name: its status, extra headers and body. The adapters and the
 * receiver answer only through this table; the README's table of answers is generated from it
 * (templates/README.md.hbs) and tested against it (test/policy.test.ts).
 */
export const answers = {
  notFound: { status: 404, body: (path: string) => failure("not_found", `deliveries go to ${path}`) },
  method: { status: 405, headers: { allow: "GET, HEAD, POST" }, body: () => failure("method", "deliveries are POSTed") },
  health: { status: 200, body: (provider: string) => ({ ok: true, provider }) },
  stopping: { status: 503, headers: retryLater, body: () => failure("stopping", "this receiver is shutting down; retry") },
  tooLarge: { status: 413, body: refusal },
  unauthenticated: { status: 401, body: refusal },
  badRequest: { status: 400, body: refusal },
  handshake: { status: 200, body: (json: Readonly<Record<string, string>>) => json },
  answered: { status: 200, body: (answer: object) => answer },
  answerLate: { status: 503, headers: retryLater, body: () => failure("answer_late", "the answer was not ready in time; retry") },
  delivered: { status: 200, body: (counts: Counts) => countsOf(counts) },
  pending: { status: 202, body: (counts: Counts) => ({ ...countsOf(counts), pending: true }) },
  matcherFailed: { status: 500, body: (failures: number) => failure("matcher", `${failures} matcher(s) failed; the provider should retry`) },
  inFlight: { status: 503, headers: retryLater, body: () => failure("in_flight", "an earlier attempt at this event is still running; retry") },
  storeUnavailable: { status: 503, headers: retryLater, body: () => failure("dedupe_unavailable", "the dedupe store did not answer; retry") },
  queueUnavailable: { status: 503, headers: retryLater, body: () => failure("queue_unavailable", "the queue did not store the event; retry") },
  internal: { status: 500, body: () => failure("internal", "the receiver failed; the provider should retry") },
  rawBody: { status: 500, body: (message: string) => failure("raw_body", message) },
} as const satisfies Record<string, Answer<never>>;

export type AnswerName = keyof typeof answers;

// Stryker disable next-line ObjectLiteral,StringLiteral: static: evaluated when the module loads, before Stryker's runner activates a mutant; planted by hand, "is JSON, and says so" (test/mutation-kills-answers.test.ts) fails
export const jsonHeaders: Readonly<Record<string, string>> = { "content-type": "application/json; charset=utf-8" };
const headersOf = Object.fromEntries(
  Object.entries(answers).map(([name, answer]) => [name, "headers" in answer ? { ...jsonHeaders, ...answer.headers } : jsonHeaders]),
) as Record<AnswerName, Readonly<Record<string, string>>>;

/** The answer `name`, its body built from `args`. */
export function answer<Name extends AnswerName>(name: Name, ...args: Parameters<(typeof answers)[Name]["body"]>): DeliveryResponse {
  const spec = answers[name] as Answer<typeof args>;
  return { status: spec.status, headers: headersOf[name], body: JSON.stringify(spec.body(...args)) };
}

/**
 * The policy for a delivery whose events have run (or, `late`, are still running after
 * `responseTimeoutMs`): a store that cannot answer, an event the queue has not stored and a
 * failed matcher make the provider retry; so does an event whose earlier attempt is still
 * running, which is acknowledged only once it was handled; events still running get 202;
 * otherwise 200.
 */
export function settleAnswer(tally: Tally, late = false, answering?: boolean): DeliveryResponse {
  if (tally.unavailable > 0) return answer("storeUnavailable");
  // Never a 2xx before the queue has stored every event (at the deadline, the sends still running were counted as not stored).
  if (tally.unqueued > 0) return answer("queueUnavailable");
  if (tally.failures > 0) return answer("matcherFailed", tally.failures);
  if (tally.inFlight > 0 || (late && tally.claiming > 0)) return answer("inFlight");
  // An answer that carries data cannot come after a 202: past the deadline, the provider asks again.
  if (late && answering) return answer("answerLate");
  if (tally.answer !== undefined) return answer("answered", tally.answer);
  return late ? answer("pending", tally) : answer("delivered", tally);
}

function countsOf({ events, unknown, invalid, duplicates }: Counts) {
  return { ok: true, events, unknown, invalid, duplicates };
}

function failure(code: string, message: string): ErrorBody {
  return { ok: false, error: { code, message } };
}

function refusal({ code, message, pointer }: DeliveryError): ErrorBody {
  return { ok: false, error: { code, message, pointer } }; // JSON leaves out a pointer that is undefined
}
