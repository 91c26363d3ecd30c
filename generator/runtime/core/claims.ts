import type { DedupeStore } from "./dedupe.js";
import { isThenable } from "./emitter.js";

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
const leaseMs = 15 * 60_000;

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
  readonly #running = new Map<string, Running>();

  constructor(store: DedupeStore, ttlMs: number, timeoutMs: number) {
    this.#store = store;
    this.#ttlMs = ttlMs;
    this.#timeoutMs = timeoutMs;
    this.#tracksDone = typeof store.complete === "function" && typeof store.state === "function";
  }

  /**
   * Claims `key`, or tells why not. A retry of an event in flight waits for it until `deadline`
   * (epoch ms; `undefined`: as long as it takes): a success makes it a duplicate, a failure lets
   * this one run the event.
   */
  acquire(key: string, deadline: number | undefined): Claim | Promise<Claim> {
    const running = this.#running.get(key);
    if (running) return this.#await(key, running, deadline);
    const claimed = this.#call(() => this.#store.claim(key, this.#tracksDone ? Math.min(leaseMs, this.#ttlMs) : this.#ttlMs), (late) => {
      if (late === true) this.#call(() => this.#store.release(key)); // claimed after we gave up on it: nobody runs it
    });
    return isThenable(claimed) ? claimed.then((result) => this.#claimed(key, result, deadline)) : this.#claimed(key, claimed, deadline);
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
    const tell = (outcome: unknown) => {
      const running = this.#running.get(key);
      this.#running.delete(key);
      for (const waiter of running?.waiters ?? []) waiter(succeeded);
      return outcome instanceof StoreFailure ? outcome : undefined;
    };
    return isThenable(done) ? done.then(tell) : tell(done);
  }

  #claimed(key: string, claimed: unknown, deadline: number | undefined): Claim | Promise<Claim> {
    if (claimed instanceof StoreFailure) return claimed;
    if (claimed === true) {
      this.#running.set(key, {});
      return "run";
    }
    const running = this.#running.get(key); // claimed by this receiver while the store answered
    if (running) return this.#await(key, running, deadline);
    return this.#tracksDone ? this.#poll(key, deadline) : "duplicate";
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

  /** Waits for another receiver's attempt at `key`, asking the store, less and less often. */
  async #poll(key: string, deadline: number | undefined): Promise<Claim> {
    for (let pause = 10; ; pause = Math.min(2 * pause, 250)) {
      const state = await this.#call(() => this.#store.state!(key));
      if (state instanceof StoreFailure) return state;
      if (state === "done") return "duplicate";
      if (state !== "in_flight" || this.#running.has(key)) return this.acquire(key, deadline);
      const left = deadline === undefined ? pause : deadline - Date.now();
      if (left <= 0) return "in_flight";
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
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
