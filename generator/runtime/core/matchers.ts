/**
 * Decides whether an event should trigger: return `true` (or a promise of `true`) to fire.
 * Mirrors the matchers of Whereby's `webhookTriggers`.
 */
export type Matcher<Event> = (event: Event) => boolean | Promise<boolean>;

/**
 * The slot of an event whose answer carries data (8x8's SETTINGS_PROVISIONING): returns the
 * answer, validated before it is sent, or `false` to answer as to any delivery.
 */
export type Answerer<Event, Answer> = (event: Event) => Answer | false | Promise<Answer | false>;

/** The default matcher of every slot: never triggers. */
export const neverMatch: Matcher<unknown> = () => false;

/**
 * Returns a registry with a matcher in every slot, `neverMatch` where `given` has none.
 * Throws a `TypeError` naming the key when `given` holds a slot that is not an event type,
 * so a misspelt event name fails at start-up instead of never firing.
 */
export function fillMatchers<Registry extends { [Type in keyof Registry]: Matcher<never> | Answerer<never, unknown> }>(
  eventTypes: readonly (keyof Registry & string)[],
  given: Partial<Registry>,
): Registry {
  const slots = given as Record<string, unknown>;
  for (const [key, matcher] of Object.entries(slots)) {
    if (!(eventTypes as readonly string[]).includes(key)) {
      throw new TypeError(`Unknown event type ${JSON.stringify(key)} in webhookTriggers; known types: ${eventTypes.join(", ")}`);
    }
    if (matcher !== undefined && typeof matcher !== "function") {
      throw new TypeError(`webhookTriggers[${JSON.stringify(key)}] must be a function, got ${typeof matcher}`);
    }
  }
  const registry: Record<string, unknown> = {};
  for (const type of eventTypes) registry[type] = slots[type] ?? neverMatch;
  return registry as Registry;
}
