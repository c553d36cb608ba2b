import { type AtlasRegionDescriptor, normalizeAtlasRegionDescriptor } from '../atlas/region-kind.ts';
import { PINNED_WITHOUT_CONTENT, type ResidencyOptions, readResidency } from '../budget/content.ts';
import type { BackendObjects, RenderPassOptions } from '../core/backend.ts';
import type { DescriptorOf, ResourceKind } from '../core/kind-types.ts';
import { kindSpec, RESOURCE_KINDS } from '../core/kinds.ts';
import { RefCountError, ValidationError } from '../errors.ts';
import type { AnyHandle, Handle } from '../handles/handle.ts';
import { type BindGroupDescriptor, normalizeBindGroupDescriptor } from '../resources/bind-group.ts';
import {
  type BindGroupLayoutDescriptor,
  implicitBindGroupLayout,
  normalizeBindGroupLayoutDescriptor,
} from '../resources/bind-group-layout.ts';
import { type BufferDescriptor, normalizeBufferDescriptor } from '../resources/buffer.ts';
import {
  type ComputePipelineDescriptor,
  normalizeComputePipelineDescriptor,
  normalizeRenderPipelineDescriptor,
  type RenderPipelineDescriptor,
} from '../resources/pipeline.ts';
import {
  normalizePipelineLayoutDescriptor,
  type PipelineLayoutDescriptor,
} from '../resources/pipeline-layout.ts';
import { normalizeQuerySetDescriptor, type QuerySetDescriptor } from '../resources/query-set.ts';
import type { RecordOf } from '../resources/records.ts';
import { readRenderPassOptions } from '../resources/render-pass-options.ts';
import { normalizeRenderTargetDescriptor, type RenderTargetDescriptor } from '../resources/render-target.ts';
import { resourceLookup } from '../resources/resource-lookup.ts';
import { normalizeSamplerDescriptor, type SamplerDescriptor } from '../resources/sampler.ts';
import { normalizeShaderDescriptor, type ShaderDescriptor } from '../resources/shader.ts';
import { normalizeTextureDescriptor, type TextureDescriptor } from '../resources/texture.ts';
import { normalizeTextureViewDescriptor, type TextureViewDescriptor } from '../resources/texture-view.ts';
import { ManagerBase } from './manager-base.ts';

export type { DestroyOptions, ManagerEvents, ManagerOptions, ManagerStats } from './types.ts';

/**
 * The manager's create methods, one per kind: each validates its descriptor (pure, against the backend's
 * capabilities) and creates through the factory, so a bad descriptor leaves nothing behind.
 *
 * @example
 * const tex = manager.createTexture({ label: 'albedo', size: [256, 256], format: 'rgba8unorm', usage });
 */
export abstract class ManagerCreation<B extends BackendObjects = BackendObjects> extends ManagerBase<B> {
  // ---- creation -------------------------------------------------------------------------------------------

  /**
   * Validates and creates a texture. Throws `ValidationError` (nothing created) on bad input.
   *
   * @example
   * const tex = manager.createTexture({ label: 'albedo', size: [512, 512], format: 'rgba8unorm',
   *   usage: TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST, mipLevelCount: 'full' });
   */
  createTexture(desc: TextureDescriptor & ResidencyOptions): Handle<'texture'> {
    this.assertUsable('create a texture');
    const normalized = normalizeTextureDescriptor(desc, this.backend.capabilities);
    return this.factory.create('texture', normalized, readResidency(normalized.label, desc));
  }

  /**
   * Validates and creates a buffer. Throws `ValidationError` (nothing created) on bad input.
   *
   * @example
   * const vbo = manager.createBuffer({ label: 'quad', size: 64, usage: BufferUsage.VERTEX | BufferUsage.COPY_DST });
   */
  createBuffer(desc: BufferDescriptor & ResidencyOptions): Handle<'buffer'> {
    this.assertUsable('create a buffer');
    const normalized = normalizeBufferDescriptor(desc, this.backend.capabilities);
    return this.factory.create('buffer', normalized, readResidency(normalized.label, desc));
  }

