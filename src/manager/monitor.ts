import type { BackendObjects } from '../core/backend.ts';
import { ValidationError } from '../errors.ts';
import type { AnyHandle } from '../handles/handle.ts';
import type { ResourceRegistry } from './registry.ts';
import { buildDump, type LeakReport, leakReport, type ManagerDump } from './report.ts';
import type { ManagerStats } from './types.ts';

/**
 * The resource monitor: ledger figures, stale detection, leak reports and dumps, all read from the registry.
 *
 * @example
 * const monitor = new ResourceMonitor(registry, () => performance.now());
 * monitor.findStale(60_000);
 */
export class ResourceMonitor<B extends BackendObjects> {
  constructor(
    private readonly registry: ResourceRegistry<B>,
    private readonly now: () => number,
  ) {}

  /** Ledger snapshot plus monitor figures. */
  stats(): ManagerStats {
    return {
      ...this.registry.ledger.snapshot(),
      active: this.registry.table.size,
      averageAgeMs: this.registry.averageAgeMs(this.now()),
    };
  }

  /** Handles whose last use through the manager (or creation) is older than `maxAgeMs`. */
  findStale(maxAgeMs: number): AnyHandle[] {
    const cutoff = this.now() - readAge(maxAgeMs);
    const stale: AnyHandle[] = [];
    for (const [handle, entry] of this.registry.table)
      if (!entry.leaving && entry.record.metrics.lastAccess < cutoff) stale.push(handle);
    return stale;
  }

  /**
   * Destroys the stale resources that nothing depends on, newest first, through `destroy` (a shared or retained
   * resource only loses one owner reference). Returns how many destroy calls were made.
   */
  destroyStale(maxAgeMs: number, destroy: (handle: AnyHandle) => void): number {
    const stale = this.findStale(maxAgeMs)
      .map((handle) => this.registry.table.get(handle)!)
      .sort((a, b) => b.sequence - a.sequence);
    let destroyed = 0;
    for (const entry of stale) {
      if (this.registry.current(entry.record.handle) !== entry) continue;
      if (entry.dependents?.size || entry.owners === 0) continue;
      destroy(entry.record.handle);
      destroyed++;
    }
    return destroyed;
  }

  /** Every resource in the table, in creation order, as leak reports. */
  leaks(): LeakReport[] {
    const now = this.now();
    return this.registry.entriesInOrder().map((entry) => leakReport(entry.record, now));
  }

  /** The whole state as JSON (`gpu-handles/dump@1`). */
  dump(backendName: string): ManagerDump {
    return buildDump(
      backendName,
      this.now(),
      this.registry.ledger.snapshot(),
      this.registry.entriesInOrder(),
    );
  }
}

function readAge(maxAgeMs: unknown): number {
  if (typeof maxAgeMs !== 'number' || !(maxAgeMs >= 0)) {
    throw new ValidationError(
      'stale detection',
      'maxAgeMs',
      maxAgeMs,
      'must be a number >= 0 (milliseconds)',
    );
  }
  return maxAgeMs;
}
