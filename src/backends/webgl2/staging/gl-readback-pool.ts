/**
 * The WebGL2 readback pool: a read copies its source into a pooled GL buffer (`copyBufferSubData`, or
 * `readPixels` into a PIXEL_PACK_BUFFER), fences the work, and only once the fence has signalled (polled,
 * never waited on) reads the bytes with `getBufferSubData`, which then does not stall. The queueing behind
 * the byte cap, per-source cancelling and dispose are the backend-neutral `ReadQueue`'s. Reads of a destroyed
 * source, a disposed manager or a lost context reject with `ReadbackCancelledError`.
 */
import { ReadbackCancelledError } from '../../../errors.ts';
import { type PendingRead, ReadQueue } from '../../../staging/pooling/read-queue.ts';
import type { FencePoller } from '../gl-fences.ts';
import { withBuffer } from '../gl-state.ts';
import type { GLChunkPool, PooledChunk } from './gl-chunk-pool.ts';

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

type Read = PendingRead<GLReadRequest, PooledChunk<WebGLBuffer>>;

/**
 * Reads through pooled GL buffers and fences.
 *
 * @example
 * const reader = new GLReadbackPool(gl, readbackChunks, fences, () => belt.flush());
 * const bytes = await reader.read({ source, label: 'counters', bytes: 64, issue: (dst) => copy(dst), finish: (b) => b });
 */
export class GLReadbackPool extends ReadQueue<GLReadRequest, PooledChunk<WebGLBuffer>> {
  constructor(
    private readonly gl: WebGL2RenderingContext,
    pool: GLChunkPool<WebGLBuffer>,
    private readonly fences: FencePoller,
    /** Issues staged uploads first, so a read sees every earlier write. */
    private readonly beforeIssue: () => void,
    /** A readback buffer came back: reads waiting in the staging's call order may start. */
    private readonly onChunkFree: () => void = () => {},
  ) {
    super(pool);
  }

  /** Direct reads (index buffers, zero-length reads) need no readback buffer, so they never wait for one. */
  protected override usesChunk(request: GLReadRequest): boolean {
    return request.direct === undefined;
  }

  protected override chunkFreed(): void {
    this.onChunkFree();
  }

  protected override issue(read: Read): void {
    try {
      this.beforeIssue();
      if (read.chunk) {
        this.respecifyIfReused(read.chunk);
        read.request.issue(read.chunk.payload);
      }
    } catch (error) {
      this.reject(read, error as Error);
      this.complete(read.chunk);
      return;
    }
    void this.fences.fence().then(() => this.fenced(read));
  }

  /**
   * A readback buffer written, fenced and read back, then written again, makes Chromium throw away the shadow
   * copy that serves the read without a stall (its "READ-usage buffer was written, then fenced, but written
   * again before being read back" warning, on every reuse). Giving a reused buffer fresh storage first
   * (`bufferData`, the classic orphaning) starts a new shadow, and the read stays stall-free.
   */
  private respecifyIfReused(chunk: PooledChunk<WebGLBuffer>): void {
    if (!this.written.has(chunk)) {
      this.written.add(chunk);
      return;
    }
    const { gl } = this;
    withBuffer(gl, gl.COPY_WRITE_BUFFER, chunk.payload, () =>
      gl.bufferData(gl.COPY_WRITE_BUFFER, chunk.size, gl.STREAM_READ),
    );
  }

  /** Readback buffers that have been written once (the next write into them respecifies them). */
  private readonly written = new WeakSet<PooledChunk<WebGLBuffer>>();

  /** The fence passed (or the context was lost): read the bytes unless the read was cancelled meanwhile. */
  private fenced(read: Read): void {
    if (read.state === 'in-flight' && !this.gl.isContextLost()) {
      const raw = new Uint8Array(read.request.bytes);
      const from = read.request.direct ?? { buffer: read.chunk!.payload, offset: 0 };
      if (raw.byteLength > 0) {
        withBuffer(this.gl, this.gl.COPY_READ_BUFFER, from.buffer, () =>
          this.gl.getBufferSubData(this.gl.COPY_READ_BUFFER, from.offset, raw),
        );
      }
      let data: Uint8Array | undefined;
      let failure: unknown;
      try {
        data = read.request.finish(raw);
      } catch (error) {
        failure = error;
      }
      if (data) this.resolve(read, data);
      else this.reject(read, failure as Error);
    } else if (read.state === 'in-flight') {
      this.reject(read, new ReadbackCancelledError(read.request.label, 'device-lost'));
    }
    this.complete(read.chunk);
  }
}
