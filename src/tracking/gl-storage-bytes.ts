/**
 * Bytes of one WebGL2 image (a texture level, a renderbuffer), by the WebGL2 backend's rule: ceil(w / block
 * width) * ceil(h / block height) * depth * bytes per block, times samples. Sized internal formats come from
 * the backend's table (gl-formats.ts, keyed by the WebGPU format each one stores); the formats WebGPU has no
 * name for (RGB8, RGB565, RGBA4, RGB5_A1, SRGB8, RGB16F, RGB32F) and WebGL1-style unsized formats
 * (`texImage2D(..., gl.RGBA, ..., gl.RGBA, gl.UNSIGNED_BYTE, ...)`) are added here, counted at the bytes
 * their pixels take (components times the type's size; packed types are one 16-bit value).
 */
import { GL_FORMAT_TABLE } from '../backends/webgl2/gl-formats.ts';

/** A GL internal format as the books see it. */
export interface GLStorageFormat {
  /** The WebGPU format it stores, when there is one (the record's descriptor names it). */
  readonly format: GPUTextureFormat | undefined;
  readonly bytesPerBlock: number;
  readonly blockWidth: number;
  readonly blockHeight: number;
}

const SIZED = new Map<number, GLStorageFormat>(
  GL_FORMAT_TABLE.map((row) => [
    row.internalFormat,
    {
      format: row.format,
      bytesPerBlock: row.bytesPerBlock,
      blockWidth: row.blockWidth,
      blockHeight: row.blockHeight,
    },
  ]),
);
const texel = (bytes: number): GLStorageFormat => ({
  format: undefined,
  bytesPerBlock: bytes,
  blockWidth: 1,
  blockHeight: 1,
});
// Sized formats that WebGPU has no name for.
for (const [internalFormat, bytes] of [
  [0x8051, 3], // RGB8
  [0x8d62, 2], // RGB565
  [0x8056, 2], // RGBA4
  [0x8057, 2], // RGB5_A1
  [0x8c41, 3], // SRGB8
  [0x881b, 6], // RGB16F
  [0x8815, 12], // RGB32F
  [0x8d7d, 3], // RGB8UI
  [0x8d8f, 3], // RGB8I
  [0x8f96, 3], // RGB8_SNORM
] as const) {
  SIZED.set(internalFormat, texel(bytes));
}

// Unsized formats: components per pixel.
const UNSIZED_COMPONENTS = new Map<number, number>([
  [0x1908, 4], // RGBA
  [0x1907, 3], // RGB
  [0x190a, 2], // LUMINANCE_ALPHA
  [0x1909, 1], // LUMINANCE
  [0x1906, 1], // ALPHA
  [0x1902, 1], // DEPTH_COMPONENT (WebGL1 depth textures)
  [0x84f9, 1], // DEPTH_STENCIL
]);
const TYPE_BYTES = new Map<number, number>([
  [0x1401, 1], // UNSIGNED_BYTE
  [0x1400, 1], // BYTE
  [0x1403, 2], // UNSIGNED_SHORT
  [0x1402, 2], // SHORT
  [0x1405, 4], // UNSIGNED_INT
  [0x1404, 4], // INT
  [0x1406, 4], // FLOAT
  [0x140b, 2], // HALF_FLOAT
  [0x8d61, 2], // HALF_FLOAT_OES
]);
const PACKED_TYPES = new Map<number, number>([
  [0x8033, 2], // UNSIGNED_SHORT_4_4_4_4
  [0x8034, 2], // UNSIGNED_SHORT_5_5_5_1
  [0x8363, 2], // UNSIGNED_SHORT_5_6_5
  [0x84fa, 4], // UNSIGNED_INT_24_8
]);

/**
 * The storage of `internalFormat` (with `type` for an unsized one); `undefined` when it is unknown.
 *
 * @example
 * glStorageFormat(0x8058) // RGBA8: { format: 'rgba8unorm', bytesPerBlock: 4, ... }
 * glStorageFormat(0x1908, 0x1401) // RGBA / UNSIGNED_BYTE: 4 bytes a texel
 */
export function glStorageFormat(internalFormat: number, type?: number): GLStorageFormat | undefined {
  const sized = SIZED.get(internalFormat);
  if (sized !== undefined) return sized;
  const components = UNSIZED_COMPONENTS.get(internalFormat);
  if (components === undefined || type === undefined) return undefined;
  const packed = PACKED_TYPES.get(type);
  if (packed !== undefined) return texel(packed);
  const bytes = TYPE_BYTES.get(type);
  if (bytes === undefined) return undefined;
  const format: GPUTextureFormat | undefined =
    internalFormat === 0x1908 && bytes === 1 ? 'rgba8unorm' : undefined;
  return { format, bytesPerBlock: components * bytes, blockWidth: 1, blockHeight: 1 };
}

/**
 * Bytes of one image of `width` x `height` x `depth` in `storage`, with `samples` samples (1 for textures).
 *
 * @example
 * glImageBytes(glStorageFormat(0x8058)!, 64, 64, 1, 4) // 65536: 4x MSAA counts 4x
 */
export function glImageBytes(
  storage: GLStorageFormat,
  width: number,
  height: number,
  depth: number,
  samples: number,
): number {
  const blocksWide = Math.ceil(width / storage.blockWidth);
  const blocksHigh = Math.ceil(height / storage.blockHeight);
  return blocksWide * blocksHigh * depth * storage.bytesPerBlock * Math.max(1, samples);
}
