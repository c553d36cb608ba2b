import type { NormalizedQuerySetDescriptor } from '../../resources/query-set.ts';

/**
 * Creates a `GPUQuerySet` (occlusion or timestamp).
 *
 * @example
 * const queries = createWebGPUQuerySet(device, { label: 'occlusion', type: 'occlusion', count: 64 });
 */
export function createWebGPUQuerySet(device: GPUDevice, desc: NormalizedQuerySetDescriptor): GPUQuerySet {
  return device.createQuerySet({ label: desc.label, type: desc.type, count: desc.count });
}
