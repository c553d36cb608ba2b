import type { BindGroupResource } from '../../core/backend.ts';
import type { NormalizedBindGroupDescriptor } from '../../resources/bind-group.ts';
import type { WebGPUObjects } from './webgpu-backend.ts';
import { defaultWebGPUView } from './webgpu-texture-view.ts';

/**
 * Creates a `GPUBindGroup`; a texture entry binds the texture's cached default view.
 *
 * @example
 * const group = createWebGPUBindGroup(device, desc, layout, [{ binding: 0, buffer, offset: 0, size: 64 }]);
 */
export function createWebGPUBindGroup(
  device: GPUDevice,
  desc: NormalizedBindGroupDescriptor,
  layout: GPUBindGroupLayout,
  resources: readonly BindGroupResource<WebGPUObjects>[],
): GPUBindGroup {
  return device.createBindGroup({
    label: desc.label,
    layout,
    entries: resources.map((r): GPUBindGroupEntry => {
      if ('buffer' in r)
        return { binding: r.binding, resource: { buffer: r.buffer, offset: r.offset, size: r.size } };
      if ('sampler' in r) return { binding: r.binding, resource: r.sampler };
      if ('view' in r) return { binding: r.binding, resource: r.view };
      return { binding: r.binding, resource: defaultWebGPUView(r.texture) };
    }),
  });
}