  /**
   * Compiles a shader and waits for the compiler's verdict: rejects with `ShaderCompileError` listing every
   * message with line:column and source line. Identical source (and entry-point set) yields the same handle,
   * shared: each create needs its own `destroy`, the last one frees it.
   *
   * @example
   * const shader = await manager.createShader({ label: 'blit', code: blitWgsl });
   */
  async createShader(desc: ShaderDescriptor): Promise<Handle<'shader'>> {
    this.assertUsable('create a shader');
    const normalized = normalizeShaderDescriptor(desc);
    return this.factory.createAsync('shader', normalized, () => this.assertUsable('create a shader'));
  }

  /**
   * Validates and creates a render target over live textures. The render target depends on its attachments:
   * they cannot be destroyed while it lives (unless by cascade).
   *
   * @example
   * const rt = manager.createRenderTarget({ label: 'scene', color: [colorTex], depthStencil: depthTex });
   * const pass = encoder.beginRenderPass(manager.renderPass(rt));
   */
  createRenderTarget(desc: RenderTargetDescriptor): Handle<'renderTarget'> {
    this.assertUsable('create a render target');
    const normalized = normalizeRenderTargetDescriptor(
      desc,
      (handle) => {
        const entry = this.registry.current(handle as AnyHandle);
        if (entry?.record.state !== 'live') return 'stale';
        return entry.record.kind === 'texture' ? entry.record.descriptor : 'not-a-texture';
      },
      this.backend.capabilities,
    );
    return this.factory.create('renderTarget', normalized);
  }

  // ---- samplers, views, layouts, bind groups, query sets --------------------------------------------------

  /** Resolves handles named in descriptors (a view's texture, a bind group's resources) for validation. */
  private readonly lookup = resourceLookup((handle) => this.registry.current(handle as AnyHandle)?.record);

  /**
   * Validates and creates a sampler. Samplers are shared by descriptor: an identical normalized descriptor
   * returns the same handle, one more owner (each create needs its own `destroy`; the last one frees it).
   *
   * @example
   * const linear = manager.createSampler({ label: 'linear', magFilter: 'linear', minFilter: 'linear' });
   */
  createSampler(desc?: SamplerDescriptor): Handle<'sampler'> {
    this.assertUsable('create a sampler');
    return this.factory.create('sampler', normalizeSamplerDescriptor(desc));
  }

  /**
   * Validates and creates a view of a live texture, or returns the existing one for the same texture and
   * normalized descriptor (shared like samplers); `createView(texture)` is the texture's default view. A view
   * depends on its texture: the texture cannot be destroyed while the view lives (unless by cascade).
   *
   * @example
   * const cube = manager.createView(skybox, { dimension: 'cube' });
   * const mip1 = manager.createView(albedo, { baseMipLevel: 1, mipLevelCount: 1 });
   */
  createView(texture: Handle<'texture'>, desc?: TextureViewDescriptor): Handle<'textureView'> {
    this.assertUsable('create a texture view');
    const normalized = normalizeTextureViewDescriptor(texture, desc, this.lookup, this.backend.capabilities);
    return this.factory.create('textureView', normalized);
  }

  /**
   * Validates a bind group layout against the device's binding limits and creates it, or shares the existing
   * one with identical entries.
   *
   * @example
   * const layout = manager.createBindGroupLayout({ label: 'material', entries: [
   *   { binding: 0, visibility: ShaderStage.FRAGMENT, buffer: {} },
   *   { binding: 1, visibility: ShaderStage.FRAGMENT, texture: {} },
   *   { binding: 2, visibility: ShaderStage.FRAGMENT, sampler: {} },
   * ] });
   */
  createBindGroupLayout(desc: BindGroupLayoutDescriptor): Handle<'bindGroupLayout'> {
    this.assertUsable('create a bind group layout');
    return this.factory.create(
      'bindGroupLayout',
      normalizeBindGroupLayoutDescriptor(desc, this.backend.capabilities),
    );
  }

  /**
   * Validates a pipeline layout (its bind group layouts together against the limits) and creates it, or
   * shares the existing one over the same layouts. It depends on its bind group layouts.
   *
   * @example
   * const pipelineLayout = manager.createPipelineLayout({ bindGroupLayouts: [frameLayout, materialLayout] });
   */
  createPipelineLayout(desc: PipelineLayoutDescriptor): Handle<'pipelineLayout'> {
    this.assertUsable('create a pipeline layout');
    const normalized = normalizePipelineLayoutDescriptor(desc, this.lookup, this.backend.capabilities);
    return this.factory.create('pipelineLayout', normalized);
  }

