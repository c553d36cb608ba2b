/**
 * Strided row copies between a caller's texel data and a staging buffer: pure, no GPU. Used to pad rows to
 * the GPU's pitch on upload and to strip that padding on readback.
 */

/** One side of a row copy: bytes, where the first row starts, the pitch between rows and between images. */
export interface RowLayout {
  readonly bytes: Uint8Array;
  readonly offset: number;
  /** Bytes from a row to the next. */
  readonly bytesPerRow: number;
  /** Rows from an image to the next. */
  readonly rowsPerImage: number;
}

/**
 * Copies `rows` rows of `rowBytes` bytes in each of `images` images from `src` to `dst`. When both sides are
 * tight and contiguous the whole block moves with one `set`, else one `set` per row.
 *
 * @example
 * // pad three 12-byte rows to a 256-byte pitch
 * copyRows({ bytes: tight, offset: 0, bytesPerRow: 12, rowsPerImage: 3 },
 *          { bytes: staging, offset: 0, bytesPerRow: 256, rowsPerImage: 3 }, 12, 3, 1);
 */
export function copyRows(
  src: RowLayout,
  dst: RowLayout,
  rowBytes: number,
  rows: number,
  images: number,
): void {
  if (rowBytes === 0 || rows === 0 || images === 0) return;
  const srcImage = src.bytesPerRow * src.rowsPerImage;
  const dstImage = dst.bytesPerRow * dst.rowsPerImage;
  const rowsContiguous = src.bytesPerRow === rowBytes && dst.bytesPerRow === rowBytes;
  if (rowsContiguous && srcImage === rowBytes * rows && dstImage === rowBytes * rows) {
    const length = rowBytes * rows * images;
    dst.bytes.set(src.bytes.subarray(src.offset, src.offset + length), dst.offset);
    return;
  }
  for (let image = 0; image < images; image++) {
    let from = src.offset + image * srcImage;
    let to = dst.offset + image * dstImage;
    if (rowsContiguous) {
      dst.bytes.set(src.bytes.subarray(from, from + rowBytes * rows), to);
      continue;
    }
    for (let row = 0; row < rows; row++) {
      dst.bytes.set(src.bytes.subarray(from, from + rowBytes), to);
      from += src.bytesPerRow;
      to += dst.bytesPerRow;
    }
  }
}

/**
 * A `Uint8Array` over the bytes of any binary input, without copying.
 *
 * @example
 * asBytes(new Float32Array([1, 2])).byteLength // 8
 */
export function asBytes(data: ArrayBufferView | ArrayBufferLike): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}
