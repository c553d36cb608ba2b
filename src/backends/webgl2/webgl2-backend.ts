/**
 * The WebGL2 backend: the only code in gpu-handles that calls a `WebGL2RenderingContext`. Each concern lives
 * in its own file (formats, capabilities, rules, textures, buffers, shaders, render targets, render pass,
 * fences); this class ties them to the `Backend` interface.
 */
import { glEnumToString } from 'twgl.js';
import type { AtlasRegionObject } from '../../atlas/region-kind.ts';
import type {
  Backend,
  BackendDestroyers,
  BindGroupResource,
  CompiledShader,
  RenderPassOptions,
  RenderTargetAttachments,
  StagingHost,
} from '../../core/backend.ts';
import type { Capabilities } from '../../core/capabilities.ts';
import { DeviceLostError, ValidationError } from '../../errors.ts';
import type { NormalizedBindGroupDescriptor } from '../../resources/bind-group.ts';
import type { NormalizedBindGroupLayoutDescriptor } from '../../resources/bind-group-layout.ts';
import type { NormalizedBufferDescriptor } from '../../resources/buffer.ts';
import type {
  NormalizedComputePipelineDescriptor,
  NormalizedRenderPipelineDescriptor,
} from '../../resources/pipeline.ts';
import type { NormalizedPipelineLayoutDescriptor } from '../../resources/pipeline-layout.ts';
import type { NormalizedQuerySetDescriptor } from '../../resources/query-set.ts';
import type { NormalizedRenderTargetDescriptor } from '../../resources/render-target.ts';
import type { NormalizedSamplerDescriptor } from '../../resources/sampler.ts';
import type { NormalizedShaderDescriptor } from '../../resources/shader.ts';
import type { NormalizedTextureDescriptor } from '../../resources/texture.ts';
import type { NormalizedTextureViewDescriptor } from '../../resources/texture-view.ts';
import type { NormalizedStagingOptions } from '../../staging/options.ts';
import { FencePoller } from './gl-fences.ts';
import { getGLFormat } from './gl-formats.ts';
import { glTextureByteSize } from './gl-texture-size.ts';
import { WebGL2Staging } from './staging/webgl2-staging.ts';
import {
  createGLBindGroup,
  createGLBindGroupLayout,
  createGLPipelineLayout,
  type WebGL2BindGroup,
  type WebGL2BindGroupLayout,
  type WebGL2PipelineLayout,
} from './webgl2-bind-group.ts';
import { createGLBuffer, type WebGL2Buffer } from './webgl2-buffers.ts';
import { webgl2Capabilities } from './webgl2-capabilities.ts';
import {
  createGLComputePipeline,
  createGLRenderPipeline,
  type WebGL2ComputePipeline,
  type WebGL2RenderPipeline,
} from './webgl2-pipeline.ts';
import { createGLQuerySet, deleteGLQuerySet, type WebGL2QuerySet } from './webgl2-query-set.ts';
import { createRenderPass, type WebGL2RenderPass } from './webgl2-render-pass.ts';
import {
  createRenderTargetFramebuffers,
  deleteRenderTargetFramebuffers,
  type WebGL2RenderTarget,
} from './webgl2-render-targets.ts';
import { checkWebGL2Buffer, checkWebGL2Texture, usesRenderbuffer } from './webgl2-rules.ts';
import { createGLSampler, type WebGL2Sampler } from './webgl2-sampler.ts';
import { compileProgram, deleteProgram, type WebGL2Program } from './webgl2-shaders.ts';
import { createGLTextureView, type WebGL2TextureView } from './webgl2-texture-view.ts';
import {
  createRenderbufferStorage,
  createTextureStorage,
  deleteTextureStorage,
  type WebGL2Texture,
} from './webgl2-textures.ts';

/**
 * A "command buffer" on WebGL2: a function that issues GL calls. GL executes calls as they are made, so
 * `manager.submit([draw])` runs each function in order and then fences the work; that fence is what lets
 * `manager.use(...)` + `destroy` wait for the GPU before deleting an object.
 */
