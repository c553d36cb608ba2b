import type { Backend, BackendObjects } from '../core/backend.ts';
import type { ResourceKind } from '../core/kind-types.ts';
import {
  DeviceLostError,
  DisposedError,
  NotResidentError,
  ResourceStateError,
  ValidationError,
  WrongKindError,
} from '../errors.ts';
import type { AnyHandle } from '../handles/handle.ts';
import { MemoryLedger } from '../ledger.ts';
import { normalizeStagingOptions } from '../staging/options.ts';
import type { Entry } from './entry.ts';
import { ResourceFactory } from './factory.ts';
import { ResourceMonitor } from './monitor.ts';
import { readManagerOptions } from './options.ts';
import { ResourceRegistry } from './registry.ts';
import { ResidencyService } from './residency.ts';
import type { RestoreReport } from './restore.ts';
import { StagingService } from './staging-service.ts';
import { Transfers } from './transfers.ts';
import type { ManagerConstruction } from './types.ts';

export type { DestroyOptions, ManagerEvents, ManagerOptions, ManagerStats } from './types.ts';

/**
 * The state every part of the manager shares (registry, factory, monitor, staging, transfers, residency), the
 * backend it is attached to, and the internal lookups and loss handling the public methods build on. The public
 * methods are layered over it by concern: creation (\`manager-creation.ts\`), lookup and lifetimes
 * (\`manager-lifetimes.ts\`), then residency, monitoring and staging (\`ResourceManager\`).
 *
 * @example
 * class ResourceManager<B> extends ManagerLifetimes<B> { ... } // the concrete manager
 */
export abstract class ManagerBase<B extends BackendObjects = BackendObjects> {
  protected readonly registry: ResourceRegistry<B>;
  protected readonly factory: ResourceFactory<B>;
  protected readonly monitor: ResourceMonitor<B>;
  protected readonly staging: StagingService<B>;
  protected readonly transfers: Transfers<B>;
  protected readonly residency: ResidencyService<B>;
  protected readonly restoreBackend: (() => Promise<Backend<B>>) | undefined;
  protected readonly now: () => number;
  protected readonly adoptedObjects = new WeakMap<object, AnyHandle>();
  protected stopWatchingLoss: () => void = () => {};
  protected lostReason: string | undefined;
  protected disposed = false;

  constructor(backend: Backend<B>, options: ManagerConstruction = {}) {
    const { capacity, debug, now, staging, onListenerError, budget, restore } = readManagerOptions(options);
    this.now = now;
    this.restoreBackend = restore as (() => Promise<Backend<B>>) | undefined;
    const ledger = new MemoryLedger();
    this.staging = new StagingService<B>(
      ledger,
      () => this.registry.usage.changed(),
      normalizeStagingOptions(staging, now),
    );
    const registry = new ResourceRegistry(backend, this.staging, {
      ledger,
      capacity,
      now,
      debug,
      onListenerError,
    });
    this.registry = registry;
    this.residency = new ResidencyService(registry, this.staging, budget);
    this.factory = new ResourceFactory(registry, debug, this.residency);
    this.monitor = new ResourceMonitor(registry, now);
    this.transfers = new Transfers(this.staging, this.residency, (handle, kind, operation) => {
      this.assertUsable(operation);
      const entry = this.liveEntry(handle, kind, operation);
      this.touch(entry);
      return entry;
    });
    this.attach(backend);
  }

  // ---- the backend ----------------------------------------------------------------------------------------

  /** The backend this manager creates on (changes when the manager is attached to a new device). */
  get backend(): Backend<B> {
    return this.registry.backend;
  }

  /** The backend's name (`'webgpu'` or `'webgl2'`). */
  get backendName(): string {
    return this.registry.backend.capabilities.backend;
  }

  /**
   * Moves the manager onto a backend (a new device or context after a loss): staging is rebuilt for it, its
   * capabilities are what later creates are validated against, and loss is watched on it.
   *
   * @example
   * manager.attach(new WebGPUBackend(await (await navigator.gpu.requestAdapter())!.requestDevice()));
   */
  attach(backend: Backend<B>): void {
    if (this.disposed) throw new DisposedError('the resource manager', 'attach a backend');
    checkBackend(backend); // before anything changes: a bad backend must not replace the working one
    this.stopWatchingLoss();
    this.registry.backend = backend;
    this.registry.deviceLost = false;
    this.lostReason = undefined;
    this.staging.attach(backend);
    const stopLost = backend.onLost((reason) => this.handleLoss(reason));
    const stopRestored = backend.onRestored?.((restored) => {
      void this.restore(restored).catch((error: unknown) => this.reportRestoreFailure(error));
    });
    this.stopWatchingLoss = () => {
      stopLost();
      stopRestored?.();
    };
  }

