import type { Handle } from '../handles/handle.ts';
import { ResourceTable } from '../handles/resource-table.ts';
import { AtlasError, checkInteger, checkLabel, readOption } from './atlas-error.ts';
import { FreeRects } from './free-rects.ts';
import { MaxRects } from './max-rects.ts';
import { inOrderSequence } from './move-order.ts';
import { OccupancyGrid } from './occupancy-grid.ts';
import { packInOrder, packShelves, tallestFirst } from './offline-pack.ts';
import { Skyline } from './skyline.ts';

/** The id of one allocated rectangle: a generational number (a freed id never resolves again). */
export type AllocationId = Handle<'atlasAllocation'>;

/** A rectangle in page pixels. */
export interface AtlasRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** One region moved by a compaction: same id, same size, new position. */
export interface AtlasMove {
  readonly id: AllocationId;
  readonly from: AtlasRect;
  readonly to: AtlasRect;
}

/** What {@link AtlasAllocator.stats} reports. */
export interface AtlasAllocatorStats {
  /** Live regions. */
  readonly live: number;
  /** Pixels held by live regions. */
  readonly usedArea: number;
  /** usedArea / page area. */
  readonly fill: number;
  /** Page area minus usedArea: free pixels, reachable now or after a compaction. */
  readonly freeArea: number;
  /**
   * Free pixels other than the open space at the top of the page: freed regions and gaps between regions.
   * Requests that fit may use them; a compaction gathers them all.
   */
  readonly reclaimableArea: number;
}

/** Options of {@link AtlasAllocator}. */
export interface AtlasAllocatorOptions {
  /** Names the allocator in error messages. */
  label?: string;
}

/** Mean rectangles per page row from which a repack uses shelves instead of the skyline. */
const SHELF_ITEMS_PER_ROW = 32;

/** Requests with both sides at most this many pixels try the skyline first; larger ones the free rectangles. */
const SMALL_SIDE = 64;

/**
 * Free rectangles above the ceiling beyond which that part is handed to the skyline: every request there
 * scans the list, and thousands come only from many small regions (glyphs after one large request), which
 * the skyline serves in O(1).
 */
const MAX_FREE_RECTS = 1024;

/** Regions up to which a budgeted compaction rebuilds the free rectangles exactly (O(regions x list)). */
const MAX_REBUILT_REGIONS = 256;

/** Largest page side the allocator accepts. */
export const MAX_PAGE_SIZE = 32768;

class Region {
  constructor(
    public x: number,
    public y: number,
    public readonly width: number,
    public readonly height: number,
    /** Placed on the skyline (below the skyline's ceiling) rather than in the free rectangles above it. */
    public onSkyline: boolean,
  ) {}
}

/**
 * A dynamic rectangle allocator for one page, in two parts split by a ceiling row. Below it, a skyline
 * (bottom-left, ties broken by least wasted area) with the gaps it leaves binned by size: O(1)-ish per
 * request, and it reaches maxrects' fill on glyph-sized requests. Above it, maximal free rectangles with
 * best short side fit ({@link MaxRects}), which packs sprite-sized requests 0.07 fuller than the skyline
 * (bench/atlas.ts) at a cost that grows with their count. Small requests (both sides <= 64) go to the skyline,
 * which raises its ceiling while the rows above are free; large ones to the free rectangles; each falls back
 * on the other part. So a page of glyphs is one skyline, a page of sprites is maxrects, and no pixel is ever
 * handed out by both (should many small requests crowd the free rectangles, the skyline takes that part over
 * too, see {@link MAX_FREE_RECTS}). A freed skyline region at the top of its columns is given back at once, others become
 * gaps or wait for {@link AtlasAllocator.compact}; a freed region above the ceiling joins the free rectangles.
 * `compact()` repacks the live regions tallest first onto the skyline (an offline pack that keeps 0.9+ of the
 * page), leaves the rows above them to the free rectangles, and reports the moves with every id unchanged.
 *
 * @example
 * const page = new AtlasAllocator(1024, 1024, { label: 'glyphs' });
 * const id = page.allocate(12, 20) ?? (page.compact(), page.allocate(12, 20));
 * if (id !== undefined) page.rect(id); // { x, y, width: 12, height: 20 }
 */
