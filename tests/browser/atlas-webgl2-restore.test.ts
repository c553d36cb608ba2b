/**
 * Atlas pages after context loss on WebGL2 in Chromium: WEBGL_lose_context's loseContext(), then (one task
 * later: Chromium ignores a restoreContext() inside the loss's dispatch) restoreContext(); the manager
 * restores by itself on `webglcontextrestored`. Pages come back with their contents (kept region pixels
 * re-uploaded where the regions are now, mips regenerated), handles unchanged; without kept pixels a
 * `contentLost` event names the regions to write. The Dawn twin is tests/gpu/atlas-restore.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { useWebGL2Page } from './pages/webgl2-harness.ts';

const harness = useWebGL2Page();

describe('atlas pages after context loss (WebGL2, Chromium)', () => {
  it.each(['textures', 'layers'] as const)(
    "pages: '%s' come back texel-exact (every mip level) after compaction and writes, handles unchanged",
    async (pages) => {
      const r = await harness.page.evaluate(async (pages) => {
        const gl = window.newGL(); // its own context: this test loses it
        const { createResourceManager, createAtlas } = window.lib;
        const manager = createResourceManager({ gl });
        const LEVELS = 3;
        const GUTTER = 4; // padding 2 is raised to 2^(LEVELS - 1) so every level keeps regions apart
        const atlas = createAtlas(manager, {
          label: `gl restore ${pages}`,
          pageSize: 64,
          padding: 2,
          mipLevelCount: LEVELS,
          maxPages: 3,
          pages,
          autoCompact: false,
        });
        /** rgba8 texels where every texel differs. */
        const pattern = (width: number, height: number, seed: number) => {
          const out = new Uint8Array(width * height * 4);
          for (let i = 0; i < width * height; i++)
            out.set([seed & 255, (i * 7) & 255, (i * 13 + seed) & 255, 255], i * 4);
          return out;
        };
        type RegionHandle = ReturnType<typeof atlas.add>;
        const pixels = new Map<RegionHandle, Uint8Array>();
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
        const { width: rw, height: rh } = atlas.region(rewritten);
        pixels.set(rewritten, pattern(rw, rh, 99));
        atlas.write(rewritten, pixels.get(rewritten)!);
        atlas.flush();
        const moved = atlas.compact().length; // kept pixels must follow the moves
        atlas.flush();
        const handles = [...pixels.keys(), cleared];
        /** Each region's allocation (content and gutter) at every level, as plain arrays. */
        const readAllocations = async (of: readonly RegionHandle[]) => {
          const out: number[][] = [];
          for (const h of of) {
            const reg = atlas.region(h);
            for (let level = 0; level < LEVELS; level++) {
              const bytes = await manager.readTexture(reg.texture, {
                mipLevel: level,
                origin: [(reg.x - GUTTER) >> level, (reg.y - GUTTER) >> level, reg.layer],
                size: [
                  Math.max(1, (reg.width + 2 * GUTTER) >> level),
                  Math.max(1, (reg.height + 2 * GUTTER) >> level),
                ],
              });
              out.push([...bytes]);
            }
          }
          return out;
        };
        /** Regions whose content at level 0 is not exactly what was last written (zeros when cleared). */
        const wrongContent = async () => {
          const bad: number[] = [];
          for (const h of handles) {
            const reg = atlas.region(h);
            const want = pixels.get(h) ?? new Uint8Array(reg.width * reg.height * 4);
            const got = await manager.readTexture(reg.texture, {
              origin: [reg.x, reg.y, reg.layer],
              size: [reg.width, reg.height],
            });
            if (got.length !== want.length || got.some((v, i) => v !== want[i])) bad.push(h);
          }
          return bad;
        };
        // Written again below and not flushed before the loss, so not compared with its old texels.
        const unflushed = [...pixels.keys()][4]!;
        const compared = handles.filter((h) => h !== unflushed);
        const before = await readAllocations(compared);
        const wrongBefore = await wrongContent();
        // Staged but never flushed when the context goes: the kept pixels must win over the lost staging.
        const { width: uw, height: uh } = atlas.region(unflushed);
        pixels.set(unflushed, pattern(uw, uh, 77));
        atlas.write(unflushed, pixels.get(unflushed)!);
        const staged = atlas.add({ width: 9, height: 7, data: pattern(9, 7, 78) });
        pixels.set(staged, pattern(9, 7, 78));
        handles.push(staged);
        const places = JSON.stringify(handles.map((h) => atlas.region(h)));
        const pagesBefore = atlas.pages;
        const keptBytes = atlas.stats().keptBytes;
        const expectedKept = [...pixels.values()].reduce((sum, p) => sum + p.byteLength, 0);
        const pageObjects = new Set<unknown>(handles.map((h) => manager.gpu(atlas.region(h).texture)));

        const ext = gl.getExtension('WEBGL_lose_context');
        if (!ext) throw new Error('no WEBGL_lose_context');
        const lost = new Promise<string[]>((resolve) =>
          manager.on('lost', (e) => resolve(e.resources.map((x) => x.kind))),
        );
        const restored = new Promise<{ failed: string[]; empty: string[] }>((resolve) =>
          manager.on('restored', (report) =>
            resolve({
              failed: report.failed.map((f) => `${f.label}: ${f.reason}`),
              empty: report.empty.map((e) => e.label),
            }),
          ),
        );
        ext.loseContext();
        const lostKinds = await lost;
        await new Promise((resolve) => setTimeout(resolve, 0)); // see the file comment
        ext.restoreContext();
        const report = await restored;
        await manager.idle();

        const glErrors: number[] = [];
        for (let e = gl.getError(); e !== gl.NO_ERROR && glErrors.length < 8; e = gl.getError())
          glErrors.push(e);
        const after = await readAllocations(compared);
        const sameLevels = Array.from({ length: LEVELS }, (_, level) =>
          compared.every((_, i) => {
            const a = before[i * LEVELS + level]!;
            const b = after[i * LEVELS + level]!;
            return a.length === b.length && a.every((v, k) => v === b[k]);
          }),
        );
        const result = {
          moved,
          pagesBefore,
          pagesAfter: atlas.pages,
          keptBytes,
          expectedKept,
          regionsLost: lostKinds.filter((k) => k === 'atlasRegion').length,
          handleCount: handles.length,
          report,
          placesSame: JSON.stringify(handles.map((h) => atlas.region(h))) === places,
          live: handles.every((h) => manager.get(h)?.state === 'live'),
          newPageObjects: handles.every((h) => !pageObjects.has(manager.gpu(atlas.region(h).texture))),
          wrongBefore,
          wrongAfter: await wrongContent(),
          sameLevels,
          glErrors,
          late: [] as number[],
        };
        // The atlas works on the restored context: an add, a compaction and mips.
        const late = atlas.add({ width: 7, height: 5, data: pattern(7, 5, 200) });
        pixels.set(late, pattern(7, 5, 200));
        handles.push(late);
        atlas.compact();
        atlas.flush();
        result.late = await wrongContent();
        atlas.destroy();
        manager.dispose();
        return result;
      }, pages);
      expect(r.moved).toBeGreaterThan(0);
      expect(r.pagesBefore).toBeGreaterThan(1);
      expect(r.pagesAfter).toBe(r.pagesBefore);
      expect(r.keptBytes).toBe(r.expectedKept);
      expect(r.regionsLost).toBe(r.handleCount); // the loss report lists the regions
      expect(r.report).toEqual({ failed: [], empty: [] }); // pages regenerated; regions own no bytes
      expect(r.placesSame).toBe(true);
      expect(r.live).toBe(true);
      expect(r.newPageObjects).toBe(true); // really rebuilt, not the old GL textures
      expect(r.wrongBefore).toEqual([]);
      expect(r.wrongAfter).toEqual([]);
      expect(r.sameLevels).toEqual([true, true, true]); // level 0, and the regenerated levels 1 and 2
      expect(r.glErrors).toEqual([]);
      expect(r.late).toEqual([]);
    },
  );

  it('keepPixels: false keeps nothing; contentLost names the written regions, and their rewrites land', async () => {
    const r = await harness.page.evaluate(async () => {
      const gl = window.newGL();
      const { createResourceManager, createAtlas } = window.lib;
      const manager = createResourceManager({ gl });
      const atlas = createAtlas(manager, { label: 'gl glyphs', pageSize: 64, keepPixels: false });
      const pattern = (width: number, height: number, seed: number) => {
        const out = new Uint8Array(width * height * 4);
        for (let i = 0; i < width * height; i++)
          out.set([seed & 255, (i * 7) & 255, (i * 13 + seed) & 255, 255], i * 4);
        return out;
      };
      const a = atlas.add({ width: 8, height: 9, data: pattern(8, 9, 1) });
      const b = atlas.add({ width: 5, height: 5 }); // cleared: comes back as it was, nothing to report
      const c = atlas.add({ width: 6, height: 3, data: pattern(6, 3, 2) });
      atlas.flush();
      const keptBytes = atlas.stats().keptBytes;
      const reported: number[][] = [];
      atlas.on('contentLost', ({ regions }) => {
        reported.push([...regions]);
        for (const h of regions) {
          const { width, height } = atlas.region(h);
          atlas.write(h, pattern(width, height, 50 + reported.length));
        }
      });
      const ext = gl.getExtension('WEBGL_lose_context');
      if (!ext) throw new Error('no WEBGL_lose_context');
      const lost = new Promise<void>((resolve) => manager.on('lost', () => resolve()));
      const restored = new Promise<string[]>((resolve) =>
        manager.on('restored', (report) => resolve(report.failed.map((f) => f.label))),
      );
      ext.loseContext();
      await lost;
      await new Promise((resolve) => setTimeout(resolve, 0));
      ext.restoreContext();
      const failed = await restored;
      await manager.idle();
      const wrong: number[] = [];
      for (const [h, want] of [
        [a, pattern(8, 9, 51)],
        [b, new Uint8Array(5 * 5 * 4)],
        [c, pattern(6, 3, 51)],
      ] as const) {
        const reg = atlas.region(h);
        const got = await manager.readTexture(reg.texture, {
          origin: [reg.x, reg.y],
          size: [reg.width, reg.height],
        });
        if (got.length !== want.length || got.some((v, i) => v !== want[i])) wrong.push(h);
      }
      const glErrors: number[] = [];
      for (let e = gl.getError(); e !== gl.NO_ERROR && glErrors.length < 8; e = gl.getError())
        glErrors.push(e);
      atlas.destroy();
      manager.dispose();
      return { keptBytes, reported, expected: [[a, c]], failed, wrong, glErrors };
    });
    expect(r.keptBytes).toBe(0);
    expect(r.failed).toEqual([]);
    expect(r.reported).toEqual(r.expected);
    expect(r.wrong).toEqual([]);
    expect(r.glErrors).toEqual([]);
  });
});
