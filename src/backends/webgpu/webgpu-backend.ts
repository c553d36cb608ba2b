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
import { type ShaderMessage, ValidationError } from '../../errors.ts';
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
import { type NormalizedShaderDescriptor, sourceLineAt } from '../../resources/shader.ts';
import type { NormalizedTextureDescriptor } from '../../resources/texture.ts';
import { textureByteSize } from '../../resources/texture-size.ts';
import type { NormalizedTextureViewDescriptor } from '../../resources/texture-view.ts';
import type { NormalizedStagingOptions } from '../../staging/options.ts';
import { WebGPUStaging } from './staging/webgpu-staging.ts';
import { createWebGPUBindGroup } from './webgpu-bind-group.ts';
import { createWebGPUBindGroupLayout, createWebGPUPipelineLayout } from './webgpu-bind-group-layout.ts';
import { createWebGPUComputePipeline, createWebGPURenderPipeline } from './webgpu-pipeline.ts';
import { createWebGPUQuerySet } from './webgpu-query-set.ts';
import { createWebGPUSampler } from './webgpu-sampler.ts';
import { createWebGPUTextureView } from './webgpu-texture-view.ts';

/** A WebGPU render target: one view per attachment, made once at creation. */
export interface WebGPURenderTarget {
  /** Per colour slot; undefined for an empty slot. */
  readonly colorViews: readonly (GPUTextureView | undefined)[];
  readonly resolveViews: readonly (GPUTextureView | undefined)[];
  readonly depthStencilView: GPUTextureView | undefined;
  readonly depthStencilFormat: GPUTextureFormat | undefined;
}

/** The object types of the WebGPU backend. */
export interface WebGPUObjects {
  texture: GPUTexture;
  buffer: GPUBuffer;
  shader: GPUShaderModule;
  renderTarget: WebGPURenderTarget;
  sampler: GPUSampler;
  textureView: GPUTextureView;
  bindGroupLayout: GPUBindGroupLayout;
  pipelineLayout: GPUPipelineLayout;
  bindGroup: GPUBindGroup;
  renderPipeline: GPURenderPipeline;
  computePipeline: GPUComputePipeline;
  querySet: GPUQuerySet;
  /** The atlas's record of a region: a host object, nothing on the GPU. */
  atlasRegion: AtlasRegionObject;
  commandBuffer: GPUCommandBuffer;
  renderPass: GPURenderPassDescriptor;
  encoder: GPUCommandEncoder;
}

/**
 * Reads the limits and features validation needs from a device.
 *
 * @example
 * const caps = webgpuCapabilities(device);
 */
export function webgpuCapabilities(device: GPUDevice): Capabilities {
  const { limits } = device;
  return {
    backend: 'webgpu',
    limits: {
      maxTextureDimension1D: limits.maxTextureDimension1D,
      maxTextureDimension2D: limits.maxTextureDimension2D,
      maxTextureDimension3D: limits.maxTextureDimension3D,
      maxTextureArrayLayers: limits.maxTextureArrayLayers,
      maxBufferSize: limits.maxBufferSize,
      maxColorAttachments: limits.maxColorAttachments,
      maxColorAttachmentBytesPerSample: limits.maxColorAttachmentBytesPerSample,
      maxBindGroups: limits.maxBindGroups,
      maxBindingsPerBindGroup: limits.maxBindingsPerBindGroup,
      maxDynamicUniformBuffersPerPipelineLayout: limits.maxDynamicUniformBuffersPerPipelineLayout,
      maxDynamicStorageBuffersPerPipelineLayout: limits.maxDynamicStorageBuffersPerPipelineLayout,
      maxSampledTexturesPerShaderStage: limits.maxSampledTexturesPerShaderStage,
      maxSamplersPerShaderStage: limits.maxSamplersPerShaderStage,
      maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
      maxStorageTexturesPerShaderStage: limits.maxStorageTexturesPerShaderStage,
      maxUniformBuffersPerShaderStage: limits.maxUniformBuffersPerShaderStage,
      maxUniformBufferBindingSize: limits.maxUniformBufferBindingSize,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      minUniformBufferOffsetAlignment: limits.minUniformBufferOffsetAlignment,
      minStorageBufferOffsetAlignment: limits.minStorageBufferOffsetAlignment,
      maxVertexBuffers: limits.maxVertexBuffers,
      maxVertexAttributes: limits.maxVertexAttributes,
      maxVertexBufferArrayStride: limits.maxVertexBufferArrayStride,
    },
    features: new Set(device.features),
  };
}

