import type { Backend, BackendObjects, RenderPassOptions, Staging } from '../core/backend.ts';
import {
  DeviceLostError,
  DisposedError,
  GpuValidationError,
  RefCountError,
  ShaderCompileError,
  WrongKindError,
} from '../errors.ts';
import type { AnyHandle, Handle } from '../handles/handle.ts';
import { type ResourceCreator, ResourceScope } from '../lifetimes/scope.ts';
import { WeakHandle } from '../lifetimes/weak-handle.ts';
import { type BufferDescriptor, normalizeBufferDescriptor } from '../resources/buffer.ts';
import type { GraphicsResource, RecordOf, ResourceKind } from '../resources/records.ts';
import { normalizeRenderTargetDescriptor, type RenderTargetDescriptor } from '../resources/render-target.ts';
import { normalizeShaderDescriptor, type ShaderDescriptor } from '../resources/shader.ts';
import { normalizeTextureDescriptor, type TextureDescriptor } from '../resources/texture.ts';
import { normalizeStagingOptions } from '../staging/options.ts';
import { ResourceRegistry } from './registry.ts';
import { type LeakReport, leakReport } from './report.ts';
import type { DestroyOptions, ManagerOptions } from './types.ts';

/**
 * What every manager does: create (validate, then one backend call), look up, and end lifetimes (destroy,
 * shared and weak handles, submission-safe destroy, scopes, dispose, device loss). `ResourceManager` adds
 * monitoring and staging on top. The bookkeeping lives in {@link ResourceRegistry}.
 *
 * @example
 * const manager = createResourceManager({ device }); // a ResourceManager, which extends ManagerCore
 */
export class ManagerCore<B extends BackendObjects = BackendObjects> implements ResourceCreator {
  readonly backend: Backend<B>;
  protected readonly registry: ResourceRegistry<B>;
  protected readonly staging: Staging<B>;
  protected readonly now: () => number;
  protected readonly debugChecks: Promise<void>[] = [];
  protected readonly debugErrors: GpuValidationError[] = [];
  private readonly sharedShaders = new Map<string, Promise<Handle<'shader'>>>();
  private readonly debug: boolean;
  private readonly stopWatchingLoss: () => void;
  private lostReason: string | undefined;
  private disposed = false;

  constructor(backend: Backend<B>, options: ManagerOptions = {}) {
    this.backend = backend;
    this.debug = options.debug ?? false;
    this.now = options.now ?? (() => performance.now());
    this.registry = new ResourceRegistry(
      backend,
      { detach: (record) => this.detach(record) },
      { capacity: options.capacity, now: this.now, debug: this.debug },
    );
    this.stopWatchingLoss = backend.onLost((reason) => this.handleLoss(reason));
    // Staging buffers are pool internals, not handles: counted in the ledger's `staging` kind only.
    const { ledger, usage } = this.registry;
    this.staging = backend.createStaging(
      {
        allocated: (bytes) => {
          ledger.add('staging', bytes);
          usage.changed();
        },
        freed: (bytes) => {
          ledger.remove('staging', bytes);
          usage.changed();
        },
      },
      normalizeStagingOptions(options.staging, this.now),
    );
  }

  // ---- creation -------------------------------------------------------------------------------------------

  /** The backend's name (`'webgpu'` or `'webgl2'`). */
  get backendName(): string {
    return this.backend.capabilities.backend;
  }

  /**
   * Validates and creates a texture. Throws `ValidationError` (nothing created) on bad input.
   *
   * @example
   * const tex = manager.createTexture({ label: 'albedo', size: [512, 512], format: 'rgba8unorm',
   *   usage: TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST, mipLevelCount: 'full' });
   */
  createTexture(desc: TextureDescriptor): Handle<'texture'> {
    this.assertUsable('create a texture');
    const normalized = normalizeTextureDescriptor(desc, this.backend.capabilities);
    const bytes = this.backend.textureByteSize(normalized);
    const gpu = this.createOnGpu(normalized.label, 'createTexture', () =>
      this.backend.createTexture(normalized),
    );
    return this.registry.insert(
      { kind: 'texture', label: normalized.label, descriptor: normalized, bytes, gpu },
      [],
    );
  }

