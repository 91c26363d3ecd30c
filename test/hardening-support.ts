export { createTrigger, createWherebyTrigger, signDelivery, verifyDelivery, verifyDeliveryAsync, type Provider } from "../generated/src/index.js";
export { constantTimeEqual } from "../generated/src/runtime/core/mechanism.js";

/** `handleDelivery` called with any JavaScript value, as untyped callers may. */
export function handleDeliveryOf(trigger: { handleDelivery(request: never): Promise<unknown> }, request: unknown): Promise<unknown> {
  return trigger.handleDelivery(request as never);
}
