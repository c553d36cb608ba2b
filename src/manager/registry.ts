import { PINNED_WITHOUT_CONTENT, type ResidencyChoice } from '../budget/content.ts';
import { LruList } from '../budget/lru.ts';
import type { Backend, BackendObjects } from '../core/backend.ts';
import type { DescriptorOf, ResourceKind } from '../core/kind-types.ts';
import { kindSpec } from '../core/kinds.ts';
import { ResourceInUseError } from '../errors.ts';
import { Emitter, type ListenerErrorSink } from '../events.ts';
import type { AnyHandle, Handle } from '../handles/handle.ts';
import { ResourceTable } from '../handles/resource-table.ts';
import type { LedgerSnapshot, MemoryLedger } from '../ledger.ts';
import { SubmissionTracker } from '../lifetimes/submission-tracker.ts';
import { UsageBroadcast } from '../monitor/usage-broadcast.ts';
import type { Entry, MutableRecord } from './entry.ts';
import { MANAGER_EVENT_NAMES } from './events.ts';
import { SharingService } from './sharing.ts';
import type { StagingService } from './staging-service.ts';
import type { ManagerEvents } from './types.ts';

/** The dependents of an entry that has none (shared: most entries have none). */
const NO_ENTRIES: readonly never[] = Object.freeze([]);

/** Options of the registry, from the manager's options. */
export interface RegistryOptions {
  /** The ledger it keeps (shared with the staging service, which counts staging buffers in it). */
  ledger: MemoryLedger;
  capacity?: number | undefined;
  /** Where listener errors go (see `ManagerOptions.onListenerError`). */
  onListenerError?: ListenerErrorSink | undefined;
  now: () => number;
  /** Keep creation stacks for leak reports. */
  debug: boolean;
}

/** What an insert may add beyond the common create (each omitted field takes its default). */
export interface InsertOptions {
  /** Record fields the kind adds (a shader's diagnostics). */
  readonly extra?: object | undefined;
  /** An object created by someone else and only observed: never freed by the registry. */
  readonly adopted?: boolean;
}

/** The options of a plain create: no extra fields, not adopted. */
const PLAIN_INSERT: InsertOptions = Object.freeze({});

/**
 * The bookkeeping behind the manager, one place for each rule: the handle table, entry states, the ledger,
 * the dependency graph (who uses whom), deferred frees (submission epochs), sharing, events and the usage
 * broadcast. Every insert, state change and destroy goes through here, so the ledger and the table cannot
 * drift apart. Events raised while an operation runs are delivered after it, when the books are exact again,
 * so a listener may call any manager method.
 *
 * @example
 * const registry = new ResourceRegistry(backend, staging, { now: () => performance.now(), debug: false });
 */
export class ResourceRegistry<B extends BackendObjects> {
  readonly table: ResourceTable<Entry<B>>;
  readonly ledger: MemoryLedger;
  readonly tracker = new SubmissionTracker();
  readonly events: Emitter<ManagerEvents>;
  readonly usage: UsageBroadcast<LedgerSnapshot>;
  readonly sharing = new SharingService();
  /** Evictable live entries, least recently used first. */
  readonly lru = new LruList<Entry<B>>();
  /** Frame boundaries seen (`manager.frame()`), for the eviction policy. */
  frame = 0;
  /** Set when the device is lost: GPU objects died with it, so frees are skipped and nothing is deferred. */
  deviceLost = false;
  private sequence = 0;
  private createdAtSum = 0;
  private depth = 0;
  private queued: (() => void)[] = [];

  constructor(
    public backend: Backend<B>,
    private readonly staging: StagingService<B>,
    private readonly options: RegistryOptions,
  ) {
    this.table = new ResourceTable<Entry<B>>({ capacity: options.capacity });
    this.ledger = options.ledger;
    const sink = options.onListenerError ? { onListenerError: options.onListenerError } : undefined;
    this.events = new Emitter<ManagerEvents>(MANAGER_EVENT_NAMES, sink);
    this.usage = new UsageBroadcast(() => this.ledger.snapshot(), sink);
  }

