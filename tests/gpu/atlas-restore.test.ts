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
import { requestTestDevice } from '../support/webgpu.ts';

type Manager = ResourceManager<WebGPUObjects>;

/** rgba8 texels where every texel differs. */
function pattern(width: number, height: number, seed: number): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++)
    out.set([seed & 255, (i * 7) & 255, (i * 13 + seed) & 255, 255], i * 4);
  return out;
}

/** Each live region's allocation (content and gutter) at every mip level, read from its page. */
async function readAllocations(
  manager: Manager,
  atlas: TextureAtlas,
  handles: AtlasRegionHandle[],
  gutter: number,
  levels: number,
) {
  const out: Uint8Array[] = [];
  for (const h of handles) {
    const r = atlas.region(h);
    for (let level = 0; level < levels; level++) {
      const x = (r.x - gutter) >> level;
      const y = (r.y - gutter) >> level;
      const size: [number, number] = [
        Math.max(1, (r.width + 2 * gutter) >> level),
        Math.max(1, (r.height + 2 * gutter) >> level),
      ];
      out.push(await manager.readTexture(r.texture, { mipLevel: level, origin: [x, y, r.layer], size }));
    }
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
      const atlas = createAtlas(manager, {
        label: 'sprites',
        pageSize: 64,
        padding: 2,
        mipLevelCount: 3,
        maxPages: 3,
        pages,
        autoCompact: false,
      });
      const { gutter } = { gutter: 4 }; // raised to 2^(levels - 1) with mipmaps
      const pixels = new Map<AtlasRegionHandle, Uint8Array>();
      for (let i = 0; i < 24; i++) {
        const w = 5 + ((i * 3) % 9);
        const h = 4 + ((i * 5) % 7);
        const data = pattern(w, h, i + 1);
        pixels.set(atlas.add({ width: w, height: h, data }), data);
      }
      const cleared = atlas.add({ width: 6, height: 6 });
      for (const [h] of [...pixels].filter((_, i) => i % 4 === 1)) {
        atlas.remove(h);
        pixels.delete(h);
      }
      const rewritten = [...pixels.keys()][2]!;
      const [rw, rh] = [atlas.region(rewritten).width, atlas.region(rewritten).height];
      pixels.set(rewritten, pattern(rw, rh, 99));
      atlas.write(rewritten, pixels.get(rewritten)!);
      atlas.flush();
      expect(atlas.compact().length).toBeGreaterThan(0); // kept pixels must follow the moves
      expect(atlas.pages).toBeGreaterThan(1);
      atlas.flush();
      const handles = [...pixels.keys(), cleared];
      // Written again below and not flushed before the loss, so not compared with its old texels.
      const unflushed = handles[4]!;
      const compared = handles.filter((h) => h !== unflushed);
      const before = await readAllocations(manager, atlas, compared, gutter, 3);
      // Staged but never flushed when the device goes: the kept pixels must win over the lost staging, and
      // the page refilled first must not touch a page whose texture is not back yet.
      const { width: uw, height: uh } = atlas.region(unflushed);
      pixels.set(unflushed, pattern(uw, uh, 77));
      atlas.write(unflushed, pixels.get(unflushed)!);
      const staged = atlas.add({ width: 9, height: 7, data: pattern(9, 7, 78) });
      pixels.set(staged, pattern(9, 7, 78));
      handles.push(staged);
      const places = handles.map((h) => atlas.region(h));
      expect(atlas.stats().keptBytes).toBe([...pixels.values()].reduce((sum, p) => sum + p.byteLength, 0));

      const { next, report, lostKinds } = await loseAndRestore(manager, device);
      expect(lostKinds.filter((k) => k === 'atlasRegion')).toHaveLength(handles.length); // loss reports see them
      expect(report.failed).toEqual([]);
      expect(report.empty).toEqual([]); // the pages were regenerated, regions own no bytes
      expect(handles.map((h) => atlas.region(h))).toEqual(places);
      expect(handles.every((h) => manager.get(h)?.state === 'live')).toBe(true);
      expect(await readAllocations(manager, atlas, compared, gutter, 3)).toEqual(before);
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
    const a = atlas.add({ width: 8, height: 9, data: pattern(8, 9, 1) });
    const b = atlas.add({ width: 5, height: 5 }); // cleared: comes back as it was, nothing to report
    const c = atlas.add({ width: 6, height: 3, data: pattern(6, 3, 2) });
    atlas.flush();
    expect(atlas.stats().keptBytes).toBe(0);
    const reported: AtlasRegionHandle[][] = [];
    atlas.on('contentLost', ({ regions }) => {
      reported.push([...regions]);
      for (const h of regions) {
        const { width, height } = atlas.region(h);
        atlas.write(h, pattern(width, height, 50 + reported.length));
      }
    });
    const { next, report } = await loseAndRestore(manager, device);
    expect(report.failed).toEqual([]);
    expect(reported).toEqual([[a, c]]);
    for (const [h, expected] of [
      [a, pattern(8, 9, 51)],
      [b, new Uint8Array(5 * 5 * 4)],
      [c, pattern(6, 3, 51)],
    ] as const) {
      const r = atlas.region(h);
      expect(await manager.readTexture(r.texture, { origin: [r.x, r.y], size: [r.width, r.height] })).toEqual(
        expected,
      );
    }
    atlas.destroy();
    manager.dispose();
    next.destroy();
  });
});
