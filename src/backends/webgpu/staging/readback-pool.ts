/**
 * The readback pool: each read copies its source into a pooled MAP_READ buffer, submits at once (together
 * with the belt's staged writes, so a read sees every earlier upload), maps, copies the bytes out to an
 * array the caller owns, and hands the buffer back. Many reads may be in flight; past the byte cap, reads
 * queue in call order until a buffer comes back.
 *
 * A read of a resource that gets destroyed (or of a disposed manager) rejects at once with
 * `ReadbackCancelledError`; its buffer is unmapped, which aborts the map, and returns to the pool.
 */
import { ReadbackCancelledError, ValidationError } from '../../../errors.ts';
import type { Chunk, ChunkPool } from './chunk-pool.ts';
import type { UploadBelt } from './upload-belt.ts';

type Source = GPUBuffer | GPUTexture;

/** What a read copies and how its mapped bytes become the caller's. */
export interface ReadRequest {
  readonly source: Source;
  /** Names the source in errors. */
  readonly label: string;
  /** Bytes the copy writes to the readback buffer (a multiple of 4). */
  readonly bytes: number;
  record(encoder: GPUCommandEncoder, buffer: GPUBuffer): void;
  /** Copies what the caller gets out of the mapped range (which is unmapped right after). */
  finish(mapped: Uint8Array): Uint8Array;
}

interface PendingRead {
  readonly request: ReadRequest;
  readonly resolve: (data: Uint8Array) => void;
  readonly reject: (error: Error) => void;
  state: 'queued' | 'mapping' | 'settled';
  chunk: Chunk | undefined;
}

/**
 * Reads through pooled MAP_READ buffers.
 *
 * @example
 * const pool = new ReadbackPool(device, readbackChunks, belt);
 * const bytes = await pool.read({ source: buffer, label: 'particles', bytes: 64,
 *   record: (e, dst) => e.copyBufferToBuffer(buffer, 0, dst, 0, 64), finish: (m) => m.slice() });
 */
export class ReadbackPool {
  private readonly device: GPUDevice;
  private readonly pool: ChunkPool;
  private readonly belt: UploadBelt;
  private readonly bySource = new Map<Source, Set<PendingRead>>();
  private queue: PendingRead[] = [];
  private inFlight = 0;
  private disposed = false;

  constructor(device: GPUDevice, pool: ChunkPool, belt: UploadBelt) {
    this.device = device;
    this.pool = pool;
    this.belt = belt;
  }

  /** Reads waiting for a buffer. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Reads whose data the GPU has not returned yet. */
  get pending(): number {
    return this.inFlight;
  }

  /**
   * Starts a read now (or queues it behind the cap) and resolves with the caller's bytes.
   *
   * @example
   * const texels = await pool.read(request);
   */
  read(request: ReadRequest): Promise<Uint8Array> {
    if (this.disposed) return Promise.reject(new ReadbackCancelledError(request.label, 'disposed'));
    const size = this.pool.classOf(request.bytes);
    if (size > this.pool.maxBytes) {
      return Promise.reject(
        new ValidationError(
          request.label,
          'read size',
          request.bytes,
          `a read uses one readback buffer (${size} bytes for this one), which must fit in maxReadbackBytes ` +
            `(${this.pool.maxBytes}): read a smaller region or raise the option`,
        ),
      );
    }
    return new Promise<Uint8Array>((resolve, reject) => {
      const read: PendingRead = { request, resolve, reject, state: 'queued', chunk: undefined };
      const reads = this.bySource.get(request.source);
      if (reads === undefined) this.bySource.set(request.source, new Set([read]));
      else reads.add(read);
      const chunk = this.queue.length === 0 ? this.pool.tryAcquire(request.bytes) : undefined;
      if (chunk === undefined) this.queue.push(read);
      else this.issue(read, chunk);
    });
  }

  /**
   * The source was destroyed: its pending reads reject with `ReadbackCancelledError` ('destroyed').
   * @example pool.forget(texture);
   */
  forget(source: Source): void {
    const reads = this.bySource.get(source);
    if (reads === undefined) return;
    this.bySource.delete(source);
    for (const read of reads) this.cancel(read, 'destroyed');
  }

  /**
   * Rejects every pending read with `reason`; the chunk pool destroys the buffers afterwards.
   * @example pool.dispose('disposed');
   */
  dispose(reason: 'disposed' | 'device-lost'): void {
    if (this.disposed) return;
    this.disposed = true;
    const reads = [...this.bySource.values()].flatMap((set) => [...set]);
    this.bySource.clear();
    this.queue = [];
    for (const read of reads) {
      read.state = 'settled';
      read.reject(new ReadbackCancelledError(read.request.label, reason));
    }
  }

  private issue(read: PendingRead, chunk: Chunk): void {
    read.state = 'mapping';
    read.chunk = chunk;
    const encoder = this.device.createCommandEncoder({ label: 'gpu-handles readback' });
    const staged = this.belt.recordInto(encoder, false);
    read.request.record(encoder, chunk.buffer);
    this.device.queue.submit([encoder.finish()]);
    this.belt.reclaim(staged);
    this.inFlight++;
    chunk.buffer.mapAsync(GPUMapMode.READ, 0, read.request.bytes).then(
      () => this.mapped(read, chunk),
      (error: unknown) => this.mapFailed(read, chunk, error),
    );
  }

  private mapped(read: PendingRead, chunk: Chunk): void {
    this.inFlight--;
    if (!chunk.alive) return; // disposed: the read was rejected then
    if (read.state !== 'mapping') {
      chunk.buffer.unmap(); // cancelled after the map completed
      this.recycle(chunk);
      return;
    }
    let data: Uint8Array;
    try {
      data = read.request.finish(new Uint8Array(chunk.buffer.getMappedRange(0, read.request.bytes)));
    } finally {
      chunk.buffer.unmap();
    }
    this.settle(read);
    read.resolve(data);
    this.recycle(chunk);
  }

  private mapFailed(read: PendingRead, chunk: Chunk, error: unknown): void {
    this.inFlight--;
    if (!chunk.alive) return;
    if (read.state === 'mapping') {
      // Not our cancel: the buffer's state is unknown, so it is destroyed rather than reused.
      chunk.broken = true;
      this.settle(read);
      read.reject(new ReadbackCancelledError(read.request.label, 'map-failed', (error as Error)?.message));
    }
    this.recycle(chunk);
  }

  private cancel(read: PendingRead, reason: 'destroyed'): void {
    const state = read.state;
    read.state = 'settled';
    if (state === 'queued') this.queue = this.queue.filter((r) => r !== read);
    else if (state === 'mapping') read.chunk!.buffer.unmap(); // aborts the map; the chunk comes back in mapFailed
    read.reject(new ReadbackCancelledError(read.request.label, reason));
  }

  private settle(read: PendingRead): void {
    read.state = 'settled';
    const reads = this.bySource.get(read.request.source);
    if (reads === undefined) return;
    reads.delete(read);
    if (reads.size === 0) this.bySource.delete(read.request.source);
  }

  /** The buffer is unmapped and idle again: back to the pool, then start queued reads that now fit. */
  private recycle(chunk: Chunk): void {
    this.pool.release(chunk);
    while (this.queue.length > 0 && !this.disposed) {
      const next = this.pool.tryAcquire(this.queue[0]!.request.bytes);
      if (next === undefined) return;
      this.issue(this.queue.shift()!, next);
    }
  }
}
