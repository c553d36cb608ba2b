/**
 * The memory ledger: exact bytes and counts per kind and per state, peak, created/destroyed counters and bytes
 * pending free (destroyed by the user, waiting for in-flight GPU work before the real destroy). Every figure is a
 * counter updated on each change, so reading them is O(1); nothing scans the table.
 */
import type { ResourceKind } from './core/kind-types.ts';
import { RESOURCE_KINDS } from './core/kinds.ts';

/** The categories the ledger counts: every resource kind, plus `staging` (the upload/readback pools' buffers). */
export const LEDGER_KINDS: readonly LedgerKind[] = [...RESOURCE_KINDS, 'staging'];

/** A ledger category. */
export type LedgerKind = ResourceKind | 'staging';

/** Bytes and count of one kind. */
export interface KindUsage {
  readonly bytes: number;
  readonly count: number;
}

/** Bytes and counts of resources in one non-resident state, in total and per kind. */
export interface StateUsage extends KindUsage {
  readonly byKind: Readonly<Record<ResourceKind, KindUsage>>;
}

/** A snapshot of the ledger. */
export interface LedgerSnapshot {
  /** GPU bytes of live resources and staging buffers (pending-free bytes not included). */
  readonly totalBytes: number;
  /** Live (resident) resources. Staging chunks are not resources: they are in `byKind.staging.count`. */
  readonly totalCount: number;
  /** Highest `totalBytes + pendingFreeBytes` ever reached: what the GPU really held at its peak. */
  readonly peakBytes: number;
  /** Bytes whose GPU object waits for in-flight work before it is freed (destroyed or evicted resources). */
  readonly pendingFreeBytes: number;
  /** GPU objects waiting for that. */
  readonly pendingFreeCount: number;
  /** Resources ever created / really destroyed (handle gone and GPU object freed). */
  readonly created: number;
  readonly destroyed: number;
  /** Per kind, live (resident) bytes and counts; `staging` counts chunks. */
  readonly byKind: Readonly<Record<LedgerKind, KindUsage>>;
  /** Resources whose GPU object was freed to save memory; their handles stay valid. */
  readonly evicted: StateUsage;
  /** Resources whose device or context was lost; their handles stay valid until restore or destroy. */
  readonly lost: StateUsage;
  /** Resources the GPU refused to create after validation passed (they hold no memory). */
  readonly failedCount: number;
  /** CPU memory the manager holds for the GPU (host-side staging, kept contents); never in GPU totals. */
  readonly hostBytes: number;
}

const STAGING = RESOURCE_KINDS.length;
const KIND_INDEX = new Map<LedgerKind, number>(LEDGER_KINDS.map((kind, i) => [kind, i]));

function slotOf(kind: LedgerKind): number {
  const slot = KIND_INDEX.get(kind);
  if (slot === undefined) throw new TypeError(`unknown ledger kind ${String(kind)}`);
  return slot;
}

/** Bytes and counts per kind in one state. */
class StateCounters {
  readonly bytes: Float64Array;
  readonly counts: Float64Array;
  totalBytes = 0;
  totalCount = 0;
  constructor(slots: number) {
    this.bytes = new Float64Array(slots);
    this.counts = new Float64Array(slots);
  }
  add(slot: number, bytes: number): void {
    this.bytes[slot]! += bytes;
    this.counts[slot]! += 1;
    this.totalBytes += bytes;
    this.totalCount += 1;
  }
  sub(slot: number, bytes: number): void {
    this.bytes[slot]! -= bytes;
    this.counts[slot]! -= 1;
    this.totalBytes -= bytes;
    this.totalCount -= 1;
  }
  byKind(kinds: readonly LedgerKind[]): Record<string, KindUsage> {
    const out: Record<string, KindUsage> = {};
    kinds.forEach((kind, slot) => {
      out[kind] = { bytes: this.bytes[slot]!, count: this.counts[slot]! };
    });
    return out;
  }
}

