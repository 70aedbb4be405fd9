import { AbstractRichFunction, isRichFunction } from './rich-function.ts';

/** The rich function a plain-object function becomes: the object's own fields and methods. */
class PlainFunctionObject extends AbstractRichFunction {}

/**
 * A function given as an object literal (`{ processElement1(v, ctx, out) {...}, count: 0 }`) runs as
 * a rich function: its methods are called with `this` holding its fields plus open, close and
 * getRuntimeContext(), as if it had extended the function class. Rich functions and instances of
 * other classes are used as they are.
 */
export function asRichFunction<F extends object>(fn: F): F {
  if (isRichFunction(fn) || Object.getPrototypeOf(fn) !== Object.prototype) return fn;
  return Object.assign(new PlainFunctionObject(), fn);
}
