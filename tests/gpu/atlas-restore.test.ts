/**
 * Atlas pages after device loss on Dawn: device.destroy(), then the manager restores onto a new device from a
 * new adapter. Pages come back with their contents (kept region pixels re-uploaded where the regions are now,
 * mips regenerated), handles unchanged; without kept pixels a `contentLost` event names the regions to write.
 */
import { describe, expect, it } from 'vitest';
import { createAtlas } from '../../src/atlas/create-atlas.ts';
import type { AtlasRegionHandle, TextureAtlas } from '../../src/atlas/texture-atlas.ts';
import { createResourceManager, type ResourceManager } from '../../src/index.ts';
import { WebGPUBackend, type WebGPUObjects } from '../../src/webgpu.ts';
import {
  allocationReads,
  buildLostContentScenario,
  buildRestoreScenario,
  pattern,
  RESTORE_ATLAS,
  stageWithoutFlush,
} from '../support/atlas-restore-scenario.ts';
import { requestTestDevice } from '../support/webgpu.ts';

type Manager = ResourceManager<WebGPUObjects>;

/** Each region's allocation (content and gutter) at every mip level, read from its page. */
async function readAllocations(manager: Manager, atlas: TextureAtlas, handles: readonly AtlasRegionHandle[]) {
  const out: Uint8Array[] = [];
  for (const h of handles) {
    const r = atlas.region(h);
    for (const read of allocationReads(r)) out.push(await manager.readTexture(r.texture, read));
  }
  return out;
}

async function loseAndRestore(manager: Manager, device: GPUDevice) {
  const lost = new Promise<{ resources: readonly { kind: string }[] }>((resolve) =>
    manager.on('lost', resolve),
  );
  device.destroy();
  const { resources } = await lost;
  const next = await requestTestDevice(); // a new adapter, then a new device: the old adapter is consumed
  const report = await manager.restore(new WebGPUBackend(next));
  await manager.idle();
  return { next, report, lostKinds: resources.map((r) => r.kind) };
}

describe('atlas pages after device loss', () => {
  for (const pages of ['textures', 'layers'] as const) {
    it(`pages: '${pages}' come back texel-exact (mips too) after compaction and writes, handles unchanged`, async () => {
      const device = await requestTestDevice();
      const manager = createResourceManager({ device });
      const atlas = createAtlas(manager, { ...RESTORE_ATLAS, label: 'sprites', pages });
      const scenario = buildRestoreScenario(atlas);
      const { pixels, handles, compared } = scenario;
      expect(scenario.moved).toBeGreaterThan(0); // kept pixels must follow the moves
      expect(atlas.pages).toBeGreaterThan(1);
      const before = await readAllocations(manager, atlas, compared);
      stageWithoutFlush(atlas, scenario);
      const places = handles.map((h) => atlas.region(h));
      expect(atlas.stats().keptBytes).toBe([...pixels.values()].reduce((sum, p) => sum + p.byteLength, 0));

      const { next, report, lostKinds } = await loseAndRestore(manager, device);
      expect(lostKinds.filter((k) => k === 'atlasRegion')).toHaveLength(handles.length); // loss reports see them
      expect(report.failed).toEqual([]);
      expect(report.empty).toEqual([]); // the pages were regenerated, regions own no bytes
      expect(handles.map((h) => atlas.region(h))).toEqual(places);
      expect(handles.every((h) => manager.get(h)?.state === 'live')).toBe(true);
      expect(await readAllocations(manager, atlas, compared)).toEqual(before);
      for (const [h, data] of pixels) {
        const r = atlas.region(h);
        expect(
          await manager.readTexture(r.texture, { origin: [r.x, r.y, r.layer], size: [r.width, r.height] }),
        ).toEqual(data);
      }
      // The atlas works on the new device: adds, compaction and mips.
      const late = atlas.add({ width: 7, height: 5, data: pattern(7, 5, 200) });
      atlas.flush();
      const r = atlas.region(late);
      expect(await manager.readTexture(r.texture, { origin: [r.x, r.y, r.layer], size: [7, 5] })).toEqual(
        pattern(7, 5, 200),
      );
      expect(await manager.gpuErrors()).toEqual([]);
      atlas.destroy();
      await manager.idle();
      manager.dispose();
      next.destroy();
    });
  }

  it('keepPixels: false keeps nothing; contentLost names the written regions, and their rewrites land', async () => {
    const device = await requestTestDevice();
    const manager = createResourceManager({ device });
    const atlas = createAtlas(manager, {
      label: 'glyphs',
      format: 'rgba8unorm',
      pageSize: 64,
      keepPixels: false,
    });
    const { expected, lostRegions, reported } = buildLostContentScenario(atlas);
    expect(atlas.stats().keptBytes).toBe(0);
    const { next, report } = await loseAndRestore(manager, device);
    expect(report.failed).toEqual([]);
    expect(reported).toEqual([lostRegions]);
    for (const [h, want] of expected) {
      const r = atlas.region(h);
      expect(await manager.readTexture(r.texture, { origin: [r.x, r.y], size: [r.width, r.height] })).toEqual(
        want,
      );
    }
    atlas.destroy();
    manager.dispose();
    next.destroy();
  });
});
