/**
 * The atlas on real WebGL2 (Chromium): uploads through the GL staging belt, compaction by copyTexSubImage
 * through a scratch texture, array-layer pages, and generateMipmap staying inside aligned allocations.
 */
import { describe, expect, it } from 'vitest';
import { useWebGL2Page } from './pages/webgl2-harness.ts';

const harness = useWebGL2Page();

describe('atlas on WebGL2', () => {
  it('pixels are right before and after compaction; moved regions keep their handles', async () => {
    const r = await harness.page.evaluate(async () => {
      // A plain import() of the dev server's module: vitest would rewrite an import() written here.
      const load = new Function('path', 'return import(path)') as (path: string) => Promise<unknown>;
      const { createAtlas } = (await load(
        '/src/atlas/index.ts',
      )) as typeof import('../../src/atlas/index.ts');
      const m = window.lib.createResourceManager({ gl: window.sharedGL() });
      const atlas = createAtlas(m, { label: 'gl glyphs', pageSize: 128, padding: 1, autoCompact: false });
      const pattern = (w: number, h: number, seed: number) => {
        const out = new Uint8Array(w * h * 4);
        for (let y = 0; y < h; y++)
          for (let x = 0; x < w; x++) out.set([seed, x * 7, y * 13, 255], (y * w + x) * 4);
        return out;
      };
      const live = new Map<number, Uint8Array>();
      for (let i = 0; i < 50; i++) {
        const w = 4 + ((i * 7) % 13);
        const h = 6 + ((i * 5) % 11);
        const data = pattern(w, h, i + 1);
        live.set(atlas.add({ width: w, height: h, data }), data);
      }
      const read = async (h: number) => {
        const reg = atlas.region(h as never);
        return m.readTexture(reg.texture, {
          origin: [reg.x, reg.y, reg.layer],
          size: [reg.width, reg.height],
        });
      };
      const same = async () => {
        let bad = 0;
        for (const [h, data] of live) {
          const got = await read(h);
          if (got.length !== data.length || got.some((v, i) => v !== data[i])) bad++;
        }
        return bad;
      };
      atlas.flush();
      const badBefore = await same();
      [...live.keys()]
        .filter((_, i) => i % 3 === 0)
        .forEach((h) => {
          atlas.remove(h as never);
          live.delete(h);
        });
      const events: number[] = [];
      atlas.on('moved', ({ regions }) => events.push(regions.length));
      const before = new Map(
        [...live.keys()].map((h) => [h, atlas.region(h as never).x * 1000 + atlas.region(h as never).y]),
      );
      const moved = atlas.compact();
      const changed = moved.filter(
        (h) => before.get(h) !== atlas.region(h).x * 1000 + atlas.region(h).y,
      ).length;
      atlas.flush();
      const badAfter = await same();
      const textures = m.stats().byKind.texture.count;
      m.dispose();
      return { badBefore, badAfter, moved: moved.length, changed, events, textures };
    });
    expect(r.badBefore).toBe(0);
    expect(r.moved).toBeGreaterThan(0);
    expect(r.changed).toBe(r.moved);
    expect(r.events).toEqual([r.moved]);
    expect(r.badAfter).toBe(0);
    expect(r.textures).toBeGreaterThanOrEqual(1);
  });

  it("pages: 'layers' grows by copying layers; mip levels never mix neighbours", async () => {
    const r = await harness.page.evaluate(async () => {
      // A plain import() of the dev server's module: vitest would rewrite an import() written here.
      const load = new Function('path', 'return import(path)') as (path: string) => Promise<unknown>;
      const { createAtlas } = (await load(
        '/src/atlas/index.ts',
      )) as typeof import('../../src/atlas/index.ts');
      const m = window.lib.createResourceManager({ gl: window.sharedGL() });
      const solid = (w: number, h: number, c: number[]) => {
        const out = new Uint8Array(w * h * 4);
        for (let i = 0; i < w * h; i++) out.set(c, i * 4);
        return out;
      };
      const colours = [
        [255, 0, 0, 255],
        [0, 255, 0, 255],
        [0, 0, 255, 255],
        [255, 255, 0, 255],
        [0, 255, 255, 255],
        [255, 0, 255, 255],
      ];
      const atlas = createAtlas(m, {
        label: 'gl layered',
        pageSize: 48,
        padding: 1,
        mipLevelCount: 3,
        extrude: true,
        pages: 'layers',
        maxPages: 3,
      });
      const handles = colours.map((c, i) =>
        atlas.add({ width: 9 + (i % 3), height: 10, data: solid(9 + (i % 3), 10, c) }),
      );
      atlas.flush();
      let bad = 0;
      const layers = new Set<number>();
      for (const [i, h] of handles.entries()) {
        const reg = atlas.region(h);
        layers.add(reg.layer);
        const x0 = reg.x - 4;
        const y0 = reg.y - 4;
        for (const level of [0, 1, 2]) {
          const w = (Math.ceil((reg.width + 8) / 4) * 4) >> level;
          const hh = (Math.ceil((reg.height + 8) / 4) * 4) >> level;
          const got = await m.readTexture(reg.texture, {
            mipLevel: level,
            origin: [x0 >> level, y0 >> level, reg.layer],
            size: [w, hh],
          });
          const want = solid(w, hh, colours[i]!);
          if (got.some((v, k) => Math.abs(v - want[k]!) > 1)) bad++;
        }
      }
      const pages = atlas.pages;
      const textures = m.stats().byKind.texture.count;
      m.dispose();
      return { bad, pages, layers: [...layers].sort(), textures };
    });
    expect(r.pages).toBeGreaterThan(1);
    expect(r.layers.length).toBe(r.pages);
    expect(r.textures).toBe(1);
    expect(r.bad).toBe(0);
  });

  it.each(['textures', 'layers'] as const)(
    "pages: '%s': compaction empties the last pages into the first (GL copies between pages)",
    async (pages) => {
      const r = await harness.page.evaluate(async (pages) => {
        const load = new Function('path', 'return import(path)') as (path: string) => Promise<unknown>;
        const { createAtlas } = (await load(
          '/src/atlas/index.ts',
        )) as typeof import('../../src/atlas/index.ts');
        const m = window.lib.createResourceManager({ gl: window.sharedGL() });
        const atlas = createAtlas(m, {
          label: `gl shrink ${pages}`,
          pageSize: 64,
          padding: 0,
          maxPages: 3,
          pages,
        });
        const pattern = (seed: number) => {
          const out = new Uint8Array(16 * 16 * 4);
          for (let i = 0; i < 256; i++) out.set([seed, i & 255, (i * 3) & 255, 255], i * 4);
          return out;
        };
        const live = new Map<number, Uint8Array>();
        for (let i = 0; i < 40; i++)
          live.set(atlas.add({ width: 16, height: 16, data: pattern(i) }), pattern(i));
        const pagesBefore = atlas.pages;
        [...live.keys()]
          .filter((_, i) => i % 10 >= 3)
          .forEach((h) => {
            atlas.remove(h as never);
            live.delete(h);
          });
        const moved = atlas.compact().length;
        atlas.flush();
        let bad = 0;
        for (const [h, data] of live) {
          const reg = atlas.region(h as never);
          const got = await m.readTexture(reg.texture, { origin: [reg.x, reg.y, reg.layer], size: [16, 16] });
          if (got.some((v, k) => v !== data[k])) bad++;
        }
        const result = {
          pagesBefore,
          pagesAfter: atlas.pages,
          moved,
          bad,
          textures: m.stats().byKind.texture.count,
        };
        m.dispose();
        return result;
      }, pages);
      expect(r.pagesBefore).toBe(3);
      expect(r.pagesAfter).toBe(1);
      expect(r.moved).toBeGreaterThan(0);
      expect(r.textures).toBe(1);
      expect(r.bad).toBe(0);
    },
  );
});
