import { isThenable } from "./emitter.js";
import type { Matcher } from "./matchers.js";

/** What a matcher threw or rejected with. */
export class MatcherFailure {
  constructor(readonly error: unknown) {}
}

/**
 * Runs one event's matcher and, when it returns `true`, `onMatch` (which calls the listeners,
 * each isolated). Synchronous when the matcher is. Never throws: a matcher that throws, rejects,
 * or returns a thenable whose `then` throws gives a `MatcherFailure`; `undefined` means it ran.
 */
export function runMatcher<Parsed extends { readonly event: unknown }>(
  matcher: Matcher<unknown>,
  parsed: Parsed,
  onMatch: (parsed: Parsed) => void,
): MatcherFailure | undefined | Promise<MatcherFailure | undefined> {
  try {
    const result: unknown = matcher(parsed.event);
    if (!isThenable(result)) return matched(result, parsed, onMatch);
    return Promise.resolve(result).then((value) => matched(value, parsed, onMatch), (error: unknown) => new MatcherFailure(error));
  } catch (error) {
    return new MatcherFailure(error);
  }
}

function matched<Parsed>(value: unknown, parsed: Parsed, onMatch: (parsed: Parsed) => void): undefined {
  if (value === true) onMatch(parsed);
  return undefined;
}
