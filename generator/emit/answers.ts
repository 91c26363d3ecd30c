import { answers, type AnswerName } from "../runtime/core/answers.js";

/** One row of the README's table of answers: which request gets which answer of the runtime's table, and what happens then. */
interface AnswerCase {
  readonly answer: AnswerName;
  readonly when: string;
  /** Said after the status. */
  readonly note?: string;
  /** For a refusal, whose code comes from the request's error: the codes it answers with. */
  readonly codes?: readonly string[];
  readonly then: string;
}

/** Every case, in the order a request meets them; every answer of the runtime's table has at least one. */
export const answerCases: readonly AnswerCase[] = [
  { answer: "notFound", when: "a path other than `path` (Node: `/` unless set; `fetch`: any path unless set)", then: "nothing is read" },
  { answer: "method", when: "a method other than `POST`, `GET` or `HEAD`", then: "nothing is read" },
  { answer: "health", when: "`GET` or `HEAD`: a health check", note: "`{ ok, provider }`", then: "503 instead once `stop()` was called, so that a load balancer takes the instance out" },
  { answer: "stopping", when: "any request once `stop()` was called", then: "the provider delivers it again later; the Node server closes the connection" },
  { answer: "tooLarge", when: "a body over `maxBodyBytes` (1 MiB)", note: "as soon as the size is known", codes: ["too_large"], then: "nothing more is read; reported to `onError`" },
  { answer: "unauthenticated", when: "a bad or missing signature, a stale timestamp", codes: ["signature", "stale"], then: "reported to `onError` (by default one line, repeated refusals summarised)" },
  {
    answer: "delivered",
    when: "verified, an event that does not match its schema, or a body that cannot be decoded",
    note: "counted in `invalid`",
    then: "the decoded event, its issues and the raw body go to `onInvalid` (default: one warning line); the valid events of the same delivery run",
  },
  { answer: "badRequest", when: "the same with `invalid: \"reject\"`; a request `handleDelivery` cannot read; a handshake that cannot be answered", codes: ["malformed", "invalid", "unknown_event"], then: "no matcher runs; reported to `onError`" },
  { answer: "delivered", when: "verified, an event type the provider does not document", note: "counted in `unknown`", then: "the decoded event goes to `onUnknown` (default: one warning line)" },
  { answer: "handshake", when: "a handshake the provider declares with an answer (a URL validation)", note: "with the JSON it declares", then: "no matcher runs" },
  { answer: "delivered", when: "a handshake without an answer of its own (a creation check)", note: "`events: 0`", then: "no matcher runs" },
  { answer: "delivered", when: "an event already handled (same idempotency key)", note: "counted in `duplicates`", then: "its matcher does not run again" },
  {
    answer: "inFlight",
    when: "a retry that arrives while an earlier attempt at its event runs (in this receiver, or in another sharing a store that tells in flight from done), still running after `responseTimeoutMs`",
    then: "the retry waits for that attempt first: if it succeeds, the retry is a duplicate (200); if it fails, the retry runs the event itself",
  },
  { answer: "storeUnavailable", when: "the dedupe store throws, rejects, or takes longer than half of `responseTimeoutMs` (1 s at most)", then: "no matcher runs; reported to `onError` once per delivery" },
  { answer: "queueUnavailable", when: "with `queue`: a `send` throws, rejects, or has not resolved after `responseTimeoutMs`", then: "reported to `onError` with the event; its key is released once the send fails (one that resolves late stored the event: a retry is then a duplicate)" },
  { answer: "matcherFailed", when: "a matcher throws or rejects", note: "so the provider retries", then: "the error goes to `onError`; the event's key is released, so the retry runs it" },
  { answer: "answered", when: "an event whose answer carries data (8x8's `SETTINGS_PROVISIONING`), its answerer's answer valid", note: "with that answer as the body", then: "not deduplicated: each such request wants its answer; an answer that does not match its schema is never sent (500, the reason to `onError`)" },
  { answer: "answerLate", when: "the same, its answer not ready after `responseTimeoutMs`", then: "reported to `onError`; the provider may ask again" },
  { answer: "pending", when: "matchers still running after `responseTimeoutMs` (4 s)", then: "they go on, and one that fails after the 202 cannot be retried; `responseTimeoutMs: false` waits instead (with `queue`, never: 503)" },
  { answer: "internal", when: "the receiver itself fails", then: "reported to `onError`; the provider retries" },
  { answer: "rawBody", when: "`middleware` given a parsed body (a JSON parser ran before it), without `next`", then: "with `next`, the error goes to `next(error)` instead" },
  { answer: "delivered", when: "with `queue`, otherwise", note: "`{ ok, events, unknown, invalid, duplicates }`", then: "the queue stored every event (`send` resolved); no matcher runs here: a consumer runs them" },
  { answer: "delivered", when: "otherwise", note: "`{ ok, events, unknown, invalid, duplicates }`", then: "every matcher ran" },
];

const headerNames: Readonly<Record<string, string>> = { "retry-after": "Retry-After", allow: "Allow" };

/** The README's table of answers, its statuses, headers and error codes read from the runtime's table. */
export function answersTable(): string {
  const rows = answerCases.map(({ answer, when, note, codes, then }) => {
    const spec = answers[answer];
    const headers = "headers" in spec ? Object.keys(spec.headers).map((name) => `\`${headerNames[name] ?? name}\``) : [];
    const code = codes ?? errorCodeOf(answer);
    const status = `${spec.status}${code ? ` ${code.map((c) => `\`${c}\``).join(" / ")}` : ""}${headers.length > 0 ? ` with ${headers.join(", ")}` : ""}${note ? `, ${note}` : ""}`;
    return `| ${when} | ${status} | ${then} |`;
  });
  return ["| the request | answer | what happens |", "|---|---|---|", ...rows].join("\n");
}

/** The error code an answer's body carries, read by building it (with a placeholder for its argument). */
function errorCodeOf(name: AnswerName): string[] | undefined {
  const body = (answers[name].body as (...args: unknown[]) => { error?: { code?: string } })("…");
  return body.error?.code ? [body.error.code] : undefined;
}