/**
 * Counts bytes per kind and state. The manager owns one per device; there is no global ledger.
 *
 * @example
 * const ledger = new MemoryLedger();
 * ledger.add('texture', 4096);
 * ledger.snapshot().byKind.texture.bytes // 4096
 */
export class MemoryLedger {
  private readonly live = new StateCounters(LEDGER_KINDS.length);
  private readonly evictedSet = new StateCounters(RESOURCE_KINDS.length);
  private readonly lostSet = new StateCounters(RESOURCE_KINDS.length);
  private peak = 0;
  private pendingBytes = 0;
  private pendingCount = 0;
  private createdTotal = 0;
  private destroyedTotal = 0;
  private failed = 0;
  private host = 0;
  /** The last snapshot, reused until a figure changes (snapshots are frozen, so sharing one is safe). */
  private cached: LedgerSnapshot | undefined;

  /**
   * Records a new live resource (or, for `'staging'`, a staging buffer: counted in bytes, not as a resource).
   *
   * @example
   * ledger.add('buffer', 256);
   */
  add(kind: LedgerKind, bytes: number): void {
    this.cached = undefined;
    const slot = slotOf(kind);
    this.live.add(slot, bytes);
    if (slot !== STAGING) this.createdTotal += 1;
    this.raisePeak();
  }

  /**
   * Records a live resource really destroyed (its GPU memory is gone).
   *
   * @example
   * ledger.remove('buffer', 256);
   */
  remove(kind: LedgerKind, bytes: number): void {
    this.cached = undefined;
    const slot = slotOf(kind);
    this.live.sub(slot, bytes);
    if (slot !== STAGING) this.destroyedTotal += 1;
  }

  /**
   * Records a live resource destroyed whose GPU object waits for in-flight work.
   * Call {@link settlePending} when the GPU object is really freed.
   *
   * @example
   * ledger.moveToPending('texture', bytes); // later: ledger.settlePending(bytes)
   */
  moveToPending(kind: LedgerKind, bytes: number): void {
    this.cached = undefined;
    this.live.sub(slotOf(kind), bytes);
    this.pendingBytes += bytes;
    this.pendingCount += 1;
  }

  /**
   * The deferred free of a pending GPU object happened. `destroyed` is false when the object was evicted (the
   * resource lives on without it), so the `destroyed` counter only counts resources really destroyed.
   *
   * @example
   * ledger.settlePending(bytes);
   */
  settlePending(bytes: number, destroyed = true): void {
    this.cached = undefined;
    this.pendingBytes -= bytes;
    this.pendingCount -= 1;
    if (destroyed) this.destroyedTotal += 1;
  }

  /**
   * A live resource's GPU object was freed (`evicted`), or died with its device (`lost`): the bytes leave the
   * resident figures and are kept in that state's. With `deferred`, the GPU object is still held by in-flight
   * work: its bytes stay in the pending figures until {@link settlePending}.
   *
   * @example
   * ledger.leaveResidency('texture', bytes, 'evicted', false);
   */
  leaveResidency(kind: ResourceKind, bytes: number, state: 'evicted' | 'lost', deferred: boolean): void {
    this.cached = undefined;
    const slot = slotOf(kind);
    this.live.sub(slot, bytes);
    this.nonResident(state).add(slot, bytes);
    if (deferred) {
      this.pendingBytes += bytes;
      this.pendingCount += 1;
    }
  }

  /**
   * A non-resident resource was rebuilt: its bytes are resident again.
   *
   * @example
   * ledger.returnToResidency('texture', bytes, 'evicted');
   */
  returnToResidency(kind: ResourceKind, bytes: number, from: 'evicted' | 'lost'): void {
    this.cached = undefined;
    const slot = slotOf(kind);
    this.nonResident(from).sub(slot, bytes);
    this.live.add(slot, bytes);
    this.raisePeak();
  }

  /**
   * A non-resident resource was destroyed: it leaves that state's figures.
   *
   * @example
   * ledger.removeNonResident('buffer', 256, 'lost');
   */
  removeNonResident(kind: ResourceKind, bytes: number, state: 'evicted' | 'lost'): void {
    this.cached = undefined;
    this.nonResident(state).sub(slotOf(kind), bytes);
    this.destroyedTotal += 1;
  }

