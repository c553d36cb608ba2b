import { AtlasError } from './atlas-error.ts';

/**
 * Builds the texels of a whole allocation (content plus gutter) so one upload writes both: the content at
 * (gutter, gutter), and the gutter either cleared (so texels of a previous region there cannot bleed in) or,
 * with `extrude`, filled with the nearest edge texel (repeat-safe sprites, no dark fringes when filtering).
 *
 * @example
 * const texels = padRegion(glyph, 10, 12, 4, 2, 16, 16, true); // 16 x 16 rgba8 texels, content at (2, 2)
 */
export function padRegion(
  content: Uint8Array | undefined,
  width: number,
  height: number,
  bytesPerTexel: number,
  gutter: number,
  outWidth: number,
  outHeight: number,
  extrude: boolean,
): Uint8Array {
  const rowBytes = outWidth * bytesPerTexel;
  const out = new Uint8Array(rowBytes * outHeight);
  if (content === undefined) return out;
  const contentRow = width * bytesPerTexel;
  for (let y = 0; y < height; y++) {
    out.set(
      content.subarray(y * contentRow, (y + 1) * contentRow),
      (y + gutter) * rowBytes + gutter * bytesPerTexel,
    );
  }
  if (!extrude) return out;
  // Left and right gutters (and any alignment slack on the right) from the first and last content columns.
  for (let y = gutter; y < gutter + height; y++) {
    const row = y * rowBytes;
    const first = row + gutter * bytesPerTexel;
    const last = row + (gutter + width - 1) * bytesPerTexel;
    for (let x = 0; x < gutter; x++) out.copyWithin(row + x * bytesPerTexel, first, first + bytesPerTexel);
    for (let x = gutter + width; x < outWidth; x++) {
      out.copyWithin(row + x * bytesPerTexel, last, last + bytesPerTexel);
    }
  }
  // Top and bottom gutters (corners included) from the first and last extruded rows.
  const firstRow = gutter * rowBytes;
  const lastRow = (gutter + height - 1) * rowBytes;
  for (let y = 0; y < gutter; y++) out.copyWithin(y * rowBytes, firstRow, firstRow + rowBytes);
  for (let y = gutter + height; y < outHeight; y++) out.copyWithin(y * rowBytes, lastRow, lastRow + rowBytes);
  return out;
}

/**
 * Rounds up to a multiple of `unit`.
 *
 * @example
 * alignUp(13, 4) // 16
 */
export function alignUp(value: number, unit: number): number {
  return Math.ceil(value / unit) * unit;
}

/**
 * Checks a region's pixels: undefined (cleared), or an ArrayBufferView of at least width x height texels of
 * tight rows; returns its bytes as a Uint8Array view (no copy), or throws {@link AtlasError}.
 *
 * @example
 * const bytes = checkRegionData('glyphs', 4, coverage, 12, 20);
 */
export function checkRegionData(
  label: string,
  bytesPerTexel: number,
  data: unknown,
  width: number,
  height: number,
): Uint8Array | undefined {
  if (data === undefined) return undefined;
  if (!ArrayBuffer.isView(data)) {
    throw new AtlasError(label, 'data', data, 'must be an ArrayBufferView of tight rows, or undefined');
  }
  const bytes = width * height * bytesPerTexel;
  if (data.byteLength < bytes) {
    throw new AtlasError(
      label,
      'data.byteLength',
      data.byteLength,
      `must be at least ${width} x ${height} x ${bytesPerTexel} = ${bytes}`,
    );
  }
  return new Uint8Array(data.buffer, data.byteOffset, bytes);
}
