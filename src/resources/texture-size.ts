/**
 * Texture extent and memory math: pure functions, no GPU. Every result is an exact integer.
 */
import { ValidationError } from '../errors.ts';
import { getFormatInfo } from './formats.ts';

/** A texture dimension as WebGPU names it. */
export type TextureDimension = '1d' | '2d' | '3d';

/** The size of one mip level. */
export interface MipExtent {
  readonly width: number;
  readonly height: number;
  readonly depthOrArrayLayers: number;
}

// floor(x / 2^level), never below 1. Division by a power of two is exact in doubles, and unlike `>>` it
// stays correct for sizes >= 2^31 and levels >= 32.
function halve(x: number, level: number): number {
  return Math.max(1, Math.floor(x / 2 ** level));
}

/**
 * The extent of mip `level` (0 = base). 1D textures have height and layers 1; 2D array layers are not
 * mipmapped; a 3D texture's depth halves along with width and height.
 *
 * @example
 * mipLevelExtent('2d', 512, 64, 6, 7) // { width: 4, height: 1, depthOrArrayLayers: 6 }
 * mipLevelExtent('3d', 32, 32, 8, 4) // { width: 2, height: 2, depthOrArrayLayers: 1 }
 */
export function mipLevelExtent(
  dimension: TextureDimension,
  width: number,
  height: number,
  depthOrArrayLayers: number,
  level: number,
): MipExtent {
  switch (dimension) {
    case '1d':
      return { width: halve(width, level), height: 1, depthOrArrayLayers: 1 };
    case '2d':
      return { width: halve(width, level), height: halve(height, level), depthOrArrayLayers };
    case '3d':
      return {
        width: halve(width, level),
        height: halve(height, level),
        depthOrArrayLayers: halve(depthOrArrayLayers, level),
      };
  }
}

// floor(log2(m)) + 1 for an integer m >= 1, by counting halvings (exact for any safe integer).
function bitLength(m: number): number {
  let bits = 0;
  for (let v = Math.floor(m); v >= 1; v = Math.floor(v / 2)) bits++;
  return bits;
}

/**
 * The WebGPU spec's maximum mipLevel count: 1 for 1D, floor(log2(max(w, h))) + 1 for 2D (array layers do
 * not count), and the depth counts too for 3D.
 *
 * @example
 * maxMipLevelCount('2d', 512, 64, 1) // 10
 * maxMipLevelCount('3d', 4, 4, 64) // 7
 */
export function maxMipLevelCount(
  dimension: TextureDimension,
  width: number,
  height: number,
  depthOrArrayLayers: number,
): number {
  switch (dimension) {
    case '1d':
      return 1;
    case '2d':
      return bitLength(Math.max(width, height));
    case '3d':
      return bitLength(Math.max(width, height, depthOrArrayLayers));
  }
}

/** The inputs of {@link textureByteSize}; a `NormalizedTextureDescriptor` fits. */
export interface TextureSizeInput {
  readonly format: string;
  readonly width: number;
  readonly height: number;
  readonly depthOrArrayLayers: number;
  readonly dimension: TextureDimension;
  readonly mipLevelCount: number;
  readonly sampleCount: number;
}

/** The block geometry a byte count needs: a format table's entry (WebGPU's or a backend's own). */
export interface BlockSize {
  readonly blockWidth: number;
  readonly blockHeight: number;
  readonly bytesPerBlock: number;
}

/**
 * Bytes a texture occupies under one block table: the sum over mip levels of
 * ceil(w / blockWidth) * ceil(h / blockHeight) * (array layers, or that level's 3D depth) * bytesPerBlock,
 * times sampleCount. `blocks` looks a format up in the backend's table; `unknown` is the rule an absent
 * format breaks (the `ValidationError` names it). Every backend's byte rule is this loop over its own table.
 *
 * @example
 * blockTableByteSize(input, (f) => getGLFormat(f), 'has no WebGL2 equivalent')
 */
export function blockTableByteSize(
  input: TextureSizeInput,
  blocks: (format: string) => BlockSize | undefined,
  unknown: string,
): number {
  const info = blocks(input.format);
  if (!info) throw new ValidationError('', 'format', input.format, unknown);
  const { dimension, width, height, depthOrArrayLayers } = input;
  let total = 0;
  // The extent of each level inline (mipLevelExtent's rules): this runs on every texture create.
  for (let level = 0; level < input.mipLevelCount; level++) {
    const mipWidth = halve(width, level);
    const mipHeight = dimension === '1d' ? 1 : halve(height, level);
    const mipDepth =
      dimension === '3d' ? halve(depthOrArrayLayers, level) : dimension === '1d' ? 1 : depthOrArrayLayers;
    const blocksWide = Math.ceil(mipWidth / info.blockWidth);
    const blocksHigh = Math.ceil(mipHeight / info.blockHeight);
    total += blocksWide * blocksHigh * mipDepth * info.bytesPerBlock;
  }
  total *= input.sampleCount;
  // Beyond 2^53 bytes doubles stop being exact; no real device gets near, so treat it as a caller bug.
  if (!Number.isSafeInteger(total)) {
    throw new RangeError(
      `texture byte size ${total} is not an exact integer (input ${JSON.stringify(input)})`,
    );
  }
  return total;
}

/**
 * Bytes of GPU memory a texture occupies on WebGPU: {@link blockTableByteSize} over the WebGPU format table.
 * A compressed level smaller than a block still costs a whole block; a 4x MSAA texture costs 4x, not 16x.
 * Depth/stencil formats use the model documented on `TextureFormatInfo.bytesPerBlock`. Assumes a validated
 * descriptor; throws `ValidationError` only for an unknown format.
 *
 * @example
 * textureByteSize({ format: 'rgba8unorm', width: 256, height: 256, depthOrArrayLayers: 1,
 *   dimension: '2d', mipLevelCount: 9, sampleCount: 1 }) // 349524
 */
export function textureByteSize(input: TextureSizeInput): number {
  return blockTableByteSize(input, getFormatInfo, 'is not a known GPUTextureFormat');
}
