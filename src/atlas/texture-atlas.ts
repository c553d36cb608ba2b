import { DisposedError } from '../errors.ts';
import type { Handle } from '../handles/handle.ts';
import { compactAtlas } from './atlas-compaction.ts';
import { AtlasError, readOption } from './atlas-error.ts';
import { type AtlasEventMap, AtlasEvents } from './atlas-events.ts';
import type { AtlasGpuOps } from './atlas-gpu-ops.ts';
import type { AtlasManager } from './atlas-manager.ts';
import type { NormalizedAtlasOptions } from './atlas-options.ts';
import { AtlasPages } from './atlas-pages.ts';
import type { AtlasRegion, AtlasRegionHandle, AtlasStats } from './atlas-types.ts';
import { refillPages } from './page-refill.ts';
import { PlacedRegion, type RegionOwner } from './placed-region.ts';
import type { AtlasRegionPlace } from './region-kind.ts';
import { lookupRegion, requireRegion } from './region-lookup.ts';
import { checkRegionData } from './region-pixels.ts';
import { placeAllocation } from './region-placement.ts';
import { checkRegionRequest } from './region-request.ts';
import { RegionWriter } from './region-writer.ts';

export type { AtlasContentLostEvent, AtlasMovedEvent } from './atlas-events.ts';
export type { AtlasRegion, AtlasRegionHandle, AtlasStats } from './atlas-types.ts';

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
  private readonly writer: RegionWriter;

  constructor(
    private readonly manager: AtlasManager,
    private readonly options: NormalizedAtlasOptions,
    private readonly ops: AtlasGpuOps,
  ) {
    this.label = options.label;
    this.regionLabel = `${options.label} region`;
    this.events = new AtlasEvents(options.label);
    this.pageSet = new AtlasPages(manager, options, ops, (pages) => this.refill(pages));
    this.writer = new RegionWriter(manager, options, this.pageSet);
    this.pageSet.add();
  }

  /** Number of pages. @example for (let p = 0; p < atlas.pages; p++) draw(atlas.pageTexture(p)); */
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
    const { label, width, height, data, allocWidth, allocHeight } = checkRegionRequest(
      this.options,
      this.regionLabel,
      request,
    );
    const placed = placeAllocation(this.pageSet, this.ops, this.options, allocWidth, allocHeight, (moved) =>
      this.emitMoved(moved),
    );
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
      this.writer.write(region, data);
    } catch (error) {
      // The staging belt refused: the region must not stay half-added (the destroy frees its space).
      this.manager.destroy(region.handle);
      throw error;
    }
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
    const region = requireRegion(this.manager, this, handle);
    const bytes = checkRegionData(this.label, this.options.bytesPerTexel, data, region.width, region.height);
    this.writer.write(region, bytes);
  }

  /**
   * Where a region is now. A stale handle throws {@link AtlasError}.
   *
   * @example
   * const { page, uv: [u0, v0, u1, v1] } = atlas.region(glyph);
   */
  region(handle: AtlasRegionHandle): AtlasRegion {
    this.assertLive('read a region');
    const entry = requireRegion(this.manager, this, handle);
    const { x, y } = this.pageSet.where(entry);
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
    return lookupRegion(this.manager, this, handle) !== undefined;
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
    this.manager.destroy(requireRegion(this.manager, this, handle).handle);
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
    const moved = compactAtlas(this.pageSet, this.ops, budget ?? Number.POSITIVE_INFINITY);
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
    this.ops.flush(this.pageSet.takeDirty());
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
    const { width, height } = this.options;
    const pages = this.pageSet.count;
    return {
      pages,
      regions: this.regionCount,
      fill: pages === 0 ? 0 : this.pageSet.usedArea() / (pages * width * height),
      bytes: this.pageSet.bytes(),
      moved: this.movedCount,
      keptBytes: this.writer.keptBytes,
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
    return this.pageSet.where(region);
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
    this.pageSet.free(region);
    this.regionCount--;
    this.writer.forget(region);
  }

  private emitMoved(regions: AtlasRegionHandle[]): void {
    this.movedCount += regions.length;
    if (regions.length > 0) this.events.emit('moved', { regions });
  }

  /**
   * Page textures were rebuilt empty after a device loss (their content source's `regenerate`). The manager
   * rebuilds one texture at a time, so only these pages are flushed: another page written before the loss
   * may still be lost, and is refilled (and flushed) when its own texture is back.
   */
  private refill(pages: readonly number[]): void {
    if (this.destroyed) return;
    refillPages(this.pageSet, this.writer, this.events, pages, () => {
      if (!this.destroyed) this.ops.flush(this.pageSet.takeDirty(pages));
    });
  }

  private assertLive(operation: string): void {
    if (this.destroyed) throw new DisposedError(`atlas '${this.label}'`, operation);
  }
}