  /**
   * Validates a bind group against its layout and creates it, or shares the existing one with the same layout
   * and resources. It depends on everything it references: destroying a buffer, sampler, view or texture it
   * uses throws `ResourceInUseError` naming it (or cascades), and `use(bindGroup)` marks all of them used.
   *
   * @example
   * const group = manager.createBindGroup({ layout, entries: [
   *   { binding: 0, resource: { buffer: uniforms, offset: 0, size: 64 } },
   *   { binding: 1, resource: albedo },        // a texture: its default view
   *   { binding: 2, resource: linear },
   * ] });
   * pass.setBindGroup(0, manager.gpu(group)); manager.use(group);
   */
  createBindGroup(desc: BindGroupDescriptor): Handle<'bindGroup'> {
    this.assertUsable('create a bind group');
    const normalized = normalizeBindGroupDescriptor(desc, this.lookup, this.backend.capabilities);
    return this.factory.create('bindGroup', normalized);
  }

  /**
   * Validates and creates a query set (occlusion; timestamp with the 'timestamp-query' feature). It owns
   * `count * 8` bytes in the ledger.
   *
   * @example
   * const occlusion = manager.createQuerySet({ label: 'visibility', type: 'occlusion', count: 256 });
   */
  createQuerySet(desc: QuerySetDescriptor): Handle<'querySet'> {
    this.assertUsable('create a query set');
    return this.factory.create('querySet', normalizeQuerySetDescriptor(desc, this.backend.capabilities));
  }

  /**
   * Registers a texture atlas's region (what `atlas.add` calls): 0 bytes, no GPU object, counted and listed
   * like any resource; destroying it frees its space in the atlas.
   *
   * @example
   * const h = manager.createAtlasRegion({ label: 'glyphs region', width: 9, height: 14, region });
   */
  createAtlasRegion(desc: AtlasRegionDescriptor): Handle<'atlasRegion'> {
    this.assertUsable('create an atlas region');
    return this.factory.create('atlasRegion', normalizeAtlasRegionDescriptor(desc));
  }

  /**
   * Validates a render pipeline (shader and layout handles, vertex buffer layouts, colour targets, depth-stencil,
   * primitive and multisample state) and builds it with the GPU's `createRenderPipelineAsync`. The same
   * shaders, entry points, constants, layout and state share one pipeline (also while it is being built).
   * A GPU refusal rejects with `GpuValidationError` carrying the GPU's message and the label.
   *
   * @example
   * const pipeline = await manager.createRenderPipeline({ label: 'lit', layout: 'auto',
   *   vertex: { module: shader, buffers: [{ arrayStride: 12, attributes: [{ format: 'float32x3', offset: 0, shaderLocation: 0 }] }] },
   *   fragment: { module: shader, targets: [{ format: 'rgba8unorm' }] } });
   */
  async createRenderPipeline(desc: RenderPipelineDescriptor): Promise<Handle<'renderPipeline'>> {
    this.assertUsable('create a render pipeline');
    const normalized = normalizeRenderPipelineDescriptor(desc, this.lookup, this.backend.capabilities);
    return this.factory.createAsync('renderPipeline', normalized, () =>
      this.assertUsable('create a render pipeline'),
    );
  }

  /**
   * Validates a compute pipeline and builds it with `createComputePipelineAsync`; shared like render pipelines.
   *
   * @example
   * const pipeline = await manager.createComputePipeline({ layout: 'auto', compute: { module: shader } });
   */
  async createComputePipeline(desc: ComputePipelineDescriptor): Promise<Handle<'computePipeline'>> {
    this.assertUsable('create a compute pipeline');
    const normalized = normalizeComputePipelineDescriptor(desc, this.lookup, this.backend.capabilities);
    return this.factory.createAsync('computePipeline', normalized, () =>
      this.assertUsable('create a compute pipeline'),
    );
  }

