import type { NormalizedSamplerDescriptor } from '../../resources/sampler.ts';

/**
 * Creates a `GPUSampler` from a validated descriptor (every field explicit; `compare` only when given).
 *
 * @example
 * const sampler = createWebGPUSampler(device, normalizeSamplerDescriptor({ magFilter: 'linear' }));
 */
export function createWebGPUSampler(device: GPUDevice, desc: NormalizedSamplerDescriptor): GPUSampler {
  return device.createSampler({
    label: desc.label,
    addressModeU: desc.addressModeU,
    addressModeV: desc.addressModeV,
    addressModeW: desc.addressModeW,
    magFilter: desc.magFilter,
    minFilter: desc.minFilter,
    mipmapFilter: desc.mipmapFilter,
    lodMinClamp: desc.lodMinClamp,
    lodMaxClamp: desc.lodMaxClamp,
    maxAnisotropy: desc.maxAnisotropy,
    ...(desc.compare !== undefined && { compare: desc.compare }),
  });
}
