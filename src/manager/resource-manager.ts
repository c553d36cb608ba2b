import { type AtlasRegionDescriptor, normalizeAtlasRegionDescriptor } from '../atlas/region-kind.ts';
import { type ResidencyOptions, readResidency } from '../budget/content.ts';
import type { Backend, BackendObjects, RenderPassOptions, StagingStats } from '../core/backend.ts';
import type { DescriptorOf, ResourceKind } from '../core/kind-types.ts';
import { kindSpec, RESOURCE_KINDS } from '../core/kinds.ts';
import {
  DeviceLostError,
  DisposedError,
  type GpuValidationError,
  NotResidentError,
  RefCountError,
  ResourceStateError,
  ValidationError,
  WrongKindError,
} from '../errors.ts';
import type { AnyHandle, Handle } from '../handles/handle.ts';
import { type LedgerSnapshot, MemoryLedger } from '../ledger.ts';
import { ResourceScope } from '../lifetimes/scope.ts';
import { WeakHandle } from '../lifetimes/weak-handle.ts';
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
import type { GraphicsResource, RecordOf } from '../resources/records.ts';
import { readRenderPassOptions } from '../resources/render-pass-options.ts';
import { normalizeRenderTargetDescriptor, type RenderTargetDescriptor } from '../resources/render-target.ts';
import { resourceLookup } from '../resources/resource-lookup.ts';
import { normalizeSamplerDescriptor, type SamplerDescriptor } from '../resources/sampler.ts';
import { normalizeShaderDescriptor, type ShaderDescriptor } from '../resources/shader.ts';
import { normalizeTextureDescriptor, type TextureDescriptor } from '../resources/texture.ts';
import { normalizeTextureViewDescriptor, type TextureViewDescriptor } from '../resources/texture-view.ts';
import { normalizeStagingOptions, type TrimPolicy } from '../staging/options.ts';
import type { BufferReadRequest } from '../staging/planning/buffer-transfer.ts';
import type {
  TextureDataLayout,
  TextureExtentInput,
  TextureLocation,
  TextureReadRegion,
} from '../staging/planning/texture-transfer.ts';
import type { Entry } from './entry.ts';
import { ResourceFactory } from './factory.ts';
import { ResourceMonitor } from './monitor.ts';
import { readManagerOptions } from './options.ts';
import { ResourceRegistry } from './registry.ts';
import type { LeakReport, ManagerDump } from './report.ts';
import { type ContentOutcome, ResidencyService, type ResidencyStats } from './residency.ts';
import { type RestoreReport, restoreLost } from './restore.ts';
import { StagingService } from './staging-service.ts';
import { Transfers } from './transfers.ts';
import type { DestroyOptions, ManagerConstruction, ManagerEvents, ManagerStats } from './types.ts';

export type { DestroyOptions, ManagerEvents, ManagerOptions, ManagerStats } from './types.ts';

/**
 * The manager: every resource of one device is created, counted and destroyed here. A facade over the registry
 * (table, states, ledger, dependencies, deferred frees), the factory (one path for every kind, from the kind
 * table), the monitor (stats, stale detection, leak reports, dumps) and the staging service (pooled uploads and
 * readbacks). Backend-neutral; build one with `createResourceManager`.
 *
 * @example
 * const manager = createResourceManager({ device });
 * const tex = manager.createTexture({ label: 'albedo', size: [256, 256], format: 'rgba8unorm', usage });
 * manager.stats().byKind.texture.bytes; // 262144
 * manager.destroy(tex);
 */
export class ResourceManager<B extends BackendObjects = BackendObjects> {
  private readonly registry: ResourceRegistry<B>;
  private readonly factory: ResourceFactory<B>;
  private readonly monitor: ResourceMonitor<B>;
  private readonly staging: StagingService<B>;
  private readonly transfers: Transfers<B>;
  private readonly residency: ResidencyService<B>;
  private readonly restoreBackend: (() => Promise<Backend<B>>) | undefined;
  private readonly now: () => number;
  private readonly adoptedObjects = new WeakMap<object, AnyHandle>();
  private stopWatchingLoss: () => void = () => {};
  private lostReason: string | undefined;
  private disposed = false;