export class AtlasAllocator {
  readonly width: number;
  readonly height: number;
  readonly label: string;
  private readonly table = new ResourceTable<Region, 'atlasAllocation'>();
  private skyline: Skyline;
  private scratch: Skyline;
  private free: FreeRects;
  private scratchFree: FreeRects;
  /** Free space above the ceiling; it never reaches below it. */
  private readonly large = new MaxRects();
  /** Rows [0, ceiling) belong to the skyline. */
  private ceiling = 0;
  /** Live regions above the ceiling, and the highest top any of them reached since that part was empty. */
  private largeLive = 0;
  private largeTop = 0;
  /** Where the last placement went. */
  private placedX = 0;
  private placedY = 0;
  private used = 0;

  constructor(width: number, height: number, options?: AtlasAllocatorOptions) {
    const label = checkLabel(readOption(options, 'label', 'AtlasAllocator'), '');
    this.width = checkInteger(width, 'width', label, 1, MAX_PAGE_SIZE);
    this.height = checkInteger(height, 'height', label, 1, MAX_PAGE_SIZE);
    this.label = label;
    this.skyline = new Skyline(this.width, this.height);
    this.scratch = new Skyline(this.width, this.height);
    this.free = new FreeRects(this.width, this.height);
    this.scratchFree = new FreeRects(this.width, this.height);
    this.large.reset(0, 0, this.width, this.height);
  }

  /** Number of live regions. */
  get size(): number {
    return this.table.size;
  }

  /**
   * Allocates a width x height rectangle; returns its id, or `undefined` when it does not fit now (a
   * {@link compact} may make room). Sizes must be integers >= 1.
   *
   * @example
   * const id = page.allocate(16, 16);
   */
  allocate(width: number, height: number): AllocationId | undefined {
    if (typeof width !== 'number' || !Number.isInteger(width) || width < 1) {
      throw new AtlasError(this.label, 'width', width, 'must be an integer >= 1');
    }
    if (typeof height !== 'number' || !Number.isInteger(height) || height < 1) {
      throw new AtlasError(this.label, 'height', height, 'must be an integer >= 1');
    }
    if (width > this.width || height > this.height) return undefined;
    let onSkyline: boolean;
    if (width <= SMALL_SIDE && height <= SMALL_SIDE) {
      onSkyline = this.placeOnSkyline(width, height);
      if (!onSkyline && !this.placeAboveCeiling(width, height)) return undefined;
    } else {
      onSkyline = !this.placeAboveCeiling(width, height);
      if (onSkyline && !this.placeOnSkyline(width, height)) return undefined;
    }
    this.used += width * height;
    const id = this.table.insert(new Region(this.placedX, this.placedY, width, height, onSkyline));
    if (!onSkyline && this.large.size > MAX_FREE_RECTS) this.skylineEverywhere();
    return id;
  }

  /**
   * Frees a region. A stale or foreign id throws {@link AtlasError} (and frees nothing).
   *
   * @example
   * page.deallocate(id);
   */
  deallocate(id: AllocationId): void {
    const region = this.lookup(id);
    if (region === undefined) throw this.staleError(id, 'id');
    this.table.remove(id);
    this.used -= region.width * region.height;
    if (this.table.size === 0) {
      this.emptySpace();
    } else if (region.onSkyline) {
      if (!this.skyline.reclaim(region.x, region.y, region.width, region.height)) {
        this.free.add(region.x, region.y, region.width, region.height);
      }
    } else if (--this.largeLive === 0) {
      this.emptyAboveCeiling();
    } else {
      this.large.release(region.x, region.y, region.width, region.height);
      if (this.large.size > MAX_FREE_RECTS) this.skylineEverywhere();
    }
  }

