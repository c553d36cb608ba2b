/**
 * The upload belt: writes are copied into mapped staging chunks at once and become copy commands on flush,
 * so ten thousand small writes cost ten thousand `set`s and one or a few copies. Chunks come back to the
 * pool when the GPU is done with them (`mapAsync` resolves), so a warm belt allocates nothing.
 *
 * Back-pressure: when the pool's byte cap stops a write, what is staged is flushed on the belt's own (so
 * chunks come back), the write waits in the staging's call order with a snapshot of its data, and a promise
 * is returned; waiting writes are staged in call order as chunks return. While anything waits (a write or a
 * read), new writes wait behind it, so writes apply in call order and a read sees exactly the writes called
 * before it.
 *
 * At flush, many small writes into one STORAGE buffer may go through a scatter pass instead of one copy each
 * (buffer-scatter.ts). Copies into a target that cannot take them (mapped, or destroyed behind the
 * manager's back) are skipped, so one bad target never fails the submit that carries everyone else's.
 */
import { ValidationError } from '../../../errors.ts';
import { continuesRun, needsOwnChunk } from '../../../staging/planning/belt-rules.ts';
import { alignUp } from '../../../staging/planning/copy-layout.ts';
import type { CallOrder } from '../../../staging/pooling/call-order.ts';
import type { BeltCounters } from '../../../staging/pooling/pooled-staging.ts';
import type { BufferScatter, ScatterBatch } from './buffer-scatter.ts';
import type { Chunk, GPUChunkPool } from './chunk-pool.ts';
import {
  type BufferCopy,
  bufferPieces,
  type Piece,
  recordCopy,
  type Source,
  type StagedCopy,
} from './copies.ts';
import { usable, watchDestroy } from './target-guards.ts';

