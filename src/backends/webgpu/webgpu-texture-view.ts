import type { NormalizedTextureViewDescriptor } from '../../resources/texture-view.ts';

/**
 * Creates a `GPUTextureView` with every field resolved (what validation computed is what the GPU gets).
 *
 * @example
 * const view = createWebGPUTextureView(texture, normalized);
 */
export function createWebGPUTextureView(
  texture: GPUTexture,
  desc: NormalizedTextureViewDescriptor,
): GPUTextureView {
  return texture.createView({
    label: desc.label,
    format: desc.format,
    dimension: desc.dimension,
    aspect: desc.aspect,
    baseMipLevel: desc.baseMipLevel,
    mipLevelCount: desc.mipLevelCount,
    baseArrayLayer: desc.baseArrayLayer,
    arrayLayerCount: desc.arrayLayerCount,
    usage: desc.usage,
  });
}

const defaultViews = new WeakMap<GPUTexture, GPUTextureView>();

/**
 * The default view of a texture, made once per texture and kept as long as the texture object is (a bind
 * group entry that names a texture binds this view).
 *
 * @example
 * defaultWebGPUView(texture) === defaultWebGPUView(texture) // true
 */
export function defaultWebGPUView(texture: GPUTexture): GPUTextureView {
  let view = defaultViews.get(texture);
  if (!view) {
    view = texture.createView({ label: `${texture.label} (default view)` });
    defaultViews.set(texture, view);
  }
  return view;
}
