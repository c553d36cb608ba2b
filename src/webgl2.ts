/// <reference types="@webgpu/types" preserve="true" />
/// <reference lib="esnext.disposable" preserve="true" />
/**
 * `gpu-handles/webgl2`: the manager on WebGL2 alone (through twgl.js), with the object types its records hold
 * and the WebGL2 byte rule its ledger counts by.
 */
import { WebGL2Backend, type WebGL2Objects } from './backends/webgl2/webgl2-backend.ts';
import { ValidationError } from './errors.ts';
import { type ManagerOptions, ResourceManager } from './manager/resource-manager.ts';
import { readOption, readOptionBag } from './monitor/read-options.ts';

export { glTextureByteSize } from './backends/webgl2/gl-texture-size.ts';
export {
  WebGL2Backend,
  type WebGL2Commands,
  type WebGL2Objects,
} from './backends/webgl2/webgl2-backend.ts';
export { applyGLBindGroup } from './backends/webgl2/webgl2-bind-group.ts';
export type { WebGL2Buffer } from './backends/webgl2/webgl2-buffers.ts';
export { type WebGL2Info, webgl2Capabilities } from './backends/webgl2/webgl2-capabilities.ts';
export { applyGLPipeline } from './backends/webgl2/webgl2-pipeline.ts';
export type { WebGL2RenderPass } from './backends/webgl2/webgl2-render-pass.ts';
export type { WebGL2RenderTarget } from './backends/webgl2/webgl2-render-targets.ts';
export type { WebGL2Program } from './backends/webgl2/webgl2-shaders.ts';
export type {
  WebGL2RenderbufferStorage,
  WebGL2Texture,
  WebGL2TextureStorage,
} from './backends/webgl2/webgl2-textures.ts';

/** Options of the WebGL2 `createResourceManager`. */
export interface WebGL2ManagerOptions extends ManagerOptions {
  gl: WebGL2RenderingContext;
}

/** A manager on the WebGL2 backend: records hold `WebGL2Texture`, `WebGL2Buffer`, ... (see `WebGL2Objects`). */
export type WebGL2ResourceManager = ResourceManager<WebGL2Objects>;

/**
 * Creates the manager that owns every resource of a WebGL2 context: the same handles, records, ledger,
 * events, lifetimes and scopes as on WebGPU; only the GPU objects in the records differ.
 *
 * @example
 * import { createResourceManager } from 'gpu-handles/webgl2';
 * const gl = canvas.getContext('webgl2')!;
 * const gpu = createResourceManager({ gl });
 * const rt = gpu.createRenderTarget({ color: [gpu.createTexture({ size: [w, h], format: 'rgba8unorm',
 *   usage: TextureUsage.RENDER_ATTACHMENT })] });
 * const pass = gpu.renderPass(rt); pass.begin(); draw(); pass.end();
 */
export function createResourceManager(options: WebGL2ManagerOptions): WebGL2ResourceManager {
  const bag = readOptionBag('resource manager', 'options', options, true, 'options.');
  const gl = readOption(bag, 'gl');
  if (typeof WebGL2RenderingContext === 'undefined' || !(gl instanceof WebGL2RenderingContext)) {
    throw new ValidationError('resource manager', 'options.gl', gl, 'must be a WebGL2RenderingContext');
  }
  const rest = { ...(options as ManagerOptions) } as ManagerOptions & { gl?: unknown };
  delete rest.gl;
  return new ResourceManager(new WebGL2Backend(gl), rest);
}
