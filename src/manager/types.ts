import type { BackendObjects } from '../core/backend.ts';
import type { GpuValidationError } from '../errors.ts';
import type { LedgerSnapshot } from '../ledger.ts';
import type { GraphicsResource } from '../resources/records.ts';
import type { StagingOptions } from '../staging/options.ts';
import type { LeakReport } from './report.ts';

/** Options of a manager. */
export interface ManagerOptions {
  /** Most live resources at once; creating past it throws `TableFullError`. */
  capacity?: number;
  /**
   * Debug mode: keep each resource's creation stack for leak reports, and run every create inside GPU error
   * scopes; anything the GPU rejects that validation let through is emitted as `gpuError` and collected by
   * `gpuErrors()`.
   */
  debug?: boolean;
  /** Clock in milliseconds for metrics and stale detection; injectable for tests. Default `performance.now`. */
  now?: () => number;
  /** Caps, chunk sizes and trim policy of the upload belt and the readback pool (see `StagingOptions`). */
  staging?: StagingOptions;
}

/** Events of a manager. */
export interface ManagerEvents<B extends BackendObjects> {
  /** A resource was created. */
  create: GraphicsResource<B>;
  /** A resource's handle went stale; `deferred` when the GPU object waits for in-flight work. */
  destroy: { record: GraphicsResource<B>; deferred: boolean };
  /** The GPU rejected a create that validation let through (debug mode). */
  gpuError: GpuValidationError;
  /** The device was lost: every handle went stale. */
  lost: { reason: string; resources: readonly LeakReport[] };
}

/** `stats()`: the ledger plus the resource monitor's figures. */
export interface ManagerStats extends LedgerSnapshot {
  /** Live resources (same as totalCount). */
  readonly active: number;
  /** Mean age of live resources in ms (0 when none). */
  readonly averageAgeMs: number;
}

/** Options of `destroy`. */
export interface DestroyOptions {
  /** Destroy the resources that depend on this one first, instead of throwing `ResourceInUseError`. */
  cascade?: boolean;
}
