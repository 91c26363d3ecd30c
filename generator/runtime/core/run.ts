import { settleAnswer, type DeliveryResponse, type Tally } from "./answers.js";
import { StoreFailure, type Claim, type Claims } from "./claims.js";
import { isThenable } from "./emitter.js";
import type { Lifecycle } from "./lifecycle.js";
import { describeThrown, type Reporter } from "./log.js";
import type { Matcher } from "./matchers.js";
import { after } from "./maybe.js";
import type { EventQueue, QueuedEvent } from "./queue.js";
import type { Validator } from "./validation.js";

/** What running needs of a parsed event. */
export interface ParsedShape {
  readonly type: string;
  readonly key: string;
  readonly event: unknown;
}

export interface RunnerSettings<Parsed> {
  readonly title: string;
  readonly matchers: Readonly<Record<string, Matcher<unknown>>>;
  /** Undefined: dedupe is off. */
  readonly claims: Claims | undefined;
  /** The provider's name: keys are claimed as `confhooks:<name>:<key>`. */
  readonly namespace: string;
  readonly responseTimeoutMs: number | false;
  readonly lifecycle: Lifecycle;
  readonly reporter: Reporter;
  /** Calls the `trigger_event_success` listeners, each isolated. */
  readonly onMatch: (parsed: Parsed) => void;
  /** The answer's validator of each event whose answer carries data: its slot is an answerer. */
  readonly answerers: ReadonlyMap<string, Validator<unknown>>;
  /**
   * With a queue, every event but those whose answer carries data is sent to it instead of
   * matched, its key claimed as `confhooks-queued:<name>:<key>` (stored in the queue, which is not
   * handled: a consumer sharing the store claims `confhooks:<name>:<key>`).
   */
  readonly queue?: EventQueue<unknown> | undefined;
}

/** What a matcher threw or rejected with. */
class MatcherFailure {
  constructor(readonly error: unknown) {}
}

/** Why the queue did not store an event: what `send` threw or rejected with, or that it took too long. */
class QueueFailure {
  constructor(readonly error: unknown, readonly timedOut = false) {}
}

/**
 * Runs the events of a verified delivery: claims each one's key (unless dedupe is off), runs its
 * matcher and, when it returns `true`, the `trigger_event_success` listeners — or, with a queue,
 * sends it — then settles the claim; the answer comes from the policy once every event is done,
 * or at the deadline (`responseTimeoutMs`) from where they are then. Whatever a matcher, listener
 * or queue does — throw, reject, return a thenable whose `then` throws, never settle — this never
 * throws.
 */
export class Runner<Parsed extends ParsedShape> {
  readonly #settings: RunnerSettings<Parsed>;
  /** What an event's key is claimed under. */
  readonly #prefix: string;

  constructor(settings: RunnerSettings<Parsed>) {
    this.#settings = settings;
    this.#prefix = `${settings.queue ? "confhooks-queued" : "confhooks"}:${settings.namespace}:`;
  }

  /** Runs every event; synchronous when the store and the matchers (or the queue) are. */
  run(events: readonly Parsed[], tally: Tally): DeliveryResponse | Promise<DeliveryResponse> {
    const { responseTimeoutMs: timeout, claims, lifecycle } = this.#settings;
    const now = Date.now();
    // Claims wait for an earlier attempt until the deadline; without them, only the answer has one.
    const deadline = timeout !== false && claims ? now + timeout : undefined;
    const sending: Sending = { receivedAt: now, late: [] };
    let pending: Promise<void>[] | undefined;
    let answering = false;
    for (const parsed of events) {
      const answerer = this.#settings.answerers.get(parsed.type);
      answering ||= answerer !== undefined;
      const running = answerer ? this.#answer(parsed, answerer, tally) : this.#event(parsed, tally, deadline, sending);
      // Stryker disable next-line ArrayDeclaration: an extra value that is not a promise in the list Promise.all waits for changes nothing
      if (running) (pending ??= []).push(running);
    }
    if (!pending) return settleAnswer(tally);
    const done = lifecycle.track(Promise.all(pending).then(() => settleAnswer(tally)));
    if (timeout === false) return done;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<DeliveryResponse>((resolve) => {
      timer = setTimeout(() => {
        for (const expire of sending.late) expire();
        if (answering) this.#settings.reporter.report(new Error(`${this.#settings.title}: the answer was not ready within responseTimeoutMs (${timeout} ms); answered 503`));
        resolve(settleAnswer(tally, true, answering));
      }, deadline === undefined ? timeout : deadline - Date.now());
    });
    return Promise.race([done, late]).finally(() => clearTimeout(timer));
  }

