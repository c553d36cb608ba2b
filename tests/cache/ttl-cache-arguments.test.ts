/**
 * TtlCache against hostile arguments and a hostile onDispose: typed errors naming the field, nothing stored or
 * disposed by a refused call, and every entry disposed exactly once by clear/clearExpired whatever throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DisposeReason, TtlCache } from '../../src/cache/ttl-cache.ts';
import { ValidationError } from '../../src/errors.ts';

const throwingProxy = new Proxy(
  {},
  {
    get() {
      throw new Error('trap');
    },
  },
);

const BAD_TTLS: [string, unknown][] = [
  ['"5" (a numeric string)', '5'],
  ['1n', 1n],
  ['NaN', Number.NaN],
  ['-1', -1],
  ['0', 0],
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['null', null],
  ['a Symbol', Symbol('ttl')],
  ['an object', { valueOf: () => 5 }],
  ['true', true],
];

function makeCache(onDispose?: (key: string, value: number, reason: DisposeReason) => void) {
  let t = 0;
  const disposed: [string, number, DisposeReason][] = [];
  const cache = new TtlCache<string, number>({
    ttlMs: 100,
    now: () => t,
    onDispose: (key, value, reason) => {
      disposed.push([key, value, reason]);
      onDispose?.(key, value, reason);
    },
  });
  return {
    cache,
    disposed,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('new TtlCache(hostile options)', () => {
  it.each<[string, unknown, RegExp]>([
    ['undefined', undefined, /'ttl cache': options = undefined is invalid: must be an options object/],
    ['null', null, /options = null is invalid/],
    ['a number', 100, /options = 100 is invalid/],
    ['a string', '100', /options = "100" is invalid/],
    ['a Symbol', Symbol('o'), /options = Symbol\(o\) is invalid/],
    ['a Proxy whose traps throw', throwingProxy, /ttlMs .*reading it threw Error: "trap"/],
    ['no ttlMs', {}, /ttlMs = undefined is invalid/],
    [
      'maxEntries = "2"',
      { ttlMs: 1, maxEntries: '2' },
      /maxEntries = "2" is invalid: must be an integer >= 1/,
    ],
    ['maxEntries = 2n', { ttlMs: 1, maxEntries: 2n }, /maxEntries = 2n is invalid/],
    ['maxEntries = Infinity', { ttlMs: 1, maxEntries: Number.POSITIVE_INFINITY }, /maxEntries = Infinity/],
    ['now = 5', { ttlMs: 1, now: 5 }, /now = 5 is invalid: must be a function or undefined/],
    ['onDispose = "log"', { ttlMs: 1, onDispose: 'log' }, /onDispose = "log" is invalid/],
    [
      'a throwing getter',
      Object.defineProperty({ ttlMs: 1 }, 'onDispose', {
        get() {
          throw new Error('getter');
        },
      }),
      /onDispose .*reading it threw Error: "getter"/,
    ],
  ])('%s: ValidationError naming the problem', (_, options, message) => {
    expect(() => new TtlCache(options as never)).toThrow(ValidationError);
    expect(() => new TtlCache(options as never)).toThrow(message);
  });

  it.each(BAD_TTLS)('ttlMs = %s is refused', (_, ttlMs) => {
    expect(() => new TtlCache({ ttlMs: ttlMs as never })).toThrow(ValidationError);
    expect(() => new TtlCache({ ttlMs: ttlMs as never })).toThrow(
      /ttlMs = .* is invalid: must be a number of ms > 0/,
    );
  });

  it('accepts Infinity (never expires), 2^53 and a frozen options object', () => {
    expect(new TtlCache(Object.freeze({ ttlMs: Number.POSITIVE_INFINITY })).ttlMs).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(new TtlCache({ ttlMs: 2 ** 53 }).ttlMs).toBe(2 ** 53);
  });
});

describe('TtlCache.set(hostile options)', () => {
  it.each(BAD_TTLS)(
    'a per-entry ttlMs = %s is refused; the old value stays and nothing is disposed',
    (_, ttlMs) => {
      const { cache, disposed } = makeCache();
      cache.set('a', 1);
      expect(() => cache.set('a', 2, { ttlMs: ttlMs as never })).toThrow(/options\.ttlMs = .* is invalid/);
      expect(() => cache.set('b', 2, { ttlMs: ttlMs as never })).toThrow(ValidationError);
      expect([...cache]).toEqual([['a', 1]]);
      expect(disposed).toEqual([]);
    },
  );

  it.each<[string, unknown]>([
    ['null', null],
    ['a number', 5],
    ['a Symbol', Symbol('o')],
    ['a Proxy whose traps throw', throwingProxy],
  ])('options = %s is refused and nothing is stored', (_, options) => {
    const { cache } = makeCache();
    expect(() => cache.set('a', 1, options as never)).toThrow(ValidationError);
    expect(cache.size).toBe(0);
  });

  it('the default TTL is a number, so a "5" cannot concatenate into a longer lifetime', () => {
    let t = 4;
    expect(() => new TtlCache({ ttlMs: '5' as never, now: () => t })).toThrow(ValidationError);
    const cache = new TtlCache<string, number>({ ttlMs: 5, now: () => t });
    cache.set('a', 1);
    t = 9;
    expect(cache.get('a')).toBeUndefined(); // 4 + 5, not "45"
  });
});

describe('TtlCache: onDispose that throws', () => {
  it('clear() disposes every entry and rethrows the one error', () => {
    const boom = new Error('boom');
    const { cache, disposed } = makeCache((key) => {
      if (key === 'b') throw boom;
    });
    for (const key of ['a', 'b', 'c']) cache.set(key, key.charCodeAt(0));
    expect(() => cache.clear()).toThrow(boom);
    expect(disposed.map(([key, , reason]) => `${key}:${reason}`)).toEqual([
      'a:cleared',
      'b:cleared',
      'c:cleared',
    ]);
    expect(cache.size).toBe(0);
  });

  it('clear() aggregates several errors in disposal order', () => {
    const { cache, disposed } = makeCache((key) => {
      if (key !== 'b') throw new Error(key);
    });
    for (const key of ['a', 'b', 'c']) cache.set(key, 0);
    let error: unknown;
    try {
      cache.clear();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual(['a', 'c']);
    expect((error as Error).message).toBe('ttl cache: 2 onDispose calls threw during clear()');
    expect(disposed).toHaveLength(3);
  });

  it('clearExpired() removes and disposes every expired entry whatever throws, and keeps live ones', () => {
    const { cache, disposed, advance } = makeCache(() => {
      throw new Error('always');
    });
    cache.set('old1', 1);
    cache.set('old2', 2);
    advance(50);
    cache.set('young', 3);
    advance(60);
    expect(() => cache.clearExpired()).toThrow(AggregateError);
    expect(disposed.map(([key]) => key)).toEqual(['old1', 'old2']);
    expect([...cache.keys()]).toEqual(['young']);
    expect(cache.stats()).toMatchObject({ size: 1, expirations: 2 });
  });

  it('set() that evicts stores the new entry before a throwing onDispose runs', () => {
    const boom = new Error('boom');
    const disposed: string[] = [];
    const cache = new TtlCache<string, number>({
      ttlMs: 100,
      maxEntries: 1,
      now: () => 0,
      onDispose: (key) => {
        disposed.push(key);
        throw boom;
      },
    });
    cache.set('a', 1);
    expect(() => cache.set('b', 2)).toThrow(boom);
    expect([...cache]).toEqual([['b', 2]]);
    expect(disposed).toEqual(['a']);
    expect(() => cache.set('b', 3)).toThrow(boom); // replaced: the new value is stored all the same
    expect(cache.get('b')).toBe(3);
  });

  it('onDispose may call back into the cache during clear()', () => {
    const cache: TtlCache<string, number> = new TtlCache<string, number>({
      ttlMs: 100,
      now: () => 0,
      onDispose: (key, value, reason) => {
        if (reason === 'cleared' && key !== 'again') cache.set('again', value);
      },
    });
    cache.set('a', 1);
    cache.clear();
    expect([...cache]).toEqual([['again', 1]]); // set after clear forgot everything: it stays
  });

  it('clear() disposes each entry exactly once for any set of throwing keys (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { maxLength: 20 }), fc.func(fc.boolean()), (keys, throws) => {
        const { cache, disposed } = makeCache((key) => {
          if (throws(key)) throw new Error(key);
        });
        for (const key of keys) cache.set(key, 0);
        const throwing = keys.filter((key) => throws(key));
        let error: unknown;
        try {
          cache.clear();
        } catch (e) {
          error = e;
        }
        expect(disposed.map(([key]) => key)).toEqual(keys);
        expect(cache.size).toBe(0);
        if (throwing.length === 0) expect(error).toBeUndefined();
        else if (throwing.length === 1) expect((error as Error).message).toBe(throwing[0]);
        else expect((error as AggregateError).errors).toHaveLength(throwing.length);
      }),
    );
  });
});
