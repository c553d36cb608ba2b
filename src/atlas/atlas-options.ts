import { getFormatInfo } from '../resources/formats.ts';
import { MAX_PAGE_SIZE } from './atlas-allocator.ts';
import { AtlasError, checkInteger, checkLabel, readOption } from './atlas-error.ts';
import type { AtlasManager } from './atlas-manager.ts';

/** Options of `createAtlas`. */
export interface AtlasOptions {
  /** Names the atlas in errors and its page textures in the ledger (`'<label> page 0'`). Default 'atlas'. */
  label?: string;
  /** Texel format of the pages: an uncompressed colour format. Default 'rgba8unorm'. */
  format?: GPUTextureFormat;
  /** Page side in texels, or `[width, height]`. Default 1024. */
  pageSize?: number | readonly [number, number];
  /** Most pages; an add that fits none of them (after compaction) throws. Default 4. */
  maxPages?: number;
  /** Texels of gutter around every region. Default 1. Raised to 2^(mipLevelCount - 1) with mipmaps. */
  padding?: number;
  /** Fill the gutter with the region's edge texels instead of clearing it. Default false. */
  extrude?: boolean;
  /** Mip levels of the pages (generated on the GPU by `flush`); regions are aligned so levels never mix neighbours. Default 1. */
  mipLevelCount?: number;
  /** Pages as separate textures, or as array layers of one texture (re-created larger when a page is added). Default 'textures'. */
  pages?: 'textures' | 'layers';
  /** Compact a page by itself when an add would otherwise fail or need a new page. Default true. */
  autoCompact?: boolean;
  /**
   * Keep a CPU copy of every region's pixels (counted in `stats().keptBytes`) so the pages come back with their
   * contents after a device loss. Default true. With false, a restore reports the regions whose pixels are
   * gone in a `contentLost` event (re-rasterise them and `write` them again).
   */
  keepPixels?: boolean;
}

/** Options with every default applied. */
export interface NormalizedAtlasOptions {
  readonly label: string;
  readonly format: GPUTextureFormat;
  readonly bytesPerTexel: number;
  readonly width: number;
  readonly height: number;
  readonly maxPages: number;
  readonly gutter: number;
  /** Allocation sizes are multiples of this (2^(mipLevelCount - 1)). */
  readonly alignment: number;
  readonly extrude: boolean;
  readonly mipLevelCount: number;
  readonly pages: 'textures' | 'layers';
  /**
   * Fewest layers of a 'layers' texture: 2 on WebGL2, where a texture of one layer is a TEXTURE_2D that a
   * sampler2DArray cannot read; 1 elsewhere.
   */
  readonly minLayers: number;
  readonly autoCompact: boolean;
  readonly keepPixels: boolean;
}

/** Validates `createAtlas` options; throws {@link AtlasError} naming the field, the value and the rule.
 *
 * @example
 * const options = normalizeAtlasOptions(manager, { label: 'glyphs', pageSize: [1024, 512] });
 */
export function normalizeAtlasOptions(manager: AtlasManager, options: unknown): NormalizedAtlasOptions {
  const label = checkLabel(readOption(options, 'label', 'atlas'), 'atlas');
  const format = readOption(options, 'format', label) ?? 'rgba8unorm';
  const info = typeof format === 'string' ? getFormatInfo(format) : undefined;
  if (info === undefined || info.blockWidth !== 1 || info.sampleType === 'depth') {
    throw new AtlasError(label, 'format', format, 'must be an uncompressed colour format such as rgba8unorm');
  }
  const size = readOption(options, 'pageSize', label) ?? 1024;
  let width: number;
  let height: number;
  if (Array.isArray(size)) {
    if (size.length !== 2)
      throw new AtlasError(label, 'pageSize', size, 'must be a number or [width, height]');
    width = checkInteger(size[0], 'pageSize[0]', label, 1, MAX_PAGE_SIZE);
    height = checkInteger(size[1], 'pageSize[1]', label, 1, MAX_PAGE_SIZE);
  } else {
    width = checkInteger(size, 'pageSize', label, 1, MAX_PAGE_SIZE);
    height = width;
  }
  const limit = manager.backend.capabilities.limits.maxTextureDimension2D;
  if (width > limit || height > limit) {
    throw new AtlasError(
      label,
      'pageSize',
      size,
      `must not exceed the device's maxTextureDimension2D (${limit})`,
    );
  }
  const maxPages = checkInteger(readOption(options, 'maxPages', label) ?? 4, 'maxPages', label, 1, 256);
  const padding = checkInteger(readOption(options, 'padding', label) ?? 1, 'padding', label, 0, 256);
  const mipLevelCount = checkInteger(
    readOption(options, 'mipLevelCount', label) ?? 1,
    'mipLevelCount',
    label,
    1,
    16,
  );
  const maxLevels = Math.floor(Math.log2(Math.max(width, height))) + 1;
  if (mipLevelCount > maxLevels) {
    throw new AtlasError(
      label,
      'mipLevelCount',
      mipLevelCount,
      `must be at most ${maxLevels} for ${width} x ${height} pages`,
    );
  }
  const alignment = 2 ** (mipLevelCount - 1);
  if (width % alignment !== 0 || height % alignment !== 0) {
    throw new AtlasError(
      label,
      'pageSize',
      size,
      `must be a multiple of 2^(mipLevelCount - 1) = ${alignment}`,
    );
  }
  const extrude = readOption(options, 'extrude', label) ?? false;
  if (typeof extrude !== 'boolean') throw new AtlasError(label, 'extrude', extrude, 'must be a boolean');
  const pages = readOption(options, 'pages', label) ?? 'textures';
  if (pages !== 'textures' && pages !== 'layers') {
    throw new AtlasError(label, 'pages', pages, "must be 'textures' or 'layers'");
  }
  const autoCompact = readOption(options, 'autoCompact', label) ?? true;
  if (typeof autoCompact !== 'boolean')
    throw new AtlasError(label, 'autoCompact', autoCompact, 'must be a boolean');
  const keepPixels = readOption(options, 'keepPixels', label) ?? true;
  if (typeof keepPixels !== 'boolean')
    throw new AtlasError(label, 'keepPixels', keepPixels, 'must be a boolean');
  return {
    label,
    format: info.format,
    bytesPerTexel: info.bytesPerBlock,
    width,
    height,
    maxPages,
    gutter: mipLevelCount > 1 ? Math.max(padding, alignment) : padding,
    alignment,
    extrude,
    mipLevelCount,
    pages,
    minLayers: manager.backendName === 'webgl2' ? 2 : 1,
    autoCompact,
    keepPixels,
  };
}
