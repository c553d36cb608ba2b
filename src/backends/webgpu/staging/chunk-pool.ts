/**
 * WebGPU staging chunks: raw `GPUBuffer`s owned by the staging, not by the handle table, pooled by the
 * backend-neutral `ChunkPool` (size classes, byte cap, reuse, trimming, ledger). What is WebGPU's lives here:
 * the buffer's usage and map state, and that a buffer whose map failed is never reused.
 */
import type { ChunkKind, ChunkPool, PoolChunk } from '../../../staging/pooling/chunk-pool.ts';

/** One staging buffer. */
export interface Chunk extends PoolChunk {
  readonly buffer: GPUBuffer;
  /** The mapped range while mapped (`getMappedRange` may be called once per mapping). */
  mapped: Uint8Array | undefined;
  /** Set when its state is unknown (a map failed): the pool destroys it instead of reusing it. */
  broken: boolean;
}

/** The pool of WebGPU staging buffers. */
export type GPUChunkPool = ChunkPool<Chunk>;

/** How the buffers of one pool are made. */
export interface BufferChunkOptions {
  /** Prefix of each buffer's label (which adds the size). */
  readonly label: string;
  /** `GPUBufferUsage` bits of every buffer. */
  readonly usage: number;
  /** Upload chunks are born mapped (ready to write); readback buffers are born unmapped. */
  readonly mappedAtCreation: boolean;
}

/**
 * WebGPU staging buffers as pool chunks: made with `options`, destroyed for real, never reused once broken.
 *
 * @example
 * const uploads = new ChunkPool({ ...bufferChunks(device, { label: 'gpu-handles upload',
 *   usage: GPUBufferUsage.MAP_WRITE | GPUBufferUsage.COPY_SRC, mappedAtCreation: true }), classes, maxBytes, host, now });
 */
export function bufferChunks(device: GPUDevice, options: BufferChunkOptions): ChunkKind<Chunk> {
  const { label, usage, mappedAtCreation } = options;
  return {
    create: (size) => ({
      buffer: device.createBuffer({ label: `${label} chunk (${size} B)`, size, usage, mappedAtCreation }),
      size,
      alive: true,
      mapped: undefined,
      idleSince: 0,
      broken: false,
    }),
    destroy: (chunk) => {
      chunk.mapped = undefined;
      chunk.buffer.destroy();
    },
    reusable: (chunk) => !chunk.broken,
  };
}