  constructor(backend: Backend<B>, options: ManagerConstruction = {}) {
    const { capacity, debug, now, staging, onListenerError, budget, restore } = readManagerOptions(options);
    this.now = now;
    this.restoreBackend = restore as (() => Promise<Backend<B>>) | undefined;
    const ledger = new MemoryLedger();
    this.staging = new StagingService<B>(
      ledger,
      () => this.registry.usage.changed(),
      normalizeStagingOptions(staging, now),
    );
    const registry = new ResourceRegistry(backend, this.staging, {
      ledger,
      capacity,
      now,
      debug,
      onListenerError,
    });
    this.registry = registry;
    this.residency = new ResidencyService(registry, this.staging, budget);
    this.factory = new ResourceFactory(registry, debug, (label, bytes) =>
      this.residency.beforeCreate(label, bytes),
    );
    this.monitor = new ResourceMonitor(registry, now);
    this.transfers = new Transfers(this.staging, this.residency, (handle, kind, operation) => {
      this.assertUsable(operation);
      const entry = this.liveEntry(handle, kind, operation);
      this.touch(entry);
      return entry;
    });
    this.attach(backend);
  }

  // ---- the backend ----------------------------------------------------------------------------------------

  /** The backend this manager creates on (changes when the manager is attached to a new device). */
  get backend(): Backend<B> {
    return this.registry.backend;
  }

  /** The backend's name (`'webgpu'` or `'webgl2'`). */
  get backendName(): string {
    return this.registry.backend.capabilities.backend;
  }

  /**
   * Moves the manager onto a backend (a new device or context after a loss): staging is rebuilt for it, its
   * capabilities are what later creates are validated against, and loss is watched on it.
   *
   * @example
   * manager.attach(new WebGPUBackend(await (await navigator.gpu.requestAdapter())!.requestDevice()));
   */
  attach(backend: Backend<B>): void {
    if (this.disposed) throw new DisposedError('the resource manager', 'attach a backend');
    checkBackend(backend); // before anything changes: a bad backend must not replace the working one
    this.stopWatchingLoss();
    this.registry.backend = backend;
    this.registry.deviceLost = false;
    this.lostReason = undefined;
    this.staging.attach(backend);
    const stopLost = backend.onLost((reason) => this.handleLoss(reason));
    const stopRestored = backend.onRestored?.((restored) => {
      void this.restore(restored).catch((error: unknown) => this.reportRestoreFailure(error));
    });
    this.stopWatchingLoss = () => {
      stopLost();
      stopRestored?.();
    };
  }

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
    const handle = this.registry.insert({
      kind,
      descriptor: descriptor as DescriptorOf<K> & { label: string },
      bytes: options?.bytes ?? spec.bytes(this.backend, descriptor),
      gpu: object,
      dependencies,
      shareKey: undefined,
      adopted: true,
    });
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

  // ---- lookup ---------------------------------------------------------------------------------------------

  /**
   * The record of a handle (in any state: see `record.state`), `undefined` when stale. Not counted as a use.
   *
   * @example
   * const record = manager.get(tex); if (record?.state === 'live') console.log(record.bytes);
   */
  get<K extends ResourceKind>(handle: Handle<K>): RecordOf<K> | undefined {
    return this.registry.current(handle)?.record as RecordOf<K> | undefined;
  }

  /**
   * The record of a handle; throws `StaleHandleError` / `ForeignHandleError` when it does not resolve.
   *
   * @example
   * const { descriptor } = manager.resolve(tex);
   */
  resolve<K extends ResourceKind>(handle: Handle<K>): RecordOf<K> {
    return this.entryOf(handle).record as RecordOf<K>;
  }

  /**
   * The GPU object of a live handle (a `GPUTexture`, `GPUBuffer`, ...), counted as a use. Throws when stale,
   * and `ResourceStateError` (naming the label and the state) when the resource is lost or failed. An evicted
   * resource whose contents are kept comes back at once (its contents are uploaded with the next `submit`,
   * `flush` or `frame`, before that work); other evicted resources throw `NotResidentError`.
   *
   * @example
   * device.queue.writeBuffer(manager.gpu(vbo), 0, vertices);
   */
  gpu<K extends ResourceKind>(handle: Handle<K>): B[K] {
    const entry = this.entryOf(handle);
    if (entry.record.state !== 'live') this.bringBack(entry, 'hand out its GPU object');
    this.touch(entry);
    return entry.gpu as B[K];
  }

  /**
   * True while the handle names a resource of this manager (in any state).
   *
   * @example
   * if (manager.has(tex)) draw(tex);
   */
  has(handle: AnyHandle): boolean {
    return this.registry.current(handle) !== undefined;
  }

  /**
   * Resolves a handle and counts a use (updates `lastAccess` and `accessCount`, used by stale detection).
   *
   * @example
   * const record = manager.access(tex); // each frame it is drawn
   */
  access<K extends ResourceKind>(handle: Handle<K>): RecordOf<K> {
    const entry = this.entryOf(handle);
    this.touch(entry);
    return entry.record as RecordOf<K>;
  }