  /** Re-creates every lost resource on \`backend\` under the same handles (see \`ResourceManager.restore\`). */
  abstract restore(backend: Backend<B>): Promise<RestoreReport>;

  // ---- internals ------------------------------------------------------------------------------------------

  protected entryOf(handle: AnyHandle): Entry<B> {
    const entry = this.registry.table.resolve(handle);
    if (entry.leaving) throw this.registry.table.explainMiss(handle);
    return entry;
  }

  protected liveEntry(handle: AnyHandle, kind: ResourceKind, operation: string): Entry<B> {
    const entry = this.entryOf(handle);
    if (entry.record.kind !== kind) {
      throw new WrongKindError(entry.record.label, `handle ${handle}`, entry.record.kind, kind);
    }
    if (entry.record.state !== 'live') this.bringBack(entry, operation);
    return entry;
  }

  /** An evicted resource whose contents come back at once is rebuilt; anything else not live throws. */
  protected bringBack(entry: Entry<B>, operation: string): void {
    if (entry.record.state === 'evicted') {
      if (this.lostReason === undefined && this.residency.makeResidentNow(entry)) return;
      throw new NotResidentError(entry.record.label, operation);
    }
    throw this.notLive(entry, operation);
  }

  protected notLive(entry: Entry<B>, operation: string): ResourceStateError {
    return new ResourceStateError(entry.record.label, entry.record.state, operation, entry.record.failure);
  }

  protected touch(entry: Entry<B>): void {
    const metrics = entry.record.metrics;
    metrics.lastAccess = this.now();
    metrics.accessCount++;
    entry.lastUseFrame = this.registry.frame;
    if (entry.inLru) this.registry.lru.touch(entry);
  }

  /** The entries of `handles` and, transitively, of what they depend on (each once). */
  protected usedEntries(handles: readonly AnyHandle[]): Set<Entry<B>> {
    const used = new Set<Entry<B>>();
    const visit = (handle: AnyHandle) => {
      const entry = this.entryOf(handle);
      if (used.has(entry)) return;
      if (entry.record.state !== 'live') this.bringBack(entry, 'be used by recorded work');
      used.add(entry);
      for (const dependency of entry.record.dependencies) visit(dependency);
    };
    for (const handle of handles) visit(handle);
    return used;
  }

  protected assertUsable(operation: string): void {
    if (this.disposed) throw new DisposedError('the resource manager', operation);
    if (this.lostReason !== undefined) throw new DeviceLostError(`${this.lostReason}; cannot ${operation}`);
  }

  protected destroyEverything(): void {
    const { registry } = this;
    registry.run(() => {
      // Listeners run after this operation, so nothing can be added while the table is emptied.
      for (const entry of registry.entriesInOrder().reverse()) {
        if (registry.current(entry.record.handle) === entry) {
          entry.retains = 0;
          entry.holders = undefined;
          registry.destroy(entry, true);
        }
      }
    });
    registry.tracker.flushAll();
  }

  protected handleLoss(reason: string): void {
    if (this.disposed || this.lostReason !== undefined) return;
    this.lostReason = reason;
    this.registry.deviceLost = true;
    this.staging.detach('device-lost'); // pending reads reject with ReadbackCancelledError('device-lost')
    const resources = this.monitor.leaks();
    this.registry.loseAll();
    this.registry.tracker.flushAll(); // frees that waited for the dead device: nothing to free any more
    this.registry.events.emit('lost', { reason, resources });
    const restore = this.restoreBackend;
    if (restore) {
      void restore()
        .then((backend) => this.restore(backend))
        .catch((error: unknown) => this.reportRestoreFailure(error));
    }
  }

  protected reportRestoreFailure(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    const failed = [...this.registry.table]
      .filter(([, entry]) => entry.record.state === 'lost')
      .map(([handle, entry]) => ({ handle, kind: entry.record.kind, label: entry.record.label, reason }));
    this.registry.events.emit('restored', { durationMs: 0, restored: 0, empty: [], failed });
  }
}

/** A backend given to `attach` or `restore` has the contract's methods (read once, in case they throw). */
function checkBackend(backend: unknown): void {
  const methods = ['createStaging', 'onLost', 'submit', 'onSubmittedWorkDone', 'checkEncoder'] as const;
  let ok = typeof backend === 'object' && backend !== null;
  try {
    ok &&= typeof (backend as { capabilities?: unknown }).capabilities === 'object';
    for (const method of methods) ok &&= typeof (backend as Record<string, unknown>)[method] === 'function';
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new ValidationError(
      'attach',
      'backend',
      backend,
      `must be a Backend (capabilities and ${methods.join(', ')}), e.g. new WebGPUBackend(device)`,
    );
  }
}
