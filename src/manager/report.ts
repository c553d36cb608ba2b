import type { BackendObjects } from '../core/backend.ts';
import { kindSpec } from '../core/kinds.ts';
import type { LedgerKind, LedgerSnapshot } from '../ledger.ts';
import type { GraphicsResource, ResourceKind, ResourceState } from '../resources/records.ts';
import type { Entry } from './entry.ts';

/** One live resource in a leak report or a dispose report. */
export interface LeakReport {
  readonly handle: number;
  readonly kind: ResourceKind;
  readonly label: string;
  readonly bytes: number;
  readonly ageMs: number;
  /** Where it was created (debug mode only). */
  readonly creationStack: string | undefined;
}

/** A resource in a {@link ManagerDump}. */
export interface ResourceDump {
  readonly handle: number;
  readonly kind: ResourceKind;
  readonly label: string;
  readonly bytes: number;
  /** Live, evicted, lost or failed. */
  readonly state: ResourceState;
  /** The descriptor's defining fields (formats, sizes, usage), not its source code or GPU objects. */
  readonly descriptor: Readonly<Record<string, unknown>>;
  /** Handles of the resources this one uses. */
  readonly dependencies: readonly number[];
  readonly createdAt: number;
  readonly lastAccess: number;
  readonly accessCount: number;
  readonly owners: number;
  readonly retains: number;
}

/**
 * The whole state of a manager as plain JSON (the model is Vulkan Memory Allocator's stats string).
 * Schema `gpu-handles/dump@1`:
 * - `schema`: this version string; `backend`: `'webgpu' | 'webgl2'`; `time`: the manager clock at the dump;
 * - `total`: `{ bytes, count, peakBytes, pendingFreeBytes, pendingFreeCount, created, destroyed }`;
 * - `byKind`: `{ texture|buffer|shader|renderTarget|staging: { bytes, count } }`;
 * - `resources`: one {@link ResourceDump} per live resource, in creation order.
 */
export interface ManagerDump {
  readonly schema: 'gpu-handles/dump@1';
  readonly backend: string;
  readonly time: number;
  readonly total: Omit<LedgerSnapshot, 'byKind' | 'totalBytes' | 'totalCount'> & {
    readonly bytes: number;
    readonly count: number;
  };
  readonly byKind: Readonly<Record<LedgerKind, { readonly bytes: number; readonly count: number }>>;
  readonly resources: readonly ResourceDump[];
}

/**
 * Builds the leak report line of a resource.
 *
 * @example
 * const report = leakReport(record, clock());
 */
export function leakReport(record: GraphicsResource, now: number): LeakReport {
  return {
    handle: record.handle,
    kind: record.kind,
    label: record.label,
    bytes: record.bytes,
    ageMs: now - record.metrics.createdAt,
    creationStack: record.creationStack,
  };
}

/**
 * Builds the dump of every live entry.
 *
 * @example
 * const dump = buildDump('webgpu', now, ledger.snapshot(), entries);
 */
export function buildDump(
  backend: string,
  now: number,
  ledger: LedgerSnapshot,
  entries: readonly Pick<Entry<BackendObjects>, 'record' | 'owners' | 'retains' | 'sequence'>[],
): ManagerDump {
  const { byKind, totalBytes, totalCount, ...rest } = ledger;
  return {
    schema: 'gpu-handles/dump@1',
    backend,
    time: now,
    total: { bytes: totalBytes, count: totalCount, ...rest },
    byKind,
    resources: [...entries]
      .sort((a, b) => a.sequence - b.sequence)
      .map(({ record, owners, retains }) => ({
        handle: record.handle,
        kind: record.kind,
        label: record.label,
        bytes: record.bytes,
        state: record.state,
        descriptor: (kindSpec(record.kind).describe as (d: unknown) => Record<string, unknown>)(
          record.descriptor,
        ),
        dependencies: [...record.dependencies],
        createdAt: record.metrics.createdAt,
        lastAccess: record.metrics.lastAccess,
        accessCount: record.metrics.accessCount,
        owners,
        retains,
      })),
  };
}
