/**
 * The upload belt: writes are copied into mapped staging chunks at once and become copy commands on flush,
 * so ten thousand small writes cost ten thousand `set`s and one or a few copies. Chunks come back to the
 * pool when the GPU is done with them (`mapAsync` resolves), so a warm belt allocates nothing.
 *
 * Back-pressure: when the pool's byte cap stops a write, what is staged is flushed on the belt's own (so
 * chunks come back), the write is queued with a snapshot of its data, and a promise is returned; queued
 * writes are staged in call order as chunks return. While anything is queued, new writes queue behind it,
 * so writes are always applied in call order.
 */
import { alignUp } from '../../../staging/planning/copy-layout.ts';
import type { Chunk, GPUChunkPool } from './chunk-pool.ts';
import {
  type BufferCopy,
  bufferPieces,
  type Piece,
  recordCopy,
  type Source,
  type StagedCopy,
} from './copies.ts';

interface QueuedWrite {
  readonly target: GPUBuffer | GPUTexture;
  readonly pieces: readonly Piece[];
  next: number;
  readonly resolve: () => void;
}

/**
 * Stages writes into pooled chunks and records them as copies.
 *
 * @example
 * const belt = new UploadBelt(device, uploadChunks, { chunkBytes: 1 << 20, maxPieceBytes: 1 << 24 });
 * belt.writeBuffer(vbo, 0, bytes); // undefined: staged now
 * belt.flush(); // one submission with the copies
 */
export class UploadBelt {
  private readonly device: GPUDevice;
  private readonly pool: GPUChunkPool;
  private readonly chunkBytes: number;
  private readonly maxPieceBytes: number;
  /** The chunk small writes go to, its mapped range and the bytes used in it. */
  private current: Chunk | undefined;
  private view: Uint8Array | undefined;
  private used = 0;
  /** Other chunks holding staged bytes (still mapped). */
  private filled: Chunk[] = [];
  /** Staged copies in call order: recording them in this order applies writes in call order. */
  private copies: StagedCopy[] = [];
  private lastBufferCopy: BufferCopy | undefined;
  /** Chunks whose copies went into a caller's encoder: reclaimable once the manager reports a submit. */
  private recorded: Chunk[] = [];
  private readonly recordedTargets = new Set<GPUBuffer | GPUTexture>();
  /** Destroyed resources with staged copies: those copies are skipped at the next flush. */
  private readonly deadTargets = new Set<GPUBuffer | GPUTexture>();
  private queue: (QueuedWrite | undefined)[] = [];
  private head = 0;
  private inFlight = 0;
  private copiesRecorded = 0;
  private disposed = false;

  constructor(device: GPUDevice, pool: GPUChunkPool, sizes: { chunkBytes: number; maxPieceBytes: number }) {
    this.device = device;
    this.pool = pool;
    this.chunkBytes = sizes.chunkBytes;
    this.maxPieceBytes = sizes.maxPieceBytes;
  }

  /** Writes queued behind the cap. */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  /**
   * Stages `data` for `target` at `dstOffset` (validated: 4-byte multiples, in range). The hot path, a write
   * that fits in the current chunk, is a `set`, a compare, and at most one small object.
   *
   * @example
   * for (const [i, uniforms] of objects.entries()) belt.writeBuffer(ubo, i * 256, uniforms);
   */
  writeBuffer(target: GPUBuffer, dstOffset: number, data: Uint8Array): Promise<void> | undefined {
    const size = data.byteLength;
    const chunk = this.current;
    if (
      chunk !== undefined &&
      size !== 0 &&
      this.head === this.queue.length &&
      this.used + size <= chunk.size
    ) {
      const at = this.used;
      this.view!.set(data, at);
      this.used = at + size;
      const last = this.lastBufferCopy;
      if (
        last !== undefined &&
        last.chunk === chunk &&
        last.target === target &&
        last.src + last.size === at &&
        last.dstOffset + last.size === dstOffset
      ) {
        last.size += size;
      } else {
        const copy: BufferCopy = { kind: 'buffer', chunk, src: at, target, dstOffset, size };
        this.copies.push(copy);
        this.lastBufferCopy = copy;
      }
      return undefined;
    }
    if (size === 0 || this.disposed) return undefined;
    return this.write(target, (source) => bufferPieces(target, dstOffset, source, this.maxPieceBytes), data);
  }

