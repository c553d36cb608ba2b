/**
 * Free rectangles below the skyline (the gaps a placement leaves under itself, and freed regions that are not
 * the top of their columns), bucketed by exact height with a bitset of non-empty buckets, so a best-fit query
 * looks at a few candidates of the nearest heights instead of every free rectangle. Rectangles never overlap
 * each other, regions, or the space above the skyline.
 */
/** Fitting candidates compared before the best is taken: more gives a tighter fit, fewer a faster one. */
const CANDIDATES = 8;

export class FreeRects {
  /** Result of the last successful {@link FreeRects.take}. */
  takenX = 0;
  takenY = 0;
  private readonly buckets: FreeRect[][];
  private readonly bits: Uint32Array;
  private total = 0;
  private area = 0;
  /** The narrowest and shortest requests seen: a free rectangle that cannot hold them is a sliver. */
  private minW = 2147483647;
  private minH = 2147483647;

  constructor(private readonly pageHeight: number) {
    this.buckets = new Array(pageHeight + 1);
    this.bits = new Uint32Array((pageHeight >> 5) + 1);
  }

  /** Number of free rectangles held. */
  get count(): number {
    return this.total;
  }

  /** Pixels they cover. */
  get freeArea(): number {
    return this.area;
  }

  /**
   * Adds a free rectangle. Slivers narrower or shorter than every request seen so far are dropped (they stay
   * waste until a compaction): kept, they would crowd the buckets a query scans.
   */
  add(x: number, y: number, w: number, h: number): void {
    if (w < this.minW || h < this.minH) return;
    let bucket = this.buckets[h];
    if (bucket === undefined) {
      bucket = [];
      this.buckets[h] = bucket;
    }
    bucket.push(new FreeRect(x, y, w, h));
    this.bits[h >> 5]! |= 1 << (h & 31);
    this.total++;
    this.area += w * h;
  }

  /** Forgets every free rectangle. */
  clear(): void {
    for (let h = 0; h < this.buckets.length; h++)
      if (this.buckets[h] !== undefined) this.buckets[h]!.length = 0;
    this.bits.fill(0);
    this.total = 0;
    this.area = 0;
  }

  /**
   * Finds a free rectangle that holds w x h (the least leftover area among the first few candidates of the
   * nearest heights), places the request at its corner, puts the two guillotine leftovers back, and stores
   * the position in takenX/takenY. Returns false when none fits.
   */
  take(w: number, h: number): boolean {
    if (w < this.minW) this.minW = w;
    if (h < this.minH) this.minH = h;
    if (this.total === 0) return false;
    let best: FreeRect | undefined;
    let bestBucket: FreeRect[] | undefined;
    let bestAt = 0;
    let bestLeft = Number.POSITIVE_INFINITY;
    let seen = 0;
    for (let height = this.nextHeight(h); height >= 0; height = this.nextHeight(height + 1)) {
      const bucket = this.buckets[height]!;
      for (let i = 0; i < bucket.length; i++) {
        const r = bucket[i]!;
        if (++seen > 8 * CANDIDATES) break;
        if (r.w < w) continue;
        const left = r.w * r.h - w * h;
        if (left < bestLeft) {
          best = r;
          bestBucket = bucket;
          bestAt = i;
          bestLeft = left;
          if (left === 0) break;
        }
        if (best !== undefined && seen >= CANDIDATES) break;
      }
      if (bestLeft === 0 || (seen >= CANDIDATES && best !== undefined) || seen >= 8 * CANDIDATES) break;
    }
    if (best === undefined) return false;
    this.removeAt(bestBucket!, bestAt, best.h);
    this.takenX = best.x;
    this.takenY = best.y;
    // Guillotine split along the axis that keeps the larger leftover whole.
    const rightW = best.w - w;
    const topH = best.h - h;
    if (rightW * best.h >= best.w * topH) {
      this.add(best.x + w, best.y, rightW, best.h);
      this.add(best.x, best.y + h, w, topH);
    } else {
      this.add(best.x + w, best.y, rightW, h);
      this.add(best.x, best.y + h, best.w, topH);
    }
    return true;
  }

  private removeAt(bucket: FreeRect[], at: number, h: number): void {
    const r = bucket[at]!;
    bucket[at] = bucket[bucket.length - 1]!;
    bucket.pop();
    if (bucket.length === 0) this.bits[h >> 5]! &= ~(1 << (h & 31));
    this.total--;
    this.area -= r.w * r.h;
  }

  /** The smallest height >= from whose bucket is non-empty, or -1. */
  private nextHeight(from: number): number {
    if (from > this.pageHeight) return -1;
    let word = from >> 5;
    let bits = this.bits[word]! & (~0 << (from & 31));
    while (bits === 0) {
      word++;
      if (word >= this.bits.length) return -1;
      bits = this.bits[word]!;
    }
    return (word << 5) + (31 - Math.clz32(bits & -bits));
  }
}

class FreeRect {
  constructor(
    readonly x: number,
    readonly y: number,
    readonly w: number,
    readonly h: number,
  ) {}
}
