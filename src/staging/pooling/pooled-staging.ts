/**
 * What every pooled staging shares, backend-neutral: an upload chunk pool and a readback chunk pool sized and
 * capped by the staging options, an upload belt over the first and a read queue over the second, and the
 * trim, stats and dispose that run over all four. A backend's staging extends it with what its chunks are
 * and how its belt and reader move bytes.
 */
import type { StagingHost, StagingStats } from '../../core/backend.ts';
import { ReadbackCancelledError } from '../../errors.ts';
import { type NormalizedStagingOptions, resolveTrimPolicy, type TrimPolicy } from '../options.ts';
import { CallOrder } from './call-order.ts';
import { type ChunkKind, ChunkPool, type PoolChunk } from './chunk-pool.ts';

/** A belt's counters, as `stagingStats().upload` shows them. */
export interface BeltCounters {
  readonly pendingCopies: number;
  readonly copiesRecorded: number;
  readonly inFlight: number;
  readonly scatterPasses: number;
  readonly scatteredWrites: number;
  readonly directWrites: number;
}

/** The sizes a belt works with: its small-write chunk, its largest piece, and where writes go direct. */
export interface BeltSizes {
  readonly chunkBytes: number;
  readonly maxPieceBytes: number;
  /** Buffer writes of at least this many bytes skip staging (`StagingOptions.directWriteBytes`). */
  readonly directWriteBytes: number;
}

/** What the staging needs from its upload belt. */
export interface StagingBelt {
  /** Writes waiting behind a cap (or behind a waiting read). */
  readonly waiting: number;
  counters(): BeltCounters;
  /** Drops everything staged; the pool destroys the chunks afterwards. */
  dispose(): void;
}

/** What the staging needs from its read queue. */
export interface StagingReader {
  /** Reads queued behind the cap. */
  readonly waiting: number;
  /** Reads whose data has not come back yet. */
  readonly pending: number;
  /** Rejects every pending read; the pool destroys the chunks afterwards. */
  dispose(reason: 'disposed' | 'device-lost'): void;
}

/**
 * The shared half of a staging. Subclasses build `belt` over `uploads` and `reader` over `readbacks` in their
 * constructor, and implement uploads, reads, flush and forget; a write or read that cannot start at once
 * waits in `order`, and everything after it waits behind it.
 *
 * @example
 * class MyStaging extends PooledStaging<CpuChunk, GLChunk> implements Staging<MyObjects> {
 *   protected override readonly belt = new MyBelt(this.uploads, this.beltSizes);
 *   protected override readonly reader = new MyReader(this.readbacks);
 * }
 */
export abstract class PooledStaging<U extends PoolChunk, R extends PoolChunk> {
  protected readonly options: NormalizedStagingOptions;
  protected readonly uploads: ChunkPool<U>;
  protected readonly readbacks: ChunkPool<R>;
  /** How the belt splits writes: small ones share chunks of `chunkBytes`, none is larger than a chunk. */
  protected readonly beltSizes: BeltSizes;
  protected abstract readonly belt: StagingBelt;
  protected abstract readonly reader: StagingReader;
  /** Writes and reads that had to wait, in call order (shared by the belt and the reader). */
  protected readonly order = new CallOrder();
  protected disposed = false;

  constructor(
    options: NormalizedStagingOptions,
    host: StagingHost,
    kinds: { readonly upload: ChunkKind<U>; readonly readback: ChunkKind<R> },
  ) {
    this.options = options;
    const { maxChunkBytes: maxBytes, now } = options;
    // Both pools double their classes up to maxChunkBytes; each has its own smallest chunk and byte cap.
    const pool = <C extends PoolChunk>(kind: ChunkKind<C>, minBytes: number, cap: number) =>
      new ChunkPool<C>({ ...kind, classes: { minBytes, maxBytes }, maxBytes: cap, host, now });
    this.uploads = pool(kinds.upload, options.uploadChunkBytes, options.maxUploadBytes);
    this.readbacks = pool(kinds.readback, options.readbackChunkBytes, options.maxReadbackBytes);
    this.beltSizes = {
      chunkBytes: options.uploadChunkBytes,
      maxPieceBytes: maxBytes,
      directWriteBytes: options.directWriteBytes,
    };
  }

  /**
   * Starts a read now when nothing waits and `tryRead` can, else queues it in call order: it starts once
   * every write and read called before it has, and while `blocked()` is false, so it sees exactly the
   * writes called before it. A queued read whose source is destroyed rejects with `ReadbackCancelledError`.
   *
   * @example
   * return this.orderedRead(buffer, label, () => this.reader.tryRead(request));
   */
  protected orderedRead(
    source: unknown,
    label: string,
    tryRead: () => Promise<Uint8Array> | undefined,
    blocked: () => boolean = () => false,
  ): Promise<Uint8Array> {
    if (this.order.idle && !blocked()) {
      const started = tryRead();
      if (started !== undefined) return started;
    }
    return new Promise<Uint8Array>((resolve, reject) => {
      this.order.enqueue({
        kind: 'read',
        source,
        run: () => {
          if (blocked()) return false;
          const started = tryRead();
          if (started === undefined) return false;
          started.then(resolve, reject);
          return true;
        },
        cancel: (reason) => reject(new ReadbackCancelledError(label, reason)),
      });
    });
  }

  /**
   * Destroys idle chunks of both pools under `policy` (the options' `keepBytes` and `idleMs` by default, each
   * pool keeping its own `keepBytes`). Returns the bytes freed; 0 once disposed.
   *
   * @example
   * staging.trim({ keepBytes: 0, idleMs: 0 }); // every idle chunk
   */
  trim(policy?: TrimPolicy): number {
    if (this.disposed) return 0;
    const resolved = resolveTrimPolicy(policy, this.options);
    return this.uploads.trim(resolved) + this.readbacks.trim(resolved);
  }

  /**
   * Each pool's counters with those of the belt or the reader that uses it.
   * @example staging.stats().readback.inFlight
   */
  stats(): StagingStats {
    return {
      upload: { ...this.uploads.stats(this.belt.waiting), ...this.belt.counters() },
      readback: {
        ...this.readbacks.stats(this.reader.waiting + this.order.waiting('read')),
        inFlight: this.reader.pending,
      },
    };
  }

  /**
   * Rejects pending reads with `reason`, drops staged writes, then destroys every chunk. Idempotent.
   * @example staging.dispose('device-lost');
   */
  dispose(reason: 'disposed' | 'device-lost'): void {
    if (this.disposed) return;
    this.disposed = true;
    this.reader.dispose(reason);
    this.order.dispose(reason);
    this.belt.dispose();
    this.uploads.dispose();
    this.readbacks.dispose();
  }
}
