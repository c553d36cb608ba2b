import { AbortError, DisposedError, PoolReleaseError, TimeoutError, ValidationError } from '../errors.ts';
import { type OptionBag, readOption, readOptionBag } from '../monitor/read-options.ts';
import { startDeadline } from './deadline.ts';

/** How a {@link ResourcePool} makes, recycles and frees its items. */
export interface ResourcePoolOptions<T> {
  /** Most items alive at once (idle + in use + being created): an integer >= 1, or `Infinity`. */
  max: number;
  /** Makes a new item. May be async; see {@link ResourcePool.tryAcquire} for what that changes. */
  create: () => T | PromiseLike<T>;
  /** Returns a released item to a clean state. If it throws, the item is destroyed instead of pooled. */
  reset?: (item: T) => void;
  /** Frees an item for good (e.g. `buffer.destroy()`): on trim, on close, and on release after close. */
  destroy?: (item: T) => void;
  /** Names the pool in error messages. */
  label?: string;
}

/** Cancellation for {@link ResourcePool.acquire}. The deadline covers the whole call, waiting and creating. */
export interface AcquireOptions {
  /** An AbortSignal (anything with `aborted`, `addEventListener` and `removeEventListener`). */
  signal?: AbortSignal;
  /** Finite milliseconds >= 0. Any length works: deadlines past setTimeout's 2^31 - 1 ms are chained. */
  timeoutMs?: number;
}

/**
 * A snapshot of a pool's counters. `size` counts items that exist (`idle + inUse`, equal to
 * `created - destroyed`); `pending` counts `create` calls in flight, which also count toward `max`
 * (`size + pending <= max`). `hits` are acquisitions served by an existing item (idle, or handed over on
 * release), `misses` the `create` calls made for callers. `waiting` counts unsettled `acquire` calls (queued for
 * a release or for a create in flight).
 */
export interface ResourcePoolStats {
  size: number;
  idle: number;
  inUse: number;
  waiting: number;
  pending: number;
  hits: number;
  misses: number;
  created: number;
  destroyed: number;
  max: number;
}

/** One pending `acquire`. It is pending exactly while it is in the pool's queue. */
interface Ticket<T> {
  resolve: (item: T) => void;
  reject: (error: unknown) => void;
  cleanup: () => void;
}

/** The signal side of an AbortSignal, as {@link ResourcePool.acquire} uses it. */
interface SignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options: { once: true }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

const OWNER = 'resource pool';

const PENDING: unique symbol = Symbol('pending');

/**
 * A bounded pool of reusable items (staging buffers, readback buffers, scratch textures...). Idle items are
 * reused before new ones are created; when `max` items exist, callers queue in strict FIFO order until one is
 * released. Items are tracked by identity, so `create` must return distinct values.
 *
 * @example
 * const pool = new ResourcePool({
 *   max: 4,
 *   create: () => device.createBuffer({ size: 65536, usage: GPUBufferUsage.MAP_WRITE | GPUBufferUsage.COPY_SRC }),
 *   destroy: (b) => b.destroy(),
 * });
 * const buffer = await pool.acquire({ timeoutMs: 1000 });
 * try { upload(buffer) } finally { pool.release(buffer) }
 */
export class ResourcePool<T> implements Disposable {
  readonly max: number;
  readonly label: string;
  private readonly create: () => T | PromiseLike<T>;
  private readonly reset: ((item: T) => void) | undefined;
  private readonly destroy: ((item: T) => void) | undefined;
  /** A stack: the most recently released item is reused first (warm), the coldest are trimmed first. */
  private readonly idle: T[] = [];
  private readonly outstanding = new Set<T>();
  /**
   * Every caller whose acquire is unsettled, oldest first. A Set iterates in insertion order and deletes in
   * O(1), so timed-out callers leave cheaply. Creates are not bound to the caller that started them: every
   * item (released or newly created) and every create failure goes to the head of this queue.
   */
  private readonly queue = new Set<Ticket<T>>();
  private pending = 0;
  private hits = 0;
  private misses = 0;
  private created = 0;
  private destroyed = 0;
  private closed = false;
  /** Set once `create` returns a promise; from then on `tryAcquire` stops calling it. */
  private createIsAsync = false;