  /**
   * Stores a new live resource, links it to its dependencies, counts it and announces it. If the table is full,
   * the GPU object is freed before the error propagates: a failed call leaves nothing.
   *
   * The resource comes as arguments rather than one object: the create path allocates only what it keeps,
   * and every byte a create allocates brings the next scavenge closer, which on Dawn also finalizes every dead
   * GPU object's wrapper (about 1 us each) on whichever code happens to be running.
   *
   * @example
   * const handle = registry.insert('buffer', descriptor, bytes, gpu, [], undefined, PINNED_WITHOUT_CONTENT);
   */
  insert<K extends ResourceKind>(
    kind: K,
    descriptor: DescriptorOf<K> & { readonly label: string },
    bytes: number,
    gpu: B[K],
    dependencies: readonly AnyHandle[],
    shareKey: string | undefined,
    residency: ResidencyChoice = PINNED_WITHOUT_CONTENT,
    options: InsertOptions = PLAIN_INSERT,
  ): Handle<K> {
    const createdAt = this.options.now();
    const adopted = options.adopted ?? false;
    const record = {
      kind,
      handle: 0,
      label: descriptor.label,
      descriptor,
      bytes,
      state: 'live',
      failure: undefined,
      metrics: { createdAt, lastAccess: createdAt, accessCount: 0 },
      dependencies,
      creationStack: this.options.debug ? creationStack() : undefined,
    } as unknown as MutableRecord;
    // Not spread into the literal: a spread makes every record take V8's slow object-clone path.
    if (options.extra !== undefined) Object.assign(record, options.extra);
    const entry: Entry<B> = {
      record,
      gpu,
      sequence: ++this.sequence,
      owners: 1,
      retains: 0,
      dependents: undefined,
      lastUseEpoch: 0,
      openEncoders: 0,
      shareKey,
      leaving: false,
      adopted,
      residency,
      kept: undefined,
      lastUseFrame: this.frame,
      retried: false,
      holders: undefined,
      lruPrev: undefined,
      lruNext: undefined,
      inLru: false,
    };
    let handle: Handle<K>;
    try {
      handle = this.table.insert(entry) as Handle<K>;
    } catch (error) {
      if (!adopted) this.freeNow(kind, gpu);
      throw error;
    }
    (record as { handle: AnyHandle }).handle = handle;
    // Indexed loops on the create and destroy paths: no array iterator while the code is not yet optimised.
    for (let i = 0; i < dependencies.length; i++) {
      const target = this.table.get(dependencies[i]!)!;
      target.dependents ??= new Set();
      target.dependents.add(handle);
    }
    if (shareKey !== undefined) this.sharing.set(kind, shareKey, handle);
    if (entry.residency.evictable) this.lru.touch(entry);
    this.ledger.add(kind, bytes);
    this.createdAtSum += createdAt;
    if (this.events.hasListeners('create')) this.announce(() => this.events.emit('create', record));
    this.usage.changed();
    return handle;
  }

  /**
   * The entry of a handle when it is in the table and not being destroyed; undefined otherwise.
   *
   * @example
   * const entry = registry.current(handle);
   */
  current(handle: AnyHandle): Entry<B> | undefined {
    const entry = this.table.get(handle);
    return entry && !entry.leaving ? entry : undefined;
  }

  /**
   * Removes an entry: its dependents first when `cascade` (else `ResourceInUseError`, nothing changed), then the
   * handle goes stale and the GPU object is freed now, or once in-flight work that uses it completes (its
   * bytes wait in the ledger's pending-free figures meanwhile). A dependent that is retained by another owner
   * refuses the cascade before anything is destroyed.
   *
   * @example
   * registry.destroy(entry, false);
   */
  destroy(entry: Entry<B>, cascade: boolean): void {
    if (entry.leaving || this.table.get(entry.record.handle) !== entry) return;
    // Only an entry with holders or dependents can be held: the plain destroy walks nothing.
    const held =
      entry.holders?.length || entry.dependents?.size
        ? this.subtree(entry).filter((e) => e.holders?.length)
        : [];
    if (held.length) {
      throw new ResourceInUseError(
        entry.record.label,
        held.flatMap((e) => e.holders!),
        'its holder owns it: let the holder release it (destroy the holder)',
      );
    }
    if (entry.dependents?.size) {
      const dependents = this.dependentsOf(entry);
      if (!cascade) {
        throw new ResourceInUseError(
          entry.record.label,
          dependents.map((d) => d.record.label || `#${d.record.handle}`),
        );
      }
      const retained = this.subtree(entry).filter((d) => d !== entry && d.retains > 0);
      if (retained.length) {
        throw new ResourceInUseError(
          entry.record.label,
          retained.map((d) => d.record.label || `#${d.record.handle}`),
          'retained by another owner: release them first',
        );
      }
    }
    // run() without its closure: destroy is on the hot path of every create/destroy loop.
    this.depth++;
    try {
      this.remove(entry);
    } finally {
      this.depth--;
      if (this.depth === 0 && this.queued.length) this.deliver();
    }
  }

