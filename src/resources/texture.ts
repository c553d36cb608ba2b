/**
 * The texture descriptor and its validation: a pure function of the descriptor and the device capabilities
 * that mirrors WebGPU's createTexture() rules, so bad input fails here with a precise error instead of
 * becoming an invalid GPU object.
 */
import type { Capabilities } from '../core/capabilities.ts';
import { ValidationError } from '../errors.ts';
import {
  getFormatInfo,
  isColorRenderable,
  isFilterable,
  isStorageCapable,
  srgbPairOf,
  supportsMultisample,
  type TextureFormatInfo,
} from './formats.ts';
import { maxMipLevelCount, type TextureDimension } from './texture-size.ts';
import { ALL_TEXTURE_USAGE, TextureUsage, usageNames } from './usage.ts';

/** What the caller asks for; `normalizeTextureDescriptor` turns it into a `NormalizedTextureDescriptor`. */
export interface TextureDescriptor {
  label?: string;
  /** `[width, height?, depthOrArrayLayers?]` or a dictionary; missing height and layers default to 1. */
  size: readonly number[] | { width: number; height?: number; depthOrArrayLayers?: number };
  format: GPUTextureFormat;
  /** `TextureUsage` bits (same values as `GPUTextureUsage`). */
  usage: number;
  /** Default '2d'. */
  dimension?: TextureDimension;
  /** Default 1; `'full'` means the whole mip chain down to 1x1(x1). */
  mipLevelCount?: number | 'full';
  /** 1 (default) or 4. */
  sampleCount?: number;
  /** Formats views may reinterpret the texture as: the format itself or its sRGB/linear pair. */
  viewFormats?: readonly GPUTextureFormat[];
  /** The caller will sample it with a filtering sampler, so the format must be filterable. */
  filterable?: boolean;
}

/** A validated descriptor with every default applied. */
export interface NormalizedTextureDescriptor {
  readonly label: string;
  readonly width: number;
  readonly height: number;
  readonly depthOrArrayLayers: number;
  readonly format: GPUTextureFormat;
  readonly usage: number;
  readonly dimension: TextureDimension;
  readonly mipLevelCount: number;
  readonly sampleCount: number;
  readonly viewFormats: readonly GPUTextureFormat[];
}

const { STORAGE_BINDING, RENDER_ATTACHMENT } = TextureUsage;
const SIZE_FIELDS = ['size.width', 'size.height', 'size.depthOrArrayLayers'] as const;
type Fail = (field: string, value: unknown, rule: string) => never;

/**
 * Validates a texture descriptor against the WebGPU createTexture rules and the device's limits and
 * features, and fills in defaults. Throws `ValidationError` naming the field, the bad value and the rule
 * (with the limit) at the first broken rule.
 *
 * @example
 * const caps = defaultCapabilities();
 * normalizeTextureDescriptor({ label: 'albedo', size: [1024, 512], format: 'rgba8unorm',
 *   usage: TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST, mipLevelCount: 'full' }, caps);
 * // { label: 'albedo', width: 1024, height: 512, depthOrArrayLayers: 1, mipLevelCount: 11, ... }
 */
