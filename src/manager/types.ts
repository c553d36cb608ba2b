import type { BudgetOptions } from '../budget/budget-policy.ts';
import type { GpuValidationError } from '../errors.ts';
import type { ListenerErrorSink } from '../events.ts';
import type { LedgerSnapshot } from '../ledger.ts';
import type { GraphicsResource } from '../resources/records.ts';
import type { StagingOptions } from '../staging/options.ts';
import type { LeakReport } from './report.ts';
import type { RestoreReport } from './restore.ts';

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
  /**
   * Clock in milliseconds for metrics and stale detection; injectable for tests. Default: `performance.now()`
   * read once per task (stamps within one synchronous task share its first reading), because every lookup
   * stamps its resource.
   */
  now?: () => number;
  /** Caps, chunk sizes and trim policy of the upload belt and the readback pool (see `StagingOptions`). */
  staging?: StagingOptions;
  /**
   * Where errors thrown by event and usage listeners go (the other listeners still run). Default:
   * `reportError` where it exists, else an uncaught error in a microtask.
   */
  onListenerError?: ListenerErrorSink;
  /** Keep GPU bytes within a budget by evicting `residency: 'evictable'` resources (see `BudgetOptions`). */
  budget?: BudgetOptions;
}

/**
 * What a backend-specific create function passes to the manager: the user's options, plus (when the user gave
 * a way to get a new device) the backend to restore onto after a loss.
 */
export interface ManagerConstruction extends ManagerOptions {
  restore?: () => Promise<unknown>;
}

/** Events of a manager. */
export interface ManagerEvents {
  /** A resource was created. */
  create: GraphicsResource;
  /** A resource's handle went stale; `deferred` when the GPU object waits for in-flight work. */
  destroy: { record: GraphicsResource; deferred: boolean };
  /** The GPU refused a resource that validation accepted (out of memory, ...): it is now `failed`. */
  failed: { record: GraphicsResource; message: string };
  /** The GPU rejected a create that validation let through (debug mode). */
  gpuError: GpuValidationError;
  /**
   * The device or context was lost: every resource is now `lost` (handles stay valid) until `restore`, or
   * until it is destroyed.
   */
  lost: { reason: string; resources: readonly LeakReport[] };
  /** `restore` finished: what came back, what came back empty, what could not come back and why. */
  restored: RestoreReport;
  /** A resource was evicted to stay within the budget (its handle stays valid). */
  evicted: { record: GraphicsResource };
  /** A create went past the budget because nothing more could be evicted (non-strict budgets). */
  overBudget: { label: string; bytes: number; residentBytes: number; budgetBytes: number };
}

/** `stats()`: the ledger plus the resource monitor's figures. */
export interface ManagerStats extends LedgerSnapshot {
  /** Resources in the table in any state (live, evicted, lost, failed); `totalCount` counts the live ones. */
  readonly active: number;
  /** Mean age of live resources in ms (0 when none). */
  readonly averageAgeMs: number;
}

/** Options of `destroy`. */
export interface DestroyOptions {
  /** Destroy the resources that depend on this one first, instead of throwing `ResourceInUseError`. */
  cascade?: boolean;
}