  /**
   * Stages a write made of pieces (built over `source`, so a snapshot replaces the caller's bytes if the
   * write has to wait). Used for texture uploads and buffer writes that need a new chunk.
   *
   * @example
   * belt.write(texture, (source) => texturePieces(texture, copy, source, max), texels);
   */
  write(
    target: GPUBuffer | GPUTexture,
    makePieces: (source: Source) => Piece[],
    data: Uint8Array,
  ): Promise<void> | undefined {
    if (this.disposed) return undefined;
    const source: Source = { data };
    const pieces = makePieces(source);
    let next = 0;
    if (this.head === this.queue.length) {
      while (next < pieces.length && this.tryStage(pieces[next]!)) next++;
      if (next === pieces.length) return undefined;
      this.flushOwn(); // out of staging memory: put what is staged in flight so chunks come back
    }
    source.data = source.data.slice();
    return new Promise<void>((resolve) => this.queue.push({ target, pieces, next, resolve }));
  }

  /**
   * Turns the staged writes into copy commands: into `encoder` (reclaimed after the next `submitted()`), or
   * into a command buffer the belt submits itself.
   *
   * @example
   * belt.flush(encoder); manager.submit([encoder.finish()]);
   */
  flush(encoder?: GPUCommandEncoder): void {
    if (encoder === undefined) {
      this.flushOwn();
      return;
    }
    const chunks = this.recordInto(encoder, true);
    if (chunks !== undefined) for (const chunk of chunks) this.recorded.push(chunk);
  }

  /**
   * Records the staged copies into an encoder the caller submits right away itself (the readback pool does,
   * so a read sees every earlier write); pass the returned chunks to {@link reclaim} after that submit.
   *
   * @example
   * const chunks = belt.recordInto(encoder, false); device.queue.submit([encoder.finish()]); belt.reclaim(chunks);
   */
  recordInto(encoder: GPUCommandEncoder, callerSubmits: boolean): Chunk[] | undefined {
    if (this.disposed || this.copies.length === 0) return undefined;
    if (this.current !== undefined && this.used > 0) {
      this.filled.push(this.current);
      this.current = undefined;
      this.view = undefined;
      this.used = 0;
    }
    const chunks = this.filled;
    this.filled = [];
    for (const chunk of chunks) {
      chunk.buffer.unmap();
      chunk.mapped = undefined;
    }
    const dead = this.deadTargets;
    for (const copy of this.copies) {
      if (dead.size > 0 && dead.has(copy.target)) continue;
      recordCopy(encoder, copy);
      if (callerSubmits) this.recordedTargets.add(copy.target);
      this.copiesRecorded++;
    }
    this.copies = [];
    this.lastBufferCopy = undefined;
    dead.clear();
    return chunks;
  }

  /**
   * The chunks' copies were submitted: map them again; each returns to the pool when the GPU is done.
   * @example belt.reclaim(chunks);
   */
  reclaim(chunks: readonly Chunk[] | undefined): void {
    if (chunks === undefined) return;
    for (const chunk of chunks) {
      this.inFlight++;
      chunk.buffer.mapAsync(GPUMapMode.WRITE).then(
        () => this.returned(chunk),
        () => {
          chunk.broken = true; // unmapped by a destroy or a lost device: never reuse it
          this.returned(chunk);
        },
      );
    }
  }

  /**
   * The manager submitted work, which includes the encoders `flush(encoder)` recorded into.
   * @example belt.submitted();
   */
  submitted(): void {
    if (this.recorded.length === 0) return;
    const chunks = this.recorded;
    this.recorded = [];
    this.recordedTargets.clear();
    this.reclaim(chunks);
  }

  /**
   * A target was destroyed: drop its staged and queued writes (queued promises resolve). Returns true when
   * copies into it sit in a caller's encoder that was not submitted yet.
   *
   * @example if (belt.forget(buffer)) deferDestroy();
   */
  forget(target: GPUBuffer | GPUTexture): boolean {
    if (this.disposed) return false;
    if (this.copies.length > 0) this.deadTargets.add(target);
    if (this.head < this.queue.length) {
      const kept: QueuedWrite[] = [];
      for (let i = this.head; i < this.queue.length; i++) {
        const write = this.queue[i]!;
        if (write.target === target) write.resolve();
        else kept.push(write);
      }
      this.queue = kept;
      this.head = 0;
    }
    return this.recordedTargets.has(target);
  }