  /**
   * An event whose answer carries data: its answerer's answer, once it matches the answer's
   * schema, is the response; `false` (or, from code without types, `true`, `null`, `undefined`)
   * gets the usual acknowledgement. Not claimed: each such request wants its own answer.
   */
  #answer(parsed: Parsed, validate: Validator<unknown>, tally: Tally): void | Promise<void> {
    const settle = (value: unknown): MatcherFailure | undefined => {
      if (typeof value === "boolean" || value === null || value === undefined) return this.#matched(value, parsed);
      const checked = validate(value);
      if (!checked.ok) {
        const first = checked.issues[0];
        return new MatcherFailure(new TypeError(`${this.#settings.title} ${parsed.type}: the answer does not match its schema, so it was not sent: ${first ? `${first.pointer || "(answer)"} ${first.message}` : "invalid"}`));
      }
      tally.answer = value as object;
      this.#settings.onMatch(parsed);
      return undefined;
    };
    let result: unknown;
    try {
      result = (this.#settings.matchers[parsed.type] as unknown as (event: unknown) => unknown)(parsed.event);
    } catch (error) {
      return this.#failed(parsed, new MatcherFailure(error), tally);
    }
    const failure = isThenable(result) ? Promise.resolve(result).then(settle, (error: unknown) => new MatcherFailure(error)) : settle(result);
    return after(failure, (outcome) => this.#failed(parsed, outcome, tally));
  }

  /** One event: claimed (unless dedupe is off), run or sent, its claim settled. */
  #event(parsed: Parsed, tally: Tally, deadline: number | undefined, sending: Sending): void | Promise<void> {
    const { claims, queue } = this.#settings;
    if (!claims) return queue ? this.#enqueue(parsed, tally, sending, undefined) : after(this.#match(parsed), (failure) => this.#failed(parsed, failure, tally));
    const key = this.#prefix + parsed.key;
    tally.claiming++;
    return after(claims.acquire(key, deadline), (claim) => this.#claimed(parsed, key, claim, tally, sending));
  }

  #claimed(parsed: Parsed, key: string, claim: Claim, tally: Tally, sending: Sending): void | Promise<void> {
    tally.claiming--;
    if (claim === "duplicate") tally.duplicates++;
    else if (claim === "in_flight") tally.inFlight++;
    else if (claim instanceof StoreFailure) {
      // Once per delivery: the 503 tells the provider to retry.
      if (tally.unavailable++ === 0) this.#storeFailed(claim, "answered 503 so that the provider retries");
    } else if (this.#settings.queue) return this.#enqueue(parsed, tally, sending, key);
    else return after(this.#match(parsed), (failure) => this.#settle(parsed, key, failure, tally));
  }

  /**
   * Sends one event to the queue; the answer waits for it until the deadline, when it counts as
   * not stored. Its claim (`key`) is completed once the send resolved, released once it failed —
   * even after the answer: a send that resolves after the 503 did store the event, so the
   * provider's retry is then a duplicate.
   */
  #enqueue(parsed: Parsed, tally: Tally, { receivedAt, late }: Sending, key: string | undefined): void | Promise<void> {
    let sent: unknown;
    try {
      sent = this.#settings.queue!.send(queueMessage(parsed, receivedAt));
    } catch (error) {
      sent = new QueueFailure(error);
    }
    if (!isThenable(sent)) {
      const failure = sent instanceof QueueFailure ? sent : undefined;
      return after(this.#settleSent(key, failure), () => this.#sent(parsed, failure, tally));
    }
    let counted = false;
    const count = (failure: QueueFailure | undefined) => {
      if (counted) return;
      counted = true;
      this.#sent(parsed, failure, tally);
    };
    // At the deadline (the delivery's late answer), a send still running counts as not stored.
    late.push(() => count(new QueueFailure(new Error(`send did not resolve within responseTimeoutMs (${this.#settings.responseTimeoutMs} ms)`), true)));
    const outcome = Promise.resolve(sent).then(() => undefined, (error: unknown) => new QueueFailure(error));
    return outcome.then((failure) => after(this.#settleSent(key, failure), () => count(failure)));
  }

  /** Completes the key of an event the queue stored, or releases it so that the provider's retry sends it again. */
  #settleSent(key: string | undefined, failure: QueueFailure | undefined): void | Promise<void> {
    if (key === undefined) return;
    return after(this.#settings.claims!.settle(key, failure === undefined), (store) => {
      if (store) this.#storeFailed(store, failure ? "the key may stay claimed until its lease ends" : "the event was stored in the queue; a retry may send it again");
    });
  }

  /** Counts an event sent, or one the queue did not store (reported with the event: the 503 makes the provider retry). */
  #sent(parsed: Parsed, failure: QueueFailure | undefined, tally: Tally): void {
    if (!failure) return;
    tally.unqueued++;
    // A timeout's error is made here (in #enqueue): its message alone says why.
    const why = failure.timedOut ? (failure.error as Error).message : describeThrown(failure.error);
    this.#settings.reporter.report(new Error(`${this.#settings.title} trigger: the queue did not store the ${parsed.type} event ${parsed.key} (${why}); answered 503 so that the provider retries`, { cause: failure.error }), parsed);
  }

  /** The matcher, then the listeners if it matched; a failure is returned, never thrown. */
  #match(parsed: Parsed): MatcherFailure | undefined | Promise<MatcherFailure | undefined> {
    try {
      const result: unknown = this.#settings.matchers[parsed.type]!(parsed.event);
      if (!isThenable(result)) return this.#matched(result, parsed);
      return Promise.resolve(result).then((value) => this.#matched(value, parsed), (error: unknown) => new MatcherFailure(error));
    } catch (error) {
      return new MatcherFailure(error);
    }
  }

  #matched(value: unknown, parsed: Parsed): undefined {
    if (value === true) this.#settings.onMatch(parsed);
    return undefined;
  }

