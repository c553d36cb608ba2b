/**
 * How each WebGPU texture format (the library's neutral vocabulary) is stored on WebGL2: the GL sized internal
 * format, the pixel transfer format/type for uploads and reads, the bytes GL stores per texel block, and what
 * GL's rules say about rendering to it. Pure data: GL enum values are numbers here (the same values the
 * `WebGL2RenderingContext` constants have), so the table is testable in Node without a context.
 *
 * Sources: the OpenGL ES 3.0 spec, table 3.13 (sized internal formats, colour-renderable flags) and table 3.2
 * (format/type combinations), the WebGL 2.0 spec, and the extension specs named in each row.
 */

import { ASTC_BLOCKS } from '../../resources/format-table.ts';

/** Extensions that make float formats colour-renderable on WebGL2. */
export const EXT_COLOR_BUFFER_FLOAT = 'EXT_color_buffer_float';
export const EXT_COLOR_BUFFER_HALF_FLOAT = 'EXT_color_buffer_half_float';

/**
 * Whether GL can render to the format as a colour attachment: `'core'` (always), `'no'` (never), or a list of
 * extensions any one of which makes it renderable. Depth/stencil formats are `'core'` (as depth/stencil).
 */
export type GLRenderability = 'core' | 'no' | readonly string[];

/** One row: a WebGPU format as WebGL2 stores it. */
export interface GLFormatInfo {
  readonly format: GPUTextureFormat;
  /** Sized internal format for `texStorage2D/3D` and `renderbufferStorage*`. */
  readonly internalFormat: number;
  /** Pixel transfer format for `texSubImage*` / `readPixels` (0 for compressed and stencil-only formats). */
  readonly pixelFormat: number;
  /** Pixel transfer type matching the storage exactly (0 for compressed and stencil-only formats). */
  readonly pixelType: number;
  /** Bytes GL stores per texel block and per sample (a texel for uncompressed formats). */
  readonly bytesPerBlock: number;
  readonly blockWidth: number;
  readonly blockHeight: number;
  readonly compressed: boolean;
  /** Colour-renderability under GL's rules. */
  readonly renderable: GLRenderability;
  /** The extension the format needs to exist at all (compressed formats). */
  readonly extension?: string;
  /** Only a renderbuffer can hold it (WebGL2 has no stencil-only texture format). */
  readonly renderbufferOnly: boolean;
}

// Pixel formats and types (GLES 3.0 values).
const RED = 0x1903;
const RED_INTEGER = 0x8d94;
const RG = 0x8227;
const RG_INTEGER = 0x8228;
const RGB = 0x1907;
const RGBA = 0x1908;
const RGBA_INTEGER = 0x8d99;
const DEPTH_COMPONENT = 0x1902;
const DEPTH_STENCIL = 0x84f9;
const BYTE = 0x1400;
const UNSIGNED_BYTE = 0x1401;
const SHORT = 0x1402;
const UNSIGNED_SHORT = 0x1403;
const INT = 0x1404;
const UNSIGNED_INT = 0x1405;
const FLOAT = 0x1406;
const HALF_FLOAT = 0x140b;
const UNSIGNED_INT_2_10_10_10_REV = 0x8368;
const UNSIGNED_INT_10F_11F_11F_REV = 0x8c3b;
const UNSIGNED_INT_5_9_9_9_REV = 0x8c3e;
const UNSIGNED_INT_24_8 = 0x84fa;
const FLOAT_32_UNSIGNED_INT_24_8_REV = 0x8dad;

const FLOAT_RENDER = [EXT_COLOR_BUFFER_FLOAT] as const;
const HALF_RENDER = [EXT_COLOR_BUFFER_FLOAT, EXT_COLOR_BUFFER_HALF_FLOAT] as const;

function plain(
  format: GPUTextureFormat,
  internalFormat: number,
  pixelFormat: number,
  pixelType: number,
  bytesPerBlock: number,
  renderable: GLRenderability,
  renderbufferOnly = false,
): GLFormatInfo {
  return {
    format,
    internalFormat,
    pixelFormat,
    pixelType,
    bytesPerBlock,
    blockWidth: 1,
    blockHeight: 1,
    compressed: false,
    renderable,
    renderbufferOnly,
  };
}

function compressed(
  format: GPUTextureFormat,
  internalFormat: number,
  blockWidth: number,
  blockHeight: number,
  bytesPerBlock: number,
  extension: string,
): GLFormatInfo {
  return {
    format,
    internalFormat,
    pixelFormat: 0,
    pixelType: 0,
    bytesPerBlock,
    blockWidth,
    blockHeight,
    compressed: true,
    renderable: 'no',
    extension,
    renderbufferOnly: false,
  };
}

const S3TC = 'WEBGL_compressed_texture_s3tc';
const S3TC_SRGB = 'WEBGL_compressed_texture_s3tc_srgb';
const RGTC = 'EXT_texture_compression_rgtc';
const BPTC = 'EXT_texture_compression_bptc';
const ETC = 'WEBGL_compressed_texture_etc';
const ASTC = 'WEBGL_compressed_texture_astc';