  /**
   * Every option is read once and checked before the pool exists.
   *
   * @throws ValidationError when `options` is not an object, `max` is not an integer >= 1 (or `Infinity`),
   *   `create` is not a function, `reset`/`destroy` are neither functions nor undefined, `label` is not a
   *   string, or reading an option throws.
   * @example
   * const pool = new ResourcePool({ max: 2, create: () => new Float32Array(1024), label: 'scratch' });
   */
  constructor(options: ResourcePoolOptions<T>) {
    const bag = readOptionBag(OWNER, 'options', options, true);
    const label = readOption(bag, 'label');
    if (label !== undefined && typeof label !== 'string') {
      throw new ValidationError(OWNER, 'label', label, 'must be a string or undefined');
    }
    this.label = label ?? '';
    const max = readOption(bag, 'max');
    if (!(max === Number.POSITIVE_INFINITY || (Number.isInteger(max) && (max as number) >= 1))) {
      throw this.invalid('max', max, 'a pool holds at least 1 item: an integer >= 1 or Infinity');
    }
    this.max = max as number;
    this.create = this.readFunction(bag, 'create', true) as () => T | PromiseLike<T>;
    this.reset = this.readFunction(bag, 'reset', false) as ((item: T) => void) | undefined;
    this.destroy = this.readFunction(bag, 'destroy', false) as ((item: T) => void) | undefined;
  }

  /** `true` once {@link close} has run. @example if (!pool.isClosed) pool.release(item); */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Takes an idle item (hit), else creates one if there is room (miss), else waits for a release. Pending
   * calls are served strictly in call order: every item that becomes available (released or newly created)
   * goes to the oldest one, and so does a `create` failure (whose slot is freed first). A caller that times
   * out or aborts leaves the queue and never receives an item; that item goes to the next caller or to idle.
   *
   * Bad options (not an object, a `signal` that is not an AbortSignal, a `timeoutMs` that is not a finite
   * number >= 0, a throwing getter) reject the returned promise with a ValidationError before anything is
   * taken, created or queued; `acquire` itself never throws.
   *
   * @throws TimeoutError after `timeoutMs`; AbortError when `signal` aborts; DisposedError after close;
   *   ValidationError for bad options (all as rejections).
   * @example
   * const item = await pool.acquire({ signal: controller.signal, timeoutMs: 500 });
   */
  acquire(options?: AcquireOptions): Promise<T> {
    // Not `async`: every outcome settles its promise at the moment it is decided, so callers' continuations
    // run in the order they were served.
    let signal: SignalLike | undefined;
    let timeoutMs: number | undefined;
    try {
      [signal, timeoutMs] = this.readAcquireOptions(options);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.closed) return Promise.reject(new DisposedError(this.what, 'acquire'));
    if (signal?.aborted) return Promise.reject(this.abortError(signal));
    const item = this.takeIdle();
    if (item !== PENDING) return Promise.resolve(item);
    const ticketed = this.newTicket(signal, timeoutMs);
    if (!Array.isArray(ticketed)) return Promise.reject(ticketed);
    const [ticket, promise] = ticketed;
    this.queue.add(ticket);
    this.pump();
    return promise;
  }

  /**
   * Takes an idle item, or creates one if `create` is synchronous and there is room; `undefined` otherwise.
   * Whether `create` is async is only known by calling it: the first time it returns a promise, this call
   * returns `undefined` and the item joins the pool when ready (going to the oldest pending `acquire`, if any,
   * like a failure would; with nobody waiting, a failure is dropped); after that, `tryAcquire` only returns
   * idle items.
   *
   * @throws DisposedError after close; whatever a synchronous `create` throws (its slot is freed first).
   * @example
   * const scratch = pool.tryAcquire() ?? new Float32Array(1024); // fall back when the pool is dry
   */
  tryAcquire(): T | undefined {
    if (this.closed) throw new DisposedError(this.what, 'tryAcquire');
    const idle = this.takeIdle();
    if (idle !== PENDING) return idle;
    if (this.createIsAsync || this.queue.size > 0 || !this.hasRoom()) return undefined;
    const item = this.callCreate();
    if (item === PENDING) return undefined;
    this.misses++;
    this.outstanding.add(item);
    return item;
  }

