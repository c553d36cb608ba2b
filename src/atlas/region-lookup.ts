/**
 * Resolving an atlas region handle: through the manager (the handle is the manager's), to the atlas's own
 * record of the region, and, when it does not resolve, saying why in the manager's words.
 */
import { AtlasError } from './atlas-error.ts';
import type { AtlasManager } from './atlas-manager.ts';
import type { AtlasRegionHandle } from './atlas-types.ts';
import { PlacedRegion, type RegionOwner } from './placed-region.ts';

/**
 * The region a handle names, if it is a live region of `owner` (any JS value is accepted).
 *
 * @example
 * const region = lookupRegion(manager, atlas, handle); if (region === undefined) return false;
 */
export function lookupRegion(
  manager: AtlasManager,
  owner: RegionOwner,
  handle: unknown,
): PlacedRegion | undefined {
  if (typeof handle !== 'number') return undefined;
  const record = manager.get(handle as AtlasRegionHandle);
  if (record?.kind !== 'atlasRegion') return undefined;
  const { region } = record.descriptor as { region: unknown };
  return region instanceof PlacedRegion && region.owner === owner ? region : undefined;
}

/**
 * Like {@link lookupRegion}, but throws {@link AtlasError} naming the atlas, the handle and why it is not a
 * region of this atlas.
 *
 * @example
 * const region = requireRegion(manager, atlas, handle); // throws for a stale handle
 */
export function requireRegion(manager: AtlasManager, owner: RegionOwner, handle: unknown): PlacedRegion {
  const region = lookupRegion(manager, owner, handle);
  if (region === undefined) {
    throw new AtlasError(
      owner.label,
      'region',
      handle,
      `must be a live region of this atlas (${whyNotRegion(manager, handle)})`,
    );
  }
  return region;
}

/** Why a handle is not a region of this atlas, in the manager's words where it has them. */
function whyNotRegion(manager: AtlasManager, handle: unknown): string {
  if (typeof handle !== 'number') return 'it is not a number';
  let record: unknown;
  try {
    record = manager.resolve(handle as AtlasRegionHandle);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const { kind, label } = record as { kind: string; label: string };
  return kind === 'atlasRegion'
    ? `it is a region of another atlas ('${label}')`
    : `it names a ${kind} ('${label}')`;
}
