/**
 * The manager that `trackDevice` and `trackContext` return: a `ResourceManager` whose adopted entries hold the
 * engine's objects weakly. Holding them strongly would change the engine's behaviour (an object it dropped
 * without `destroy()` would never be collected, so its memory would never come back); weakly held, a dropped
 * object is collected as before, and the tracker reports it as "collected without destroy".
 */
import type { Backend, BackendObjects } from '../core/backend.ts';
import type { DescriptorOf, ResourceKind } from '../core/kind-types.ts';
import { ResourceStateError } from '../errors.ts';
import type { AnyHandle, Handle } from '../handles/handle.ts';
import { type ManagerOptions, ResourceManager } from '../manager/resource-manager.ts';
import {
  type CollectionWatcher,
  type CollectionWatcherFactory,
  finalizationWatcher,
} from './collection-watcher.ts';
import type { Restore } from './patch.ts';

/** An engine object the GPU memory of which was reclaimed by the garbage collector, never destroyed. */
export interface CollectedLeak {
  readonly kind: ResourceKind;
  readonly label: string;
  readonly bytes: number;
  /** How long it lived, by the manager's clock. */
  readonly ageMs: number;
  /** Where the engine created it (debug mode only). */
  readonly creationStack: string | undefined;
}

/** Why an engine object is not in the books; counted, never thrown into the engine. */
export interface TrackingNotes {
  /** Objects recorded with a best-effort descriptor because our validation refused theirs (the GPU decides). */
  readonly bestEffort: number;
  /** Objects not recorded at all, by reason. */
  readonly skipped: Readonly<Record<string, number>>;
}

/** Options shared by `trackDevice` and `trackContext`. */
export interface TrackingOptions extends ManagerOptions {
  /** Who reports collected objects; default a `FinalizationRegistry`. Tests inject one they can drive. */
  collectionWatcher?: CollectionWatcherFactory;
}

/** Stands in the manager's entry for the engine's object, which it must not keep alive. */
class WeakObject {
  readonly ref: WeakRef<object>;
  constructor(object: object) {
    this.ref = new WeakRef(object);
  }
}

interface Tracked {
  readonly id: number;
  handle: AnyHandle;
  readonly ref: WeakRef<object>;
  /** Undo of the patches on the object itself (its `destroy`, `createView`). */
  readonly restores: Restore[];
  /** False for objects that end by being collected (views, samplers, bind groups): not a leak. */
  readonly leakOnCollect: boolean;
}

/**
 * A manager observing objects someone else creates. `handleOf(object)` finds them, `gpu(handle)` gives them
 * back while they live, `collectedWithoutDestroy()` lists those the garbage collector took, and `untrack()`
 * removes every patch.
 *
 * @example
 * const manager = trackDevice(device);
 * const texture = device.createTexture(desc);
 * manager.resolve(manager.handleOf(texture)!).bytes;
 */
export class TrackingManager<B extends BackendObjects = BackendObjects> extends ResourceManager<B> {
  private readonly trackedByObject = new WeakMap<object, Tracked>();
  private readonly trackedById = new Map<number, Tracked>();
  private readonly collectedLeaks: CollectedLeak[] = [];
  private readonly collectedListeners = new Set<(leak: CollectedLeak) => void>();
  private readonly watcher: CollectionWatcher;
  private readonly restores: Restore[] = [];
  private readonly skipped: Record<string, number> = {};
  private bestEffortCount = 0;
  private nextId = 1;
  private tracking = true;
  private readonly clock: () => number;

  constructor(backend: Backend<B>, options: TrackingOptions = {}) {
    const { collectionWatcher, ...managerOptions } = options;
    super(backend, managerOptions);
    // The same clock the manager stamps records with (its own is private).
    this.clock = typeof options.now === 'function' ? options.now : () => performance.now();
    this.watcher = (collectionWatcher ?? finalizationWatcher)((id) => this.collected(id));
  }

