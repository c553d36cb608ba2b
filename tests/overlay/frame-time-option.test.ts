/**
 * The overlay's `frameTimer` option, in Node (no DOM): a real FrameTimer and a hand-made timer of the same
 * shape are accepted (bad values are in overlay-options.test.ts, with the other options); the timer's running
 * totals, which the overlay averages over each graph sample, add up.
 */
import { describe, expect, it } from 'vitest';
import { readFrameTimerOption } from '../../src/overlay/frame-time-section.ts';
import { createFrameTimer, type FrameTimerManager, type FrameTimes } from '../../src/overlay/gpu-timer.ts';

/** A manager stand-in: an unsupported timer never calls it (asserted by throwing). */
const untouchableManager = new Proxy({} as FrameTimerManager, {
  get(_, key) {
    throw new Error(`the timer touched manager.${String(key)}`);
  },
});

const NO_TIMES: FrameTimes = {
  cpuMs: undefined,
  gpuMs: undefined,
  cpuFrames: 0,
  cpuTotalMs: 0,
  gpuSamples: 0,
  gpuTotalMs: 0,
  skipped: 0,
};

describe('readFrameTimerOption', () => {
  it('is undefined without the option (no section)', () => {
    expect(readFrameTimerOption(undefined)).toBeUndefined();
    expect(readFrameTimerOption({})).toBeUndefined();
  });

  it("accepts a real FrameTimer without 'timestamp-query' and keeps its reason", () => {
    const timer = createFrameTimer(untouchableManager, { features: new Set() });
    const config = readFrameTimerOption({ frameTimer: timer });
    expect(config?.unsupportedReason).toBe(timer.unsupportedReason);
    expect(config?.unsupportedReason).toMatch(/timestamp-query/);
    expect(config?.read()).toEqual(timer.times());
  });

  it('accepts a hand-made timer of the same shape, read with itself as `this` (each field read once)', () => {
    const reads: string[] = [];
    const times = { ...NO_TIMES, gpuMs: 2, gpuSamples: 1, gpuTotalMs: 2 };
    const own = {
      get supported() {
        reads.push('supported');
        return true;
      },
      get unsupportedReason() {
        reads.push('unsupportedReason');
        return undefined;
      },
      times(this: unknown) {
        reads.push(this === own ? 'times on the timer' : 'times on something else');
        return times;
      },
    };
    const config = readFrameTimerOption({ frameTimer: own });
    expect(config?.unsupportedReason).toBeUndefined();
    expect(reads).toEqual(['supported', 'unsupportedReason']);
    expect(config?.read()).toBe(times);
    expect(reads.at(-1)).toBe('times on the timer');
  });
});

describe('FrameTimer running totals', () => {
  it('counts the CPU frames and sums their times, so a reader can average any span', () => {
    let now = 0;
    const timer = createFrameTimer(untouchableManager, { features: new Set() }, { now: () => now });
    for (const at of [0, 10, 30, 60]) {
      now = at;
      timer.endFrame(undefined, timer.beginFrame());
    }
    const first = timer.times();
    expect(first).toMatchObject({ cpuMs: 30, cpuFrames: 3, cpuTotalMs: 60, gpuSamples: 0, gpuTotalMs: 0 });
    now = 100;
    timer.endFrame(undefined, undefined);
    const second = timer.times();
    // The mean of the frames between the two readings: (100 - 60) / 1.
    expect((second.cpuTotalMs - first.cpuTotalMs) / (second.cpuFrames - first.cpuFrames)).toBe(40);
  });
});
