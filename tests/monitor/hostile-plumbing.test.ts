/**
 * One hostile-input table over the plumbing around the manager: the emitter, the usage broadcast, the
 * resource pool, the TTL cache and the stats overlay. Every call x every hostile value either is accepted (a
 * few are valid for a given call, listed with it) or throws / rejects with a typed error (a GpuHandlesError)
 * whose message names the field; and what the call could have changed is identical before and after.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TtlCache } from '../../src/cache/ttl-cache.ts';
import { GpuHandlesError } from '../../src/errors.ts';
import { Emitter } from '../../src/events.ts';
import type { LedgerSnapshot } from '../../src/ledger.ts';
import { UsageBroadcast } from '../../src/monitor/usage-broadcast.ts';
import { createStatsOverlay, type StatsSource } from '../../src/overlay/stats-overlay.ts';
import { ResourcePool } from '../../src/pool/resource-pool.ts';

const revoked = Proxy.revocable({}, {});
revoked.revoke();

/** The hostile values, by name. Getters and traps throw on every read. */
const HOSTILE: Record<string, () => unknown> = {
  undefined: () => undefined,
  null: () => null,
  NaN: () => Number.NaN,
  Infinity: () => Number.POSITIVE_INFINITY,
  '-1': () => -1,
  '2^53': () => 2 ** 53,
  'empty string': () => '',
  'numeric string': () => '5',
  Symbol: () => Symbol('hostile'),
  BigInt: () => 5n,
  'throwing getters': () =>
    new Proxy(
      {},
      {
        get() {
          throw new Error('getter');
        },
        has() {
          throw new Error('has');
        },
      },
    ),
  'revoked Proxy': () => revoked.proxy,
  'Proxy of a function': () => new Proxy(() => {}, {}),
  'frozen object': () => Object.freeze({}),
};

/** One call under test: `run` may throw or return a promise; `state` is what must not change. */
interface Target {
  name: string;
  /** A word the message must contain (the field). */
  field: RegExp;
  /** Hostile values this call accepts (they are valid input for it). */
  accepts?: string[];
  setup(): { run(value: unknown): unknown; state(): unknown };
}

const fakeSource = () => {
  const calls = { stats: 0, onUsage: 0 };
  const source: StatsSource = {
    stats: () => {
      calls.stats++;
      return { totalBytes: 0 } as LedgerSnapshot;
    },
    onUsage: () => {
      calls.onUsage++;
      return () => {};
    },
  };
  return { source, calls };
};

const emitterTarget = (
  name: string,
  field: RegExp,
  run: (e: Emitter<{ create: 1 }>, v: unknown) => unknown,
  accepts?: string[],
): Target => ({
  name,
  field,
  accepts,
  setup() {
    const events = new Emitter<{ create: 1 }>(['create'], { onListenerError: () => {} });
    return { run: (v) => run(events, v), state: () => events.hasListeners('create') };
  },
});

const poolTarget = (
  name: string,
  field: RegExp,
  run: (p: ResourcePool<object>, v: unknown) => unknown,
  accepts?: string[],
): Target => ({
  name,
  field,
  accepts,
  setup() {
    const create = vi.fn(() => ({}));
    const pool = new ResourcePool<object>({ max: 1, create });
    pool.release(pool.tryAcquire()!); // one idle item, so a lost or taken item shows in the stats
    create.mockClear();
    return {
      run: (v) => run(pool, v),
      state: () => ({ stats: pool.stats(), creates: create.mock.calls.length }),
    };
  },
});

const cacheTarget = (
  name: string,
  field: RegExp,
  run: (c: TtlCache<string, number>, v: unknown) => unknown,
  accepts?: string[],
): Target => ({
  name,
  field,
  accepts,
  setup() {
    const disposed: string[] = [];
    const cache = new TtlCache<string, number>({
      ttlMs: 100,
      now: () => 0,
      onDispose: (k) => disposed.push(k),
    });
    cache.set('k', 1);
    return {
      run: (v) => run(cache, v),
      state: () => ({ entries: [...cache], stats: cache.stats(), disposed: [...disposed] }),
    };
  },
});

const overlayTarget = (
  name: string,
  field: RegExp,
  options: (v: unknown) => unknown,
  accepts: string[] = ['undefined'],
): Target => ({
  name,
  field,
  accepts,
  setup() {
    const { source, calls } = fakeSource();
    return {
      run: (v) => createStatsOverlay(source, options(v) as never),
      state: () => ({ ...calls, timers: timerCalls() }),
    };
  },
});

