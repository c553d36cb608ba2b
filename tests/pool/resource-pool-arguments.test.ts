/**
 * ResourcePool against hostile arguments and timers: every bad value is a typed error naming the field, given
 * before anything is created, taken or queued, and the pool's stats are as they were.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AbortError, PoolReleaseError, TimeoutError, ValidationError } from '../../src/errors.ts';
import { MAX_TIMER_DELAY_MS, startDeadline } from '../../src/pool/deadline.ts';
import { ResourcePool } from '../../src/pool/resource-pool.ts';

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

const throwingGetter = (key: string) =>
  Object.defineProperty({}, key, {
    get() {
      throw new Error(`getter ${key}`);
    },
    enumerable: true,
  });
const throwingProxy = new Proxy(
  {},
  {
    get() {
      throw new Error('trap');
    },
  },
);

/** A pool holding one idle item (so a lost item would show), with a counted create. */
async function poolWithIdleItem(max = 2) {
  const create = vi.fn(() => ({ id: create.mock.calls.length }));
  const pool = new ResourcePool({ max, create, label: 'hostile' });
  pool.release(await pool.acquire());
  create.mockClear();
  return { pool, create };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('new ResourcePool(hostile options)', () => {
  it.each<[string, unknown, RegExp]>([
    ['undefined', undefined, /options = undefined is invalid: must be an options object/],
    ['null', null, /options = null is invalid/],
    ['a number', 5, /options = 5 is invalid/],
    ['a string', 'max', /options = "max" is invalid/],
    ['a Symbol', Symbol('o'), /options = Symbol\(o\) is invalid/],
    ['a Proxy whose traps throw', throwingProxy, /label .*reading it threw Error: "trap"/],
    [
      'a throwing max getter',
      {
        create: () => 1,
        ...{},
        get max(): number {
          throw new Error('no max');
        },
      },
      /max .*reading it threw Error: "no max"/,
    ],
    ['max = "2"', { max: '2', create: () => 1 }, /max = "2" is invalid: a pool holds at least 1 item/],
    ['max = 2n', { max: 2n, create: () => 1 }, /max = 2n is invalid/],
    ['max = null', { max: null, create: () => 1 }, /max = null is invalid/],
    ['max = -Infinity', { max: Number.NEGATIVE_INFINITY, create: () => 1 }, /max = -Infinity is invalid/],
    ['no create', { max: 1 }, /create = undefined is invalid: must be a function/],
    ['create = {}', { max: 1, create: {} }, /create = \{\} is invalid: must be a function/],
    [
      'reset = 1',
      { max: 1, create: () => 1, reset: 1 },
      /reset = 1 is invalid: must be a function or undefined/,
    ],
    ['destroy = null', { max: 1, create: () => 1, destroy: null }, /destroy = null is invalid/],
    [
      'label = Symbol',
      { max: 1, create: () => 1, label: Symbol('l') },
      /label = Symbol\(l\) is invalid: must be a string/,
    ],
    ['label = 5', { max: 1, create: () => 1, label: 5 }, /label = 5 is invalid/],
  ])('%s: ValidationError naming the problem', (_, options, message) => {
    expect(() => new ResourcePool(options as never)).toThrow(ValidationError);
    expect(() => new ResourcePool(options as never)).toThrow(message);
  });

  it('accepts a frozen options object and max = 2^53', () => {
    const pool = new ResourcePool(Object.freeze({ max: 2 ** 53, create: () => ({}) }));
    expect(pool.max).toBe(2 ** 53);
  });
});

describe('ResourcePool.acquire(hostile options)', () => {
  const hostileSignal = { aborted: false, addEventListener: () => {}, removeEventListener: () => {} };
  it.each<[string, unknown, RegExp]>([
    ['null', null, /options = null is invalid: must be an options object or undefined/],
    ['a number', 5, /options = 5 is invalid/],
    ['a string', 'fast', /options = "fast" is invalid/],
    ['a Symbol', Symbol('o'), /options = Symbol\(o\) is invalid/],
    ['timeoutMs = "5"', { timeoutMs: '5' }, /options\.timeoutMs = "5" is invalid: must be a finite number/],
    ['timeoutMs = 1n', { timeoutMs: 1n }, /options\.timeoutMs = 1n is invalid/],
    ['timeoutMs = Infinity', { timeoutMs: Number.POSITIVE_INFINITY }, /options\.timeoutMs = Infinity/],
    ['timeoutMs = -1', { timeoutMs: -1 }, /options\.timeoutMs = -1 is invalid/],
    ['timeoutMs = NaN', { timeoutMs: Number.NaN }, /options\.timeoutMs = NaN is invalid/],
    ['timeoutMs = null', { timeoutMs: null }, /options\.timeoutMs = null is invalid/],
    ['signal = {}', { signal: {} }, /options\.signal = \{\} is invalid: must be an AbortSignal/],
    ['signal = null', { signal: null }, /options\.signal = null is invalid/],
    ['signal = "abort"', { signal: 'abort' }, /options\.signal = "abort" is invalid/],
    [
      'signal = a throwing Proxy',
      { signal: throwingProxy },
      /options\.signal = .* is invalid: must be an AbortSignal/,
    ],
    ['signal = an AbortController', { signal: new AbortController() }, /options\.signal = .* is invalid/],
    [
      'a signal whose addEventListener throws',
      {
        signal: {
          ...hostileSignal,
          addEventListener: () => {
            throw new Error('no listeners');
          },
        },
      },
      /options\.signal = .* is invalid: its addEventListener threw/,
    ],
    [
      'a throwing signal getter',
      throwingGetter('signal'),
      /options\.signal .*reading it threw Error: "getter signal"/,
    ],
    ['a throwing timeoutMs getter', throwingGetter('timeoutMs'), /options\.timeoutMs .*reading it threw/],
    ['a Proxy whose traps throw', throwingProxy, /reading it threw Error: "trap"/],
  ])(
    '%s: rejects with a ValidationError; nothing created, taken, queued or lost',
    async (_, options, message) => {
      // Exhausted (max 1, the item out) so that a valid acquire would queue and arm its listeners.
      const { pool, create } = await poolWithIdleItem(1);
      const held = await pool.acquire();
      const before = pool.stats();
      let result: Promise<unknown> | undefined;
      expect(() => {
        result = pool.acquire(options as never);
      }).not.toThrow();
      await expect(result).rejects.toThrow(ValidationError);
      await expect(pool.acquire(options as never)).rejects.toThrow(message);
      await flush();
      expect(pool.stats()).toEqual(before);
      expect(create).not.toHaveBeenCalled();
      // The pool still works: the held item goes to the next valid caller, not to a ghost.
      const next = pool.acquire();
      pool.release(held);
      expect(await next).toBe(held);
    },
  );

  it('rejects bad options even when an idle item could be handed out, and keeps that item idle', async () => {
    const { pool } = await poolWithIdleItem();
    const before = pool.stats();
    await expect(pool.acquire({ signal: {} } as never)).rejects.toThrow(ValidationError);
    expect(pool.stats()).toEqual(before);
    expect(before.idle).toBe(1);
  });

  it('accepts a signal-shaped object (not an AbortSignal instance) and an explicit undefined', async () => {
    const listeners: (() => void)[] = [];
    const signal = {
      aborted: false,
      addEventListener: (_: string, listener: () => void) => listeners.push(listener),
      removeEventListener: () => {},
    };
    const pool = new ResourcePool({ max: 1, create: () => ({}) });
    const held = await pool.acquire({ signal: signal as never, timeoutMs: undefined });
    const waiting = pool.acquire({ signal: signal as never });
    listeners.at(-1)!(); // the waiting caller's listener (the first acquire registered one too)
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
    pool.release(held);
  });

  it('an abort reason that cannot be printed still rejects with AbortError', async () => {
    const pool = new ResourcePool({ max: 1, create: () => ({}) });
    const held = await pool.acquire();
    const controller = new AbortController();
    const waiting = pool.acquire({ signal: controller.signal });
    controller.abort(throwingProxy);
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
    const aborted = new AbortController();
    aborted.abort(throwingProxy);
    await expect(pool.acquire({ signal: aborted.signal })).rejects.toBeInstanceOf(AbortError);
    expect(pool.stats()).toMatchObject({ waiting: 0, inUse: 1 });
    pool.release(held);
  });
});

describe('ResourcePool: deadlines longer than setTimeout allows', () => {
  it.each([2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 40])(
    'timeoutMs = %s has not fired after 30 ms',
    async (timeoutMs) => {
      const pool = new ResourcePool({ max: 1, create: () => ({}) });
      const held = await pool.acquire();
      let settled = false;
      const waiting = pool.acquire({ timeoutMs }).finally(() => {
        settled = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(settled).toBe(false);
      expect(pool.stats().waiting).toBe(1);
      pool.release(held);
      expect(await waiting).toBe(held);
    },
  );

  it.each([0, 1, MAX_TIMER_DELAY_MS, 2 ** 31, 2 ** 32 + 5, 3 * MAX_TIMER_DELAY_MS])(
    'timeoutMs = %s fires exactly at the deadline (fake clock)',
    async (timeoutMs) => {
      vi.useFakeTimers();
      const pool = new ResourcePool({ max: 1, create: () => ({}) });
      pool.tryAcquire();
      let outcome: unknown;
      pool.acquire({ timeoutMs }).catch((error) => {
        outcome = error;
      });
      if (timeoutMs > 0) await vi.advanceTimersByTimeAsync(timeoutMs - 1);
      expect(outcome).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(outcome).toBeInstanceOf(TimeoutError);
      expect(vi.getTimerCount()).toBe(0);
    },
  );

  it('startDeadline: cancelling in the middle of a chain leaves no timer and never fires', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const cancel = startDeadline(3 * MAX_TIMER_DELAY_MS, fired);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS + 10);
    expect(vi.getTimerCount()).toBe(1);
    cancel();
    cancel();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(3 * MAX_TIMER_DELAY_MS);
    expect(fired).not.toHaveBeenCalled();
  });
});

describe('ResourcePool.release(hostile items)', () => {
  it.each<[string, unknown]>([
    ['a Symbol', Symbol('item')],
    ['a BigInt', 10n],
    ['a Proxy whose traps throw', throwingProxy],
    [
      'an object whose toString and toJSON throw',
      {
        toString: () => {
          throw new Error('s');
        },
        toJSON: () => {
          throw new Error('j');
        },
      },
    ],
    ['undefined', undefined],
    ['NaN', Number.NaN],
    ['a frozen object', Object.freeze({})],
  ])('%s: PoolReleaseError with a message, nothing changes', async (_, item) => {
    const { pool } = await poolWithIdleItem();
    const before = pool.stats();
    let error: unknown;
    try {
      pool.release(item as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PoolReleaseError);
    expect((error as Error).message).toMatch(
      /^resource pool 'hostile': release\(.+\) is invalid: the item is not checked out/,
    );
    expect(pool.stats()).toEqual(before);
  });

  it('a Revoked proxy item is reported too', async () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const { pool } = await poolWithIdleItem();
    expect(() => pool.release(proxy as never)).toThrow(PoolReleaseError);
  });
});

describe('ResourcePool: a hostile create', () => {
  it('a thenable whose then getter throws frees its slot and fails the caller', async () => {
    const error = new Error('then');
    const pool = new ResourcePool<object>({
      max: 1,
      create: () =>
        Object.defineProperty({}, 'then', {
          get() {
            throw error;
          },
        }) as never,
    });
    await expect(pool.acquire()).rejects.toBe(error);
    expect(pool.stats()).toMatchObject({ pending: 0, size: 0, waiting: 0 });
  });

  it('a thenable whose then throws rejects the caller and frees the slot', async () => {
    const error = new Error('then call');
    let calls = 0;
    const pool = new ResourcePool<object>({
      max: 1,
      create: () => {
        calls++;
        if (calls === 1)
          return {
            // biome-ignore lint/suspicious/noThenProperty: a hostile thenable is the point of this test
            then() {
              throw error;
            },
          } as never;
        return {};
      },
    });
    await expect(pool.acquire()).rejects.toBe(error);
    expect(pool.stats()).toMatchObject({ pending: 0, size: 0 });
    await expect(pool.acquire()).resolves.toEqual({});
  });
});

describe('ResourcePool: destroy that throws', () => {
  it('trim() and close() destroy every item whatever throws, and report every error', async () => {
    const destroyed: number[] = [];
    let next = 0;
    const pool = new ResourcePool<{ id: number }>({
      max: 4,
      create: () => ({ id: next++ }),
      destroy: (item) => {
        destroyed.push(item.id);
        if (item.id !== 1) throw new Error(`destroy ${item.id}`);
      },
    });
    const items = [pool.tryAcquire()!, pool.tryAcquire()!, pool.tryAcquire()!, pool.tryAcquire()!];
    for (const item of items) pool.release(item);
    expect(() => pool.trim(3)).toThrow('destroy 0'); // one error: itself
    let error: unknown;
    try {
      pool.close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual(['destroy 2', 'destroy 3']);
    expect(destroyed.sort()).toEqual([0, 1, 2, 3]);
    expect(pool.stats()).toMatchObject({ size: 0, idle: 0, destroyed: 4 });
  });
});