/**
 * Stages writes into pooled chunks and records them as copies.
 *
 * @example
 * const belt = new UploadBelt(device, uploadChunks, { chunkBytes: 1 << 20, maxPieceBytes: 1 << 24 }, order, scatter);
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
  /** The last target whose destroy is watched: consecutive writes to one target watch it once. */
  private lastWatched: GPUBuffer | GPUTexture | undefined;
  /** Chunks whose copies went into a caller's encoder: reclaimable once the manager reports a submit. */
  private recorded: Chunk[] = [];
  private readonly recordedTargets = new Set<GPUBuffer | GPUTexture>();
  /** Destroyed resources with staged copies: those copies are skipped at the next flush. */
  private readonly deadTargets = new Set<GPUBuffer | GPUTexture>();
  private readonly order: CallOrder;
  private readonly scatter: BufferScatter;
  private inFlight = 0;
  private copiesRecorded = 0;
  private disposed = false;

  constructor(
    device: GPUDevice,
    pool: GPUChunkPool,
    sizes: { chunkBytes: number; maxPieceBytes: number },
    order: CallOrder,
    scatter: BufferScatter,
  ) {
    this.device = device;
    this.pool = pool;
    this.chunkBytes = sizes.chunkBytes;
    this.maxPieceBytes = sizes.maxPieceBytes;
    this.order = order;
    this.scatter = scatter;
  }

  /** Writes waiting behind a cap. */
  get waiting(): number {
    return this.order.waiting('write');
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
    if (chunk !== undefined && size !== 0 && this.order.idle && this.used + size <= chunk.size) {
      const at = this.used;
      this.view!.set(data, at);
      this.used = at + size;
      const last = this.lastBufferCopy;
      if (continuesRun(last, chunk, at, target, dstOffset)) {
        last.size += size;
      } else {
        if (target !== this.lastWatched) this.watch(target);
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
    if (target !== this.lastWatched) this.watch(target);
    const source: Source = { data };
    const pieces = makePieces(source);
    let next = 0;
    const stageMore = (): boolean => {
      while (next < pieces.length && this.tryStage(pieces[next]!)) next++;
      if (next === pieces.length) return true;
      this.flushOwn(); // out of staging memory: put what is staged in flight so chunks come back
      return false;
    };
    if (this.order.idle && stageMore()) return undefined;
    source.data = source.data.slice();
    return new Promise<void>((resolve) =>
      this.order.enqueue({
        kind: 'write',
        source: target,
        run: () => {
          if (!this.disposed && !stageMore()) return false;
          resolve(); // staged, or disposed meanwhile (the data has nowhere to go)
          return true;
        },
        cancel: () => resolve(),
      }),
    );
  }

  /**
   * True while copies into `target` sit in a caller's encoder that was not submitted: a read of it must wait
   * for that submit to see them.
   *
   * @example if (belt.awaitsSubmit(buffer)) waitForSubmit();
   */
  awaitsSubmit(target: GPUBuffer | GPUTexture): boolean {
    return this.recordedTargets.has(target);
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
    const copies = this.copies;
    this.copies = [];
    this.lastBufferCopy = undefined;
    const dead = this.deadTargets;
    const skip = (copy: StagedCopy) => (dead.size > 0 && dead.has(copy.target)) || !usable(copy.target);
    const batch = this.scatter.select(copies, skip);
    for (const chunk of chunks) {
      chunk.buffer.unmap();
      chunk.mapped = undefined;
    }
    try {
      this.record(encoder, copies, batch, skip, callerSubmits);
    } catch (error) {
      // The caller's encoder refused a command: land every copy through the belt's own submit instead, so
      // no write is lost and every chunk comes back, then report the encoder.
      const own = this.device.createCommandEncoder({ label: 'gpu-handles upload belt' });
      this.record(own, copies, batch, skip, false);
      this.device.queue.submit([own.finish()]);
      this.reclaim(chunks);
      dead.clear();
      throw new ValidationError(
        'flush',
        'encoder',
        encoder,
        `recording the upload copies failed (${(error as Error)?.message}); they were submitted on their own`,
      );
    }
    dead.clear();
    return chunks;
  }

  private record(
    encoder: GPUCommandEncoder,
    copies: readonly StagedCopy[],
    batch: ScatterBatch | undefined,
    skip: (copy: StagedCopy) => boolean,
    callerSubmits: boolean,
  ): void {
    const scattered = batch?.scattered;
    for (const copy of copies) {
      if (scattered?.has(copy) || skip(copy)) continue;
      recordCopy(encoder, copy);
      if (callerSubmits) this.recordedTargets.add(copy.target);
      this.copiesRecorded++;
    }
    if (batch === undefined) return;
    this.scatter.record(encoder, batch, callerSubmits);
    if (callerSubmits) for (const t of batch.targets) this.recordedTargets.add(t.target);
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
    if (this.recorded.length === 0 && this.recordedTargets.size === 0) return;
    const chunks = this.recorded;
    this.recorded = [];
    this.recordedTargets.clear();
    this.scatter.submitted();
    this.reclaim(chunks);
    this.order.drain(); // reads waiting for this submit may start
  }

  /**
   * A target was destroyed: drop its staged writes (the staging cancels its waiting ones). Returns true when
   * copies into it sit in a caller's encoder that was not submitted yet.
   *
   * @example if (belt.forget(buffer)) deferDestroy();
   */
  forget(target: GPUBuffer | GPUTexture): boolean {
    if (this.disposed) return false;
    if (this.copies.length > 0) this.deadTargets.add(target);
    return this.recordedTargets.has(target);
  }

  /**
   * Drops everything staged; the staging cancels waiting writes and the pool destroys the chunks.
   * @example belt.dispose();
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.copies = [];
    this.lastBufferCopy = undefined;
    this.current = undefined;
    this.view = undefined;
    this.filled = [];
    this.recorded = [];
    this.scatter.dispose();
  }

  /** Counters. @example belt.counters().pendingCopies */
  counters(): BeltCounters {
    return {
      pendingCopies: this.copies.length,
      copiesRecorded: this.copiesRecorded,
      inFlight: this.inFlight,
      ...this.scatter.counters(),
    };
  }

  private watch(target: GPUBuffer | GPUTexture): void {
    watchDestroy(target);
    this.lastWatched = target;
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
      if (needsOwnChunk(piece.bytes, this.chunkBytes)) return this.stageAlone(piece);
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
    if (copy.kind === 'buffer' && continuesRun(last, copy.chunk, copy.src, copy.target, copy.dstOffset)) {
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
    this.order.drain();
  }
}

function mappedRange(chunk: Chunk): Uint8Array {
  chunk.mapped ??= new Uint8Array(chunk.buffer.getMappedRange());
  return chunk.mapped;
}