  /**
   * Frees the GPU object of a live entry and keeps its handle: state `evicted`, bytes moved to the evicted
   * figures. Dependents are evicted first (never left pointing at a freed object).
   *
   * @example
   * registry.evict(entry);
   */
  evict(entry: Entry<B>): void {
    this.run(() => this.leaveResidency(entry, 'evicted'));
  }

  /**
   * Marks every live entry `lost`: the device is gone, so no GPU object is touched. Handles stay valid.
   *
   * @example
   * registry.loseAll();
   */
  loseAll(): void {
    this.run(() => {
      for (const entry of this.entriesInOrder().reverse()) {
        if (entry.record.state === 'live') this.leaveResidency(entry, 'lost');
      }
    });
  }

  /**
   * Gives a non-resident entry a new GPU object under the same handle (after eviction or loss).
   *
   * @example
   * registry.rebuild(entry, backend.createTexture(entry.record.descriptor));
   */
  rebuild(entry: Entry<B>, gpu: B[ResourceKind]): void {
    const { record } = entry;
    const from = record.state;
    if (from === 'live') throw new Error('cannot rebuild a live resource');
    entry.gpu = gpu;
    record.state = 'live';
    record.failure = undefined;
    if (from === 'failed') this.ledger.recoverFailed(record.kind, record.bytes);
    else this.ledger.returnToResidency(record.kind, record.bytes, from);
    entry.lastUseFrame = this.frame;
    if (entry.residency.evictable) this.lru.touch(entry);
    this.usage.changed();
  }

  /**
   * The GPU refused an entry that validation accepted: its object is freed, its bytes leave the books, and it
   * stays in the table as `failed` (using it throws) until its owner destroys it.
   *
   * @example
   * registry.fail(entry, 'Allocation size too large');
   */
  fail(entry: Entry<B>, message: string): void {
    if (entry.record.state !== 'live' || this.table.get(entry.record.handle) !== entry) return;
    this.run(() => {
      for (const dependent of this.dependentsOf(entry)) this.fail(dependent, `depends on a failed resource`);
      const { record } = entry;
      if (!entry.adopted) this.freeNow(record.kind, entry.gpu);
      this.lru.remove(entry);
      entry.gpu = undefined;
      record.state = 'failed';
      record.failure = message;
      this.ledger.fail(record.kind, record.bytes);
      this.usage.changed();
    });
  }

  /**
   * Entries in creation order (dependencies before their dependents).
   *
   * @example
   * for (const entry of registry.entriesInOrder().reverse()) registry.destroy(entry, true);
   */
  entriesInOrder(): Entry<B>[] {
    const entries: Entry<B>[] = [];
    for (const [, entry] of this.table) entries.push(entry);
    return entries.sort((a, b) => a.sequence - b.sequence);
  }

  /**
   * Mean age of resources at `now`, in O(1) (a running sum of creation times).
   *
   * @example
   * registry.averageAgeMs(performance.now())
   */
  averageAgeMs(now: number): number {
    const active = this.table.size;
    return active === 0 ? 0 : now - this.createdAtSum / active;
  }

  /**
   * Runs `operation` with event delivery held back until the outermost operation is done.
   *
   * @example
   * registry.run(() => { registry.destroy(a, true); registry.destroy(b, true); });
   */
  run(operation: () => void): void {
    this.depth++;
    try {
      operation();
    } finally {
      this.depth--;
      if (this.depth === 0) this.deliver();
    }
  }

  private remove(entry: Entry<B>): void {
    entry.leaving = true;
    const dependents = this.dependentsOf(entry);
    for (let i = 0; i < dependents.length; i++) this.remove(dependents[i]!);
    const { record } = entry;
    this.lru.remove(entry);
    if (entry.kept) {
      this.ledger.changeHostBytes(-entry.kept.hostBytes);
      entry.kept = undefined;
    }
    this.table.remove(record.handle);
    const { dependencies } = record;
    for (let i = 0; i < dependencies.length; i++) {
      this.table.get(dependencies[i]!)?.dependents?.delete(record.handle);
    }
    this.createdAtSum -= record.metrics.createdAt;
    if (entry.shareKey !== undefined) this.sharing.delete(record.kind, entry.shareKey, record.handle);
    let deferred = false;
    const state = record.state;
    if (state === 'live') {
      deferred = this.releaseGpu(entry, true);
      if (!deferred) this.ledger.remove(record.kind, record.bytes);
    } else if (state === 'failed') this.ledger.removeFailed();
    else this.ledger.removeNonResident(record.kind, record.bytes, state);
    // A kind that stands for something outside the GPU (an atlas region's allocation) frees it, in any state.
    kindSpec(record.kind).removed?.(record.descriptor as never);
    if (this.events.hasListeners('destroy'))
      this.announce(() => this.events.emit('destroy', { record, deferred }));
    this.usage.changed();
  }

