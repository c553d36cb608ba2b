/**
 * Samplers on WebGL2: GL sampler objects (`gl.createSampler`), so the same sampler state applies to any
 * texture unit it is bound to, as on WebGPU. Anisotropy needs EXT_texture_filter_anisotropic; without it the
 * request is dropped (GL then filters without it, which WebGPU also allows: maxAnisotropy is a maximum).
 */
import type { NormalizedSamplerDescriptor } from '../../resources/sampler.ts';

/** A GL sampler object and the descriptor it was made from. */
export interface WebGL2Sampler {
  readonly sampler: WebGLSampler;
  readonly compare: boolean;
}

const TEXTURE_MAX_ANISOTROPY_EXT = 0x84fe;
const MAX_TEXTURE_MAX_ANISOTROPY_EXT = 0x84ff;

/**
 * Creates a GL sampler object with the descriptor's state.
 *
 * @example
 * const sampler = createGLSampler(gl, normalizeSamplerDescriptor({ magFilter: 'linear' }), false);
 */
export function createGLSampler(
  gl: WebGL2RenderingContext,
  desc: NormalizedSamplerDescriptor,
  anisotropic: boolean,
): WebGL2Sampler {
  const sampler = gl.createSampler();
  const wrap = (mode: GPUAddressMode) =>
    mode === 'repeat' ? gl.REPEAT : mode === 'mirror-repeat' ? gl.MIRRORED_REPEAT : gl.CLAMP_TO_EDGE;
  gl.samplerParameteri(sampler, gl.TEXTURE_WRAP_S, wrap(desc.addressModeU));
  gl.samplerParameteri(sampler, gl.TEXTURE_WRAP_T, wrap(desc.addressModeV));
  gl.samplerParameteri(sampler, gl.TEXTURE_WRAP_R, wrap(desc.addressModeW));
  gl.samplerParameteri(sampler, gl.TEXTURE_MAG_FILTER, desc.magFilter === 'linear' ? gl.LINEAR : gl.NEAREST);
  gl.samplerParameteri(sampler, gl.TEXTURE_MIN_FILTER, minFilter(gl, desc));
  gl.samplerParameterf(sampler, gl.TEXTURE_MIN_LOD, desc.lodMinClamp);
  gl.samplerParameterf(sampler, gl.TEXTURE_MAX_LOD, desc.lodMaxClamp);
  if (desc.compare !== undefined) {
    gl.samplerParameteri(sampler, gl.TEXTURE_COMPARE_MODE, gl.COMPARE_REF_TO_TEXTURE);
    gl.samplerParameteri(sampler, gl.TEXTURE_COMPARE_FUNC, compareFunction(gl, desc.compare));
  }
  if (anisotropic && desc.maxAnisotropy > 1) {
    // Like WebGPU, a request above what the GPU does is clamped to its largest (16 on most).
    const largest = Number(gl.getParameter(MAX_TEXTURE_MAX_ANISOTROPY_EXT)) || 1;
    gl.samplerParameterf(sampler, TEXTURE_MAX_ANISOTROPY_EXT, Math.min(desc.maxAnisotropy, largest));
  }
  return { sampler, compare: desc.compare !== undefined };
}

function minFilter(gl: WebGL2RenderingContext, desc: NormalizedSamplerDescriptor): number {
  const linear = desc.minFilter === 'linear';
  if (desc.mipmapFilter === 'linear') return linear ? gl.LINEAR_MIPMAP_LINEAR : gl.NEAREST_MIPMAP_LINEAR;
  return linear ? gl.LINEAR_MIPMAP_NEAREST : gl.NEAREST_MIPMAP_NEAREST;
}

/**
 * The GL comparison function of a WebGPU compare function.
 *
 * @example
 * compareFunction(gl, 'less-equal') // gl.LEQUAL
 */
export function compareFunction(gl: WebGL2RenderingContext, compare: GPUCompareFunction): number {
  switch (compare) {
    case 'never':
      return gl.NEVER;
    case 'less':
      return gl.LESS;
    case 'equal':
      return gl.EQUAL;
    case 'less-equal':
      return gl.LEQUAL;
    case 'greater':
      return gl.GREATER;
    case 'not-equal':
      return gl.NOTEQUAL;
    case 'greater-equal':
      return gl.GEQUAL;
    case 'always':
      return gl.ALWAYS;
  }
}
