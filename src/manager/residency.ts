import {
  type BudgetPolicy,
  MIN_IDLE_FRAMES,
  PRESSURE_START,
  requiredIdleFrames,
} from '../budget/budget-policy.ts';
import { KeptBuffer, KeptTexture } from '../budget/kept-contents.ts';
import type { BackendObjects } from '../core/backend.ts';
import type { ResourceKind } from '../core/kind-types.ts';
import { kindSpec, rebuildObject } from '../core/kinds.ts';
import { BudgetExceededError, ResourceStateError } from '../errors.ts';
import type { NormalizedTextureDescriptor } from '../resources/texture.ts';
import { asBytes } from '../staging/planning/copy-rows.ts';
import { planTextureUpload, type TextureUploadCopy } from '../staging/planning/texture-transfer.ts';
import type { Entry } from './entry.ts';
import type { ResourceRegistry } from './registry.ts';
import type { StagingService } from './staging-service.ts';

/** Residency counters for the overlay and tests. */
export interface ResidencyStats {
  /** The budget in bytes (undefined without one). */
  readonly budgetBytes: number | undefined;
  /** GPU objects freed to save memory, ever. */
  readonly evictions: number;
  /** Resources brought back after eviction or loss, ever. */
  readonly restores: number;
  /** Bytes uploaded again from content sources, ever. */
  readonly reuploadedBytes: number;
  /** Creates that went past the budget (non-strict). */
  readonly overBudget: number;
  /** Frame boundaries seen. */
  readonly frame: number;
}

/** What happened to a resource's contents when its GPU object was rebuilt. */
export type ContentOutcome = 'restored' | 'regenerated' | 'empty';

/**
 * Keeps the manager within its budget and brings resources back under the same handle: least-recently-used
 * eviction with a policy in the spirit of WebRender's texture cache and the D3D12 residency library (never what
 * this or the last frame used or what is in flight; the idle age needed shrinks as pressure rises; a cap per
 * frame), `ensureResident` through each resource's content source, and `'keep'` copies of uploads.
 *
 * @example
 * const residency = new ResidencyService(registry, staging, policy, (e) => registry.events.emit('overBudget', e));
 */
export class ResidencyService<B extends BackendObjects> {
  private evictionsThisFrame = 0;
  private evictions = 0;
  private restores = 0;
  private reuploaded = 0;
  private overBudgetCount = 0;
  /** Kept contents of resources brought back by gpu() wait for the next submit or frame in staging. */
  private reuploadsPending = false;

  constructor(
    private readonly registry: ResourceRegistry<B>,
    private readonly staging: StagingService<B>,
    readonly policy: BudgetPolicy | undefined,
  ) {}

  /** GPU bytes that count against the budget: resident resources, staging, and frees still pending. */
  get residentBytes(): number {
    return this.registry.ledger.residentBytes;
  }

  /**
   * Makes room for a create of `bytes` (evicting what the policy allows); past the budget it throws
   * `BudgetExceededError` when strict, and reports an over-budget create otherwise.
   */
  beforeCreate(label: string, bytes: number): void {
    const policy = this.policy;
    if (!policy || this.residentBytes + bytes <= policy.bytes) return;
    this.evictUntil(policy.bytes - bytes, MIN_IDLE_FRAMES);
    if (this.residentBytes + bytes <= policy.bytes) return;
    if (policy.strict) throw new BudgetExceededError(label, bytes, this.residentBytes, policy.bytes);
    this.overBudgetCount++;
    const { events } = this.registry;
    if (events.hasListeners('overBudget')) {
      events.emit('overBudget', {
        label,
        bytes,
        residentBytes: this.residentBytes,
        budgetBytes: policy.bytes,
      });
    }
  }

  /** A frame ended: frame-end eviction when usage is above 70% of the budget, at the age pressure allows. */
  endFrame(): void {
    this.registry.frame++;
    this.evictionsThisFrame = 0;
    const policy = this.policy;
    if (!policy) return;
    const pressure = this.residentBytes / policy.bytes;
    if (pressure <= PRESSURE_START) return;
    this.evictUntil(policy.bytes * PRESSURE_START, requiredIdleFrames(pressure, policy));
  }

  /**
   * Evicts one resource now (its dependents first), if nothing in flight uses it. Returns false when it could
   * not be evicted (not evictable, not live, or busy).
   */
  evict(entry: Entry<B>): boolean {
    if (!this.evictable(entry, 0)) return false;
    this.registry.evict(entry);
    this.evictions++;
    this.announceEviction(entry);
    return true;
  }

