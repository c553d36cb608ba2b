import type { BackendObjects } from '../core/backend.ts';
import type { ResourceKind } from '../core/kind-types.ts';
import { kindSpec, rebuildObject } from '../core/kinds.ts';
import { describeValue } from '../errors.ts';
import type { AnyHandle } from '../handles/handle.ts';
import type { Entry } from './entry.ts';
import type { ResourceRegistry } from './registry.ts';
import type { ResidencyService } from './residency.ts';

/** One resource in a {@link RestoreReport}. */
export interface RestoredResource {
  readonly handle: AnyHandle;
  readonly kind: ResourceKind;
  readonly label: string;
}

/** What `restore` did, resource by resource (the `restored` event's payload). */
export interface RestoreReport {
  /** Milliseconds from the start of `restore` to the last content upload staged. */
  readonly durationMs: number;
  /** Resources live again under their handles. */
  readonly restored: number;
  /** Resources that own memory and came back without contents (no content source). */
  readonly empty: readonly RestoredResource[];
  /** Resources that could not come back, and why (they stay `lost`; destroy them or retry). */
  readonly failed: readonly (RestoredResource & { readonly reason: string })[];
}

/**
 * Re-creates every `lost` resource on the (new) backend under its handle, in creation order so dependencies
 * come before their dependents: each descriptor is re-validated against the new device's capabilities, the GPU
 * object is built, and its contents come back from its source. Evicted resources stay evicted (they return
 * when used). A resource that cannot come back is listed with the reason, and so are its dependents.
 *
 * @example
 * const report = await restoreLost(registry, residency, () => performance.now());
 */
export async function restoreLost<B extends BackendObjects>(
  registry: ResourceRegistry<B>,
  residency: ResidencyService<B>,
  now: () => number,
): Promise<RestoreReport> {
  const started = now();
  const empty: RestoredResource[] = [];
  const failed: (RestoredResource & { reason: string })[] = [];
  const unrecoverable = new Set<AnyHandle>();
  const contents: Promise<void>[] = [];
  let restored = 0;
  const dependency = <K extends ResourceKind>(handle: AnyHandle, _kind: K): B[K] => {
    const entry = registry.current(handle);
    if (!entry || entry.gpu === undefined) throw new Error(`dependency ${handle} has no GPU object`);
    return entry.gpu as B[K];
  };
  for (const entry of registry.entriesInOrder()) {
    if (entry.record.state !== 'lost') continue;
    const { record } = entry;
    const about: RestoredResource = { handle: record.handle, kind: record.kind, label: record.label };
    const blocker = record.dependencies.find(
      (h) => unrecoverable.has(h) || registry.current(h)?.record.state !== 'live',
    );
    if (blocker !== undefined) {
      unrecoverable.add(record.handle);
      failed.push({
        ...about,
        reason: `depends on ${describeHandle(registry, blocker)}, which did not come back`,
      });
      continue;
    }
    try {
      kindSpec(record.kind).revalidate?.(record.descriptor as never, registry.backend.capabilities);
      const gpu = await rebuildObject(record.kind, registry.backend, record.descriptor, dependency);
      if (registry.current(record.handle) !== entry || entry.record.state !== 'lost') {
        (registry.backend.destroy[record.kind] as (o: unknown) => void)(gpu); // destroyed while we waited
        continue;
      }
      registry.rebuild(entry, gpu);
      restored++;
    } catch (error) {
      unrecoverable.add(record.handle);
      failed.push({ ...about, reason: error instanceof Error ? error.message : describeValue(error) });
      continue;
    }
    contents.push(restoreContents(entry, residency, about, empty, failed));
  }
  await Promise.all(contents);
  residency.flush();
  return { durationMs: now() - started, restored, empty, failed };
}

async function restoreContents<B extends BackendObjects>(
  entry: Entry<B>,
  residency: ResidencyService<B>,
  about: RestoredResource,
  empty: RestoredResource[],
  failed: (RestoredResource & { reason: string })[],
): Promise<void> {
  try {
    const outcome = await residency.restoreContent(entry, false);
    if (outcome === 'empty' && kindSpec(entry.record.kind).ownsBytes) empty.push(about);
  } catch (error) {
    failed.push({
      ...about,
      reason: `its contents did not come back: ${error instanceof Error ? error.message : describeValue(error)}`,
    });
  }
}

function describeHandle<B extends BackendObjects>(registry: ResourceRegistry<B>, handle: AnyHandle): string {
  const label = registry.current(handle)?.record.label;
  return label ? `'${label}'` : `#${handle}`;
}
