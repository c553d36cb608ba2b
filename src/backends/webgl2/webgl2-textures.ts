/**
 * Textures on WebGL2: immutable storage (`texStorage2D/3D`) for sampled textures (2D, 2D arrays, 3D, mips;
 * 1D as 2D of height 1), renderbuffers for what GL can only hold that way (multisampled and stencil-only).
 * Plain GL: twgl's `createTexture` allocates mutable, single-level storage with `texImage2D`, which is not
 * what a byte-exact ledger of immutable textures needs.
 */
import { getFormatInfo, isFilterable } from '../../resources/formats.ts';
import type { NormalizedTextureDescriptor } from '../../resources/texture.ts';
import type { GLFormatInfo } from './gl-formats.ts';
import { withRenderbuffer, withTexture } from './gl-state.ts';

interface WebGL2TextureCommon {
  /** The WebGPU format name the texture was created with. */
  readonly format: GPUTextureFormat;
  /** GL sized internal format. */
  readonly internalFormat: number;
  /** Pixel transfer format and type for `texSubImage*` / `readPixels` (0 for compressed and stencil8). */
  readonly pixelFormat: number;
  readonly pixelType: number;
  /** Samples per texel: 1, or 4 for a multisampled renderbuffer. */
  readonly samples: number;
  /** Level-0 extent (a 1D texture has height 1). */
  readonly width: number;
  readonly height: number;
  readonly depthOrArrayLayers: number;
}

/** A texture with immutable storage: `gl.TEXTURE_2D`, `gl.TEXTURE_2D_ARRAY` or `gl.TEXTURE_3D`. */
export interface WebGL2TextureStorage extends WebGL2TextureCommon {
  readonly kind: 'texture';
  readonly texture: WebGLTexture;
  readonly target: number;
}

/** A texture GL can only hold as a renderbuffer: multisampled, or stencil8. Attachable, not sampleable. */
export interface WebGL2RenderbufferStorage extends WebGL2TextureCommon {
  readonly kind: 'renderbuffer';
  readonly renderbuffer: WebGLRenderbuffer;
}

/** What a texture handle's record holds on WebGL2. */
export type WebGL2Texture = WebGL2TextureStorage | WebGL2RenderbufferStorage;

/**
 * The GL target for a descriptor: 3D, 2D array (2D with more than one layer), or 2D (also for 1D).
 *
 * @example
 * textureTarget(gl, { ...desc, dimension: '2d', depthOrArrayLayers: 6 }) // gl.TEXTURE_2D_ARRAY
 */
export function textureTarget(gl: WebGL2RenderingContext, desc: NormalizedTextureDescriptor): number {
  if (desc.dimension === '3d') return gl.TEXTURE_3D;
  return desc.depthOrArrayLayers > 1 ? gl.TEXTURE_2D_ARRAY : gl.TEXTURE_2D;
}

/**
 * Allocates immutable texture storage. Formats a filtering sampler cannot read (integer, depth, 32-bit float
 * without OES_texture_float_linear) get NEAREST filtering, since GL calls a texture whose filter it cannot
 * apply incomplete and samples black.
 *
 * @example
 * const tex = createTextureStorage(gl, desc, getGLFormat(desc.format)!, capabilities.features);
 */
export function createTextureStorage(
  gl: WebGL2RenderingContext,
  desc: NormalizedTextureDescriptor,
  info: GLFormatInfo,
  features: ReadonlySet<string>,
): WebGL2TextureStorage {
  const target = textureTarget(gl, desc);
  const texture = gl.createTexture();
  withTexture(gl, target, texture, () => {
    if (target === gl.TEXTURE_2D) {
      gl.texStorage2D(target, desc.mipLevelCount, info.internalFormat, desc.width, desc.height);
    } else {
      const { width, height, depthOrArrayLayers: depth } = desc;
      gl.texStorage3D(target, desc.mipLevelCount, info.internalFormat, width, height, depth);
    }
    const neutral = getFormatInfo(desc.format);
    if (neutral && !isFilterable(neutral, features)) {
      gl.texParameteri(target, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
      gl.texParameteri(target, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    }
  });
  return {
    kind: 'texture',
    texture,
    target,
    format: desc.format,
    internalFormat: info.internalFormat,
    pixelFormat: info.pixelFormat,
    pixelType: info.pixelType,
    samples: 1,
    width: desc.width,
    height: desc.height,
    depthOrArrayLayers: desc.depthOrArrayLayers,
  };
}

/**
 * Allocates a renderbuffer for a multisampled or stencil-only texture (`renderbufferStorageMultisample` with
 * exactly `sampleCount` samples, or `renderbufferStorage`).
 *
 * @example
 * const msaa = createRenderbufferStorage(gl, { ...desc, sampleCount: 4 }, getGLFormat('rgba8unorm')!);
 */
export function createRenderbufferStorage(
  gl: WebGL2RenderingContext,
  desc: NormalizedTextureDescriptor,
  info: GLFormatInfo,
): WebGL2RenderbufferStorage {
  const renderbuffer = gl.createRenderbuffer();
  withRenderbuffer(gl, renderbuffer, () => {
    if (desc.sampleCount > 1) {
      gl.renderbufferStorageMultisample(
        gl.RENDERBUFFER,
        desc.sampleCount,
        info.internalFormat,
        desc.width,
        desc.height,
      );
    } else {
      gl.renderbufferStorage(gl.RENDERBUFFER, info.internalFormat, desc.width, desc.height);
    }
  });
  return {
    kind: 'renderbuffer',
    renderbuffer,
    format: desc.format,
    internalFormat: info.internalFormat,
    pixelFormat: info.pixelFormat,
    pixelType: info.pixelType,
    samples: desc.sampleCount,
    width: desc.width,
    height: desc.height,
    depthOrArrayLayers: 1,
  };
}

/**
 * Deletes the GL object of a texture (`deleteTexture` or `deleteRenderbuffer`).
 *
 * @example
 * deleteTextureStorage(gl, record.gpu);
 */
export function deleteTextureStorage(gl: WebGL2RenderingContext, texture: WebGL2Texture): void {
  if (texture.kind === 'texture') gl.deleteTexture(texture.texture);
  else gl.deleteRenderbuffer(texture.renderbuffer);
}
