import { DisposedError } from '../errors.ts';
import type { Handle } from '../handles/handle.ts';
import type { AllocationId } from './atlas-allocator.ts';
import { compactPage, evacuateLastPage } from './atlas-compaction.ts';
import { AtlasError, checkInteger, checkLabel, readOption } from './atlas-error.ts';
import { type AtlasEventMap, AtlasEvents } from './atlas-events.ts';
import type { AtlasGpuOps } from './atlas-gpu-ops.ts';
import type { AtlasManager } from './atlas-manager.ts';
import type { NormalizedAtlasOptions } from './atlas-options.ts';
import { AtlasPages } from './atlas-pages.ts';
import { PlacedRegion, type RegionOwner } from './placed-region.ts';
import type { AtlasRegionPlace } from './region-kind.ts';
import { alignUp, checkRegionData, padRegion } from './region-pixels.ts';

export type { AtlasContentLostEvent, AtlasMovedEvent } from './atlas-events.ts';

/**
 * A region of an atlas: a handle of the manager (kind `atlasRegion`, 0 bytes), valid until `remove` (or
 * `manager.destroy`), across compactions and device loss.
 */
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
  /** Bytes of region pixels kept on the CPU to refill the pages after a device loss (`keepPixels`). */
  readonly keptBytes: number;
}

/**
 * A texture atlas over a resource manager: regions are handles that stay valid while compaction moves them.
 * Created by `createAtlas`.
 *
 * @example
 * const atlas = createAtlas(manager, { label: 'sprites' }); const h = atlas.add({ width: 32, height: 32, data });
 */
export class TextureAtlas implements RegionOwner {
  readonly label: string;
  private readonly pageSet: AtlasPages;
  private readonly events: AtlasEvents;
  private readonly regionLabel: string;
  private destroyed = false;
  private movedCount = 0;
  private regionCount = 0;
  private keptBytes = 0;

