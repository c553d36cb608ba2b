/**
 * Staging chunks of the WebGL2 staging, pooled by size class under a byte cap: CPU byte arrays for the upload
 * belt, GL buffers for the readback pool. What a chunk is comes from `create`/`destroy`; this class owns the
 * bookkeeping both need: size classes, the cap, reuse (warmest first), trimming (coldest first) and the
 * ledger through the staging host.
 */
import { type SizeClassPolicy, sizeClassOf } from '../../../staging/size-classes.ts';
import type { StagingHost, StagingPoolStats } from '../../backend.ts';

/** One pooled chunk: the payload and its bookkeeping. */
export interface PooledChunk<T> {
  readonly payload: T;
  readonly size: number;
  /** Clock time it went idle; meaningful while idle. */
  idleSince: number;
  alive: boolean;
}

/** How a {@link GLChunkPool} makes and frees chunks. */
export interface GLChunkPoolOptions<T> {
  readonly classes: SizeClassPolicy;
  /** Most bytes alive at once (idle + in use). */
  readonly maxBytes: number;
  readonly host: StagingHost;
  readonly now: () => number;
  create(size: number): T;
  destroy(payload: T): void;
}

/**
 * Size-classed chunks under a byte cap.
 *
 * @example
 * const pool = new GLChunkPool({ classes: { minBytes: 4096, maxBytes: 1 << 24 }, maxBytes: 1 << 26, host, now,
 *   create: (size) => new Uint8Array(size), destroy: () => {} });
 * const chunk = pool.tryAcquire(100); // a 4096-byte chunk, or undefined at the cap
 */
export class GLChunkPool<T> {
  readonly maxBytes: number;
  private readonly options: GLChunkPoolOptions<T>;
  /** Idle chunks per size, warmest last. */
  private readonly idleBySize = new Map<number, PooledChunk<T>[]>();
  /** Idle chunks in the order they went idle, oldest first. */
  private readonly idle = new Set<PooledChunk<T>>();
  private readonly live = new Set<PooledChunk<T>>();
  private bytes = 0;
  private idleBytes = 0;
  private created = 0;
  private destroyed = 0;
  private reused = 0;
  private disposed = false;

  constructor(options: GLChunkPoolOptions<T>) {
    this.options = options;
    this.maxBytes = options.maxBytes;
  }

  /**
   * The chunk size that serves `bytes`.
   * @example pool.classOf(5000) // 8192 with 4 KiB minimum chunks
   */
  classOf(bytes: number): number {
    return sizeClassOf(bytes, this.options.classes);
  }

  /**
   * A chunk of at least `bytes`: an idle one of its class (warmest), else a new one if the cap allows after
   * destroying idle chunks of other classes (coldest first), else `undefined`.
   *
   * @example
   * const chunk = pool.tryAcquire(256) ?? flushAndRetry();
   */
  tryAcquire(bytes: number): PooledChunk<T> | undefined {
    if (this.disposed) return undefined;
    const size = this.classOf(bytes);
    const idle = this.idleBySize.get(size);
    const warm = idle?.pop();
    if (warm) {
      this.idle.delete(warm);
      this.idleBytes -= size;
      this.reused++;
      return warm;
    }
    while (this.bytes + size > this.maxBytes) {
      const coldest = this.idle.values().next();
      if (coldest.done) return undefined;
      this.destroyChunk(coldest.value);
    }
    const chunk: PooledChunk<T> = { payload: this.options.create(size), size, idleSince: 0, alive: true };
    this.live.add(chunk);
    this.bytes += size;
    this.created++;
    this.options.host.allocated(size);
    return chunk;
  }

  /**
   * Gives a chunk back, idle and ready for reuse; after dispose it is destroyed instead.
   * @example pool.release(chunk);
   */
  release(chunk: PooledChunk<T>): void {
    if (!chunk.alive) return;
    if (this.disposed) {
      this.destroyChunk(chunk);
      return;
    }
    chunk.idleSince = this.options.now();
    this.idle.add(chunk);
    this.idleBytes += chunk.size;
    const list = this.idleBySize.get(chunk.size);
    if (list) list.push(chunk);
    else this.idleBySize.set(chunk.size, [chunk]);
  }

  /**
   * Destroys idle chunks idle for `idleMs` or more, except the most recently used ones whose sizes add up to at
   * most `keepBytes`. Returns the bytes freed.
   *
   * @example
   * pool.trim({ keepBytes: 0, idleMs: 0 }); // every idle chunk
   */
  trim(policy: { keepBytes: number; idleMs: number }): number {
    if (this.idleBytes <= policy.keepBytes) return 0;
    const cutoff = this.options.now() - policy.idleMs;
    const chunks = [...this.idle];
    let kept = 0;
    let keepFrom = chunks.length;
    while (keepFrom > 0 && kept + chunks[keepFrom - 1]!.size <= policy.keepBytes) {
      keepFrom--;
      kept += chunks[keepFrom]!.size;
    }
    let freed = 0;
    for (let i = 0; i < keepFrom; i++) {
      const chunk = chunks[i]!;
      if (chunk.idleSince > cutoff) break;
      freed += chunk.size;
      this.destroyChunk(chunk);
    }
    return freed;
  }

  /**
   * Destroys every chunk, idle or in use, and refuses new ones. Idempotent.
   * @example pool.dispose();
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const chunk of [...this.live]) this.destroyChunk(chunk);
  }

  /**
   * The counters, O(1).
   * @example pool.stats(0).bytes
   */
  stats(waiting: number): StagingPoolStats {
    return {
      bytes: this.bytes,
      idleBytes: this.idleBytes,
      chunks: this.live.size,
      idleChunks: this.idle.size,
      created: this.created,
      destroyed: this.destroyed,
      reused: this.reused,
      waiting,
      maxBytes: this.maxBytes,
    };
  }

  private destroyChunk(chunk: PooledChunk<T>): void {
    if (!chunk.alive) return;
    chunk.alive = false;
    if (this.idle.delete(chunk)) {
      this.idleBytes -= chunk.size;
      const list = this.idleBySize.get(chunk.size);
      const at = list?.indexOf(chunk) ?? -1;
      if (list && at >= 0) list.splice(at, 1);
    }
    this.live.delete(chunk);
    this.bytes -= chunk.size;
    this.destroyed++;
    this.options.destroy(chunk.payload);
    this.options.host.freed(chunk.size);
  }
}
