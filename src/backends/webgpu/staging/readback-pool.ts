/**
 * The WebGPU readback pool: each read copies its source into a pooled MAP_READ buffer, submits at once
 * (together with the belt's staged writes, so a read sees every earlier upload), maps, copies the bytes out to
 * an array the caller owns, and hands the buffer back. The queueing behind the byte cap, per-source
 * cancelling and dispose are the backend-neutral `ReadQueue`'s.
 *
 * A read of a resource that gets destroyed (or of a disposed manager) rejects at once with
 * `ReadbackCancelledError`; its buffer is unmapped, which aborts the map, and returns to the pool. The
 * staged writes go in a submit of their own, ahead of the read's, so a read the GPU refuses never takes the
 * writes with it.
 *
 * Whether a read's copy needs an error scope: Dawn refuses a copy whose source is destroyed, mapped (or
 * pending a map), lacks COPY_SRC, or whose range or alignment is wrong, and then runs nothing of that submit
 * while the readback buffer still maps fine, so the read would resolve with stale bytes. For a buffer read
 * every one of those rules is checked before the submit (range, alignment and usage by `planBufferRead`; map
 * state and direct destroys by `checkUsable`, which sees `destroy()` calls through `watchDestroy`), so such
 * a copy cannot fail and goes without a scope: a scope costs a round trip to the device's error queue per
 * read. Texture reads (more rules: formats, aspects, sample counts) and sources whose `destroy` could not be
 * watched keep the scope, and fail alone with `GpuValidationError` if the GPU refuses them. A zero-length read takes no buffer and resolves once the GPU has
 * done the work before it, so it can still be cancelled like any read.
 */
import { GpuValidationError, ReadbackCancelledError } from '../../../errors.ts';
import { type PendingRead, ReadQueue } from '../../../staging/pooling/read-queue.ts';
import type { Chunk, GPUChunkPool } from './chunk-pool.ts';
import { checkUsable, destroyWatched, watchDestroy } from './target-guards.ts';
import type { UploadBelt } from './upload-belt.ts';

/** A resource a read copies from, and the label that names it in errors. */
export interface ReadTarget {
  readonly object: GPUBuffer | GPUTexture;
  readonly label: string;
}

/** What a read copies and how its mapped bytes become the caller's. */
export interface ReadRequest {
  /** What cancels the read when forgotten: its one resource, or the token of a group of buffer reads. */
  readonly source: object;
  /** Names the read in errors. */
  readonly label: string;
  /** The resources the copy reads (one, or the buffers of a group), checked again when the read is issued. */
  readonly targets: readonly ReadTarget[];
  /** Bytes the copy writes to the readback buffer (a multiple of 4). */
  readonly bytes: number;
  /** Every rule the GPU applies to the copy was checked before (see the file's comment): no error scope. */
  readonly checked: boolean;
  record(encoder: GPUCommandEncoder, buffer: GPUBuffer): void;
  /** Copies what the caller gets out of the mapped range (which is unmapped right after). */
  finish(mapped: Uint8Array): Uint8Array;
}

type Read = PendingRead<ReadRequest, Chunk>;

/**
 * Reads through pooled MAP_READ buffers.
 *
 * @example
 * const pool = new ReadbackPool(device, readbackChunks, belt, () => order.drain());
 * const bytes = await pool.read({ source: buffer, label: 'particles', targets: [{ object: buffer, label: 'particles' }],
 *   bytes: 64, checked: true, record: (e, dst) => e.copyBufferToBuffer(buffer, 0, dst, 0, 64), finish: (m) => m.slice() });
 */
export class ReadbackPool extends ReadQueue<ReadRequest, Chunk> {
  private readonly device: GPUDevice;
  private readonly belt: UploadBelt;
  private readonly onChunkFree: () => void;

  constructor(device: GPUDevice, pool: GPUChunkPool, belt: UploadBelt, onChunkFree: () => void) {
    super(pool);
    this.device = device;
    this.belt = belt;
    this.onChunkFree = onChunkFree;
  }

