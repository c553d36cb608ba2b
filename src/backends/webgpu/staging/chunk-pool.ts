/**
 * Staging chunks (raw `GPUBuffer`s owned by the staging, not by the handle table) pooled by size class under
 * a byte cap. One `ResourcePool` per class holds the idle chunks and counts reuse; this class adds what a
 * generic pool cannot know: bytes, the cap across classes, the ledger, and trimming by idle time.
 */
import { ResourcePool } from '../../../pool/resource-pool.ts';
import { type SizeClassPolicy, sizeClassOf } from '../../../staging/size-classes.ts';
import type { StagingHost, StagingPoolStats } from '../../backend.ts';

/** One staging buffer. */
export interface Chunk {
  readonly buffer: GPUBuffer;
  readonly size: number;
  /** False once destroyed: map callbacks that arrive later (after dispose) check it and do nothing. */
  alive: boolean;
  /** The mapped range while mapped (`getMappedRange` may be called once per mapping). */
  mapped: Uint8Array | undefined;
  /** Clock time it went idle; meaningful while idle. */
  idleSince: number;
  /** Set when its state is unknown (a map failed): the pool destroys it instead of reusing it. */
  broken: boolean;
}

/** How a {@link ChunkPool} makes chunks. */
export interface ChunkPoolOptions {
  readonly device: GPUDevice;
  readonly label: string;
  /** `GPUBufferUsage` bits of every chunk. */
  readonly usage: number;
  /** Upload chunks are born mapped (ready to write); readback buffers are born unmapped. */
  readonly mappedAtCreation: boolean;
  readonly classes: SizeClassPolicy;
  /** Most bytes alive at once (idle + in use). */
  readonly maxBytes: number;
  readonly host: StagingHost;
  readonly now: () => number;
}

class BrokenChunk extends Error {}

/**
 * Size-classed chunks under a byte cap. Idle chunks are reused warmest first; when the cap stops a new
 * chunk, idle chunks of other classes are destroyed (coldest first) to make room.
 *
 * @example
 * const pool = new ChunkPool({ device, label: 'upload', usage: GPUBufferUsage.MAP_WRITE | GPUBufferUsage.COPY_SRC,
 *   mappedAtCreation: true, classes: { minBytes: 1 << 20, maxBytes: 1 << 24 }, maxBytes: 1 << 26, host, now });
 * const chunk = pool.tryAcquire(4096); // undefined when the cap is reached and nothing is idle
 */
export class ChunkPool {
  readonly maxBytes: number;
  private readonly options: ChunkPoolOptions;
  private readonly pools = new Map<number, ResourcePool<Chunk>>();
  /** Idle chunks in the order they went idle, oldest first (a Set: O(1) removal of any chunk). */
  private readonly idle = new Set<Chunk>();
  /** Idle chunks per size class, so acquiring never has to ask a pool for a stats snapshot. */
  private readonly idlePerClass = new Map<number, number>();
  private readonly live = new Set<Chunk>();
  private bytes = 0;
  private idleBytes = 0;
  private disposed = false;

  constructor(options: ChunkPoolOptions) {
    this.options = options;
    this.maxBytes = options.maxBytes;
  }

  /**
   * The chunk size that serves `bytes`.
   * @example pool.classOf(300_000) // 1048576 with 1 MiB minimum chunks
   */
  classOf(bytes: number): number {
    return sizeClassOf(bytes, this.options.classes);
  }

  /** Chunks alive (idle or in use). @example if (pool.chunkCount === 0) ... */
  get chunkCount(): number {
    return this.live.size;
  }

  /**
   * A chunk of at least `bytes`: an idle one of its class, else a new one if the cap allows (after destroying
   * idle chunks of other classes, coldest first), else `undefined` (every byte is in use: wait for a release).
   *
   * @example
   * const chunk = pool.tryAcquire(256) ?? queueUntilRelease();
   */
  tryAcquire(bytes: number): Chunk | undefined {
    if (this.disposed) return undefined;
    const size = this.classOf(bytes);
    const pool = this.poolFor(size);
    if ((this.idlePerClass.get(size) ?? 0) === 0 && !this.makeRoom(size)) return undefined;
    const chunk = pool.tryAcquire();
    if (chunk !== undefined) this.leaveIdle(chunk);
    return chunk;
  }

  /**
   * Gives a chunk back, idle and ready for reuse (upload chunks mapped, readback buffers unmapped). A broken
   * chunk is destroyed instead. After dispose, nothing happens (the chunk was already destroyed).
   *
   * @example
   * await chunk.buffer.mapAsync(GPUMapMode.WRITE); pool.release(chunk);
   */
  release(chunk: Chunk): void {
    if (!chunk.alive) return;
    if (this.disposed) {
      this.destroyChunk(chunk);
      return;
    }
    chunk.idleSince = this.options.now();
    this.idle.add(chunk);
    this.idleBytes += chunk.size;
    this.idlePerClass.set(chunk.size, (this.idlePerClass.get(chunk.size) ?? 0) + 1);
    try {
      this.poolFor(chunk.size).release(chunk);
    } catch (error) {
      if (!(error instanceof BrokenChunk)) throw error;
    }
  }