  /**
   * A live resource turned out to be refused by the GPU: it holds no memory, so its bytes leave the books.
   *
   * @example
   * ledger.fail('texture', bytes);
   */
  fail(kind: ResourceKind, bytes: number): void {
    this.cached = undefined;
    this.live.sub(slotOf(kind), bytes);
    this.failed += 1;
  }

  /**
   * A failed resource was built again and the GPU took it: its bytes are resident again.
   *
   * @example
   * ledger.recoverFailed('texture', bytes);
   */
  recoverFailed(kind: ResourceKind, bytes: number): void {
    this.cached = undefined;
    this.failed -= 1;
    this.live.add(slotOf(kind), bytes);
    this.raisePeak();
  }

  /**
   * A failed resource was destroyed by its owner.
   *
   * @example
   * ledger.removeFailed();
   */
  removeFailed(): void {
    this.cached = undefined;
    this.failed -= 1;
    this.destroyedTotal += 1;
  }

  /**
   * CPU memory held for the GPU (host staging, kept contents) grew or shrank by `delta` bytes.
   *
   * @example
   * ledger.changeHostBytes(+65536);
   */
  changeHostBytes(delta: number): void {
    this.cached = undefined;
    this.host += delta;
  }

  /** Live bytes of one kind. O(1). */
  bytesOf(kind: LedgerKind): number {
    return this.live.bytes[slotOf(kind)]!;
  }

  /** Live bytes of all kinds (staging included). O(1). */
  get totalBytes(): number {
    return this.live.totalBytes;
  }

  /** Live resources (staging chunks excluded). O(1). */
  get totalCount(): number {
    return this.live.totalCount - this.live.counts[STAGING]!;
  }

  /** Live bytes plus bytes pending free: what the GPU holds right now. O(1). */
  get residentBytes(): number {
    return this.live.totalBytes + this.pendingBytes;
  }

  /** Highest resident bytes ever. O(1). */
  get peakBytes(): number {
    return this.peak;
  }

  /** Bytes pending free. O(1). */
  get pendingFreeBytes(): number {
    return this.pendingBytes;
  }

  /** Bytes of evicted resources. O(1). */
  get evictedBytes(): number {
    return this.evictedSet.totalBytes;
  }

  /** Host-side bytes. O(1). */
  get hostBytes(): number {
    return this.host;
  }

  /**
   * A snapshot of every figure, frozen. O(number of kinds), independent of the number of resources; the same
   * object is returned until a figure changes.
   *
   * @example
   * const { totalBytes, peakBytes, byKind } = ledger.snapshot();
   */
  snapshot(): LedgerSnapshot {
    if (this.cached) return this.cached;
    this.cached = deepFreeze({
      totalBytes: this.live.totalBytes,
      totalCount: this.totalCount,
      peakBytes: this.peak,
      pendingFreeBytes: this.pendingBytes,
      pendingFreeCount: this.pendingCount,
      created: this.createdTotal,
      destroyed: this.destroyedTotal,
      byKind: this.live.byKind(LEDGER_KINDS) as Record<LedgerKind, KindUsage>,
      evicted: this.stateUsage(this.evictedSet),
      lost: this.stateUsage(this.lostSet),
      failedCount: this.failed,
      hostBytes: this.host,
    });
    return this.cached;
  }

  private stateUsage(set: StateCounters): StateUsage {
    return {
      bytes: set.totalBytes,
      count: set.totalCount,
      byKind: set.byKind(RESOURCE_KINDS) as Record<ResourceKind, KindUsage>,
    };
  }

  private nonResident(state: 'evicted' | 'lost'): StateCounters {
    return state === 'evicted' ? this.evictedSet : this.lostSet;
  }

  private raisePeak(): void {
    const resident = this.live.totalBytes + this.pendingBytes;
    if (resident > this.peak) this.peak = resident;
  }
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child);
  }
  return Object.freeze(value);
}
