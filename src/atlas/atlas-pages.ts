import type { Handle } from '../handles/handle.ts';
import { TextureUsage } from '../resources/usage.ts';
import { type AllocationId, AtlasAllocator } from './atlas-allocator.ts';
import type { AtlasGpuOps } from './atlas-gpu-ops.ts';
import type { AtlasManager } from './atlas-manager.ts';
import type { NormalizedAtlasOptions } from './atlas-options.ts';
import type { PlacedRegion } from './placed-region.ts';
import type { AtlasRegionPlace } from './region-kind.ts';

/** One page: its allocator, the region of each allocation, and whether its mips need regenerating. */
export interface AtlasPage {
  readonly allocator: AtlasAllocator;
  /** The region of each allocation (moves are reported by handle, restores re-upload each one). */
  readonly owners: Map<AllocationId, PlacedRegion>;
  dirty: boolean;
}

/**
 * The pages of an atlas and their textures: separate textures (`'<label> page N'`), or the layers of one
 * array texture (`'<label> pages'`) that is re-created one layer larger or smaller, with its layers copied,
 * when a page is added or the last one removed. Each texture's content source is `{ regenerate }`: after a
 * device loss the manager rebuilds it, then `refill` is called with the pages it holds.
 *
 * @example
 * const pages = new AtlasPages(manager, options, ops, (pages) => reupload(pages)); pages.add(); pages.texture(0);
 */
export class AtlasPages {
  readonly list: AtlasPage[] = [];
  private textures: Handle<'texture'>[] = [];
  /** The hold on each page texture, let go just before the atlas destroys it. */
  private readonly holds = new Map<Handle<'texture'>, () => void>();

  constructor(
    private readonly manager: AtlasManager,
    private readonly options: NormalizedAtlasOptions,
    private readonly ops: AtlasGpuOps,
    /** Puts the contents of these pages back into their (rebuilt, empty) texture. */
    private readonly refill: (pages: readonly number[]) => void,
  ) {}

  /** Number of pages. @example for (let p = 0; p < pages.count; p++) pages.texture(p); */
  get count(): number {
    return this.list.length;
  }

  /** The texture holding a page. @example manager.gpu(pages.texture(0)) */
  texture(page: number): Handle<'texture'> {
    return this.textures[this.options.pages === 'layers' ? 0 : page]!;
  }

  /** The array layer of a page in its texture. @example pages.layer(2) // 2 with 'layers', else 0 */
  layer(page: number): number {
    return this.options.pages === 'layers' ? page : 0;
  }

  /**
   * GPU bytes of the page textures, all mip levels (a 'layers' texture may hold a spare layer).
   *
   * @example
   * pages.bytes() // 64 * 64 * 4 for one rgba8 64 x 64 page without mips
   */
  bytes(): number {
    const { width, height, mipLevelCount, bytesPerTexel } = this.options;
    let perPage = 0;
    for (let level = 0; level < mipLevelCount; level++) {
      perPage += Math.max(1, width >> level) * Math.max(1, height >> level) * bytesPerTexel;
    }
    return perPage * (this.textures.length === 0 ? 0 : this.layerCount(this.list.length));
  }

  /** The pages a texture holds (every page with `pages: 'layers'`). @example pages.pagesOf(handle) // [1] */
  pagesOf(texture: Handle<'texture'>): number[] {
    const pages: number[] = [];
    for (let page = 0; page < this.list.length; page++) if (this.texture(page) === texture) pages.push(page);
    return pages;
  }

  /** Texels of live allocations (content plus gutter) over every page. @example pages.usedArea() / area */
  usedArea(): number {
    let used = 0;
    for (const page of this.list) used += page.allocator.stats().usedArea;
    return used;
  }

  /**
   * The pages written since the last call, as (texture, layer), their dirty marks cleared; only those of
   * `among` when given (a refill after a device loss must not touch pages whose texture is not back yet).
   *
   * @example
   * ops.flush(pages.takeDirty());
   */
  takeDirty(among?: readonly number[]): { texture: Handle<'texture'>; layer: number }[] {
    const dirty: { texture: Handle<'texture'>; layer: number }[] = [];
    this.list.forEach((page, index) => {
      if (!page.dirty || (among !== undefined && !among.includes(index))) return;
      page.dirty = false;
      dirty.push({ texture: this.texture(index), layer: this.layer(index) });
    });
    return dirty;
  }