  private leaveResidency(entry: Entry<B>, state: 'evicted' | 'lost'): void {
    if (entry.record.state !== 'live') return;
    for (const dependent of this.dependentsOf(entry)) this.leaveResidency(dependent, state);
    const { record } = entry;
    this.lru.remove(entry);
    const deferred = state === 'evicted' ? this.releaseGpu(entry, false) : false;
    entry.gpu = undefined;
    record.state = state;
    this.ledger.leaveResidency(record.kind, record.bytes, state, deferred);
    this.usage.changed();
  }

  /**
   * Frees the entry's GPU object now, or after the in-flight work that uses it: returns true when deferred (the
   * ledger's pending figures then hold its bytes until the free runs).
   */
  private releaseGpu(entry: Entry<B>, destroyed: boolean): boolean {
    const { record } = entry;
    const gpu = entry.gpu;
    if (entry.adopted) return false; // its owner frees it
    if (this.staging.forget(gpu)) entry.lastUseEpoch = this.tracker.currentEpoch;
    const busy = !this.deviceLost && (this.tracker.isBusy(entry.lastUseEpoch) || entry.openEncoders > 0);
    if (!busy) {
      this.freeNow(record.kind, gpu);
      return false;
    }
    this.deferFree(entry, destroyed);
    return true;
  }

  /**
   * Frees the entry's GPU object once the work using it is done. Apart from {@link releaseGpu} so the common
   * free-now path holds no closure: V8 allocates a closure's context on every entry to the function making it.
   */
  private deferFree(entry: Entry<B>, destroyed: boolean): void {
    const { record } = entry;
    const gpu = entry.gpu;
    const free = () => {
      this.freeNow(record.kind, gpu);
      this.ledger.settlePending(record.bytes, destroyed);
      this.usage.changed();
    };
    if (entry.openEncoders > 0) this.tracker.deferUntilSubmitted(entry, free);
    else this.tracker.defer(entry.lastUseEpoch, free);
    if (destroyed) this.ledger.moveToPending(record.kind, record.bytes);
  }

  private freeNow(kind: ResourceKind, gpu: B[ResourceKind] | undefined): void {
    // After a loss the objects died with the device: touching them is pointless.
    if (this.deviceLost || gpu === undefined) return;
    (this.backend.destroy[kind] as (object: unknown) => void)(gpu);
  }

  /** Live dependents of an entry, newest first (the order they must go in). */
  private dependentsOf(entry: Entry<B>): readonly Entry<B>[] {
    if (!entry.dependents?.size) return NO_ENTRIES;
    const out: Entry<B>[] = [];
    for (const handle of entry.dependents) {
      const dependent = this.table.get(handle);
      if (dependent && !dependent.leaving) out.push(dependent);
    }
    return out.sort((a, b) => b.sequence - a.sequence);
  }

  /** The entry and everything that depends on it, transitively. */
  private subtree(entry: Entry<B>): Entry<B>[] {
    const seen = new Set<Entry<B>>([entry]);
    const stack = [entry];
    while (stack.length) {
      for (const dependent of this.dependentsOf(stack.pop()!)) {
        if (!seen.has(dependent)) {
          seen.add(dependent);
          stack.push(dependent);
        }
      }
    }
    return [...seen];
  }

  private announce(deliver: () => void): void {
    if (this.depth > 0) this.queued.push(deliver);
    else deliver();
  }

  private deliver(): void {
    while (this.queued.length) {
      const queued = this.queued;
      this.queued = [];
      for (const deliver of queued) deliver();
    }
  }
}

function creationStack(): string {
  const stack = new Error().stack ?? '';
  // Drop the Error line and the manager's own frames: the first frame left is the caller's.
  return stack
    .split('\n')
    .slice(1)
    .filter((line) => !line.includes('/manager/') && !line.includes('/lifetimes/scope'))
    .join('\n');
}