export function normalizeTextureDescriptor(
  desc: TextureDescriptor,
  caps: Capabilities,
): NormalizedTextureDescriptor {
  const label = desc.label ?? '';
  const fail: Fail = (field, value, rule) => {
    throw new ValidationError(label, field, value, rule);
  };
  const features = caps.features;

  const format = desc.format;
  const info = getFormatInfo(format);
  if (!info) return fail('format', format, 'is not a known GPUTextureFormat');

  const dimension = desc.dimension ?? '2d';
  if (dimension !== '1d' && dimension !== '2d' && dimension !== '3d') {
    fail('dimension', dimension, "must be '1d', '2d' or '3d'");
  }

  const [width, height, layers] = readSize(desc.size, fail);
  const usage = desc.usage;
  validateUsageBits(usage, fail);

  if (info.requiredFeature !== undefined && !features.has(info.requiredFeature)) {
    fail('format', format, `requires device feature '${info.requiredFeature}', which is not enabled`);
  }
  const unsupported = caps.unsupportedFormatReason?.(format, usage);
  if (unsupported !== undefined) fail('format', format, unsupported);

  validateDimensionAndSize(info, dimension, width, height, layers, caps, fail);

  // WebGPU requires the base level to be a whole number of blocks; smaller mips are padded by the GPU.
  if (info.compressed) {
    const name = `'${format}'`;
    if (width % info.blockWidth !== 0) {
      fail('size.width', width, `must be a multiple of the block width ${info.blockWidth} of ${name}`);
    }
    if (height % info.blockHeight !== 0) {
      fail('size.height', height, `must be a multiple of the block height ${info.blockHeight} of ${name}`);
    }
  }

  const maxMips = maxMipLevelCount(dimension, width, height, layers);
  const mipInput = desc.mipLevelCount ?? 1;
  const mipLevelCount = mipInput === 'full' ? maxMips : mipInput;
  if (typeof mipLevelCount !== 'number' || !Number.isInteger(mipLevelCount) || mipLevelCount < 1) {
    fail('mipLevelCount', mipInput, "must be an integer >= 1 or 'full'");
  }
  if (mipLevelCount > maxMips) {
    const extent = `${width}x${height}x${layers}`;
    fail(
      'mipLevelCount',
      mipLevelCount,
      `must be <= maxMipLevelCount (${maxMips}) for a ${dimension} texture of size ${extent}`,
    );
  }

  const sampleCount = desc.sampleCount ?? 1;
  if (sampleCount !== 1 && sampleCount !== 4) fail('sampleCount', sampleCount, 'must be 1 or 4');
  if (sampleCount === 4) {
    const when = 'when sampleCount is 4';
    if (dimension !== '2d') fail('dimension', dimension, `must be '2d' ${when}`);
    if (mipLevelCount !== 1) fail('mipLevelCount', mipLevelCount, `must be 1 ${when}`);
    if (layers !== 1) fail('size.depthOrArrayLayers', layers, `must be 1 ${when}`);
    if (!supportsMultisample(info, features)) {
      fail('format', format, 'does not support multisampling (sampleCount 4) with the enabled features');
    }
    if (usage & STORAGE_BINDING) {
      fail(
        'usage',
        usage,
        `must not include STORAGE_BINDING ${when} (got ${usageNames(usage, TextureUsage)})`,
      );
    }
    if (!(usage & RENDER_ATTACHMENT)) {
      fail('usage', usage, `must include RENDER_ATTACHMENT ${when} (got ${usageNames(usage, TextureUsage)})`);
    }
  }

  validateUsageForFormat(info, usage, dimension, features, fail);

  if (desc.filterable === true && !isFilterable(info, features)) {
    const hint = info.sampleType === 'unfilterable-float' ? "; enable 'float32-filterable'" : '';
    fail(
      'format',
      format,
      `must be filterable because filterable: true was requested (sample type '${info.sampleType}'${hint})`,
    );
  }

  const viewFormats = readViewFormats(desc.viewFormats, format, fail);

  return Object.freeze({
    label,
    width,
    height,
    depthOrArrayLayers: layers,
    format,
    usage,
    dimension,
    mipLevelCount,
    sampleCount,
    viewFormats,
  });
}

/** Reads either size form into [width, height, depthOrArrayLayers], each an integer >= 1. */
function readSize(size: TextureDescriptor['size'], fail: Fail): [number, number, number] {
  let values: readonly unknown[];
  if (Array.isArray(size)) {
    if (size.length < 1 || size.length > 3) fail('size', size, 'must have 1 to 3 elements');
    values = [size[0], size[1] ?? 1, size[2] ?? 1];
  } else if (typeof size === 'object' && size !== null) {
    const dict = size as { width: unknown; height?: unknown; depthOrArrayLayers?: unknown };
    values = [dict.width, dict.height ?? 1, dict.depthOrArrayLayers ?? 1];
  } else {
    return fail(
      'size',
      size,
      'must be an array [width, height?, depthOrArrayLayers?] or a { width, ... } object',
    );
  }
  values.forEach((v, i) => {
    // typeof also rejects strings like '4' that JavaScript would silently coerce.
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      fail(SIZE_FIELDS[i] ?? 'size', v, 'must be an integer >= 1');
    }
  });
  return values as [number, number, number];
}

function validateUsageBits(usage: number, fail: Fail): void {
  if (typeof usage !== 'number' || !Number.isInteger(usage) || usage < 0) {
    fail('usage', usage, 'must be a non-negative integer bit mask of TextureUsage flags');
  }
  if (usage === 0) fail('usage', usage, 'must not be 0: a texture needs at least one TextureUsage flag');
  if (usage > ALL_TEXTURE_USAGE) {
    const known = `${usageNames(ALL_TEXTURE_USAGE, TextureUsage)} (0x${ALL_TEXTURE_USAGE.toString(16)})`;
    fail('usage', usage, `has unknown bits; known TextureUsage bits are ${known}`);
  }
}