  /**
   * The bind group layout a pipeline made with `layout: 'auto'` implies for `group`, as a handle (shared: the
   * same pipeline and group give the same handle). It depends on the pipeline; bind groups made with it are
   * checked against it by the GPU.
   *
   * @example
   * const group0 = manager.getBindGroupLayout(pipeline, 0);
   * const bindGroup = manager.createBindGroup({ layout: group0, entries: [{ binding: 0, resource: uniforms }] });
   */
  getBindGroupLayout(
    pipeline: Handle<'renderPipeline'> | Handle<'computePipeline'>,
    group: number,
  ): Handle<'bindGroupLayout'> {
    this.assertUsable('get a bind group layout');
    const found = this.lookup.resolveAny(
      pipeline,
      ['renderPipeline', 'computePipeline'],
      'getBindGroupLayout',
      'pipeline',
    );
    const normalized = implicitBindGroupLayout(found, group, this.backend.capabilities);
    return this.factory.create('bindGroupLayout', normalized);
  }

  /**
   * Builds what a render pass needs to draw into a render target (a `GPURenderPassDescriptor` on WebGPU).
   *
   * @example
   * const pass = encoder.beginRenderPass(manager.renderPass(rt, { load: 'clear' }));
   */
  renderPass(handle: Handle<'renderTarget'>, options?: RenderPassOptions): B['renderPass'] {
    const entry = this.liveEntry(handle, 'renderTarget', 'build a render pass');
    const passOptions = readRenderPassOptions(entry.record.label, options);
    this.touch(entry);
    return this.backend.renderPass(
      entry.gpu as B['renderTarget'],
      entry.record.descriptor as RecordOf<'renderTarget'>['descriptor'],
      passOptions,
    );
  }

  /**
   * Registers a GPU object that someone else created (an engine on a tracked device): it is counted, listed
   * in leaks and dumps, and linked to its dependencies like any resource, but the manager never frees it; call
   * {@link forgetAdopted} when its owner destroys it. `descriptor` is the kind's normalized descriptor.
   *
   * @example
   * const h = manager.adopt('buffer', normalizeBufferDescriptor(desc, caps), engineBuffer);
   * engineBuffer.destroy(); manager.forgetAdopted(h);
   */
  adopt<K extends ResourceKind>(
    kind: K,
    descriptor: DescriptorOf<K>,
    object: B[K],
    options?: { readonly bytes?: number; readonly dependencies?: readonly AnyHandle[] },
  ): Handle<K> {
    if (typeof kind !== 'string' || !RESOURCE_KINDS.includes(kind)) {
      throw new ValidationError('adopt', 'kind', kind, `must be one of ${RESOURCE_KINDS.join(', ')}`);
    }
    this.assertUsable(`adopt a ${kind}`);
    const spec = kindSpec(kind);
    const dependencies = options?.dependencies ?? spec.dependencies(descriptor);
    for (const dependency of dependencies) this.entryOf(dependency);
    const handle = this.registry.insert(
      kind,
      descriptor as DescriptorOf<K> & { label: string },
      options?.bytes ?? spec.bytes(this.backend, descriptor),
      object,
      dependencies,
      undefined,
      PINNED_WITHOUT_CONTENT,
      { adopted: true },
    );
    this.adoptedObjects.set(object as object, handle);
    return handle;
  }

  /**
   * The handle of an adopted GPU object, `undefined` when it is not (or no longer) adopted here.
   *
   * @example
   * manager.handleOf(engineTexture)
   */
  handleOf(object: unknown): AnyHandle | undefined {
    if (typeof object !== 'object' || object === null) return undefined;
    const handle = this.adoptedObjects.get(object);
    return handle !== undefined && this.registry.current(handle) ? handle : undefined;
  }

  /**
   * An adopted object was destroyed by its owner: its handle goes stale, with the adopted objects that depend
   * on it (a texture's views). Nothing is freed on the GPU: the owner did that.
   *
   * @example
   * manager.forgetAdopted(handle);
   */
  forgetAdopted(handle: AnyHandle): void {
    const entry = this.entryOf(handle);
    if (!entry.adopted) {
      throw new RefCountError(entry.record.label, 'was created by this manager, not adopted: call destroy');
    }
    this.registry.destroy(entry, true);
  }
}
