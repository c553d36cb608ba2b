import {
  createResourceManager as createWebGL2Manager,
  type WebGL2ManagerOptions,
  type WebGL2ResourceManager,
} from './webgl2.ts';
import {
  createResourceManager as createWebGPUManager,
  type WebGPUManagerOptions,
  type WebGPUResourceManager,
} from './webgpu.ts';

/**
 * Creates the manager that owns every resource of a device (WebGPU) or context (WebGL2). Both give the same
 * handles, records, ledger, events, lifetimes and scopes; only the GPU objects in the records differ.
 *
 * This one entry serves both backends, so a bundle that calls it carries both (twgl.js included). An app on
 * one backend imports `createResourceManager` from `gpu-handles/webgpu` or `gpu-handles/webgl2` instead.
 *
 * @example
 * const device = await (await navigator.gpu.requestAdapter())!.requestDevice();
 * const gpu = createResourceManager({ device, capacity: 10_000, debug: import.meta.env.DEV });
 * @example
 * const gl = canvas.getContext('webgl2')!;
 * const gpu = createResourceManager({ gl });
 */
// The WebGPU overload is declared last: `ReturnType<typeof createResourceManager>` reads the last overload,
// and the WebGPU manager is the one that type should name.
export function createResourceManager(options: WebGL2ManagerOptions): WebGL2ResourceManager;
export function createResourceManager(options: WebGPUManagerOptions): WebGPUResourceManager;
export function createResourceManager(
  options: WebGPUManagerOptions | WebGL2ManagerOptions,
): WebGPUResourceManager | WebGL2ResourceManager {
  const forGl = typeof options === 'object' && options !== null && 'gl' in options;
  return forGl ? createWebGL2Manager(options) : createWebGPUManager(options);
}

export type { WebGL2ManagerOptions, WebGL2ResourceManager } from './webgl2.ts';
export type { WebGPUManagerOptions, WebGPUResourceManager } from './webgpu.ts';
