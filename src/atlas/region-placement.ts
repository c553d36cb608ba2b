import type { AllocationId } from './atlas-allocator.ts';
import { compactPage } from './atlas-compaction.ts';
import type { AtlasGpuOps } from './atlas-gpu-ops.ts';
import type { NormalizedAtlasOptions } from './atlas-options.ts';
import type { AtlasPages } from './atlas-pages.ts';
import type { AtlasRegionHandle } from './atlas-types.ts';

/**
 * Finds room for a `w` x `h` allocation: the first page with room; then, with `autoCompact`, the pages that
 * would reclaim enough, most reclaimable first (each compaction's moves go to `onMoved` before the next
 * try); then a new page up to `maxPages`. Returns [page, allocation], or `undefined` when nothing fits.
 *
 * @example
 * const placed = placeAllocation(pages, ops, options, 16, 24, (moved) => emitMoved(moved));
 */
export function placeAllocation(
  pages: AtlasPages,
  ops: AtlasGpuOps,
  options: NormalizedAtlasOptions,
  w: number,
  h: number,
  onMoved: (regions: AtlasRegionHandle[]) => void,
): [number, AllocationId] | undefined {
  for (let p = 0; p < pages.count; p++) {
    const id = pages.list[p]!.allocator.allocate(w, h);
    if (id !== undefined) return [p, id];
  }
  if (options.autoCompact) {
    const candidates = pages.list
      .map((page, index) => ({ index, reclaimable: page.allocator.stats().reclaimableArea }))
      .filter((c) => c.reclaimable >= w * h)
      .sort((a, b) => b.reclaimable - a.reclaimable);
    for (const { index } of candidates) {
      onMoved(compactPage(pages, ops, index, Number.POSITIVE_INFINITY).regions);
      const id = pages.list[index]!.allocator.allocate(w, h);
      if (id !== undefined) return [index, id];
    }
  }
  if (pages.count < options.maxPages) {
    pages.add();
    const index = pages.count - 1;
    const id = pages.list[index]!.allocator.allocate(w, h);
    if (id !== undefined) return [index, id];
  }
  return undefined;
}