  protected override usesChunk(request: ReadRequest): boolean {
    return request.bytes > 0;
  }

  protected override chunkFreed(): void {
    this.onChunkFree();
  }

  protected override issue(read: Read): void {
    const encoder = this.device.createCommandEncoder({ label: 'gpu-handles readback' });
    const staged = this.belt.recordInto(encoder, false);
    if (staged !== undefined) {
      this.device.queue.submit([encoder.finish()]);
      this.belt.reclaim(staged);
    }
    const { targets, bytes } = read.request;
    const chunk = read.chunk;
    try {
      // A target may have been mapped or destroyed while the read waited.
      for (const target of targets) checkUsable(target.object, target.label, 'read');
    } catch (error) {
      this.reject(read, error as Error);
      this.complete(chunk);
      return;
    }
    if (chunk === undefined) {
      if (staged === undefined) this.device.queue.submit([]);
      this.device.queue.onSubmittedWorkDone().then(
        () => this.settleEmpty(read),
        () => this.settleEmpty(read),
      );
      return;
    }
    const copy =
      staged === undefined ? encoder : this.device.createCommandEncoder({ label: 'gpu-handles readback' });
    read.request.record(copy, chunk.buffer);
    // Without a watch, a destroy made behind the manager's back is invisible, and only an error scope tells
    // whether the copy ran. From now on it is watched, so the next reads of these targets need no scope (a
    // scope's verdict arrives after the map, about 100 us a read on Dawn).
    const watchedBefore = targets.every((target) => destroyWatched(target.object));
    if (!watchedBefore) for (const target of targets) watchDestroy(target.object);
    if (read.request.checked && watchedBefore) {
      this.device.queue.submit([copy.finish()]);
      chunk.buffer.mapAsync(GPUMapMode.READ, 0, bytes).then(
        () => this.mapped(read, chunk),
        (error: unknown) => this.mapFailed(read, chunk, error),
      );
      return;
    }
    this.device.pushErrorScope('validation');
    this.device.queue.submit([copy.finish()]);
    const scope = this.device.popErrorScope();
    Promise.all([chunk.buffer.mapAsync(GPUMapMode.READ, 0, bytes), scope]).then(
      ([, error]) => (error ? this.copyFailed(read, chunk, error.message) : this.mapped(read, chunk)),
      (error: unknown) => this.mapFailed(read, chunk, error),
    );
  }

  /** Unmapping aborts the map; the buffer comes back through mapFailed. */
  protected override cancelIssued(read: Read): void {
    read.chunk?.buffer.unmap();
  }

  private settleEmpty(read: Read): void {
    if (read.state === 'in-flight') this.resolve(read, new Uint8Array(0));
    this.complete(undefined);
  }

  /** The GPU refused the read's copy (its buffer mapped fine): the read fails, the buffer is reused. */
  private copyFailed(read: Read, chunk: Chunk, message: string): void {
    if (chunk.alive) chunk.buffer.unmap();
    if (read.state === 'in-flight') {
      this.reject(read, new GpuValidationError(read.request.label, 'the readback copy', message));
    }
    this.complete(chunk);
  }

  private mapped(read: Read, chunk: Chunk): void {
    // A dead chunk means the pool was disposed, and the read rejected then.
    if (chunk.alive && read.state === 'in-flight') {
      let data: Uint8Array;
      try {
        data = read.request.finish(new Uint8Array(chunk.buffer.getMappedRange(0, read.request.bytes)));
      } finally {
        chunk.buffer.unmap();
      }
      this.resolve(read, data);
    } else if (chunk.alive) {
      chunk.buffer.unmap(); // cancelled after the map completed
    }
    this.complete(chunk);
  }

  private mapFailed(read: Read, chunk: Chunk, error: unknown): void {
    if (chunk.alive && read.state === 'in-flight') {
      // Not our cancel: the buffer's state is unknown, so it is destroyed rather than reused.
      chunk.broken = true;
      this.reject(
        read,
        new ReadbackCancelledError(read.request.label, 'map-failed', (error as Error)?.message),
      );
    }
    this.complete(chunk);
  }
}
