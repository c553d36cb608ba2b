/**
 * The memory graph's history: a fixed-capacity ring of (time, value) samples. Fixed capacity because the
 * overlay samples forever and must not grow; timestamps kept because timers in background tabs are throttled,
 * so samples are not evenly spaced and the graph places them by time, not by index.
 */
import { ValidationError } from '../errors.ts';

/** The largest ring: 2^20 samples, 16 MiB. The overlay needs a few thousand at most. */
export const MAX_HISTORY_CAPACITY = 2 ** 20;

/**
 * A ring buffer of timed samples; the oldest sample is overwritten once it is full.
 *
 * @example
 * const history = new HistoryRing(120);
 * history.push(performance.now(), manager.stats().totalBytes);
 * history.forEach((time, bytes) => plot(time, bytes));
 */
export class HistoryRing {
  readonly capacity: number;
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  /** Index where the next sample goes. */
  private head = 0;
  private count = 0;

  /**
   * @throws ValidationError when `capacity` is not an integer from 1 to {@link MAX_HISTORY_CAPACITY} (each
   *   sample takes 16 bytes, allocated up front).
   * @example
   * const history = new HistoryRing(62);
   */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_HISTORY_CAPACITY) {
      throw new ValidationError(
        'history ring',
        'capacity',
        capacity,
        `must be an integer from 1 to ${MAX_HISTORY_CAPACITY}`,
      );
    }
    this.capacity = capacity;
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  /** Samples held (at most `capacity`). */
  get length(): number {
    return this.count;
  }

  /**
   * Appends a sample, dropping the oldest when full. Times are expected to be non-decreasing.
   *
   * @example
   * history.push(1000, 4096);
   */
  push(time: number, value: number): void {
    this.times[this.head] = time;
    this.values[this.head] = value;
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /**
   * Calls `visit(time, value)` for every sample, oldest first; with `since`, only samples at or after it.
   *
   * @example
   * history.forEach((t, v) => points.push([t, v]), now - 60_000);
   */
  forEach(visit: (time: number, value: number) => void, since = Number.NEGATIVE_INFINITY): void {
    const start = (this.head - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) {
      const slot = (start + i) % this.capacity;
      const time = this.times[slot]!;
      if (time >= since) visit(time, this.values[slot]!);
    }
  }

  /**
   * The largest value among samples at or after `since` (0 when there are none): the graph's vertical scale.
   *
   * @example
   * const top = history.max(now - 60_000);
   */
  max(since = Number.NEGATIVE_INFINITY): number {
    let max = 0;
    this.forEach((_, value) => {
      if (value > max) max = value;
    }, since);
    return max;
  }

  /**
   * The samples as `[time, value]` pairs, oldest first (for tests and debugging; allocates).
   *
   * @example
   * history.toArray() // [[0, 10], [1000, 12]]
   */
  toArray(since?: number): [number, number][] {
    const out: [number, number][] = [];
    this.forEach((time, value) => {
      out.push([time, value]);
    }, since);
    return out;
  }

  /** Drops every sample. */
  clear(): void {
    this.head = 0;
    this.count = 0;
  }
}
