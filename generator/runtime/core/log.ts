import type { DeliveryError } from "./delivery.js";
import { isThenable } from "./emitter.js";
import { clip } from "./text.js";

/** Reported to `onError` when a delivery is refused (401, 400, 413, …): the sender or the request was at fault, not your code. */
export class DeliveryRefusedError extends Error {
  constructor(readonly status: number, readonly delivery: DeliveryError, provider: string) {
    super(`${provider} delivery refused with ${status}: ${delivery.code}: ${delivery.message}`);
    this.name = "DeliveryRefusedError";
  }
}

/** How long a window of the default log lasts, and how many lines of one kind it prints. */
const windowMs = 10_000;
const linesPerKind = 5;

type Level = "warn" | "error";

/**
 * Where a trigger's failures and refusals go: `onError` when given, else the default log. The
 * default log writes one line per entry, at most five of a kind per ten seconds (a flood of bad
 * signatures cannot hide a failing matcher, nor fill a disk) and then a summary of what it left
 * out; a failure's stack trace goes to `console.debug`. Nothing here throws: a hook or a console
 * that does is logged, or ignored, and never changes an answer.
 */
export class Reporter {
  readonly #title: string;
  readonly #onError: ((error: unknown, parsed?: never) => unknown) | undefined;
  #windowStart = 0;
  readonly #printed = new Map<string, number>();
  readonly #skipped = new Map<string, number>();
  #summary: ReturnType<typeof setTimeout> | undefined;

  constructor(title: string, onError: ((error: unknown, parsed?: never) => unknown) | undefined) {
    this.#title = title;
    this.#onError = onError;
  }

  /** Hands a failure or a refusal to `onError`, once; what `onError` throws or rejects is logged. */
  report(error: unknown, parsed?: unknown): void {
    if (!this.#onError) return this.#default(error);
    try {
      const result = this.#onError(error, parsed as never);
      if (isThenable(result)) result.then(undefined, (failure: unknown) => this.#failure("onError failed", failure));
    } catch (failure) {
      this.#failure("onError failed", failure);
    }
  }

  /** One warning line of `kind` (the default `onUnknown` and `onInvalid`). */
  warn(kind: string, line: string): void {
    this.#write("warn", kind, `confhooks: ${line}`);
  }

  /** Writes the summary of the lines left out in the current window, if any. */
  flush(): void {
    clearTimeout(this.#summary);
    this.#summary = undefined;
    if (this.#skipped.size === 0) return;
    let total = 0;
    const kinds: string[] = [];
    for (const [kind, count] of this.#skipped) {
      total += count;
      kinds.push(`${count} × ${kind}`);
    }
    this.#skipped.clear();
    const seconds = Math.max(1, Math.round((Date.now() - this.#windowStart) / 1000));
    print("warn", `confhooks: ${this.#title}: ${total} more line(s) not logged in the last ${seconds} s (${kinds.join(", ")})`);
  }

  #default(error: unknown): void {
    if (error instanceof DeliveryRefusedError) this.#write("warn", `refused with ${error.status}`, `confhooks: ${error.message}`);
    else this.#failure("failure", error);
  }

  /** A failure: one line at the error level (the error, without its stack), the stack trace at the debug level. */
  #failure(kind: string, error: unknown): void {
    if (!this.#admit(kind)) return;
    const { name, message, stack } = inspectThrown(error);
    // An Error, as before, but printed as its first line: the stack trace goes to the debug level.
    const summary = new Error(clip(message));
    summary.stack = clip(`${name}: ${message}`);
    print("error", `confhooks: ${this.#title}${kind === "failure" ? "" : `, ${kind}`}:`, summary);
    if (stack !== undefined) print("debug", `confhooks: ${this.#title}: ${stack}`);
  }

  #write(level: Level, kind: string, line: string): void {
    if (this.#admit(kind)) print(level, clip(line));
  }

  /** Whether a line of `kind` fits in the current window; counts it among the skipped otherwise. */
  #admit(kind: string): boolean {
    const now = Date.now();
    if (now - this.#windowStart >= windowMs) {
      this.flush();
      this.#windowStart = now;
      this.#printed.clear();
    }
    const printed = this.#printed.get(kind) ?? 0;
    if (printed < linesPerKind) {
      this.#printed.set(kind, printed + 1);
      return true;
    }
    this.#skipped.set(kind, (this.#skipped.get(kind) ?? 0) + 1);
    if (this.#summary === undefined) {
      this.#summary = setTimeout(() => this.flush(), Math.max(0, this.#windowStart + windowMs - now));
      (this.#summary as { unref?: () => void }).unref?.();
    }
    return false;
  }
}

/** Writes to the console; a console that throws is ignored. */
function print(level: Level | "debug", ...args: unknown[]): void {
  try {
    console[level](...args);
  } catch {
    // Logging must never change an answer.
  }
}

/** `Name: message` of anything thrown, for a message; never throws. */
export function describeThrown(error: unknown): string {
  const { name, message } = inspectThrown(error);
  return clip(`${name}: ${message}`);
}

/** The name, message and stack of anything thrown, read without ever throwing. */
function inspectThrown(error: unknown): { readonly name: string; readonly message: string; readonly stack?: string | undefined } {
  try {
    if (error instanceof Error) {
      const stack: unknown = error.stack;
      return { name: String(error.name), message: String(error.message), stack: typeof stack === "string" ? clip(stack, 2_000) : undefined };
    }
    return { name: "thrown", message: typeof error === "string" ? error : (JSON.stringify(error) ?? String(error)) };
  } catch {
    return { name: "thrown", message: "a value that cannot be printed" };
  }
}
