import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AbortError,
  DisposedError,
  PoolReleaseError,
  TimeoutError,
  ValidationError,
} from '../../src/errors.ts';
import { ResourcePool, type ResourcePoolOptions } from '../../src/pool/resource-pool.ts';

interface Item {
  id: number;
  dirty: boolean;
}

/** A pool of `{ id }` objects whose create/reset/destroy calls are recorded. */
function makePool(options: Partial<ResourcePoolOptions<Item>> & { async?: boolean } = {}) {
  let nextId = 0;
  const destroyed: Item[] = [];
  const resets: Item[] = [];
  const make = (): Item => ({ id: nextId++, dirty: false });
  const pool = new ResourcePool<Item>({
    max: 2,
    create: options.async ? async () => make() : make,
    reset: (item) => {
      resets.push(item);
      item.dirty = false;
    },
    destroy: (item) => destroyed.push(item),
    label: 'test',
    ...options,
  });
  return { pool, destroyed, resets };
}

/** Lets every queued microtask and promise callback run. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A promise whose settlement the test controls. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ResourcePool: construction', () => {
  it.each([0, -1, 1.5, Number.NaN])('rejects max = %s with a ValidationError naming the field', (max) => {
    expect(() => new ResourcePool({ max, create: () => ({}) })).toThrow(ValidationError);
    expect(() => new ResourcePool({ max, create: () => ({}), label: 'staging' })).toThrow(
      /'staging': max = /,
    );
  });

  it('accepts max = Infinity', () => {
    const pool = new ResourcePool({ max: Number.POSITIVE_INFINITY, create: () => ({}) });
    expect(pool.stats().max).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('ResourcePool: acquire and release', () => {
  it('counts misses and creations, then reuses a released item as a hit', async () => {
    const { pool, resets } = makePool();
    const a = await pool.acquire();
    expect(pool.stats()).toMatchObject({ size: 1, inUse: 1, idle: 0, hits: 0, misses: 1, created: 1 });
    a.dirty = true;
    pool.release(a);
    expect(resets).toEqual([a]);
    expect(a.dirty).toBe(false);
    expect(pool.stats()).toMatchObject({ size: 1, inUse: 0, idle: 1 });
    const again = await pool.acquire();
    expect(again).toBe(a);
    expect(pool.stats()).toMatchObject({ hits: 1, misses: 1, created: 1 });
  });

  it('reuses the most recently released item first', async () => {
    const { pool } = makePool();
    const a = await pool.acquire();
    const b = await pool.acquire();
    pool.release(a);
    pool.release(b);
    expect(await pool.acquire()).toBe(b);
  });

  it('makes a waiter wait when exhausted and serves it on release', async () => {
    const { pool } = makePool({ max: 1 });
    const a = await pool.acquire();
    let served: Item | undefined;
    const waiting = pool.acquire().then((item) => {
      served = item;
    });
    await flush();
    expect(served).toBeUndefined();
    expect(pool.stats()).toMatchObject({ waiting: 1, size: 1 });
    pool.release(a);
    await waiting;
    expect(served).toBe(a);
    expect(pool.stats()).toMatchObject({ waiting: 0, inUse: 1, idle: 0, hits: 1, misses: 1, created: 1 });
  });

  it('serves three waiters strictly in FIFO order', async () => {
    const { pool } = makePool({ max: 1 });
    const held = await pool.acquire();
    const order: string[] = [];
    const waiters = ['first', 'second', 'third'].map((name) =>
      pool.acquire().then((item) => {
        order.push(name);
        return item;
      }),
    );
    expect(pool.stats().waiting).toBe(3);
    let item = held;
    for (const waiter of waiters) {
      pool.release(item);
      item = await waiter;
      expect(item).toBe(held);
    }
    expect(order).toEqual(['first', 'second', 'third']);
    expect(pool.stats()).toMatchObject({ waiting: 0, created: 1 });
  });

  it('does not let a newcomer overtake queued waiters', async () => {
    const { pool } = makePool({ max: 1 });
    const held = await pool.acquire();
    const first = pool.acquire();
    pool.release(held);
    const second = pool.acquire(); // arrives after the release, while `first` has not run yet
    expect(await first).toBe(held);
    pool.release(held);
    expect(await second).toBe(held);
  });
});

describe('ResourcePool: timeout and abort', () => {
  it('rejects with TimeoutError after timeoutMs and leaves the pool as it was', async () => {
    vi.useFakeTimers();
    const { pool } = makePool({ max: 1 });
    const held = await pool.acquire();
    const before = pool.stats();
    const waiting = pool.acquire({ timeoutMs: 20 });
    const rejected = expect(waiting).rejects.toBeInstanceOf(TimeoutError);
    expect(pool.stats().waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(19);
    expect(pool.stats().waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await rejected;
    await expect(waiting).rejects.toThrow(/acquire from resource pool 'test' timed out after 20 ms/);
    expect(pool.stats()).toEqual(before);
    pool.release(held); // nobody is waiting any more: the item goes idle
    expect(pool.stats()).toMatchObject({ waiting: 0, idle: 1, inUse: 0 });
  });

  it('gives the item to the next waiter when an earlier one timed out', async () => {
    vi.useFakeTimers();
    const { pool } = makePool({ max: 1 });
    const held = await pool.acquire();
    const impatient = pool.acquire({ timeoutMs: 10 });
    const patient = pool.acquire();
    const rejected = expect(impatient).rejects.toBeInstanceOf(TimeoutError);
    await vi.advanceTimersByTimeAsync(10);
    await rejected;
    pool.release(held);
    expect(await patient).toBe(held);
  });

  it('does not time out once the item is delivered', async () => {
    vi.useFakeTimers();
    const { pool } = makePool({ max: 1 });
    const held = await pool.acquire();
    const waiting = pool.acquire({ timeoutMs: 10 });
    pool.release(held);
    await vi.advanceTimersByTimeAsync(50);
    expect(await waiting).toBe(held);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects at once with AbortError for an already-aborted signal, touching nothing', async () => {
    const { pool } = makePool();
    const controller = new AbortController();
    controller.abort('unmounted');
    const before = pool.stats();
    const error = await pool.acquire({ signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toBe('unmounted');
    expect(pool.stats()).toEqual(before);
  });

  it('rejects with AbortError when the signal aborts during the wait, and removes the waiter', async () => {
    const { pool } = makePool({ max: 1 });
    const held = await pool.acquire();
    const controller = new AbortController();
    const waiting = pool.acquire({ signal: controller.signal });
    const next = pool.acquire();
    expect(pool.stats().waiting).toBe(2);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
    expect(pool.stats().waiting).toBe(1);
    pool.release(held);
    expect(await next).toBe(held);
    pool.release(held);
    expect(pool.stats()).toMatchObject({ waiting: 0, idle: 1, inUse: 0 });
  });

  it('rejects an invalid timeoutMs with a ValidationError', async () => {
    const { pool } = makePool();
    await expect(pool.acquire({ timeoutMs: -1 })).rejects.toBeInstanceOf(ValidationError);
    await expect(pool.acquire({ timeoutMs: Number.NaN })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('ResourcePool: release misuse', () => {
  it('throws PoolReleaseError on a double release and changes nothing', async () => {
    const { pool, resets } = makePool();
    const a = await pool.acquire();
    pool.release(a);
    const before = pool.stats();
    expect(() => pool.release(a)).toThrow(PoolReleaseError);
    expect(() => pool.release(a)).toThrow(/released twice/);
    expect(pool.stats()).toEqual(before);
    expect(resets).toHaveLength(1);
  });

  it('throws PoolReleaseError on an item the pool never gave out and changes nothing', async () => {
    const { pool, destroyed } = makePool();
    await pool.acquire();
    const before = pool.stats();
    const foreign = { id: 99, dirty: false };
    expect(() => pool.release(foreign)).toThrow(PoolReleaseError);
    expect(() => pool.release(foreign)).toThrow(/not checked out of this pool/);
    expect(pool.stats()).toEqual(before);
    expect(destroyed).toEqual([]);
  });

  it('destroys an item whose reset throws, rethrows, and frees its slot for a waiter', async () => {
    const { pool, destroyed } = makePool({
      max: 1,
      reset: () => {
        throw new Error('reset failed');
      },
    });
    const a = await pool.acquire();
    const waiting = pool.acquire();
    expect(() => pool.release(a)).toThrow('reset failed');
    expect(destroyed).toEqual([a]);
    const b = await waiting;
    expect(b).not.toBe(a);
    expect(pool.stats()).toMatchObject({ size: 1, inUse: 1, created: 2, destroyed: 1, misses: 2 });
  });
});

describe('ResourcePool: close', () => {
  it('rejects every waiter with DisposedError and destroys outstanding items on release', async () => {
    const { pool, destroyed } = makePool({ max: 2 });
    const a = await pool.acquire();
    const b = await pool.acquire();
    const waiters = [pool.acquire(), pool.acquire()];
    pool.close();
    for (const waiter of waiters) await expect(waiter).rejects.toBeInstanceOf(DisposedError);
    expect(pool.stats()).toMatchObject({ waiting: 0, inUse: 2 });
    expect(destroyed).toEqual([]);
    pool.release(a);
    pool.release(b);
    expect(destroyed).toEqual([a, b]);
    expect(pool.stats()).toMatchObject({ size: 0, idle: 0, inUse: 0, destroyed: 2 });
  });

  it('destroys idle items, and refuses acquire and tryAcquire afterwards', async () => {
    const { pool, destroyed } = makePool({ max: 3 });
    const items = [await pool.acquire(), await pool.acquire(), await pool.acquire()];
    pool.release(items[0]!);
    pool.release(items[1]!);
    pool[Symbol.dispose]();
    expect(destroyed).toHaveLength(2);
    expect(pool.isClosed).toBe(true);
    await expect(pool.acquire()).rejects.toBeInstanceOf(DisposedError);
    expect(() => pool.tryAcquire()).toThrow(DisposedError);
    pool.close(); // idempotent
    expect(destroyed).toHaveLength(2);
    expect(pool.stats()).toMatchObject({ size: 1, idle: 0, inUse: 1, destroyed: 2 });
  });

  it('destroys an item whose async create finishes after close, and rejects its caller', async () => {
    const gate = deferred<Item>();
    const destroyed: Item[] = [];
    const pool = new ResourcePool<Item>({
      max: 1,
      create: () => gate.promise,
      destroy: (i) => destroyed.push(i),
    });
    const acquiring = pool.acquire();
    pool.close();
    const item = { id: 1, dirty: false };
    gate.resolve(item);
    await expect(acquiring).rejects.toBeInstanceOf(DisposedError);
    expect(destroyed).toEqual([item]);
    expect(pool.stats()).toMatchObject({ size: 0, pending: 0, created: 1, destroyed: 1 });
  });
});

describe('ResourcePool: trim', () => {
  it('destroys idle items beyond keep, coldest first', async () => {
    const { pool, destroyed } = makePool({ max: 5 });
    const items = [await pool.acquire(), await pool.acquire(), await pool.acquire(), await pool.acquire()];
    for (const item of items) pool.release(item);
    expect(pool.trim(1)).toBe(3);
    expect(destroyed).toEqual(items.slice(0, 3));
    expect(pool.stats()).toMatchObject({ size: 1, idle: 1, destroyed: 3 });
    expect(pool.trim(1)).toBe(0);
    expect(pool.trim()).toBe(1);
    expect(pool.stats()).toMatchObject({ size: 0, idle: 0, created: 4, destroyed: 4 });
    expect(() => pool.trim(-1)).toThrow(ValidationError);
  });

  it('never touches items in use', async () => {
    const { pool, destroyed } = makePool();
    await pool.acquire();
    expect(pool.trim()).toBe(0);
    expect(destroyed).toEqual([]);
  });
});

describe('ResourcePool: failing create', () => {
  it('undoes the reservation when an async create rejects', async () => {
    let fail = true;
    const pool = new ResourcePool({
      max: 1,
      create: async () => {
        if (fail) throw new Error('out of memory');
        return {};
      },
    });
    await expect(pool.acquire()).rejects.toThrow('out of memory');
    expect(pool.stats()).toMatchObject({ size: 0, pending: 0, created: 0 });
    fail = false;
    await expect(pool.acquire()).resolves.toEqual({});
    expect(pool.stats()).toMatchObject({ size: 1, inUse: 1, created: 1 });
  });

  it('undoes the reservation when a sync create throws, in acquire and tryAcquire', async () => {
    const pool = new ResourcePool<object>({
      max: 1,
      create: () => {
        throw new Error('bad descriptor');
      },
    });
    await expect(pool.acquire()).rejects.toThrow('bad descriptor');
    expect(() => pool.tryAcquire()).toThrow('bad descriptor');
    expect(pool.stats()).toMatchObject({ size: 0, pending: 0, waiting: 0 });
  });

  it('lets the next waiter create when the create ahead of it fails', async () => {
    const gates = [deferred<Item>(), deferred<Item>()];
    let calls = 0;
    const pool = new ResourcePool<Item>({ max: 1, create: () => gates[calls++]!.promise });
    const first = pool.acquire();
    const second = pool.acquire();
    expect(pool.stats()).toMatchObject({ pending: 1, waiting: 2 });
    gates[0]!.reject(new Error('lost'));
    await expect(first).rejects.toThrow('lost');
    expect(pool.stats()).toMatchObject({ pending: 1, waiting: 1 });
    const item = { id: 7, dirty: false };
    gates[1]!.resolve(item);
    expect(await second).toBe(item);
  });

  it('hands a created item to the oldest pending caller, not necessarily the one that started the create', async () => {
    const gates = [deferred<Item>(), deferred<Item>()];
    let calls = 0;
    const pool = new ResourcePool<Item>({ max: 2, create: () => gates[calls++]!.promise });
    const controller = new AbortController();
    const gaveUp = pool.acquire({ signal: controller.signal }); // starts create #0
    controller.abort();
    await expect(gaveUp).rejects.toBeInstanceOf(AbortError);
    const first = pool.acquire(); // starts create #1
    const second = pool.acquire(); // no room: waits
    expect(pool.stats()).toMatchObject({ pending: 2, waiting: 2 });
    const [item0, item1] = [
      { id: 0, dirty: false },
      { id: 1, dirty: false },
    ];
    gates[0]!.resolve(item0);
    expect(await first).toBe(item0);
    gates[1]!.resolve(item1);
    expect(await second).toBe(item1);
  });

  it('pools the item of a caller that timed out while its create was in flight', async () => {
    vi.useFakeTimers();
    const gate = deferred<Item>();
    const pool = new ResourcePool<Item>({ max: 1, create: () => gate.promise });
    const acquiring = pool.acquire({ timeoutMs: 5 });
    const rejected = expect(acquiring).rejects.toBeInstanceOf(TimeoutError);
    await vi.advanceTimersByTimeAsync(5);
    await rejected;
    gate.resolve({ id: 1, dirty: false });
    await vi.advanceTimersByTimeAsync(0);
    expect(pool.stats()).toMatchObject({ idle: 1, inUse: 0, pending: 0, created: 1 });
  });
});

describe('ResourcePool: tryAcquire', () => {
  it('returns idle items, creates synchronously while there is room, then undefined', () => {
    const { pool } = makePool({ max: 2 });
    const a = pool.tryAcquire();
    const b = pool.tryAcquire();
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect(pool.tryAcquire()).toBeUndefined();
    pool.release(a!);
    expect(pool.tryAcquire()).toBe(a);
    expect(pool.stats()).toMatchObject({ hits: 1, misses: 2, created: 2, inUse: 2 });
  });

  it('with an async create: returns undefined, pools the item when ready, then only returns idle items', async () => {
    let calls = 0;
    const pool = new ResourcePool({
      max: 3,
      create: async () => {
        calls++;
        return { n: calls };
      },
    });
    expect(pool.tryAcquire()).toBeUndefined();
    await flush();
    expect(pool.stats()).toMatchObject({ idle: 1, created: 1 });
    const item = pool.tryAcquire();
    expect(item).toEqual({ n: 1 });
    expect(pool.tryAcquire()).toBeUndefined();
    expect(calls).toBe(1);
  });
});

describe('ResourcePool: invariants (property)', () => {
  type Op =
    | { kind: 'acquire' | 'acquireAbortable' | 'tryAcquire' | 'flush' }
    | { kind: 'abort' | 'release'; pick: number }
    | { kind: 'trim'; keep: number };

  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      kind: fc.constantFrom('acquire' as const, 'acquireAbortable' as const, 'tryAcquire' as const),
    }),
    fc.record({
      kind: fc.constantFrom('abort' as const, 'release' as const, 'release' as const),
      pick: fc.nat(),
    }),
    fc.record({ kind: fc.constant('trim' as const), keep: fc.nat(3) }),
    // Ops between two flushes run in the same tick, so async creates are still in flight when they run.
    fc.constant({ kind: 'flush' as const }),
  );
  const configArb = fc.record({
    max: fc.integer({ min: 1, max: 4 }),
    async: fc.boolean(),
    failEvery: fc.constantFrom(0, 2, 3), // every n-th create fails (0: never)
  });

  it('keeps inUse + idle == size <= max, created - destroyed == size, and FIFO service', async () => {
    const property = fc.asyncProperty(
      configArb,
      fc.array(opArb, { maxLength: 80, size: 'max' }),
      async ({ max, async, failEvery }, ops) => {
        let calls = 0;
        const make = (): Item => {
          calls++;
          if (failEvery > 0 && calls % failEvery === 0) throw new Error('create failed');
          return { id: calls, dirty: false };
        };
        const { pool } = makePool({ max, create: async ? async () => make() : make });
        const held: Item[] = [];
        const controllers: AbortController[] = [];
        const servedOrder: number[] = [];
        const badRejections: unknown[] = [];
        let closed = false;
        let unsettled = 0;
        let ticketNo = 0;
        const startAcquire = (signal?: AbortSignal) => {
          const ticket = ticketNo++;
          unsettled++;
          pool.acquire({ signal }).then(
            (item) => {
              unsettled--;
              servedOrder.push(ticket);
              held.push(item);
            },
            (error: unknown) => {
              unsettled--;
              const expected = closed ? DisposedError : AbortError;
              const ok =
                error instanceof expected || (error instanceof Error && error.message === 'create failed');
              if (!ok) badRejections.push(error);
            },
          );
        };
        const checkStructure = () => {
          const s = pool.stats();
          expect(s.inUse + s.idle).toBe(s.size);
          expect(s.size + s.pending).toBeLessThanOrEqual(max);
          expect(s.created - s.destroyed).toBe(s.size);
          if (s.idle > 0) expect(s.waiting).toBe(0); // nobody waits while an item sits idle
          return s;
        };
        const flushAndCheck = async () => {
          await flush();
          const s = checkStructure();
          expect(s.pending).toBe(0);
          expect(s.inUse).toBe(held.length);
          expect(new Set(held).size).toBe(held.length);
          expect(s.waiting).toBe(unsettled);
        };

        for (const op of ops) {
          if (op.kind === 'acquire') startAcquire();
          else if (op.kind === 'acquireAbortable') {
            const controller = new AbortController();
            controllers.push(controller);
            startAcquire(controller.signal);
          } else if (op.kind === 'abort' && controllers.length > 0) {
            controllers.splice(op.pick % controllers.length, 1)[0]!.abort();
          } else if (op.kind === 'tryAcquire') {
            try {
              const item = pool.tryAcquire();
              if (item) held.push(item);
            } catch (error) {
              expect((error as Error).message).toBe('create failed');
            }
          } else if (op.kind === 'release' && held.length > 0) {
            pool.release(held.splice(op.pick % held.length, 1)[0]!);
          } else if (op.kind === 'trim') pool.trim(op.keep);
          if (op.kind === 'flush') await flushAndCheck();
          else checkStructure();
        }
        await flushAndCheck();
        // Acquirers are served in the order they called, whatever mix of hits, creates and hand-overs.
        expect(servedOrder).toEqual([...servedOrder].sort((a, b) => a - b));
        closed = true;
        pool.close();
        for (const item of held.splice(0)) pool.release(item);
        await flush();
        expect(unsettled).toBe(0);
        expect(badRejections).toEqual([]);
        const end = pool.stats();
        expect(end).toMatchObject({ size: 0, idle: 0, inUse: 0, waiting: 0, pending: 0 });
        expect(end.destroyed).toBe(end.created);
      },
    );
    await fc.assert(property, { numRuns: 200 });
  });
});
