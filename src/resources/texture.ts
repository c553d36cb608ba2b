/**
 * The texture descriptor and its validation: a pure function of the descriptor and the device capabilities
 * that mirrors WebGPU's createTexture() rules, so bad input fails here with a precise error instead of
 * becoming an invalid GPU object.
 */
import type { Capabilities } from '../core/capabilities.ts';
import { describeValue, ValidationError } from '../errors.ts';
import {
  getFormatInfo,
  isColorRenderable,
  isFilterable,
  isStorageCapable,
  srgbPairOf,
  supportsMultisample,
  type TextureFormatInfo,
} from './formats.ts';
import {
  MAX_UINT32,
  readDescriptor,
  readInteger,
  readMember,
  readOptionalBoolean,
  readSequence,
} from './input.ts';
import { readLabel } from './label.ts';
import { maxMipLevelCount, type TextureDimension } from './texture-size.ts';
import { ALL_TEXTURE_USAGE, TextureUsage, usageNames } from './usage.ts';

/** What the caller asks for; `normalizeTextureDescriptor` turns it into a `NormalizedTextureDescriptor`. */
export interface TextureDescriptor {
  /** A string, or omitted (see `normalizeLabel`: no other type is converted). */
  label?: string;
  /**
   * `[width, height?, depthOrArrayLayers?]` as any sequence (an array, a `Uint32Array`, any iterable of 1 to 3
   * numbers) or a `{ width, height?, depthOrArrayLayers? }` dictionary; omitted height and layers are 1.
   */
  size: Iterable<number> | { width: number; height?: number; depthOrArrayLayers?: number };
  format: GPUTextureFormat;
  /** `TextureUsage` bits (same values as `GPUTextureUsage`). */
  usage: number;
  /** Default '2d'. */
  dimension?: TextureDimension;
  /** Default 1; `'full'` means the whole mip chain down to 1x1(x1). */
  mipLevelCount?: number | 'full';
  /** 1 (default) or 4. */
  sampleCount?: number;
  /** Formats views may reinterpret the texture as (any sequence): the format itself or its sRGB/linear pair. */
  viewFormats?: Iterable<GPUTextureFormat>;
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

const { STORAGE_BINDING, RENDER_ATTACHMENT, TRANSIENT_ATTACHMENT } = TextureUsage;
const SIZE_FIELDS = ['size.width', 'size.height', 'size.depthOrArrayLayers'] as const;
/** More view formats than there are formats; a longer list is a bug (or an endless iterator). */
const MAX_VIEW_FORMATS = 1024;
/** The view formats of a texture that names none (shared: frozen, and most textures name none). */
const NO_VIEW_FORMATS: readonly GPUTextureFormat[] = Object.freeze([]);
/** Throws the texture's `ValidationError`: its label, the field, the bad value and the rule. */
function fail(label: string, field: string, value: unknown, rule: string): never {
  throw new ValidationError(label, field, value, rule);
}

/** Checks a size against a device limit, named in the message. */
function atMost(
  label: string,
  limits: Capabilities['limits'],
  field: string,
  value: number,
  limitName: keyof Capabilities['limits'],
): void {
  const limit = limits[limitName];
  if (value > limit) fail(label, field, value, `must be <= ${limitName} (${limit})`);
}

/**
 * Validates a texture descriptor against the WebGPU createTexture rules and the device's limits and
 * features, and fills in defaults. Throws `ValidationError` naming the field, the bad value and the rule
 * (with the limit) at the first broken rule. Every member is read once.
 *
 * Input types are strict where WebIDL would convert: sizes, `mipLevelCount`, `sampleCount` and `usage` must be
 * integer `number`s (`'4'`, `true`, `4.5` and `null` are rejected: WebIDL turns `null` into 0, which no texture
 * accepts); `dimension` and formats must be the enum strings; `filterable` a boolean. Sequences (`size`,
 * `viewFormats`) may be any iterable, as in WebGPU. A compressed format's size must be a whole number of
 * blocks unless the device enables `'texture-compression-unaligned'`.
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
  const input = readDescriptor(desc, 'texture');
  const label = readLabel(input);
  const features = caps.features;
  // Every member is read once, before any is checked (as WebIDL converts a whole dictionary first), by name:
  // one load site per member stays monomorphic where a reader keyed by a variable name is megamorphic (about
  // 0.1 us a create). A getter or Proxy trap that throws becomes a `ValidationError` naming its member.
  const members = input as Partial<Record<keyof TextureDescriptor, unknown>>;
  let member = 'format';
  let format: unknown;
  let dimensionInput: unknown;
  let sizeInput: unknown;
  let usageInput: unknown;
  let mipInput: unknown;
  let sampleInput: unknown;
  let filterableInput: unknown;
  let viewFormatsInput: unknown;
  try {
    format = members.format;
    member = 'dimension';
    dimensionInput = members.dimension;
    member = 'size';
    sizeInput = members.size;
    member = 'usage';
    usageInput = members.usage;
    member = 'mipLevelCount';
    mipInput = members.mipLevelCount;
    member = 'sampleCount';
    sampleInput = members.sampleCount;
    member = 'filterable';
    filterableInput = members.filterable;
    member = 'viewFormats';
    viewFormatsInput = members.viewFormats;
  } catch (error) {
    throw new ValidationError(label, member, error, 'could not be read: its getter or Proxy trap threw');
  }

  if (typeof format !== 'string') return fail(label, 'format', format, 'must be a GPUTextureFormat string');
  const info = getFormatInfo(format);
  if (!info) return fail(label, 'format', format, 'is not a known GPUTextureFormat');

  const dimension = dimensionInput === undefined ? '2d' : dimensionInput;
  if (dimension !== '1d' && dimension !== '2d' && dimension !== '3d') {
    return fail(label, 'dimension', dimension, "must be '1d', '2d' or '3d' (or omitted for '2d')");
  }

  const size = readSize(sizeInput, label);
  const width = size[0];
  const height = size[1];
  const layers = size[2];
  const usage = readInteger(usageInput, label, 'usage', 0, MAX_UINT32);
  validateUsageBits(usage, label);

  if (info.requiredFeature !== undefined && !features.has(info.requiredFeature)) {
    fail(label, 'format', format, `requires device feature '${info.requiredFeature}', which is not enabled`);
  }
  const unsupported = caps.unsupportedFormatReason?.(info.format, usage);
  if (unsupported !== undefined) fail(label, 'format', format, unsupported);

  validateDimensionAndSize(info, dimension, width, height, layers, caps, label);

  // Core WebGPU requires the base level to be a whole number of blocks (smaller mips are padded by the GPU);
  // Dawn's 'texture-compression-unaligned' lifts that for every compressed format, 2D arrays and 3D included.
  if (info.compressed && !features.has('texture-compression-unaligned')) {
    const name = `'${format}'`;
    const hint = "; enable 'texture-compression-unaligned' to allow it";
    if (width % info.blockWidth !== 0) {
      fail(
        label,
        'size.width',
        width,
        `must be a multiple of the block width ${info.blockWidth} of ${name}${hint}`,
      );
    }
    if (height % info.blockHeight !== 0) {
      fail(
        label,
        'size.height',
        height,
        `must be a multiple of the block height ${info.blockHeight} of ${name}${hint}`,
      );
    }
  }

  const maxMips = maxMipLevelCount(dimension, width, height, layers);
  const mipLevelCount =
    mipInput === undefined
      ? 1
      : mipInput === 'full'
        ? maxMips
        : readIntegerOr(mipInput, label, 'mipLevelCount', "must be an integer >= 1 or 'full'");
  // Shown in messages: what the caller wrote, and what 'full' stood for.
  const mipShown = mipInput === 'full' ? `'full' (${maxMips} levels)` : mipLevelCount;
  if (mipLevelCount > maxMips) {
    const extent = `${width}x${height}x${layers}`;
    fail(
      label,
      'mipLevelCount',
      mipLevelCount,
      `must be <= maxMipLevelCount (${maxMips}) for a ${dimension} texture of size ${extent}`,
    );
  }

  const sampleCount =
    sampleInput === undefined ? 1 : readIntegerOr(sampleInput, label, 'sampleCount', 'must be 1 or 4');
  if (sampleCount !== 1 && sampleCount !== 4) fail(label, 'sampleCount', sampleCount, 'must be 1 or 4');
  if (sampleCount === 4) {
    const when = 'when sampleCount is 4';
    if (dimension !== '2d') fail(label, 'dimension', dimension, `must be '2d' ${when}`);
    if (mipLevelCount !== 1) fail(label, 'mipLevelCount', mipShown, `must be 1 ${when}`);
    if (layers !== 1) fail(label, 'size.depthOrArrayLayers', layers, `must be 1 ${when}`);
    if (!supportsMultisample(info, features)) {
      fail(
        label,
        'format',
        format,
        'does not support multisampling (sampleCount 4) with the enabled features',
      );
    }
    if (usage & STORAGE_BINDING) {
      fail(
        label,
        'usage',
        usage,
        `must not include STORAGE_BINDING ${when} (got ${usageNames(usage, TextureUsage)})`,
      );
    }
    if (!(usage & RENDER_ATTACHMENT)) {
      fail(
        label,
        'usage',
        usage,
        `must include RENDER_ATTACHMENT ${when} (got ${usageNames(usage, TextureUsage)})`,
      );
    }
  }

  if (usage & TRANSIENT_ATTACHMENT) {
    const when = 'when usage includes TRANSIENT_ATTACHMENT';
    if (usage !== (TRANSIENT_ATTACHMENT | RENDER_ATTACHMENT)) {
      fail(
        label,
        'usage',
        usage,
        `must be exactly RENDER_ATTACHMENT|TRANSIENT_ATTACHMENT ${when} (got ${usageNames(usage, TextureUsage)})`,
      );
    }
    if (dimension !== '2d') fail(label, 'dimension', dimension, `must be '2d' ${when}`);
    if (mipLevelCount !== 1) fail(label, 'mipLevelCount', mipShown, `must be 1 ${when}`);
    if (layers !== 1) fail(label, 'size.depthOrArrayLayers', layers, `must be 1 ${when}`);
  }

  validateUsageForFormat(info, usage, dimension, features, label);

  const filterable = readOptionalBoolean(filterableInput, label, 'filterable', false);
  if (filterable && !isFilterable(info, features)) {
    const hint = info.sampleType === 'unfilterable-float' ? "; enable 'float32-filterable'" : '';
    fail(
      label,
      'format',
      format,
      `must be filterable because filterable: true was requested (sample type '${info.sampleType}'${hint})`,
    );
  }

  const viewFormats = readViewFormats(viewFormatsInput, info.format, label);
  // Dawn: a transient texture's contents never leave the pass, so nothing may view it as another format.
  if (usage & TRANSIENT_ATTACHMENT && viewFormats.length > 0) {
    fail(label, 'viewFormats', viewFormats, 'must be empty when usage includes TRANSIENT_ATTACHMENT');
  }

  return Object.freeze({
    label,
    width,
    height,
    depthOrArrayLayers: layers,
    format: info.format,
    usage,
    dimension,
    mipLevelCount,
    sampleCount,
    viewFormats,
  });
}

// An integer member whose own rule (like "1 or 4") reads better than a range.
function readIntegerOr(value: unknown, label: string, field: string, rule: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_UINT32) {
    throw new ValidationError(label, field, value, rule);
  }
  return value;
}

/**
 * {@link readSize}'s result, reused by every call: a texture create reads it before any other code runs, so
 * no create allocates a tuple for its size.
 */
const sizeRead: [number, number, number] = [1, 1, 1];

/**
 * Reads either size form into [width, height, depthOrArrayLayers], each an integer >= 1 and each read once.
 * A sequence (any iterable) must have 1 to 3 elements, each given; a dictionary needs `width`, and an
 * omitted (undefined) height or depthOrArrayLayers is 1. `null` is a value, not an omission (WebIDL makes it
 * 0): rejected. A plain array (the common form) is read in place rather than copied; the result is
 * {@link sizeRead}, to be read at once.
 */
function readSize(size: unknown, label: string): readonly [number, number, number] {
  let width: unknown;
  let height: unknown = 1;
  let layers: unknown = 1;
  let length = -1; // elements of the sequence form; -1 for the dictionary form
  if (Array.isArray(size)) {
    try {
      // Each element is read once: a Proxy's trap may throw, or answer differently on a second read.
      length = size.length;
      width = size[0];
      if (length > 1) height = size[1];
      if (length > 2) layers = size[2];
    } catch (error) {
      fail(label, 'size', size, `could not be read as a sequence (reading it threw ${describeValue(error)})`);
    }
  } else {
    const sequence = readSequence(size, label, 'size', 16);
    if (sequence !== undefined) {
      length = sequence.length;
      width = sequence[0];
      if (sequence.length > 1) height = sequence[1];
      if (sequence.length > 2) layers = sequence[2];
    } else if (typeof size === 'object' && size !== null) {
      width = readMember(size, 'width', label, 'size.width');
      if (width === undefined)
        fail(label, 'size.width', width, 'is required in the { width, height?, depthOrArrayLayers? } form');
      const h = readMember(size, 'height', label, 'size.height');
      const d = readMember(size, 'depthOrArrayLayers', label, 'size.depthOrArrayLayers');
      if (h !== undefined) height = h;
      if (d !== undefined) layers = d;
    } else {
      return fail(
        label,
        'size',
        size,
        'must be a sequence [width, height?, depthOrArrayLayers?] (an array or iterable) or a { width, ... } object',
      );
    }
  }
  if (length !== -1 && !(length >= 1 && length <= 3)) {
    fail(
      label,
      'size',
      size,
      `must have 1 to 3 elements [width, height?, depthOrArrayLayers?] (has ${length})`,
    );
  }
  // The upper bound is the device limit, checked later with its name.
  const max = Number.MAX_SAFE_INTEGER;
  const w = readInteger(width, label, SIZE_FIELDS[0], 1, max);
  const h = readInteger(height, label, SIZE_FIELDS[1], 1, max);
  const d = readInteger(layers, label, SIZE_FIELDS[2], 1, max);
  sizeRead[0] = w;
  sizeRead[1] = h;
  sizeRead[2] = d;
  return sizeRead;
}

function validateUsageBits(usage: number, label: string): void {
  if (usage === 0)
    fail(label, 'usage', usage, 'must not be 0: a texture needs at least one TextureUsage flag');
  if ((usage & ~ALL_TEXTURE_USAGE) !== 0) {
    const known = `${usageNames(ALL_TEXTURE_USAGE, TextureUsage)} (0x${ALL_TEXTURE_USAGE.toString(16)})`;
    fail(label, 'usage', usage, `has unknown bits; known TextureUsage bits are ${known}`);
  }
}

function validateDimensionAndSize(
  info: TextureFormatInfo,
  dimension: TextureDimension,
  width: number,
  height: number,
  layers: number,
  caps: Capabilities,
  label: string,
): void {
  const limits = caps.limits;
  const format = info.format;
  const depth = info.aspect !== 'color';

  if (dimension === '1d') {
    if (depth) fail(label, 'format', format, "depth/stencil formats cannot be used with dimension '1d'");
    if (info.compressed)
      fail(label, 'format', format, "compressed formats cannot be used with dimension '1d'");
    atMost(label, limits, 'size.width', width, 'maxTextureDimension1D');
    if (height !== 1) fail(label, 'size.height', height, "must be 1 for dimension '1d'");
    if (layers !== 1) fail(label, 'size.depthOrArrayLayers', layers, "must be 1 for dimension '1d'");
  } else if (dimension === '2d') {
    atMost(label, limits, 'size.width', width, 'maxTextureDimension2D');
    atMost(label, limits, 'size.height', height, 'maxTextureDimension2D');
    atMost(label, limits, 'size.depthOrArrayLayers', layers, 'maxTextureArrayLayers');
  } else {
    if (depth) fail(label, 'format', format, "depth/stencil formats cannot be used with dimension '3d'");
    if (info.compressed) {
      // Only BC and ASTC have "sliced 3D" features; ETC2/EAC can never be 3D.
      const sliced =
        info.requiredFeature === 'texture-compression-bc'
          ? 'texture-compression-bc-sliced-3d'
          : info.requiredFeature === 'texture-compression-astc'
            ? 'texture-compression-astc-sliced-3d'
            : undefined;
      if (sliced === undefined)
        fail(label, 'format', format, "ETC2/EAC formats cannot be used with dimension '3d'");
      if (!caps.features.has(sliced)) {
        fail(
          label,
          'format',
          format,
          `requires device feature '${sliced}' for dimension '3d', which is not enabled`,
        );
      }
    }
    atMost(label, limits, 'size.width', width, 'maxTextureDimension3D');
    atMost(label, limits, 'size.height', height, 'maxTextureDimension3D');
    atMost(label, limits, 'size.depthOrArrayLayers', layers, 'maxTextureDimension3D');
  }
}

function validateUsageForFormat(
  info: TextureFormatInfo,
  usage: number,
  dimension: TextureDimension,
  features: ReadonlySet<string>,
  label: string,
): void {
  // Messages are built only when a rule fails: a create that passes allocates no strings (`got(usage)` is a
  // module function, not a closure, which would cost every create an allocation).
  const format = info.format;
  if (usage & RENDER_ATTACHMENT) {
    if (info.compressed) {
      fail(
        label,
        'usage',
        usage,
        `must not include RENDER_ATTACHMENT: '${format}' is compressed ${got(usage)}`,
      );
    }
    if (info.aspect === 'color' && !isColorRenderable(info, features)) {
      fail(
        label,
        'usage',
        usage,
        `must not include RENDER_ATTACHMENT: '${format}' is not renderable with the enabled features ${got(usage)}`,
      );
    }
    if (dimension === '1d') {
      fail(label, 'usage', usage, `must not include RENDER_ATTACHMENT for dimension '1d' ${got(usage)}`);
    }
  }
  if (usage & STORAGE_BINDING) {
    if (info.compressed) {
      fail(
        label,
        'usage',
        usage,
        `must not include STORAGE_BINDING: '${format}' is compressed ${got(usage)}`,
      );
    }
    if (!isStorageCapable(info, features)) {
      fail(
        label,
        'usage',
        usage,
        `must not include STORAGE_BINDING: '${format}' is not storage-capable with the enabled features ${got(usage)}`,
      );
    }
  }
}

/** The usage as the messages show it: `(got COPY_DST|TEXTURE_BINDING)`. */
function got(usage: number): string {
  return `(got ${usageNames(usage, TextureUsage)})`;
}

function readViewFormats(
  value: unknown,
  format: GPUTextureFormat,
  label: string,
): readonly GPUTextureFormat[] {
  if (value === undefined) return NO_VIEW_FORMATS;
  const views = readSequence(value, label, 'viewFormats', MAX_VIEW_FORMATS);
  if (views === undefined) {
    return fail(label, 'viewFormats', value, 'must be a sequence (an array or iterable) of GPUTextureFormat');
  }
  const pair = srgbPairOf(format);
  const allowed = pair ? `'${format}' or its sRGB pair '${pair}'` : `'${format}' (it has no sRGB pair)`;
  views.forEach((view, i) => {
    if (typeof view !== 'string' || getFormatInfo(view) === undefined) {
      fail(label, `viewFormats[${i}]`, view, 'is not a known GPUTextureFormat');
    }
    if (view !== format && view !== pair) fail(label, `viewFormats[${i}]`, view, `must be ${allowed}`);
  });
  return Object.freeze(views as GPUTextureFormat[]);
}