  /**
   * Every resource's record (any state), in slot order.
   *
   * @example
   * for (const record of manager.resources()) console.log(record.label, record.state, record.bytes);
   */
  *resources(): IterableIterator<GraphicsResource> {
    for (const [, entry] of this.registry.table) if (!entry.leaving) yield entry.record;
  }

  // ---- lifetimes ------------------------------------------------------------------------------------------

  /**
   * Destroys a resource: the handle goes stale at once, the GPU object is destroyed exactly once (now, or when
   * in-flight work that uses it completes), and the ledger drops its bytes. A stale handle throws
   * `StaleHandleError` and changes nothing. A texture that a live render target uses throws
   * `ResourceInUseError` unless `{ cascade: true }`; a cascade that would destroy a retained dependent throws
   * `ResourceInUseError` before anything is destroyed. A retained (shared) resource is freed by its last release.
   *
   * @example
   * manager.destroy(rt);
   * manager.destroy(colorTex);
   */
  destroy(handle: AnyHandle, options?: DestroyOptions): void {
    const cascade = readCascade(options);
    const entry = this.entryOf(handle);
    if (entry.owners === 0) {
      throw new RefCountError(
        entry.record.label,
        `already destroyed by its owner; it lives on through ${entry.retains} retain(s): call release`,
      );
    }
    if (entry.owners + entry.retains > 1) {
      entry.owners--;
      return;
    }
    this.registry.destroy(entry, cascade);
  }

  /**
   * Ends one owner reference if the resource still has one, and does nothing otherwise (already destroyed by
   * hand, or stale). What scopes call on dispose.
   *
   * @example
   * manager.destroyIfOwned(tex);
   */
  destroyIfOwned(handle: AnyHandle): void {
    const entry = this.registry.current(handle);
    if (entry && entry.owners > 0) this.destroy(handle);
  }

