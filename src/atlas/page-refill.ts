import type { AtlasEvents } from './atlas-events.ts';
import type { AtlasPages } from './atlas-pages.ts';
import type { AtlasRegionHandle } from './atlas-types.ts';
import type { RegionWriter } from './region-writer.ts';

/**
 * Puts the contents back into page textures the manager rebuilt empty after a device loss (their content
 * source's `regenerate`): every region of those pages is uploaded again from its kept pixels where it is
 * now, the regions whose pixels were not kept are reported (`contentLost`, whose listeners may `write` them),
 * then `flush` submits the uploads and regenerates the mips, even when a listener threw.
 *
 * @example
 * refillPages(pages, writer, events, [0, 1], () => ops.flush(pages.takeDirty([0, 1])));
 */
export function refillPages(
  pages: AtlasPages,
  writer: RegionWriter,
  events: AtlasEvents,
  indices: readonly number[],
  flush: () => void,
): void {
  const lost: AtlasRegionHandle[] = [];
  for (const index of indices) {
    const page = pages.list[index]!;
    for (const region of page.owners.values()) if (!writer.rewrite(region)) lost.push(region.handle);
    page.dirty = true;
  }
  try {
    if (lost.length > 0) events.emit('contentLost', { regions: lost });
  } finally {
    flush();
  }
}
