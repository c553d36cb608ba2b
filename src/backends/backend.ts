import type { ShaderMessage } from '../errors.ts';
import type { NormalizedBufferDescriptor } from '../resources/buffer.ts';
import type { NormalizedRenderTargetDescriptor } from '../resources/render-target.ts';
import type { NormalizedShaderDescriptor } from '../resources/shader.ts';
import type { NormalizedTextureDescriptor } from '../resources/texture.ts';
import type { Capabilities } from './capabilities.ts';

/**
 * The object types of one backend. The core (table, ledger, manager) only sees these as type parameters,
 * which is what lets WebGL2 slot in beside WebGPU without touching it.
 */
export interface BackendObjects {
  texture: unknown;
  buffer: unknown;
  shader: unknown;
  renderTarget: unknown;
  /** What `manager.submit` accepts (`GPUCommandBuffer` on WebGPU). */
  commandBuffer: unknown;
  /** What `manager.renderPass(rt)` returns (`GPURenderPassDescriptor` on WebGPU). */
  renderPass: unknown;
}

/** Per-pass choices when building a render pass from a render target. */
export interface RenderPassOptions {
  /** Clear the attachments (default) or load their contents. */
  load?: 'clear' | 'load';
  /** Store the results (default) or discard them. */
  store?: 'store' | 'discard';
}

/** The backend objects of a render target's attachments, in descriptor order. */
export interface RenderTargetAttachments<B extends BackendObjects> {
  readonly color: readonly { texture: B['texture']; resolveTarget: B['texture'] | undefined }[];
  readonly depthStencil: B['texture'] | undefined;
}

/** The result of compiling a shader: the module and every compiler message (errors make it unusable). */
export interface CompiledShader<B extends BackendObjects> {
  readonly shader: B['shader'] | undefined;
  readonly messages: readonly ShaderMessage[];
}

/**
 * The only place that calls a GPU API. Descriptors arrive validated and normalized; a backend never
 * validates what the core already did, and never touches the table or the ledger.
 */
export interface Backend<B extends BackendObjects> {
  readonly capabilities: Capabilities;
  createTexture(desc: NormalizedTextureDescriptor): B['texture'];
  createBuffer(desc: NormalizedBufferDescriptor): B['buffer'];
  /** Compiles; resolves with the messages instead of throwing, the manager decides what is an error. */
  compileShader(desc: NormalizedShaderDescriptor): Promise<CompiledShader<B>>;
  createRenderTarget(desc: NormalizedRenderTargetDescriptor, attachments: RenderTargetAttachments<B>): B['renderTarget'];
  /** Really frees the GPU object (`GPUTexture.destroy()`, `gl.deleteTexture`, ...). Called exactly once. */
  destroyTexture(texture: B['texture']): void;
  destroyBuffer(buffer: B['buffer']): void;
  destroyShader(shader: B['shader']): void;
  destroyRenderTarget(renderTarget: B['renderTarget']): void;
  /** Builds what a render pass needs to draw into `renderTarget`. */
  renderPass(
    renderTarget: B['renderTarget'],
    desc: NormalizedRenderTargetDescriptor,
    options: RenderPassOptions,
  ): B['renderPass'];
  /** Exact bytes of a texture as this backend allocates it (the ledger's source of truth). */
  textureByteSize(desc: NormalizedTextureDescriptor): number;
  /** Submits recorded work (`queue.submit`). */
  submit(commandBuffers: readonly B['commandBuffer'][]): void;
  /** Resolves when all work submitted so far has completed on the GPU. */
  onSubmittedWorkDone(): Promise<void>;
  /**
   * Debug mode: runs `create` inside the backend's error capture (WebGPU error scopes) and resolves with
   * the first GPU error message, or undefined.
   */
  captureErrors<T>(create: () => T): { value: T; error: Promise<string | undefined> };
  /** Subscribes to device/context loss. Returns the unsubscribe function. */
  onLost(listener: (reason: string) => void): () => void;
}
