/**
 * Strided row copies between a caller's texel data and a staging buffer: pure, no GPU. Used to pad rows to
 * the GPU's pitch on upload and to strip that padding on readback.
 */
import { ValidationError } from '../../errors.ts';

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
 * A `Uint8Array` over the bytes of any binary input (a typed array, a `DataView`, an `ArrayBuffer` or a
 * `SharedArrayBuffer`), without copying. Anything else (a number, a plain array, a string, null) throws
 * `ValidationError` naming `label` and the `data` argument: it would otherwise upload zeros or nothing.
 *
 * @example
 * asBytes(new Float32Array([1, 2])).byteLength // 8
 * asBytes(16, 'uniforms') // throws: 'uniforms': data = 16 is invalid: must be an ArrayBuffer or ...
 */
export function asBytes(data: unknown, label = ''): Uint8Array {
  let bytes: Uint8Array | undefined;
  try {
    if (data instanceof Uint8Array) bytes = data;
    else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    else if (data instanceof ArrayBuffer || isSharedArrayBuffer(data)) bytes = new Uint8Array(data);
  } catch {
    // A Proxy whose getPrototypeOf trap throws, or a view of a detached buffer: not binary data.
    bytes = undefined;
  }
  if (bytes !== undefined && bytes.byteLength === 0 && isDetached(bytes.buffer)) {
    throw new ValidationError(
      label,
      'data',
      data,
      'is a view of a detached ArrayBuffer (transferred away, e.g. by postMessage): it holds no bytes',
    );
  }
  if (bytes !== undefined) return bytes;
  throw new ValidationError(
    label,
    'data',
    data,
    'must be an ArrayBuffer, a SharedArrayBuffer, a typed array or a DataView',
  );
}

/** True for a detached ArrayBuffer (a view over one cannot be made); only asked of empty ones. */
function isDetached(buffer: ArrayBufferLike): boolean {
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

function isSharedArrayBuffer(data: unknown): data is SharedArrayBuffer {
  return typeof SharedArrayBuffer !== 'undefined' && data instanceof SharedArrayBuffer;
}

/**
 * Reverses the order of rows in each image, in place: `images` images of `rows` rows of `rowBytes` bytes,
 * back to back. Turns WebGL2's bottom-up rows into WebGPU's top-down ones, and back.
 *
 * @example
 * flipRows(texels, 4 * width, height, 1);
 */
export function flipRows(bytes: Uint8Array, rowBytes: number, rows: number, images: number): void {
  const swap = new Uint8Array(rowBytes);
  for (let image = 0; image < images; image++) {
    const base = image * rows * rowBytes;
    for (let top = 0, bottom = rows - 1; top < bottom; top++, bottom--) {
      const a = base + top * rowBytes;
      const b = base + bottom * rowBytes;
      swap.set(bytes.subarray(a, a + rowBytes));
      bytes.copyWithin(a, b, b + rowBytes);
      bytes.set(swap, b);
    }
  }
}