/**
 * The WebGPU backend: the only code in gpu-handles that calls `GPUDevice`. Every object is labelled with the
 * resource label so GPU-side messages name it.
 *
 * @example
 * const backend = new WebGPUBackend(device);
 */
export class WebGPUBackend implements Backend<WebGPUObjects> {
  readonly capabilities: Capabilities;
  /**
   * The descriptors of a plain 2D texture and of a buffer, filled in and reused by every such create: WebGPU
   * reads a descriptor during the call and keeps nothing of it, so a create allocates only the GPU object.
   */
  private readonly plainTexture = {
    label: '',
    size: [1, 1, 1] as [number, number, number],
    format: 'rgba8unorm' as GPUTextureFormat,
    usage: 0,
  };
  private readonly plainBuffer = { label: '', size: 0, usage: 0 };
  constructor(readonly device: GPUDevice) {
    this.capabilities = webgpuCapabilities(device);
  }

  createTexture(desc: NormalizedTextureDescriptor): GPUTexture {
    // Members equal to WebGPU's defaults are left out: Dawn's binding converts every member it is given, and
    // a plain 2D texture is the common create (about 0.5 us less per create on Dawn).
    const plain =
      desc.dimension === '2d' &&
      desc.mipLevelCount === 1 &&
      desc.sampleCount === 1 &&
      desc.viewFormats.length === 0;
    if (plain) {
      const reused = this.plainTexture;
      reused.label = desc.label;
      reused.size[0] = desc.width;
      reused.size[1] = desc.height;
      reused.size[2] = desc.depthOrArrayLayers;
      reused.format = desc.format;
      reused.usage = desc.usage;
      return this.device.createTexture(reused);
    }
    const gpuDesc: GPUTextureDescriptor = {
      label: desc.label,
      size: [desc.width, desc.height, desc.depthOrArrayLayers],
      format: desc.format,
      usage: desc.usage,
    };
    if (desc.dimension !== '2d') gpuDesc.dimension = desc.dimension;
    if (desc.mipLevelCount !== 1) gpuDesc.mipLevelCount = desc.mipLevelCount;
    if (desc.sampleCount !== 1) gpuDesc.sampleCount = desc.sampleCount;
    if (desc.viewFormats.length > 0) gpuDesc.viewFormats = [...desc.viewFormats];
    return this.device.createTexture(gpuDesc);
  }

  createBuffer(desc: NormalizedBufferDescriptor): GPUBuffer {
    const { label, size, usage, mappedAtCreation } = desc;
    // As for textures: the default (false) is left out.
    if (mappedAtCreation) return this.device.createBuffer({ label, size, usage, mappedAtCreation });
    const reused = this.plainBuffer;
    reused.label = label;
    reused.size = size;
    reused.usage = usage;
    return this.device.createBuffer(reused);
  }

  async compileShader(desc: NormalizedShaderDescriptor): Promise<CompiledShader<WebGPUObjects>> {
    // A WGSL error is also a device validation error; capture it here so it is reported once, as a
    // ShaderCompileError, and not again as an uncaptured device error.
    this.device.pushErrorScope('validation');
    const module = this.device.createShaderModule({ label: desc.label, code: desc.code });
    const [info, scopeError] = await Promise.all([module.getCompilationInfo(), this.device.popErrorScope()]);
    const messages: ShaderMessage[] = info.messages.map((m) => ({
      type: m.type,
      message: m.message,
      line: m.lineNum,
      column: m.linePos,
      sourceLine: sourceLineAt(desc.code, m.lineNum),
    }));
    if (scopeError && !messages.some((m) => m.type === 'error')) {
      messages.push({ type: 'error', message: scopeError.message, line: 0, column: 0, sourceLine: '' });
    }
    return { shader: messages.some((m) => m.type === 'error') ? undefined : module, messages };
  }

