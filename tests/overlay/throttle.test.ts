import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.ts';
import { Throttle, type ThrottleTimers } from '../../src/overlay/throttle.ts';

/** Hand-driven clock and timers: time only moves when the test says so. */
function fakeTimers() {
  let now = 0;
  let nextId = 1;
  const pending = new Map<number, { at: number; callback: () => void }>();
  const timers: ThrottleTimers = {
    setTimeout(callback, ms) {
      const id = nextId++;
      pending.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimeout(id) {
      pending.delete(id as number);
    },
    now: () => now,
  };
  return {
    timers,
    pending,
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...pending.entries()]
          .filter(([, t]) => t.at <= end)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].callback();
      }
      now = end;
    },
  };
}

describe('Throttle', () => {
  it('coalesces a burst of requests into one asynchronous run', () => {
    const clock = fakeTimers();
    let runs = 0;
    const throttle = new Throttle(() => runs++, 250, clock.timers);
    for (let i = 0; i < 1000; i++) throttle.request();
    expect(runs).toBe(0); // never synchronous
    expect(throttle.pending).toBe(true);
    clock.advance(0);
    expect(runs).toBe(1);
    expect(throttle.pending).toBe(false);
  });

  it('runs at most once per interval under continuous requests', () => {
    const clock = fakeTimers();
    const runTimes: number[] = [];
    const throttle = new Throttle(() => runTimes.push(clock.timers.now()), 250, clock.timers);
    // A request every millisecond for 2 seconds (a stress demo's usage events).
    for (let t = 0; t < 2000; t++) {
      throttle.request();
      clock.advance(1);
    }
    clock.advance(1000);
    expect(runTimes.length).toBeGreaterThanOrEqual(8);
    expect(runTimes.length).toBeLessThanOrEqual(9);
    for (let i = 1; i < runTimes.length; i++) {
      expect(runTimes[i]! - runTimes[i - 1]!).toBeGreaterThanOrEqual(250);
    }
  });

  it('does nothing without requests, and runs at once after a quiet period', () => {
    const clock = fakeTimers();
    let runs = 0;
    const throttle = new Throttle(() => runs++, 250, clock.timers);
    clock.advance(10_000);
    expect(runs).toBe(0);
    throttle.request();
    clock.advance(0);
    expect(runs).toBe(1);
    clock.advance(1000);
    throttle.request();
    clock.advance(0); // the interval since the last run has passed: no extra delay
    expect(runs).toBe(2);
  });

  it('cancel drops the scheduled run and leaves no timer behind', () => {
    const clock = fakeTimers();
    let runs = 0;
    const throttle = new Throttle(() => runs++, 250, clock.timers);
    throttle.request();
    expect(clock.pending.size).toBe(1);
    throttle.cancel();
    expect(clock.pending.size).toBe(0);
    expect(throttle.pending).toBe(false);
    clock.advance(1000);
    expect(runs).toBe(0);
    throttle.request(); // usable again
    clock.advance(0);
    expect(runs).toBe(1);
  });

  it('rejects a negative or non-finite interval', () => {
    expect(() => new Throttle(() => {}, -1)).toThrow(/minIntervalMs = -1 is invalid/);
    for (const ms of [Number.NaN, Number.POSITIVE_INFINITY, '5', 5n, null, 2 ** 31, 2 ** 53]) {
      expect(() => new Throttle(() => {}, ms as number)).toThrow(ValidationError);
    }
    // setTimeout's limit: a longer delay would fire at once, so it is refused rather than silently wrong.
    expect(() => new Throttle(() => {}, 2 ** 31)).toThrow(
      /minIntervalMs = 2147483648 is invalid: must be a number of ms from 0 to 2147483647/,
    );
  });

  it('rejects a run that is not a function and timers without their methods', () => {
    expect(() => new Throttle(undefined as never, 1)).toThrow(/'throttle': run = undefined is invalid/);
    expect(() => new Throttle(() => {}, 1, {} as never)).toThrow(/timers = \{\} is invalid/);
    expect(() => new Throttle(() => {}, 1, null as never)).toThrow(ValidationError);
  });
});

describe('Throttle.runNow', () => {
  it('runs at once, drops the scheduled run, and counts toward the interval', () => {
    const clock = fakeTimers();
    const runTimes: number[] = [];
    const throttle = new Throttle(() => runTimes.push(clock.timers.now()), 250, clock.timers);
    throttle.request();
    throttle.runNow();
    expect(runTimes).toEqual([0]);
    expect(clock.pending.size).toBe(0);
    clock.advance(100);
    throttle.request(); // must wait until 250 ms after the runNow
    clock.advance(100);
    expect(runTimes).toEqual([0]);
    clock.advance(100);
    expect(runTimes).toEqual([0, 250]);
  });
});
