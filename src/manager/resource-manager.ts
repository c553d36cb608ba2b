import type {
  Backend,
  BackendObjects,
  RenderPassOptions,
  Staging,
  StagingStats,
} from '../backends/backend.ts';
import {
  DeviceLostError,
  DisposedError,
  GpuValidationError,
  RefCountError,
  ResourceInUseError,
  ShaderCompileError,
} from '../errors.ts';
import { Emitter } from '../events.ts';
import type { AnyHandle, Handle } from '../handles/handle.ts';
import { ResourceTable } from '../handles/resource-table.ts';
import { type LedgerKind, type LedgerSnapshot, MemoryLedger } from '../ledger.ts';
import { ResourceScope, type ResourceCreator } from '../lifetimes/scope.ts';
import { SubmissionTracker } from '../lifetimes/submission-tracker.ts';
import { WeakHandle } from '../lifetimes/weak-handle.ts';
import { UsageBroadcast } from '../monitor/usage-broadcast.ts';
import { type BufferDescriptor, normalizeBufferDescriptor } from '../resources/buffer.ts';
import type { GraphicsResource, RecordOf, ResourceKind } from '../resources/records.ts';
import { normalizeRenderTargetDescriptor, type RenderTargetDescriptor } from '../resources/render-target.ts';
import { normalizeShaderDescriptor, type ShaderDescriptor } from '../resources/shader.ts';
import { normalizeTextureDescriptor, type TextureDescriptor } from '../resources/texture.ts';
import { checkBufferUpload, planBufferRead } from '../staging/buffer-transfer.ts';
import { asBytes } from '../staging/copy-rows.ts';
import { normalizeStagingOptions, type StagingOptions, type TrimPolicy } from '../staging/options.ts';
import {
  planTextureRead,
  planTextureUpload,
  type TextureDataLayout,
  type TextureExtentInput,
  type TextureLocation,
  type TextureReadRegion,
} from '../staging/texture-transfer.ts';
import type { Entry } from './entry.ts';
import { buildDump, type LeakReport, leakReport, type ManagerDump } from './report.ts';

/** Options of a manager. */
export interface ManagerOptions {
  /** Most live resources at once; creating past it throws `TableFullError`. */
  capacity?: number;
  /**
   * Debug mode: keep each resource's creation stack for leak reports, and run every create inside GPU error
   * scopes; anything the GPU rejects that validation let through is emitted as `gpuError` and collected by
   * `gpuErrors()`.
   */
  debug?: boolean;
  /** Clock in milliseconds for metrics and stale detection; injectable for tests. Default `performance.now`. */
  now?: () => number;
  /** Caps, chunk sizes and trim policy of the upload belt and the readback pool (see `StagingOptions`). */
  staging?: StagingOptions;
}

/** Events of a manager. */
export interface ManagerEvents<B extends BackendObjects> {
  /** A resource was created. */
  create: GraphicsResource<B>;
  /** A resource's handle went stale; `deferred` when the GPU object waits for in-flight work. */
  destroy: { record: GraphicsResource<B>; deferred: boolean };
  /** The GPU rejected a create that validation let through (debug mode). */
  gpuError: GpuValidationError;
  /** The device was lost: every handle went stale. */
  lost: { reason: string; resources: readonly LeakReport[] };
}

/** `stats()`: the ledger plus the resource monitor's figures. */
export interface ManagerStats extends LedgerSnapshot {
  /** Live resources (same as totalCount). */
  readonly active: number;
  /** Mean age of live resources in ms (0 when none). */
  readonly averageAgeMs: number;
}

/** Options of `destroy`. */
export interface DestroyOptions {
  /** Destroy the resources that depend on this one first, instead of throwing `ResourceInUseError`. */
  cascade?: boolean;
}

/**
 * The manager: every texture, buffer, shader and render target of one device is created, counted and destroyed
 * here. Backend-neutral; build one with `createResourceManager`.
 *
 * @example
 * const manager = createResourceManager({ device });
 * const tex = manager.createTexture({ label: 'albedo', size: [256, 256], format: 'rgba8unorm', usage });
 * manager.stats().byKind.texture.bytes; // 262144
 * manager.destroy(tex);
 */
