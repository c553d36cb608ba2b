/**
 * Coalescing throttle for the overlay's redraws: any number of requests collapse into one run, and runs are at
 * least `minIntervalMs` apart. A usage event can arrive thousands of times a second (the stress demo); the panel
 * must repaint a few times a second at most, and never do work when nothing changed.
 */
import { ValidationError } from '../errors.ts';
import { MAX_TIMER_DELAY_MS } from '../pool/deadline.ts';

/** The timer functions a throttle uses; injectable so tests can drive time by hand. */
export interface ThrottleTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  now(): number;
}

/** The real timers (`globalThis.setTimeout`, `performance.now`). Looked up at call time, so tests can patch them. */
export const DEFAULT_TIMERS: ThrottleTimers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (id) => globalThis.clearTimeout(id as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};

/**
 * Runs `run` at most once per `minIntervalMs`, after the requests that asked for it. Always asynchronous (a
 * timer, even for a zero delay), so a synchronous burst of requests costs one run.
 *
 * @example
 * const redraw = new Throttle(() => panel.render(), 250);
 * manager.onUsage(() => redraw.request());
 * // later
 * redraw.cancel();
 */
export class Throttle {
  private timer: unknown;
  private scheduled = false;
  private lastRun = Number.NEGATIVE_INFINITY;

  /**
   * @throws ValidationError when `run` is not a function, `minIntervalMs` is not a number from 0 to
   *   2^31 - 1 (setTimeout's limit: a longer delay would fire at once), or `timers` lacks a method.
   * @example
   * const redraw = new Throttle(() => panel.render(), 250);
   */
  constructor(
    private readonly run: () => void,
    readonly minIntervalMs: number,
    private readonly timers: ThrottleTimers = DEFAULT_TIMERS,
  ) {
    if (typeof run !== 'function') throw new ValidationError('throttle', 'run', run, 'must be a function');
    if (typeof minIntervalMs !== 'number' || !(minIntervalMs >= 0 && minIntervalMs <= MAX_TIMER_DELAY_MS)) {
      throw new ValidationError(
        'throttle',
        'minIntervalMs',
        minIntervalMs,
        `must be a number of ms from 0 to ${MAX_TIMER_DELAY_MS}`,
      );
    }
    const ok =
      typeof timers === 'object' &&
      timers !== null &&
      typeof timers.setTimeout === 'function' &&
      typeof timers.clearTimeout === 'function' &&
      typeof timers.now === 'function';
    if (!ok) {
      throw new ValidationError('throttle', 'timers', timers, 'must have setTimeout, clearTimeout and now');
    }
  }

  /** True while a run is scheduled. */
  get pending(): boolean {
    return this.scheduled;
  }

  /**
   * Asks for a run: schedules one unless one is already scheduled.
   *
   * @example
   * throttle.request(); throttle.request(); // one run
   */
  request(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const delay = Math.max(0, this.lastRun + this.minIntervalMs - this.timers.now());
    this.timer = this.timers.setTimeout(() => this.fire(), delay);
  }

  /**
   * Drops a scheduled run, if any. The throttle can be used again afterwards.
   *
   * @example
   * throttle.cancel();
   */
  cancel(): void {
    if (!this.scheduled) return;
    this.timers.clearTimeout(this.timer);
    this.scheduled = false;
    this.timer = undefined;
  }

  /**
   * Runs now, dropping any scheduled run, and counts it as a run: the next requested run still waits
   * `minIntervalMs` from now.
   *
   * @example
   * throttle.runNow(); // e.g. the first paint
   */
  runNow(): void {
    this.cancel();
    this.fire();
  }

  private fire(): void {
    this.scheduled = false;
    this.timer = undefined;
    this.lastRun = this.timers.now();
    this.run();
  }
}
