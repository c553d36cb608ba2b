import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DisposeReason, TtlCache, type TtlCacheOptions } from '../../src/cache/ttl-cache.ts';
import { ValidationError } from '../../src/errors.ts';

type Disposal<K, V> = [key: K, value: V, reason: DisposeReason];

/** A cache on a manual clock that records every onDispose call. */
function makeCache<K = string, V = unknown>(options: Partial<TtlCacheOptions<K, V>> = {}) {
  const clock = { t: 0 };
  const disposed: Disposal<K, V>[] = [];
  const cache = new TtlCache<K, V>({
    ttlMs: 100,
    now: () => clock.t,
    onDispose: (key, value, reason) => disposed.push([key, value, reason]),
    ...options,
  });
  return { cache, clock, disposed };
}

describe('TtlCache: construction', () => {
  it.each([0, -5, Number.NaN])('rejects ttlMs = %s', (ttlMs) => {
    expect(() => new TtlCache({ ttlMs })).toThrow(ValidationError);
  });

  it.each([0, 1.5, -1])('rejects maxEntries = %s', (maxEntries) => {
    expect(() => new TtlCache({ ttlMs: 10, maxEntries })).toThrow(/maxEntries = .* is invalid/);
  });

  it('rejects an invalid per-entry ttlMs without storing anything', () => {
    const { cache } = makeCache();
    expect(() => cache.set('a', 1, { ttlMs: 0 })).toThrow(ValidationError);
    expect(cache.size).toBe(0);
  });

  it('uses performance.now by default', () => {
    const cache = new TtlCache<string, number>({ ttlMs: 60_000 });
    cache.set('a', 1);
    expect(cache.get('a')).toBe(1);
  });
});

describe('TtlCache: expiry', () => {
  it('expires lazily on read: removes, disposes with "expired", returns undefined', () => {
    const { cache, clock, disposed } = makeCache<string, number>();
    cache.set('a', 1);
    clock.t = 99;
    expect(cache.get('a')).toBe(1);
    clock.t = 100;
    expect(cache.size).toBe(1); // still stored: nothing has looked at it yet
    expect(cache.liveSize()).toBe(0);
    expect(disposed).toEqual([]);
    expect(cache.get('a')).toBeUndefined();
    expect(disposed).toEqual([['a', 1, 'expired']]);
    expect(cache.size).toBe(0);
    expect(cache.stats()).toEqual({ size: 0, hits: 1, misses: 1, expirations: 1, evictions: 0 });
  });

  it('has() sweeps an expired entry without counting a hit or miss', () => {
    const { cache, clock, disposed } = makeCache<string, number>();
    cache.set('a', 1);
    expect(cache.has('a')).toBe(true);
    clock.t = 150;
    expect(cache.has('a')).toBe(false);
    expect(disposed).toEqual([['a', 1, 'expired']]);
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 0, expirations: 1 });
  });

  it('honours a per-entry TTL over the default', () => {
    const { cache, clock } = makeCache<string, number>();
    cache.set('short', 1, { ttlMs: 10 });
    cache.set('default', 2);
    cache.set('long', 3, { ttlMs: 1000 });
    cache.set('forever', 4, { ttlMs: Number.POSITIVE_INFINITY });
    clock.t = 10;
    expect(cache.get('short')).toBeUndefined();
    expect(cache.get('default')).toBe(2);
    clock.t = 500;
    expect([...cache.keys()]).toEqual(['long', 'forever']);
    clock.t = 1e12;
    expect([...cache.keys()]).toEqual(['forever']);
  });

  it('does not extend the lifetime on read', () => {
    const { cache, clock } = makeCache<string, number>();
    cache.set('a', 1);
    clock.t = 90;
    cache.get('a');
    clock.t = 100;
    expect(cache.get('a')).toBeUndefined();
  });

  it('clearExpired removes and disposes only the expired entries, earliest first, and returns the count', () => {
    const { cache, clock, disposed } = makeCache<string, number>();
    cache.set('c', 3, { ttlMs: 30 });
    cache.set('a', 1, { ttlMs: 10 });
    cache.set('b', 2, { ttlMs: 20 });
    cache.set('d', 4, { ttlMs: 40 });
    clock.t = 30;
    expect(cache.clearExpired()).toBe(3);
    expect(disposed).toEqual([
      ['a', 1, 'expired'],
      ['b', 2, 'expired'],
      ['c', 3, 'expired'],
    ]);
    expect([...cache]).toEqual([['d', 4]]);
    expect(cache.clearExpired()).toBe(0);
    expect(cache.stats().expirations).toBe(3);
  });
});

