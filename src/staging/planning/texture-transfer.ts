/**
 * Texture uploads and reads, checked and planned against the texture's descriptor: pure, no GPU. The plan
 * (format, mip level, origin, size and the block footprint) is what a backend's staging executes, so every
 * rule WebGPU would enforce at copy time is checked here first and fails with a `ValidationError`.
 */
import { ValidationError } from '../../errors.ts';
import { getFormatInfo, type TextureFormatInfo } from '../../resources/formats.ts';
import type { NormalizedTextureDescriptor } from '../../resources/texture.ts';
import { mipLevelExtent } from '../../resources/texture-size.ts';
import { TextureUsage } from '../../resources/usage.ts';
import { type CopyExtent, type CopyFootprint, copyFootprint, requiredBytesInCopy } from './copy-layout.ts';

/** `[width, height?, depthOrArrayLayers?]` or a dictionary; missing height and layers are 1. */
export type TextureExtentInput =
  | readonly number[]
  | { width: number; height?: number; depthOrArrayLayers?: number };

/** `[x?, y?, z?]` or a dictionary, in texels (z: array layer or 3D slice); missing values are 0. */
export type TextureOriginInput = readonly number[] | { x?: number; y?: number; z?: number };

/** Where texel data sits in the caller's bytes (WebGPU's `GPUTexelCopyBufferLayout`, without alignment rules). */
export interface TextureDataLayout {
  /** Byte offset of the first block. Default 0. */
  offset?: number;
  /** Bytes from a row of blocks to the next: any value >= the row's size, no 256 alignment. Default: tight. */
  bytesPerRow?: number;
  /** Rows of blocks from an image (layer, slice) to the next. Default: the copy's block rows. */
  rowsPerImage?: number;
}

/** The subresource and origin of a copy. Default: mip level 0 at [0, 0, 0]. */
export interface TextureLocation {
  mipLevel?: number;
  origin?: TextureOriginInput;
}

/** What to read back: a location plus a size (default: the rest of the mip level from the origin). */
export interface TextureReadRegion extends TextureLocation {
  size?: TextureExtentInput;
  /**
   * Return the rows bottom-up (last row first, in each image). WebGL2 rasterises bottom-up relative to
   * WebGPU, so the same draw reads back vertically flipped between the backends: read with
   * `flipY: true` on WebGL2 to get WebGPU's top-down rows. Uncompressed formats only. Default false.
   */
  flipY?: boolean;
}

