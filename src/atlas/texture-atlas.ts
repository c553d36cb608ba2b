import { DisposedError } from '../errors.ts';
import type { Handle } from '../handles/handle.ts';
import { ResourceTable } from '../handles/resource-table.ts';
import type { AllocationId } from './atlas-allocator.ts';
import { compactPage, evacuateLastPage, type RegionEntry } from './atlas-compaction.ts';
import { AtlasError, checkInteger, readOption } from './atlas-error.ts';
import type { AtlasGpuOps } from './atlas-gpu-ops.ts';
import type { AtlasManager } from './atlas-manager.ts';
import type { NormalizedAtlasOptions } from './atlas-options.ts';
import { AtlasPages } from './atlas-pages.ts';
import { alignUp, checkRegionData, padRegion } from './region-pixels.ts';

/** A region of an atlas: a generational handle, valid until `remove`, across compactions. */
export type AtlasRegionHandle = Handle<'atlasRegion'>;

/** Where a region is: its page (and array layer), texel rectangle of the content, and its UVs. */
export interface AtlasRegion {
  readonly page: number;
  /** Array layer: the page index with `pages: 'layers'`, else 0. */
  readonly layer: number;
  /** The page's texture (with `pages: 'layers'`, the one array texture). */
  readonly texture: Handle<'texture'>;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** [u0, v0, u1, v1] of the content (v down, WebGPU's texture coordinates). */
  readonly uv: readonly [number, number, number, number];
}

/** Counters of an atlas. */
export interface AtlasStats {
  readonly pages: number;
  readonly regions: number;
  /** Texels of live allocations (content plus gutter) / texels of all pages. */
  readonly fill: number;
  /** Bytes of the page textures on the GPU (all mip levels). */
  readonly bytes: number;
  /** Regions moved by compactions so far. */
  readonly moved: number;
}

/** The payload of the `moved` event: regions whose position (and `uv`) changed, now at their new place. */
export interface AtlasMovedEvent {
  readonly regions: readonly AtlasRegionHandle[];
}

/**
 * A texture atlas over a resource manager: regions are handles that stay valid while compaction moves them.
 * Created by `createAtlas`.
 *
 * @example
 * const atlas = createAtlas(manager, { label: 'sprites' }); const h = atlas.add({ width: 32, height: 32, data });
 */
export class TextureAtlas {
  readonly label: string;
  private readonly regions = new ResourceTable<RegionEntry, 'atlasRegion'>();
  private readonly pageSet: AtlasPages;
  private readonly listeners = new Set<(event: AtlasMovedEvent) => void>();
  private destroyed = false;
  private movedCount = 0;

  constructor(
    private readonly manager: AtlasManager,
    private readonly options: NormalizedAtlasOptions,
    private readonly ops: AtlasGpuOps,
  ) {
    this.label = options.label;
    this.pageSet = new AtlasPages(manager, options, ops);
    this.pageSet.add();
  }

  /** Number of pages. */
  get pages(): number {
    return this.pageSet.count;
  }

  /**
   * The texture of a page (with `pages: 'layers'` every page shares one array texture).
   *
   * @example
   * pass.setBindGroup(0, bindGroupFor(manager.gpu(atlas.pageTexture(0))));
   */
  pageTexture(page: number): Handle<'texture'> {
    this.assertLive('read a page');
    const texture =
      Number.isInteger(page) && page >= 0 && page < this.pageSet.count
        ? this.pageSet.texture(page)
        : undefined;
    if (texture === undefined) {
      throw new AtlasError(this.label, 'page', page, `must be an integer in [0, ${this.pageSet.count - 1}]`);
    }
    return texture;
  }

  /**
   * The array layer of a page in its texture: the page index with `pages: 'layers'`, else 0.
   *
   * @example
   * manager.readTexture(atlas.pageTexture(2), { origin: [0, 0, atlas.pageLayer(2)] });
   */
  pageLayer(page: number): number {
    this.pageTexture(page);
    return this.options.pages === 'layers' ? page : 0;
  }

