import type { Backend, BackendObjects, Staging } from '../core/backend.ts';
import type { MemoryLedger } from '../ledger.ts';
import type { NormalizedStagingOptions } from '../staging/options.ts';

/**
 * The manager's handle on the backend's staging (upload belt and readback pool): created with a backend,
 * disposed with it, and created again when the manager moves to a new device. Staging buffers are pool
 * internals, not handles: counted in the ledger's `staging` kind (GPU) or host bytes (CPU), never as resources.
 *
 * @example
 * const staging = new StagingService(ledger, changed, options);
 * staging.attach(backend);
 * staging.current.flush();
 */
export class StagingService<B extends BackendObjects> {
  private staging: Staging<B> | undefined;

  constructor(
    private readonly ledger: MemoryLedger,
    private readonly changed: () => void,
    private readonly options: NormalizedStagingOptions,
  ) {}

  /** Builds the staging of `backend` (disposing the previous one first, as a device loss would). */
  attach(backend: Backend<B>): void {
    this.staging?.dispose('device-lost');
    const { ledger, changed } = this;
    this.staging = backend.createStaging(
      {
        allocated: (bytes: number, where: 'gpu' | 'host' = 'gpu') => {
          if (where === 'host') ledger.changeHostBytes(bytes);
          else ledger.add('staging', bytes);
          changed();
        },
        freed: (bytes: number, where: 'gpu' | 'host' = 'gpu') => {
          if (where === 'host') ledger.changeHostBytes(-bytes);
          else ledger.remove('staging', bytes);
          changed();
        },
      },
      this.options,
    );
  }

  /** The staging of the attached backend. */
  get current(): Staging<B> {
    if (!this.staging) throw new Error('staging used before a backend was attached');
    return this.staging;
  }

  /** Rejects pending reads with `reason`, drops queued writes and frees every staging buffer. */
  detach(reason: 'disposed' | 'device-lost'): void {
    const staging = this.staging;
    this.staging = undefined;
    staging?.dispose(reason);
  }

  /**
   * A buffer or texture leaves: pending reads reject, unrecorded writes are dropped. True when copies into it
   * were recorded into a caller's encoder that is not submitted yet (its GPU free must wait for that submit).
   */
  forget(object: unknown): boolean {
    return this.staging?.forget(object as B['buffer']) ?? false;
  }
}
