/**
 * A key/value cache whose entries expire a fixed time after they were set (no sliding: reads do not extend
 * the lifetime). Expiry is lazy: an expired entry stays stored until a read, a write or `clearExpired()`
 * meets it, and then it is removed and handed to `onDispose` exactly once. Keys compare like Map keys.
 *
 * `onDispose` may throw and may call back into the cache: every operation finishes its own changes first
 * (the cache has already forgotten the entry), then calls `onDispose`. An operation that disposes several
 * entries (`clear`, `clearExpired`) disposes every one of them even if some calls throw, then rethrows: the
 * error itself when one call threw, an `AggregateError` of all of them, in disposal order, when several did.
 */
import { ValidationError } from '../errors.ts';
import { type OptionBag, readOption, readOptionBag } from '../monitor/read-options.ts';

/** Why an entry left the cache; passed to `onDispose`. */
export type DisposeReason = 'expired' | 'replaced' | 'deleted' | 'cleared' | 'evicted';

/** Configuration of a {@link TtlCache}. */
export interface TtlCacheOptions<K, V> {
  /** Default lifetime of an entry: a number of ms > 0, or `Infinity` for never (0 would store unreadable entries). */
  ttlMs: number;
  /** The clock, in ms. Defaults to `performance.now()`; inject one for tests or frame-based time. */
  now?: () => number;
  /** Called once for every value that leaves the cache, after the cache has already forgotten it. */
  onDispose?: (key: K, value: V, reason: DisposeReason) => void;
  /** Most entries stored; setting a new key past it evicts the entry closest to expiry (oldest on ties). */
  maxEntries?: number;
}

/** Counters of a {@link TtlCache}. */
export interface TtlCacheStats {
  /** Entries stored, including expired ones not yet swept. */
  size: number;
  /** `get` calls that returned a live value. */
  hits: number;
  /** `get` calls that found nothing, or an expired entry. */
  misses: number;
  /** Entries removed because their time was up. */
  expirations: number;
  /** Live entries removed to respect `maxEntries`. */
  evictions: number;
}

interface Entry<K, V> {
  readonly key: K;
  readonly value: V;
  readonly expiresAt: number;
  /** Insertion order: breaks expiry ties so that the oldest entry goes first. */
  readonly seq: number;
}

/**
 * A TTL cache with lazy expiry, per-entry TTL, disposal callbacks and an optional size bound.
 *
 * @example
 * const pipelines = new TtlCache<string, GPURenderPipeline>({ ttlMs: 30_000, maxEntries: 64 });
 * let pipeline = pipelines.get(key);
 * if (!pipeline) pipelines.set(key, (pipeline = device.createRenderPipeline(descriptor)));
 */
export class TtlCache<K, V> implements Iterable<[K, V]> {
  readonly ttlMs: number;
  readonly maxEntries: number | undefined;
  private readonly now: () => number;
  private readonly onDispose: ((key: K, value: V, reason: DisposeReason) => void) | undefined;
  private readonly map = new Map<K, Entry<K, V>>();
  /**
   * Min-heap on (expiresAt, seq) over the entries, so eviction and `clearExpired` never scan. Entries removed
   * from `map` stay here until popped (stale when `map.get(e.key) !== e`); the heap is rebuilt when they
   * outnumber the live ones.
   */
  private heap: Entry<K, V>[] = [];
  private seq = 0;
  private hits = 0;
  private misses = 0;
  private expirations = 0;
  private evictions = 0;

  /**
   * Every option is read once and checked before the cache exists.
   *
   * @throws ValidationError when `options` is not an object, `ttlMs` is not a number > 0 (or `Infinity`:
   *   strings, BigInts, NaN, 0 and negatives are refused), `maxEntries` is not an integer >= 1, `now` or
   *   `onDispose` is neither a function nor undefined, or reading an option throws.
   * @example
   * let t = 0;
   * const cache = new TtlCache<string, number>({ ttlMs: 100, now: () => t });
   */
  constructor(options: TtlCacheOptions<K, V>) {
    const bag = readOptionBag(OWNER, 'options', options, true);
    this.ttlMs = checkTtl(readOption(bag, 'ttlMs'), 'ttlMs');
    const maxEntries = readOption(bag, 'maxEntries');
    if (maxEntries !== undefined && !(Number.isInteger(maxEntries) && (maxEntries as number) >= 1)) {
      throw new ValidationError(OWNER, 'maxEntries', maxEntries, 'must be an integer >= 1');
    }
    this.maxEntries = maxEntries as number | undefined;
    this.now = (readFunction(bag, 'now') as (() => number) | undefined) ?? (() => performance.now());
    this.onDispose = readFunction(bag, 'onDispose') as TtlCacheOptions<K, V>['onDispose'];
  }