  /**
   * Adds a region of `width` x `height` texels, with its pixels (tight rows in the atlas format) or cleared.
   * Fills the first page with room; otherwise compacts (with `autoCompact`), then adds a page up to
   * `maxPages`, then throws {@link AtlasError} naming the atlas and the request. Pixels are staged: call
   * {@link flush} (or the manager's `flush`) before drawing.
   *
   * @example
   * const glyph = atlas.add({ width: 12, height: 20, data: coverage });
   */
  add(request: { width: number; height: number; data?: ArrayBufferView }): AtlasRegionHandle {
    this.assertLive('add a region');
    const width = checkInteger(
      readOption(request, 'width', this.label),
      'width',
      this.label,
      1,
      this.options.width,
    );
    const height = checkInteger(
      readOption(request, 'height', this.label),
      'height',
      this.label,
      1,
      this.options.height,
    );
    const data = checkRegionData(
      this.label,
      this.options.bytesPerTexel,
      readOption(request, 'data', this.label),
      width,
      height,
    );
    const { gutter, alignment } = this.options;
    const allocW = alignUp(width + 2 * gutter, alignment);
    const allocH = alignUp(height + 2 * gutter, alignment);
    if (allocW > this.options.width || allocH > this.options.height) {
      throw new AtlasError(
        this.label,
        'add',
        { width, height },
        `cannot fit a ${this.options.width} x ${this.options.height} page with a ${gutter}-texel gutter (${allocW} x ${allocH})`,
      );
    }
    const placed = this.place(allocW, allocH);
    if (placed === undefined) {
      throw new AtlasError(
        this.label,
        'add',
        { width, height },
        `does not fit: ${this.pageSet.count} page(s) of ${this.options.width} x ${this.options.height} are full ` +
          `(maxPages ${this.options.maxPages})`,
      );
    }
    const [pageIndex, allocation] = placed;
    const page = this.pageSet.list[pageIndex]!;
    const handle = this.regions.insert({ page: pageIndex, allocation, width, height });
    page.owners.set(allocation, handle);
    try {
      this.upload(this.regions.get(handle)!, data);
    } catch (error) {
      // The staging belt refused (a disposed or lost manager): the region must not stay half-added.
      page.allocator.deallocate(allocation);
      page.owners.delete(allocation);
      this.regions.remove(handle);
      throw error;
    }
    return handle;
  }

  /**
   * Replaces a region's pixels (same size).
   *
   * @example
   * atlas.write(glyph, newCoverage); atlas.flush();
   */
  write(handle: AtlasRegionHandle, data: ArrayBufferView): void {
    this.assertLive('write a region');
    const entry = this.entry(handle);
    this.upload(
      entry,
      checkRegionData(this.label, this.options.bytesPerTexel, data, entry.width, entry.height),
    );
  }

  /**
   * Where a region is now. A stale handle throws {@link AtlasError}.
   *
   * @example
   * const { page, uv: [u0, v0, u1, v1] } = atlas.region(glyph);
   */
  region(handle: AtlasRegionHandle): AtlasRegion {
    this.assertLive('read a region');
    const entry = this.entry(handle);
    const rect = this.pageSet.list[entry.page]!.allocator.rect(entry.allocation);
    const { gutter, width: pageW, height: pageH } = this.options;
    const x = rect.x + gutter;
    const y = rect.y + gutter;
    return {
      page: entry.page,
      layer: this.pageSet.layer(entry.page),
      texture: this.pageSet.texture(entry.page),
      x,
      y,
      width: entry.width,
      height: entry.height,
      uv: [x / pageW, y / pageH, (x + entry.width) / pageW, (y + entry.height) / pageH],
    };
  }

  /**
   * True while the handle names a region of this atlas.
   *
   * @example
   * if (!atlas.has(glyph)) glyph = atlas.add(raster(char));
   */
  has(handle: AtlasRegionHandle): boolean {
    return typeof handle === 'number' && this.regions.has(handle);
  }

  /**
   * Frees a region; its handle goes stale. Its texels stay until the space is reused (gutters are rewritten
   * by every add, so nothing bleeds).
   *
   * @example
   * atlas.remove(glyph);
   */
  remove(handle: AtlasRegionHandle): void {
    this.assertLive('remove a region');
    const entry = this.entry(handle);
    const page = this.pageSet.list[entry.page]!;
    page.allocator.deallocate(entry.allocation);
    page.owners.delete(entry.allocation);
    this.regions.remove(handle);
  }

  /**
   * Repacks pages with GPU copies (all mip levels) and emits `moved` with the regions whose UVs changed;
   * handles stay valid. `maxPixelsPerFrame` bounds the texels copied by this call (call again next frame to
   * continue). Returns the moved regions.
   *
   * @example
   * atlas.on('moved', ({ regions }) => regions.forEach(updateInstance));
   * atlas.compact({ maxPixelsPerFrame: 512 * 512 });
   */
  compact(options?: { maxPixelsPerFrame?: number }): AtlasRegionHandle[] {
    this.assertLive('compact');
    const budget = readOption(options, 'maxPixelsPerFrame', this.label);
    if (budget !== undefined && (typeof budget !== 'number' || Number.isNaN(budget) || budget < 0)) {
      throw new AtlasError(this.label, 'maxPixelsPerFrame', budget, 'must be a number >= 0');
    }
    let remaining = budget ?? Number.POSITIVE_INFINITY;
    const moved: AtlasRegionHandle[] = [];
    for (let p = 0; p < this.pageSet.count && remaining > 0; p++) {
      const { pixels, regions } = compactPage(this.pageSet, this.ops, p, remaining);
      remaining -= pixels;
      moved.push(...regions);
    }
    // Then empty the last pages into the earlier ones (WebRender's rule), freeing each page that empties.
    while (this.pageSet.count > 1 && remaining > 0) {
      const { pixels, regions, emptied } = evacuateLastPage(
        this.pageSet,
        this.ops,
        (h) => this.regions.get(h)!,
        remaining,
      );
      remaining -= pixels;
      moved.push(...regions);
      if (!emptied) break;
      this.pageSet.removeLast();
    }
    this.emitMoved(moved);
    return moved;
  }