  constructor(
    private readonly manager: AtlasManager,
    private readonly options: NormalizedAtlasOptions,
    private readonly ops: AtlasGpuOps,
  ) {
    this.label = options.label;
    this.regionLabel = `${options.label} region`;
    this.events = new AtlasEvents(options.label);
    this.pageSet = new AtlasPages(manager, options, ops, (pages) => this.refill(pages));
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
   * {@link flush} (or the manager's `flush`) before drawing. The handle is the manager's: labelled
   * `label` (default `'<atlas label> region'`), listed in its dumps, leaks and scopes.
   *
   * @example
   * const glyph = atlas.add({ width: 12, height: 20, data: coverage, label: 'glyph A 16px' });
   */
  add(request: { width: number; height: number; data?: ArrayBufferView; label?: string }): AtlasRegionHandle {
    this.assertLive('add a region');
    const label = checkLabel(readOption(request, 'label', this.label), this.regionLabel);
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
    const region = new PlacedRegion(this, pageIndex, allocation, width, height);
    try {
      region.handle = this.manager.createAtlasRegion({ label, width, height, region });
    } catch (error) {
      page.allocator.deallocate(allocation); // no entry yet: the allocation is all there is to undo
      throw error;
    }
    page.owners.set(allocation, region);
    this.regionCount++;
    try {
      this.upload(region, data);
    } catch (error) {
      // The staging belt refused: the region must not stay half-added (the destroy frees its space).
      this.manager.destroy(region.handle);
      throw error;
    }
    this.keep(region, data);
    return region.handle;
  }

  /**
   * Replaces a region's pixels (same size).
   *
   * @example
   * atlas.write(glyph, newCoverage); atlas.flush();
   */
  write(handle: AtlasRegionHandle, data: ArrayBufferView): void {
    this.assertLive('write a region');
    const region = this.entry(handle);
    const bytes = checkRegionData(this.label, this.options.bytesPerTexel, data, region.width, region.height);
    this.upload(region, bytes);
    this.keep(region, bytes);
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
    const { x, y } = this.where(entry);
    const { width: pageW, height: pageH } = this.options;
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
    return this.lookup(handle) !== undefined;
  }

  /**
   * Frees a region: the same as `manager.destroy(handle)` (the manager's entry goes, and with it the space).
   * Its handle goes stale. Its texels stay until the space is reused (gutters are rewritten by every add, so
   * nothing bleeds). A region someone `retain`ed lives on until released, as any resource.
   *
   * @example
   * atlas.remove(glyph);
   */
  remove(handle: AtlasRegionHandle): void {
    this.assertLive('remove a region');
    this.manager.destroy(this.entry(handle).handle);
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
      const { pixels, regions, emptied } = evacuateLastPage(this.pageSet, this.ops, remaining);
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
   * Listens for `moved` (regions whose `uv` changed in a compaction) or `contentLost` (after a device loss,
   * regions whose pixels were not kept came back empty: write them again). Returns the unsubscribe function.
   *
   * @example
   * const off = atlas.on('moved', ({ regions }) => console.log(regions.length));
   * atlas.on('contentLost', ({ regions }) => regions.forEach((h) => atlas.write(h, rasterise(h))));
   */
  on<E extends keyof AtlasEventMap>(event: E, listener: (event: AtlasEventMap[E]) => void): () => void {
    return this.events.on(event, listener);
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
      regions: this.regionCount,
      fill: pages === 0 ? 0 : used / (pages * width * height),
      bytes: this.pageSet.bytes(),
      moved: this.movedCount,
      keptBytes: this.keptBytes,
    };
  }

  /**
   * Destroys every region (through the manager, as `remove` does), then the page textures (after in-flight
   * work, as every manager destroy).
   *
   * @example
   * atlas.destroy();
   */
  destroy(): void {
    if (this.destroyed) return;
    const regions: AtlasRegionHandle[] = [];
    for (const page of this.pageSet.list)
      for (const region of page.owners.values()) regions.push(region.handle);
    for (const handle of regions) if (this.manager.has(handle)) this.manager.destroy(handle);
    this.destroyed = true;
    this.pageSet.destroy();
    this.events.clear();
    this.ops.destroy();
  }

  /**
   * Where a region is now (its content's corner): the kind table's `describe` reads it for dumps.
   *
   * @example
   * atlas.where(region) // { page: 0, x: 1, y: 1 }
   */
  where(region: PlacedRegion): AtlasRegionPlace {
    const page = this.pageSet.list[region.page];
    if (region.released || page === undefined) return { page: region.page, x: -1, y: -1 };
    const rect = page.allocator.rect(region.allocation);
    return { page: region.page, x: rect.x + this.options.gutter, y: rect.y + this.options.gutter };
  }

  /**
   * Frees a region's space once its manager entry is gone (the kind table's `removed` calls it, whatever
   * destroyed the region: `remove`, `manager.destroy`, a scope, `dispose`). While the manager still holds the
   * region it does nothing.
   *
   * @example
   * region.release(); // through the manager only
   */
  release(region: PlacedRegion): void {
    if (region.released || region.owner !== this || this.manager.has(region.handle)) return;
    region.released = true;
    const page = this.pageSet.list[region.page];
    if (page !== undefined && page.owners.get(region.allocation) === region) {
      page.allocator.deallocate(region.allocation);
      page.owners.delete(region.allocation);
    }
    this.regionCount--;
    this.keptBytes -= region.pixels?.byteLength ?? 0;
    region.pixels = undefined;
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
    if (regions.length > 0) this.events.emit('moved', { regions });
  }

  /**
   * A page texture was rebuilt empty after a device loss: every region of those pages is uploaded again
   * from its kept pixels, the regions whose pixels were not kept are reported (`contentLost`, whose listeners
   * may `write` them), then uploads are flushed and mips regenerated.
   */
  private refill(pages: readonly number[]): void {
    if (this.destroyed) return;
    const lost: AtlasRegionHandle[] = [];
    for (const index of pages) {
      const page = this.pageSet.list[index]!;
      for (const region of page.owners.values()) {
        if (region.kept) this.upload(region, region.pixels);
        else lost.push(region.handle);
      }
      page.dirty = true;
    }
    try {
      if (lost.length > 0) this.events.emit('contentLost', { regions: lost });
    } finally {
      this.flush();
    }
  }

  /** Keeps (a copy of) what a region now holds, or marks it lost with `keepPixels: false`. */
  private keep(region: PlacedRegion, data: Uint8Array | undefined): void {
    this.keptBytes -= region.pixels?.byteLength ?? 0;
    // A cleared region needs no bytes to come back; written pixels are copied (the caller may reuse them).
    region.kept = data === undefined || this.options.keepPixels;
    region.pixels = data !== undefined && this.options.keepPixels ? data.slice() : undefined;
    this.keptBytes += region.pixels?.byteLength ?? 0;
  }

  private upload(entry: PlacedRegion, data: Uint8Array | undefined): void {
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

  /** The region a handle names, if it is a live region of this atlas (resolved through the manager). */
  private lookup(handle: unknown): PlacedRegion | undefined {
    if (typeof handle !== 'number') return undefined;
    const record = this.manager.get(handle as AtlasRegionHandle);
    if (record?.kind !== 'atlasRegion') return undefined;
    const { region } = record.descriptor as { region: unknown };
    return region instanceof PlacedRegion && region.owner === this ? region : undefined;
  }

  private entry(handle: AtlasRegionHandle): PlacedRegion {
    const region = this.lookup(handle);
    if (region === undefined) {
      throw new AtlasError(
        this.label,
        'region',
        handle,
        `must be a live region of this atlas (${this.miss(handle)})`,
      );
    }
    return region;
  }

  /** Why a handle is not a region of this atlas, in the manager's words where it has them. */
  private miss(handle: unknown): string {
    if (typeof handle !== 'number') return 'it is not a number';
    let record: unknown;
    try {
      record = this.manager.resolve(handle as AtlasRegionHandle);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
    const { kind, label } = record as { kind: string; label: string };
    return kind === 'atlasRegion'
      ? `it is a region of another atlas ('${label}')`
      : `it names a ${kind} ('${label}')`;
  }

  private assertLive(operation: string): void {
    if (this.destroyed) throw new DisposedError(`atlas '${this.label}'`, operation);
  }
}