  /**
   * Drops everything; queued writes resolve (their data has nowhere to go). The pool destroys the chunks.
   * @example belt.dispose();
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (let i = this.head; i < this.queue.length; i++) this.queue[i]!.resolve();
    this.queue = [];
    this.head = 0;
    this.copies = [];
    this.lastBufferCopy = undefined;
    this.current = undefined;
    this.view = undefined;
    this.filled = [];
    this.recorded = [];
  }

  /** Counters. @example belt.counters().pendingCopies */
  counters(): { pendingCopies: number; copiesRecorded: number; inFlight: number } {
    return {
      pendingCopies: this.copies.length,
      copiesRecorded: this.copiesRecorded,
      inFlight: this.inFlight,
    };
  }

  private flushOwn(): void {
    const encoder = this.device.createCommandEncoder({ label: 'gpu-handles upload belt' });
    const chunks = this.recordInto(encoder, false);
    if (chunks === undefined) return;
    this.device.queue.submit([encoder.finish()]);
    this.reclaim(chunks);
  }

  /** Stages one piece: in the current chunk if it fits, else in a new one. False when the cap stops it. */
  private tryStage(piece: Piece): boolean {
    let at = alignUp(this.used, piece.align);
    let chunk = this.current;
    if (chunk === undefined || at + piece.bytes > chunk.size) {
      if (piece.bytes * 2 > this.chunkBytes) return this.stageAlone(piece);
      this.retireCurrent();
      chunk = this.pool.tryAcquire(piece.bytes);
      if (chunk === undefined) return false;
      this.current = chunk;
      this.view = mappedRange(chunk);
      at = 0;
    }
    this.addCopy(piece.stage(this.view!, at, chunk));
    this.used = at + piece.bytes;
    return true;
  }

  /** A large piece gets a chunk of its own, so the current chunk keeps its room for small writes. */
  private stageAlone(piece: Piece): boolean {
    const chunk = this.pool.tryAcquire(piece.bytes);
    if (chunk === undefined) return false;
    this.addCopy(piece.stage(mappedRange(chunk), 0, chunk));
    this.filled.push(chunk);
    return true;
  }

  private retireCurrent(): void {
    const chunk = this.current;
    if (chunk === undefined) return;
    if (this.used > 0) this.filled.push(chunk);
    else this.pool.release(chunk); // never written: still mapped, straight back to idle
    this.current = undefined;
    this.view = undefined;
    this.used = 0;
  }

  private addCopy(copy: StagedCopy): void {
    const last = this.lastBufferCopy;
    if (
      copy.kind === 'buffer' &&
      last !== undefined &&
      last.chunk === copy.chunk &&
      last.target === copy.target &&
      last.src + last.size === copy.src &&
      last.dstOffset + last.size === copy.dstOffset
    ) {
      last.size += copy.size;
      return;
    }
    this.copies.push(copy);
    this.lastBufferCopy = copy.kind === 'buffer' ? copy : undefined;
  }

  private returned(chunk: Chunk): void {
    this.inFlight--;
    if (!chunk.alive || this.disposed) return;
    this.pool.release(chunk);
    this.drain();
  }

  /** Stages queued writes in order while chunks are available; resolves each once fully staged. */
  private drain(): void {
    while (this.head < this.queue.length) {
      const write = this.queue[this.head]!;
      while (write.next < write.pieces.length && this.tryStage(write.pieces[write.next]!)) write.next++;
      if (write.next < write.pieces.length) {
        this.flushOwn(); // still blocked: send what was just staged so that its chunks come back too
        return;
      }
      this.queue[this.head++] = undefined;
      write.resolve();
    }
    this.queue = [];
    this.head = 0;
  }
}

function mappedRange(chunk: Chunk): Uint8Array {
  chunk.mapped ??= new Uint8Array(chunk.buffer.getMappedRange());
  return chunk.mapped;
}
