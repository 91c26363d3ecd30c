/** Listener lists by event name, in the shape of Node's `EventEmitter`, without `node:events`. */
export class Emitter<Events extends Record<string, unknown[]>> {
  readonly #listeners = new Map<keyof Events, ((...args: any[]) => unknown)[]>();

  on<Name extends keyof Events>(name: Name, listener: (...args: Events[Name]) => unknown): this {
    this.#listeners.set(name, [...(this.#listeners.get(name) ?? []), listener]);
    return this;
  }

  once<Name extends keyof Events>(name: Name, listener: (...args: Events[Name]) => unknown): this {
    const wrapper = Object.assign((...args: Events[Name]) => {
      this.off(name, wrapper);
      return listener(...args);
    }, { listener });
    return this.on(name, wrapper);
  }

  /** Removes the last registration of `listener`, also one made with `once`. */
  off<Name extends keyof Events>(name: Name, listener: (...args: Events[Name]) => unknown): this {
    const list = this.#listeners.get(name) ?? [];
    for (let index = list.length - 1; index >= 0; index--) {
      const entry = list[index] as { (...args: unknown[]): unknown; listener?: unknown };
      if (entry !== listener && entry.listener !== listener) continue;
      this.#listeners.set(name, [...list.slice(0, index), ...list.slice(index + 1)]);
      break;
    }
    return this;
  }

  listenerCount(name: keyof Events): number {
    return this.#listeners.get(name)?.length ?? 0;
  }

  /**
   * Calls every listener of `name` in order; what one throws or rejects goes to `onFailure`
   * and never reaches the caller or the other listeners. Returns whether any listener ran.
   */
  protected emitIsolated<Name extends keyof Events>(name: Name, args: Events[Name], onFailure: (error: unknown) => void): boolean {
    const list = this.#listeners.get(name);
    if (!list) return false;
    for (const listener of list) {
      try {
        const result = listener(...args);
        if (isThenable(result)) result.then(undefined, onFailure);
      } catch (error) {
        onFailure(error);
      }
    }
    return list.length > 0;
  }
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}
