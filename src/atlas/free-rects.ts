/**
 * Free rectangles below the skyline (the gaps a placement leaves under itself, and freed regions that are not
 * the top of their columns), kept in cells by exact height and exact width: every cell is a stack of packed
 * positions (`y * 2^15 + x`, small integers, no object per rectangle), each height has a bitset of its
 * non-empty widths, and a bitset marks the non-empty heights. A query finds, for each of the nearest few
 * heights, the narrowest width that fits with a few word scans, and takes the candidate leaving the least
 * area: add and take are O(1) apart from those scans. Rectangles never overlap each other, regions, or the
 * space above the skyline.
 *
 * @example
 * const free = new FreeRects(512, 512);
 * free.take(8, 8); // false, and 8 x 8 is now the smallest request seen
 * free.add(0, 0, 32, 32);
 * free.take(8, 8); // true: takenX = 0, takenY = 0
 */
export class FreeRects {
  /** Result of the last successful {@link FreeRects.take}. */
  takenX = 0;
  takenY = 0;
  private readonly rows: (Row | undefined)[];
  private readonly heightBits: Uint32Array;
  private readonly widthWords: number;
  private total = 0;
  private area = 0;
  /** The narrowest and shortest requests seen: a free rectangle that cannot hold them is a sliver. */
  private minW = 2147483647;
  private minH = 2147483647;

  constructor(pageWidth: number, pageHeight: number) {
    this.rows = new Array(pageHeight + 1);
    this.heightBits = new Uint32Array((pageHeight >> 5) + 1);
    this.widthWords = (pageWidth >> 5) + 1;
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
   * waste until a compaction): kept, they would only crowd the cells.
   */
  add(x: number, y: number, w: number, h: number): void {
    if (w < this.minW || h < this.minH) return;
    let row = this.rows[h];
    if (row === undefined) {
      row = { bits: new Uint32Array(this.widthWords), cells: new Map(), count: 0 };
      this.rows[h] = row;
    }
    let cell = row.cells.get(w);
    if (cell === undefined) {
      cell = [];
      row.cells.set(w, cell);
    }
    cell.push(y * Y_UNIT + x);
    row.count++;
    row.bits[w >> 5]! |= 1 << (w & 31);
    this.heightBits[h >> 5]! |= 1 << (h & 31);
    this.total++;
    this.area += w * h;
  }

  /** Takes over another list's smallest request sizes (the list a repack fills replaces that one). */
  adoptMinimums(other: FreeRects): void {
    this.minW = Math.min(this.minW, other.minW);
    this.minH = Math.min(this.minH, other.minH);
  }

  /** Forgets every free rectangle. */
  clear(): void {
    if (this.total === 0) return;
    this.rows.fill(undefined);
    this.heightBits.fill(0);
    this.total = 0;
    this.area = 0;
  }

  /**
   * Finds a free rectangle that holds w x h, places the request at its corner, puts the two guillotine
   * leftovers back, and stores the position in takenX/takenY. Returns false when none fits.
   */
  take(w: number, h: number): boolean {
    if (w < this.minW) this.minW = w;
    if (h < this.minH) this.minH = h;
    if (this.total === 0) return false;
    let bestHeight = -1;
    let bestWidth = 0;
    let bestLeft = Number.POSITIVE_INFINITY;
    let looked = 0;
    for (
      let height = nextBit(this.heightBits, h);
      height >= 0;
      height = nextBit(this.heightBits, height + 1)
    ) {
      // Taller rows only leave more area once their height alone exceeds the best leftover.
      if ((height - h) * w >= bestLeft) break;
      const width = nextBit(this.rows[height]!.bits, w);
      if (width < 0) continue;
      const left = width * height - w * h;
      if (left < bestLeft) {
        bestLeft = left;
        bestHeight = height;
        bestWidth = width;
        if (left === 0) break;
      }
      if (++looked >= CANDIDATE_HEIGHTS) break;
    }
    if (bestHeight < 0) return false;
    const position = this.pop(bestHeight, bestWidth);
    const y = Math.floor(position / Y_UNIT);
    const x = position - y * Y_UNIT;
    this.takenX = x;
    this.takenY = y;
    // Guillotine split along the axis that keeps the larger leftover whole.
    const rightW = bestWidth - w;
    const topH = bestHeight - h;
    if (rightW * bestHeight >= bestWidth * topH) {
      this.add(x + w, y, rightW, bestHeight);
      this.add(x, y + h, w, topH);
    } else {
      this.add(x + w, y, rightW, h);
      this.add(x, y + h, bestWidth, topH);
    }
    return true;
  }

  private pop(h: number, w: number): number {
    const row = this.rows[h]!;
    const cell = row.cells.get(w)!;
    const position = cell.pop()!;
    row.count--;
    if (cell.length === 0) row.bits[w >> 5]! &= ~(1 << (w & 31));
    if (row.count === 0) this.heightBits[h >> 5]! &= ~(1 << (h & 31));
    this.total--;
    this.area -= w * h;
    return position;
  }
}

interface Row {
  /** Bit w set: the cell of width w is non-empty. */
  readonly bits: Uint32Array;
  readonly cells: Map<number, number[]>;
  /** Rectangles in the row. */
  count: number;
}

/** Position packing: x and y below 2^15 (the page limit), so a position is a small integer. */
const Y_UNIT = 2 ** 15;

/** Heights with a fitting rectangle compared before the best is taken. */
const CANDIDATE_HEIGHTS = 4;

/** The smallest set bit index >= from, or -1. */
function nextBit(bits: Uint32Array, from: number): number {
  let word = from >> 5;
  if (word >= bits.length) return -1;
  let value = bits[word]! & (~0 << (from & 31));
  while (value === 0) {
    word++;
    if (word >= bits.length) return -1;
    value = bits[word]!;
  }
  return (word << 5) + (31 - Math.clz32(value & -value));
}