describe('TtlCache: onDispose reasons', () => {
  it('"replaced" for a new value, nothing for the same value, "expired" over an expired entry', () => {
    const { cache, clock, disposed } = makeCache<string, object>();
    const [v1, v2, v3] = [{ v: 1 }, { v: 2 }, { v: 3 }];
    cache.set('k', v1);
    cache.set('k', v1); // same object: refreshed, not disposed
    expect(disposed).toEqual([]);
    cache.set('k', v2);
    expect(disposed).toEqual([['k', v1, 'replaced']]);
    clock.t = 200;
    cache.set('k', v3);
    expect(disposed).toEqual([
      ['k', v1, 'replaced'],
      ['k', v2, 'expired'],
    ]);
    expect(cache.get('k')).toBe(v3);
  });

  it('re-setting the same value refreshes its TTL', () => {
    const { cache, clock } = makeCache<string, number>();
    cache.set('k', 1);
    clock.t = 90;
    cache.set('k', 1);
    clock.t = 150;
    expect(cache.get('k')).toBe(1);
  });

  it('"deleted" for a live entry (true), "expired" for an expired one (false), nothing for a missing key', () => {
    const { cache, clock, disposed } = makeCache<string, number>();
    cache.set('a', 1);
    cache.set('b', 2, { ttlMs: 10 });
    clock.t = 10;
    expect(cache.delete('a')).toBe(true);
    expect(cache.delete('b')).toBe(false);
    expect(cache.delete('missing')).toBe(false);
    expect(disposed).toEqual([
      ['a', 1, 'deleted'],
      ['b', 2, 'expired'],
    ]);
    expect(cache.size).toBe(0);
  });

  it('"cleared" for every entry on clear(), in insertion order', () => {
    const { cache, clock, disposed } = makeCache<string, number>();
    cache.set('a', 1, { ttlMs: 5 });
    cache.set('b', 2);
    clock.t = 10;
    cache.clear();
    expect(disposed).toEqual([
      ['a', 1, 'cleared'],
      ['b', 2, 'cleared'],
    ]);
    expect(cache.size).toBe(0);
    expect(cache.get('b')).toBeUndefined();
  });

  it('"evicted" for the entry closest to expiry when a new key goes past maxEntries', () => {
    const { cache, disposed } = makeCache<string, number>({ maxEntries: 2 });
    cache.set('long', 1, { ttlMs: 500 });
    cache.set('short', 2, { ttlMs: 50 });
    cache.set('new', 3, { ttlMs: 10 }); // the newcomer is never the victim, even with the shortest TTL
    expect(disposed).toEqual([['short', 2, 'evicted']]);
    expect([...cache.keys()]).toEqual(['long', 'new']);
    cache.set('long', 4); // replacing an existing key evicts nothing
    expect(disposed).toEqual([
      ['short', 2, 'evicted'],
      ['long', 1, 'replaced'],
    ]);
    expect(cache.stats()).toMatchObject({ size: 2, evictions: 1 });
  });

  it('evicts the oldest entry when expiry times tie', () => {
    const { cache, disposed } = makeCache<string, number>({ maxEntries: 3 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    cache.set('d', 4);
    cache.set('e', 5);
    expect(disposed.map(([key]) => key)).toEqual(['a', 'b']);
  });

  it('removes an already-expired entry as "expired" rather than evicting a live one', () => {
    const { cache, clock, disposed } = makeCache<string, number>({ maxEntries: 2 });
    cache.set('a', 1, { ttlMs: 5 });
    cache.set('b', 2);
    clock.t = 10;
    cache.set('c', 3);
    expect(disposed).toEqual([['a', 1, 'expired']]);
    expect(cache.stats()).toMatchObject({ evictions: 0, expirations: 1 });
  });
});

describe('TtlCache: iteration', () => {
  it('yields live entries in insertion order, a replaced entry moving to the back', () => {
    const { cache, clock } = makeCache<string, number>();
    cache.set('a', 1);
    cache.set('b', 2, { ttlMs: 10 });
    cache.set('c', 3);
    cache.set('a', 4);
    expect([...cache]).toEqual([
      ['b', 2],
      ['c', 3],
      ['a', 4],
    ]);
    clock.t = 10;
    expect([...cache.entries()]).toEqual([
      ['c', 3],
      ['a', 4],
    ]);
    expect([...cache.values()]).toEqual([3, 4]);
    expect(cache.size).toBe(3); // iteration skips expired entries but does not sweep them
  });

  it('stays correct after many replacements of the same keys (stale heap entries are compacted)', () => {
    const { cache, clock, disposed } = makeCache<number, number>({ maxEntries: 3 });
    for (let i = 0; i < 1000; i++) {
      clock.t = i;
      cache.set(i % 3, i, { ttlMs: 2000 - 2 * i }); // later sets expire sooner
    }
    expect(disposed.filter(([, , reason]) => reason !== 'replaced')).toEqual([]);
    cache.set(99, -1);
    // Key 0 was last set at t=999 with ttl 2, so it expires first (1001, vs 1002 and 1003).
    expect(disposed.at(-1)).toEqual([0, 999, 'evicted']);
  });
});

/** A deliberately naive reference: scans everything, no heap, no laziness tricks. */
class ModelCache {
  readonly entries = new Map<string, { value: number; expiresAt: number; seq: number }>();
  readonly log: Disposal<string, number>[] = [];
  stats = { hits: 0, misses: 0, expirations: 0, evictions: 0 };
  private seq = 0;
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number | undefined,
    private readonly clock: { t: number },
  ) {}
  private drop(key: string, reason: DisposeReason): void {
    const entry = this.entries.get(key)!;
    this.entries.delete(key);
    if (reason === 'expired') this.stats.expirations++;
    if (reason === 'evicted') this.stats.evictions++;
    this.log.push([key, entry.value, reason]);
  }
  private expired(key: string): boolean {
    return this.clock.t >= this.entries.get(key)!.expiresAt;
  }
  get(key: string): number | undefined {
    if (this.has(key)) {
      this.stats.hits++;
      return this.entries.get(key)!.value;
    }
    this.stats.misses++;
    return undefined;
  }
  has(key: string): boolean {
    if (!this.entries.has(key)) return false;
    if (!this.expired(key)) return true;
    this.drop(key, 'expired');
    return false;
  }
  set(key: string, value: number, { ttlMs = this.ttlMs }: { ttlMs?: number } = {}): void {
    const old = this.entries.get(key);
    const oldExpired = old !== undefined && this.expired(key);
    this.entries.delete(key);
    if (!old && this.maxEntries !== undefined && this.entries.size >= this.maxEntries) {
      const victim = [...this.entries].sort(([, a], [, b]) => a.expiresAt - b.expiresAt || a.seq - b.seq)[0]!;
      this.drop(victim[0], this.expired(victim[0]) ? 'expired' : 'evicted');
    }
    this.entries.set(key, { value, expiresAt: this.clock.t + ttlMs, seq: this.seq++ });
    if (old && old.value !== value) {
      if (oldExpired) this.stats.expirations++;
      this.log.push([key, old.value, oldExpired ? 'expired' : 'replaced']);
    }
  }
  delete(key: string): boolean {
    if (!this.entries.has(key)) return false;
    const live = !this.expired(key);
    this.drop(key, live ? 'deleted' : 'expired');
    return live;
  }
  clearExpired(): number {
    const expired = [...this.entries]
      .filter(([key]) => this.expired(key))
      .sort(([, a], [, b]) => a.expiresAt - b.expiresAt || a.seq - b.seq);
    for (const [key] of expired) this.drop(key, 'expired');
    return expired.length;
  }
  clear(): void {
    for (const [key, entry] of this.entries) this.log.push([key, entry.value, 'cleared']);
    this.entries.clear();
  }
  live(): [string, number][] {
    return [...this.entries].filter(([key]) => !this.expired(key)).map(([key, e]) => [key, e.value]);
  }
}

type Step =
  | { op: 'advance'; ms: number }
  | { op: 'set'; key: string; value: number; ttlMs: number | undefined }
  | { op: 'get' | 'has' | 'delete'; key: string }
  | { op: 'clearExpired' | 'clear' };

/** Runs the same steps on the cache and the model, comparing results, disposals, contents and stats. */
function checkAgainstModel(ttlMs: number, maxEntries: number | undefined, steps: readonly Step[]): void {
  const { cache, clock, disposed } = makeCache<string, number>({ ttlMs, maxEntries });
  const model = new ModelCache(ttlMs, maxEntries, clock);
  const apply = (target: TtlCache<string, number> | ModelCache, step: Step): unknown => {
    switch (step.op) {
      case 'advance':
        return undefined;
      case 'set':
        target.set(step.key, step.value, step.ttlMs === undefined ? {} : { ttlMs: step.ttlMs });
        return undefined;
      case 'get':
      case 'has':
      case 'delete':
        return target[step.op](step.key);
      case 'clearExpired':
        return target.clearExpired();
      case 'clear':
        return target.clear();
    }
  };
  for (const [index, step] of steps.entries()) {
    if (step.op === 'advance') clock.t += step.ms;
    const logStart = disposed.length;
    // One snapshot per side and a single comparison per step keeps long runs fast.
    const actual = {
      result: apply(cache, step),
      disposed: disposed.slice(logStart),
      live: [...cache],
      size: cache.size,
      liveSize: cache.liveSize(),
      stats: cache.stats(),
    };
    const expected = {
      result: apply(model, step),
      disposed: model.log.slice(logStart),
      live: model.live(),
      size: model.entries.size,
      liveSize: model.live().length,
      stats: { size: model.entries.size, ...model.stats },
    };
    if (index === steps.length - 1 || !isDeepEqual(actual, expected))
      expect({ step, ...actual }).toEqual({ step, ...expected });
    if (maxEntries !== undefined) expect(cache.size).toBeLessThanOrEqual(maxEntries);
  }
  expect(disposed).toEqual(model.log);
}

/** Structural equality for the plain snapshots above (arrays, objects, primitives). */
function isDeepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) =>
    isDeepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

