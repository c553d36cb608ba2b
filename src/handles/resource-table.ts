import { ForeignHandleError, StaleHandleError, TableFullError, ValidationError } from '../errors.ts';
import {
  type Handle,
  INDEX_MASK,
  isHandleShaped,
  MAX_GENERATION,
  MAX_SLOTS,
  MAX_TAG,
  packHandle,
  unpackHandle,
} from './handle.ts';

/**
 * The slot-index mask as a module-local constant. V8 reads an imported binding through a cell on every use,
 * which cost about 40% of a lookup in bench/table.ts; a local `const` is folded into the compiled code.
 */
const SLOT_MASK = INDEX_MASK;

let nextTag = 1;

/** Hands out table tags 1..255 round-robin: two live tables share a tag only after 255 more were created. */
function allocateTag(): number {
  const tag = nextTag;
  nextTag = nextTag === MAX_TAG ? 1 : nextTag + 1;
  return tag;
}

/** Options of {@link ResourceTable}. */
export interface ResourceTableOptions {
  /** Most live entries at once; inserting past it throws `TableFullError`. Default: 2^20 (the index space). */
  capacity?: number;
  /** Initial number of slots allocated; the table grows by doubling. Default 64. */
  initialSlots?: number;
}

/**
 * A generational slot map: `insert` returns a handle, `get` of a removed entry's handle returns `undefined`
 * forever after, even when the slot is reused.
 *
 * Slot reuse: a freed slot is reused last-in first-out (warm in cache) with its generation bumped. A slot
 * survives 2^25 - 2 reuses (33,554,430); when its generation would pass 2^25 - 1 it is retired and never
 * handed out again, so no handle ever repeats within a table.
 *
 * @example
 * const table = new ResourceTable<string, 'name'>({ capacity: 1000 });
 * const h = table.insert('albedo');
 * table.get(h);    // 'albedo'
 * table.remove(h);
 * table.get(h);    // undefined: stale handles never resolve
 */
export class ResourceTable<T, K extends string = string> implements Iterable<[Handle<K>, T]> {
  /** This table's tag, embedded in every handle it issues. */
  readonly tag: number;
  /** Most live entries at once. */
  readonly capacity: number;
  /** Per slot: the live handle, or 0 when the slot is free. Comparing against it is the whole lookup. */
  private slotHandles: Float64Array;
  /** Per slot: the generation of the last handle issued for it (survives removal, for the next reuse). */
  private generations: Uint32Array;
  private values: (T | undefined)[] = [];
  private freeSlots: number[] = [];
  private highWater = 0;
  private live = 0;
  private retired = 0;

