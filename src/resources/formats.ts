/**
 * Texture format facts (block size, bytes, aspect, what a core WebGPU device can do with the format) and
 * the feature-dependent checks built on them. The rows live in format-table.ts.
 */
import { FORMAT_TABLE } from './format-table.ts';

/** Static facts about one `GPUTextureFormat`, as the WebGPU spec's format capability tables state them. */
export interface TextureFormatInfo {
  readonly format: GPUTextureFormat;
  /** Texel block width in texels: 1 for uncompressed formats, 4..12 for BC/ETC2/ASTC. */
  readonly blockWidth: number;
  /** Texel block height in texels. */
  readonly blockHeight: number;
  /**
   * Bytes of GPU memory one texel block occupies, per sample. Color formats use the spec's texel block copy
   * footprint. Depth/stencil formats have no defined memory size in WebGPU (depth24plus may be 24- or
   * 32-bit), so gpu-handles counts them with this model:
   *
   * | format                 | bytes | why                                                  |
   * |------------------------|-------|------------------------------------------------------|
   * | stencil8               | 1     | one 8-bit stencil plane                              |
   * | depth16unorm           | 2     | one 16-bit depth plane                               |
   * | depth24plus            | 4     | 24-bit depth padded to 32 bits (or depth32float)     |
   * | depth24plus-stencil8   | 4     | packed D24S8                                         |
   * | depth32float           | 4     | one 32-bit float depth plane                         |
   * | depth32float-stencil8  | 5     | separate 4-byte depth and 1-byte stencil planes      |
   */
  readonly bytesPerBlock: number;
  /** Which aspects the format has. */
  readonly aspect: 'color' | 'depth' | 'stencil' | 'depth-stencil';
  /** The most capable sample type for a default view ('float' means filterable). */
  readonly sampleType: 'float' | 'unfilterable-float' | 'uint' | 'sint' | 'depth';
  /** Block-compressed (BC, ETC2/EAC, ASTC). */
  readonly compressed: boolean;
  /** Usable as a color RENDER_ATTACHMENT on a core device without optional features. */
  readonly colorRenderable: boolean;
  /** Blendable as a color attachment without optional features. */
  readonly blendable: boolean;
  /** Supports sampleCount 4 without optional features (color or depth/stencil). */
  readonly multisample: boolean;
  /** Can be the resolve target of a multisampled color attachment without optional features. */
  readonly resolvable: boolean;
  /** Supports STORAGE_BINDING (write-only/read-only access) without optional features. */
  readonly storage: boolean;
  /** The spec's render target pixel byte cost, for `maxColorAttachmentBytesPerSample` (color formats only). */
  readonly renderTargetPixelByteCost?: number;
  /** The spec's render target component alignment, for `maxColorAttachmentBytesPerSample`. */
  readonly renderTargetComponentAlignment?: number;
  /** The device feature without which the format cannot be used at all. */
  readonly requiredFeature?: string;
  /** An sRGB-encoded format (name ends in `-srgb`). */
  readonly srgb: boolean;
}

const BY_NAME: ReadonlyMap<string, TextureFormatInfo> = new Map(
  FORMAT_TABLE.map((info) => [info.format, info]),
);

/**
 * Every `GPUTextureFormat` of @webgpu/types, in declaration order.
 *
 * @example
 * ALL_TEXTURE_FORMATS.filter((f) => getFormatInfo(f)?.compressed) // the 52 BC/ETC2/ASTC formats
 */
export const ALL_TEXTURE_FORMATS: readonly GPUTextureFormat[] = Object.freeze(
  FORMAT_TABLE.map((i) => i.format),
);

/**
 * Looks a format up by name; `undefined` for a string that is not a `GPUTextureFormat`.
 *
 * @example
 * getFormatInfo('bc7-rgba-unorm') // { blockWidth: 4, blockHeight: 4, bytesPerBlock: 16, ... }
 * getFormatInfo('rgba8') // undefined
 */
export function getFormatInfo(format: string): TextureFormatInfo | undefined {
  return BY_NAME.get(format);
}

/**
 * The sRGB/linear counterpart of a format, which a texture may list in `viewFormats`.
 *
 * @example
 * srgbPairOf('rgba8unorm') // 'rgba8unorm-srgb'
 * srgbPairOf('bc1-rgba-unorm-srgb') // 'bc1-rgba-unorm'
 * srgbPairOf('r8unorm') // undefined
 */
export function srgbPairOf(format: string): GPUTextureFormat | undefined {
  const pair = format.endsWith('-srgb') ? format.slice(0, -'-srgb'.length) : `${format}-srgb`;
  return BY_NAME.get(pair)?.format;
}

