/**
 * The bookkeeping of a readback pool, backend-neutral: the byte-cap check, reads queued in call order until a
 * chunk comes back, the reads of each source (so a destroyed source cancels its own), and dispose rejecting
 * everything. How a read is issued and how its bytes come back (a `mapAsync`, a fence) is the backend's: a
 * subclass implements {@link ReadQueue.issue} and settles each issued read through the protected methods.
 */
import { ReadbackCancelledError, ValidationError } from '../../errors.ts';
import type { ChunkPool, PoolChunk } from './chunk-pool.ts';

/** What the queue needs to know of a read; a backend's request adds how to copy and finish it. */
export interface ReadSpec {
  /** The resource read: `forget(source)` cancels its reads. */
  readonly source: unknown;
  /** Names the source in errors. */
  readonly label: string;
  /** Bytes the read needs in a readback chunk. */
  readonly bytes: number;
}

/** Waiting for a chunk, issued to the GPU, or over (resolved, rejected or cancelled). */
export type ReadState = 'queued' | 'in-flight' | 'settled';

/** One read as a backend sees it: its request, its state, and the chunk it was issued with. */
export interface PendingRead<R extends ReadSpec, C> {
  readonly request: R;
  readonly state: ReadState;
  /** Set when issued; `undefined` while queued and for reads that need no chunk. */
  readonly chunk: C | undefined;
}

interface Entry<R extends ReadSpec, C> extends PendingRead<R, C> {
  state: ReadState;
  chunk: C | undefined;
  readonly resolve: (data: Uint8Array) => void;
  readonly reject: (error: Error) => void;
}

/** The part of a chunk pool the queue uses. */
export type ReadChunks<C extends PoolChunk> = Pick<
  ChunkPool<C>,
  'maxBytes' | 'classOf' | 'tryAcquire' | 'release'
>;

/**
 * Reads through pooled chunks: many in flight, the rest queued in call order behind the byte cap.
 *
 * @example
 * class Reader extends ReadQueue<MyRequest, MyChunk> {
 *   protected override issue(read: PendingRead<MyRequest, MyChunk>): void {
 *     copyInto(read.chunk!, read.request);
 *     whenDone().then(() => { this.resolve(read, bytesOf(read.chunk!)); this.complete(read.chunk); });
 *   }
 * }
 * const bytes = await new Reader(chunks).read({ source, label: 'counters', bytes: 64 });
 */
export abstract class ReadQueue<R extends ReadSpec, C extends PoolChunk> {
  private readonly chunks: ReadChunks<C>;
  private readonly bySource = new Map<unknown, Set<Entry<R, C>>>();
  private queue: Entry<R, C>[] = [];
  private inFlight = 0;
  private disposed = false;

  constructor(chunks: ReadChunks<C>) {
    this.chunks = chunks;
  }

  /** Reads waiting for a chunk. @example if (reader.waiting > 0) flushSooner(); */
  get waiting(): number {
    return this.queue.length;
  }

  /** Reads issued whose data has not come back yet. @example stats.inFlight = reader.pending; */
  get pending(): number {
    return this.inFlight;
  }

  /**
   * Starts a read now (or queues it behind the cap) and resolves with the caller's bytes. Rejects with
   * `ValidationError` when one chunk for it would exceed the cap, `ReadbackCancelledError` after dispose.
   *
   * @example
   * const texels = await reader.read(request);
   */
  read(request: R): Promise<Uint8Array> {
    return this.begin(request, true)!;
  }

  /**
   * Starts a read now if it can (nothing queued here, and a chunk free if it needs one), else returns
   * `undefined` and keeps nothing: for a staging that queues reads in its own call order. Rejections as
   * {@link read}.
   *
   * @example
   * const started = reader.tryRead(request) ?? waitInLine(request);
   */
  tryRead(request: R): Promise<Uint8Array> | undefined {
    return this.begin(request, false);
  }

  /** Called after an issued read gave its chunk back (a staging waiting for chunks drains then). */
  protected chunkFreed(): void {}