  createRenderTarget(
    desc: NormalizedRenderTargetDescriptor,
    attachments: RenderTargetAttachments<WebGPUObjects>,
  ): WebGPURenderTarget {
    const view = (texture: GPUTexture, role: string) =>
      texture.createView({ label: `${desc.label} ${role}` });
    return {
      colorViews: attachments.color.map((a, i) => (a ? view(a.texture, `color[${i}]`) : undefined)),
      resolveViews: attachments.color.map(
        (a, i) => a?.resolveTarget && view(a.resolveTarget, `resolve[${i}]`),
      ),
      depthStencilView: attachments.depthStencil && view(attachments.depthStencil, 'depthStencil'),
      depthStencilFormat: attachments.depthStencil?.format,
    };
  }

  createSampler(desc: NormalizedSamplerDescriptor): GPUSampler {
    return createWebGPUSampler(this.device, desc);
  }

  createTextureView(desc: NormalizedTextureViewDescriptor, texture: GPUTexture): GPUTextureView {
    return createWebGPUTextureView(texture, desc);
  }

  createBindGroupLayout(desc: NormalizedBindGroupLayoutDescriptor): GPUBindGroupLayout {
    return createWebGPUBindGroupLayout(this.device, desc);
  }

  createPipelineLayout(
    desc: NormalizedPipelineLayoutDescriptor,
    layouts: readonly GPUBindGroupLayout[],
  ): GPUPipelineLayout {
    return createWebGPUPipelineLayout(this.device, desc, layouts);
  }

  createBindGroup(
    desc: NormalizedBindGroupDescriptor,
    layout: GPUBindGroupLayout,
    resources: readonly BindGroupResource<WebGPUObjects>[],
  ): GPUBindGroup {
    return createWebGPUBindGroup(this.device, desc, layout, resources);
  }

  createQuerySet(desc: NormalizedQuerySetDescriptor): GPUQuerySet {
    return createWebGPUQuerySet(this.device, desc);
  }

  createRenderPipeline(
    desc: NormalizedRenderPipelineDescriptor,
    objects: {
      layout: GPUPipelineLayout | 'auto';
      vertex: GPUShaderModule;
      fragment: GPUShaderModule | undefined;
    },
  ): Promise<GPURenderPipeline> {
    return createWebGPURenderPipeline(this.device, desc, objects);
  }

  createComputePipeline(
    desc: NormalizedComputePipelineDescriptor,
    objects: { layout: GPUPipelineLayout | 'auto'; compute: GPUShaderModule },
  ): Promise<GPUComputePipeline> {
    return createWebGPUComputePipeline(this.device, desc, objects);
  }

  implicitBindGroupLayout(
    pipeline: GPURenderPipeline | GPUComputePipeline,
    group: number,
    _label: string,
  ): GPUBindGroupLayout {
    return pipeline.getBindGroupLayout(group);
  }

  renderPass(
    rt: WebGPURenderTarget,
    desc: NormalizedRenderTargetDescriptor,
    options: RenderPassOptions,
  ): GPURenderPassDescriptor {
    const loadOp: GPULoadOp = options.load ?? 'clear';
    const storeOp: GPUStoreOp = options.store ?? 'store';
    const pass: GPURenderPassDescriptor = {
      label: desc.label,
      // An empty slot stays null; a transient attachment must be cleared and discarded.
      colorAttachments: desc.color.map((c, i) =>
        c === null
          ? null
          : {
              view: rt.colorViews[i]!,
              resolveTarget: rt.resolveViews[i],
              clearValue: [...c.clearValue],
              loadOp: c.transient ? 'clear' : loadOp,
              storeOp: c.transient ? 'discard' : storeOp,
            },
      ),
    };
    const format = rt.depthStencilFormat;
    if (rt.depthStencilView && format && desc.depthStencil) {
      const hasDepth = format.startsWith('depth');
      const hasStencil = format.includes('stencil');
      const dsLoad: GPULoadOp = desc.depthStencil.transient ? 'clear' : loadOp;
      const dsStore: GPUStoreOp = desc.depthStencil.transient ? 'discard' : storeOp;
      pass.depthStencilAttachment = {
        view: rt.depthStencilView,
        ...(hasDepth && {
          depthClearValue: desc.depthStencil.depthClearValue,
          depthLoadOp: dsLoad,
          depthStoreOp: dsStore,
        }),
        ...(hasStencil && {
          stencilClearValue: desc.depthStencil.stencilClearValue,
          stencilLoadOp: dsLoad,
          stencilStoreOp: dsStore,
        }),
      };
    }
    return pass;
  }

