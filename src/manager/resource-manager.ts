import type { BackendObjects, StagingStats } from '../core/backend.ts';
import type { GpuValidationError } from '../errors.ts';
import type { AnyHandle, Handle } from '../handles/handle.ts';
import type { LedgerSnapshot } from '../ledger.ts';
import type { TrimPolicy } from '../staging/options.ts';
import { checkBufferUpload, planBufferRead } from '../staging/planning/buffer-transfer.ts';
import { asBytes } from '../staging/planning/copy-rows.ts';
import {
  planTextureRead,
  planTextureUpload,
  type TextureDataLayout,
  type TextureExtentInput,
  type TextureLocation,
  type TextureReadRegion,
} from '../staging/planning/texture-transfer.ts';
import { ManagerCore } from './manager-core.ts';
import { buildDump, type ManagerDump } from './report.ts';
import type { ManagerEvents, ManagerStats } from './types.ts';

export type { DestroyOptions, ManagerEvents, ManagerOptions, ManagerStats } from './types.ts';

/**
 * The manager: every texture, buffer, shader and render target of one device is created, counted and destroyed
 * here (see {@link ManagerCore}), plus monitoring (O(1) stats, events, usage broadcast, stale detection, leak
 * reports, JSON dumps) and staging (pooled uploads and readbacks). Backend-neutral; build one with
 * `createResourceManager`.
 *
 * @example
 * const manager = createResourceManager({ device });
 * const tex = manager.createTexture({ label: 'albedo', size: [256, 256], format: 'rgba8unorm', usage });
 * manager.stats().byKind.texture.bytes; // 262144
 * manager.destroy(tex);
 */
export class ResourceManager<B extends BackendObjects = BackendObjects> extends ManagerCore<B> {
  // ---- monitoring -----------------------------------------------------------------------------------------

  /**
   * Byte-exact ledger figures plus monitor figures. O(1): counters, not a scan.
   *
   * @example
   * const { totalBytes, peakBytes, byKind } = manager.stats();
   */
  stats(): ManagerStats {
    const ledger = this.registry.ledger.snapshot();
    return {
      ...ledger,
      active: this.registry.table.size,
      averageAgeMs: this.registry.averageAgeMs(this.now()),
    };
  }

  /**
   * The current usage snapshot (bytes and counts per kind).
   *
   * @example
   * manager.usageStats().byKind.buffer.bytes
   */
  usageStats(): LedgerSnapshot {
    return this.registry.ledger.snapshot();
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
   * Subscribes to an event; returns the unsubscribe function. No listeners, no cost.
   *
   * @example
   * const off = manager.on('destroy', ({ record }) => console.log('freed', record.label));
   */
  on<E extends keyof ManagerEvents<B>>(
    event: E,
    listener: (payload: ManagerEvents<B>[E]) => void,
  ): () => void {
    return this.registry.events.on(event, listener);
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
    for (const [handle, entry] of this.registry.table)
      if (entry.record.metrics.lastAccess < cutoff) stale.push(handle);
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
      .map((handle) => this.registry.table.get(handle)!)
      .sort((a, b) => b.sequence - a.sequence);
    let destroyed = 0;
    for (const entry of stale) {
      if (!this.registry.table.has(entry.record.handle) || entry.dependents?.size || entry.owners === 0)
        continue;
      this.destroy(entry.record.handle);
      destroyed++;
    }
    return destroyed;
  }

  /**
   * The whole state as JSON (`gpu-handles/dump@1`, see `ManagerDump`).
   *
   * @example
   * console.log(JSON.stringify(manager, null, 2));
   */
  toJSON(): ManagerDump {
    return buildDump(
      this.backendName,
      this.now(),
      this.registry.ledger.snapshot(),
      this.registry.entriesInOrder(),
    );
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
}