  /**
   * True when `id` is a live region of this allocator.
   *
   * @example
   * if (page.has(id)) page.deallocate(id);
   */
  has(id: AllocationId): boolean {
    return typeof id === 'number' && this.table.has(id);
  }

  /**
   * The rectangle of a live region (a copy). A stale id throws {@link AtlasError}.
   *
   * @example
   * const { x, y, width, height } = page.rect(id);
   */
  rect(id: AllocationId): AtlasRect {
    const region = this.lookup(id);
    if (region === undefined) throw this.staleError(id, 'id');
    return { x: region.x, y: region.y, width: region.width, height: region.height };
  }

  /**
   * Live regions as `[id, rect]`, in slot order.
   *
   * @example
   * for (const [id, r] of page.regions()) draw(r);
   */
  *regions(): IterableIterator<[AllocationId, AtlasRect]> {
    for (const [id, r] of this.table) yield [id, { x: r.x, y: r.y, width: r.width, height: r.height }];
  }

  /**
   * Repacks the live regions and returns the moves (ids and sizes unchanged). Without a budget the whole page
   * is repacked at once (moves are simultaneous: copy every source before writing any destination). With
   * `maxPixels`, each move is safe to apply in order: the whole repack, ordered, when it fits the budget and
   * has such an order; otherwise only moves whose destination is free right now, first come, for at most that
   * many pixels in total, and later calls continue.
   * When the repack would not fit (it can happen on pathological sets) nothing moves.
   *
   * @example
   * for (const { id, from, to } of page.compact()) copyPixels(from, to);
   * page.compact({ maxPixels: 512 * 512 }); // a per-frame budget
   */
  compact(options?: { maxPixels?: number }): AtlasMove[] {
    const budget = readOption(options, 'maxPixels', this.label);
    if (budget !== undefined && (typeof budget !== 'number' || Number.isNaN(budget) || budget < 0)) {
      throw new AtlasError(this.label, 'maxPixels', budget, 'must be a number >= 0 (Infinity for no limit)');
    }
    const maxPixels = budget ?? Number.POSITIVE_INFINITY;
    const n = this.table.size;
    const ids: AllocationId[] = new Array(n);
    const regions: Region[] = new Array(n);
    const widths = new Int32Array(n);
    const heights = new Int32Array(n);
    let k = 0;
    for (const [id, r] of this.table) {
      ids[k] = id;
      regions[k] = r;
      widths[k] = r.width;
      heights[k] = r.height;
      k++;
    }
    const order = tallestFirst(widths, heights, n);
    const toX = new Int32Array(n);
    const toY = new Int32Array(n);
    // Without the smallest request sizes, the fresh list would drop every gap of the repack as a sliver.
    this.scratchFree.adoptMinimums(this.free);
    let widthSum = 0;
    for (let i = 0; i < n; i++) widthSum += widths[i]!;
    // Many rectangles per row (glyphs): shelves, O(n), lose almost nothing since a row's heights, sorted,
    // barely differ (bench: 0.96 vs 0.97 churn fill) and repack 6,000 glyphs 2-3x faster. Few per row
    // (sprites): the skyline, whose bottom-left placement fills the steps a shelf would waste.
    const packer = n > 0 && (this.width * n) / widthSum >= SHELF_ITEMS_PER_ROW ? packShelves : packInOrder;
    if (!packer(this.scratch, order, widths, heights, toX, toY, this.scratchFree)) return [];
    let total = 0;
    for (let i = 0; i < n; i++) {
      const r = regions[i]!;
      if (r.x !== toX[i] || r.y !== toY[i]) total += r.width * r.height;
    }
    if (total <= maxPixels) {
      if (budget === undefined) return this.applyAll(ids, regions, toX, toY);
      // A budget promises moves that are safe one at a time: the whole repack only when it has such an order.
      const fromX = new Int32Array(n);
      const fromY = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        fromX[i] = regions[i]!.x;
        fromY[i] = regions[i]!.y;
      }
      const sequence = inOrderSequence({ fromX, fromY, toX, toY, widths, heights }, n);
      if (sequence !== undefined) return this.applyAll(ids, regions, toX, toY, sequence);
    }
    return this.applyWithinBudget(ids, regions, order, toX, toY, maxPixels);
  }

  /**
   * Counts and fill. O(runs of the skyline); no scan of the regions.
   *
   * @example
   * if (page.stats().reclaimableArea > 0.2 * 1024 * 1024) page.compact();
   */
  stats(): AtlasAllocatorStats {
    const area = this.width * this.height;
    return {
      live: this.table.size,
      usedArea: this.used,
      fill: this.used / area,
      freeArea: area - this.used,
      // Free pixels minus the open space: above the skyline up to the ceiling, and above the highest region
      // placed over the ceiling.
      reclaimableArea:
        this.skyline.coveredArea() -
        this.used +
        this.width * (Math.max(this.ceiling, this.largeTop) - this.ceiling),
    };
  }

  /**
   * Frees every region (their ids go stale).
   *
   * @example
   * page.clear();
   */
  clear(): void {
    this.table.clear();
    this.used = 0;
    this.emptySpace();
  }

  /** The whole page free again (no region lives): the skyline at the bottom, nothing above it. */
  private emptySpace(): void {
    this.skyline.reset();
    this.free.clear();
    this.ceiling = 0;
    this.emptyAboveCeiling();
  }

  /** Skyline placement (gaps first), raising the ceiling when the rows it needs are free. */
  private placeOnSkyline(w: number, h: number): boolean {
    const free = this.free;
    if (free.take(w, h)) {
      this.placedX = free.takenX;
      this.placedY = free.takenY;
      return true;
    }
    const skyline = this.skyline;
    if (!skyline.find(w, h)) return false;
    const x = skyline.foundX;
    const y = skyline.foundY;
    // Bottom-left: every other skyline position ends at least as high, so this one or none.
    const top = y + h;
    if (top > this.ceiling) {
      if (!this.large.holds(0, this.ceiling, this.width, top - this.ceiling)) return false;
      this.large.place(0, this.ceiling, this.width, top - this.ceiling);
      this.ceiling = top;
    }
    skyline.place(x, y, w, h, free);
    this.placedX = x;
    this.placedY = y;
    return true;
  }

  private placeAboveCeiling(w: number, h: number): boolean {
    const large = this.large;
    if (!large.find(w, h)) return false;
    large.place(large.foundX, large.foundY, w, h);
    this.placedX = large.foundX;
    this.placedY = large.foundY;
    this.largeLive++;
    if (large.foundY + h > this.largeTop) this.largeTop = large.foundY + h;
    return true;
  }

  /**
   * Hands the part above the ceiling to the skyline, raised over the regions there: free space under them
   * waits for a compaction, space above them stays open.
   */
  private skylineEverywhere(): void {
    const above: Region[] = [];
    for (const [, r] of this.table) {
      if (r.onSkyline) continue;
      r.onSkyline = true;
      above.push(r);
    }
    this.skyline.raiseOver(above, new Int32Array(this.width));
    this.ceiling = this.height;
    this.emptyAboveCeiling();
  }

  /** Nothing lives above the ceiling: all of it is one free rectangle again. */
  private emptyAboveCeiling(): void {
    this.large.reset(0, this.ceiling, this.width, this.height - this.ceiling);
    this.largeLive = 0;
    this.largeTop = this.ceiling;
  }

  /** Moves every region to its repacked place; the moves are listed in `sequence` order when one is given. */
  private applyAll(
    ids: AllocationId[],
    regions: Region[],
    toX: Int32Array,
    toY: Int32Array,
    sequence?: readonly number[],
  ): AtlasMove[] {
    const moves: AtlasMove[] = [];
    const count = sequence === undefined ? regions.length : sequence.length;
    for (let k = 0; k < count; k++) {
      const i = sequence === undefined ? k : sequence[k]!;
      const r = regions[i]!;
      const x = toX[i]!;
      const y = toY[i]!;
      if (r.x === x && r.y === y) continue;
      moves.push({
        id: ids[i]!,
        from: { x: r.x, y: r.y, width: r.width, height: r.height },
        to: { x, y, width: r.width, height: r.height },
      });
      r.x = x;
      r.y = y;
    }
    for (const r of regions) r.onSkyline = true;
    const swap = this.skyline;
    this.skyline = this.scratch;
    this.scratch = swap;
    const swapFree = this.free;
    this.free = this.scratchFree;
    this.scratchFree = swapFree;
    this.ceiling = this.skyline.highestTop();
    this.emptyAboveCeiling();
    return moves;
  }

  private applyWithinBudget(
    ids: AllocationId[],
    regions: Region[],
    order: Uint32Array,
    toX: Int32Array,
    toY: Int32Array,
    maxPixels: number,
  ): AtlasMove[] {
    const n = regions.length;
    const xs = new Int32Array(n);
    const ys = new Int32Array(n);
    const widths = new Int32Array(n);
    const heights = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      xs[i] = regions[i]!.x;
      ys[i] = regions[i]!.y;
      widths[i] = regions[i]!.width;
      heights[i] = regions[i]!.height;
    }
    const grid = new OccupancyGrid(this.width, this.height, xs, ys, widths, heights);
    for (let i = 0; i < n; i++) grid.insert(i);
    const moves: AtlasMove[] = [];
    let spent = 0;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      const x = toX[i]!;
      const y = toY[i]!;
      const w = widths[i]!;
      const h = heights[i]!;
      if (xs[i] === x && ys[i] === y) continue;
      // A move that would raise the region's top cannot lower the skyline: not worth budget.
      if (y > ys[i]!) continue;
      if (spent + w * h > maxPixels) continue;
      if (grid.overlaps(x, y, w, h, i)) continue;
      grid.remove(i);
      moves.push({
        id: ids[i]!,
        from: { x: xs[i]!, y: ys[i]!, width: w, height: h },
        to: { x, y, width: w, height: h },
      });
      xs[i] = x;
      ys[i] = y;
      regions[i]!.x = x;
      regions[i]!.y = y;
      grid.insert(i);
      spent += w * h;
    }
    this.rebuildAround(regions);
    return moves;
  }

  /**
   * Rebuilds the free space around regions that now sit anywhere (after a budgeted compaction). A few
   * hundred (sprites): all of them go to the free rectangles over the whole page, which then hold every free
   * pixel exactly. More (glyphs): the skyline becomes their upper envelope over the whole page, and the free
   * space under it waits for the next full compaction.
   */
  private rebuildAround(regions: Region[]): void {
    this.free.clear();
    if (regions.length <= MAX_REBUILT_REGIONS) {
      this.skyline.reset();
      this.ceiling = 0;
      this.large.reset(0, 0, this.width, this.height);
      this.largeTop = 0;
      for (const r of regions) {
        r.onSkyline = false;
        this.large.place(r.x, r.y, r.width, r.height);
        if (r.y + r.height > this.largeTop) this.largeTop = r.y + r.height;
      }
      this.largeLive = regions.length;
      if (this.large.size > MAX_FREE_RECTS) this.skylineEverywhere();
      return;
    }
    this.skyline.rebuild(regions, new Int32Array(this.width));
    for (const r of regions) r.onSkyline = true;
    this.ceiling = this.height;
    this.emptyAboveCeiling();
  }

  /** The live region of an id; non-numbers (a Symbol would throw in `&`) are simply not found. */
  private lookup(id: unknown): Region | undefined {
    return typeof id === 'number' ? this.table.get(id) : undefined;
  }

  private staleError(id: unknown, field: string): AtlasError {
    const detail = typeof id === 'number' ? this.table.explainMiss(id).message : 'it is not a number';
    return new AtlasError(this.label, field, id, `must be a live region of this allocator (${detail})`);
  }
}
