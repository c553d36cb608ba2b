/**
 * WebGL2 staging chunks, pooled by the backend-neutral `ChunkPool` (size classes, byte cap, reuse, trimming,
 * ledger): CPU byte arrays for the upload belt (GL copies client data at call time) and GL buffers for the
 * readback pool.
 */
import type { ChunkKind, ChunkPool, PoolChunk } from '../../../staging/pooling/chunk-pool.ts';
import { withBuffer } from '../gl-state.ts';

/** One pooled chunk: the payload and its bookkeeping. */
export interface PooledChunk<T> extends PoolChunk {
  readonly payload: T;
}

/** A pool of WebGL2 staging chunks holding `T`. */
export type GLChunkPool<T> = ChunkPool<PooledChunk<T>>;

/**
 * Upload chunks: CPU memory, garbage-collected once no longer referenced, and reported to the host as host
 * bytes (GPU totals count GPU memory only).
 *
 * @example
 * const uploads = new ChunkPool({ ...cpuChunks(), classes, maxBytes: 1 << 26, host, now });
 */
export function cpuChunks(): ChunkKind<PooledChunk<Uint8Array>> {
  return {
    create: (size) => pooled(new Uint8Array(size), size),
    destroy: () => {},
    memory: 'host',
  };
}

/**
 * Readback chunks: GL buffers of `size` bytes, usable by `copyBufferSubData` and `readPixels` alike.
 *
 * @example
 * const readbacks = new ChunkPool({ ...glBufferChunks(gl), classes, maxBytes: 1 << 26, host, now });
 */
export function glBufferChunks(gl: WebGL2RenderingContext): ChunkKind<PooledChunk<WebGLBuffer>> {
  return {
    create: (size) => {
      const buffer = gl.createBuffer();
      // First bound as PIXEL_PACK_BUFFER: a data buffer, usable by copyBufferSubData and readPixels alike.
      withBuffer(gl, gl.PIXEL_PACK_BUFFER, buffer, () =>
        gl.bufferData(gl.PIXEL_PACK_BUFFER, size, gl.STREAM_READ),
      );
      return pooled(buffer, size);
    },
    destroy: (chunk) => {
      if (!gl.isContextLost()) gl.deleteBuffer(chunk.payload);
    },
  };
}

function pooled<T>(payload: T, size: number): PooledChunk<T> {
  return { payload, size, idleSince: 0, alive: true };
}
