import type {
  NormalizedBindGroupLayoutDescriptor,
  NormalizedLayoutEntry,
} from '../../resources/bind-group-layout.ts';
import type { NormalizedPipelineLayoutDescriptor } from '../../resources/pipeline-layout.ts';

/**
 * Creates a `GPUBindGroupLayout` from validated entries.
 *
 * @example
 * const layout = createWebGPUBindGroupLayout(device, normalizeBindGroupLayoutDescriptor(desc, caps));
 */
export function createWebGPUBindGroupLayout(
  device: GPUDevice,
  desc: NormalizedBindGroupLayoutDescriptor,
): GPUBindGroupLayout {
  return device.createBindGroupLayout({ label: desc.label, entries: desc.entries.map(toGPUEntry) });
}

/**
 * Creates a `GPUPipelineLayout` over the bind group layouts' GPU objects.
 *
 * @example
 * const layout = createWebGPUPipelineLayout(device, desc, [frameLayout, materialLayout]);
 */
export function createWebGPUPipelineLayout(
  device: GPUDevice,
  desc: NormalizedPipelineLayoutDescriptor,
  layouts: readonly GPUBindGroupLayout[],
): GPUPipelineLayout {
  return device.createPipelineLayout({ label: desc.label, bindGroupLayouts: [...layouts] });
}

function toGPUEntry(entry: NormalizedLayoutEntry): GPUBindGroupLayoutEntry {
  const { binding, visibility } = entry;
  switch (entry.type) {
    case 'buffer':
      return {
        binding,
        visibility,
        buffer: {
          type: entry.bufferType,
          hasDynamicOffset: entry.hasDynamicOffset,
          minBindingSize: entry.minBindingSize,
        },
      };
    case 'sampler':
      return { binding, visibility, sampler: { type: entry.samplerType } };
    case 'texture':
      return {
        binding,
        visibility,
        texture: {
          sampleType: entry.sampleType,
          viewDimension: entry.viewDimension,
          multisampled: entry.multisampled,
        },
      };
    case 'storageTexture':
      return {
        binding,
        visibility,
        storageTexture: { access: entry.access, format: entry.format, viewDimension: entry.viewDimension },
      };
  }
}