  /**
   * Destroys idle chunks idle for `idleMs` or more, except the most recently used ones whose sizes add up to
   * at most `keepBytes`. O(1) when the oldest idle chunk is younger than `idleMs`. Returns the bytes freed.
   *
   * @example
   * pool.trim({ keepBytes: 4 << 20, idleMs: 2000 });
   */
  trim(policy: { keepBytes: number; idleMs: number }): number {
    const oldest = this.idle.values().next();
    if (oldest.done || this.idleBytes <= policy.keepBytes) return 0;
    const cutoff = this.options.now() - policy.idleMs;
    if (oldest.value.idleSince > cutoff) return 0;
    const chunks = [...this.idle];
    // Keep the newest chunks that fit in keepBytes, then destroy the old ones before them: always a prefix of
    // the idle order, so within each class it is the coldest chunks, exactly what ResourcePool.trim destroys.
    let kept = 0;
    let keepFrom = chunks.length;
    while (keepFrom > 0 && kept + chunks[keepFrom - 1]!.size <= policy.keepBytes) {
      keepFrom--;
      kept += chunks[keepFrom]!.size;
    }
    const perClass = new Map<number, number>();
    let freed = 0;
    for (let i = 0; i < keepFrom; i++) {
      const chunk = chunks[i]!;
      if (chunk.idleSince > cutoff) break;
      perClass.set(chunk.size, (perClass.get(chunk.size) ?? 0) + 1);
      freed += chunk.size;
    }
    for (const [size, count] of perClass) this.poolFor(size).trim((this.idlePerClass.get(size) ?? 0) - count);
    return freed;
  }

  /**
   * Destroys every chunk, in use or not, and refuses new ones. Idempotent.
   * @example pool.dispose();
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const pool of this.pools.values()) pool.close();
    for (const chunk of [...this.live]) this.destroyChunk(chunk);
  }

  /**
   * The counters; O(number of size classes).
   * @example pool.stats().created
   */
  stats(waiting: number): StagingPoolStats {
    let created = 0;
    let destroyed = 0;
    let reused = 0;
    for (const pool of this.pools.values()) {
      const s = pool.stats();
      created += s.created;
      destroyed += s.destroyed;
      reused += s.hits;
    }
    return {
      bytes: this.bytes,
      idleBytes: this.idleBytes,
      chunks: this.live.size,
      idleChunks: this.idle.size,
      created,
      destroyed,
      reused,
      waiting,
      maxBytes: this.maxBytes,
    };
  }

  private poolFor(size: number): ResourcePool<Chunk> {
    let pool = this.pools.get(size);
    if (pool === undefined) {
      pool = new ResourcePool<Chunk>({
        max: Number.POSITIVE_INFINITY, // the byte cap is enforced across classes, above
        label: `${this.options.label} ${size}`,
        create: () => this.createChunk(size),
        reset: (chunk) => {
          if (chunk.broken) throw new BrokenChunk();
        },
        destroy: (chunk) => this.destroyChunk(chunk),
      });
      this.pools.set(size, pool);
    }
    return pool;
  }

  /** Destroys idle chunks, coldest first, until `size` more bytes fit under the cap. */
  private makeRoom(size: number): boolean {
    while (this.bytes + size > this.maxBytes) {
      const coldest = this.idle.values().next();
      if (coldest.done) return false;
      const size = coldest.value.size;
      this.poolFor(size).trim((this.idlePerClass.get(size) ?? 0) - 1); // its class's coldest is the coldest of all
    }
    return true;
  }

  private leaveIdle(chunk: Chunk): void {
    if (!this.idle.delete(chunk)) return;
    this.idleBytes -= chunk.size;
    this.idlePerClass.set(chunk.size, (this.idlePerClass.get(chunk.size) ?? 1) - 1);
  }

  private createChunk(size: number): Chunk {
    const { device, label, usage, mappedAtCreation, host } = this.options;
    const buffer = device.createBuffer({
      label: `${label} chunk (${size} B)`,
      size,
      usage,
      mappedAtCreation,
    });
    const chunk: Chunk = { buffer, size, alive: true, mapped: undefined, idleSince: 0, broken: false };
    this.live.add(chunk);
    this.bytes += size;
    host.allocated(size);
    return chunk;
  }

  private destroyChunk(chunk: Chunk): void {
    if (!chunk.alive) return;
    chunk.alive = false;
    chunk.mapped = undefined;
    this.leaveIdle(chunk);
    this.live.delete(chunk);
    this.bytes -= chunk.size;
    chunk.buffer.destroy();
    this.options.host.freed(chunk.size);
  }
}
