/**
 * Staging chunks pooled by size class under a byte cap, backend-neutral. What a chunk is (a `GPUBuffer`, a
 * CPU array, a GL buffer) comes from the backend's {@link ChunkKind}; this class owns the policy every backend
 * shares: size classes, the cap across classes, reuse warmest first, trimming coldest first, and the ledger
 * through the staging host.
 */
import type { StagingHost, StagingMemory, StagingPoolStats } from '../../core/backend.ts';
import { type SizeClassPolicy, sizeClassOf } from './size-classes.ts';

/** The bookkeeping every pooled chunk carries; a backend's chunk type adds its payload. */
export interface PoolChunk {
  /** Its size class, in bytes. */
  readonly size: number;
  /** Clock time it went idle; meaningful while idle. */
  idleSince: number;
  /** False once destroyed: callbacks that arrive later (after dispose) check it and do nothing. */
  alive: boolean;
}

/** What a backend's chunk is: how one is made and freed, and whether a released one may be reused. */
export interface ChunkKind<C extends PoolChunk> {
  /** A new chunk of exactly `size` bytes, `alive`, `idleSince` 0. */
  create(size: number): C;
  /** Frees the chunk's memory; called once per chunk. */
  destroy(chunk: C): void;
  /** False when a released chunk's state is unknown (a failed map): it is destroyed instead of reused. */
  reusable?(chunk: C): boolean;
  /** Where the chunks live, as reported to the host: GPU buffers (default) or CPU arrays. */
  readonly memory?: StagingMemory;
}

/** How a {@link ChunkPool} sizes, caps, counts and makes its chunks. */
export interface ChunkPoolOptions<C extends PoolChunk> extends ChunkKind<C> {
  readonly classes: SizeClassPolicy;
  /** Most bytes alive at once (idle + in use). */
  readonly maxBytes: number;
  readonly host: StagingHost;
  readonly now: () => number;
}

/** The idle-time policy of {@link ChunkPool.trim}. */
export interface ChunkTrim {
  readonly keepBytes: number;
  readonly idleMs: number;
}

/**
 * Size-classed chunks under a byte cap. Idle chunks are reused warmest first; when the cap stops a new chunk,
 * idle chunks of other classes are destroyed (coldest first) to make room.
 *
 * @example
 * const pool = new ChunkPool({ classes: { minBytes: 4096, maxBytes: 1 << 24 }, maxBytes: 1 << 26, host, now,
 *   create: (size) => ({ bytes: new Uint8Array(size), size, idleSince: 0, alive: true }), destroy: () => {} });
 * const chunk = pool.tryAcquire(100); // a 4096-byte chunk, or undefined at the cap
 */
export class ChunkPool<C extends PoolChunk> {
  readonly maxBytes: number;
  private readonly options: ChunkPoolOptions<C>;
  /** Idle chunks per size class, warmest last: reuse pops, destroying takes the coldest from the front. */
  private readonly idleBySize = new Map<number, C[]>();
  /** Idle chunks in the order they went idle, oldest first (a Set: O(1) removal of any chunk). */
  private readonly idle = new Set<C>();
  private readonly live = new Set<C>();
  private bytes = 0;
  private idleBytes = 0;
  private created = 0;
  private destroyed = 0;
  private reused = 0;
  private disposed = false;

  constructor(options: ChunkPoolOptions<C>) {
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
   * destroying idle chunks of other classes (coldest first), else `undefined` (every byte is in use: wait for
   * a release).
   *
   * @example
   * const chunk = pool.tryAcquire(256) ?? queueUntilRelease();
   */
  tryAcquire(bytes: number): C | undefined {
    if (this.disposed) return undefined;
    const size = this.classOf(bytes);
    const warm = this.idleBySize.get(size)?.pop();
    if (warm !== undefined) {
      this.idle.delete(warm);
      this.idleBytes -= size;
      this.reused++;
      return warm;
    }
    // Its class has no idle chunk, so making room never destroys one that could have served this request.
    if (!this.makeRoom(size)) return undefined;
    const chunk = this.options.create(size);
    this.live.add(chunk);
    this.bytes += size;
    this.created++;
    this.options.host.allocated(size, this.options.memory ?? 'gpu');
    return chunk;
  }

  /**
   * Gives a chunk back, idle and ready for reuse. A chunk the kind says is not reusable is destroyed instead,
   * and so is every chunk after dispose. A chunk already destroyed is ignored.
   *
   * @example
   * await chunk.buffer.mapAsync(GPUMapMode.WRITE); pool.release(chunk);
   */
  release(chunk: C): void {
    if (!chunk.alive) return;
    if (this.disposed || this.options.reusable?.(chunk) === false) {
      this.destroyChunk(chunk);
      return;
    }
    chunk.idleSince = this.options.now();
    this.idle.add(chunk);
    this.idleBytes += chunk.size;
    const list = this.idleBySize.get(chunk.size);
    if (list === undefined) this.idleBySize.set(chunk.size, [chunk]);
    else list.push(chunk);
  }

  /**
   * Destroys idle chunks idle for `idleMs` or more, except the most recently used ones whose sizes add up to
   * at most `keepBytes`. O(1) when the oldest idle chunk is younger than `idleMs`. Returns the bytes freed.
   *
   * @example
   * pool.trim({ keepBytes: 4 << 20, idleMs: 2000 });
   */
  trim(policy: ChunkTrim): number {
    const oldest = this.idle.values().next();
    if (oldest.done || this.idleBytes <= policy.keepBytes) return 0;
    const cutoff = this.options.now() - policy.idleMs;
    if (oldest.value.idleSince > cutoff) return 0; // run on every flush: usually nothing is old enough
    const chunks = [...this.idle];
    // Keep the newest chunks that fit in keepBytes, then destroy the old ones before them: always a prefix of
    // the idle order, so within each class it is the coldest chunks.
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
    // Every chunk goes: drop the idle lists at once rather than searching them chunk by chunk.
    this.idle.clear();
    this.idleBySize.clear();
    this.idleBytes = 0;
    for (const chunk of [...this.live]) this.destroyChunk(chunk);
  }

  /**
   * The counters, O(1); `waiting` is what the pool's user has queued behind the cap.
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

  /** Destroys idle chunks, coldest first, until `size` more bytes fit under the cap. */
  private makeRoom(size: number): boolean {
    while (this.bytes + size > this.maxBytes) {
      const coldest = this.idle.values().next();
      if (coldest.done) return false;
      this.destroyChunk(coldest.value);
    }
    return true;
  }

  private destroyChunk(chunk: C): void {
    if (!chunk.alive) return;
    chunk.alive = false;
    if (this.idle.delete(chunk)) {
      this.idleBytes -= chunk.size;
      const list = this.idleBySize.get(chunk.size)!;
      // Trimming and making room destroy the coldest chunk of a class, which is first in its list.
      if (list[0] === chunk) list.shift();
      else list.splice(list.indexOf(chunk), 1);
    }
    this.live.delete(chunk);
    this.bytes -= chunk.size;
    this.destroyed++;
    this.options.destroy(chunk);
    this.options.host.freed(chunk.size, this.options.memory ?? 'gpu');
  }
}
