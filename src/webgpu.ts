/// <reference types="@webgpu/types" preserve="true" />
/// <reference lib="esnext.disposable" preserve="true" />
/**
 * `gpu-handles/webgpu`: the manager on WebGPU alone. An app that takes `createResourceManager` from here (and
 * the rest of the user API from `gpu-handles`) bundles no WebGL2 code and no twgl.js.
 */
import { WebGPUBackend, type WebGPUObjects } from './backends/webgpu/webgpu-backend.ts';
import { type ManagerOptions, ResourceManager } from './manager/resource-manager.ts';

export {
  WebGPUBackend,
  type WebGPUObjects,
  type WebGPURenderTarget,
  webgpuCapabilities,
} from './backends/webgpu/webgpu-backend.ts';

/** Options of the WebGPU `createResourceManager`. */
export interface WebGPUManagerOptions extends ManagerOptions {
  device: GPUDevice;
}

/** A manager on the WebGPU backend: records hold `GPUTexture`, `GPUBuffer`, ... */
export type WebGPUResourceManager = ResourceManager<WebGPUObjects>;

/**
 * Creates the manager that owns every resource of a WebGPU device.
 *
 * @example
 * import { createResourceManager } from 'gpu-handles/webgpu';
 * const device = await (await navigator.gpu.requestAdapter())!.requestDevice();
 * const gpu = createResourceManager({ device, capacity: 10_000, debug: import.meta.env.DEV });
 */
export function createResourceManager(options: WebGPUManagerOptions): WebGPUResourceManager {
  const { device, ...rest } = options;
  return new ResourceManager(new WebGPUBackend(device), rest);
}