  /** True until `untrack()`. */
  get isTracking(): boolean {
    return this.tracking;
  }

  /**
   * The handle of a tracked engine object, `undefined` when it is not (or no longer) in the books.
   *
   * @example
   * manager.handleOf(engineTexture)
   */
  override handleOf(object: unknown): AnyHandle | undefined {
    if (typeof object !== 'object' || object === null) return super.handleOf(object);
    const tracked = this.trackedByObject.get(object);
    if (tracked !== undefined && this.has(tracked.handle)) return tracked.handle;
    return super.handleOf(object);
  }

  /**
   * The GPU object of a live handle; for a tracked engine object, the engine's object itself.
   *
   * @example
   * manager.gpu(manager.handleOf(engineTexture) as Handle<'texture'>) === engineTexture // true
   */
  override gpu<K extends ResourceKind>(handle: Handle<K>): B[K] {
    const value = super.gpu(handle) as unknown;
    if (!(value instanceof WeakObject)) return value as B[K];
    const object = value.ref.deref();
    if (object === undefined) {
      throw new ResourceStateError(this.resolve(handle).label, 'collected', 'hand out its GPU object');
    }
    return object as B[K];
  }

  /**
   * Engine objects the garbage collector reclaimed without `destroy()`, oldest first: the leak of a forgotten
   * `dispose()`. Each was also taken out of the books when it was reported.
   *
   * @example
   * for (const leak of manager.collectedWithoutDestroy()) console.warn(leak.label, leak.bytes, leak.creationStack);
   */
  collectedWithoutDestroy(): readonly CollectedLeak[] {
    return [...this.collectedLeaks];
  }

  /**
   * Calls `listener` for each engine object collected without `destroy()`. Returns the unsubscribe.
   *
   * @example
   * manager.onCollected((leak) => console.warn(`${leak.label} was never destroyed`));
   */
  onCollected(listener: (leak: CollectedLeak) => void): () => void {
    this.collectedListeners.add(listener);
    return () => this.collectedListeners.delete(listener);
  }

  /**
   * What was recorded with a guessed descriptor or not recorded at all (and why).
   *
   * @example
   * manager.trackingNotes().skipped // { 'unknown texture format': 1 }
   */
  trackingNotes(): TrackingNotes {
    return { bestEffort: this.bestEffortCount, skipped: { ...this.skipped } };
  }

  /**
   * Removes every patch from the device or context and from the objects still alive; the books keep what
   * they hold (nothing new is recorded). Idempotent.
   *
   * @example
   * manager.untrack();
   */
  untrack(): void {
    if (!this.tracking) return;
    this.tracking = false;
    for (const restore of this.restores.splice(0).reverse()) restore();
    for (const tracked of this.trackedById.values()) {
      for (const restore of tracked.restores.splice(0).reverse()) restore();
      this.watcher.unwatch(tracked.id);
    }
  }

  override dispose(): ReturnType<ResourceManager<B>['dispose']> {
    this.untrack();
    return super.dispose();
  }

  // ---- used by the device and context trackers ------------------------------------------------------------

  /** @internal Keeps an undo of a patch on the device or context, run by `untrack()`. */
  addRestore(restore: Restore): void {
    this.restores.push(restore);
  }

  /** @internal Counts an object recorded with a best-effort descriptor. */
  noteBestEffort(): void {
    this.bestEffortCount++;
  }

  /** @internal Counts an object left out of the books, by reason. */
  noteSkipped(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }

