/**
 * The raw rows of the texture format table: one row per `GPUTextureFormat` of @webgpu/types.
 *
 * Source: the WebGPU spec, "Texture Format Capabilities" (plain color, depth-stencil and compressed
 * tables), read for a core device (`'core-features-and-limits'`). A flag is set only when core WebGPU
 * guarantees it without optional features; what features add is computed in formats.ts. For a format that
 * needs a feature to exist at all (`requiredFeature`), the flags describe it once that feature is enabled.
 */
import type { TextureFormatInfo } from './formats.ts';

type ColorSampleType = 'float' | 'unfilterable-float' | 'uint' | 'sint';

/**
 * Builds a plain (uncompressed) color row. `caps` letters: R = RENDER_ATTACHMENT, B = blendable,
 * M = multisample (sampleCount 4), X = resolve target, S = STORAGE_BINDING (write-only/read-only).
 * `rt` is [render target pixel byte cost, render target component alignment]; it is also given for formats
 * that only a feature makes renderable, so render-target budgeting still works once it is enabled.
 */
function color(
  format: GPUTextureFormat,
  bytesPerBlock: number,
  sampleType: ColorSampleType,
  caps: string,
  rt?: readonly [cost: number, alignment: number],
  requiredFeature?: string,
): TextureFormatInfo {
  return {
    format,
    blockWidth: 1,
    blockHeight: 1,
    bytesPerBlock,
    aspect: 'color',
    sampleType,
    compressed: false,
    colorRenderable: caps.includes('R'),
    blendable: caps.includes('B'),
    multisample: caps.includes('M'),
    resolvable: caps.includes('X'),
    storage: caps.includes('S'),
    renderTargetPixelByteCost: rt?.[0],
    renderTargetComponentAlignment: rt?.[1],
    requiredFeature,
    srgb: format.endsWith('-srgb'),
  };
}

/** A depth and/or stencil row: renderable as a depth-stencil attachment, multisample-capable, never storage. */
function depthStencil(
  format: GPUTextureFormat,
  bytesPerBlock: number,
  aspect: 'depth' | 'stencil' | 'depth-stencil',
  requiredFeature?: string,
): TextureFormatInfo {
  return {
    format,
    blockWidth: 1,
    blockHeight: 1,
    bytesPerBlock,
    aspect,
    // A stencil-only view samples as uint; anything with depth samples as 'depth' by default.
    sampleType: aspect === 'stencil' ? 'uint' : 'depth',
    compressed: false,
    colorRenderable: false,
    blendable: false,
    multisample: true,
    resolvable: false,
    storage: false,
    requiredFeature,
    srgb: false,
  };
}

/** A block-compressed row: sampled as filterable float, copyable, nothing else. */
function compressed(
  format: GPUTextureFormat,
  blockWidth: number,
  blockHeight: number,
  bytesPerBlock: number,
  requiredFeature: string,
): TextureFormatInfo {
  return {
    format,
    blockWidth,
    blockHeight,
    bytesPerBlock,
    aspect: 'color',
    sampleType: 'float',
    compressed: true,
    colorRenderable: false,
    blendable: false,
    multisample: false,
    resolvable: false,
    storage: false,
    requiredFeature,
    srgb: format.endsWith('-srgb'),
  };
}

const BC = 'texture-compression-bc';
const ETC2 = 'texture-compression-etc2';
const ASTC = 'texture-compression-astc';
const TIER1 = 'texture-formats-tier1';

/**
 * ASTC block footprints in the order @webgpu/types lists them (also the order of the GL enums); every ASTC
 * block is 16 bytes.
 */
export const ASTC_BLOCKS: readonly (readonly [number, number])[] = [
  [4, 4],
  [5, 4],
  [5, 5],
  [6, 5],
  [6, 6],
  [8, 5],
  [8, 6],
  [8, 8],
  [10, 5],
  [10, 6],
  [10, 8],
  [10, 10],
  [12, 10],
  [12, 12],
];

function astcRows(): TextureFormatInfo[] {
  return ASTC_BLOCKS.flatMap(([w, h]) => {
    const base = `astc-${w}x${h}-unorm` as GPUTextureFormat;
    const srgb = `astc-${w}x${h}-unorm-srgb` as GPUTextureFormat;
    return [compressed(base, w, h, 16, ASTC), compressed(srgb, w, h, 16, ASTC)];
  });
}

/**
 * Every row, in the order @webgpu/types declares `GPUTextureFormat`. Render target component alignment is
 * the component width: 1 for 8-bit, 2 for 16-bit, 4 for 32-bit components and for the packed formats.
 */