const FUNCTION_VALUES = ['Proxy of a function'];
const TARGETS: Target[] = [
  emitterTarget('new Emitter(eventNames)', /eventNames/, (_, v) => new Emitter(v as never)),
  emitterTarget('emitter.on(event, fn)', /event/, (e, v) => e.on(v as never, () => {})),
  emitterTarget(
    'emitter.on("create", listener)',
    /listener/,
    (e, v) => e.on('create', v as never),
    FUNCTION_VALUES,
  ),
  emitterTarget('new Emitter(names, options)', /options/, (_, v) => new Emitter(['create'], v as never), [
    'undefined',
    'frozen object',
  ]),
  {
    name: 'usage.subscribe(listener)',
    field: /listener/,
    accepts: FUNCTION_VALUES,
    setup() {
      const usage = new UsageBroadcast(() => 0, { onListenerError: () => {} });
      return { run: (v) => usage.subscribe(v as never), state: () => usage.subscriberCount };
    },
  },
  emitterTarget(
    'new UsageBroadcast(snapshot)',
    /snapshot/,
    (_, v) => new UsageBroadcast(v as never),
    FUNCTION_VALUES,
  ),
  poolTarget('new ResourcePool(options)', /options|max|label/, (_, v) => new ResourcePool(v as never)),
  poolTarget(
    'new ResourcePool({ max })',
    /max/,
    (_, v) => new ResourcePool({ max: v as number, create: () => ({}) }),
    ['Infinity', '2^53'],
  ),
  poolTarget(
    'new ResourcePool({ create })',
    /create/,
    (_, v) => new ResourcePool({ max: 1, create: v as never }),
    FUNCTION_VALUES,
  ),
  poolTarget(
    'new ResourcePool({ label })',
    /label/,
    (_, v) => new ResourcePool({ max: 1, create: () => ({}), label: v as never }),
    ['undefined', 'empty string', 'numeric string'],
  ),
  poolTarget('pool.acquire(options)', /options/, (p, v) => p.acquire(v as never), [
    'undefined',
    'frozen object',
  ]),
  poolTarget('pool.acquire({ timeoutMs })', /timeoutMs/, (p, v) => p.acquire({ timeoutMs: v as number }), [
    'undefined',
    '2^53',
  ]),
  poolTarget('pool.acquire({ signal })', /signal/, (p, v) => p.acquire({ signal: v as never }), [
    'undefined',
  ]),
  poolTarget('pool.trim(keep)', /keep/, (p, v) => p.trim(v as number), ['undefined', '2^53']),
  cacheTarget('new TtlCache(options)', /options|ttlMs/, (_, v) => new TtlCache(v as never)),
  cacheTarget('new TtlCache({ ttlMs })', /ttlMs/, (_, v) => new TtlCache({ ttlMs: v as number }), [
    'Infinity',
    '2^53',
  ]),
  cacheTarget(
    'new TtlCache({ maxEntries })',
    /maxEntries/,
    (_, v) => new TtlCache({ ttlMs: 1, maxEntries: v as number }),
    ['undefined', '2^53'],
  ),
  cacheTarget('cache.set(key, value, options)', /options/, (c, v) => c.set('k', 2, v as never), [
    'undefined',
    'frozen object',
  ]),
  cacheTarget('cache.set(key, value, { ttlMs })', /ttlMs/, (c, v) => c.set('k', 2, { ttlMs: v as number }), [
    'undefined',
    'Infinity',
    '2^53',
  ]),
  overlayTarget('createStatsOverlay(source, options)', /options|position/, (v) => v, [
    'undefined',
    'frozen object',
  ]),
  overlayTarget('createStatsOverlay({ sampleIntervalMs })', /sampleIntervalMs/, (v) => ({
    sampleIntervalMs: v,
  })),
  overlayTarget('createStatsOverlay({ minUpdateIntervalMs })', /minUpdateIntervalMs/, (v) => ({
    minUpdateIntervalMs: v,
  })),
  overlayTarget('createStatsOverlay({ budgetBytes })', /budgetBytes/, (v) => ({ budgetBytes: v }), [
    'undefined',
    '2^53',
  ]),
  // Node has no document, so even an omitted parent is refused (naming the parent): nothing is accepted here.
  overlayTarget('createStatsOverlay({ parent })', /parent/, (v) => ({ parent: v }), []),
  overlayTarget('createStatsOverlay({ position })', /position/, (v) => ({ position: v })),
  overlayTarget('createStatsOverlay({ title })', /title/, (v) => ({ title: v }), [
    'undefined',
    'empty string',
    'numeric string',
  ]),
  overlayTarget('createStatsOverlay({ collapsed })', /collapsed/, (v) => ({ collapsed: v })),
];

let timerSpies: ReturnType<typeof vi.spyOn>[] = [];
const timerCalls = () => timerSpies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
afterEach(() => {
  vi.restoreAllMocks();
});

const cases = TARGETS.flatMap((target) =>
  Object.keys(HOSTILE)
    .filter((value) => !target.accepts?.includes(value))
    // The overlay checks `parent` last, and Node has no document: a value accepted for a field is then
    // refused for the parent, so accepted values are left out of the table rather than asserted.
    .map((value) => [target.name, value, target] as const),
);

describe('hostile-input table: pool, cache, overlay, events', () => {
  it.each(cases)(
    '%s with %s: a typed error naming the field, state unchanged',
    async (_, valueName, target) => {
      timerSpies = [vi.spyOn(globalThis, 'setTimeout'), vi.spyOn(globalThis, 'setInterval')];
      const { run, state } = target.setup();
      const before = state();
      let error: unknown;
      try {
        await run(HOSTILE[valueName]!());
      } catch (e) {
        error = e;
      }
      expect(error, `${target.name} accepted ${valueName}`).toBeInstanceOf(GpuHandlesError);
      const message = (error as Error).message;
      expect(message).toMatch(target.field);
      expect(message).toMatch(/is invalid|reading it threw/);
      expect(state()).toEqual(before);
    },
  );

  it('covers every target with at least ten hostile values', () => {
    for (const target of TARGETS)
      expect(cases.filter((c) => c[2] === target).length).toBeGreaterThanOrEqual(10);
  });
});
