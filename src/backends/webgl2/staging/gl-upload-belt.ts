/**
 * The WebGL2 upload belt: writes are copied into pooled chunks at once (the caller may reuse its array when the
 * call returns) and become GL calls on flush: adjacent buffer writes merge into one `bufferSubData`, texture
 * writes become `texSubImage*` / `compressedTexSubImage*` from tight rows. A buffer write of
 * `directWriteBytes` or more skips the chunks and is one `bufferSubData` in the upload call, unless a staged
 * write overlapping it or a waiting read must come first (then it is staged like any other).
 *
 * The chunks are CPU memory: GL copies the data of `bufferSubData` and `texSubImage*` when the call is made,
 * so a GL-side staging buffer would only add a GPU copy, and a chunk is free again as soon as its copies ran.
 * Hence the cap never makes a write wait: when it stops one, the belt flushes what is staged on its own, the
 * chunks come back at once, and the write is staged after all. A write waits only behind a read that waits
 * (the staging's call order), so that read sees exactly the writes called before it.
 *
 * Buffer and texture writes are issued as two lists: a buffer write never reads a texture nor a texture write
 * a buffer, so only the order within each list matters.
 */
import { ValidationError } from '../../../errors.ts';
import {
  bufferPieceRanges,
  needsOwnChunk,
  pieceRegion,
  pieceSourceOffset,
} from '../../../staging/planning/belt-rules.ts';
import { splitCopy } from '../../../staging/planning/copy-layout.ts';
import { copyRows } from '../../../staging/planning/copy-rows.ts';
import type { TextureUploadCopy } from '../../../staging/planning/texture-transfer.ts';
import { WriteLog } from '../../../staging/planning/write-log.ts';
import type { CallOrder } from '../../../staging/pooling/call-order.ts';
import type { BeltCounters, BeltSizes } from '../../../staging/pooling/pooled-staging.ts';
import { withBuffer } from '../gl-state.ts';
import type { WebGL2Buffer } from '../webgl2-buffers.ts';
import type { WebGL2Texture, WebGL2TextureStorage } from '../webgl2-textures.ts';
import type { GLChunkPool, PooledChunk } from './gl-chunk-pool.ts';
import {
  executeTextureCopies,
  type GLBufferWrites,
  type GLTextureCopy,
  issueBufferWrites,
  withUnpackState,
} from './gl-upload-copies.ts';

type Chunk = PooledChunk<Uint8Array>;

/** Staging pieces and merged copies are 4-byte aligned, so typed views over them are always aligned. */
const ALIGN = 4;

/**
 * Stages writes into pooled CPU chunks and issues them as GL calls on flush; large buffer writes go at once.
 *
 * @example
 * const belt = new GLUploadBelt(gl, pool, { chunkBytes: 1 << 20, maxPieceBytes: 1 << 24, directWriteBytes: 1 << 16 }, order);
 * belt.writeBuffer(ubo, 0, bytes);
 * belt.flush(); // one bufferSubData for adjacent writes
 */
export class GLUploadBelt {
  private readonly gl: WebGL2RenderingContext;
  private readonly pool: GLChunkPool<Uint8Array>;
  private readonly chunkBytes: number;
  private readonly maxPieceBytes: number;
  private readonly directWriteBytes: number;
  /** The chunk small writes go to, its index in `chunks` and its bytes (kept apart for the hot path). */
  private current: Chunk | undefined;
  private currentIndex = 0;
  private currentBytes: Uint8Array = new Uint8Array(0);
  private used = 0;
  /**
   * Chunks holding staged bytes, and the log of staged buffer writes, whose chunk list holds the same chunks'
   * payloads in the same order: a log entry names its chunk by that index.
   */
  private readonly chunks: Chunk[] = [];
  private readonly buffers: GLBufferWrites = new WriteLog();
  private textures: GLTextureCopy[] = [];
  private copiesIssued = 0;
  private directWrites = 0;
  private disposed = false;
  private readonly order: CallOrder;

  constructor(gl: WebGL2RenderingContext, pool: GLChunkPool<Uint8Array>, sizes: BeltSizes, order: CallOrder) {
    this.gl = gl;
    this.pool = pool;
    this.chunkBytes = sizes.chunkBytes;
    this.maxPieceBytes = sizes.maxPieceBytes;
    this.directWriteBytes = sizes.directWriteBytes;
    this.order = order;
  }

  /** Writes waiting behind a waiting read (the cap itself never makes a write wait here). */
  get waiting(): number {
    return this.order.waiting('write');
  }