  /**
   * Entries stored, *including* expired ones that nothing has swept yet; O(1). See {@link liveSize}.
   * @example
   * if (cache.size > 1000) cache.clearExpired();
   */
  get size(): number {
    return this.map.size;
  }

  /** Entries not yet expired; O(n), and it sweeps nothing. @example const live = cache.liveSize(); */
  liveSize(): number {
    const now = this.now();
    let count = 0;
    for (const entry of this.map.values()) if (now < entry.expiresAt) count++;
    return count;
  }

  /**
   * The live value for `key`, or `undefined`. An expired entry is removed and disposed with `'expired'`.
   * @example
   * const bindGroup = cache.get('material:42');
   */
  get(key: K): V | undefined {
    const entry = this.liveEntry(key);
    if (entry === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    return entry.value;
  }

  /** Whether `key` has a live entry. Sweeps it if expired; does not count as a hit or miss. @example cache.has('k') */
  has(key: K): boolean {
    return this.liveEntry(key) !== undefined;
  }

  /**
   * Stores `value` for `ttlMs` (default: the cache's). A new key past `maxEntries` evicts first. The value it
   * replaces is disposed with `'replaced'` (`'expired'` if its time was already up), unless it is the same value.
   * The new entry is stored before `onDispose` runs for the one it displaced, so a throwing `onDispose` cannot
   * undo the set.
   *
   * @throws ValidationError for options that are not an object or a `ttlMs` that is not a number > 0 (or
   *   `Infinity`); nothing is stored or removed then.
   * @example
   * cache.set('atlas', texture, { ttlMs: 5_000 });
   */
  set(key: K, value: V, options?: { ttlMs?: number }): this {
    const bag = readOptionBag(OWNER, 'options', options, false, 'options.');
    const ttlOption = readOption(bag, 'ttlMs');
    const ttl = ttlOption === undefined ? this.ttlMs : checkTtl(ttlOption, 'options.ttlMs');
    const now = this.now();
    const old = this.map.get(key);
    let displaced: [Entry<K, V>, DisposeReason] | undefined;
    // Delete then set so that a replaced entry also moves to the back of the iteration order.
    if (old) {
      this.map.delete(key);
      if (!Object.is(old.value, value)) displaced = [old, now < old.expiresAt ? 'replaced' : 'expired'];
    } else if (this.maxEntries !== undefined && this.map.size >= this.maxEntries) {
      displaced = this.evictOne(now);
    }
    const entry: Entry<K, V> = { key, value, expiresAt: now + ttl, seq: this.seq++ };
    this.map.set(key, entry);
    this.push(entry);
    this.compactHeap();
    if (displaced) this.dispose(...displaced);
    return this;
  }

  /**
   * Removes `key`. Returns `true` if a live entry was removed (disposed with `'deleted'`); an expired one is
   * still removed, disposed with `'expired'`, and the result is `false`.
   * @example
   * cache.delete('material:42');
   */
  delete(key: K): boolean {
    const entry = this.map.get(key);
    if (entry === undefined) return false;
    const live = this.now() < entry.expiresAt;
    this.remove(entry, live ? 'deleted' : 'expired');
    return live;
  }

  /**
   * Removes every expired entry, disposing each with `'expired'`; O(k log n) for k expired entries. Every one
   * is removed before the first `onDispose` call, and every one is disposed even if some calls throw (see the
   * rule at the top of this file).
   * @returns how many entries were removed.
   * @example
   * setInterval(() => cache.clearExpired(), 10_000);
   */
  clearExpired(): number {
    const now = this.now();
    const expired: Entry<K, V>[] = [];
    for (let top = this.heap[0]; top !== undefined; top = this.heap[0]) {
      if (this.map.get(top.key) !== top) {
        this.pop();
        continue;
      }
      if (now < top.expiresAt) break;
      this.pop();
      this.map.delete(top.key);
      expired.push(top);
    }
    this.compactHeap();
    this.disposeAll(expired, 'expired', 'clearExpired()');
    return expired.length;
  }

  /**
   * Removes every entry, expired or not, then disposes each with `'cleared'` in insertion order. Every entry
   * is disposed even if some `onDispose` calls throw; then the error is rethrown (an `AggregateError` when
   * several threw).
   * @example
   * cache.clear()
   */
  clear(): void {
    const entries = [...this.map.values()];
    this.map.clear();
    this.heap = [];
    this.disposeAll(entries, 'cleared', 'clear()');
  }

  /** Live `[key, value]` pairs in insertion order; expired entries are skipped, not swept. @example [...cache] */
  *entries(): IterableIterator<[K, V]> {
    const now = this.now();
    for (const entry of this.map.values()) if (now < entry.expiresAt) yield [entry.key, entry.value];
  }

  /** Live keys. @example for (const key of cache.keys()) console.log(key); */
  *keys(): IterableIterator<K> {
    for (const [key] of this.entries()) yield key;
  }

  /** Live values. @example const textures = [...cache.values()]; */
  *values(): IterableIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  /** Same as {@link entries}. @example for (const [key, value] of cache) use(key, value); */
  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  /** A snapshot of the counters; O(1). @example const { hits, misses } = cache.stats(); */
  stats(): TtlCacheStats {
    const { hits, misses, expirations, evictions } = this;
    return { size: this.map.size, hits, misses, expirations, evictions };
  }

  private liveEntry(key: K): Entry<K, V> | undefined {
    const entry = this.map.get(key);
    if (entry === undefined || this.now() < entry.expiresAt) return entry;
    this.remove(entry, 'expired');
    return undefined;
  }

  /**
   * Frees one slot: the entry closest to expiry, which is `'expired'` if its time is already up. Returns it
   * undisposed, so the caller finishes its own change before `onDispose` runs.
   */
  private evictOne(now: number): [Entry<K, V>, DisposeReason] | undefined {
    for (let top = this.pop(); top !== undefined; top = this.pop()) {
      if (this.map.get(top.key) !== top) continue;
      this.map.delete(top.key);
      return [top, now < top.expiresAt ? 'evicted' : 'expired'];
    }
    return undefined;
  }

  private remove(entry: Entry<K, V>, reason: DisposeReason): void {
    this.map.delete(entry.key);
    this.compactHeap();
    this.dispose(entry, reason);
  }

  private dispose(entry: Entry<K, V>, reason: DisposeReason): void {
    if (reason === 'expired') this.expirations++;
    else if (reason === 'evicted') this.evictions++;
    this.onDispose?.(entry.key, entry.value, reason);
  }

  /** Disposes every entry even if some `onDispose` calls throw, then rethrows (aggregated when several). */
  private disposeAll(entries: readonly Entry<K, V>[], reason: DisposeReason, operation: string): void {
    const errors: unknown[] = [];
    for (const entry of entries) {
      try {
        this.dispose(entry, reason);
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) {
      throw new AggregateError(
        errors,
        `${OWNER}: ${errors.length} onDispose calls threw during ${operation}`,
      );
    }
  }

  // Binary min-heap on (expiresAt, seq).

  private push(entry: Entry<K, V>): void {
    this.heap.push(entry);
    this.siftUp(this.heap.length - 1);
  }

  private pop(): Entry<K, V> | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top !== undefined && last !== undefined && heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  /** Stale entries keep their values reachable: rebuild once they outnumber the live ones (amortized O(1)). */
  private compactHeap(): void {
    if (this.heap.length <= 32 || this.heap.length <= 2 * this.map.size) return;
    this.heap = [...this.map.values()];
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    const entry = heap[index]!;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (!before(entry, parent)) break;
      heap[index] = parent;
      index = parentIndex;
    }
    heap[index] = entry;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const entry = heap[index]!;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= heap.length) break;
      if (child + 1 < heap.length && before(heap[child + 1]!, heap[child]!)) child++;
      if (!before(heap[child]!, entry)) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = entry;
  }
}

function before<K, V>(a: Entry<K, V>, b: Entry<K, V>): boolean {
  return a.expiresAt < b.expiresAt || (a.expiresAt === b.expiresAt && a.seq < b.seq);
}

const OWNER = 'ttl cache';

/** A TTL is a number (no strings, no BigInts: `'5'` would concatenate into a 9 s TTL) > 0, or Infinity. */
function checkTtl(ttlMs: unknown, field: string): number {
  if (typeof ttlMs !== 'number' || !(ttlMs > 0)) {
    throw new ValidationError(OWNER, field, ttlMs, 'must be a number of ms > 0 (Infinity: never expires)');
  }
  return ttlMs;
}

function readFunction(bag: OptionBag, key: string): unknown {
  const value = readOption(bag, key);
  if (value !== undefined && typeof value !== 'function') {
    throw new ValidationError(OWNER, key, value, 'must be a function or undefined');
  }
  return value;
}