// ASTC_BLOCKS (from the neutral format table) is also the order of the GL enums: 0x93B0 + i, sRGB 0x93D0 + i.

/**
 * Every WebGPU format WebGL2 can hold. Formats missing here (bgra8unorm*, the norm16 formats that WebGPU only
 * has with texture-formats-tier1) have no WebGL2 equivalent.
 *
 * Byte costs equal the neutral table's except depth32float-stencil8: GL packs DEPTH32F_STENCIL8 as
 * FLOAT_32_UNSIGNED_INT_24_8_REV, 8 bytes per texel (32-bit depth + 24 unused bits + 8-bit stencil), where
 * the neutral model counts 5 (separate planes).
 */
export const GL_FORMAT_TABLE: readonly GLFormatInfo[] = [
  plain('r8unorm', 0x8229, RED, UNSIGNED_BYTE, 1, 'core'),
  plain('r8snorm', 0x8f94, RED, BYTE, 1, 'no'),
  plain('r8uint', 0x8232, RED_INTEGER, UNSIGNED_BYTE, 1, 'core'),
  plain('r8sint', 0x8231, RED_INTEGER, BYTE, 1, 'core'),
  plain('r16uint', 0x8234, RED_INTEGER, UNSIGNED_SHORT, 2, 'core'),
  plain('r16sint', 0x8233, RED_INTEGER, SHORT, 2, 'core'),
  plain('r16float', 0x822d, RED, HALF_FLOAT, 2, HALF_RENDER),
  plain('rg8unorm', 0x822b, RG, UNSIGNED_BYTE, 2, 'core'),
  plain('rg8snorm', 0x8f95, RG, BYTE, 2, 'no'),
  plain('rg8uint', 0x8238, RG_INTEGER, UNSIGNED_BYTE, 2, 'core'),
  plain('rg8sint', 0x8237, RG_INTEGER, BYTE, 2, 'core'),
  plain('r32uint', 0x8236, RED_INTEGER, UNSIGNED_INT, 4, 'core'),
  plain('r32sint', 0x8235, RED_INTEGER, INT, 4, 'core'),
  plain('r32float', 0x822e, RED, FLOAT, 4, FLOAT_RENDER),
  plain('rg16uint', 0x823a, RG_INTEGER, UNSIGNED_SHORT, 4, 'core'),
  plain('rg16sint', 0x8239, RG_INTEGER, SHORT, 4, 'core'),
  plain('rg16float', 0x822f, RG, HALF_FLOAT, 4, HALF_RENDER),
  plain('rgba8unorm', 0x8058, RGBA, UNSIGNED_BYTE, 4, 'core'),
  plain('rgba8unorm-srgb', 0x8c43, RGBA, UNSIGNED_BYTE, 4, 'core'),
  plain('rgba8snorm', 0x8f97, RGBA, BYTE, 4, 'no'),
  plain('rgba8uint', 0x8d7c, RGBA_INTEGER, UNSIGNED_BYTE, 4, 'core'),
  plain('rgba8sint', 0x8d8e, RGBA_INTEGER, BYTE, 4, 'core'),
  plain('rgb9e5ufloat', 0x8c3d, RGB, UNSIGNED_INT_5_9_9_9_REV, 4, 'no'),
  plain('rgb10a2uint', 0x906f, RGBA_INTEGER, UNSIGNED_INT_2_10_10_10_REV, 4, 'core'),
  plain('rgb10a2unorm', 0x8059, RGBA, UNSIGNED_INT_2_10_10_10_REV, 4, 'core'),
  plain('rg11b10ufloat', 0x8c3a, RGB, UNSIGNED_INT_10F_11F_11F_REV, 4, FLOAT_RENDER),
  plain('rg32uint', 0x823c, RG_INTEGER, UNSIGNED_INT, 8, 'core'),
  plain('rg32sint', 0x823b, RG_INTEGER, INT, 8, 'core'),
  plain('rg32float', 0x8230, RG, FLOAT, 8, FLOAT_RENDER),
  plain('rgba16uint', 0x8d76, RGBA_INTEGER, UNSIGNED_SHORT, 8, 'core'),
  plain('rgba16sint', 0x8d88, RGBA_INTEGER, SHORT, 8, 'core'),
  plain('rgba16float', 0x881a, RGBA, HALF_FLOAT, 8, HALF_RENDER),
  plain('rgba32uint', 0x8d70, RGBA_INTEGER, UNSIGNED_INT, 16, 'core'),
  plain('rgba32sint', 0x8d82, RGBA_INTEGER, INT, 16, 'core'),
  plain('rgba32float', 0x8814, RGBA, FLOAT, 16, FLOAT_RENDER),
  // STENCIL_INDEX8 is a renderbuffer-only format in WebGL2 (no stencil textures), hence no pixel format.
  plain('stencil8', 0x8d48, 0, 0, 1, 'core', true),
  plain('depth16unorm', 0x81a5, DEPTH_COMPONENT, UNSIGNED_SHORT, 2, 'core'),
  // DEPTH_COMPONENT24 is 24 bits padded to 32 (its only transfer type is UNSIGNED_INT).
  plain('depth24plus', 0x81a6, DEPTH_COMPONENT, UNSIGNED_INT, 4, 'core'),
  plain('depth24plus-stencil8', 0x88f0, DEPTH_STENCIL, UNSIGNED_INT_24_8, 4, 'core'),
  plain('depth32float', 0x8cac, DEPTH_COMPONENT, FLOAT, 4, 'core'),
  plain('depth32float-stencil8', 0x8cad, DEPTH_STENCIL, FLOAT_32_UNSIGNED_INT_24_8_REV, 8, 'core'),
  // BC1-3 are S3TC (DXT1/3/5); BC1 maps to the RGBA variant, as WebGPU's bc1-rgba-* has 1-bit alpha.
  compressed('bc1-rgba-unorm', 0x83f1, 4, 4, 8, S3TC),
  compressed('bc1-rgba-unorm-srgb', 0x8c4d, 4, 4, 8, S3TC_SRGB),
  compressed('bc2-rgba-unorm', 0x83f2, 4, 4, 16, S3TC),
  compressed('bc2-rgba-unorm-srgb', 0x8c4e, 4, 4, 16, S3TC_SRGB),
  compressed('bc3-rgba-unorm', 0x83f3, 4, 4, 16, S3TC),
  compressed('bc3-rgba-unorm-srgb', 0x8c4f, 4, 4, 16, S3TC_SRGB),
  compressed('bc4-r-unorm', 0x8dbb, 4, 4, 8, RGTC),
  compressed('bc4-r-snorm', 0x8dbc, 4, 4, 8, RGTC),
  compressed('bc5-rg-unorm', 0x8dbd, 4, 4, 16, RGTC),
  compressed('bc5-rg-snorm', 0x8dbe, 4, 4, 16, RGTC),
  compressed('bc6h-rgb-ufloat', 0x8e8f, 4, 4, 16, BPTC),
  compressed('bc6h-rgb-float', 0x8e8e, 4, 4, 16, BPTC),
  compressed('bc7-rgba-unorm', 0x8e8c, 4, 4, 16, BPTC),
  compressed('bc7-rgba-unorm-srgb', 0x8e8d, 4, 4, 16, BPTC),
  compressed('etc2-rgb8unorm', 0x9274, 4, 4, 8, ETC),
  compressed('etc2-rgb8unorm-srgb', 0x9275, 4, 4, 8, ETC),
  compressed('etc2-rgb8a1unorm', 0x9276, 4, 4, 8, ETC),
  compressed('etc2-rgb8a1unorm-srgb', 0x9277, 4, 4, 8, ETC),
  compressed('etc2-rgba8unorm', 0x9278, 4, 4, 16, ETC),
  compressed('etc2-rgba8unorm-srgb', 0x9279, 4, 4, 16, ETC),
  compressed('eac-r11unorm', 0x9270, 4, 4, 8, ETC),
  compressed('eac-r11snorm', 0x9271, 4, 4, 8, ETC),
  compressed('eac-rg11unorm', 0x9272, 4, 4, 16, ETC),
  compressed('eac-rg11snorm', 0x9273, 4, 4, 16, ETC),
  ...ASTC_BLOCKS.flatMap(([w, h], i) => [
    compressed(`astc-${w}x${h}-unorm` as GPUTextureFormat, 0x93b0 + i, w, h, 16, ASTC),
    compressed(`astc-${w}x${h}-unorm-srgb` as GPUTextureFormat, 0x93d0 + i, w, h, 16, ASTC),
  ]),
];

const BY_FORMAT: ReadonlyMap<string, GLFormatInfo> = new Map(GL_FORMAT_TABLE.map((row) => [row.format, row]));

/**
 * The WebGL2 storage of a WebGPU format; `undefined` when WebGL2 has no equivalent.
 *
 * @example
 * getGLFormat('rgba8unorm') // { internalFormat: 0x8058 (RGBA8), pixelFormat: RGBA, pixelType: UNSIGNED_BYTE, ... }
 * getGLFormat('bgra8unorm') // undefined
 */
export function getGLFormat(format: string): GLFormatInfo | undefined {
  return BY_FORMAT.get(format);
}

/**
 * Whether GL can render to a colour format with the given enabled extensions.
 *
 * @example
 * isGLColorRenderable(getGLFormat('rgba16float')!, new Set(['EXT_color_buffer_float'])) // true
 */
export function isGLColorRenderable(info: GLFormatInfo, extensions: ReadonlySet<string>): boolean {
  if (info.renderable === 'core') return true;
  if (info.renderable === 'no') return false;
  return info.renderable.some((name) => extensions.has(name));
}
