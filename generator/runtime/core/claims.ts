import type { DedupeState, DedupeStore } from "./dedupe.js";
import { isThenable } from "./emitter.js";
import { after } from "./maybe.js";

/**
 * What a receiver may do with one event: run it (it holds the claim and must `settle` it), count
 * it as a duplicate (handled before), answer that an earlier attempt is still running, or answer
 * 503 because the store did not.
 */
export type Claim = "run" | "duplicate" | "in_flight" | StoreFailure;

/** The store threw, rejected or did not answer in time. */
export class StoreFailure {
  constructor(readonly error: unknown) {}
}

/** An attempt this receiver is running; those waiting for its outcome are told whether it succeeded. */
interface Running {
  waiters?: ((succeeded: boolean) => void)[];
}

/** How long a claim that is never completed holds (its receiver died mid-run): then a retry runs the event. */
export const defaultLeaseMs = 15 * 60_000;

/**
 * Deduplication as a trigger does it, on any `DedupeStore`: claims an event's key before it runs,
 * tells an attempt in flight from one done (its own attempts always; other receivers' when the
 * store has `state`), makes a retry of an event in flight wait for that attempt until the
 * delivery's deadline, and bounds every store call. Never throws.
 */
export class Claims {
  readonly #store: DedupeStore;
  readonly #ttlMs: number;
  readonly #timeoutMs: number;
  readonly #tracksDone: boolean;
  readonly #leaseMs: number;
  readonly #running = new Map<string, Running>();

  /** `leaseMs`: how long a claim that is never settled holds, when the store can complete claims. */
  constructor(store: DedupeStore, ttlMs: number, timeoutMs: number, leaseMs = defaultLeaseMs) {
    this.#store = store;
    this.#ttlMs = ttlMs;
    this.#timeoutMs = timeoutMs;
    this.#leaseMs = leaseMs;
    this.#tracksDone = typeof store.complete === "function" && typeof store.state === "function";
  }

  /**
   * Claims `key`, or tells why not. A retry of an event in flight waits for it until `deadline`
   * (epoch ms; `undefined`: as long as it takes): a success makes it a duplicate, a failure lets
   * this one run the event. Synchronous when the store is and nothing is in flight.
   */
  acquire(key: string, deadline: number | undefined): Claim | Promise<Claim> {
    const running = this.#running.get(key);
    if (running) return this.#await(key, running, deadline);
    return after(this.#claim(key), (claimed) => {
      if (claimed instanceof StoreFailure || claimed) return this.#claimed(key, claimed);
      const holder = this.#running.get(key); // claimed by this receiver while the store answered
      if (holder) return this.#await(key, holder, deadline);
      if (!this.#tracksDone) return "duplicate";
      return after(this.#call(() => this.#store.state!(key)), (state) => (state === "done" ? "duplicate" : this.#poll(key, state, deadline)));
    });
  }

  /**
   * Marks the end of an attempt: completes the key after a success, releases it after a failure
   * (so that the provider's retry runs it), then tells those waiting. Resolves with a store
   * failure to report, if any.
   */
  settle(key: string, succeeded: boolean): StoreFailure | undefined | Promise<StoreFailure | undefined> {
    const done = succeeded
      ? this.#tracksDone ? this.#call(() => this.#store.complete!(key, this.#ttlMs)) : undefined
      : this.#call(() => this.#store.release(key));
    return after(done, (outcome) => {
      const running = this.#running.get(key);
      this.#running.delete(key);
      for (const waiter of running?.waiters ?? []) waiter(succeeded);
      return outcome instanceof StoreFailure ? outcome : undefined;
    });
  }

  /** One claim in the store, with a lease when the store can complete it; one that lands after the timeout is released (nobody runs it). */
  #claim(key: string): boolean | StoreFailure | Promise<boolean | StoreFailure> {
    const ttlMs = this.#tracksDone ? Math.min(this.#leaseMs, this.#ttlMs) : this.#ttlMs;
    return this.#call(() => this.#store.claim(key, ttlMs), (late) => {
      if (late) this.#call(() => this.#store.release(key));
    });
  }

  #claimed(key: string, claimed: StoreFailure | true): Claim {
    if (claimed instanceof StoreFailure) return claimed;
    this.#running.set(key, {});
    return "run";
  }

  /** Waits for this receiver's own attempt at `key`. */
  async #await(key: string, running: Running, deadline: number | undefined): Promise<Claim> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const succeeded = await new Promise<boolean | undefined>((resolve) => {
      (running.waiters ??= []).push(resolve);
      if (deadline !== undefined) timer = setTimeout(() => resolve(undefined), Math.max(0, deadline - Date.now()));
    });
    clearTimeout(timer);
    if (succeeded === undefined) return "in_flight";
    return succeeded ? "duplicate" : this.acquire(key, deadline);
  }

  /**
   * Waits for another receiver's attempt at `key`, asking the store less and less often, until
   * it is done (a duplicate), free again (claimed here) or the deadline passes.
   */
  async #poll(key: string, first: DedupeState | StoreFailure, deadline: number | undefined): Promise<Claim> {
    let state: unknown = first;
    // Stryker disable next-line MethodExpression: Math.max only asks the store less often (pauses of 250, 500, 1000 ms…): every outcome is the same, seen up to one pause later
    for (let pause = 10; ; pause = Math.min(2 * pause, 250)) {
      if (state instanceof StoreFailure) return state;
      if (state === "done") return "duplicate";
      if (state === "free") {
        const claimed = await this.#claim(key);
        if (claimed instanceof StoreFailure || claimed) return this.#claimed(key, claimed);
      }
      const left = deadline === undefined ? pause : deadline - Date.now();
      // Stryker disable next-line EqualityOperator: `left < 0` differs only in the deadline's own millisecond, by one more look at the store 0 ms later: at the deadline, in flight or what the store then says are both right
      if (left <= 0) return "in_flight";
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
      const running = this.#running.get(key);
      if (running) return this.#await(key, running, deadline);
      state = await this.#call(() => this.#store.state!(key));
    }
  }

  /**
   * One store call, bounded: its result, or a `StoreFailure` when it throws, rejects or takes
   * longer than the timeout; `late` sees a result that came after the timeout.
   */
  #call<T>(call: () => T | Promise<T>, late?: (value: T) => void): T | StoreFailure | Promise<T | StoreFailure> {
    let result: T | Promise<T>;
    try {
      result = call();
    } catch (error) {
      return new StoreFailure(error);
    }
    if (!isThenable(result)) return result;
    return new Promise<T | StoreFailure>((resolve) => {
      const timer = setTimeout(() => {
        resolve(new StoreFailure(new Error(`the dedupe store did not answer within ${this.#timeoutMs} ms`)));
        Promise.resolve(result).then(late, () => {});
      }, this.#timeoutMs);
      Promise.resolve(result).then(
        (value) => (clearTimeout(timer), resolve(value)),
        (error: unknown) => (clearTimeout(timer), resolve(new StoreFailure(error))),
      );
    });
  }
}
