/**
 * The staged buffer writes of the WebGL2 belt, in call order, as parallel typed arrays: where each write's
 * bytes sit in the belt's chunks, which buffer and offset they go to, and how many. No object per write, so
 * 10,000 staged writes leave the garbage collector nothing to copy (an object per write measured about 50 ns
 * more per write in bench/webgl2-uploads.ts). A write that continues the previous one in both its chunk and
 * its target grows it, so a run of adjacent writes is one `bufferSubData`.
 */
import type { WebGL2Buffer } from '../webgl2-buffers.ts';

const INITIAL_CAPACITY = 256;

/**
 * Staged buffer writes, issued in order by {@link GLBufferLog.issue}.
 *
 * @example
 * const log = new GLBufferLog();
 * log.add(0, 0, vbo, 256, 64); // 64 bytes of chunk 0 at 0 go to vbo at 256
 * log.issue(gl, [chunk.payload]);
 */
export class GLBufferLog {
  /** Entries in the log (adjacent writes count once). */
  count = 0;
  private chunkIndex = new Uint32Array(INITIAL_CAPACITY);
  private src = new Uint32Array(INITIAL_CAPACITY);
  private dst = new Float64Array(INITIAL_CAPACITY);
  private size = new Float64Array(INITIAL_CAPACITY);
  private targets: (WebGL2Buffer | undefined)[] = [];
  /** The lowest start and highest end of any entry: a write outside them overlaps nothing staged. */
  private low = Number.POSITIVE_INFINITY;
  private high = Number.NEGATIVE_INFINITY;

  /**
   * Logs `size` bytes at `src` of chunk `chunk` for `target` at `dstOffset`, merged into the last entry
   * when it continues it.
   *
   * @example
   * log.add(chunkIndex, at, buffer, dstOffset, bytes.byteLength);
   */
  add(chunk: number, src: number, target: WebGL2Buffer, dstOffset: number, size: number): void {
    const last = this.count - 1;
    if (dstOffset < this.low) this.low = dstOffset;
    if (dstOffset + size > this.high) this.high = dstOffset + size;
    if (
      last >= 0 &&
      this.targets[last] === target &&
      this.chunkIndex[last] === chunk &&
      this.src[last]! + this.size[last]! === src &&
      this.dst[last]! + this.size[last]! === dstOffset
    ) {
      this.size[last] = this.size[last]! + size;
      return;
    }
    if (this.count === this.chunkIndex.length) this.grow();
    const n = this.count++;
    this.chunkIndex[n] = chunk;
    this.src[n] = src;
    this.dst[n] = dstOffset;
    this.size[n] = size;
    this.targets[n] = target;
  }

  /**
   * True when a staged entry for `target` shares a byte with `[dstOffset, dstOffset + size)`.
   *
   * @example
   * if (!log.overlaps(buffer, 0, bytes.byteLength)) writeNow(buffer, bytes);
   */
  overlaps(target: WebGL2Buffer, dstOffset: number, size: number): boolean {
    const end = dstOffset + size;
    if (this.count === 0 || end <= this.low || dstOffset >= this.high) return false;
    for (let i = 0; i < this.count; i++) {
      if (this.targets[i] !== target) continue;
      const start = this.dst[i]!;
      if (start < end && dstOffset < start + this.size[i]!) return true;
    }
    return false;
  }

  /**
   * Drops the entries for `target` (destroyed), keeping the others in order.
   *
   * @example
   * log.remove(buffer);
   */
  remove(target: WebGL2Buffer): void {
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      if (this.targets[i] === target) continue;
      if (kept !== i) {
        this.chunkIndex[kept] = this.chunkIndex[i]!;
        this.src[kept] = this.src[i]!;
        this.dst[kept] = this.dst[i]!;
        this.size[kept] = this.size[i]!;
        this.targets[kept] = this.targets[i];
      }
      kept++;
    }
    for (let i = kept; i < this.count; i++) this.targets[i] = undefined;
    this.count = kept;
  }

  /**
   * Issues every entry as a `bufferSubData` through COPY_WRITE_BUFFER (which takes index and data buffers
   * alike), bound once per change of target rather than saved, bound and restored around each write; the
   * caller's binding is restored at the end, also when a call throws. Then the log is empty.
   *
   * @example
   * log.issue(gl, chunks.map((c) => c.payload));
   */
  issue(gl: WebGL2RenderingContext, payloads: readonly Uint8Array[]): void {
    const previous = gl.getParameter(gl.COPY_WRITE_BUFFER_BINDING) as WebGLBuffer | null;
    let bound = previous;
    try {
      for (let i = 0; i < this.count; i++) {
        const buffer = this.targets[i]!.buffer;
        if (bound !== buffer) {
          bound = buffer;
          gl.bindBuffer(gl.COPY_WRITE_BUFFER, buffer);
        }
        const payload = payloads[this.chunkIndex[i]!]!;
        gl.bufferSubData(gl.COPY_WRITE_BUFFER, this.dst[i]!, payload, this.src[i]!, this.size[i]!);
      }
    } finally {
      if (bound !== previous) gl.bindBuffer(gl.COPY_WRITE_BUFFER, previous);
      this.clear();
    }
  }

  /** Empties the log. @example log.clear(); */
  clear(): void {
    this.targets.fill(undefined, 0, this.count);
    this.count = 0;
    this.low = Number.POSITIVE_INFINITY;
    this.high = Number.NEGATIVE_INFINITY;
  }

  private grow(): void {
    const capacity = this.chunkIndex.length * 2;
    const grown = <T extends Uint32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.chunkIndex = grown(this.chunkIndex, (n) => new Uint32Array(n));
    this.src = grown(this.src, (n) => new Uint32Array(n));
    this.dst = grown(this.dst, (n) => new Float64Array(n));
    this.size = grown(this.size, (n) => new Float64Array(n));
  }
}
