/**
 * The memory ledger: exact bytes and counts per kind, peak, created/destroyed counters and bytes pending free
 * (destroyed by the user, waiting for in-flight GPU work before the real destroy). Every figure is a counter
 * updated on create/destroy, so reading them is O(1); nothing scans the table.
 */

/** The categories the ledger counts. `staging` holds the upload/readback pools' buffers. */
export const LEDGER_KINDS = ['texture', 'buffer', 'shader', 'renderTarget', 'staging'] as const;

/** A ledger category. */
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** Bytes and live count of one kind. */
export interface KindUsage {
  readonly bytes: number;
  readonly count: number;
}

/** A snapshot of the ledger. */
export interface LedgerSnapshot {
  /** Bytes of live resources (pending-free bytes not included). */
  readonly totalBytes: number;
  /** Live resources. */
  readonly totalCount: number;
  /** Highest `totalBytes + pendingFreeBytes` ever reached: what the GPU really held at its peak. */
  readonly peakBytes: number;
  /** Bytes whose handle is gone but whose GPU object waits for in-flight work before it is destroyed. */
  readonly pendingFreeBytes: number;
  /** Resources waiting for that. */
  readonly pendingFreeCount: number;
  /** Resources ever created / really destroyed. */
  readonly created: number;
  readonly destroyed: number;
  /** Per kind, live bytes and counts. */
  readonly byKind: Readonly<Record<LedgerKind, KindUsage>>;
}

/**
 * Counts bytes per kind. The manager owns one per device; there is no global ledger.
 *
 * @example
 * const ledger = new MemoryLedger();
 * ledger.add('texture', 4096);
 * ledger.snapshot().byKind.texture.bytes // 4096
 */
export class MemoryLedger {
  private readonly bytes = new Float64Array(LEDGER_KINDS.length);
  private readonly counts = new Float64Array(LEDGER_KINDS.length);
  private total = 0;
  private count = 0;
  private peak = 0;
  private pendingBytes = 0;
  private pendingCount = 0;
  private createdTotal = 0;
  private destroyedTotal = 0;

  /**
   * Records a new live resource.
   *
   * @example
   * ledger.add('buffer', 256);
   */
  add(kind: LedgerKind, bytes: number): void {
    const slot = kindIndex(kind);
    this.bytes[slot]! += bytes;
    this.counts[slot]! += 1;
    this.total += bytes;
    this.count += 1;
    this.createdTotal += 1;
    this.peak = Math.max(this.peak, this.total + this.pendingBytes);
  }

  /**
   * Records a resource really destroyed (its GPU memory is gone).
   *
   * @example
   * ledger.remove('buffer', 256);
   */
  remove(kind: LedgerKind, bytes: number): void {
    this.release(kind, bytes);
    this.destroyedTotal += 1;
  }

  /**
   * Records a resource whose handle is gone but whose GPU object waits for in-flight work.
   * Call {@link settlePending} when the GPU object is really destroyed.
   *
   * @example
   * ledger.moveToPending('texture', bytes); // later: ledger.settlePending(bytes)
   */
  moveToPending(kind: LedgerKind, bytes: number): void {
    this.release(kind, bytes);
    this.pendingBytes += bytes;
    this.pendingCount += 1;
  }

  /**
   * The deferred destroy of a pending resource happened.
   *
   * @example
   * ledger.settlePending(bytes);
   */
  settlePending(bytes: number): void {
    this.pendingBytes -= bytes;
    this.pendingCount -= 1;
    this.destroyedTotal += 1;
  }

  /** Live bytes of one kind. O(1). */
  bytesOf(kind: LedgerKind): number {
    return this.bytes[kindIndex(kind)]!;
  }

  /** Live bytes of all kinds. O(1). */
  get totalBytes(): number {
    return this.total;
  }

  /** Live bytes plus bytes pending free: what the GPU holds right now. O(1). */
  get residentBytes(): number {
    return this.total + this.pendingBytes;
  }

  /**
   * A snapshot of every figure. O(number of kinds), independent of the number of resources.
   *
   * @example
   * const { totalBytes, peakBytes, byKind } = ledger.snapshot();
   */
  snapshot(): LedgerSnapshot {
    const byKind = {} as Record<LedgerKind, KindUsage>;
    LEDGER_KINDS.forEach((kind, slot) => {
      byKind[kind] = { bytes: this.bytes[slot]!, count: this.counts[slot]! };
    });
    return {
      totalBytes: this.total,
      totalCount: this.count,
      peakBytes: this.peak,
      pendingFreeBytes: this.pendingBytes,
      pendingFreeCount: this.pendingCount,
      created: this.createdTotal,
      destroyed: this.destroyedTotal,
      byKind,
    };
  }

  private release(kind: LedgerKind, bytes: number): void {
    const slot = kindIndex(kind);
    this.bytes[slot]! -= bytes;
    this.counts[slot]! -= 1;
    this.total -= bytes;
    this.count -= 1;
  }
}

function kindIndex(kind: LedgerKind): number {
  switch (kind) {
    case 'texture':
      return 0;
    case 'buffer':
      return 1;
    case 'shader':
      return 2;
    case 'renderTarget':
      return 3;
    case 'staging':
      return 4;
  }
}