  /**
   * Stages `data` for `target` at `dstOffset` (validated by the core). The hot path, a small write that fits
   * the current chunk, is a `set` and a few typed-array stores (none when it continues the previous write).
   * A write of `directWriteBytes` or more is issued at once when nothing staged or waiting must land first.
   *
   * @example
   * for (let i = 0; i < n; i++) belt.writeBuffer(ubo, i * 256, uniforms[i]);
   */
  writeBuffer(target: WebGL2Buffer, dstOffset: number, data: Uint8Array): Promise<void> | undefined {
    const size = data.byteLength;
    if (size !== 0 && size < this.directWriteBytes && this.order.idle && this.current !== undefined) {
      const at = (this.used + ALIGN - 1) & -ALIGN;
      if (at + size <= this.currentBytes.byteLength) {
        this.currentBytes.set(data, at);
        this.used = at + size;
        this.buffers.add(this.currentIndex, at, target, dstOffset, size);
        return undefined;
      }
    }
    if (this.disposed || size === 0) return undefined;
    if (!this.order.idle) return this.bufferLater(target, dstOffset, data);
    if (size >= this.directWriteBytes && !this.buffers.overlaps(target, dstOffset, size)) {
      this.writeDirect(target, dstOffset, data);
      return undefined;
    }
    this.stageBuffer(target, dstOffset, data);
    return undefined;
  }

  /**
   * One `bufferSubData` now, through COPY_WRITE_BUFFER (the caller's binding is restored). Nothing staged
   * overlaps it and nothing waits, so landing before the staged writes keeps every byte's call order.
   */
  private writeDirect(target: WebGL2Buffer, dstOffset: number, data: Uint8Array): void {
    const gl = this.gl;
    if (gl.isContextLost()) return; // as staged writes: nothing reaches a lost context
    withBuffer(gl, gl.COPY_WRITE_BUFFER, target.buffer, () =>
      gl.bufferSubData(gl.COPY_WRITE_BUFFER, dstOffset, data),
    );
    this.directWrites++;
  }

  /** Apart from {@link writeBuffer}, so the hot path creates no closure context on every call. */
  private bufferLater(target: WebGL2Buffer, dstOffset: number, data: Uint8Array): Promise<void> {
    return this.later(target, data, (bytes) => this.stageBuffer(target, dstOffset, bytes));
  }

  private stageBuffer(target: WebGL2Buffer, dstOffset: number, data: Uint8Array): void {
    if (data.byteLength <= this.maxPieceBytes) {
      this.stageBufferPiece(target, dstOffset, data);
      return;
    }
    for (const { start, bytes } of bufferPieceRanges(data.byteLength, this.maxPieceBytes)) {
      this.stageBufferPiece(target, dstOffset + start, data.subarray(start, start + bytes));
    }
  }

  private stageBufferPiece(target: WebGL2Buffer, dstOffset: number, piece: Uint8Array): void {
    const { chunk, index, at } = this.reserve(piece.byteLength);
    chunk.payload.set(piece, at);
    this.buffers.add(index, at, target, dstOffset, piece.byteLength);
  }

  /** Queues a write behind a waiting read, with a snapshot of its data; it is staged when its turn comes. */
  private later(target: unknown, data: Uint8Array, stage: (bytes: Uint8Array) => void): Promise<void> {
    const snapshot = data.slice();
    return new Promise<void>((resolve) =>
      this.order.enqueue({
        kind: 'write',
        source: target,
        run: () => {
          if (!this.disposed) stage(snapshot);
          resolve();
          return true;
        },
        cancel: () => resolve(),
      }),
    );
  }

  /**
   * Stages texel data (starting at the first block, laid out as `copy` says) as tight rows, split into pieces
   * that fit a chunk.
   *
   * @example
   * belt.writeTexture(texture, texels, copy);
   */
  writeTexture(texture: WebGL2Texture, data: Uint8Array, copy: TextureUploadCopy): Promise<void> | undefined {
    if (this.disposed || copy.footprint.tightBytes === 0) return undefined;
    if (texture.kind !== 'texture') {
      throw new ValidationError(
        '',
        'texture',
        texture.format,
        'a renderbuffer-backed texture cannot be uploaded to',
      );
    }
    if (!this.order.idle)
      return this.later(texture, data, (bytes) => this.stageTexture(texture, bytes, copy));
    this.stageTexture(texture, data, copy);
    return undefined;
  }

