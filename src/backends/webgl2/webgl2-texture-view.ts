/**
 * Texture views on WebGL2. GL has no view objects: a view is its texture plus the mip range
 * (`TEXTURE_BASE_LEVEL` / `TEXTURE_MAX_LEVEL`, applied when a bind group binds it) and a layer (for an
 * attachment). What GL cannot express is refused with a `ValidationError` that says so: another format than the
 * texture's (no texture views in GLES 3.0), the stencil aspect (no stencil texturing), cube views (textures are
 * 2D arrays, not cube maps), a 2D array seen as a 2D array of fewer layers, and views of renderbuffers
 * (multisampled and stencil-only textures) other than the default one.
 */
import { ValidationError } from '../../errors.ts';
import type { NormalizedTextureViewDescriptor } from '../../resources/texture-view.ts';
import type { WebGL2Texture } from './webgl2-textures.ts';

/** A view on WebGL2: the texture and the range the GPU will see. */
export interface WebGL2TextureView {
  readonly texture: WebGL2Texture;
  readonly baseMipLevel: number;
  readonly mipLevelCount: number;
  /** The first layer: the layer attached for a '2d' view of a 2D array. */
  readonly baseArrayLayer: number;
  readonly arrayLayerCount: number;
  readonly dimension: GPUTextureViewDimension;
}

/**
 * Builds a GL view, or throws `ValidationError` naming what WebGL2 cannot do.
 *
 * @example
 * createGLTextureView(desc, texture) // { texture, baseMipLevel: 1, mipLevelCount: 1, ... }
 */
export function createGLTextureView(
  desc: NormalizedTextureViewDescriptor,
  texture: WebGL2Texture,
): WebGL2TextureView {
  const cannot = (field: string, value: unknown, what: string): never => {
    throw new ValidationError(desc.label, field, value, `WebGL2 cannot ${what}`);
  };
  if (desc.format !== texture.format && desc.aspect === 'all') {
    cannot(
      'format',
      desc.format,
      `view a '${texture.format}' texture as another format (GLES 3.0 has no texture views)`,
    );
  }
  if (desc.aspect === 'stencil-only') cannot('aspect', desc.aspect, 'sample the stencil aspect of a texture');
  if (desc.dimension === 'cube' || desc.dimension === 'cube-array') {
    cannot(
      'dimension',
      desc.dimension,
      'view a 2D array texture as a cube map (its textures are TEXTURE_2D_ARRAY)',
    );
  }
  const layers = texture.depthOrArrayLayers;
  if (desc.dimension === '2d-array' && desc.arrayLayerCount !== layers) {
    cannot(
      'arrayLayerCount',
      desc.arrayLayerCount,
      `view part of the layers of a 2D array as a 2D array (all ${layers} layers only)`,
    );
  }
  if (texture.kind === 'renderbuffer') {
    const whole = desc.baseMipLevel === 0 && desc.baseArrayLayer === 0;
    if (!whole)
      cannot(
        'baseMipLevel',
        desc.baseMipLevel,
        'view part of a renderbuffer (multisampled or stencil-only texture)',
      );
  }
  return {
    texture,
    baseMipLevel: desc.baseMipLevel,
    mipLevelCount: desc.mipLevelCount,
    baseArrayLayer: desc.baseArrayLayer,
    arrayLayerCount: desc.arrayLayerCount,
    dimension: desc.dimension,
  };
}