export type WebGL2Commands = (gl: WebGL2RenderingContext) => void;

/** The object types of the WebGL2 backend. */
export interface WebGL2Objects {
  texture: WebGL2Texture;
  buffer: WebGL2Buffer;
  shader: WebGL2Program;
  renderTarget: WebGL2RenderTarget;
  sampler: WebGL2Sampler;
  textureView: WebGL2TextureView;
  bindGroupLayout: WebGL2BindGroupLayout;
  pipelineLayout: WebGL2PipelineLayout;
  bindGroup: WebGL2BindGroup;
  renderPipeline: WebGL2RenderPipeline;
  computePipeline: WebGL2ComputePipeline;
  querySet: WebGL2QuerySet;
  /** The atlas's record of a region: a host object, nothing on the GPU. */
  atlasRegion: AtlasRegionObject;
  commandBuffer: WebGL2Commands;
  renderPass: WebGL2RenderPass;
  /** GL has no command encoders: `manager.flush()` issues staged uploads at once (see `WebGL2Staging`). */
  encoder: never;
}

/**
 * The WebGL2 backend. Enables the extensions it reports as features (see `EXTENSION_FEATURES`) on the
 * context it is given. Creation restores the caller's texture, buffer, renderbuffer and framebuffer bindings.
 *
 * @example
 * const gl = canvas.getContext('webgl2')!;
 * const manager = new ResourceManager(new WebGL2Backend(gl)); // or createResourceManager({ gl })
 */
export class WebGL2Backend implements Backend<WebGL2Objects> {
  readonly capabilities: Capabilities;
  /** The extensions this backend enabled on the context. */
  readonly extensions: ReadonlySet<string>;
  private readonly maxRenderbufferSize: number;
  private readonly fences: FencePoller;
  private readonly parallelCompile: KHR_parallel_shader_compile | null;
  private readonly sampleCountCache = new Map<number, readonly number[]>();
  /** EXT_texture_filter_anisotropic is enabled: samplers may ask for anisotropy. */
  private readonly anisotropic: boolean;

  constructor(readonly gl: WebGL2RenderingContext) {
    if (gl.isContextLost()) throw new DeviceLostError('the WebGL2 context is already lost');
    const info = webgl2Capabilities(gl);
    this.capabilities = info.capabilities;
    this.extensions = info.extensions;
    this.maxRenderbufferSize = info.maxRenderbufferSize;
    this.parallelCompile = info.extensions.has('KHR_parallel_shader_compile')
      ? gl.getExtension('KHR_parallel_shader_compile')
      : null;
    this.fences = new FencePoller(gl);
    this.anisotropic = gl.getExtension('EXT_texture_filter_anisotropic') !== null;
  }

  createTexture(desc: NormalizedTextureDescriptor): WebGL2Texture {
    this.assertAlive('create a texture');
    const info = getGLFormat(desc.format);
    if (!info) throw new ValidationError(desc.label, 'format', desc.format, 'has no WebGL2 equivalent');
    checkWebGL2Texture(desc, info, {
      maxRenderbufferSize: this.maxRenderbufferSize,
      sampleCounts: (internalFormat) => this.sampleCounts(internalFormat),
    });
    return usesRenderbuffer(desc, info)
      ? createRenderbufferStorage(this.gl, desc, info)
      : createTextureStorage(this.gl, desc, info, this.capabilities.features);
  }

  createBuffer(desc: NormalizedBufferDescriptor): WebGL2Buffer {
    checkWebGL2Buffer(desc);
    this.assertAlive('create a buffer');
    return createGLBuffer(this.gl, desc);
  }

  async compileShader(desc: NormalizedShaderDescriptor): Promise<CompiledShader<WebGL2Objects>> {
    this.assertAlive('compile a shader');
    const { program, messages } = await compileProgram(this.gl, desc, this.parallelCompile);
    return { shader: program, messages };
  }

  createRenderTarget(
    desc: NormalizedRenderTargetDescriptor,
    attachments: RenderTargetAttachments<WebGL2Objects>,
  ): WebGL2RenderTarget {
    this.assertAlive('create a render target');
    return createRenderTargetFramebuffers(this.gl, desc, attachments);
  }