  /**
   * Gives an item back: `reset(item)`, then to the oldest pending `acquire` or to idle. After close, destroys it instead.
   * If `reset` throws, the item is destroyed (its state is unknown), its slot is freed and the error rethrown.
   *
   * @throws PoolReleaseError if the item is not checked out of this pool (double or foreign release);
   *   nothing changes in that case.
   * @example
   * const buffer = await pool.acquire();
   * try { encode(buffer) } finally { pool.release(buffer) }
   */
  release(item: T): void {
    if (!this.outstanding.has(item)) {
      const detail = this.idle.includes(item)
        ? 'the item is already idle in the pool (released twice)'
        : 'the item is not checked out of this pool (never acquired from it, or already released and destroyed)';
      throw new PoolReleaseError(this.what, item, detail);
    }
    this.outstanding.delete(item);
    if (this.closed) {
      this.discard(item);
      return;
    }
    try {
      this.reset?.(item);
    } catch (error) {
      this.destroyed++;
      this.pump();
      this.destroy?.(item);
      throw error;
    }
    if (this.queue.size > 0) this.hits++;
    this.supply(item);
  }

  /**
   * Destroys idle items beyond `keep`, coldest first, so the pool shrinks after a burst. Every one is
   * destroyed even if some `destroy` calls throw; then the error is rethrown (an AggregateError when several).
   * @returns how many items were destroyed.
   * @example
   * onFrameEnd(() => pool.trim(2)); // keep two warm buffers, free the rest
   */
  trim(keep = 0): number {
    if (!(Number.isInteger(keep) && keep >= 0)) throw this.invalid('keep', keep, 'must be an integer >= 0');
    const excess = this.idle.length - keep;
    if (excess <= 0) return 0;
    this.discardAll(this.idle.splice(0, excess));
    return excess;
  }

  /**
   * Rejects every pending `acquire` with DisposedError and destroys idle items (and, when they arrive, items
   * whose create was in flight). Items still out stay valid for their holders and are destroyed when released.
   * Acquiring afterwards rejects with DisposedError. Idempotent.
   * @example
   * pool.close(); // on device loss or engine shutdown
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const ticket of [...this.queue]) this.fail(ticket, new DisposedError(this.what, 'acquire'));
    this.discardAll(this.idle.splice(0));
  }

  /** Same as {@link close}, for `using`. @example { using pool = new ResourcePool(options); } */
  [Symbol.dispose](): void {
    this.close();
  }

  /** A snapshot of the counters; O(1). @example const { inUse, idle, waiting } = pool.stats(); */
  stats(): ResourcePoolStats {
    const { hits, misses, created, destroyed, max, pending } = this;
    const [idle, inUse, waiting] = [this.idle.length, this.outstanding.size, this.queue.size];
    return { size: idle + inUse, idle, inUse, waiting, pending, hits, misses, created, destroyed, max };
  }

  private get what(): string {
    return this.label ? `resource pool '${this.label}'` : 'resource pool';
  }

  private invalid(field: string, value: unknown, rule: string): ValidationError {
    return new ValidationError(this.label || OWNER, field, value, rule);
  }

  private readFunction(bag: OptionBag, key: string, required: boolean): unknown {
    const value = readOption(bag, key);
    if (typeof value === 'function' || (value === undefined && !required)) return value;
    throw this.invalid(key, value, required ? 'must be a function' : 'must be a function or undefined');
  }

