/**
 * Compaction of an atlas's pages, as moves of allocations and the GPU copies that follow them: repacking one
 * page in place (through the backend's scratch copy), and emptying the last page into the earlier ones.
 * Region handles never change; only the entries they resolve to do.
 */
import type { AllocationId } from './atlas-allocator.ts';
import type { AtlasGpuOps, PageMove } from './atlas-gpu-ops.ts';
import type { AtlasPages } from './atlas-pages.ts';
import type { AtlasRegionHandle } from './atlas-types.ts';

/**
 * Repacks every page in place, then empties the last pages into the earlier ones (WebRender's rule),
 * freeing each page that empties; at most `maxPixels` texels copied in all. Returns the regions moved.
 *
 * @example
 * const moved = compactAtlas(pages, ops, 512 * 512);
 */
export function compactAtlas(pages: AtlasPages, ops: AtlasGpuOps, maxPixels: number): AtlasRegionHandle[] {
  let remaining = maxPixels;
  const moved: AtlasRegionHandle[] = [];
  for (let p = 0; p < pages.count && remaining > 0; p++) {
    const { pixels, regions } = compactPage(pages, ops, p, remaining);
    remaining -= pixels;
    moved.push(...regions);
  }
  while (pages.count > 1 && remaining > 0) {
    const { pixels, regions, emptied } = evacuateLastPage(pages, ops, remaining);
    remaining -= pixels;
    moved.push(...regions);
    if (!emptied) break;
    pages.removeLast();
  }
  return moved;
}

/**
 * Repacks one page within the budget; returns the texels moved and the regions that moved.
 *
 * @example
 * const { regions } = compactPage(pages, ops, 0, Number.POSITIVE_INFINITY);
 */
export function compactPage(
  pages: AtlasPages,
  ops: AtlasGpuOps,
  index: number,
  maxPixels: number,
): { pixels: number; regions: AtlasRegionHandle[] } {
  const page = pages.list[index]!;
  const moves = page.allocator.compact(Number.isFinite(maxPixels) ? { maxPixels } : undefined);
  if (moves.length === 0) return { pixels: 0, regions: [] };
  const copies: PageMove[] = moves.map(({ from, to }) => ({ from, to }));
  ops.movePage(pages.texture(index), pages.layer(index), copies);
  let pixels = 0;
  const regions: AtlasRegionHandle[] = [];
  for (const move of moves) {
    pixels += move.from.width * move.from.height;
    regions.push(page.owners.get(move.id)!.handle);
  }
  return { pixels, regions };
}

/**
 * Moves regions of the last page into earlier pages, but only when all of them fit there (moving some
 * would cost copies without freeing the page); within the budget, so a page may take several calls.
 *
 * @example
 * const { emptied } = evacuateLastPage(pages, ops, 512 * 512); if (emptied) pages.removeLast();
 */
export function evacuateLastPage(
  pages: AtlasPages,
  ops: AtlasGpuOps,
  maxPixels: number,
): { pixels: number; regions: AtlasRegionHandle[]; emptied: boolean } {
  const last = pages.count - 1;
  const source = pages.list[last]!;
  const items = [...source.allocator.regions()].sort((a, b) => b[1].height - a[1].height);
  // Trial placement of everything; undone entirely if anything does not fit.
  const placements: { from: AllocationId; page: number; to: AllocationId }[] = [];
  for (const [from, rect] of items) {
    let placed: { page: number; to: AllocationId } | undefined;
    for (let page = 0; page < last && placed === undefined; page++) {
      const to = pages.list[page]!.allocator.allocate(rect.width, rect.height);
      if (to !== undefined) placed = { page, to };
    }
    if (placed === undefined) {
      for (const p of placements) pages.list[p.page]!.allocator.deallocate(p.to);
      return { pixels: 0, regions: [], emptied: false };
    }
    placements.push({ from, ...placed });
  }
  let pixels = 0;
  const regions: AtlasRegionHandle[] = [];
  const copies = new Map<number, PageMove[]>();
  for (const p of placements) {
    const target = pages.list[p.page]!.allocator;
    const rect = source.allocator.rect(p.from);
    if (pixels + rect.width * rect.height > maxPixels) {
      target.deallocate(p.to); // over budget: stays for a later call
      continue;
    }
    pixels += rect.width * rect.height;
    const region = source.owners.get(p.from)!;
    const list = copies.get(p.page) ?? [];
    list.push({ from: rect, to: target.rect(p.to) });
    copies.set(p.page, list);
    source.allocator.deallocate(p.from);
    source.owners.delete(p.from);
    pages.list[p.page]!.owners.set(p.to, region);
    region.page = p.page;
    region.allocation = p.to;
    regions.push(region.handle);
  }
  const from = { texture: pages.texture(last), layer: pages.layer(last) };
  for (const [page, moves] of copies) {
    ops.copyAcross(from, { texture: pages.texture(page), layer: pages.layer(page) }, moves);
  }
  return { pixels, regions, emptied: source.allocator.size === 0 };
}
