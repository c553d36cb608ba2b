/**
 * The overlay's options are checked before anything happens. These run in Node, where there is no DOM at all:
 * a refused call that reached the DOM, subscribed or started a timer would show as a ReferenceError, a
 * subscription on the fake source, or a pending timer.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../src/errors.ts';
import type { LedgerSnapshot } from '../../src/ledger.ts';
import {
  MIN_SAMPLE_INTERVAL_MS,
  readOverlayOptions,
  type StatsSource,
} from '../../src/overlay/overlay-options.ts';
import { createStatsOverlay } from '../../src/overlay/stats-overlay.ts';

const throwingProxy = new Proxy(
  {},
  {
    get() {
      throw new Error('trap');
    },
  },
);

/** Never read by these tests (they assert `stats()` is not even called); a stand-in for the type. */
const createEmptySnapshot = () => ({ totalBytes: 0 }) as LedgerSnapshot;

/** A source that counts what the overlay asked of it. */
function countingSource() {
  const calls = { stats: 0, onUsage: 0 };
  const source: StatsSource = {
    stats: () => {
      calls.stats++;
      return createEmptySnapshot();
    },
    onUsage: () => {
      calls.onUsage++;
      return () => {};
    },
  };
  return { source, calls };
}

/** An object that looks like an element to a careless check (it has an ownerDocument) but is not one. */
const fakeDocument = { body: {}, createElement: () => ({}) };

/** A parent that passes the parent check, so the options read after it are reached (no DOM is built). */
const elementLookAlike = { nodeType: 1, append: () => {}, ownerDocument: fakeDocument };

/** What a frame timer's times() returns before any frame. */
const noTimes = () => ({ cpuFrames: 0, cpuTotalMs: 0, gpuSamples: 0, gpuTotalMs: 0 });

/** `frameTimer` values that are no frame timer. */
const BAD_FRAME_TIMERS: [string, unknown, RegExp][] = [
  ['null', null, /frameTimer = null is invalid: must be a frame timer \(createFrameTimer\) or an object/],
  ['16', 16, /frameTimer = 16 is invalid: must be a frame timer/],
  ['a function', () => {}, /frameTimer = .* is invalid: must be a frame timer/],
  ['{}', {}, /frameTimer = \{\} is invalid: must be a frame timer/],
  ['with times = 5', { times: 5, supported: true }, /frameTimer = .* is invalid/],
  ['with supported = "yes"', { times: noTimes, supported: 'yes' }, /frameTimer = .* a boolean supported/],
  ['a Proxy whose traps throw', throwingProxy, /frameTimer = .* is invalid: must be a frame timer/],
  [
    'unsupported without a reason',
    { times: noTimes, supported: false },
    /frameTimer\.unsupportedReason = undefined is invalid: must be a non-empty string saying why/,
  ],
  [
    'unsupported with reason ""',
    { times: noTimes, supported: false, unsupportedReason: '' },
    /frameTimer\.unsupportedReason = "" is invalid/,
  ],
  [
    'unsupported with reason 7',
    { times: noTimes, supported: false, unsupportedReason: 7 },
    /frameTimer\.unsupportedReason = 7 is invalid/,
  ],
];