  /**
   * Validates and creates a buffer. Throws `ValidationError` (nothing created) on bad input.
   *
   * @example
   * const vbo = manager.createBuffer({ label: 'quad', size: 64, usage: BufferUsage.VERTEX | BufferUsage.COPY_DST });
   */
  createBuffer(desc: BufferDescriptor): Handle<'buffer'> {
    this.assertUsable('create a buffer');
    const normalized = normalizeBufferDescriptor(desc, this.backend.capabilities);
    const gpu = this.createOnGpu(normalized.label, 'createBuffer', () =>
      this.backend.createBuffer(normalized),
    );
    return this.registry.insert(
      { kind: 'buffer', label: normalized.label, descriptor: normalized, bytes: normalized.size, gpu },
      [],
    );
  }

  /**
   * Compiles a shader and waits for the compiler's verdict: rejects with `ShaderCompileError` listing every
   * message with line:column and source line. Identical source (and entry-point set) yields the same
   * handle, shared: each create needs its own `destroy`, the last one frees it.
   *
   * @example
   * const shader = await manager.createShader({ label: 'blit', code: blitWgsl });
   */
  async createShader(desc: ShaderDescriptor): Promise<Handle<'shader'>> {
    this.assertUsable('create a shader');
    const normalized = normalizeShaderDescriptor(desc);
    const existing = this.sharedShaders.get(normalized.key);
    if (existing) {
      const handle = await existing;
      const entry = this.registry.table.get(handle);
      if (entry) {
        entry.owners++;
        return handle;
      }
    }
    const compiling = this.compileShader(normalized);
    this.sharedShaders.set(normalized.key, compiling);
    compiling.catch(() => this.sharedShaders.delete(normalized.key));
    return compiling;
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
        const record = this.registry.table.get(handle)?.record;
        if (!record) return 'stale';
        return record.kind === 'texture' ? record.descriptor : 'not-a-texture';
      },
      this.backend.capabilities,
    );
    const texture = (handle: Handle<'texture'>) => this.resolveKind(handle, 'texture').gpu;
    const attachments = {
      color: normalized.color.map((c) => ({
        texture: texture(c.texture),
        resolveTarget: c.resolveTarget === undefined ? undefined : texture(c.resolveTarget),
      })),
      depthStencil: normalized.depthStencil && texture(normalized.depthStencil.texture),
    };
    const dependencies: AnyHandle[] = [];
    for (const c of normalized.color)
      dependencies.push(c.texture, ...(c.resolveTarget ? [c.resolveTarget] : []));
    if (normalized.depthStencil) dependencies.push(normalized.depthStencil.texture);
    const gpu = this.createOnGpu(normalized.label, 'createRenderTarget', () =>
      this.backend.createRenderTarget(normalized, attachments),
    );
    return this.registry.insert(
      { kind: 'renderTarget', label: normalized.label, descriptor: normalized, bytes: 0, gpu },
      dependencies,
    );
  }

  /**
   * Builds what a render pass needs to draw into a render target (a `GPURenderPassDescriptor` on WebGPU).
   *
   * @example
   * const pass = encoder.beginRenderPass(manager.renderPass(rt, { load: 'clear' }));
   */
  renderPass(handle: Handle<'renderTarget'>, options: RenderPassOptions = {}): B['renderPass'] {
    const record = this.resolveKind(handle, 'renderTarget');
    return this.backend.renderPass(record.gpu, record.descriptor, options);
  }

  // ---- lookup ---------------------------------------------------------------------------------------------

  /**
   * The live record of a handle, `undefined` when stale. Does not count as an access.
   *
   * @example
   * const record = manager.get(tex); if (record) console.log(record.bytes);
   */
  get<K extends ResourceKind>(handle: Handle<K>): RecordOf<K, B> | undefined {
    return this.registry.table.get(handle)?.record as RecordOf<K, B> | undefined;
  }

  /**
   * The live record of a handle; throws `StaleHandleError` / `ForeignHandleError` when it does not resolve.
   *
   * @example
   * const { descriptor } = manager.resolve(tex);
   */
  resolve<K extends ResourceKind>(handle: Handle<K>): RecordOf<K, B> {
    return this.registry.table.resolve(handle).record as RecordOf<K, B>;
  }

  /**
   * The GPU object of a live handle (a `GPUTexture`, `GPUBuffer`, ...); throws when stale.
   *
   * @example
   * device.queue.writeBuffer(manager.gpu(vbo), 0, vertices);
   */
  gpu<K extends ResourceKind>(handle: Handle<K>): RecordOf<K, B>['gpu'] {
    return this.resolve(handle).gpu;
  }

  /**
   * True while the handle is live.
   *
   * @example
   * if (manager.has(tex)) draw(tex);
   */
  has(handle: AnyHandle): boolean {
    return this.registry.table.has(handle);
  }

  /**
   * Resolves a handle and counts an access (updates `lastAccess` and `accessCount`, used by stale detection).
   *
   * @example
   * const record = manager.access(tex); // each frame it is drawn
   */
  access<K extends ResourceKind>(handle: Handle<K>): RecordOf<K, B> {
    const record = this.resolve(handle);
    record.metrics.lastAccess = this.now();
    record.metrics.accessCount++;
    return record;
  }

  /**
   * Live records, in slot order.
   *
   * @example
   * for (const record of manager.resources()) console.log(record.label, record.bytes);
   */
  *resources(): IterableIterator<GraphicsResource<B>> {
    for (const [, entry] of this.registry.table) yield entry.record;
  }

  // ---- lifetimes ------------------------------------------------------------------------------------------

  /**
   * Destroys a resource: the handle goes stale at once, the GPU object is destroyed exactly once (now, or
   * when in-flight work that uses it completes), and the ledger drops its bytes. A stale handle throws
   * `StaleHandleError` and changes nothing. A texture that a live render target uses throws
   * `ResourceInUseError` unless `{ cascade: true }`. A retained (shared) resource is freed by its last release.
   *
   * @example
   * manager.destroy(rt);
   * manager.destroy(colorTex);
   */
  destroy(handle: AnyHandle, options: DestroyOptions = {}): void {
    const entry = this.registry.table.resolve(handle);
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
    this.registry.destroy(entry, options.cascade ?? false);
  }

  /**
   * Adds a reference for a component that shares the resource; each `retain` needs one `release`.
   *
   * @example
   * const shared = manager.retain(atlasTexture);
   */
  retain<K extends string>(handle: Handle<K>): Handle<K> {
    this.registry.table.resolve(handle).retains++;
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
    const entry = this.registry.table.resolve(handle);
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
  weak<K extends ResourceKind>(handle: Handle<K>): WeakHandle<K, RecordOf<K, B>> {
    this.registry.table.resolve(handle);
    return new WeakHandle(handle, (h) => this.get(h));
  }

  /**
   * Marks resources as used by the work being recorded now: destroying them defers the real GPU destroy
   * until that work, submitted through {@link submit}, has completed.
   *
   * @example
   * pass.setVertexBuffer(0, manager.gpu(vbo)); manager.use(vbo, texture);
   */
  use(...handles: AnyHandle[]): void {
    const epoch = this.registry.tracker.currentEpoch;
    for (const handle of handles) this.registry.table.resolve(handle).lastUseEpoch = epoch;
  }

  /**
   * Submits command buffers (`queue.submit`) and tracks their completion for deferred destroys.
   *
   * @example
   * manager.submit([encoder.finish()]);
   */
  submit(commandBuffers: readonly B['commandBuffer'][]): void {
    this.assertUsable('submit work');
    const epoch = this.registry.tracker.close();
    this.backend.submit(commandBuffers);
    this.staging.submitted(); // encoders that flush(encoder) recorded into are submitted now (or never)
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
    await this.backend.onSubmittedWorkDone();
    this.registry.tracker.complete(epoch);
  }

  /**
   * A scope: creates resources through the same API and destroys them all when disposed. Scopes nest.
   *
   * @example
   * { using frame = manager.scope(); const tmp = frame.createBuffer({ size: 256, usage }); }
   */
  scope(): ResourceScope {
    return new ResourceScope(this);
  }

  // ---- end of life ----------------------------------------------------------------------------------------

  /**
   * Live resources with kind, label, bytes, age and (debug mode) creation stack.
   *
   * @example
   * for (const leak of manager.leaks()) console.warn(leak.label, leak.bytes, leak.creationStack);
   */
  leaks(): LeakReport[] {
    const now = this.now();
    return this.registry.entriesInOrder().map((entry) => leakReport(entry.record, now));
  }

  /**
   * Destroys every live resource (dependents first) and every deferred GPU object, and returns what was still
   * alive. The manager is unusable afterwards; calling `dispose` again returns `[]`.
   *
   * @example
   * const leaked = manager.dispose(); if (leaked.length) console.warn('leaked', leaked);
   */
  dispose(): LeakReport[] {
    if (this.disposed) return [];
    this.staging.dispose('disposed'); // first: pending reads reject as 'disposed', not as 'destroyed'
    const report = this.leaks();
    for (const entry of this.registry.entriesInOrder().reverse()) {
      if (this.registry.table.has(entry.record.handle)) this.registry.destroy(entry, true);
    }
    this.registry.tracker.flushAll();
    this.disposed = true;
    this.stopWatchingLoss();
    return report;
  }

  /** `using manager = createResourceManager(...)` disposes it at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  // ---- internals ------------------------------------------------------------------------------------------

  private async compileShader(
    normalized: ReturnType<typeof normalizeShaderDescriptor>,
  ): Promise<Handle<'shader'>> {
    const { shader, messages } = await this.backend.compileShader(normalized);
    if (shader === undefined) throw new ShaderCompileError(normalized.label, messages);
    this.assertUsable('create a shader');
    const handle = this.registry.insert(
      {
        kind: 'shader',
        label: normalized.label,
        descriptor: normalized,
        bytes: 0,
        gpu: shader,
        diagnostics: messages,
      },
      [],
    );
    return handle;
  }

  protected createOnGpu<T>(label: string, operation: string, create: () => T): T {
    if (!this.debug) return create();
    const { value, error } = this.backend.captureErrors(create);
    this.debugChecks.push(
      error.then((message) => {
        if (message === undefined) return;
        const gpuError = new GpuValidationError(label, operation, message);
        this.debugErrors.push(gpuError);
        this.registry.events.emit('gpuError', gpuError);
      }),
    );
    return value;
  }

  protected resolveKind<K extends ResourceKind>(handle: Handle<K>, kind: K): RecordOf<K, B> {
    const record = this.resolve(handle);
    if (record.kind !== kind) {
      throw new WrongKindError(record.label, `handle ${handle}`, record.kind, kind);
    }
    return record;
  }

  protected assertUsable(operation: string): void {
    if (this.disposed) throw new DisposedError('the resource manager', operation);
    if (this.lostReason !== undefined) throw new DeviceLostError(`${this.lostReason}; cannot ${operation}`);
  }

  private handleLoss(reason: string): void {
    if (this.disposed) return;
    this.lostReason = reason;
    this.registry.deviceLost = true;
    this.staging.dispose('device-lost');
    const resources = this.leaks();
    for (const entry of this.registry.entriesInOrder().reverse()) this.registry.destroy(entry, true);
    this.registry.tracker.flushAll();
    this.registry.events.emit('lost', { reason, resources });
  }

  private detach(record: GraphicsResource<B>): boolean {
    if (record.kind === 'shader') this.sharedShaders.delete(record.descriptor.key);
    // Pending reads of it reject; copies into it recorded in a caller's unsubmitted encoder defer its destroy.
    return (record.kind === 'buffer' || record.kind === 'texture') && this.staging.forget(record.gpu);
  }
}