export const FORMAT_TABLE: readonly TextureFormatInfo[] = [
  color('r8unorm', 1, 'float', 'RBMX', [1, 1]),
  color('r8snorm', 1, 'float', '', [1, 1]), // renderable only with texture-formats-tier1
  color('r8uint', 1, 'uint', 'RM', [1, 1]),
  color('r8sint', 1, 'sint', 'RM', [1, 1]),
  // The norm16 formats exist only with texture-formats-tier1.
  color('r16unorm', 2, 'float', 'RBMS', [2, 2], TIER1),
  color('r16snorm', 2, 'float', 'RBMS', [2, 2], TIER1),
  color('r16uint', 2, 'uint', 'RM', [2, 2]),
  color('r16sint', 2, 'sint', 'RM', [2, 2]),
  color('r16float', 2, 'float', 'RBMX', [2, 2]),
  color('rg8unorm', 2, 'float', 'RBMX', [2, 1]),
  color('rg8snorm', 2, 'float', '', [2, 1]),
  color('rg8uint', 2, 'uint', 'RM', [2, 1]),
  color('rg8sint', 2, 'sint', 'RM', [2, 1]),
  // 32-bit components are never multisampled, except r32float.
  color('r32uint', 4, 'uint', 'RS', [4, 4]),
  color('r32sint', 4, 'sint', 'RS', [4, 4]),
  color('r32float', 4, 'unfilterable-float', 'RMS', [4, 4]),
  color('rg16unorm', 4, 'float', 'RBMS', [4, 2], TIER1),
  color('rg16snorm', 4, 'float', 'RBMS', [4, 2], TIER1),
  color('rg16uint', 4, 'uint', 'RM', [4, 2]),
  color('rg16sint', 4, 'sint', 'RM', [4, 2]),
  color('rg16float', 4, 'float', 'RBMX', [4, 2]),
  // Four 8-bit components cost 8 bytes per sample as a render target, not 4 (spec table).
  color('rgba8unorm', 4, 'float', 'RBMXS', [8, 1]),
  color('rgba8unorm-srgb', 4, 'float', 'RBMX', [8, 1]),
  color('rgba8snorm', 4, 'float', 'S', [8, 1]),
  color('rgba8uint', 4, 'uint', 'RMS', [4, 1]),
  color('rgba8sint', 4, 'sint', 'RMS', [4, 1]),
  color('bgra8unorm', 4, 'float', 'RBMX', [8, 1]), // storage only with bgra8unorm-storage
  color('bgra8unorm-srgb', 4, 'float', 'RBMX', [8, 1]),
  color('rgb9e5ufloat', 4, 'float', ''),
  color('rgb10a2uint', 4, 'uint', 'RM', [8, 4]),
  color('rgb10a2unorm', 4, 'float', 'RBMX', [8, 4]),
  color('rg11b10ufloat', 4, 'float', '', [8, 4]), // renderable with rg11b10ufloat-renderable
  color('rg32uint', 8, 'uint', 'RS', [8, 4]),
  color('rg32sint', 8, 'sint', 'RS', [8, 4]),
  color('rg32float', 8, 'unfilterable-float', 'RS', [8, 4]),
  color('rgba16unorm', 8, 'float', 'RBMS', [8, 2], TIER1),
  color('rgba16snorm', 8, 'float', 'RBMS', [8, 2], TIER1),
  color('rgba16uint', 8, 'uint', 'RMS', [8, 2]),
  color('rgba16sint', 8, 'sint', 'RMS', [8, 2]),
  color('rgba16float', 8, 'float', 'RBMXS', [8, 2]),
  color('rgba32uint', 16, 'uint', 'RS', [16, 4]),
  color('rgba32sint', 16, 'sint', 'RS', [16, 4]),
  color('rgba32float', 16, 'unfilterable-float', 'RS', [16, 4]),
  // Depth/stencil: bytesPerBlock follows the memory model documented on TextureFormatInfo.bytesPerBlock.
  depthStencil('stencil8', 1, 'stencil'),
  depthStencil('depth16unorm', 2, 'depth'),
  depthStencil('depth24plus', 4, 'depth'),
  depthStencil('depth24plus-stencil8', 4, 'depth-stencil'),
  depthStencil('depth32float', 4, 'depth'),
  depthStencil('depth32float-stencil8', 5, 'depth-stencil', 'depth32float-stencil8'),
  // BC: 4x4 blocks; BC1 and BC4 are 8 bytes, the rest 16.
  compressed('bc1-rgba-unorm', 4, 4, 8, BC),
  compressed('bc1-rgba-unorm-srgb', 4, 4, 8, BC),
  compressed('bc2-rgba-unorm', 4, 4, 16, BC),
  compressed('bc2-rgba-unorm-srgb', 4, 4, 16, BC),
  compressed('bc3-rgba-unorm', 4, 4, 16, BC),
  compressed('bc3-rgba-unorm-srgb', 4, 4, 16, BC),
  compressed('bc4-r-unorm', 4, 4, 8, BC),
  compressed('bc4-r-snorm', 4, 4, 8, BC),
  compressed('bc5-rg-unorm', 4, 4, 16, BC),
  compressed('bc5-rg-snorm', 4, 4, 16, BC),
  compressed('bc6h-rgb-ufloat', 4, 4, 16, BC),
  compressed('bc6h-rgb-float', 4, 4, 16, BC),
  compressed('bc7-rgba-unorm', 4, 4, 16, BC),
  compressed('bc7-rgba-unorm-srgb', 4, 4, 16, BC),
  // ETC2/EAC: 4x4 blocks; the formats with alpha or two channels are 16 bytes.
  compressed('etc2-rgb8unorm', 4, 4, 8, ETC2),
  compressed('etc2-rgb8unorm-srgb', 4, 4, 8, ETC2),
  compressed('etc2-rgb8a1unorm', 4, 4, 8, ETC2),
  compressed('etc2-rgb8a1unorm-srgb', 4, 4, 8, ETC2),
  compressed('etc2-rgba8unorm', 4, 4, 16, ETC2),
  compressed('etc2-rgba8unorm-srgb', 4, 4, 16, ETC2),
  compressed('eac-r11unorm', 4, 4, 8, ETC2),
  compressed('eac-r11snorm', 4, 4, 8, ETC2),
  compressed('eac-rg11unorm', 4, 4, 16, ETC2),
  compressed('eac-rg11snorm', 4, 4, 16, ETC2),
  ...astcRows(),
];
