import { AtlasError, checkInteger, checkLabel, readOption } from './atlas-error.ts';
import type { NormalizedAtlasOptions } from './atlas-options.ts';
import { alignUp, checkRegionData } from './region-pixels.ts';

/** A checked `atlas.add` request, with the size of its allocation (content, gutter and alignment). */
export interface RegionRequest {
  readonly label: string;
  readonly width: number;
  readonly height: number;
  /** Tight rows in the atlas format, or `undefined` for a cleared region. */
  readonly data: Uint8Array | undefined;
  readonly allocWidth: number;
  readonly allocHeight: number;
}

/**
 * Checks an `atlas.add` request (any JS value): a label (default `regionLabel`), integer `width` and
 * `height` within a page, pixels of that size or none, and an allocation that fits a page once the gutter
 * and alignment are added. Throws {@link AtlasError} naming the atlas, the field and the rule.
 *
 * @example
 * const { width, height, data, allocWidth } = checkRegionRequest(options, 'glyphs region', { width: 9, height: 14 });
 */
export function checkRegionRequest(
  options: NormalizedAtlasOptions,
  regionLabel: string,
  request: unknown,
): RegionRequest {
  const atlas = options.label;
  const label = checkLabel(readOption(request, 'label', atlas), regionLabel);
  const side = (field: 'width' | 'height', max: number) =>
    checkInteger(readOption(request, field, atlas), field, atlas, 1, max);
  const width = side('width', options.width);
  const height = side('height', options.height);
  const data = checkRegionData(
    atlas,
    options.bytesPerTexel,
    readOption(request, 'data', atlas),
    width,
    height,
  );
  const { gutter, alignment } = options;
  const allocWidth = alignUp(width + 2 * gutter, alignment);
  const allocHeight = alignUp(height + 2 * gutter, alignment);
  if (allocWidth > options.width || allocHeight > options.height) {
    throw new AtlasError(
      atlas,
      'add',
      { width, height },
      `cannot fit a ${options.width} x ${options.height} page with a ${gutter}-texel gutter (${allocWidth} x ${allocHeight})`,
    );
  }
  return { label, width, height, data, allocWidth, allocHeight };
}
