/**
 * Summarises what the post-process wrote to the canvas (read back by webgpu-readback.ts or
 * webgl2-readback.ts), so the browser tests can tell a real picture from a blank one without shipping
 * megabytes of pixels out of the page.
 */

/** A summary of a frame's pixels. */
export interface PixelSummary {
  readonly width: number;
  readonly height: number;
  /** Fraction of pixels with some channel above 24/255 (not black). */
  readonly litFraction: number;
  /** Distinct colours after keeping the top 4 bits of each channel: 1 for a flat fill. */
  readonly distinctColors: number;
  /** FNV-1a hash of every pixel, as hex: differs when the picture differs. */
  readonly checksum: string;
  /** The centre pixel as [r, g, b, a]. */
  readonly center: readonly number[];
}

/**
 * Summarises tightly or loosely packed 8-bit pixels.
 *
 * @example
 * summarisePixels(bytes, 64, 64, 256, true).distinctColors
 */
export function summarisePixels(
  bytes: Uint8Array,
  width: number,
  height: number,
  bytesPerRow: number,
  bgra: boolean,
): PixelSummary {
  const colors = new Set<number>();
  let lit = 0;
  let hash = 0x811c9dc5;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * bytesPerRow + x * 4;
      const r = bytes[bgra ? i + 2 : i]!;
      const g = bytes[i + 1]!;
      const b = bytes[bgra ? i : i + 2]!;
      if (r > 24 || g > 24 || b > 24) lit++;
      colors.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
      for (const v of [r, g, b]) hash = Math.imul(hash ^ v, 0x01000193);
    }
  }
  const c = Math.floor(height / 2) * bytesPerRow + Math.floor(width / 2) * 4;
  const center = bgra
    ? [bytes[c + 2]!, bytes[c + 1]!, bytes[c]!, bytes[c + 3]!]
    : [...bytes.subarray(c, c + 4)];
  return {
    width,
    height,
    litFraction: lit / (width * height),
    distinctColors: colors.size,
    checksum: (hash >>> 0).toString(16).padStart(8, '0'),
    center,
  };
}
