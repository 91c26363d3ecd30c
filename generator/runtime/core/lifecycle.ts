export interface StopOptions {
  /** How long deliveries in flight may still finish. Default 10,000 ms. */
  readonly timeoutMs?: number | undefined;
}

/**
 * Whether a trigger takes deliveries, and which are still in flight: `stop()` turns new ones
 * away and waits for those, up to a deadline. Stopping is final.
 */
export class Lifecycle {
  readonly #inFlight = new Set<Promise<unknown>>();
  #stopping = false;

  /** Whether `stop()` has been called. */
  get stopping(): boolean {
    return this.#stopping;
  }

  /** Keeps a promise in the in-flight set until it settles, so that `stop()` can wait for it. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.#inFlight.add(promise);
    const forget = () => this.#inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  /**
   * Stops taking deliveries and resolves once those in flight have finished, or after
   * `timeoutMs` (checked by `stopTimeout`), with how many were abandoned (each counted once).
   */
  async stop(timeoutMs: number): Promise<number> {
    this.#stopping = true;
    const deadline = Date.now() + timeoutMs;
    while (this.#inFlight.size > 0 && Date.now() < deadline) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const expired = new Promise<void>((resolve) => (timer = setTimeout(resolve, deadline - Date.now())));
      await Promise.race([Promise.allSettled([...this.#inFlight]), expired]);
      clearTimeout(timer);
    }
    const abandoned = this.#inFlight.size;
    this.#inFlight.clear(); // reported once; a later stop() does not wait for them again
    return abandoned;
  }
}

/** `stop()`'s deadline, checked: a `TypeError` before anything stops. */
export function stopTimeout(options: StopOptions | undefined): number {
  const timeoutMs = options?.timeoutMs ?? 10_000;
  if (!(typeof timeoutMs === "number" && timeoutMs >= 0 && timeoutMs < 2 ** 31)) {
    throw new TypeError(`stop: timeoutMs must be a number of milliseconds below 2³¹, got ${String(timeoutMs)}`);
  }
  return timeoutMs;
}
