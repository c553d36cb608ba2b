/// <reference types="@webgpu/types" preserve="true" />
/// <reference lib="esnext.disposable" preserve="true" />
/**
 * `gpu-handles/webgpu`: the manager on WebGPU alone. An app that takes `createResourceManager` from here (and
 * the rest of the user API from `gpu-handles`) bundles no WebGL2 code and no twgl.js.
 */
import { WebGPUBackend, type WebGPUObjects } from './backends/webgpu/webgpu-backend.ts';
import { ValidationError } from './errors.ts';
import { type ManagerOptions, ResourceManager } from './manager/resource-manager.ts';
import type { ManagerConstruction } from './manager/types.ts';
import { readOption, readOptionBag } from './monitor/read-options.ts';

export {
  WebGPUBackend,
  type WebGPUObjects,
  type WebGPURenderTarget,
  webgpuCapabilities,
} from './backends/webgpu/webgpu-backend.ts';

/** Options of the WebGPU `createResourceManager`. */
export interface WebGPUManagerOptions extends ManagerOptions {
  device: GPUDevice;
  /**
   * After a device loss, gives the device to restore onto (request a new adapter, then a new device: a used
   * adapter cannot give a second one). With it the manager restores by itself; without it call
   * `manager.restore(new WebGPUBackend(device))`.
   */
  restore?: () => Promise<GPUDevice>;
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
  const bag = readOptionBag('resource manager', 'options', options, true, 'options.');
  const device = readOption(bag, 'device');
  if (!isDevice(device)) {
    throw new ValidationError('resource manager', 'options.device', device, 'must be a GPUDevice');
  }
  const restore = readOption(bag, 'restore');
  const rest = { ...(options as ManagerOptions) } as ManagerConstruction & { device?: unknown };
  delete rest.device;
  if (typeof restore === 'function') {
    rest.restore = async () => {
      const next: unknown = await (restore as () => Promise<unknown>)();
      if (!isDevice(next)) throw new ValidationError('restore', 'device', next, 'must be a GPUDevice');
      return new WebGPUBackend(next);
    };
  }
  return new ResourceManager(new WebGPUBackend(device), rest);
}

function isDevice(value: unknown): value is GPUDevice {
  if (typeof value !== 'object' || value === null) return false;
  try {
    const candidate = value as Partial<GPUDevice>;
    return typeof candidate.createTexture === 'function' && typeof candidate.queue === 'object';
  } catch {
    return false;
  }
}