  /** Checks acquire's options, reading each field once. Throws ValidationError; touches nothing. */
  private readAcquireOptions(options: unknown): [SignalLike | undefined, number | undefined] {
    const bag = readOptionBag(this.label || OWNER, 'options', options, false, 'options.');
    const timeoutMs = readOption(bag, 'timeoutMs');
    if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && (timeoutMs as number) >= 0)) {
      throw this.invalid('options.timeoutMs', timeoutMs, 'must be a finite number of ms >= 0');
    }
    const signal = readOption(bag, 'signal');
    if (signal === undefined) return [undefined, timeoutMs as number | undefined];
    const rule = 'must be an AbortSignal (with aborted, addEventListener and removeEventListener)';
    if (typeof signal !== 'object' || signal === null) throw this.invalid('options.signal', signal, rule);
    let shaped: boolean;
    try {
      const s = signal as Partial<Record<keyof SignalLike, unknown>>;
      shaped =
        typeof s.aborted === 'boolean' &&
        typeof s.addEventListener === 'function' &&
        typeof s.removeEventListener === 'function';
    } catch {
      shaped = false; // a Proxy whose traps throw is no signal
    }
    if (!shaped) throw this.invalid('options.signal', signal, rule);
    return [signal as SignalLike, timeoutMs as number | undefined];
  }

  /** An AbortError for `signal`; a reason that cannot be read or printed is left out, never thrown. */
  private abortError(signal: SignalLike): AbortError {
    const what = `acquire from ${this.what}`;
    try {
      return new AbortError(what, signal.reason);
    } catch {
      return new AbortError(what, '[unprintable abort reason]');
    }
  }

  private hasRoom(): boolean {
    return this.idle.length + this.outstanding.size + this.pending < this.max;
  }

  private takeIdle(): T | typeof PENDING {
    if (this.idle.length === 0) return PENDING;
    const item = this.idle.pop() as T;
    this.hits++;
    this.outstanding.add(item);
    return item;
  }

  /** Reserves a slot and calls `create`. Returns a synchronous item, or PENDING if it will be supplied later. */
  private callCreate(): T | typeof PENDING {
    this.pending++;
    let result: T | PromiseLike<T>;
    let isAsync: boolean;
    try {
      result = this.create();
      isAsync = isPromiseLike(result); // reads `then`, which a hostile thenable can make throw
    } catch (error) {
      this.pending--;
      throw error;
    }
    if (!isAsync) {
      this.pending--;
      this.created++;
      return result as T;
    }
    this.createIsAsync = true;
    // Promise.resolve adopts the thenable in a job: a `then` that throws becomes a rejection, not a lost slot.
    Promise.resolve(result).then(
      (item) => {
        this.pending--;
        this.created++;
        if (this.closed) this.discard(item);
        else this.supply(item);
      },
      (error: unknown) => {
        this.pending--;
        this.failHead(error);
        this.pump();
      },
    );
    return PENDING;
  }

  /** Starts creates for queued callers that no in-flight create will serve, while there is room. */
  private pump(): void {
    while (!this.closed && this.queue.size > this.pending && this.hasRoom()) {
      this.misses++;
      let item: T | typeof PENDING;
      try {
        item = this.callCreate();
      } catch (error) {
        this.failHead(error);
        continue;
      }
      if (item !== PENDING) this.supply(item);
    }
  }

  /** Gives an available item to the oldest queued caller, or keeps it idle. */
  private supply(item: T): void {
    const head = this.queue.values().next();
    if (head.done) this.idle.push(item);
    else this.give(head.value, item);
  }

  /** A create failed: the oldest queued caller gets the error (nobody, if the queue emptied meanwhile). */
  private failHead(error: unknown): void {
    const head = this.queue.values().next();
    if (!head.done) this.fail(head.value, error);
  }

  /**
   * A ticket whose abort listener is registered and whose deadline is armed, or the error that prevented it
   * (a signal whose addEventListener throws): then nothing is armed and the caller rejects.
   */
  private newTicket(
    signal: SignalLike | undefined,
    timeoutMs: number | undefined,
  ): [Ticket<T>, Promise<T>] | ValidationError {
    const what = `acquire from ${this.what}`;
    let resolve!: (item: T) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const onAbort = () => this.fail(ticket, this.abortError(signal!));
    let stopDeadline: (() => void) | undefined;
    const ticket: Ticket<T> = {
      resolve,
      reject,
      cleanup: () => {
        stopDeadline?.();
        try {
          signal?.removeEventListener('abort', onAbort);
        } catch {
          // The listener is `once` and the ticket is settled: a failing removal changes nothing here.
        }
      },
    };
    if (signal) {
      try {
        signal.addEventListener('abort', onAbort, { once: true });
      } catch (error) {
        const failure = this.invalid('options.signal', signal, 'its addEventListener threw');
        (failure as { cause?: unknown }).cause = error;
        return failure;
      }
    }
    if (timeoutMs !== undefined) {
      stopDeadline = startDeadline(timeoutMs, () => this.fail(ticket, new TimeoutError(what, timeoutMs)));
    }
    return [ticket, promise];
  }

  private give(ticket: Ticket<T>, item: T): void {
    this.queue.delete(ticket);
    ticket.cleanup();
    this.outstanding.add(item);
    ticket.resolve(item);
  }

  private fail(ticket: Ticket<T>, error: unknown): void {
    if (!this.queue.delete(ticket)) return; // already settled
    ticket.cleanup();
    ticket.reject(error);
  }

  private discard(item: T): void {
    this.destroyed++;
    this.destroy?.(item);
  }

  /**
   * Destroys every item even if some `destroy` calls throw; then rethrows the error, or an AggregateError of
   * all of them (in order) when several threw.
   */
  private discardAll(items: readonly T[]): void {
    const errors: unknown[] = [];
    for (const item of items) {
      try {
        this.discard(item);
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) {
      throw new AggregateError(errors, `${this.what}: ${errors.length} destroy calls threw`);
    }
  }
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
