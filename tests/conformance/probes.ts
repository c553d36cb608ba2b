/**
 * Observation helpers shared by the cases. `recordBackendDestroys` wraps the destroy methods of a manager's
 * real backend (the real destroy still runs, on the real GPU) so a case can count how often each GPU object
 * was destroyed on any backend; `expectNothingCreated` checks a rejected create left no trace.
 */
import { RESOURCE_KINDS, type ResourceKind } from '../../src/index.ts';
import { deepEqual, equal, ok } from './assert.ts';
import type { AnyManager } from './context.ts';

/** Which GPU objects the backend destroyed, in order. */
export interface DestroyLog {
  readonly calls: readonly { readonly kind: ResourceKind; readonly object: unknown }[];
  /** How many times `object` was passed to a backend destroy method. */
  count(object: unknown): number;
}

/**
 * Starts recording the backend destroy calls of `manager`.
 *
 * @example
 * const log = recordBackendDestroys(manager);
 * const gpu = manager.gpu(tex); manager.destroy(tex);
 * equal(log.count(gpu), 1);
 */
export function recordBackendDestroys(manager: AnyManager): DestroyLog {
  const calls: { kind: ResourceKind; object: unknown }[] = [];
  // Every kind of the kind table: a kind added later is probed without touching this file.
  const destroy = manager.backend.destroy as unknown as Record<ResourceKind, (object: unknown) => void>;
  for (const kind of RESOURCE_KINDS) {
    const real = destroy[kind];
    destroy[kind] = (object: unknown) => {
      calls.push({ kind, object });
      real(object);
    };
  }
  return { calls, count: (object) => calls.filter((c) => c.object === object).length };
}

/**
 * Runs a create that must be refused and proves nothing was left behind: the error is returned for the case to
 * inspect; the ledger, the live resources and the 'create' events are as before.
 *
 * @example
 * const error = expectNothingCreated(manager, () => manager.createBuffer({ size: 0, usage }));
 */
export function expectNothingCreated(manager: AnyManager, create: () => unknown): unknown {
  const before = manager.usageStats();
  const live = [...manager.resources()].map((r) => r.handle);
  let creates = 0;
  const off = manager.on('create', () => creates++);
  let thrown: unknown;
  try {
    create();
  } catch (error) {
    thrown = error;
  } finally {
    off();
  }
  ok(thrown !== undefined, 'the create was expected to throw');
  deepEqual(manager.usageStats(), before, 'the ledger must be unchanged');
  deepEqual(
    [...manager.resources()].map((r) => r.handle),
    live,
    'the live resources must be unchanged',
  );
  equal(creates, 0, "no 'create' event");
  return thrown;
}

/**
 * Waits for the next microtasks to run (usage snapshots are delivered on a microtask).
 *
 * @example
 * await settle();
 */
export async function settle(): Promise<void> {
  await Promise.resolve();
  await Promise.resolve();
}
