import type { FreeRects } from './free-rects.ts';

/**
 * A skyline: the upper envelope of everything placed in a page, as runs of equal height (x, width, top). Every
 * pixel at or above a run's top is free; pixels below it may hold regions or waste. Placement scans the runs
 * for the position whose top edge ends lowest (bottom-left rule), breaking ties by the area it would waste
 * under the new rectangle. Runs live in typed arrays moved with copyWithin: a page holds a few hundred at most.
 *
 * @example
 * const sky = new Skyline(256, 256); if (sky.find(10, 12)) sky.place(sky.foundX, sky.foundY, 10, 12);
 */
export class Skyline {
  readonly width: number;
  readonly height: number;
  /** Found position of the last successful {@link Skyline.find}. */
  foundX = 0;
  foundY = 0;
  private xs: Int32Array;
  private tops: Int32Array;
  private widths: Int32Array;
  private count = 0;

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    const capacity = 64;
    this.xs = new Int32Array(capacity);
    this.tops = new Int32Array(capacity);
    this.widths = new Int32Array(capacity);
    this.reset();
  }

  /** Number of runs (for stats and tests). */
  get runs(): number {
    return this.count;
  }

  /** Empties the page: one run at height 0. */
  reset(): void {
    this.count = 1;
    this.xs[0] = 0;
    this.tops[0] = 0;
    this.widths[0] = this.width;
  }

  /** Area between the bottom of the page and the skyline (used plus wasted pixels). */
  coveredArea(): number {
    let area = 0;
    for (let i = 0; i < this.count; i++) area += this.tops[i]! * this.widths[i]!;
    return area;
  }

  /** The highest top of any run (0 on an empty page). */
  highestTop(): number {
    let top = 0;
    for (let i = 0; i < this.count; i++) if (this.tops[i]! > top) top = this.tops[i]!;
    return top;
  }

  /**
   * Looks for the best place for a w x h rectangle; on success stores it in foundX/foundY and returns true.
   * Candidates are every run's left end and every run's right end (rectangle flush against the next run).
   */
  find(w: number, h: number): boolean {
    const xs = this.xs;
    const tops = this.tops;
    const widths = this.widths;
    const count = this.count;
    const limitY = this.height - h;
    const limitX = this.width - w;
    let bestTop = 2147483647;
    let bestWaste = 2147483647;
    let bestX = -1;
    let bestY = 0;
    // No placement ends lower than the lowest run: one found there with no waste cannot be beaten.
    let lowest = tops[0]!;
    let lowestAt = 0;
    for (let i = 1; i < count; i++) {
      if (tops[i]! < lowest) {
        lowest = tops[i]!;
        lowestAt = i;
      }
    }
    if (lowest > limitY) return false;
    // Fast path, the common case (and nearly every placement of a tallest-first repack): flush left on the
    // leftmost lowest run, when the runs it spans are all that low, is optimal (lowest top, no waste) and is
    // exactly what the full scan below would pick.
    if (xs[lowestAt]! <= limitX) {
      const end = xs[lowestAt]! + w;
      let k = lowestAt;
      while (k < count && xs[k]! < end && tops[k] === lowest) k++;
      if (k === count || xs[k]! >= end) {
        this.foundX = xs[lowestAt]!;
        this.foundY = lowest;
        return true;
      }
    }
    for (let i = 0; i < count; i++) {
      // Every candidate over run i ends at least at tops[i] + h.
      if (tops[i]! > limitY || tops[i]! + h > bestTop) continue;
      for (let side = 0; side < 2; side++) {
        const x = side === 0 ? xs[i]! : xs[i]! + widths[i]! - w;
        if (x < 0 || x > limitX) continue;
        if (side === 1 && x === xs[i]) continue;
        // The runs under [x, x + w): for the right-aligned candidate they start before run i.
        let j = i;
        if (side === 1) while (xs[j]! > x) j--;
        const end = x + w;
        let y = 0;
        let k = j;
        for (; k < count && xs[k]! < end; k++) {
          const top = tops[k]!;
          if (top > y) {
            y = top;
            if (y > limitY || y + h > bestTop) break;
          }
        }
        if (y > limitY || y + h > bestTop) continue;
        let waste = 0;
        for (let m = j; m < k; m++) {
          const left = xs[m]! > x ? xs[m]! : x;
          const runEnd = xs[m]! + widths[m]!;
          const right = runEnd < end ? runEnd : end;
          waste += (y - tops[m]!) * (right - left);
        }
        if (y + h < bestTop || waste < bestWaste) {
          bestTop = y + h;
          bestWaste = waste;
          bestX = x;
          bestY = y;
        }
      }
      if (bestWaste === 0 && bestTop === lowest + h) break;
    }
    if (bestX < 0) return false;
    this.foundX = bestX;
    this.foundY = bestY;
    return true;
  }

  /**
   * Raises the skyline over [x, x + w) to y + h (the rectangle placed at a position {@link find} gave). The
   * gaps left under it (runs lower than y) go to `gaps`, so they stay allocatable.
   */
  place(x: number, y: number, w: number, h: number, gaps?: FreeRects): void {
    if (gaps !== undefined) {
      const end = x + w;
      for (let i = this.indexAt(x); i < this.count && this.xs[i]! < end; i++) {
        const top = this.tops[i]!;
        if (top >= y) continue;
        const left = this.xs[i]! > x ? this.xs[i]! : x;
        const runEnd = this.xs[i]! + this.widths[i]!;
        gaps.add(left, top, (runEnd < end ? runEnd : end) - left, y - top);
      }
    }
    this.setRange(x, w, y + h);
  }

  /**
   * Gives back a freed rectangle's space when nothing lies above it: when the skyline over [x, x + w) is
   * exactly y + h, the rectangle was the top of those columns, so lowering them to y is exact. Returns whether
   * the space was reclaimed (otherwise it stays as waste until the page is compacted).
   */
  reclaim(x: number, y: number, w: number, h: number): boolean {
    const top = y + h;
    const end = x + w;
    let i = this.indexAt(x);
    for (; i < this.count && this.xs[i]! < end; i++) if (this.tops[i] !== top) return false;
    this.setRange(x, w, y);
    return true;
  }

  /**
   * Rebuilds the skyline as the upper envelope of the given rectangles (after a partial compaction, when
   * regions sit anywhere). `columns` is scratch space of at least `width` entries.
   */
  rebuild(
    rects: Iterable<{ x: number; y: number; width: number; height: number }>,
    columns: Int32Array,
  ): void {
    const heights = columns.subarray(0, this.width);
    heights.fill(0);
    this.envelope(rects, heights);
  }

  /**
   * Raises the skyline over the given rectangles (placed by someone else): afterwards it is the upper envelope
   * of itself and them, so everything below it stays as it was. `columns` is scratch of `width` entries.
   */
  raiseOver(
    rects: Iterable<{ x: number; y: number; width: number; height: number }>,
    columns: Int32Array,
  ): void {
    const heights = columns.subarray(0, this.width);
    for (let i = 0; i < this.count; i++)
      heights.fill(this.tops[i]!, this.xs[i]!, this.xs[i]! + this.widths[i]!);
    this.envelope(rects, heights);
  }

  /** Sets the runs to the upper envelope of `heights` (per column) and the rectangles. */
  private envelope(
    rects: Iterable<{ x: number; y: number; width: number; height: number }>,
    heights: Int32Array,
  ): void {
    for (const r of rects) {
      const top = r.y + r.height;
      for (let c = r.x; c < r.x + r.width; c++) if (heights[c]! < top) heights[c] = top;
    }
    this.count = 0;
    let start = 0;
    for (let c = 1; c <= this.width; c++) {
      if (c === this.width || heights[c] !== heights[start]) {
        this.push(start, c - start, heights[start]!);
        start = c;
      }
    }
  }

  /** Copies another skyline's runs into this one (same page size). */
  copyFrom(other: Skyline): void {
    this.ensure(other.count);
    this.xs.set(other.xs.subarray(0, other.count));
    this.tops.set(other.tops.subarray(0, other.count));
    this.widths.set(other.widths.subarray(0, other.count));
    this.count = other.count;
  }

  private push(x: number, w: number, top: number): void {
    this.ensure(this.count + 1);
    this.xs[this.count] = x;
    this.widths[this.count] = w;
    this.tops[this.count] = top;
    this.count++;
  }

  /** Index of the run containing column x. */
  private indexAt(x: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.xs[mid]! <= x) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Sets the columns [x, x + w) to height `top`, splitting and merging runs as needed. */
  private setRange(x: number, w: number, top: number): void {
    const end = x + w;
    let first = this.indexAt(x);
    if (this.xs[first]! < x) {
      this.split(first, x);
      first++;
    }
    let last = this.indexAt(end - 1);
    if (this.xs[last]! + this.widths[last]! > end) this.split(last, end);
    last = this.indexAt(end - 1);
    // Runs first..last now cover exactly [x, end): replace them with one run.
    this.xs[first] = x;
    this.widths[first] = w;
    this.tops[first] = top;
    this.remove(first + 1, last - first);
    if (first + 1 < this.count && this.tops[first + 1] === top) {
      this.widths[first] = this.widths[first]! + this.widths[first + 1]!;
      this.remove(first + 1, 1);
    }
    if (first > 0 && this.tops[first - 1] === top) {
      this.widths[first - 1] = this.widths[first - 1]! + this.widths[first]!;
      this.remove(first, 1);
    }
  }

  /** Splits run i at column at (xs[i] < at < end of run i). */
  private split(i: number, at: number): void {
    this.ensure(this.count + 1);
    this.xs.copyWithin(i + 1, i, this.count);
    this.tops.copyWithin(i + 1, i, this.count);
    this.widths.copyWithin(i + 1, i, this.count);
    this.count++;
    const end = this.xs[i]! + this.widths[i]!;
    this.widths[i] = at - this.xs[i]!;
    this.xs[i + 1] = at;
    this.widths[i + 1] = end - at;
  }

  private remove(i: number, n: number): void {
    if (n <= 0) return;
    this.xs.copyWithin(i, i + n, this.count);
    this.tops.copyWithin(i, i + n, this.count);
    this.widths.copyWithin(i, i + n, this.count);
    this.count -= n;
  }

  private ensure(n: number): void {
    if (n <= this.xs.length) return;
    const size = Math.max(n, this.xs.length * 2);
    const grow = (a: Int32Array): Int32Array => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.xs = grow(this.xs);
    this.tops = grow(this.tops);
    this.widths = grow(this.widths);
  }
}
