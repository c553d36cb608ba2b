/**
 * What makes a staged copy invalid on WebGPU, checked before anything is submitted: a buffer that is mapped
 * (from `mappedAtCreation`, or mapped by its user) and a buffer or texture destroyed behind the manager's
 * back (`manager.gpu(h).destroy()`). One invalid command fails the whole submit, so a copy into such a target
 * would take every other staged copy down with it; the belt skips it instead.
 *
 * WebGPU has no query for "destroyed", so the staging wraps the `destroy` method of each object it stages
 * for (once per object) to remember the call. The manager's own destroy goes through the same wrapper.
 */
import { ValidationError } from '../../../errors.ts';

const destroyed = new WeakSet<object>();
const watched = new WeakSet<object>();
/** Objects whose `destroy` could not be wrapped (frozen): only the GPU can tell they were destroyed. */
const unwatchable = new WeakSet<object>();

/**
 * Remembers when `object.destroy()` is called from now on. Cheap to repeat: once per object.
 *
 * @example
 * watchDestroy(buffer); buffer.destroy(); wasDestroyed(buffer) // true
 */
export function watchDestroy(object: GPUBuffer | GPUTexture): void {
  if (watched.has(object)) return;
  watched.add(object);
  const original = object.destroy;
  if (typeof original !== 'function') {
    unwatchable.add(object);
    return;
  }
  try {
    Object.defineProperty(object, 'destroy', {
      configurable: true,
      writable: true,
      value(this: GPUBuffer | GPUTexture): undefined {
        destroyed.add(object);
        return original.call(this);
      },
    });
  } catch {
    // A frozen object cannot be watched; its copies are then checked by the GPU alone.
    unwatchable.add(object);
  }
}

/**
 * True when a direct `destroy()` of `object` is seen ({@link watchDestroy} wrapped it): then
 * {@link checkUsable} knows everything about its state that makes a copy invalid.
 *
 * @example
 * watchDestroy(buffer); destroyWatched(buffer) // true for any Dawn or browser buffer that is not frozen
 */
export function destroyWatched(object: GPUBuffer | GPUTexture): boolean {
  return watched.has(object) && !unwatchable.has(object);
}

/**
 * True once a watched object's `destroy()` was called.
 * @example if (wasDestroyed(copy.target)) skip(copy);
 */
export function wasDestroyed(object: GPUBuffer | GPUTexture): boolean {
  return destroyed.has(object);
}

/**
 * True when a copy into (or from) `target` can be submitted: not destroyed, and for a buffer, not mapped.
 *
 * @example
 * for (const copy of copies) if (usable(copy.target)) recordCopy(encoder, copy);
 */
export function usable(target: GPUBuffer | GPUTexture): boolean {
  if (destroyed.has(target)) return false;
  const mapState = (target as GPUBuffer).mapState;
  return mapState === undefined || mapState === 'unmapped';
}

/**
 * Throws `ValidationError` when `target` was destroyed behind the manager's back or, for a buffer, is mapped
 * or pending a map (WebGPU refuses copies that touch it). `operation` says what was attempted.
 *
 * @example
 * checkUsable(buffer, 'uniforms', 'upload into'); // throws for a mappedAtCreation buffer not yet unmapped
 */
export function checkUsable(target: GPUBuffer | GPUTexture, label: string, operation: string): void {
  if (destroyed.has(target)) {
    throw new ValidationError(
      label,
      'gpu object',
      'destroyed',
      `cannot ${operation} a resource whose GPU object was destroyed directly; destroy it through the manager`,
    );
  }
  const mapState = (target as GPUBuffer).mapState;
  if (mapState !== undefined && mapState !== 'unmapped') {
    throw new ValidationError(
      label,
      'mapState',
      mapState,
      `cannot ${operation} a mapped buffer (GPU copies need it unmapped): call unmap() first`,
    );
  }
}