  /**
   * @internal Records an engine object. Never throws (the caller is inside the engine's create): a failure
   * is counted in `trackingNotes()` and the object stays out of the books.
   */
  record<K extends ResourceKind>(
    kind: K,
    descriptor: DescriptorOf<K>,
    object: object,
    bytes: number,
    dependencies: readonly AnyHandle[] = [],
    leakOnCollect = true,
  ): Handle<K> | undefined {
    if (!this.tracking) return undefined;
    try {
      const live = dependencies.filter((d) => this.has(d));
      const handle = this.adopt(kind, descriptor, new WeakObject(object) as unknown as B[K], {
        bytes,
        dependencies: live,
      });
      const tracked: Tracked = {
        id: this.nextId++,
        handle,
        ref: new WeakRef(object),
        restores: [],
        leakOnCollect,
      };
      this.trackedByObject.set(object, tracked);
      this.trackedById.set(tracked.id, tracked);
      this.watcher.watch(object, tracked.id);
      return handle;
    } catch (error) {
      this.noteSkipped(`adopt failed: ${error instanceof Error ? error.name : typeof error}`);
      return undefined;
    }
  }

  /**
   * @internal The books of an object changed size (a WebGL texture got a new level): its entry is replaced
   * by one with the new descriptor and bytes; the object keeps its place in `handleOf`. Never throws.
   */
  rerecord<K extends ResourceKind>(
    kind: K,
    descriptor: DescriptorOf<K>,
    object: object,
    bytes: number,
  ): void {
    const tracked = this.trackedByObject.get(object);
    if (tracked === undefined) {
      this.record(kind, descriptor, object, bytes);
      return;
    }
    try {
      if (this.has(tracked.handle)) this.forgetAdopted(tracked.handle);
      tracked.handle = this.adopt(kind, descriptor, new WeakObject(object) as unknown as B[K], { bytes });
    } catch (error) {
      this.noteSkipped(`adopt failed: ${error instanceof Error ? error.name : typeof error}`);
    }
  }

  /** @internal Keeps the undo of a patch on a tracked object; it runs when the object is released or untracked. */
  addObjectRestore(object: object, restore: Restore): void {
    const tracked = this.trackedByObject.get(object);
    if (tracked === undefined) restore();
    else tracked.restores.push(restore);
  }

  /** @internal The handle an object is recorded under, live or not. */
  trackedHandle(object: object): AnyHandle | undefined {
    const handle = this.trackedByObject.get(object)?.handle;
    return handle !== undefined && this.has(handle) ? handle : undefined;
  }

  /**
   * @internal The engine destroyed an object: it leaves the books (with what depends on it). A second destroy
   * finds nothing to do, and the object's own patches are removed (it shows its prototype's methods again).
   * Never throws.
   */
  released(object: object): void {
    const tracked = this.trackedByObject.get(object);
    if (tracked === undefined) return;
    this.trackedById.delete(tracked.id);
    this.trackedByObject.delete(object);
    this.watcher.unwatch(tracked.id);
    for (const restore of tracked.restores.splice(0).reverse()) restore();
    try {
      if (this.has(tracked.handle)) this.forgetAdopted(tracked.handle);
    } catch (error) {
      this.noteSkipped(`forget failed: ${error instanceof Error ? error.name : typeof error}`);
    }
  }

  private collected(id: number): void {
    const tracked = this.trackedById.get(id);
    if (tracked === undefined) return;
    this.trackedById.delete(id);
    if (!this.has(tracked.handle)) return; // its texture was destroyed and took it along: not a leak of its own
    if (!tracked.leakOnCollect) {
      this.forgetQuietly(tracked.handle);
      return;
    }
    const record = this.resolve(tracked.handle as Handle<ResourceKind>);
    const leak: CollectedLeak = {
      kind: record.kind,
      label: record.label,
      bytes: record.bytes,
      ageMs: Math.max(0, this.clock() - record.metrics.createdAt),
      creationStack: record.creationStack,
    };
    this.collectedLeaks.push(leak);
    this.forgetQuietly(tracked.handle);
    for (const listener of [...this.collectedListeners]) {
      try {
        listener(leak);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  private forgetQuietly(handle: AnyHandle): void {
    try {
      this.forgetAdopted(handle);
    } catch {
      // The manager was disposed meanwhile: nothing left to update.
    }
  }
}