  private stageTexture(texture: WebGL2TextureStorage, data: Uint8Array, copy: TextureUploadCopy): void {
    const fp = copy.footprint;
    const tight = fp.tightBytesPerRow;
    const pieces = splitCopy(
      { ...fp, paddedBytesPerRow: tight, paddedBytes: fp.tightBytes },
      this.maxPieceBytes,
    );
    for (const piece of pieces) {
      const { chunk, at } = this.reserve(piece.bytes);
      copyRows(
        {
          bytes: data,
          offset: pieceSourceOffset(copy, piece),
          bytesPerRow: copy.bytesPerRow,
          rowsPerImage: copy.rowsPerImage,
        },
        { bytes: chunk.payload, offset: at, bytesPerRow: tight, rowsPerImage: piece.rows },
        tight,
        piece.rows,
        piece.images,
      );
      const { origin, size } = pieceRegion(copy, piece);
      this.textures.push({
        chunk,
        src: at,
        byteLength: piece.bytes,
        target: texture,
        mipLevel: copy.mipLevel,
        x: origin.x,
        y: origin.y,
        z: origin.z,
        width: size.width,
        height: size.height,
        depth: size.depthOrArrayLayers,
      });
    }
  }

  /**
   * Issues every staged write as GL calls, in call order per list, and returns the chunks to the pool. The
   * unpack state is set (and restored) only when textures are staged: buffer writes do not read it.
   *
   * @example
   * belt.flush();
   */
  flush(): void {
    const textures = this.textures;
    const writes = this.buffers.count + textures.length;
    if (this.disposed || writes === 0) {
      this.releaseChunks();
      return;
    }
    this.textures = [];
    const gl = this.gl;
    try {
      if (!gl.isContextLost()) {
        issueBufferWrites(gl, this.buffers);
        if (textures.length > 0) withUnpackState(gl, () => executeTextureCopies(gl, textures));
        this.copiesIssued += writes;
      }
    } finally {
      this.releaseChunks(); // issued, or refused by GL: either way nothing is left to retry
    }
  }

  /**
   * A target was destroyed: its staged writes are dropped.
   *
   * @example belt.forget(texture);
   */
  forget(target: WebGL2Buffer | WebGL2Texture): void {
    if (this.buffers.count > 0) this.buffers.remove(target as WebGL2Buffer);
    if (this.textures.length > 0) this.textures = this.textures.filter((c) => c.target !== target);
  }

  /** Drops everything staged; the pool frees the chunks. @example belt.dispose(); */
  dispose(): void {
    this.disposed = true;
    this.buffers.clear();
    this.textures = [];
    this.current = undefined;
    this.chunks.length = 0;
  }

  /** Counters for the staging stats. @example belt.counters().pendingCopies */
  counters(): BeltCounters {
    return {
      pendingCopies: this.buffers.count + this.textures.length,
      copiesRecorded: this.copiesIssued,
      inFlight: 0,
      scatterPasses: 0,
      scatteredWrites: 0,
      directWrites: this.directWrites,
    };
  }

  /**
   * Room for `bytes` (4-byte aligned): in the current chunk when it fits, in a chunk of its own for a large
   * piece (so the current chunk keeps room for small writes), flushing first when the cap is reached.
   */
  private reserve(bytes: number): { chunk: Chunk; index: number; at: number } {
    const at = (this.used + ALIGN - 1) & -ALIGN;
    if (this.current && at + bytes <= this.current.size) {
      this.used = at + bytes;
      return { chunk: this.current, index: this.currentIndex, at };
    }
    const alone = needsOwnChunk(bytes, this.chunkBytes);
    const chunk = this.acquire(alone ? bytes : this.chunkBytes);
    const index = this.chunks.length - 1;
    if (!alone) {
      this.current = chunk;
      this.currentIndex = index;
      this.currentBytes = chunk.payload;
      this.used = bytes;
    }
    return { chunk, index, at: 0 };
  }

  private acquire(bytes: number): Chunk {
    let chunk = this.pool.tryAcquire(bytes);
    if (chunk === undefined) {
      this.flush(); // at the cap: issue what is staged, which frees every chunk at once
      chunk = this.pool.tryAcquire(bytes);
    }
    if (chunk === undefined) {
      throw new ValidationError(
        'staging',
        'bytes',
        bytes,
        `must fit in maxUploadBytes (${this.pool.maxBytes})`,
      );
    }
    this.chunks.push(chunk);
    this.buffers.addChunk(chunk.payload);
    return chunk;
  }

  private releaseChunks(): void {
    for (const chunk of this.chunks) this.pool.release(chunk);
    this.chunks.length = 0;
    this.buffers.clear(); // its writes were issued or dropped; its chunk list goes with the chunks
    this.current = undefined;
    this.used = 0;
  }
}