  // WebGPU has no destroy for shader modules, views, samplers, layouts, bind groups and pipelines: dropping the
  // last reference is the free.
  readonly destroy: BackendDestroyers<WebGPUObjects> = {
    texture: (texture) => texture.destroy(),
    buffer: (buffer) => buffer.destroy(),
    shader: () => {},
    renderTarget: () => {},
    sampler: () => {},
    textureView: () => {},
    bindGroupLayout: () => {},
    pipelineLayout: () => {},
    bindGroup: () => {},
    renderPipeline: () => {},
    computePipeline: () => {},
    querySet: (querySet) => querySet.destroy(),
    // Nothing on the GPU: the atlas frees the region's space when the manager removes it (kind `removed`).
    atlasRegion: () => {},
  };

  checkSubmission(items: unknown): void {
    if (!Array.isArray(items)) {
      throw new ValidationError('submit', 'commandBuffers', items, 'must be an array of GPUCommandBuffer');
    }
    items.forEach((item, i) => {
      if (!isInstance(item, 'GPUCommandBuffer')) {
        throw new ValidationError('submit', `commandBuffers[${i}]`, item, 'must be a GPUCommandBuffer');
      }
    });
  }

  checkEncoder(value: unknown, operation: string): void {
    if (!isInstance(value, 'GPUCommandEncoder')) {
      throw new ValidationError(operation, 'encoder', value, 'must be a GPUCommandEncoder of this device');
    }
  }

  textureByteSize(desc: NormalizedTextureDescriptor): number {
    return textureByteSize(desc);
  }

  submit(commandBuffers: readonly GPUCommandBuffer[]): void {
    this.device.queue.submit(commandBuffers);
  }

  onSubmittedWorkDone(): Promise<void> {
    return this.device.queue.onSubmittedWorkDone();
  }

  captureErrors<T>(create: () => T): { value: T; error: Promise<string | undefined> } {
    this.device.pushErrorScope('validation');
    this.device.pushErrorScope('out-of-memory');
    let outcome: { ok: true; value: T } | { ok: false; thrown: unknown };
    try {
      outcome = { ok: true, value: create() };
    } catch (thrown) {
      outcome = { ok: false, thrown };
    }
    // Scopes are popped even when create throws, or they would swallow later errors.
    const oom = this.device.popErrorScope();
    const validation = this.device.popErrorScope();
    if (!outcome.ok) throw outcome.thrown;
    const error = Promise.all([oom, validation]).then(([o, v]) => (v ?? o)?.message);
    return { value: outcome.value, error };
  }

  createStaging(host: StagingHost, options: NormalizedStagingOptions): WebGPUStaging {
    return new WebGPUStaging(this.device, host, options);
  }

  onLost(listener: (reason: string) => void): () => void {
    let active = true;
    void this.device.lost.then((info) => {
      if (active) listener(`${info.reason}: ${info.message}`);
    });
    return () => {
      active = false;
    };
  }
}

/**
 * True when `value` is a real instance of the WebGPU interface `name` (`GPUCommandBuffer`, ...), checked
 * against the global constructor: a Proxy or a look-alike object is not one. Never throws.
 */
function isInstance(value: unknown, name: 'GPUCommandBuffer' | 'GPUCommandEncoder'): boolean {
  if (typeof value !== 'object' || value === null || isProxy(value)) return false;
  const gpuInterface = (globalThis as Record<string, unknown>)[name];
  try {
    return typeof gpuInterface === 'function' && value instanceof gpuInterface;
  } catch {
    return false;
  }
}

type ProxyCheck = (value: unknown) => boolean;
let proxyCheck: ProxyCheck | undefined;

/**
 * A Proxy around a real GPU object passes `instanceof`, and Dawn's Node binding aborts the process on one (a
 * browser's WebIDL layer throws a TypeError instead). Node can tell a Proxy apart; browsers need not.
 */
function isProxy(value: object): boolean {
  proxyCheck ??=
    (
      globalThis as {
        process?: { getBuiltinModule?: (id: string) => { types?: { isProxy?: ProxyCheck } } | undefined };
      }
    ).process?.getBuiltinModule?.('node:util')?.types?.isProxy ?? (() => false);
  return proxyCheck(value);
}