  /**
   * Holds a resource for a component that owns it by other means (a texture atlas holds its page textures):
   * until the returned function is called, destroying it (or anything it depends on) throws
   * `ResourceInUseError` naming the holder, cascade or not. `dispose()` still frees it.
   *
   * @example
   * const letGo = manager.hold(pageTexture, "atlas 'glyphs'");
   * letGo(); manager.destroy(pageTexture);
   */
  hold(handle: AnyHandle, holder: string): () => void {
    const entry = this.entryOf(handle);
    if (typeof holder !== 'string' || holder === '') {
      throw new ValidationError(
        entry.record.label,
        'holder',
        holder,
        'must be a non-empty string naming the holder',
      );
    }
    entry.holders ??= [];
    entry.holders.push(holder);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const index = entry.holders?.indexOf(holder) ?? -1;
      if (index >= 0) entry.holders!.splice(index, 1);
    };
  }

  /**
   * Adds a reference for a component that shares the resource; each `retain` needs one `release`.
   *
   * @example
   * const shared = manager.retain(atlasTexture);
   */
  retain<K extends ResourceKind>(handle: Handle<K>): Handle<K> {
    this.entryOf(handle).retains++;
    return handle;
  }

  /**
   * Drops a reference taken by `retain`; the last reference (owner's destroy included) frees the resource.
   * Releasing more than was retained throws `RefCountError` and changes nothing.
   *
   * @example
   * manager.release(shared);
   */
  release(handle: AnyHandle): void {
    const entry = this.entryOf(handle);
    if (entry.retains === 0) {
      throw new RefCountError(entry.record.label, 'released more times than retained (retain count is 0)');
    }
    if (entry.owners + entry.retains > 1) {
      entry.retains--;
      return;
    }
    this.registry.destroy(entry, false);
  }

  /**
   * A weak handle: never keeps the resource alive, `upgrade()` gives `undefined` once it is gone.
   *
   * @example
   * const weak = manager.weak(tex);
   */
  weak<K extends ResourceKind>(handle: Handle<K>): WeakHandle<K, RecordOf<K>> {
    this.entryOf(handle);
    return new WeakHandle(handle, (h) => this.get(h));
  }

  /**
   * Marks resources, and everything they depend on, as used by the work being recorded now: destroying them
   * defers the real GPU destroy until that work, submitted through {@link submit}, has completed. With several
   * encoders recorded at once and submitted apart, use {@link useIn} so each use waits for its own submit.
   *
   * @example
   * pass.setVertexBuffer(0, manager.gpu(vbo)); manager.use(vbo, texture);
   */
  use(...handles: AnyHandle[]): void {
    const epoch = this.registry.tracker.currentEpoch;
    for (const entry of this.usedEntries(handles)) {
      if (entry.lastUseEpoch < epoch) entry.lastUseEpoch = epoch;
      this.touch(entry);
    }
  }

  /**
   * Like {@link use}, for work recorded into `encoder`: the resources stay busy until the {@link submit} that
   * carries this encoder (pass it in `submit(commandBuffers, { encoders: [encoder] })`) has completed.
   *
   * @example
   * manager.useIn(encoderB, shadowMap);
   * manager.submit([encoderA.finish()], { encoders: [encoderA] });
   * manager.submit([encoderB.finish()], { encoders: [encoderB] }); // shadowMap waits for this one
   */
  useIn(encoder: B['encoder'], ...handles: AnyHandle[]): void {
    this.backend.checkEncoder(encoder, 'useIn');
    for (const entry of this.usedEntries(handles)) {
      this.registry.tracker.useIn(encoder as object, entry);
      this.touch(entry);
    }
  }

  /**
   * Submits command buffers (`queue.submit`) and tracks their completion for deferred destroys. `encoders`
   * names the encoders these command buffers were finished from, for uses recorded with {@link useIn}.
   *
   * @example
   * manager.submit([encoder.finish()], { encoders: [encoder] });
   */
  submit(
    commandBuffers: readonly B['commandBuffer'][],
    options?: { encoders?: readonly B['encoder'][] },
  ): void {
    this.assertUsable('submit work');
    this.backend.checkSubmission(commandBuffers);
    const encoders = readEncoders(options, (encoder) => this.backend.checkEncoder(encoder, 'submit'));
    this.residency.flushReuploads(); // contents of resources brought back by gpu() land before this work
    const epoch = this.registry.tracker.close();
    this.backend.submit(commandBuffers);
    this.registry.tracker.encodersSubmitted(encoders as object[], epoch);
    this.staging.current.submitted(); // encoders that flush(encoder) recorded into are submitted now (or never)
    void this.backend.onSubmittedWorkDone().then(
      () => this.registry.tracker.complete(epoch),
      () => this.registry.tracker.complete(epoch),
    );
  }

  /**
   * Resolves when every submitted piece of work has completed and the destroys that waited for it ran.
   *
   * @example
   * await manager.idle();
   */
  async idle(): Promise<void> {
    const epoch = this.registry.tracker.close();
    await this.backend.onSubmittedWorkDone().catch(() => undefined);
    this.registry.tracker.complete(epoch);
  }

  /**
   * A scope: creates resources through the same API and destroys them all when disposed. Scopes nest; each
   * scope owns only what it created.
   *
   * @example
   * { using frame = manager.scope(); const tmp = frame.createBuffer({ size: 256, usage }); }
   */
  scope(): ResourceScope {
    if (this.disposed) throw new DisposedError('the resource manager', 'open a scope');
    return new ResourceScope(this);
  }

  // ---- residency: budgets, eviction, restore --------------------------------------------------------------

  /**
   * Marks a frame boundary for the eviction policy: what this or the previous frame used is never evicted, and
   * above 70% of the budget the idle age needed to evict shrinks as usage rises (at most
   * `budget.maxEvictionsPerFrame` evictions a frame).
   *
   * @example
   * function loop() { draw(); manager.frame(); requestAnimationFrame(loop); }
   */
  frame(): void {
    this.assertUsable('end a frame');
    this.residency.flushReuploads();
    this.residency.endFrame();
  }

  /**
   * Frees the GPU object of an evictable resource now (and of what depends on it), keeping the handle valid.
   * Returns false when it cannot be evicted now (pinned, not live, or used by work in flight).
   *
   * @example
   * manager.evict(bigTexture); // state 'evicted'; manager.ensureResident(bigTexture) brings it back
   */
  evict(handle: AnyHandle): boolean {
    this.assertUsable('evict a resource');
    return this.residency.evict(this.entryOf(handle));
  }

  /**
   * Brings evicted resources back under the same handles, through their content sources (dependencies first,
   * and the dependents evicted with them). Resolves with what became of each one's contents.
   *
   * @example
   * await manager.ensureResident([albedo, normals]);
   */
  async ensureResident(handles: AnyHandle | readonly AnyHandle[]): Promise<(ContentOutcome | 'live')[]> {
    this.assertUsable('bring resources back');
    const list: readonly AnyHandle[] = Array.isArray(handles) ? handles : [handles as AnyHandle];
    const entries = list.map((handle) => this.entryOf(handle));
    const outcomes: (ContentOutcome | 'live')[] = [];
    for (const entry of entries) outcomes.push(await this.residency.ensureResident(entry));
    return outcomes;
  }

  /**
   * After a device or context loss: attaches the manager to `backend` (a new device; by default the one the
   * `restore` option gives) and re-creates every lost resource under its handle, in dependency order, with its
   * contents from its source. Resolves with (and emits as `restored`) what came back, what came back empty
   * and what could not, with the reason.
   *
   * @example
   * manager.on('lost', async () => {
   *   const device = await (await navigator.gpu.requestAdapter())!.requestDevice();
   *   await manager.restore(new WebGPUBackend(device));
   * });
   */
  async restore(backend?: Backend<B>): Promise<RestoreReport> {
    if (this.disposed) throw new DisposedError('the resource manager', 'restore');
    const target = backend ?? (await this.restoreBackend?.());
    if (!target) {
      throw new ValidationError('restore', 'backend', backend, 'give the new backend, or a restore option');
    }
    this.attach(target);
    const report = await restoreLost(this.registry, this.residency, this.now);
    this.registry.events.emit('restored', report);
    return report;
  }

  /**
   * Budget and residency counters: budget, evictions, restores, re-uploaded bytes, over-budget creates.
   *
   * @example
   * const { evictions, reuploadedBytes } = manager.residencyStats();
   */
  residencyStats(): ResidencyStats {
    return this.residency.stats();
  }

  // ---- monitoring -----------------------------------------------------------------------------------------

  /**
   * Byte-exact ledger figures plus monitor figures. O(1) in the number of resources.
   *
   * @example
   * const { totalBytes, peakBytes, byKind } = manager.stats();
   */
  stats(): ManagerStats {
    return this.monitor.stats();
  }

  /**
   * The current usage snapshot (bytes and counts per kind and state).
   *
   * @example
   * manager.usageStats().byKind.buffer.bytes
   */
  usageStats(): LedgerSnapshot {
    return this.registry.ledger.snapshot();
  }

  /**
   * The ledger's live counters, read without building anything: for a frame loop.
   *
   * @example
   * const { totalBytes, residentBytes } = manager.counters; // no allocation
   */
  get counters(): Pick<
    ResourceRegistry<B>['ledger'],
    | 'totalBytes'
    | 'totalCount'
    | 'residentBytes'
    | 'peakBytes'
    | 'pendingFreeBytes'
    | 'evictedBytes'
    | 'hostBytes'
  > {
    return this.registry.ledger;
  }

  /**
   * Subscribes to usage snapshots, sent when usage changes, one per synchronous burst of changes.
   *
   * @example
   * const off = manager.onUsage((usage) => overlay.update(usage));
   */
  onUsage(listener: (usage: LedgerSnapshot) => void): () => void {
    return this.registry.usage.subscribe(listener);
  }

  /**
   * Subscribes to an event (`create`, `destroy`, `failed`, `gpuError`, `lost`); returns the unsubscribe
   * function. No listeners, no cost. A listener may call any manager method, and may throw: the others still
   * run and the error goes to `onListenerError`.
   *
   * @example
   * const off = manager.on('destroy', ({ record }) => console.log('freed', record.label));
   */
  on<E extends keyof ManagerEvents>(event: E, listener: (payload: ManagerEvents[E]) => void): () => void {
    return this.registry.events.on(event, listener);
  }

  /**
   * Handles whose last use through the manager (`gpu`, `use`, `access`, uploads, reads, render passes) or
   * creation is older than `maxAgeMs`.
   *
   * @example
   * const idle = manager.findStale(60_000);
   */
  findStale(maxAgeMs: number): AnyHandle[] {
    return this.monitor.findStale(maxAgeMs);
  }

  /**
   * Destroys the stale resources (see `findStale`) that nothing live depends on, dependents first; returns how
   * many were destroyed. Shared (retained) resources only lose their owner reference.
   *
   * @example
   * manager.destroyStale(60_000); // once a second
   */
  destroyStale(maxAgeMs: number): number {
    return this.monitor.destroyStale(maxAgeMs, (handle) => this.destroy(handle));
  }

  /**
   * Every resource with kind, label, bytes, age and (debug mode) creation stack.
   *
   * @example
   * for (const leak of manager.leaks()) console.warn(leak.label, leak.bytes, leak.creationStack);
   */
  leaks(): LeakReport[] {
    return this.monitor.leaks();
  }

  /**
   * The whole state as JSON (`gpu-handles/dump@1`, see `ManagerDump`).
   *
   * @example
   * console.log(JSON.stringify(manager, null, 2));
   */
  toJSON(): ManagerDump {
    return this.monitor.dump(this.backendName);
  }

  /**
   * Debug mode: waits for the GPU's verdict on every create so far and returns what it rejected.
   *
   * @example
   * expect(await manager.gpuErrors()).toEqual([]);
   */
  gpuErrors(): Promise<GpuValidationError[]> {
    return this.factory.gpuErrors();
  }

  // ---- staging --------------------------------------------------------------------------------------------

  /**
   * Writes `data` into a buffer at `offset` through the upload belt: the bytes are copied into pooled staging
   * memory before the call returns (reuse your array at once) and reach the buffer with the next
   * {@link flush}. Offset and length must be multiples of 4; the buffer needs COPY_DST. Returns `undefined`
   * when staged now; past the staging cap (`staging.maxUploadBytes`), it flushes what is staged, snapshots
   * `data` and returns a promise that resolves once the write is staged (it never rejects; a write to a
   * buffer destroyed meanwhile is dropped). Writes apply in call order either way.
   *
   * @example
   * for (let i = 0; i < 10_000; i++) manager.upload(uniforms, i * 256, objectUniforms[i]);
   * manager.flush(); // one copy for adjacent writes
   * const waited = manager.upload(vbo, 0, hugeMesh); if (waited) await waited; // only under back-pressure
   */
  upload(
    buffer: Handle<'buffer'>,
    offset: number,
    data: ArrayBufferView | ArrayBufferLike,
  ): Promise<void> | undefined {
    return this.transfers.upload(buffer, offset, data);
  }

  /**
   * Writes texels into a texture region through the upload belt, like `queue.writeTexture` but staged:
   * `layout` describes `data` (tight rows by default; any `bytesPerRow`, no 256-byte alignment needed: the
   * belt pads rows for the GPU), `size` is in texels (whole blocks for compressed formats), `destination`
   * picks the mip level and origin. Large uploads are split into pieces that fit the staging chunks.
   * Returns like {@link upload}. Colour and compressed formats; the texture needs COPY_DST.
   *
   * @example
   * manager.uploadTexture(tex, pixels, { bytesPerRow: 3 * 4 }, [3, 3]); // 12-byte rows, padded for the GPU
   * manager.uploadTexture(bc1, blocks, {}, [8, 8], { mipLevel: 0 });   // 2x2 blocks of 8 bytes
   * manager.flush();
   */
  uploadTexture(
    texture: Handle<'texture'>,
    data: ArrayBufferView | ArrayBufferLike,
    layout: TextureDataLayout,
    size: TextureExtentInput,
    destination?: TextureLocation,
  ): Promise<void> | undefined {
    return this.transfers.uploadTexture(texture, data, layout, size, destination);
  }

  /**
   * Turns every staged upload into copy commands: recorded into `encoder` (submit it with {@link submit},
   * which lets the belt reclaim those chunks; a raw `queue.submit` of it does not), or, without an encoder,
   * submitted at once in a command buffer of the belt's own. Also trims idle staging per the options.
   *
   * @example
   * manager.flush(encoder); // copies run before the passes recorded after this call
   * manager.submit([encoder.finish()]);
   */
  flush(encoder?: B['encoder']): void {
    this.assertUsable('flush uploads');
    if (encoder !== undefined) this.backend.checkEncoder(encoder, 'flush');
    this.transfers.flush(encoder);
  }

  /**
   * Reads `size` bytes (default: to the end) of a buffer at `offset` through a pooled MAP_READ buffer. Any
   * offset and size inside the buffer; the buffer needs COPY_SRC. Submitted at once, together with staged
   * uploads, so it sees every earlier upload; several reads may be in flight. Rejects with
   * `ReadbackCancelledError` when the buffer is destroyed, or the manager disposed, before the data is back.
   *
   * @example
   * const counts = new Uint32Array((await manager.read(counters)).buffer);
   * const [a, b] = await Promise.all([manager.read(bufA), manager.read(bufB, 256, 64)]);
   */
  read(buffer: Handle<'buffer'>, offset?: number, size?: number): Promise<Uint8Array> {
    return this.transfers.read(buffer, offset, size);
  }

  /**
   * Reads a texture region (default: all of mip level 0) through a pooled MAP_READ buffer. The result is
   * tight: rows of texel blocks without the GPU's 256-byte padding, images (layers, slices) back to back,
   * so a 3x3 rgba8unorm read is 36 bytes. Colour and compressed formats; the texture needs COPY_SRC.
   * Rejects like {@link read}.
   *
   * @example
   * const texels = await manager.readTexture(tex); // width * height * 4 bytes for rgba8unorm
   * const mip1 = await manager.readTexture(tex, { mipLevel: 1, origin: [0, 0], size: [2, 2] });
   */
  readTexture(texture: Handle<'texture'>, region?: TextureReadRegion): Promise<Uint8Array> {
    return this.transfers.readTexture(texture, region);
  }
  /**
   * Reads several buffers (or ranges) at once: as {@link read} each, but on WebGPU the copies go into one
   * readback buffer (per `maxChunkBytes` of data) with one submit and one map, where a read each pays its own
   * (Dawn: a submit is 25-45 us). Every range sees exactly the work submitted before this call. Resolves with
   * the bytes of each, in order (arrays of one group may be views of one `ArrayBuffer`); rejects, with
   * nothing started, when any request is invalid (a `ValidationError` naming `reads[i]` and the field, or
   * the buffer's label), and as a whole with `ReadbackCancelledError` when any of the buffers is destroyed.
   *
   * @example
   * const [picked, counters] = await manager.readBuffers([
   *   { buffer: pickBuffer, offset: 0, size: 16 },
   *   { buffer: counterBuffer },
   * ]);
   */
  readBuffers(reads: readonly BufferReadRequest[]): Promise<Uint8Array[]> {
    return this.transfers.readBuffers(reads);
  }

  /**
   * Destroys idle staging chunks: those idle for `idleMs` or more beyond the `keepBytes` most recently used
   * (defaults: the staging options; {@link flush} runs this with them). Returns the bytes freed, which
   * leave the ledger's `staging` kind at once.
   *
   * @example
   * manager.trimStaging(); // per the options
   * manager.trimStaging({ keepBytes: 0, idleMs: 0 }); // free every idle chunk now (e.g. on memory pressure)
   */
  trimStaging(policy?: TrimPolicy): number {
    this.assertUsable('trim staging');
    return this.transfers.trim(policy);
  }

  /**
   * Counters of the upload belt and the readback pool: bytes, chunks, created/destroyed/reused, queued
   * writes or reads, copies. O(1) in the number of resources.
   *
   * @example
   * const { upload } = manager.stagingStats(); console.log(upload.created, upload.copiesRecorded);
   */
  stagingStats(): StagingStats {
    this.assertUsable('read staging statistics');
    return this.transfers.stats();
  }

  // ---- end of life ----------------------------------------------------------------------------------------

  /**
   * Destroys every resource (dependents first) and every deferred GPU object, and returns what was still
   * alive. The manager is unusable afterwards (creates from listeners throw `DisposedError`); calling
   * `dispose` again returns `[]`.
   *
   * @example
   * const leaked = manager.dispose(); if (leaked.length) console.warn('leaked', leaked);
   */
  dispose(): LeakReport[] {
    if (this.disposed) return [];
    this.disposed = true; // first: listeners that try to create during the teardown are refused
    this.staging.detach('disposed'); // pending reads reject as 'disposed', not as 'destroyed'
    const report = this.monitor.leaks();
    this.destroyEverything();
    this.registry.sharing.clear();
    this.stopWatchingLoss();
    return report;
  }

  /** `using manager = createResourceManager(...)` disposes it at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  // ---- internals ------------------------------------------------------------------------------------------

  private entryOf(handle: AnyHandle): Entry<B> {
    const entry = this.registry.table.resolve(handle);
    if (entry.leaving) throw this.registry.table.explainMiss(handle);
    return entry;
  }

  private liveEntry(handle: AnyHandle, kind: ResourceKind, operation: string): Entry<B> {
    const entry = this.entryOf(handle);
    if (entry.record.kind !== kind) {
      throw new WrongKindError(entry.record.label, `handle ${handle}`, entry.record.kind, kind);
    }
    if (entry.record.state !== 'live') this.bringBack(entry, operation);
    return entry;
  }

  /** An evicted resource whose contents come back at once is rebuilt; anything else not live throws. */
  private bringBack(entry: Entry<B>, operation: string): void {
    if (entry.record.state === 'evicted') {
      if (this.lostReason === undefined && this.residency.makeResidentNow(entry)) return;
      throw new NotResidentError(entry.record.label, operation);
    }
    throw this.notLive(entry, operation);
  }

  private notLive(entry: Entry<B>, operation: string): ResourceStateError {
    return new ResourceStateError(entry.record.label, entry.record.state, operation, entry.record.failure);
  }

  private touch(entry: Entry<B>): void {
    const metrics = entry.record.metrics;
    metrics.lastAccess = this.now();
    metrics.accessCount++;
    entry.lastUseFrame = this.registry.frame;
    if (entry.inLru) this.registry.lru.touch(entry);
  }

  /** The entries of `handles` and, transitively, of what they depend on (each once). */
  private usedEntries(handles: readonly AnyHandle[]): Set<Entry<B>> {
    const used = new Set<Entry<B>>();
    const visit = (handle: AnyHandle) => {
      const entry = this.entryOf(handle);
      if (used.has(entry)) return;
      if (entry.record.state !== 'live') this.bringBack(entry, 'be used by recorded work');
      used.add(entry);
      for (const dependency of entry.record.dependencies) visit(dependency);
    };
    for (const handle of handles) visit(handle);
    return used;
  }

  private assertUsable(operation: string): void {
    if (this.disposed) throw new DisposedError('the resource manager', operation);
    if (this.lostReason !== undefined) throw new DeviceLostError(`${this.lostReason}; cannot ${operation}`);
  }

  private destroyEverything(): void {
    const { registry } = this;
    registry.run(() => {
      // Listeners run after this operation, so nothing can be added while the table is emptied.
      for (const entry of registry.entriesInOrder().reverse()) {
        if (registry.current(entry.record.handle) === entry) {
          entry.retains = 0;
          entry.holders = undefined;
          registry.destroy(entry, true);
        }
      }
    });
    registry.tracker.flushAll();
  }

  private handleLoss(reason: string): void {
    if (this.disposed || this.lostReason !== undefined) return;
    this.lostReason = reason;
    this.registry.deviceLost = true;
    this.staging.detach('device-lost'); // pending reads reject with ReadbackCancelledError('device-lost')
    const resources = this.monitor.leaks();
    this.registry.loseAll();
    this.registry.tracker.flushAll(); // frees that waited for the dead device: nothing to free any more
    this.registry.events.emit('lost', { reason, resources });
    const restore = this.restoreBackend;
    if (restore) {
      void restore()
        .then((backend) => this.restore(backend))
        .catch((error: unknown) => this.reportRestoreFailure(error));
    }
  }

  private reportRestoreFailure(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    const failed = [...this.registry.table]
      .filter(([, entry]) => entry.record.state === 'lost')
      .map(([handle, entry]) => ({ handle, kind: entry.record.kind, label: entry.record.label, reason }));
    this.registry.events.emit('restored', { durationMs: 0, restored: 0, empty: [], failed });
  }
}