  /**
   * Submits staged pixels and, with mipmaps, regenerates the levels of the pages written since the last
   * flush. Call once per frame before drawing from the atlas.
   *
   * @example
   * atlas.add({ width, height, data }); atlas.flush();
   */
  flush(): void {
    this.assertLive('flush');
    const dirty: { texture: Handle<'texture'>; layer: number }[] = [];
    this.pageSet.list.forEach((page, index) => {
      if (!page.dirty) return;
      page.dirty = false;
      dirty.push({ texture: this.pageSet.texture(index), layer: this.pageSet.layer(index) });
    });
    this.ops.flush(dirty);
  }

  /**
   * Listens for `moved` (regions whose `uv` changed in a compaction). Returns the unsubscribe function.
   *
   * @example
   * const off = atlas.on('moved', ({ regions }) => console.log(regions.length));
   */
  on(event: 'moved', listener: (event: AtlasMovedEvent) => void): () => void {
    if (event !== 'moved') throw new AtlasError(this.label, 'event', event, "must be 'moved'");
    if (typeof listener !== 'function')
      throw new AtlasError(this.label, 'listener', listener, 'must be a function');
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Counters: pages, regions, fill, page bytes, moves.
   *
   * @example
   * overlay.text = `${atlas.stats().pages} pages, ${(atlas.stats().fill * 100).toFixed(0)}% full`;
   */
  stats(): AtlasStats {
    let used = 0;
    for (const page of this.pageSet.list) used += page.allocator.stats().usedArea;
    const { width, height } = this.options;
    const pages = this.pageSet.count;
    return {
      pages,
      regions: this.regions.size,
      fill: pages === 0 ? 0 : used / (pages * width * height),
      bytes: this.pageSet.bytes(),
      moved: this.movedCount,
    };
  }

  /**
   * Destroys the page textures (after in-flight work, as every manager destroy) and stales every region.
   *
   * @example
   * atlas.destroy();
   */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.pageSet.destroy();
    this.regions.clear();
    this.listeners.clear();
    this.ops.destroy();
  }

  /** Allocates on the first page with room; then compacts; then grows. Returns [page, allocation]. */
  private place(w: number, h: number): [number, AllocationId] | undefined {
    for (let p = 0; p < this.pageSet.count; p++) {
      const id = this.pageSet.list[p]!.allocator.allocate(w, h);
      if (id !== undefined) return [p, id];
    }
    if (this.options.autoCompact) {
      const candidates = this.pageSet.list
        .map((page, index) => ({ index, reclaimable: page.allocator.stats().reclaimableArea }))
        .filter((c) => c.reclaimable >= w * h)
        .sort((a, b) => b.reclaimable - a.reclaimable);
      for (const { index } of candidates) {
        const { regions } = compactPage(this.pageSet, this.ops, index, Number.POSITIVE_INFINITY);
        this.emitMoved(regions);
        const id = this.pageSet.list[index]!.allocator.allocate(w, h);
        if (id !== undefined) return [index, id];
      }
    }
    if (this.pageSet.count < this.options.maxPages) {
      this.pageSet.add();
      const index = this.pageSet.count - 1;
      const id = this.pageSet.list[index]!.allocator.allocate(w, h);
      if (id !== undefined) return [index, id];
    }
    return undefined;
  }

  private emitMoved(regions: AtlasRegionHandle[]): void {
    this.movedCount += regions.length;
    if (regions.length === 0 || this.listeners.size === 0) return;
    const event: AtlasMovedEvent = { regions };
    let failure: unknown;
    // Every listener runs (the books are already exact); the first error is rethrown afterwards.
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  }

  private upload(entry: RegionEntry, data: Uint8Array | undefined): void {
    const page = this.pageSet.list[entry.page]!;
    const rect = page.allocator.rect(entry.allocation);
    const { bytesPerTexel, gutter, extrude } = this.options;
    const texels = padRegion(
      data,
      entry.width,
      entry.height,
      bytesPerTexel,
      gutter,
      rect.width,
      rect.height,
      extrude,
    );
    this.manager.uploadTexture(this.pageSet.texture(entry.page), texels, {}, [rect.width, rect.height], {
      mipLevel: 0,
      origin: [rect.x, rect.y, this.pageSet.layer(entry.page)],
    });
    page.dirty = true;
  }

  private entry(handle: AtlasRegionHandle): RegionEntry {
    const entry = typeof handle === 'number' ? this.regions.get(handle) : undefined;
    if (entry === undefined) {
      const detail =
        typeof handle === 'number' ? this.regions.explainMiss(handle).message : 'it is not a number';
      throw new AtlasError(this.label, 'region', handle, `must be a live region of this atlas (${detail})`);
    }
    return entry;
  }

  private assertLive(operation: string): void {
    if (this.destroyed) throw new DisposedError(`atlas '${this.label}'`, operation);
  }
}