  /**
   * Where a region's content is now (its allocation's corner inside the gutter); -1s once it is freed.
   *
   * @example
   * pages.where(region) // { page: 0, x: 1, y: 1 }
   */
  where(region: PlacedRegion): AtlasRegionPlace {
    const page = this.list[region.page];
    if (region.released || page === undefined) return { page: region.page, x: -1, y: -1 };
    const rect = page.allocator.rect(region.allocation);
    return { page: region.page, x: rect.x + this.options.gutter, y: rect.y + this.options.gutter };
  }

  /** Frees a region's allocation, if its page still holds it for that region. @example pages.free(region) */
  free(region: PlacedRegion): void {
    const page = this.list[region.page];
    if (page !== undefined && page.owners.get(region.allocation) === region) {
      page.allocator.deallocate(region.allocation);
      page.owners.delete(region.allocation);
    }
  }

  /** Layers (or textures) held for `pages` pages. */
  private layerCount(pages: number): number {
    return this.options.pages === 'layers' ? Math.max(pages, this.options.minLayers) : pages;
  }

  /** Adds an empty page (a texture, or one more layer). @example pages.add(); pages.count // 1 */
  add(): void {
    const { width, height, label } = this.options;
    const index = this.list.length;
    if (this.options.pages === 'layers') this.resizeLayers(index, index + 1);
    else this.textures.push(this.createTexture(`${label} page ${index}`, 1));
    this.list.push({
      allocator: new AtlasAllocator(width, height, { label }),
      owners: new Map(),
      dirty: false,
    });
  }

  /**
   * Removes the last page, which must be empty; its texture (or layer) is freed. The first page stays.
   *
   * @example
   * if (evacuateLastPage(pages, ops, budget).emptied) pages.removeLast();
   */
  removeLast(): void {
    if (this.list.length <= 1 || this.list[this.list.length - 1]!.allocator.size > 0) return;
    if (this.options.pages === 'layers') this.resizeLayers(this.list.length, this.list.length - 1);
    else this.release(this.textures.pop()!);
    this.list.pop();
  }

  /** Destroys every page texture (after in-flight work, as every manager destroy). @example pages.destroy() */
  destroy(): void {
    for (const texture of this.textures) if (this.manager.has(texture)) this.release(texture);
    this.textures = [];
    this.list.length = 0;
  }

  /** Re-creates the array texture for `to` pages (from `from`), copying the layers both hold. */
  private resizeLayers(from: number, to: number): void {
    const layers = this.layerCount(to);
    const old = this.textures[0];
    if (old !== undefined && layers === this.layerCount(from)) return; // the spare layer absorbs it
    const texture = this.createTexture(`${this.options.label} pages`, layers);
    if (old !== undefined) {
      this.ops.copyLayers(old, texture, Math.min(from, to));
      this.release(old);
    }
    this.textures = [texture];
  }

  private createTexture(label: string, layers: number): Handle<'texture'> {
    const { width, height, format, mipLevelCount } = this.options;
    const usage =
      TextureUsage.TEXTURE_BINDING |
      TextureUsage.COPY_DST |
      TextureUsage.COPY_SRC |
      (mipLevelCount > 1 ? TextureUsage.RENDER_ATTACHMENT : 0);
    const texture = this.manager.createTexture({
      label,
      size: [width, height, layers],
      format,
      usage,
      mipLevelCount,
      content: { regenerate: (handle) => this.refill(this.pagesOf(handle as Handle<'texture'>)) },
    });
    // Only the atlas may destroy its pages: anyone else gets ResourceInUseError naming the atlas.
    this.holds.set(texture, this.manager.hold(texture, `atlas '${this.options.label}'`));
    return texture;
  }

  /** Lets go of a page texture and destroys it (after in-flight work, as every manager destroy). */
  private release(texture: Handle<'texture'>): void {
    this.holds.get(texture)?.();
    this.holds.delete(texture);
    this.manager.destroy(texture);
  }
}
