import { WebGPUBackend, type WebGPUObjects } from './backends/webgpu/webgpu-backend.ts';
import { type ManagerOptions, ResourceManager } from './manager/resource-manager.ts';

/** Options of {@link createResourceManager} for WebGPU. */
export interface WebGPUManagerOptions extends ManagerOptions {
  device: GPUDevice;
}

/** A manager on the WebGPU backend: records hold `GPUTexture`, `GPUBuffer`, ... */
export type WebGPUResourceManager = ResourceManager<WebGPUObjects>;

/**
 * Creates the manager that owns every resource of a device.
 *
 * @example
 * const device = await (await navigator.gpu.requestAdapter())!.requestDevice();
 * const manager = createResourceManager({ device, capacity: 10_000, debug: import.meta.env.DEV });
 */
export function createResourceManager(options: WebGPUManagerOptions): WebGPUResourceManager {
  const { device, ...rest } = options;
  return new ResourceManager(new WebGPUBackend(device), rest);
}
