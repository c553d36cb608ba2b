/**
 * Method patches on one object instance (a device, a context, a texture): the object keeps its identity, its
 * prototype and every other property; only an own property shadows the prototype's method for as long as the
 * patch lives. The wrapper receives the original bound to nothing, so it can call it with the caller's `this`
 * and arguments and return its result unchanged.
 */

/** Undoes a patch: the object's own property is removed (or the one it had before is put back). */
export type Restore = () => void;

// biome-ignore lint/suspicious/noExplicitAny: methods of any signature are patched through one helper.
type AnyFunction = (this: any, ...args: any[]) => any;

/**
 * Shadows `target[name]` with `wrap(original)`. `original` is the method as the object resolved it before
 * (its own property or its prototype's), so patches nest. Returns the undo, which restores exactly what was
 * there: no own property (the prototype's method shows through again) or the previous own value.
 *
 * @example
 * const restore = patchMethod(device, 'createBuffer', (original) => function (desc) {
 *   const buffer = original.call(this, desc); seen(buffer); return buffer;
 * });
 */
export function patchMethod<T extends object, N extends keyof T & string>(
  target: T,
  name: N,
  wrap: (original: T[N] & AnyFunction) => T[N] & AnyFunction,
): Restore {
  const original = (target as Record<string, unknown>)[name];
  if (typeof original !== 'function') return () => {};
  const own = Object.getOwnPropertyDescriptor(target, name);
  const patched = wrap(original as T[N] & AnyFunction);
  Object.defineProperty(target, name, {
    value: patched,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  // The undo holds the object weakly: keeping it would keep an engine's dropped object alive.
  const ref = new WeakRef(target);
  return () => {
    const object = ref.deref() as Record<string, unknown> | undefined;
    // Collected, or someone patched over us and did not undo it: leave their property alone.
    if (object === undefined || object[name] !== patched) return;
    if (own) Object.defineProperty(object, name, own);
    else delete object[name];
  };
}
