import { WebGL2Backend, type WebGL2Objects } from './backends/webgl2/webgl2-backend.ts';
import { WebGPUBackend, type WebGPUObjects } from './backends/webgpu/webgpu-backend.ts';
import { type ManagerOptions, ResourceManager } from './manager/resource-manager.ts';

/** Options of {@link createResourceManager} for WebGPU. */
export interface WebGPUManagerOptions extends ManagerOptions {
  device: GPUDevice;
}

/** Options of {@link createResourceManager} for WebGL2. */
export interface WebGL2ManagerOptions extends ManagerOptions {
  gl: WebGL2RenderingContext;
}

/** A manager on the WebGPU backend: records hold `GPUTexture`, `GPUBuffer`, ... */
export type WebGPUResourceManager = ResourceManager<WebGPUObjects>;

/** A manager on the WebGL2 backend: records hold `WebGL2Texture`, `WebGL2Buffer`, ... (see `WebGL2Objects`). */
export type WebGL2ResourceManager = ResourceManager<WebGL2Objects>;

/**
 * Creates the manager that owns every resource of a device (WebGPU) or context (WebGL2). Both give the same
 * handles, records, ledger, events, lifetimes and scopes; only the GPU objects in the records differ.
 *
 * @example
 * const device = await (await navigator.gpu.requestAdapter())!.requestDevice();
 * const manager = createResourceManager({ device, capacity: 10_000, debug: import.meta.env.DEV });
 * @example
 * const gl = canvas.getContext('webgl2')!;
 * const manager = createResourceManager({ gl });
 * const rt = manager.createRenderTarget({ color: [manager.createTexture({ size: [w, h], format: 'rgba8unorm',
 *   usage: TextureUsage.RENDER_ATTACHMENT })] });
 * const pass = manager.renderPass(rt); pass.begin(); draw(); pass.end();
 */
// The WebGPU overload is declared last: `ReturnType<typeof createResourceManager>` reads the last overload, and
// code written before WebGL2 existed relies on it being the WebGPU manager.
export function createResourceManager(options: WebGL2ManagerOptions): WebGL2ResourceManager;
export function createResourceManager(options: WebGPUManagerOptions): WebGPUResourceManager;
export function createResourceManager(
  options: WebGPUManagerOptions | WebGL2ManagerOptions,
): WebGPUResourceManager | WebGL2ResourceManager {
  if ('gl' in options) {
    const { gl, ...rest } = options;
    return new ResourceManager(new WebGL2Backend(gl), rest);
  }
  const { device, ...rest } = options;
  return new ResourceManager(new WebGPUBackend(device), rest);
}