  createSampler(desc: NormalizedSamplerDescriptor): WebGL2Sampler {
    this.assertAlive('create a sampler');
    return createGLSampler(this.gl, desc, this.anisotropic);
  }

  createTextureView(desc: NormalizedTextureViewDescriptor, texture: WebGL2Texture): WebGL2TextureView {
    return createGLTextureView(desc, texture);
  }

  createBindGroupLayout(desc: NormalizedBindGroupLayoutDescriptor): WebGL2BindGroupLayout {
    return createGLBindGroupLayout(desc);
  }

  createPipelineLayout(
    _desc: NormalizedPipelineLayoutDescriptor,
    layouts: readonly WebGL2BindGroupLayout[],
  ): WebGL2PipelineLayout {
    return createGLPipelineLayout(layouts);
  }

  createBindGroup(
    desc: NormalizedBindGroupDescriptor,
    _layout: WebGL2BindGroupLayout,
    resources: readonly BindGroupResource<WebGL2Objects>[],
  ): WebGL2BindGroup {
    return createGLBindGroup(desc, resources);
  }

  createQuerySet(desc: NormalizedQuerySetDescriptor): WebGL2QuerySet {
    this.assertAlive('create a query set');
    return createGLQuerySet(this.gl, desc, this.extensions.has('EXT_disjoint_timer_query_webgl2'));
  }

  async createRenderPipeline(
    desc: NormalizedRenderPipelineDescriptor,
    objects: {
      layout: WebGL2PipelineLayout | 'auto';
      vertex: WebGL2Program;
      fragment: WebGL2Program | undefined;
    },
  ): Promise<WebGL2RenderPipeline> {
    this.assertAlive('create a render pipeline');
    return createGLRenderPipeline(this.gl, desc, objects.vertex, objects.layout);
  }

  async createComputePipeline(desc: NormalizedComputePipelineDescriptor): Promise<WebGL2ComputePipeline> {
    return createGLComputePipeline(desc);
  }

  /** GL does not reflect bind groups: the implied layout is recorded with no entries. */
  implicitBindGroupLayout(_pipeline: unknown, _group: number, label: string): WebGL2BindGroupLayout {
    return createGLBindGroupLayout({ label, entries: [], implicit: undefined, key: '' });
  }

  // Views, layouts and bind groups are records over other objects: nothing of their own to delete.
  readonly destroy: BackendDestroyers<WebGL2Objects> = {
    texture: (texture) => deleteTextureStorage(this.gl, texture),
    buffer: (buffer) => this.gl.deleteBuffer(buffer.buffer),
    shader: (program) => deleteProgram(this.gl, program),
    renderTarget: (renderTarget) => deleteRenderTargetFramebuffers(this.gl, renderTarget),
    sampler: (sampler) => this.gl.deleteSampler(sampler.sampler),
    textureView: () => {},
    bindGroupLayout: () => {},
    pipelineLayout: () => {},
    bindGroup: () => {},
    renderPipeline: () => {},
    computePipeline: () => {},
    querySet: (querySet) => deleteGLQuerySet(this.gl, querySet),
    // Nothing on the GPU: the atlas frees the region's space when the manager removes it (kind `removed`).
    atlasRegion: () => {},
  };

  /** Command "buffers" are functions that issue GL calls. */
  checkSubmission(items: unknown): void {
    if (!Array.isArray(items)) {
      throw new ValidationError('submit', 'commands', items, 'must be an array of functions (gl) => void');
    }
    items.forEach((item, i) => {
      if (typeof item !== 'function') {
        throw new ValidationError('submit', `commands[${i}]`, item, 'must be a function (gl) => void');
      }
    });
  }

  /** GL has no encoders: any encoder argument is refused. */
  checkEncoder(value: unknown, operation: string): void {
    throw new ValidationError(
      operation,
      'encoder',
      value,
      'WebGL2 has no command encoders: omit it (GL runs commands as they are issued)',
    );
  }