  /** Completes the key of an event that ran, or releases it after a failure before the 500 goes out, so that the retry finds it free. */
  #settle(parsed: Parsed, key: string, failure: MatcherFailure | undefined, tally: Tally): void | Promise<void> {
    this.#failed(parsed, failure, tally);
    return after(this.#settings.claims!.settle(key, failure === undefined), (store) => {
      if (store) this.#storeFailed(store, failure ? "the key may stay claimed until its lease ends" : "the event was handled; a retry may run it again");
    });
  }

  #failed(parsed: Parsed, failure: MatcherFailure | undefined, tally: Tally): void {
    if (!failure) return;
    tally.failures++;
    this.#settings.reporter.report(failure.error, parsed);
  }

  #storeFailed({ error }: StoreFailure, consequence: string): void {
    this.#settings.reporter.report(new Error(`${this.#settings.title} trigger: the dedupe store failed (${describeThrown(error)}); ${consequence}`, { cause: error }));
  }
}

/** When a delivery was received, and what its late answer (at `responseTimeoutMs`) does first: count the sends still running as failed. */
interface Sending {
  readonly receivedAt: number;
  readonly late: (() => void)[];
}

/** The message of a parsed event: its fields a consumer reads, and when it was received. */
function queueMessage(parsed: ParsedShape & { readonly provider?: unknown; readonly envelope?: unknown }, receivedAt: number): QueuedEvent {
  const { provider, type, key, event, envelope } = parsed;
  const message = { provider: provider as string, type, key, event, receivedAt };
  return envelope === undefined ? message : { ...message, envelope: envelope as Readonly<Record<string, string>> };
}
