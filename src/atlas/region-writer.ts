import type { AtlasManager } from './atlas-manager.ts';
import type { NormalizedAtlasOptions } from './atlas-options.ts';
import type { AtlasPages } from './atlas-pages.ts';
import type { PlacedRegion } from './placed-region.ts';
import { padRegion } from './region-pixels.ts';

/**
 * The write path of an atlas: a region's pixels, padded with its gutter, staged into its page where the
 * region is now (the page is marked for mip regeneration), and the CPU copy kept to refill the page after a
 * device loss (`keepPixels`), counted in `keptBytes`.
 *
 * @example
 * const writer = new RegionWriter(manager, options, pages); writer.write(region, pixels); writer.keptBytes;
 */
export class RegionWriter {
  /** Bytes of region pixels kept on the CPU. */
  keptBytes = 0;

  constructor(
    private readonly manager: AtlasManager,
    private readonly options: NormalizedAtlasOptions,
    private readonly pages: AtlasPages,
  ) {}

  /**
   * Uploads a region's pixels (cleared with `undefined`) and keeps them. A refused upload keeps nothing.
   *
   * @example
   * writer.write(region, coverage);
   */
  write(region: PlacedRegion, data: Uint8Array | undefined): void {
    this.upload(region, data);
    this.keep(region, data);
  }

  /**
   * Uploads again what the region keeps (after its page was rebuilt empty). Returns false, uploading
   * nothing, when its pixels were not kept.
   *
   * @example
   * if (!writer.rewrite(region)) lost.push(region.handle);
   */
  rewrite(region: PlacedRegion): boolean {
    if (!region.kept) return false;
    this.upload(region, region.pixels);
    return true;
  }

  /**
   * Drops what a freed region kept.
   *
   * @example
   * writer.forget(region);
   */
  forget(region: PlacedRegion): void {
    this.keptBytes -= region.pixels?.byteLength ?? 0;
    region.pixels = undefined;
  }

  /** Keeps (a copy of) what a region now holds, or marks it lost with `keepPixels: false`. */
  private keep(region: PlacedRegion, data: Uint8Array | undefined): void {
    this.forget(region);
    // A cleared region needs no bytes to come back; written pixels are copied (the caller may reuse them).
    region.kept = data === undefined || this.options.keepPixels;
    region.pixels = data !== undefined && this.options.keepPixels ? data.slice() : undefined;
    this.keptBytes += region.pixels?.byteLength ?? 0;
  }

  /** Stages the whole allocation (content and gutter) in one upload, so the gutter never holds old texels. */
  private upload(region: PlacedRegion, data: Uint8Array | undefined): void {
    const page = this.pages.list[region.page]!;
    const rect = page.allocator.rect(region.allocation);
    const { bytesPerTexel, gutter, extrude } = this.options;
    const texels = padRegion(
      data,
      region.width,
      region.height,
      bytesPerTexel,
      gutter,
      rect.width,
      rect.height,
      extrude,
    );
    this.manager.uploadTexture(this.pages.texture(region.page), texels, {}, [rect.width, rect.height], {
      mipLevel: 0,
      origin: [rect.x, rect.y, this.pages.layer(region.page)],
    });
    page.dirty = true;
  }
}