export class ResourceManager<B extends BackendObjects = BackendObjects> implements ResourceCreator {
  readonly backend: Backend<B>;
  private readonly table: ResourceTable<Entry<B>>;
  private readonly ledger = new MemoryLedger();
  private readonly events = new Emitter<ManagerEvents<B>>();
  private readonly usage: UsageBroadcast<LedgerSnapshot>;
  private readonly tracker = new SubmissionTracker();
  private readonly sharedShaders = new Map<string, Promise<Handle<'shader'>>>();
  private readonly debug: boolean;
  private readonly now: () => number;
  private readonly debugChecks: Promise<void>[] = [];
  private readonly debugErrors: GpuValidationError[] = [];
  private readonly stopWatchingLoss: () => void;
  private readonly staging: Staging<B>;
  private sequence = 0;
  private createdAtSum = 0;
  private lostReason: string | undefined;
  private disposed = false;

  constructor(backend: Backend<B>, options: ManagerOptions = {}) {
    this.backend = backend;
    this.table = new ResourceTable<Entry<B>>({ capacity: options.capacity });
    this.debug = options.debug ?? false;
    this.now = options.now ?? (() => performance.now());
    this.usage = new UsageBroadcast(() => this.ledger.snapshot());
    this.stopWatchingLoss = backend.onLost((reason) => this.handleLoss(reason));
    // Staging buffers are pool internals, not handles: counted in the ledger's `staging` kind only.
    this.staging = backend.createStaging(
      {
        allocated: (bytes) => {
          this.ledger.add('staging', bytes);
          this.usage.changed();
        },
        freed: (bytes) => {
          this.ledger.remove('staging', bytes);
          this.usage.changed();
        },
      },
      normalizeStagingOptions(options.staging, this.now),
    );
  }

  /** The backend's name (`'webgpu'` or `'webgl2'`). */
  get backendName(): string {
    return this.backend.capabilities.backend;
  }

  // ---- creation -------------------------------------------------------------------------------------------

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
    const gpu = this.createOnGpu(normalized.label, 'createTexture', () => this.backend.createTexture(normalized));
    return this.insert({ kind: 'texture', label: normalized.label, descriptor: normalized, bytes, gpu }, []);
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
    const gpu = this.createOnGpu(normalized.label, 'createBuffer', () => this.backend.createBuffer(normalized));
    return this.insert(
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
      const entry = this.table.get(handle);
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
        const record = this.table.get(handle)?.record;
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
    for (const c of normalized.color) dependencies.push(c.texture, ...(c.resolveTarget ? [c.resolveTarget] : []));
    if (normalized.depthStencil) dependencies.push(normalized.depthStencil.texture);
    const gpu = this.createOnGpu(normalized.label, 'createRenderTarget', () =>
      this.backend.createRenderTarget(normalized, attachments),
    );
    return this.insert(
      { kind: 'renderTarget', label: normalized.label, descriptor: normalized, bytes: 0, gpu },
      dependencies,
    );
  }

  // ---- lookup ---------------------------------------------------------------------------------------------

  /**
   * The live record of a handle, `undefined` when stale. Does not count as an access.
   *
   * @example
   * const record = manager.get(tex); if (record) console.log(record.bytes);
   */
  get<K extends ResourceKind>(handle: Handle<K>): RecordOf<K, B> | undefined {
    return this.table.get(handle)?.record as RecordOf<K, B> | undefined;
  }

  /**
   * The live record of a handle; throws `StaleHandleError` / `ForeignHandleError` when it does not resolve.
   *
   * @example
   * const { descriptor } = manager.resolve(tex);
   */
  resolve<K extends ResourceKind>(handle: Handle<K>): RecordOf<K, B> {
    return this.table.resolve(handle).record as RecordOf<K, B>;
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
    return this.table.has(handle);
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
    for (const [, entry] of this.table) yield entry.record;
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
    const entry = this.table.resolve(handle);
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
    this.destroyEntry(entry, options.cascade ?? false);
  }

  /**
   * Adds a reference for a component that shares the resource; each `retain` needs one `release`.
   *
   * @example
   * const shared = manager.retain(atlasTexture);
   */
  retain<K extends string>(handle: Handle<K>): Handle<K> {
    this.table.resolve(handle).retains++;
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
    const entry = this.table.resolve(handle);
    if (entry.retains === 0) {
      throw new RefCountError(entry.record.label, 'released more times than retained (retain count is 0)');
    }
    if (entry.owners + entry.retains > 1) {
      entry.retains--;
      return;
    }
    this.destroyEntry(entry, false);
  }

  /**
   * A weak handle: never keeps the resource alive, `upgrade()` gives `undefined` once it is gone.
   *
   * @example
   * const weak = manager.weak(tex);
   */
  weak<K extends ResourceKind>(handle: Handle<K>): WeakHandle<K, RecordOf<K, B>> {
    this.table.resolve(handle);
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
    const epoch = this.tracker.currentEpoch;
    for (const handle of handles) this.table.resolve(handle).lastUseEpoch = epoch;
  }