describe('TtlCache: model-based (property)', () => {
  const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g');
  const advance = fc.record({
    op: fc.constant('advance' as const),
    ms: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 })),
  });
  const set = fc.record({
    op: fc.constant('set' as const),
    key,
    value: fc.integer({ min: 0, max: 3 }), // few values: same-value re-sets happen
    ttlMs: fc.option(fc.constantFrom(1, 5, 10, 20, 60), { nil: undefined }), // few values: expiry ties happen
  });
  const read = fc.record({ op: fc.constantFrom('get' as const, 'has' as const, 'delete' as const), key });
  const sweep = fc.record({ op: fc.constantFrom('clearExpired' as const, 'clear' as const) });
  const config = [
    fc.integer({ min: 1, max: 50 }),
    fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
  ] as const;

  it('behaves like a naive reference model', () => {
    const step = fc.oneof(
      { weight: 3, arbitrary: advance },
      { weight: 5, arbitrary: set },
      { weight: 6, arbitrary: read },
      { weight: 1, arbitrary: sweep },
    );
    fc.assert(fc.property(...config, fc.array(step, { maxLength: 200, size: 'max' }), checkAgainstModel), {
      numRuns: 300,
    });
  });

  it('behaves like the model under heavy churn without sweeps (stale heap entries pile up and get compacted)', () => {
    const step = fc.oneof(
      { weight: 1, arbitrary: advance },
      { weight: 4, arbitrary: set },
      { weight: 1, arbitrary: read },
    );
    fc.assert(
      fc.property(
        ...config,
        fc.array(step, { minLength: 50, maxLength: 300, size: 'max' }),
        checkAgainstModel,
      ),
      { numRuns: 100 },
    );
  });
});