  /** A {@link WebGL2RenderPass}: the framebuffer, its size, and `begin()` / `end()`. */
  renderPass(
    renderTarget: WebGL2RenderTarget,
    desc: NormalizedRenderTargetDescriptor,
    options: RenderPassOptions,
  ): WebGL2RenderPass {
    return createRenderPass(this.gl, renderTarget, desc, options);
  }

  /** Bytes from GL internal formats, mips, layers and renderbuffer samples (see gl-texture-size.ts). */
  textureByteSize(desc: NormalizedTextureDescriptor): number {
    return glTextureByteSize(desc);
  }

  /** Runs each command function in order; GL queues the calls as they are made. */
  submit(commands: readonly WebGL2Commands[]): void {
    for (const command of commands) command(this.gl);
  }

  /** Fences all GL work issued so far and resolves when the GPU has completed it (polled, never blocking). */
  onSubmittedWorkDone(): Promise<void> {
    return this.fences.fence();
  }

  /**
   * Debug mode: clears errors already pending (they are not this create's), runs `create`, and reports what
   * `gl.getError` says after it, by name (`INVALID_OPERATION`, ...). `getError` waits for the GPU process, which
   * is why only debug mode calls it.
   */
  captureErrors<T>(create: () => T): { value: T; error: Promise<string | undefined> } {
    const { gl } = this;
    const drain = (): number[] => {
      const errors: number[] = [];
      // Bounded: a lost context reports CONTEXT_LOST_WEBGL once, but never loop forever on a broken one.
      for (let e = gl.getError(); e !== gl.NO_ERROR && errors.length < 8; e = gl.getError()) errors.push(e);
      return errors;
    };
    drain();
    const value = create();
    const errors = drain().map((e) => glEnumToString(gl as unknown as WebGLRenderingContext, e));
    return {
      value,
      error: Promise.resolve(errors.length ? `gl.getError() reported ${errors.join(', ')}` : undefined),
    };
  }

  /** The upload belt (CPU chunks) and readback pool (GL buffers + fences) of this context. */
  createStaging(host: StagingHost, options: NormalizedStagingOptions): WebGL2Staging {
    return new WebGL2Staging(this.gl, this.fences, host, options);
  }

  /**
   * Subscribes to `webglcontextlost` on the context's canvas. The event's default is prevented: without that
   * the browser never restores the context.
   */
  onLost(listener: (reason: string) => void): () => void {
    const canvas = this.gl.canvas;
    const handler = (event: Event) => {
      event.preventDefault();
      this.fences.releaseAll();
      const message = (event as WebGLContextEvent).statusMessage;
      listener(`WebGL2 context lost${message ? `: ${message}` : ''}`);
    };
    canvas.addEventListener('webglcontextlost', handler);
    return () => canvas.removeEventListener('webglcontextlost', handler);
  }

  /**
   * Subscribes to `webglcontextrestored`: the same context is usable again, with none of its objects; the
   * listener gets a fresh backend over it (extensions enabled again, capabilities read again).
   */
  onRestored(listener: (backend: WebGL2Backend) => void): () => void {
    const canvas = this.gl.canvas;
    const handler = () => listener(new WebGL2Backend(this.gl));
    canvas.addEventListener('webglcontextrestored', handler);
    return () => canvas.removeEventListener('webglcontextrestored', handler);
  }

  /** Sample counts GL supports for a renderbuffer format (queried once per format). */
  private sampleCounts(internalFormat: number): readonly number[] {
    let counts = this.sampleCountCache.get(internalFormat);
    if (!counts) {
      const list = this.gl.getInternalformatParameter(this.gl.RENDERBUFFER, internalFormat, this.gl.SAMPLES);
      counts = list ? Array.from(list as Int32Array) : [];
      this.sampleCountCache.set(internalFormat, counts);
    }
    return counts;
  }

  private assertAlive(operation: string): void {
    // Between the loss and its event (a task later) GL returns null objects; refuse instead.
    if (this.gl.isContextLost()) throw new DeviceLostError(`the WebGL2 context is lost; cannot ${operation}`);
  }
}
