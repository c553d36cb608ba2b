/**
 * The tracker's own manager must not see its own creates as the engine's: its backend gets a view of the
 * device (or context) whose patched methods are the originals, captured before patching. The view is a Proxy
 * used only inside this library; engine code never receives it, and no GPU call ever takes it as an argument
 * (every method is called with the real object as `this`).
 */

/**
 * A view of `target` where the methods named in `originals` are those originals, every other function is
 * bound to `target`, and every other property is read from `target` itself (getters run on the real object).
 *
 * @example
 * const view = untrackedView(device, new Map([['createBuffer', device.createBuffer]]));
 */
export function untrackedView<T extends object>(target: T, originals: ReadonlyMap<PropertyKey, unknown>): T {
  const bound = new Map<PropertyKey, { source: unknown; fn: unknown }>();
  return new Proxy(target, {
    get(real, property) {
      const value = originals.has(property) ? originals.get(property) : Reflect.get(real, property, real);
      if (typeof value !== 'function') return value;
      const cached = bound.get(property);
      if (cached !== undefined && cached.source === value) return cached.fn;
      const fn = (value as (...args: unknown[]) => unknown).bind(real);
      bound.set(property, { source: value, fn });
      return fn;
    },
    set(real, property, value) {
      return Reflect.set(real, property, value, real);
    },
  });
}