const BAD_OPTIONS: [string, unknown, RegExp][] = [
  ['options = null', null, /options = null is invalid: must be an options object or undefined/],
  ['options = 5', 5, /options = 5 is invalid/],
  ['options = "top-left"', 'top-left', /options = "top-left" is invalid/],
  ['options = a Symbol', Symbol('o'), /options = Symbol\(o\) is invalid/],
  ['options = a Proxy whose traps throw', throwingProxy, /reading it threw Error: "trap"/],
  [
    'sampleIntervalMs = 0',
    { sampleIntervalMs: 0 },
    /sampleIntervalMs = 0 is invalid: must be a number of milliseconds from 16 to 60000/,
  ],
  ['sampleIntervalMs = 1e-3', { sampleIntervalMs: 1e-3 }, /sampleIntervalMs = 0.001 is invalid/],
  ['sampleIntervalMs = 15.9', { sampleIntervalMs: 15.9 }, /sampleIntervalMs = 15.9 is invalid/],
  ['sampleIntervalMs = -1', { sampleIntervalMs: -1 }, /sampleIntervalMs = -1 is invalid/],
  ['sampleIntervalMs = NaN', { sampleIntervalMs: Number.NaN }, /sampleIntervalMs = NaN is invalid/],
  [
    'sampleIntervalMs = Infinity',
    { sampleIntervalMs: Number.POSITIVE_INFINITY },
    /sampleIntervalMs = Infinity/,
  ],
  ['sampleIntervalMs = 2^31', { sampleIntervalMs: 2 ** 31 }, /sampleIntervalMs = 2147483648 is invalid/],
  ['sampleIntervalMs = "1000"', { sampleIntervalMs: '1000' }, /sampleIntervalMs = "1000" is invalid/],
  ['sampleIntervalMs = 1000n', { sampleIntervalMs: 1000n }, /sampleIntervalMs = 1000n is invalid/],
  ['sampleIntervalMs = null', { sampleIntervalMs: null }, /sampleIntervalMs = null is invalid/],
  [
    'minUpdateIntervalMs = -1',
    { minUpdateIntervalMs: -1 },
    /minUpdateIntervalMs = -1 is invalid: must be a number of milliseconds from 0 to 60000/,
  ],
  [
    'minUpdateIntervalMs = 2^53',
    { minUpdateIntervalMs: 2 ** 53 },
    /minUpdateIntervalMs = 9007199254740992 is invalid/,
  ],
  ['minUpdateIntervalMs = "250"', { minUpdateIntervalMs: '250' }, /minUpdateIntervalMs = "250" is invalid/],
  ['budgetBytes = 0', { budgetBytes: 0 }, /budgetBytes = 0 is invalid: must be a finite number of bytes > 0/],
  ['budgetBytes = Infinity', { budgetBytes: Number.POSITIVE_INFINITY }, /budgetBytes = Infinity is invalid/],
  ['budgetBytes = "1e6"', { budgetBytes: '1e6' }, /budgetBytes = "1e6" is invalid/],
  ['budgetBytes = null', { budgetBytes: null }, /budgetBytes = null is invalid/],
  ['position = "middle"', { position: 'middle' }, /position = "middle" is invalid: must be one of top-left/],
  ['position = a Symbol', { position: Symbol('p') }, /position = Symbol\(p\) is invalid/],
  ['collapsed = "yes"', { collapsed: 'yes' }, /collapsed = "yes" is invalid: must be a boolean/],
  ['collapsed = 1', { collapsed: 1 }, /collapsed = 1 is invalid/],
  ['title = 5', { title: 5 }, /title = 5 is invalid: must be a string/],
  ['title = a Symbol', { title: Symbol('t') }, /title = Symbol\(t\) is invalid/],
  ['parent = null', { parent: null }, /parent = null is invalid: must be an HTML element in a document/],
  ['parent = "#app"', { parent: '#app' }, /parent = "#app" is invalid/],
  ['parent = {}', { parent: {} }, /parent = \{\} is invalid/],
  [
    'parent with an ownerDocument but no element',
    { parent: { ownerDocument: fakeDocument } },
    /parent = .* is invalid/,
  ],
  [
    'parent = a text node look-alike',
    { parent: { nodeType: 3, ownerDocument: fakeDocument } },
    /parent = .* is invalid/,
  ],
  ['parent = a Proxy whose traps throw', { parent: throwingProxy }, /parent = .* is invalid/],
  [
    'parent omitted without a document',
    {},
    /parent = undefined is invalid: there is no document\.body to mount on/,
  ],
  [
    'a throwing getter',
    Object.defineProperty({}, 'budgetBytes', {
      get() {
        throw new Error('getter');
      },
    }),
    /budgetBytes .*reading it threw Error: "getter"/,
  ],
  ...BAD_FRAME_TIMERS.map(([name, frameTimer, message]): [string, unknown, RegExp] => [
    `frameTimer = ${name}`,
    { parent: elementLookAlike, frameTimer },
    message,
  ]),
  [
    'a throwing frameTimer getter',
    Object.defineProperty({ parent: elementLookAlike }, 'frameTimer', {
      get() {
        throw new Error('getter');
      },
    }),
    /frameTimer .*reading it threw Error: "getter"/,
  ],
];

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createStatsOverlay(source, hostile options)', () => {
  it.each(BAD_OPTIONS)('%s: ValidationError before any subscription, timer or DOM', (_, options, message) => {
    const { source, calls } = countingSource();
    let error: unknown;
    try {
      createStatsOverlay(source, options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/^'stats overlay': /);
    expect((error as Error).message).toMatch(message);
    expect(calls).toEqual({ stats: 0, onUsage: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a number', 1],
    ['an object without methods', {}],
    ['an object with only stats', { stats: () => createEmptySnapshot() }],
    ['a Proxy whose traps throw', throwingProxy],
  ])('a source that is %s: ValidationError naming the source', (_, source) => {
    expect(() => createStatsOverlay(source as never)).toThrow(
      /'stats overlay': source = .* is invalid: must be a resource manager or an object with stats\(\) and onUsage/,
    );
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a frozen options object is read like any other', () => {
    expect(() => createStatsOverlay(countingSource().source, Object.freeze({ sampleIntervalMs: 0 }))).toThrow(
      /sampleIntervalMs = 0/,
    );
  });
});

describe('readOverlayOptions', () => {
  const element = (body?: object) => {
    const doc = { createElement: () => ({}), body: body as object | undefined };
    const node = { nodeType: 1, append: () => {}, ownerDocument: doc };
    return { node, doc };
  };

  it('fills the defaults, and the sample interval bounds the history to a few thousand samples', () => {
    const { node } = element();
    const config = readOverlayOptions(countingSource().source, { parent: node });
    expect(config).toMatchObject({
      position: 'top-right',
      collapsed: false,
      title: 'GPU memory',
      minUpdateIntervalMs: 250,
      sampleIntervalMs: 1000,
      budgetBytes: undefined,
      fixed: false,
    });
    const fastest = readOverlayOptions(countingSource().source, {
      parent: node,
      sampleIntervalMs: MIN_SAMPLE_INTERVAL_MS,
    });
    expect(Math.ceil(60_000 / fastest.sampleIntervalMs) + 2).toBeLessThan(4000);
  });

  it('a parent that is its document body is fixed to the viewport', () => {
    const { node, doc } = element();
    doc.body = node;
    expect(readOverlayOptions(countingSource().source, { parent: node }).fixed).toBe(true);
  });
});