function validateDimensionAndSize(
  info: TextureFormatInfo,
  dimension: TextureDimension,
  width: number,
  height: number,
  layers: number,
  caps: Capabilities,
  fail: Fail,
): void {
  const limits = caps.limits;
  const format = info.format;
  const depth = info.aspect !== 'color';
  const atMost = (field: string, value: number, limitName: keyof typeof limits) => {
    const limit = limits[limitName];
    if (value > limit) fail(field, value, `must be <= ${limitName} (${limit})`);
  };

  if (dimension === '1d') {
    if (depth) fail('format', format, "depth/stencil formats cannot be used with dimension '1d'");
    if (info.compressed) fail('format', format, "compressed formats cannot be used with dimension '1d'");
    atMost('size.width', width, 'maxTextureDimension1D');
    if (height !== 1) fail('size.height', height, "must be 1 for dimension '1d'");
    if (layers !== 1) fail('size.depthOrArrayLayers', layers, "must be 1 for dimension '1d'");
  } else if (dimension === '2d') {
    atMost('size.width', width, 'maxTextureDimension2D');
    atMost('size.height', height, 'maxTextureDimension2D');
    atMost('size.depthOrArrayLayers', layers, 'maxTextureArrayLayers');
  } else {
    if (depth) fail('format', format, "depth/stencil formats cannot be used with dimension '3d'");
    if (info.compressed) {
      // Only BC and ASTC have "sliced 3D" features; ETC2/EAC can never be 3D.
      const sliced =
        info.requiredFeature === 'texture-compression-bc'
          ? 'texture-compression-bc-sliced-3d'
          : info.requiredFeature === 'texture-compression-astc'
            ? 'texture-compression-astc-sliced-3d'
            : undefined;
      if (sliced === undefined) fail('format', format, "ETC2/EAC formats cannot be used with dimension '3d'");
      if (!caps.features.has(sliced)) {
        fail(
          'format',
          format,
          `requires device feature '${sliced}' for dimension '3d', which is not enabled`,
        );
      }
    }
    atMost('size.width', width, 'maxTextureDimension3D');
    atMost('size.height', height, 'maxTextureDimension3D');
    atMost('size.depthOrArrayLayers', layers, 'maxTextureDimension3D');
  }
}

function validateUsageForFormat(
  info: TextureFormatInfo,
  usage: number,
  dimension: TextureDimension,
  features: ReadonlySet<string>,
  fail: Fail,
): void {
  const format = `'${info.format}'`;
  const got = `(got ${usageNames(usage, TextureUsage)})`;
  if (usage & RENDER_ATTACHMENT) {
    if (info.compressed) {
      fail('usage', usage, `must not include RENDER_ATTACHMENT: ${format} is compressed ${got}`);
    }
    if (info.aspect === 'color' && !isColorRenderable(info, features)) {
      fail(
        'usage',
        usage,
        `must not include RENDER_ATTACHMENT: ${format} is not renderable with the enabled features ${got}`,
      );
    }
    if (dimension === '1d') {
      fail('usage', usage, `must not include RENDER_ATTACHMENT for dimension '1d' ${got}`);
    }
  }
  if (usage & STORAGE_BINDING) {
    if (info.compressed) {
      fail('usage', usage, `must not include STORAGE_BINDING: ${format} is compressed ${got}`);
    }
    if (!isStorageCapable(info, features)) {
      fail(
        'usage',
        usage,
        `must not include STORAGE_BINDING: ${format} is not storage-capable with the enabled features ${got}`,
      );
    }
  }
}

function readViewFormats(
  viewFormats: readonly GPUTextureFormat[] | undefined,
  format: GPUTextureFormat,
  fail: Fail,
): readonly GPUTextureFormat[] {
  if (viewFormats === undefined) return Object.freeze([]);
  if (!Array.isArray(viewFormats)) {
    return fail('viewFormats', viewFormats, 'must be an array of GPUTextureFormat');
  }
  const pair = srgbPairOf(format);
  const allowed = pair ? `'${format}' or its sRGB pair '${pair}'` : `'${format}' (it has no sRGB pair)`;
  viewFormats.forEach((view, i) => {
    if (getFormatInfo(view) === undefined) fail(`viewFormats[${i}]`, view, 'is not a known GPUTextureFormat');
    if (view !== format && view !== pair) fail(`viewFormats[${i}]`, view, `must be ${allowed}`);
  });
  return Object.freeze([...viewFormats]);
}
