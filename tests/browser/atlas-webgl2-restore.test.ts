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

/** The shared scenario (tests/support/atlas-restore-scenario.ts), as the page imports it. */
type Scenario = typeof import('../support/atlas-restore-scenario.ts');

describe('atlas pages after context loss (WebGL2, Chromium)', () => {
  it.each(['textures', 'layers'] as const)(
    "pages: '%s' come back texel-exact (every mip level) after compaction and writes, handles unchanged",
    async (pages) => {
      const r = await harness.page.evaluate(async (pages) => {
        const gl = window.newGL(); // its own context: this test loses it
        // A plain import() of the dev server's module: vitest would rewrite an import() written here.
        const load = new Function('path', 'return import(path)') as (path: string) => Promise<unknown>;
        const { createResourceManager, createAtlas } = window.lib;
        const {
          RESTORE_ATLAS,
          RESTORE_LEVELS,
          allocationReads,
          buildRestoreScenario,
          pattern,
          stageWithoutFlush,
        } = (await load('/tests/support/atlas-restore-scenario.ts')) as Scenario;
        const manager = createResourceManager({ gl });
        const atlas = createAtlas(manager, { ...RESTORE_ATLAS, label: `gl restore ${pages}`, pages });
        const scenario = buildRestoreScenario(atlas);
        const { pixels, handles, compared, moved } = scenario;
        /** Each region's allocation (content and gutter) at every level, as plain arrays. */
        const readAllocations = async () => {
          const out: number[][] = [];
          for (const h of compared) {
            const reg = atlas.region(h);
            for (const read of allocationReads(reg))
              out.push([...(await manager.readTexture(reg.texture, read))]);
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
        const before = await readAllocations();
        const wrongBefore = await wrongContent();
        stageWithoutFlush(atlas, scenario);
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
        const after = await readAllocations();
        const sameLevels = Array.from({ length: RESTORE_LEVELS }, (_, level) =>
          compared.every((_, i) => {
            const a = before[i * RESTORE_LEVELS + level]!;
            const b = after[i * RESTORE_LEVELS + level]!;
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
      const load = new Function('path', 'return import(path)') as (path: string) => Promise<unknown>;
      const { createResourceManager, createAtlas } = window.lib;
      const { buildLostContentScenario } = (await load(
        '/tests/support/atlas-restore-scenario.ts',
      )) as Scenario;
      const manager = createResourceManager({ gl });
      const atlas = createAtlas(manager, { label: 'gl glyphs', pageSize: 64, keepPixels: false });
      const { expected, lostRegions, reported } = buildLostContentScenario(atlas);
      const keptBytes = atlas.stats().keptBytes;
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
      for (const [h, want] of expected) {
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
      return { keptBytes, reported, expected: [lostRegions], failed, wrong, glErrors };
    });
    expect(r.keptBytes).toBe(0);
    expect(r.failed).toEqual([]);
    expect(r.reported).toEqual(r.expected);
    expect(r.wrong).toEqual([]);
    expect(r.glErrors).toEqual([]);
  });
});