/** A backend given to `attach` or `restore` has the contract's methods (read once, in case they throw). */
function checkBackend(backend: unknown): void {
  const methods = ['createStaging', 'onLost', 'submit', 'onSubmittedWorkDone', 'checkEncoder'] as const;
  let ok = typeof backend === 'object' && backend !== null;
  try {
    ok &&= typeof (backend as { capabilities?: unknown }).capabilities === 'object';
    for (const method of methods) ok &&= typeof (backend as Record<string, unknown>)[method] === 'function';
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new ValidationError(
      'attach',
      'backend',
      backend,
      `must be a Backend (capabilities and ${methods.join(', ')}), e.g. new WebGPUBackend(device)`,
    );
  }
}

/** `options[key]`, read once; a getter or Proxy trap that throws becomes a `ValidationError`. */
function readOption(options: object, key: string, operation: string): unknown {
  try {
    return (options as Record<string, unknown>)[key];
  } catch (error) {
    throw new ValidationError(
      operation,
      `options.${key}`,
      error,
      'could not be read: its getter or Proxy trap threw',
    );
  }
}

function readCascade(options: unknown): boolean {
  if (options === undefined) return false;
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(
      'destroy',
      'options',
      options,
      'must be an object like { cascade: true }, or omitted',
    );
  }
  const cascade = readOption(options, 'cascade', 'destroy');
  if (cascade === undefined) return false;
  if (typeof cascade !== 'boolean') {
    throw new ValidationError('destroy', 'options.cascade', cascade, 'must be a boolean');
  }
  return cascade;
}

function readEncoders(options: unknown, check: (encoder: unknown) => void): readonly unknown[] {
  if (options === undefined) return [];
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(
      'submit',
      'options',
      options,
      'must be an object like { encoders }, or omitted',
    );
  }
  const encoders = readOption(options, 'encoders', 'submit');
  if (encoders === undefined) return [];
  if (!Array.isArray(encoders)) {
    throw new ValidationError('submit', 'options.encoders', encoders, 'must be an array of encoders');
  }
  for (const encoder of encoders) check(encoder);
  return encoders;
}