  /**
   * Submits command buffers (`queue.submit`) and tracks their completion for deferred destroys.
   *
   * @example
   * manager.submit([encoder.finish()]);
   */
  submit(commandBuffers: readonly B['commandBuffer'][]): void {
    this.assertUsable('submit work');
    const epoch = this.tracker.close();
    this.backend.submit(commandBuffers);
    this.staging.submitted(); // encoders that flush(encoder) recorded into are submitted now (or never)
    void this.backend.onSubmittedWorkDone().then(
      () => this.tracker.complete(epoch),
      () => this.tracker.complete(epoch),
    );
  }

  /**
   * Resolves when every submitted piece of work has completed and the destroys that waited for it ran.
   *
   * @example
   * await manager.idle();
   */
  async idle(): Promise<void> {
    const epoch = this.tracker.close();
    await this.backend.onSubmittedWorkDone();
    this.tracker.complete(epoch);
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

  // ---- monitoring -----------------------------------------------------------------------------------------

  /**
   * Byte-exact ledger figures plus monitor figures. O(1): counters, not a scan.
   *
   * @example
   * const { totalBytes, peakBytes, byKind } = manager.stats();
   */
  stats(): ManagerStats {
    const ledger = this.ledger.snapshot();
    const active = this.table.size;
    const averageAgeMs = active === 0 ? 0 : this.now() - this.createdAtSum / active;
    return { ...ledger, active, averageAgeMs };
  }

  /**
   * The current usage snapshot (bytes and counts per kind).
   *
   * @example
   * manager.usageStats().byKind.buffer.bytes
   */
  usageStats(): LedgerSnapshot {
    return this.ledger.snapshot();
  }

  /**
   * Subscribes to usage snapshots, sent when usage changes, one per synchronous burst of changes.
   *
   * @example
   * const off = manager.onUsage((usage) => overlay.update(usage));
   */
  onUsage(listener: (usage: LedgerSnapshot) => void): () => void {
    return this.usage.subscribe(listener);
  }

  /**
   * Subscribes to an event; returns the unsubscribe function. No listeners, no cost.
   *
   * @example
   * const off = manager.on('destroy', ({ record }) => console.log('freed', record.label));
   */
  on<E extends keyof ManagerEvents<B>>(event: E, listener: (payload: ManagerEvents<B>[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  /**
   * Handles whose last access (or creation) is older than `maxAgeMs`.
   *
   * @example
   * const idle = manager.findStale(60_000);
   */
  findStale(maxAgeMs: number): AnyHandle[] {
    const cutoff = this.now() - maxAgeMs;
    const stale: AnyHandle[] = [];
    for (const [handle, entry] of this.table) if (entry.record.metrics.lastAccess < cutoff) stale.push(handle);
    return stale;
  }

  /**
   * Destroys the stale resources (see `findStale`) that nothing live depends on, dependents first; returns
   * how many were destroyed. Shared (retained) resources only lose their owner reference.
   *
   * @example
   * manager.destroyStale(60_000); // once a second
   */
  destroyStale(maxAgeMs: number): number {
    const stale = this.findStale(maxAgeMs)
      .map((handle) => this.table.get(handle)!)
      .sort((a, b) => b.sequence - a.sequence);
    let destroyed = 0;
    for (const entry of stale) {
      if (!this.table.has(entry.record.handle) || entry.dependents?.size || entry.owners === 0) continue;
      this.destroy(entry.record.handle);
      destroyed++;
    }
    return destroyed;
  }

  /**
   * Live resources with kind, label, bytes, age and (debug mode) creation stack.
   *
   * @example
   * for (const leak of manager.leaks()) console.warn(leak.label, leak.bytes, leak.creationStack);
   */
  leaks(): LeakReport[] {
    const now = this.now();
    return this.entriesInOrder().map((entry) => leakReport(entry.record, now));
  }

  /**
   * The whole state as JSON (`gpu-handles/dump@1`, see `ManagerDump`).
   *
   * @example
   * console.log(JSON.stringify(manager, null, 2));
   */
  toJSON(): ManagerDump {
    return buildDump(this.backendName, this.now(), this.ledger.snapshot(), this.entriesInOrder());
  }

  /**
   * Debug mode: waits for the GPU's verdict on every create so far and returns what it rejected.
   *
   * @example
   * expect(await manager.gpuErrors()).toEqual([]);
   */
  async gpuErrors(): Promise<GpuValidationError[]> {
    await Promise.all(this.debugChecks);
    return [...this.debugErrors];
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
    for (const entry of this.entriesInOrder().reverse()) {
      if (this.table.has(entry.record.handle)) this.destroyEntry(entry, true);
    }
    this.tracker.flushAll();
    this.disposed = true;
    this.stopWatchingLoss();
    return report;
  }

  /** `using manager = createResourceManager(...)` disposes it at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  // ---- staging --------------------------------------------------------------------------------------------
  //
  // Thin delegates: resolve the handle, check the call against the descriptor (pure, src/staging/), and hand
  // the backend object to the backend's staging. Back-pressure: `upload`/`uploadTexture` return `undefined`
  // when the data is staged at once (the sync fast path), and a promise only when the upload cap made them
  // wait.

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
    this.assertUsable('upload to a buffer');
    const record = this.resolveKind(buffer, 'buffer');
    const bytes = asBytes(data);
    checkBufferUpload(record.descriptor, offset, bytes.byteLength);
    return this.staging.writeBuffer(record.gpu, offset, bytes);
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
    this.assertUsable('upload to a texture');
    const record = this.resolveKind(texture, 'texture');
    const bytes = asBytes(data);
    const plan = planTextureUpload(record.descriptor, bytes.byteLength, layout, size, destination);
    const region = bytes.subarray(plan.byteOffset, plan.byteOffset + plan.byteLength);
    return this.staging.writeTexture(record.gpu, region, plan.copy);
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
    this.staging.flush(encoder);
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
  async read(buffer: Handle<'buffer'>, offset?: number, size?: number): Promise<Uint8Array> {
    this.assertUsable('read a buffer');
    const record = this.resolveKind(buffer, 'buffer');
    const plan = planBufferRead(record.descriptor, offset, size);
    const words = await this.staging.readBuffer(record.gpu, plan.start, plan.size, record.label);
    if (plan.skip === 0 && plan.length === words.byteLength) return words;
    return words.slice(plan.skip, plan.skip + plan.length);
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
  async readTexture(texture: Handle<'texture'>, region?: TextureReadRegion): Promise<Uint8Array> {
    this.assertUsable('read a texture');
    const record = this.resolveKind(texture, 'texture');
    return this.staging.readTexture(record.gpu, planTextureRead(record.descriptor, region), record.label);
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
    return this.staging.trim(policy);
  }

  /**
   * Counters of the upload belt and the readback pool: bytes, chunks, created/destroyed/reused, queued
   * writes or reads, copies. O(1) in the number of resources.
   *
   * @example
   * const { upload } = manager.stagingStats(); console.log(upload.created, upload.copiesRecorded);
   */
  stagingStats(): StagingStats {
    return this.staging.stats();
  }

  // ---- internals ------------------------------------------------------------------------------------------

  private async compileShader(normalized: ReturnType<typeof normalizeShaderDescriptor>): Promise<Handle<'shader'>> {
    const { shader, messages } = await this.backend.compileShader(normalized);
    if (shader === undefined) throw new ShaderCompileError(normalized.label, messages);
    this.assertUsable('create a shader');
    const handle = this.insert(
      { kind: 'shader', label: normalized.label, descriptor: normalized, bytes: 0, gpu: shader, diagnostics: messages },
      [],
    );
    return handle;
  }

  private insert<K extends ResourceKind>(fields: NewRecord<B> & { kind: K }, dependencies: readonly AnyHandle[]): Handle<K> {
    const createdAt = this.now();
    const record = {
      ...fields,
      handle: 0 as Handle<K>,
      metrics: { createdAt, lastAccess: createdAt, accessCount: 0 },
      dependencies,
      creationStack: this.debug ? creationStack() : undefined,
    } as unknown as GraphicsResource<B>;
    const entry: Entry<B> = {
      record,
      sequence: ++this.sequence,
      owners: 1,
      retains: 0,
      dependents: undefined,
      lastUseEpoch: 0,
    };
    let handle: Handle<K>;
    try {
      handle = this.table.insert(entry) as Handle<K>;
    } catch (error) {
      this.freeGpu(record); // table full: the GPU object must not outlive the failed call
      throw error;
    }
    (record as { handle: AnyHandle }).handle = handle;
    for (const dependency of dependencies) {
      const target = this.table.get(dependency)!;
      (target.dependents ??= new Set()).add(handle);
    }
    this.ledger.add(ledgerKind(record.kind), record.bytes);
    this.createdAtSum += createdAt;
    if (this.events.hasListeners('create')) this.events.emit('create', record);
    this.usage.changed();
    return handle;
  }

  private destroyEntry(entry: Entry<B>, cascade: boolean): void {
    const { record } = entry;
    if (entry.dependents?.size) {
      const dependents = [...entry.dependents].map((h) => this.table.get(h)!);
      if (!cascade) throw new ResourceInUseError(record.label, dependents.map((d) => d.record.label || `#${d.record.handle}`));
      for (const dependent of dependents.sort((a, b) => b.sequence - a.sequence)) {
        if (this.table.has(dependent.record.handle)) this.destroyEntry(dependent, true);
      }
    }
    this.table.remove(record.handle);
    for (const dependency of record.dependencies) this.table.get(dependency)?.dependents?.delete(record.handle);
    if (record.kind === 'shader') this.sharedShaders.delete(record.descriptor.key);
    this.createdAtSum -= record.metrics.createdAt;
    const kind = ledgerKind(record.kind);
    // Its pending reads reject; copies into it recorded in a caller's unsubmitted encoder defer its destroy.
    if ((record.kind === 'buffer' || record.kind === 'texture') && this.staging.forget(record.gpu)) {
      entry.lastUseEpoch = this.tracker.currentEpoch;
    }
    const deferred = this.tracker.isBusy(entry.lastUseEpoch) && this.lostReason === undefined;
    if (deferred) {
      this.ledger.moveToPending(kind, record.bytes);
      this.tracker.defer(entry.lastUseEpoch, () => {
        this.freeGpu(record);
        this.ledger.settlePending(record.bytes);
        this.usage.changed();
      });
    } else {
      this.freeGpu(record);
      this.ledger.remove(kind, record.bytes);
    }
    if (this.events.hasListeners('destroy')) this.events.emit('destroy', { record, deferred });
    this.usage.changed();
  }

  private freeGpu(record: GraphicsResource<B>): void {
    if (this.lostReason !== undefined) return; // the objects died with the device: touching them is pointless
    switch (record.kind) {
      case 'texture':
        return this.backend.destroyTexture(record.gpu);
      case 'buffer':
        return this.backend.destroyBuffer(record.gpu);
      case 'shader':
        return this.backend.destroyShader(record.gpu);
      case 'renderTarget':
        return this.backend.destroyRenderTarget(record.gpu);
    }
  }

  private createOnGpu<T>(label: string, operation: string, create: () => T): T {
    if (!this.debug) return create();
    const { value, error } = this.backend.captureErrors(create);
    this.debugChecks.push(
      error.then((message) => {
        if (message === undefined) return;
        const gpuError = new GpuValidationError(label, operation, message);
        this.debugErrors.push(gpuError);
        this.events.emit('gpuError', gpuError);
      }),
    );
    return value;
  }

  private resolveKind<K extends ResourceKind>(handle: Handle<K>, kind: K): RecordOf<K, B> {
    const record = this.resolve(handle);
    if (record.kind !== kind) {
      throw new RefCountError(record.label, `handle ${handle} is a ${record.kind}, expected a ${kind}`);
    }
    return record;
  }

  private entriesInOrder(): Entry<B>[] {
    const entries: Entry<B>[] = [];
    for (const [, entry] of this.table) entries.push(entry);
    return entries.sort((a, b) => a.sequence - b.sequence);
  }

  private assertUsable(operation: string): void {
    if (this.disposed) throw new DisposedError('the resource manager', operation);
    if (this.lostReason !== undefined) throw new DeviceLostError(`${this.lostReason}; cannot ${operation}`);
  }

  private handleLoss(reason: string): void {
    if (this.disposed) return;
    this.lostReason = reason;
    this.staging.dispose('device-lost');
    const resources = this.leaks();
    for (const entry of this.entriesInOrder().reverse()) this.destroyEntry(entry, true);
    this.tracker.flushAll();
    this.events.emit('lost', { reason, resources });
  }
}

/** A record before it is inserted: what the create call computed. */
type NewRecord<B extends BackendObjects> =
  GraphicsResource<B> extends infer R
    ? R extends unknown
      ? Omit<R, 'handle' | 'metrics' | 'dependencies' | 'creationStack'>
      : never
    : never;

/** Every manager-created resource is counted under its own kind; staging belongs to the upload/readback pools. */
function ledgerKind(kind: ResourceKind): LedgerKind {
  return kind;
}

function creationStack(): string {
  const stack = new Error().stack ?? '';
  // Drop the Error line and the manager's own frames: the first frame left is the caller's.
  return stack
    .split('\n')
    .slice(1)
    .filter((line) => !line.includes('/manager/') && !line.includes('/lifetimes/scope'))
    .join('\n');
}
