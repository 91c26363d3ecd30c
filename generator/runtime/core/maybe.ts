import { isThenable } from "./emitter.js";

/**
 * `next(value)`, after the value when it is a promise: the hot path stays synchronous as long as
 * every step is (a response written in the tick that read the request costs a server less).
 */
export function after<T, R>(value: T | Promise<T>, next: (value: T) => R | Promise<R>): R | Promise<R> {
  return isThenable(value) ? (value as Promise<T>).then(next) : next(value as T);
}
