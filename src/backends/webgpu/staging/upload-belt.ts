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
 * Buffer writes are kept in a columnar log (write-log.ts: typed arrays, no object per write), so the hot path
 * is a `set` and a few array stores, and the flush walks the log once to plan and once to record. At flush,
 * many small writes into one STORAGE buffer may go through a scatter pass instead of one copy each
 * (buffer-scatter.ts). Copies into a target that cannot take them (mapped, or destroyed behind the
 * manager's back) are skipped, so one bad target never fails the submit that carries everyone else's.
 */
import { ValidationError } from '../../../errors.ts';
import { needsOwnChunk } from '../../../staging/planning/belt-rules.ts';
import { alignUp } from '../../../staging/planning/copy-layout.ts';
import type { ScatterBatchPlan } from '../../../staging/planning/scatter-plan.ts';
import { WriteLog } from '../../../staging/planning/write-log.ts';
import type { CallOrder } from '../../../staging/pooling/call-order.ts';
import type { BeltCounters, BeltSizes } from '../../../staging/pooling/pooled-staging.ts';
import type { BeltLog, BufferScatter } from './buffer-scatter.ts';
import type { Chunk, GPUChunkPool } from './chunk-pool.ts';
import {
  bufferPieces,
  type Piece,
  recordCopy,
  type Source,
  type StagedCopy,
  type TextureCopyCommand,
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
  private readonly directWriteBytes: number;
  /** The chunk small writes go to, its number in the log, its mapped range and the bytes used in it. */
  private current: Chunk | undefined;
  private currentSlot = -1;
  private view: Uint8Array | undefined;
  private used = 0;
  /**
   * Staged buffer writes in call order (recording them in this order applies writes in call order) and
   * every chunk holding staged bytes (still mapped).
   */
  private readonly log: BeltLog = new WriteLog();
  /** Staged texture copies (a texture is never a buffer: their order against buffer copies is free). */
  private textures: TextureCopyCommand[] = [];
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
  private directWrites = 0;
  private disposed = false;

  constructor(
    device: GPUDevice,
    pool: GPUChunkPool,
    sizes: BeltSizes,
    order: CallOrder,
    scatter: BufferScatter,
  ) {
    this.device = device;
    this.pool = pool;
    this.chunkBytes = sizes.chunkBytes;
    this.maxPieceBytes = sizes.maxPieceBytes;
    this.directWriteBytes = sizes.directWriteBytes;
    this.order = order;
    this.scatter = scatter;
  }

  /** Writes waiting behind a cap. */
  get waiting(): number {
    return this.order.waiting('write');
  }

  /**
   * Stages `data` for `target` at `dstOffset` (validated: 4-byte multiples, in range). The hot path, a write
   * that fits in the current chunk, is a `set` and a log entry (a few typed-array stores; none when it
   * continues the previous write). A write of `directWriteBytes` or more goes to `queue.writeBuffer` at once
   * when nothing staged or waiting must land before it (see {@link writesDirect}).
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
      size < this.directWriteBytes &&
      this.order.idle &&
      this.used + size <= chunk.size
    ) {
      const at = this.used;
      this.view!.set(data, at);
      this.used = at + size;
      if (target !== this.lastWatched) this.watch(target);
      this.log.add(this.currentSlot, at, target, dstOffset, size);
      return undefined;
    }
    if (size === 0 || this.disposed) return undefined;
    if (size >= this.directWriteBytes && this.writesDirect(target, dstOffset, size)) {
      this.device.queue.writeBuffer(target, dstOffset, data);
      this.directWrites++;
      return undefined;
    }
    return this.writeInPieces(target, dstOffset, data);
  }

  /**
   * True when a write can skip staging and land now: nothing waits in the call order, the target can take
   * it (not mapped, not destroyed behind the manager), no copy into it sits in a caller's unsubmitted
   * encoder, and no staged write overlaps its bytes. Each of those lands later than now, so the direct write
   * would land before a write called earlier.
   */
  private writesDirect(target: GPUBuffer, dstOffset: number, size: number): boolean {
    return (
      this.order.idle &&
      usable(target) &&
      !this.recordedTargets.has(target) &&
      !this.log.overlaps(target, dstOffset, size)
    );
  }

  /**
   * A buffer write that needs a new chunk (or has to wait). Apart from {@link writeBuffer} so the hot path
   * holds no closure: V8 allocates a closure's context on every entry to the function that creates it.
   */
  private writeInPieces(target: GPUBuffer, dstOffset: number, data: Uint8Array): Promise<void> | undefined {
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
    const log = this.log;
    if (this.disposed || (log.count === 0 && this.textures.length === 0)) return undefined;
    let keep: Chunk | undefined; // a current chunk with nothing in it stays mapped for the next writes
    if (this.current !== undefined) {
      if (this.used === 0) keep = this.current;
      this.current = undefined;
      this.view = undefined;
      this.used = 0;
    }
    const chunks = keep === undefined ? log.chunks.slice() : log.chunks.filter((c) => c !== keep);
    // Whether each target can take copies, decided once per target rather than once per write.
    const dead = this.deadTargets;
    const targets = log.targets;
    const usableTargets = new Uint8Array(targets.length);
    for (let t = 0; t < targets.length; t++) {
      const target = targets[t]!;
      usableTargets[t] = (dead.size > 0 && dead.has(target)) || !usable(target) ? 0 : 1;
    }
    const plan = this.scatter.plan(log, usableTargets);
    for (const chunk of chunks) {
      chunk.buffer.unmap();
      chunk.mapped = undefined;
    }
    try {
      this.record(encoder, plan, usableTargets, callerSubmits);
    } catch (error) {
      // The caller's encoder refused a command: land every copy through the belt's own submit instead, so
      // no write is lost and every chunk comes back, then report the encoder.
      const own = this.device.createCommandEncoder({ label: 'gpu-handles upload belt' });
      this.record(own, plan, usableTargets, false);
      this.device.queue.submit([own.finish()]);
      this.reclaim(chunks);
      this.cleared(keep);
      throw new ValidationError(
        'flush',
        'encoder',
        encoder,
        `recording the upload copies failed (${(error as Error)?.message}); they were submitted on their own`,
      );
    }
    this.cleared(keep);
    return chunks;
  }

  /** Everything staged was recorded: start a new log (with the still-empty current chunk, if any). */
  private cleared(keep: Chunk | undefined): void {
    this.log.clear();
    this.textures = [];
    this.deadTargets.clear();
    if (keep !== undefined) {
      this.current = keep;
      this.currentSlot = this.log.addChunk(keep);
      this.view = mappedRange(keep);
    }
  }

  private record(
    encoder: GPUCommandEncoder,
    plan: ScatterBatchPlan | undefined,
    usableTargets: Uint8Array,
    callerSubmits: boolean,
  ): void {
    const dead = this.deadTargets;
    for (const copy of this.textures) {
      if ((dead.size > 0 && dead.has(copy.target)) || !usable(copy.target)) continue;
      recordCopy(encoder, copy);
      if (callerSubmits) this.recordedTargets.add(copy.target);
      this.copiesRecorded++;
    }
    const { count, chunkOf, targetOf, srcOf, dstOf, sizeOf, chunks, targets } = this.log;
    const scattered = plan?.scattered;
    let recorded = 0;
    for (let i = 0; i < count; i++) {
      if (scattered !== undefined && scattered[i] === 1) continue;
      const t = targetOf[i]!;
      if (usableTargets[t] === 0) continue;
      encoder.copyBufferToBuffer(chunks[chunkOf[i]!]!.buffer, srcOf[i]!, targets[t]!, dstOf[i]!, sizeOf[i]!);
      recorded++;
    }
    this.copiesRecorded += recorded;
    if (callerSubmits) {
      for (let t = 0; t < targets.length; t++)
        if (usableTargets[t] !== 0) this.recordedTargets.add(targets[t]!);
    }
    if (plan !== undefined) this.scatter.record(encoder, this.log, plan, callerSubmits);
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
    if (this.log.count > 0 || this.textures.length > 0) this.deadTargets.add(target);
    return this.recordedTargets.size > 0 && this.recordedTargets.has(target);
  }

  /**
   * Drops everything staged; the staging cancels waiting writes and the pool destroys the chunks.
   * @example belt.dispose();
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.log.clear();
    this.textures = [];
    this.current = undefined;
    this.view = undefined;
    this.recorded = [];
    this.scatter.dispose();
  }

  /** Counters. @example belt.counters().pendingCopies */
  counters(): BeltCounters {
    return {
      pendingCopies: this.log.count + this.textures.length,
      copiesRecorded: this.copiesRecorded,
      inFlight: this.inFlight,
      directWrites: this.directWrites,
      ...this.scatter.counters(),
    };
  }

  private watch(target: GPUBuffer | GPUTexture): void {
    watchDestroy(target);
    this.lastWatched = target;
  }

  private flushOwn(): void {
    if (this.log.count === 0 && this.textures.length === 0) return; // an encoder costs Dawn microseconds
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
      this.currentSlot = this.log.addChunk(chunk);
      this.view = mappedRange(chunk);
      at = 0;
    }
    this.addCopy(piece.stage(this.view!, at, chunk), this.currentSlot);
    this.used = at + piece.bytes;
    return true;
  }

  /** A large piece gets a chunk of its own, so the current chunk keeps its room for small writes. */
  private stageAlone(piece: Piece): boolean {
    const chunk = this.pool.tryAcquire(piece.bytes);
    if (chunk === undefined) return false;
    const slot = this.log.addChunk(chunk);
    this.addCopy(piece.stage(mappedRange(chunk), 0, chunk), slot);
    return true;
  }

  /** The current chunk is full: it stays in the log (its bytes go at flush); small writes take a new one. */
  private retireCurrent(): void {
    this.current = undefined;
    this.view = undefined;
    this.used = 0;
  }

  private addCopy(copy: StagedCopy, slot: number): void {
    if (copy.kind === 'buffer') {
      this.log.add(slot, copy.src, copy.target, copy.dstOffset, copy.size);
    } else {
      this.textures.push(copy);
      this.log.breakRun(); // the texture's rows sit between this chunk's buffer bytes
    }
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