/** Features that only extend existing formats; the format's own `requiredFeature` is checked elsewhere. */
const FLOAT32_FORMATS: ReadonlySet<string> = new Set(['r32float', 'rg32float', 'rgba32float']);
/**
 * texture-formats-tier1 makes these renderable, blendable, multisampled and resolvable (rg11b10ufloat also
 * through 'rg11b10ufloat-renderable').
 */
const TIER1_RENDER_FORMATS: ReadonlySet<string> = new Set([
  'r8snorm',
  'rg8snorm',
  'rgba8snorm',
  'rg11b10ufloat',
]);
/** texture-formats-tier1 makes these usable as write-only/read-only storage textures. */
const TIER1_STORAGE_FORMATS: ReadonlySet<string> = new Set([
  'r8unorm',
  'r8snorm',
  'r8uint',
  'r8sint',
  'rg8unorm',
  'rg8snorm',
  'rg8uint',
  'rg8sint',
  'r16uint',
  'r16sint',
  'r16float',
  'rg16uint',
  'rg16sint',
  'rg16float',
  'rgb10a2uint',
  'rgb10a2unorm',
  'rg11b10ufloat',
]);

// The spec enables tier1 whenever tier2 is requested; accept either name in case a backend reports only one.
function hasTier1(features: ReadonlySet<string>): boolean {
  return features.has('texture-formats-tier1') || features.has('texture-formats-tier2');
}

/**
 * Whether a filtering sampler may sample the format: sample type 'float', or a 32-bit float format with
 * 'float32-filterable'. Depth formats count as not filterable (they filter only through comparison samplers).
 *
 * @example
 * isFilterable(getFormatInfo('r32float')!, new Set()) // false
 * isFilterable(getFormatInfo('r32float')!, new Set(['float32-filterable'])) // true
 */
export function isFilterable(info: TextureFormatInfo, features: ReadonlySet<string>): boolean {
  if (info.sampleType === 'float') return true;
  return FLOAT32_FORMATS.has(info.format) && features.has('float32-filterable');
}

/**
 * Whether the format can be a color RENDER_ATTACHMENT given the enabled features.
 *
 * @example
 * isColorRenderable(getFormatInfo('rg11b10ufloat')!, new Set(['rg11b10ufloat-renderable'])) // true
 */
export function isColorRenderable(info: TextureFormatInfo, features: ReadonlySet<string>): boolean {
  if (info.colorRenderable) return true;
  if (info.format === 'rg11b10ufloat' && features.has('rg11b10ufloat-renderable')) return true;
  return hasTier1(features) && TIER1_RENDER_FORMATS.has(info.format);
}

/**
 * Whether a color attachment of the format can blend given the enabled features.
 *
 * @example
 * isBlendable(getFormatInfo('rgba32float')!, new Set(['float32-blendable'])) // true
 */
export function isBlendable(info: TextureFormatInfo, features: ReadonlySet<string>): boolean {
  if (info.blendable) return true;
  if (FLOAT32_FORMATS.has(info.format)) return features.has('float32-blendable');
  // The formats a feature makes renderable (rg11b10ufloat, snorm8) come with blending.
  return TIER1_RENDER_FORMATS.has(info.format) && isColorRenderable(info, features);
}

/**
 * Whether the format supports sampleCount 4 given the enabled features.
 *
 * @example
 * supportsMultisample(getFormatInfo('rgba8unorm')!, new Set()) // true
 * supportsMultisample(getFormatInfo('rgba32float')!, new Set()) // false
 */
export function supportsMultisample(info: TextureFormatInfo, features: ReadonlySet<string>): boolean {
  if (info.multisample) return true;
  return TIER1_RENDER_FORMATS.has(info.format) && isColorRenderable(info, features);
}

/**
 * Whether the format can be a multisample resolve target given the enabled features.
 *
 * @example
 * isResolvable(getFormatInfo('rgba16float')!, new Set()) // true
 */
export function isResolvable(info: TextureFormatInfo, features: ReadonlySet<string>): boolean {
  if (info.resolvable) return true;
  return TIER1_RENDER_FORMATS.has(info.format) && isColorRenderable(info, features);
}

/**
 * Whether the format supports STORAGE_BINDING given the enabled features.
 *
 * @example
 * isStorageCapable(getFormatInfo('bgra8unorm')!, new Set(['bgra8unorm-storage'])) // true
 */
export function isStorageCapable(info: TextureFormatInfo, features: ReadonlySet<string>): boolean {
  if (info.storage) return true;
  if (info.format === 'bgra8unorm' && features.has('bgra8unorm-storage')) return true;
  return hasTier1(features) && TIER1_STORAGE_FORMATS.has(info.format);
}