  /**
   * Brings a resource back: its dependencies first, then its GPU object, then its contents from its source,
   * then the dependents that were evicted with it and need nothing but it. Resolves with what became of the
   * contents.
   */
  async ensureResident(entry: Entry<B>): Promise<ContentOutcome | 'live'> {
    const { record } = entry;
    if (record.state === 'live') return 'live';
    if (record.state !== 'evicted') {
      throw new ResourceStateError(
        record.label,
        record.state,
        'bring it back (only evicted resources return)',
      );
    }
    for (const handle of record.dependencies) {
      const dependency = this.registry.current(handle);
      if (dependency) await this.ensureResident(dependency);
    }
    this.holdDependencies(entry);
    if (entry.record.state === 'live') return 'live';
    this.beforeCreate(record.label, record.bytes);
    const gpu = await rebuildObject(
      record.kind,
      this.registry.backend,
      record.descriptor,
      this.dependencyObject,
    );
    if (entry.record.state !== 'evicted' || this.registry.current(record.handle) !== entry) {
      (this.registry.backend.destroy[record.kind] as (o: unknown) => void)(gpu); // destroyed meanwhile
      return 'live';
    }
    this.registry.rebuild(entry, gpu);
    this.restores++;
    const outcome = await this.restoreContent(entry);
    this.rebuildDependents(entry);
    return outcome;
  }

  /**
   * Brings an evicted resource back at once when that needs no waiting: a synchronous kind whose contents are
   * kept (or that has none of its own), over dependencies that can come back the same way. False otherwise.
   */
  makeResidentNow(entry: Entry<B>): boolean {
    const { record } = entry;
    if (record.state !== 'evicted') return record.state === 'live';
    const content = entry.residency.content;
    if (content !== undefined && content !== 'keep') return false;
    if (content === undefined && kindSpec(record.kind).ownsBytes) return false;
    for (const handle of record.dependencies) {
      const dependency = this.registry.current(handle);
      if (!dependency || !this.makeResidentNow(dependency)) return false;
    }
    this.holdDependencies(entry);
    // A dependency's return may have rebuilt this entry already (its evicted dependents come back with it).
    if (entry.record.state === 'live') return true;
    const built = rebuildObject(record.kind, this.registry.backend, record.descriptor, this.dependencyObject);
    if (built instanceof Promise) {
      void built.then((gpu) => (this.registry.backend.destroy[record.kind] as (o: unknown) => void)(gpu));
      return false;
    }
    this.beforeCreate(record.label, record.bytes);
    this.registry.rebuild(entry, built);
    this.restores++;
    // Batched: every resource gpu() brings back shares the staging flushed by the next submit or frame.
    if (this.replayKept(entry, false)) this.reuploadsPending = true;
    this.rebuildDependents(entry);
    return true;
  }

  /** Records an upload into a `'keep'` resource's CPU copy (after the upload was validated and staged). */
  keepBuffer(entry: Entry<B>, offset: number, data: Uint8Array): void {
    if (entry.residency.content !== 'keep') return;
    entry.kept ??= new KeptBuffer(entry.record.bytes);
    const kept = entry.kept as KeptBuffer;
    const before = kept.hostBytes;
    kept.write(offset, data);
    this.registry.ledger.changeHostBytes(kept.hostBytes - before);
  }

  /** Records a texture upload into a `'keep'` resource's CPU copy. */
  keepTexture(entry: Entry<B>, data: Uint8Array, copy: TextureUploadCopy): void {
    if (entry.residency.content !== 'keep') return;
    entry.kept ??= new KeptTexture();
    const kept = entry.kept as KeptTexture;
    const before = kept.hostBytes;
    kept.write(data, copy);
    this.registry.ledger.changeHostBytes(kept.hostBytes - before);
  }

  /**
   * Uploads a rebuilt resource's contents from its source. With `flush` false the staged uploads wait for the
   * caller's flush (a restore of many resources flushes once).
   */
  async restoreContent(entry: Entry<B>, flush = true): Promise<ContentOutcome> {
    const content = entry.residency.content;
    if (content === 'keep') return this.replayKept(entry, flush) ? 'restored' : 'empty';
    if (content === undefined) return 'empty';
    if ('regenerate' in content) {
      await content.regenerate(entry.record.handle);
      return 'regenerated';
    }
    const data = asBytes(await content.restore(entry.record.handle), entry.record.label);
    if (entry.record.state !== 'live') return 'empty'; // evicted or destroyed while loading
    this.writeWhole(entry, data);
    if (flush) this.staging.current.flush();
    this.reuploaded += data.byteLength;
    return 'restored';
  }

  /** Turns staged content uploads into copies now. */
  flush(): void {
    this.reuploadsPending = false;
    this.staging.current.flush();
  }