  constructor(options: ResourceTableOptions = {}) {
    const capacity = options.capacity ?? MAX_SLOTS;
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_SLOTS) {
      throw new ValidationError(
        'ResourceTable',
        'capacity',
        capacity,
        `must be an integer in [1, ${MAX_SLOTS}]`,
      );
    }
    this.capacity = capacity;
    this.tag = allocateTag();
    const initial = Math.min(Math.max(1, options.initialSlots ?? 64), capacity);
    this.slotHandles = new Float64Array(initial);
    this.generations = new Uint32Array(initial);
  }

  /** Number of live entries. */
  get size(): number {
    return this.live;
  }

  /** Number of slots retired because their generation ran out (expected to stay 0 in practice). */
  get retiredSlots(): number {
    return this.retired;
  }

  /**
   * Stores a value and returns its handle. Throws `TableFullError` at capacity.
   *
   * @example
   * const h = table.insert(record);
   */
  insert(value: T): Handle<K> {
    if (this.live >= this.capacity) throw new TableFullError(this.capacity);
    let index = this.freeSlots.pop();
    if (index === undefined) {
      if (this.highWater >= MAX_SLOTS) throw new TableFullError(this.capacity);
      index = this.highWater++;
      if (index >= this.slotHandles.length) this.grow();
    }
    const generation = this.generations[index]! + 1;
    this.generations[index] = generation;
    const handle = packHandle(this.tag, generation, index);
    this.slotHandles[index] = handle;
    this.values[index] = value;
    this.live++;
    return handle as Handle<K>;
  }

  /**
   * The value for a live handle, `undefined` for a stale, foreign or malformed one. O(1), no allocation.
   *
   * @example
   * const record = table.get(h) ?? fallback;
   */
  get(handle: number): T | undefined {
    // Not a number: `&` would coerce it (a Symbol throws, a Proxy or getter runs user code, an object's
    // valueOf could even forge a live handle).
    if (typeof handle !== 'number') return undefined;
    const index = handle & SLOT_MASK;
    // A free slot holds 0, so 0 (and -0) must never match one.
    return this.slotHandles[index] === handle && handle !== 0 ? this.values[index] : undefined;
  }

  /**
   * True when the handle is live in this table.
   *
   * @example
   * if (!table.has(h)) console.warn('gone');
   */
  has(handle: number): boolean {
    if (typeof handle !== 'number') return false;
    return this.slotHandles[handle & SLOT_MASK] === handle && handle !== 0;
  }

  /**
   * The value for a live handle, or a typed error saying why it does not resolve: `ForeignHandleError` for a
   * handle of another table, `StaleHandleError` for a removed or never-issued one.
   *
   * @example
   * const record = table.resolve(h); // throws instead of returning undefined
   */
  resolve(handle: number): T {
    const index = typeof handle === 'number' ? handle & SLOT_MASK : 0;
    if (this.slotHandles[index] === handle && handle !== 0) return this.values[index] as T;
    throw this.explainMiss(handle);
  }

  /**
   * Builds the error that says why a handle does not resolve (for callers that looked it up with `get`).
   *
   * @example
   * const value = table.get(h); if (value === undefined) throw table.explainMiss(h);
   */
  explainMiss(handle: number): Error {
    if (!isHandleShaped(handle)) {
      return new StaleHandleError(
        handle,
        'it is not a handle (handles are positive integers issued by a table)',
      );
    }
    const { tag, generation, index } = unpackHandle(handle);
    if (tag !== this.tag) return new ForeignHandleError(handle, tag, this.tag);
    const current = index < this.highWater ? this.generations[index]! : 0;
    if (generation > current) return new StaleHandleError(handle, 'it was never issued by this table');
    const live = this.slotHandles[index] !== 0;
    return new StaleHandleError(
      handle,
      `its resource was destroyed (slot ${index} is at generation ${current}${live ? ', now holding another resource' : ', free'})`,
    );
  }

  /**
   * Removes a live entry and returns its value; returns `undefined` (and changes nothing) for a stale handle.
   *
   * @example
   * const removed = table.remove(h);
   */
  remove(handle: number): T | undefined {
    if (typeof handle !== 'number') return undefined;
    const index = handle & SLOT_MASK;
    if (this.slotHandles[index] !== handle || handle === 0) return undefined;
    const value = this.values[index];
    this.slotHandles[index] = 0;
    this.values[index] = undefined;
    this.live--;
    if (this.generations[index]! < MAX_GENERATION) this.freeSlots.push(index);
    else this.retired++;
    return value;
  }

  /**
   * Removes every entry. Generations are kept, so handles issued before `clear` stay stale.
   *
   * @example
   * table.clear(); table.size // 0
   */
  clear(): void {
    for (let index = 0; index < this.highWater; index++) {
      if (this.slotHandles[index] !== 0) this.remove(this.slotHandles[index]!);
    }
  }

  /**
   * Live entries as `[handle, value]` in slot order. Removing the current entry during iteration is safe.
   *
   * @example
   * for (const [handle, record] of table) console.log(handle, record);
   */
  *[Symbol.iterator](): IterableIterator<[Handle<K>, T]> {
    for (let index = 0; index < this.highWater; index++) {
      const handle = this.slotHandles[index]!;
      if (handle !== 0) yield [handle as Handle<K>, this.values[index] as T];
    }
  }

  /**
   * Live handles, in slot order.
   *
   * @example
   * const handles = [...table.handles()];
   */
  *handles(): IterableIterator<Handle<K>> {
    for (const [handle] of this) yield handle;
  }

  private grow(): void {
    const length = Math.min(this.slotHandles.length * 2, MAX_SLOTS);
    const handles = new Float64Array(length);
    handles.set(this.slotHandles);
    const generations = new Uint32Array(length);
    generations.set(this.generations);
    this.slotHandles = handles;
    this.generations = generations;
  }
}