  private begin(request: R, queueIfFull: boolean): Promise<Uint8Array> | undefined {
    if (this.disposed) return Promise.reject(new ReadbackCancelledError(request.label, 'disposed'));
    const size = this.chunks.classOf(request.bytes);
    if (size > this.chunks.maxBytes) {
      return Promise.reject(
        new ValidationError(
          request.label,
          'read size',
          request.bytes,
          `a read uses one readback buffer (${size} bytes for this one), which must fit in maxReadbackBytes ` +
            `(${this.chunks.maxBytes}): read a smaller region or raise the option`,
        ),
      );
    }
    const usesChunk = this.usesChunk(request);
    let chunk: C | undefined;
    if (usesChunk) {
      chunk = this.queue.length === 0 ? this.chunks.tryAcquire(request.bytes) : undefined;
      if (chunk === undefined && !queueIfFull) return undefined;
    }
    return new Promise<Uint8Array>((resolve, reject) => {
      const read: Entry<R, C> = { request, resolve, reject, state: 'queued', chunk: undefined };
      const reads = this.bySource.get(request.source);
      if (reads === undefined) this.bySource.set(request.source, new Set([read]));
      else reads.add(read);
      if (usesChunk && chunk === undefined) this.queue.push(read);
      else this.start(read, chunk);
    });
  }

  /**
   * The source was destroyed: its pending reads reject with `ReadbackCancelledError` ('destroyed'). Issued
   * ones also go to {@link cancelIssued}; their chunks come back through {@link complete} as usual.
   *
   * @example reader.forget(texture);
   */
  forget(source: R['source']): void {
    // Every destroy comes here: with no read pending, do not even hash the object (V8 gives an object an
    // identity hash, and a new hidden class, the first time it is a Map key).
    if (this.bySource.size === 0) return;
    const reads = this.bySource.get(source);
    if (reads === undefined) return;
    this.bySource.delete(source);
    for (const read of reads) {
      const state = read.state;
      read.state = 'settled';
      if (state === 'queued') this.queue = this.queue.filter((r) => r !== read);
      else if (state === 'in-flight') this.cancelIssued(read);
      read.reject(new ReadbackCancelledError(read.request.label, 'destroyed'));
    }
  }

  /**
   * Rejects every pending read with `reason` and starts no more; the chunk pool frees the chunks afterwards.
   * @example reader.dispose('device-lost');
   */
  dispose(reason: 'disposed' | 'device-lost'): void {
    if (this.disposed) return;
    this.disposed = true;
    const reads = [...this.bySource.values()].flatMap((set) => [...set]);
    this.bySource.clear();
    this.queue = [];
    for (const read of reads) {
      read.state = 'settled';
      read.reject(new ReadbackCancelledError(read.request.label, reason));
    }
  }

  /**
   * Issues `read` (now 'in-flight', with `read.chunk` to copy into unless it needs none). When its data comes
   * back or fails, settle it with {@link resolve} or {@link reject} if it is still 'in-flight' (else it was
   * cancelled meanwhile), then hand its chunk back with {@link complete}.
   */
  protected abstract issue(read: PendingRead<R, C>): void;

  /** Whether `request` takes a chunk (true); one that does not is issued at once, ahead of the queue. */
  protected usesChunk(_request: R): boolean {
    return true;
  }

  /** An issued read was cancelled (already rejected): stop its transfer early if the backend can. */
  protected cancelIssued(_read: PendingRead<R, C>): void {}

  /** Settles an issued read with the caller's bytes. */
  protected resolve(read: PendingRead<R, C>, data: Uint8Array): void {
    this.settle(read).resolve(data);
  }

  /** Settles an issued read with an error. */
  protected reject(read: PendingRead<R, C>, error: Error): void {
    this.settle(read).reject(error);
  }

  /**
   * An issued read is over: it no longer counts as in flight, its chunk (if any) goes back to the pool, and
   * queued reads that now fit start, in call order.
   */
  protected complete(chunk: C | undefined): void {
    this.inFlight--;
    if (chunk !== undefined) this.chunks.release(chunk);
    while (this.queue.length > 0 && !this.disposed) {
      const next = this.chunks.tryAcquire(this.queue[0]!.request.bytes);
      if (next === undefined) return;
      this.start(this.queue.shift()!, next);
    }
    if (chunk !== undefined && !this.disposed) this.chunkFreed();
  }

  private start(read: Entry<R, C>, chunk: C | undefined): void {
    read.state = 'in-flight';
    read.chunk = chunk;
    this.inFlight++;
    this.issue(read);
  }

  /** Marks a read over and drops it from its source's reads; returns it with its promise's callbacks. */
  private settle(read: PendingRead<R, C>): Entry<R, C> {
    // Every PendingRead the subclass holds is an Entry this queue made and handed to issue().
    const entry = read as Entry<R, C>;
    entry.state = 'settled';
    const reads = this.bySource.get(entry.request.source);
    if (reads !== undefined) {
      reads.delete(entry);
      if (reads.size === 0) this.bySource.delete(entry.request.source);
    }
    return entry;
  }
}
