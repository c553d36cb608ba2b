import type { Backend, BackendObjects } from '../core/backend.ts';
import { ResourceInUseError } from '../errors.ts';
import { Emitter } from '../events.ts';
import type { AnyHandle, Handle } from '../handles/handle.ts';
import { ResourceTable } from '../handles/resource-table.ts';
import { type LedgerSnapshot, MemoryLedger } from '../ledger.ts';
import { SubmissionTracker } from '../lifetimes/submission-tracker.ts';
import { UsageBroadcast } from '../monitor/usage-broadcast.ts';
import type { GraphicsResource, ResourceKind } from '../resources/records.ts';
import type { Entry } from './entry.ts';
import type { ManagerEvents } from './types.ts';

/** A record before it is inserted: what the create call computed. */
export type NewRecord<B extends BackendObjects> =
  GraphicsResource<B> extends infer R
    ? R extends unknown
      ? Omit<R, 'handle' | 'metrics' | 'dependencies' | 'creationStack'>
      : never
    : never;

/** What the registry asks of the manager as a resource leaves the table. */
export interface RegistryHooks<B extends BackendObjects> {
  /**
   * Detaches the record from the manager's services (shader sharing, staging). Returns true when work recorded
   * since the last submit still writes into it, so its GPU destroy must wait for the next submit to complete.
   */
  detach(record: GraphicsResource<B>): boolean;
}

/** Options of the registry, from the manager's options. */
export interface RegistryOptions {
  capacity?: number;
  now: () => number;
  /** Keep creation stacks for leak reports. */
  debug: boolean;
}

/**
 * The bookkeeping behind the manager, one place for each rule: the handle table, the ledger, the dependency
 * graph (who uses whom), deferred destroys (submission epochs), events and usage broadcast. Every insert and
 * every destroy goes through here, so the ledger and the table cannot drift apart.
 *
 * @example
 * const registry = new ResourceRegistry(backend, { detach: () => false }, { now: performance.now, debug: false });
 */
export class ResourceRegistry<B extends BackendObjects> {
  readonly table: ResourceTable<Entry<B>>;
  readonly ledger = new MemoryLedger();
  readonly tracker = new SubmissionTracker();
  readonly events = new Emitter<ManagerEvents<B>>();
  readonly usage: UsageBroadcast<LedgerSnapshot>;
  /** Set when the device is lost: GPU objects died with it, so frees are skipped and nothing is deferred. */
  deviceLost = false;
  private sequence = 0;
  private createdAtSum = 0;

  constructor(
    private readonly backend: Backend<B>,
    private readonly hooks: RegistryHooks<B>,
    private readonly options: RegistryOptions,
  ) {
    this.table = new ResourceTable<Entry<B>>({ capacity: options.capacity });
    this.usage = new UsageBroadcast(() => this.ledger.snapshot());
  }

  /**
   * Stores a new record whose GPU object already exists, records its dependencies, counts it and announces it.
   * If the table is full, the GPU object is freed before the error propagates: a failed call leaves nothing.
   *
   * @example
   * const handle = registry.insert({ kind: 'buffer', label, descriptor, bytes, gpu }, []);
   */
  insert<K extends ResourceKind>(
    fields: NewRecord<B> & { kind: K },
    dependencies: readonly AnyHandle[],
  ): Handle<K> {
    const createdAt = this.options.now();
    const record = {
      ...fields,
      handle: 0 as Handle<K>,
      metrics: { createdAt, lastAccess: createdAt, accessCount: 0 },
      dependencies,
      creationStack: this.options.debug ? creationStack() : undefined,
    } as unknown as GraphicsResource<B>;
    const entry: Entry<B> = {
      record,
      sequence: ++this.sequence,
      owners: 1,
      retains: 0,
      dependents: undefined,
      lastUseEpoch: 0,
    };
    let handle: Handle<K>;
    try {
      handle = this.table.insert(entry) as Handle<K>;
    } catch (error) {
      this.freeGpu(record);
      throw error;
    }
    (record as { handle: AnyHandle }).handle = handle;
    for (const dependency of dependencies) {
      const target = this.table.get(dependency)!;
      target.dependents ??= new Set();
      target.dependents.add(handle);
    }
    this.ledger.add(record.kind, record.bytes);
    this.createdAtSum += createdAt;
    if (this.events.hasListeners('create')) this.events.emit('create', record);
    this.usage.changed();
    return handle;
  }

  /**
   * Removes an entry: its dependents first when `cascade` (else `ResourceInUseError`, nothing changed), then
   * the handle goes stale and the GPU object is freed now, or once in-flight work that uses it completes
   * (its bytes wait in the ledger's pending-free figures meanwhile).
   *
   * @example
   * registry.destroy(entry, false);
   */
  destroy(entry: Entry<B>, cascade: boolean): void {
    const { record } = entry;
    if (entry.dependents?.size) {
      const dependents = [...entry.dependents].map((h) => this.table.get(h)!);
      if (!cascade) {
        throw new ResourceInUseError(
          record.label,
          dependents.map((d) => d.record.label || `#${d.record.handle}`),
        );
      }
      for (const dependent of dependents.sort((a, b) => b.sequence - a.sequence)) {
        if (this.table.has(dependent.record.handle)) this.destroy(dependent, true);
      }
    }
    this.table.remove(record.handle);
    for (const dependency of record.dependencies)
      this.table.get(dependency)?.dependents?.delete(record.handle);
    this.createdAtSum -= record.metrics.createdAt;
    if (this.hooks.detach(record)) entry.lastUseEpoch = this.tracker.currentEpoch;
    const deferred = !this.deviceLost && this.tracker.isBusy(entry.lastUseEpoch);
    if (deferred) {
      this.ledger.moveToPending(record.kind, record.bytes);
      this.tracker.defer(entry.lastUseEpoch, () => {
        this.freeGpu(record);
        this.ledger.settlePending(record.bytes);
        this.usage.changed();
      });
    } else {
      this.freeGpu(record);
      this.ledger.remove(record.kind, record.bytes);
    }
    if (this.events.hasListeners('destroy')) this.events.emit('destroy', { record, deferred });
    this.usage.changed();
  }

  /**
   * Live entries in creation order (dependencies before their dependents).
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
   * Mean age of live resources at `now`, in O(1) (a running sum of creation times).
   *
   * @example
   * registry.averageAgeMs(performance.now())
   */
  averageAgeMs(now: number): number {
    const active = this.table.size;
    return active === 0 ? 0 : now - this.createdAtSum / active;
  }

  private freeGpu(record: GraphicsResource<B>): void {
    if (this.deviceLost) return; // the objects died with the device: touching them is pointless
    switch (record.kind) {
      case 'texture':
        this.backend.destroyTexture(record.gpu);
        return;
      case 'buffer':
        this.backend.destroyBuffer(record.gpu);
        return;
      case 'shader':
        this.backend.destroyShader(record.gpu);
        return;
      case 'renderTarget':
        this.backend.destroyRenderTarget(record.gpu);
        return;
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