/** A texel origin. */
export interface Origin3 {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

/** A validated texture copy: what a staging backend executes. */
export interface TextureCopy {
  readonly format: GPUTextureFormat;
  readonly mipLevel: number;
  readonly origin: Origin3;
  readonly size: CopyExtent;
  readonly footprint: CopyFootprint;
  /** Reads only: the caller wants the rows of each image in reverse order. */
  readonly flipY?: boolean;
}

/** A validated upload: the copy plus the layout of the caller's bytes (which start at the first block). */
export interface TextureUploadCopy extends TextureCopy {
  readonly bytesPerRow: number;
  readonly rowsPerImage: number;
}

/** {@link planTextureUpload}'s result: the copy and the range of the caller's bytes it reads. */
export interface TextureUploadPlan {
  readonly copy: TextureUploadCopy;
  readonly byteOffset: number;
  readonly byteLength: number;
}

type Fail = (field: string, value: unknown, rule: string) => never;

/**
 * Checks an upload of `size` texels from `dataByteLength` bytes laid out as `layout` into `destination`:
 * a colour or compressed format, COPY_DST usage, single-sampled, block-aligned origin and size, inside the
 * mip level, and enough bytes in the data.
 *
 * @example
 * // a 3x2 rgba8unorm texture from 24 tight bytes
 * planTextureUpload(desc, 24, {}, [3, 2]).copy.footprint.paddedBytesPerRow // 256
 */
export function planTextureUpload(
  desc: NormalizedTextureDescriptor,
  dataByteLength: number,
  layout: TextureDataLayout,
  size: TextureExtentInput,
  destination: TextureLocation = {},
): TextureUploadPlan {
  const fail = failFor(desc.label);
  if (typeof layout !== 'object' || layout === null) {
    fail('layout', layout, 'must be an object { offset?, bytesPerRow?, rowsPerImage? }');
  }
  if (destination !== undefined && (typeof destination !== 'object' || destination === null)) {
    fail('destination', destination, 'must be an object { mipLevel?, origin? } or undefined');
  }
  layout = members(layout, ['offset', 'bytesPerRow', 'rowsPerImage'], desc.label, 'layout');
  destination = members(destination, ['mipLevel', 'origin'], desc.label, 'destination');
  size = members(size, EXTENT_KEYS, desc.label, 'size');
  const info = checkCopyable(
    desc,
    TextureUsage.COPY_DST,
    'uploading into a texture needs COPY_DST usage',
    fail,
  );
  const extent = readExtent(size, 'size', fail);
  const region = checkRegion(desc, info, destination, extent, fail);
  const footprint = copyFootprint(info, extent);
  const offset = layout.offset ?? 0;
  if (!(Number.isSafeInteger(offset) && offset >= 0))
    fail('layout.offset', offset, 'must be an integer >= 0');
  const bytesPerRow = layout.bytesPerRow ?? footprint.tightBytesPerRow;
  if (!(Number.isSafeInteger(bytesPerRow) && bytesPerRow >= footprint.tightBytesPerRow)) {
    fail(
      'layout.bytesPerRow',
      bytesPerRow,
      `must be an integer >= one row of blocks (${footprint.tightBytesPerRow} bytes)`,
    );
  }
  const rowsPerImage = layout.rowsPerImage ?? footprint.blockRows;
  if (!(Number.isSafeInteger(rowsPerImage) && rowsPerImage >= footprint.blockRows)) {
    fail(
      'layout.rowsPerImage',
      rowsPerImage,
      `must be an integer >= the block rows of the copy (${footprint.blockRows})`,
    );
  }
  const byteLength = requiredBytesInCopy(footprint, bytesPerRow, rowsPerImage);
  if (offset + byteLength > dataByteLength) {
    fail(
      'data.byteLength',
      dataByteLength,
      `must be >= layout.offset + the bytes the copy reads (${offset} + ${byteLength})`,
    );
  }
  return { copy: { ...region, footprint, bytesPerRow, rowsPerImage }, byteOffset: offset, byteLength };
}

/**
 * Checks a read of `region` (default: the whole mip level 0): a colour or compressed format, COPY_SRC usage,
 * single-sampled, block-aligned, inside the mip level.
 *
 * @example
 * planTextureRead(desc, { mipLevel: 1 }).size // the extent of mip level 1
 */
export function planTextureRead(
  desc: NormalizedTextureDescriptor,
  region: TextureReadRegion = {},
): TextureCopy {
  const fail = failFor(desc.label);
  if (typeof region !== 'object' || region === null) {
    fail('region', region, 'must be an object { mipLevel?, origin?, size?, flipY? } or undefined');
  }
  region = members(region, ['mipLevel', 'origin', 'size', 'flipY'], desc.label, 'region');
  if (region.size !== undefined) region.size = members(region.size, EXTENT_KEYS, desc.label, 'region.size');
  const flipY = region.flipY ?? false;
  if (typeof flipY !== 'boolean') fail('region.flipY', flipY, 'must be a boolean');
  const info = checkCopyable(
    desc,
    TextureUsage.COPY_SRC,
    'reading a texture back needs COPY_SRC usage',
    fail,
  );
  const mipLevel = readMipLevel(desc, region.mipLevel, fail);
  const origin = readOrigin(region.origin, fail);
  const physical = physicalMipExtent(desc, info, mipLevel);
  const extent =
    region.size === undefined
      ? {
          width: Math.max(0, physical.width - origin.x),
          height: Math.max(0, physical.height - origin.y),
          depthOrArrayLayers: Math.max(0, physical.depthOrArrayLayers - origin.z),
        }
      : readExtent(region.size, 'region.size', fail);
  const checked = checkRegion(desc, info, region, extent, fail);
  if (flipY && info.blockHeight !== 1) {
    fail('region.flipY', flipY, `rows of ${info.blockWidth}x${info.blockHeight} blocks cannot be flipped`);
  }
  return { ...checked, footprint: copyFootprint(info, extent), flipY };
}

/**
 * The extent of a mip level rounded up to whole blocks: what a copy may cover (a 2x2 mip of a BC texture
 * is copied as one 4x4 block).
 *
 * @example
 * physicalMipExtent(bc1Desc, getFormatInfo('bc1-rgba-unorm')!, 3) // { width: 4, height: 4, depthOrArrayLayers: 1 }
 */
export function physicalMipExtent(
  desc: NormalizedTextureDescriptor,
  info: TextureFormatInfo,
  mipLevel: number,
): CopyExtent {
  const mip = mipLevelExtent(desc.dimension, desc.width, desc.height, desc.depthOrArrayLayers, mipLevel);
  return {
    width: Math.ceil(mip.width / info.blockWidth) * info.blockWidth,
    height: Math.ceil(mip.height / info.blockHeight) * info.blockHeight,
    depthOrArrayLayers: mip.depthOrArrayLayers,
  };
}

function failFor(label: string): Fail {
  return (field, value, rule) => {
    throw new ValidationError(label, field, value, rule);
  };
}

function checkCopyable(
  desc: NormalizedTextureDescriptor,
  usage: number,
  rule: string,
  fail: Fail,
): TextureFormatInfo {
  const info = getFormatInfo(desc.format);
  if (!info) return fail('format', desc.format, 'is not a known GPUTextureFormat');
  if (info.aspect !== 'color') {
    fail('format', desc.format, 'staging copies support colour and compressed formats, not depth/stencil');
  }
  if ((desc.usage & usage) === 0) fail('usage', desc.usage, rule);
  if (desc.sampleCount !== 1) fail('sampleCount', desc.sampleCount, 'multisampled textures cannot be copied');
  return info;
}

function readMipLevel(desc: NormalizedTextureDescriptor, mipLevel: number | undefined, fail: Fail): number {
  const level = mipLevel ?? 0;
  if (!(Number.isInteger(level) && level >= 0 && level < desc.mipLevelCount)) {
    fail('mipLevel', level, `must be an integer in [0, ${desc.mipLevelCount - 1}]`);
  }
  return level;
}

function readOrigin(origin: TextureOriginInput | undefined, fail: Fail): Origin3 {
  if (origin !== undefined && (typeof origin !== 'object' || origin === null)) {
    fail('origin', origin, 'must be [x?, y?, z?] or { x?, y?, z? } or undefined');
  }
  const o = members(origin ?? {}, ['x', 'y', 'z'], '', 'origin');
  const [x, y, z] = isArray(o) ? [o[0] ?? 0, o[1] ?? 0, o[2] ?? 0] : [o.x ?? 0, o.y ?? 0, o.z ?? 0];
  for (const [field, value] of [
    ['origin.x', x],
    ['origin.y', y],
    ['origin.z', z],
  ] as const) {
    if (!(Number.isSafeInteger(value) && value >= 0)) fail(field, value, 'must be an integer >= 0');
  }
  return { x, y, z };
}

function readExtent(size: TextureExtentInput, field: string, fail: Fail): CopyExtent {
  if (typeof size !== 'object' || size === null) {
    fail(
      field,
      size,
      'must be [width, height?, depthOrArrayLayers?] or { width, height?, depthOrArrayLayers? }',
    );
  }
  const [width, height, depthOrArrayLayers] = isArray(size)
    ? [size[0], size[1] ?? 1, size[2] ?? 1]
    : [size.width, size.height ?? 1, size.depthOrArrayLayers ?? 1];
  for (const [name, value] of [
    ['width', width],
    ['height', height],
    ['depthOrArrayLayers', depthOrArrayLayers],
  ] as const) {
    if (!(Number.isSafeInteger(value) && (value as number) >= 0)) {
      fail(`${field}.${name}`, value, 'must be an integer >= 0');
    }
  }
  return { width: width as number, height, depthOrArrayLayers };
}

function checkRegion(
  desc: NormalizedTextureDescriptor,
  info: TextureFormatInfo,
  location: TextureLocation,
  extent: CopyExtent,
  fail: Fail,
): { format: GPUTextureFormat; mipLevel: number; origin: Origin3; size: CopyExtent } {
  const mipLevel = readMipLevel(desc, location.mipLevel, fail);
  const origin = readOrigin(location.origin, fail);
  const { blockWidth: bw, blockHeight: bh } = info;
  if (origin.x % bw !== 0 || origin.y % bh !== 0) {
    fail('origin', [origin.x, origin.y], `must be a multiple of the ${bw}x${bh} block of '${desc.format}'`);
  }
  if (extent.width % bw !== 0 || extent.height % bh !== 0) {
    fail(
      'size',
      [extent.width, extent.height],
      `must be a multiple of the ${bw}x${bh} block of '${desc.format}'`,
    );
  }
  const physical = physicalMipExtent(desc, info, mipLevel);
  const axes = [
    ['x', origin.x, extent.width, physical.width],
    ['y', origin.y, extent.height, physical.height],
    ['z', origin.z, extent.depthOrArrayLayers, physical.depthOrArrayLayers],
  ] as const;
  for (const [axis, start, length, limit] of axes) {
    if (start + length > limit) {
      fail(
        `origin.${axis} + size`,
        start + length,
        `must be <= the extent of mip level ${mipLevel} on ${axis} (${limit})`,
      );
    }
  }
  return { format: desc.format, mipLevel, origin, size: extent };
}

const EXTENT_KEYS = ['width', 'height', 'depthOrArrayLayers'] as const;

/**
 * A plain copy of the members a plan reads (or of an array's first three elements), each read once: a getter
 * or Proxy trap that throws becomes a `ValidationError` naming the member, and later reads run no user code.
 */
function members<T>(value: T, keys: readonly string[], label: string, field: string): T {
  if (typeof value !== 'object' || value === null) return value;
  if (isArray(value)) {
    try {
      return [value[0], value[1], value[2]] as T;
    } catch (error) {
      throw new ValidationError(label, field, error, 'could not be read: its getter or Proxy trap threw');
    }
  }
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    try {
      copy[key] = (value as Record<string, unknown>)[key];
    } catch (error) {
      throw new ValidationError(
        label,
        `${field}.${key}`,
        error,
        'could not be read: its getter or Proxy trap threw',
      );
    }
  }
  return copy as T;
}

function isArray<T>(value: readonly T[] | object): value is readonly T[] {
  return Array.isArray(value);
}
