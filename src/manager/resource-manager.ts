import type { Backend, BackendObjects, StagingStats } from '../core/backend.ts';
import { DisposedError, type GpuValidationError, ValidationError } from '../errors.ts';
import type { AnyHandle, Handle } from '../handles/handle.ts';
import type { LedgerSnapshot } from '../ledger.ts';
import type { TrimPolicy } from '../staging/options.ts';
import type { BufferReadRequest } from '../staging/planning/buffer-transfer.ts';
import type {
  TextureDataLayout,
  TextureExtentInput,
  TextureLocation,
  TextureReadRegion,
} from '../staging/planning/texture-transfer.ts';
import { ManagerLifetimes } from './manager-lifetimes.ts';
import type { ResourceRegistry } from './registry.ts';
import type { LeakReport, ManagerDump } from './report.ts';
import type { ContentOutcome, ResidencyStats } from './residency.ts';
import { type RestoreReport, restoreLost } from './restore.ts';
import type { ManagerEvents, ManagerStats } from './types.ts';

export type { DestroyOptions, ManagerEvents, ManagerOptions, ManagerStats } from './types.ts';

/**
 * The manager: every resource of one device is created, counted and destroyed here. A facade over the registry
 * (table, states, ledger, dependencies, deferred frees), the factory (one path for every kind, from the kind
 * table), the monitor (stats, stale detection, leak reports, dumps) and the staging service (pooled uploads and
 * readbacks). Backend-neutral; build one with `createResourceManager`. Its methods are layered by concern: the
 * shared state and internals (`ManagerBase`), creation (`ManagerCreation`), lookup and lifetimes
 * (`ManagerLifetimes`), and here residency, monitoring, staging and the end of life.
 *
 * @example
 * const manager = createResourceManager({ device });
 * const tex = manager.createTexture({ label: 'albedo', size: [256, 256], format: 'rgba8unorm', usage });
 * manager.stats().byKind.texture.bytes; // 262144
 * manager.destroy(tex);
 */
export class ResourceManager<B extends BackendObjects = BackendObjects> extends ManagerLifetimes<B> {
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
   * {@link flush}. A write of `staging.directWriteBytes` (64 KiB) or more goes to `queue.writeBuffer` at once
   * instead, unless staged writes it overlaps must land first. Offset and length must be multiples of 4; the
   * buffer needs COPY_DST. Returns `undefined`
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
}
