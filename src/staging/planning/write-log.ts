/**
 * The staged buffer writes of one flush, in call order, as columns of typed arrays rather than one object per
 * write: ten thousand small writes cost five array stores each and no garbage, and the flush walks the
 * columns once. A write that continues the previous one in both the chunk and the target grows it instead
 * (one copy carries both). Targets and chunks are numbered per flush, so a column holds a small integer and
 * a pass can keep per-target figures in typed arrays too. Pure: no GPU.
 */

/**
 * Buffer writes staged since the last flush: write `i` copies `sizeOf[i]` bytes at `srcOf[i]` of chunk
 * `chunks[chunkOf[i]]` to `targets[targetOf[i]]` at `dstOf[i]`.
 *
 * @example
 * const log = new WriteLog<Chunk, GPUBuffer>();
 * const slot = log.addChunk(chunk);
 * log.add(slot, 0, ubo, 0, 256);
 * log.add(slot, 256, ubo, 256, 256); // continues the first: log.count stays 1, log.sizeOf[0] is 512
 */
export class WriteLog<C, T> {
  /** Writes logged (after merging). */
  count = 0;
  chunkOf = new Int32Array(64);
  targetOf = new Int32Array(64);
  /** Byte columns are doubles: exact for any offset a buffer can have. */
  srcOf = new Float64Array(64);
  dstOf = new Float64Array(64);
  sizeOf = new Float64Array(64);
  /** The chunks holding this flush's bytes, in the order they were first written. */
  readonly chunks: C[] = [];
  /** The targets written in this flush, numbered in order of first write. */
  readonly targets: T[] = [];
  private readonly numbers = new Map<T, number>();
  private lastTarget: T | undefined;
  private lastTargetNumber = -1;
  private lastChunk = -1;
  private lastSrcEnd = -1;
  private lastDstEnd = -1;

  /**
   * Numbers a chunk that will hold bytes of this flush; returns its number for {@link add}.
   * @example const slot = log.addChunk(chunk);
   */
  addChunk(chunk: C): number {
    this.chunks.push(chunk);
    return this.chunks.length - 1;
  }

  /**
   * The number of `target` in this flush, numbering it when it is new.
   * @example log.targetNumber(ubo) // 0 for the first target written
   */
  targetNumber(target: T): number {
    if (target === this.lastTarget) return this.lastTargetNumber;
    let number = this.numbers.get(target);
    if (number === undefined) {
      number = this.targets.length;
      this.targets.push(target);
      this.numbers.set(target, number);
    }
    this.lastTarget = target;
    this.lastTargetNumber = number;
    return number;
  }

  /** The number of `target` in this flush, or undefined when it has no writes in it. */
  private numberOf(target: T): number | undefined {
    return target === this.lastTarget ? this.lastTargetNumber : this.numbers.get(target);
  }

  /**
   * True when `target` already has writes in this flush.
   * @example if (!log.has(buffer)) watch(buffer);
   */
  has(target: T): boolean {
    return target === this.lastTarget || this.numbers.has(target);
  }

  /**
   * True when a logged write to `target` covers any byte of `[dst, dst + size)`: a write there must land
   * after those (one scan of the log; only writes too large to stage ask).
   *
   * @example if (!log.overlaps(vbo, 0, mesh.byteLength)) queue.writeBuffer(vbo, 0, mesh);
   */
  overlaps(target: T, dst: number, size: number): boolean {
    const t = this.numberOf(target);
    if (t === undefined) return false;
    const { targetOf, dstOf, sizeOf } = this;
    const end = dst + size;
    for (let i = 0; i < this.count; i++) {
      if (targetOf[i] === t && dstOf[i]! < end && dst < dstOf[i]! + sizeOf[i]!) return true;
    }
    return false;
  }

  /**
   * Logs a write of `size` bytes staged at `src` of chunk number `chunk`, for `target` at `dst`; merged into
   * the previous write when it continues it in both the chunk and the target.
   *
   * @example log.add(slot, at, ubo, 1024, 256);
   */
  add(chunk: number, src: number, target: T, dst: number, size: number): void {
    const n = this.count;
    if (
      src === this.lastSrcEnd &&
      dst === this.lastDstEnd &&
      chunk === this.lastChunk &&
      target === this.lastTarget
    ) {
      this.sizeOf[n - 1] = this.sizeOf[n - 1]! + size;
      this.lastSrcEnd = src + size;
      this.lastDstEnd = dst + size;
      return;
    }
    const t = target === this.lastTarget ? this.lastTargetNumber : this.targetNumber(target);
    if (n === this.sizeOf.length) this.grow();
    this.chunkOf[n] = chunk;
    this.targetOf[n] = t;
    this.srcOf[n] = src;
    this.dstOf[n] = dst;
    this.sizeOf[n] = size;
    this.count = n + 1;
    this.lastChunk = chunk;
    this.lastSrcEnd = src + size;
    this.lastDstEnd = dst + size;
  }

  /**
   * Drops every write to `target` (destroyed before the flush), keeping the others in call order.
   * @example log.remove(buffer);
   */
  remove(target: T): void {
    const t = this.numberOf(target);
    if (t === undefined) return;
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      if (this.targetOf[i] === t) continue;
      if (kept !== i) {
        this.chunkOf[kept] = this.chunkOf[i]!;
        this.targetOf[kept] = this.targetOf[i]!;
        this.srcOf[kept] = this.srcOf[i]!;
        this.dstOf[kept] = this.dstOf[i]!;
        this.sizeOf[kept] = this.sizeOf[i]!;
      }
      kept++;
    }
    this.count = kept;
    this.lastChunk = -1; // the last write may be gone: nothing may grow into its place
  }

  /**
   * The next write will not continue the last one (a texture piece went between them in the chunk, say).
   * @example log.breakRun();
   */
  breakRun(): void {
    this.lastChunk = -1;
  }

  /**
   * Forgets every write, chunk and target (the columns keep their capacity for the next flush).
   * @example log.clear();
   */
  clear(): void {
    this.count = 0;
    this.chunks.length = 0;
    this.targets.length = 0;
    this.numbers.clear();
    this.lastTarget = undefined;
    this.lastTargetNumber = -1;
    this.lastChunk = -1;
    this.lastSrcEnd = -1;
    this.lastDstEnd = -1;
  }

  private grow(): void {
    const capacity = this.sizeOf.length * 2;
    const int = (old: Int32Array) => {
      const next = new Int32Array(capacity);
      next.set(old);
      return next;
    };
    const float = (old: Float64Array) => {
      const next = new Float64Array(capacity);
      next.set(old);
      return next;
    };
    this.chunkOf = int(this.chunkOf);
    this.targetOf = int(this.targetOf);
    this.srcOf = float(this.srcOf);
    this.dstOf = float(this.dstOf);
    this.sizeOf = float(this.sizeOf);
  }
}
