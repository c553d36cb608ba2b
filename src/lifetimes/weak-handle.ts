import type { Handle } from '../handles/handle.ts';

/**
 * A handle that does not keep its resource alive. `upgrade()` gives the live record, or `undefined` once the
 * resource is destroyed; since handles are generational it never resolves to a resource that later reused
 * the slot.
 *
 * @example
 * const weak = manager.weak(texture);
 * manager.destroy(texture);
 * weak.upgrade(); // undefined
 */
export class WeakHandle<K extends string, R> {
  constructor(
    /** The handle it refers to (stale once the resource is gone). */
    readonly handle: Handle<K>,
    private readonly lookup: (handle: Handle<K>) => R | undefined,
  ) {}

  /**
   * The live record, or `undefined` when the resource is gone.
   *
   * @example
   * const record = weak.upgrade(); if (record) draw(record.gpu);
   */
  upgrade(): R | undefined {
    return this.lookup(this.handle);
  }

  /** True while the resource is live. */
  get alive(): boolean {
    return this.lookup(this.handle) !== undefined;
  }
}
