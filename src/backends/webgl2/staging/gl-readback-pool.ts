/**
 * The WebGL2 readback pool: a read copies its source into a pooled GL buffer (`copyBufferSubData`, or
 * `readPixels` into a PIXEL_PACK_BUFFER), fences the work, and only once the fence has signalled (polled,
 * never waited on) reads the bytes with `getBufferSubData`, which then does not stall. Several reads may be
 * in flight; past the byte cap, reads queue in call order until a buffer comes back. Reads of a destroyed
 * source, a disposed manager or a lost context reject with `ReadbackCancelledError`.
 */
import { ReadbackCancelledError, ValidationError } from '../../../errors.ts';
import type { FencePoller } from '../gl-fences.ts';
import { withBuffer } from '../gl-state.ts';
import type { GLChunkPool, PooledChunk } from './gl-chunk-pool.ts';

type Chunk = PooledChunk<WebGLBuffer>;

/** One read: what to copy into the readback buffer, and how its bytes become the caller's. */
export interface GLReadRequest {
  /** The resource read (a `WebGL2Buffer` or `WebGL2Texture`): `forget(source)` cancels the read. */
  readonly source: unknown;
  readonly label: string;
  /** Bytes the copy writes into the readback buffer. */
  readonly bytes: number;
  /** Issues the copy into `buffer` (GL calls; they run before the fence). */
  issue(buffer: WebGLBuffer): void;
  /**
   * Read `bytes` straight from this buffer at `offset` once the fence passes, without a readback buffer: for
   * index buffers, which WebGL2 forbids copying into a data buffer (WebGL 2.0 spec section 5.1).
   */
  readonly direct?: { readonly buffer: WebGLBuffer; readonly offset: number };
  /** Turns the bytes read back into what the caller gets. */
  finish(raw: Uint8Array): Uint8Array;
}

interface PendingRead {
  readonly request: GLReadRequest;
  readonly resolve: (data: Uint8Array) => void;
  readonly reject: (error: Error) => void;
  state: 'queued' | 'in-flight' | 'settled';
}

/**
 * Reads through pooled GL buffers and fences.
 *
 * @example
 * const reader = new GLReadbackPool(gl, readbackChunks, fences, () => belt.flush());
 * const bytes = await reader.read({ source, label: 'counters', bytes: 64, issue: (dst) => copy(dst), finish: (b) => b });
 */
export class GLReadbackPool {
  private readonly bySource = new Map<unknown, Set<PendingRead>>();
  private queue: PendingRead[] = [];
  private inFlight = 0;
  private disposed = false;

  constructor(
    private readonly gl: WebGL2RenderingContext,
    private readonly pool: GLChunkPool<WebGLBuffer>,
    private readonly fences: FencePoller,
    /** Issues staged uploads first, so a read sees every earlier write. */
    private readonly beforeIssue: () => void,
  ) {}

  /** Reads waiting for a buffer. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Reads whose data has not come back yet. */
  get pending(): number {
    return this.inFlight;
  }

  /**
   * Starts a read now (or queues it behind the cap) and resolves with the caller's bytes.
   *
   * @example
   * const data = await reader.read(request);
   */
  read(request: GLReadRequest): Promise<Uint8Array> {
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
      const read: PendingRead = { request, resolve, reject, state: 'queued' };
      const reads = this.bySource.get(request.source);
      if (reads) reads.add(read);
      else this.bySource.set(request.source, new Set([read]));
      if (request.direct) {
        this.issue(read, undefined);
        return;
      }
      const chunk = this.queue.length === 0 ? this.pool.tryAcquire(request.bytes) : undefined;
      if (chunk === undefined) this.queue.push(read);
      else this.issue(read, chunk);
    });
  }

  /**
   * The source was destroyed: its pending reads reject ('destroyed'); their buffers return when their fences
   * pass.
   *
   * @example reader.forget(buffer);
   */
  forget(source: unknown): void {
    const reads = this.bySource.get(source);
    if (reads === undefined) return;
    this.bySource.delete(source);
    for (const read of reads) {
      if (read.state === 'queued') this.queue = this.queue.filter((r) => r !== read);
      read.state = 'settled';
      read.reject(new ReadbackCancelledError(read.request.label, 'destroyed'));
    }
  }

  /**
   * Rejects every pending read with `reason`; the chunk pool frees the buffers.
   *
   * @example reader.dispose('device-lost');
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

  private issue(read: PendingRead, chunk: Chunk | undefined): void {
    read.state = 'in-flight';
    this.inFlight++;
    try {
      this.beforeIssue();
      if (chunk) read.request.issue(chunk.payload);
    } catch (error) {
      this.inFlight--;
      this.settle(read);
      read.reject(error as Error);
      this.recycle(chunk);
      return;
    }
    void this.fences.fence().then(() => this.complete(read, chunk));
  }

  private complete(read: PendingRead, chunk: Chunk | undefined): void {
    this.inFlight--;
    if (read.state === 'in-flight' && !this.gl.isContextLost()) {
      const raw = new Uint8Array(read.request.bytes);
      const from = read.request.direct ?? { buffer: chunk!.payload, offset: 0 };
      withBuffer(this.gl, this.gl.COPY_READ_BUFFER, from.buffer, () =>
        this.gl.getBufferSubData(this.gl.COPY_READ_BUFFER, from.offset, raw),
      );
      let data: Uint8Array | undefined;
      let failure: unknown;
      try {
        data = read.request.finish(raw);
      } catch (error) {
        failure = error;
      }
      this.settle(read);
      if (data) read.resolve(data);
      else read.reject(failure as Error);
    } else if (read.state === 'in-flight') {
      this.settle(read);
      read.reject(new ReadbackCancelledError(read.request.label, 'device-lost'));
    }
    this.recycle(chunk);
  }

  private settle(read: PendingRead): void {
    read.state = 'settled';
    const reads = this.bySource.get(read.request.source);
    if (reads === undefined) return;
    reads.delete(read);
    if (reads.size === 0) this.bySource.delete(read.request.source);
  }

  /** The buffer is free again: back to the pool, then start queued reads that now fit. */
  private recycle(chunk: Chunk | undefined): void {
    if (chunk) this.pool.release(chunk);
    while (this.queue.length > 0 && !this.disposed) {
      const next = this.pool.tryAcquire(this.queue[0]!.request.bytes);
      if (next === undefined) return;
      this.issue(this.queue.shift()!, next);
    }
  }
}