  /** Flushes the re-uploads of resources brought back at once, if any are staged. */
  flushReuploads(): void {
    if (this.reuploadsPending) this.flush();
  }

  /** Counters (O(1)). */
  stats(): ResidencyStats {
    return {
      budgetBytes: this.policy?.bytes,
      evictions: this.evictions,
      restores: this.restores,
      reuploadedBytes: this.reuploaded,
      overBudget: this.overBudgetCount,
      frame: this.registry.frame,
    };
  }

  private replayKept(entry: Entry<B>, flush = true): boolean {
    const kept = entry.kept;
    if (!kept) return false;
    const gpu = entry.gpu;
    const staging = this.staging.current;
    let bytes = 0;
    kept.replay({
      writeBuffer: (offset, data) => {
        bytes += data.byteLength;
        void staging.writeBuffer(gpu as B['buffer'], offset, data);
      },
      writeTexture: (data, copy) => {
        bytes += data.byteLength;
        void staging.writeTexture(gpu as B['texture'], data, copy);
      },
    });
    if (flush) staging.flush();
    this.reuploaded += bytes;
    return bytes > 0;
  }

  /** Uploads a loader's data: a buffer from offset 0, a texture's whole mip level 0. */
  private writeWhole(entry: Entry<B>, data: Uint8Array): void {
    const { record } = entry;
    const staging = this.staging.current;
    if (record.kind === 'buffer') {
      const length = Math.min(data.byteLength, record.bytes) & ~3;
      if (length > 0) void staging.writeBuffer(entry.gpu as B['buffer'], 0, data.subarray(0, length));
      return;
    }
    if (record.kind === 'texture') {
      const desc = record.descriptor as NormalizedTextureDescriptor;
      const plan = planTextureUpload(desc, data.byteLength, {}, [
        desc.width,
        desc.height,
        desc.depthOrArrayLayers,
      ]);
      void staging.writeTexture(
        entry.gpu as B['texture'],
        data.subarray(plan.byteOffset, plan.byteOffset + plan.byteLength),
        plan.copy,
      );
    }
  }

  /**
   * Marks `entry`'s dependencies used this frame: the create that makes room for `entry` must not evict what
   * its new GPU object is about to reference (an evicted dependent does not protect them by itself).
   */
  private holdDependencies(entry: Entry<B>): void {
    for (const handle of entry.record.dependencies) {
      const dependency = this.registry.current(handle);
      if (dependency) dependency.lastUseFrame = this.registry.frame;
    }
  }

  /** Dependents evicted with `entry` that need nothing else come back with it. */
  private rebuildDependents(entry: Entry<B>): void {
    if (!entry.dependents) return;
    for (const handle of entry.dependents) {
      const dependent = this.registry.current(handle);
      if (dependent?.record.state === 'evicted' && dependent.residency.content === undefined) {
        this.makeResidentNow(dependent);
      }
    }
  }

  private evictUntil(targetBytes: number, minIdleFrames: number): void {
    const policy = this.policy!;
    for (const entry of this.registry.lru) {
      if (this.residentBytes <= targetBytes || this.evictionsThisFrame >= policy.maxEvictionsPerFrame) return;
      if (!this.evictable(entry, minIdleFrames)) continue;
      this.registry.evict(entry);
      this.evictions++;
      this.evictionsThisFrame++;
      this.announceEviction(entry);
    }
  }

  /** Live, evictable, idle for `minIdleFrames`, and neither it nor a dependent is used by unfinished work. */
  private evictable(entry: Entry<B>, minIdleFrames: number): boolean {
    if (entry.record.state !== 'live' || !entry.residency.evictable || entry.adopted) return false;
    return this.idle(entry, minIdleFrames);
  }

  private idle(entry: Entry<B>, minIdleFrames: number): boolean {
    if (this.registry.frame - entry.lastUseFrame < minIdleFrames) return false;
    if (entry.openEncoders > 0 || this.registry.tracker.isBusy(entry.lastUseEpoch)) return false;
    if (!entry.dependents) return true;
    for (const handle of entry.dependents) {
      const dependent = this.registry.current(handle);
      if (dependent && dependent.record.state === 'live' && !this.idle(dependent, minIdleFrames))
        return false;
    }
    return true;
  }

  private announceEviction(entry: Entry<B>): void {
    const { events } = this.registry;
    if (events.hasListeners('evicted')) events.emit('evicted', { record: entry.record });
  }

  private readonly dependencyObject = <K extends ResourceKind>(handle: unknown, _kind: K): B[K] => {
    const dependency = this.registry.current(handle as never);
    if (!dependency || dependency.gpu === undefined) throw new Error('a dependency has no GPU object');
    return dependency.gpu as B[K];
  };
}
