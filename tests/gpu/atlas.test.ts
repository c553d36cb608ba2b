import { describe, expect, it } from 'vitest';
import { AtlasError } from '../../src/atlas/atlas-error.ts';
import { createAtlas } from '../../src/atlas/create-atlas.ts';
import type { AtlasRegionHandle, TextureAtlas } from '../../src/atlas/texture-atlas.ts';
import { createResourceManager } from '../../src/index.ts';
import { useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();

/** rgba8 texels where every texel differs: (seed, x, y, 255). */
function pattern(width: number, height: number, seed: number): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++)
      out.set([seed & 255, (x * 7 + seed) & 255, (y * 13 + seed) & 255, 255], (y * width + x) * 4);
  }
  return out;
}

function solid(width: number, height: number, rgba: readonly number[]): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) out.set(rgba, i * 4);
  return out;
}

async function readRegion(
  atlas: TextureAtlas,
  manager: ReturnType<typeof createResourceManager>,
  h: AtlasRegionHandle,
) {
  const r = atlas.region(h);
  return manager.readTexture(r.texture, { origin: [r.x, r.y, r.layer], size: [r.width, r.height] });
}

describe('createAtlas on Dawn', () => {
  it('uploads regions through the staging belt; pixels, gutters and uv are right', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const atlas = createAtlas(manager, { label: 'sprites', pageSize: 128, padding: 2 });
    const sizes = [
      [10, 7],
      [33, 12],
      [5, 40],
      [20, 20],
    ] as const;
    const handles = sizes.map(([w, h], i) => atlas.add({ width: w, height: h, data: pattern(w, h, 40 + i) }));
    expect(manager.stagingStats().upload.pendingCopies).toBe(sizes.length);
    atlas.flush();
    for (const [i, h] of handles.entries()) {
      const [w, hh] = sizes[i]!;
      expect(await readRegion(atlas, manager, h)).toEqual(pattern(w, hh, 40 + i));
      const r = atlas.region(h);
      expect(r.uv).toEqual([r.x / 128, r.y / 128, (r.x + w) / 128, (r.y + hh) / 128]);
      // The gutter row above the region is cleared.
      const above = await manager.readTexture(r.texture, { origin: [r.x, r.y - 1], size: [w, 1] });
      expect(above).toEqual(new Uint8Array(w * 4));
    }
    manager.dispose();
  });

  it('compaction moves regions with GPU copies: pixels follow, handles keep resolving, moved is emitted', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const atlas = createAtlas(manager, { label: 'glyphs', pageSize: 128, padding: 1, autoCompact: false });
    const live = new Map<AtlasRegionHandle, Uint8Array>();
    const removed: AtlasRegionHandle[] = [];
    let seed = 1;
    for (let i = 0; i < 60; i++) {
      const w = 4 + ((i * 7) % 13);
      const h = 6 + ((i * 5) % 11);
      const data = pattern(w, h, seed++);
      live.set(atlas.add({ width: w, height: h, data }), data);
    }
    for (const [h] of [...live].filter((_, i) => i % 3 === 0)) {
      atlas.remove(h);
      live.delete(h);
      removed.push(h);
    }
    const before = new Map([...live.keys()].map((h) => [h, atlas.region(h)]));
    const events: AtlasRegionHandle[][] = [];
    atlas.on('moved', ({ regions }) => events.push([...regions]));
    const moved = atlas.compact();
    expect(moved.length).toBeGreaterThan(0);
    expect(events).toEqual([moved]);
    for (const h of moved) expect(atlas.region(h)).not.toEqual(before.get(h));
    for (const [h, r] of before) if (!moved.includes(h)) expect(atlas.region(h)).toEqual(r);
    atlas.flush();
    for (const [h, data] of live) expect(await readRegion(atlas, manager, h)).toEqual(data);
    for (const h of removed) expect(() => atlas.region(h)).toThrow(AtlasError);
    expect(atlas.stats().moved).toBe(moved.length);
    manager.dispose();
  });

  it('write replaces pixels in place; a throwing moved listener does not break the books', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const atlas = createAtlas(manager, {
      label: 'writes',
      pageSize: 64,
      padding: 1,
      extrude: true,
      autoCompact: false,
    });
    const a = atlas.add({ width: 6, height: 5, data: pattern(6, 5, 1) });
    const b = atlas.add({ width: 7, height: 3, data: pattern(7, 3, 2) });
    const where = atlas.region(a);
    atlas.write(a, pattern(6, 5, 99));
    expect(atlas.region(a)).toEqual(where);
    atlas.flush();
    expect(await readRegion(atlas, manager, a)).toEqual(pattern(6, 5, 99));
    // Extruded: the gutter texel left of the first row repeats the first texel.
    const left = await manager.readTexture(where.texture, { origin: [where.x - 1, where.y], size: [1, 1] });
    expect([...left]).toEqual([...pattern(6, 5, 99).subarray(0, 4)]);
    expect(() => atlas.write(a, new Uint8Array(3))).toThrow(AtlasError);
    atlas.remove(a);
    const seen: number[] = [];
    atlas.on('moved', () => {
      throw new Error('listener bug');
    });
    atlas.on('moved', ({ regions }) => seen.push(regions.length));
    expect(() => atlas.compact()).toThrow('listener bug');
    expect(seen).toEqual([1]); // the second listener still ran
    atlas.flush();
    expect(await readRegion(atlas, manager, b)).toEqual(pattern(7, 3, 2));
    expect(atlas.stats()).toMatchObject({ regions: 1, moved: 1 });
    manager.dispose();
  });

  it('an add the manager refuses (disposed) leaves no region behind', () => {
    const manager = createResourceManager({ device: gpu.device });
    const atlas = createAtlas(manager, { label: 'late', pageSize: 32 });
    manager.dispose();
    expect(() => atlas.add({ width: 4, height: 4 })).toThrow();
    expect(atlas.stats().regions).toBe(0);
  });

  it('budgeted compaction copies at most maxPixelsPerFrame texels per call and keeps pixels right', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const atlas = createAtlas(manager, { label: 'budget', pageSize: 64, padding: 0, autoCompact: false });
    const live = new Map<AtlasRegionHandle, Uint8Array>();
    for (let i = 0; i < 40; i++) {
      const data = pattern(8, 8, i);
      live.set(atlas.add({ width: 8, height: 8, data }), data);
    }
    for (const [h] of [...live].filter((_, i) => i % 2 === 0 || i < 10)) {
      atlas.remove(h);
      live.delete(h);
    }
    const moved = atlas.compact({ maxPixelsPerFrame: 3 * 64 });
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.length).toBeLessThanOrEqual(3);
    atlas.flush();
    for (const [h, data] of live) expect(await readRegion(atlas, manager, h)).toEqual(data);
    manager.dispose();
  });

  it('adds pages up to maxPages (each a labelled texture in the ledger), then throws naming the atlas', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const texturesBefore = manager.stats().byKind.texture.count;
    const atlas = createAtlas(manager, { label: 'icons', pageSize: 64, padding: 0, maxPages: 3 });
    expect(manager.stats().byKind.texture.count).toBe(texturesBefore + 1);
    const handles: AtlasRegionHandle[] = [];
    for (let i = 0; i < 12; i++)
      handles.push(atlas.add({ width: 32, height: 32, data: solid(32, 32, [i, 0, 0, 255]) }));
    expect(atlas.pages).toBe(3);
    expect(manager.stats().byKind.texture.count).toBe(texturesBefore + 3);
    expect(manager.stats().byKind.texture.bytes).toBe(3 * 64 * 64 * 4);
    expect(atlas.stats()).toMatchObject({ pages: 3, regions: 12, fill: 1, bytes: 3 * 64 * 64 * 4 });
    expect(() => atlas.add({ width: 32, height: 32 })).toThrow(
      /'icons': add = \{"width":32,"height":32\} is invalid: does not fit: 3 page\(s\)/,
    );
    expect(atlas.stats().regions).toBe(12);
    expect(() => atlas.add({ width: 65, height: 1 })).toThrow(AtlasError);
    atlas.flush();
    for (const [i, h] of handles.entries()) {
      expect(await readRegion(atlas, manager, h)).toEqual(solid(32, 32, [i, 0, 0, 255]));
    }
    const labels = manager.toJSON().resources.map((r: { label: string }) => r.label);
    expect(labels).toEqual(expect.arrayContaining(['icons page 0', 'icons page 1', 'icons page 2']));
    atlas.destroy();
    expect(manager.stats().byKind.texture.count).toBe(texturesBefore);
    expect(() => atlas.region(handles[0]!)).toThrow(/disposed/);
    manager.dispose();
  });

  it('autoCompact makes room in a page before adding one', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const atlas = createAtlas(manager, { label: 'auto', pageSize: 64, padding: 0, maxPages: 2 });
    const handles = Array.from({ length: 16 }, (_, i) =>
      atlas.add({ width: 16, height: 16, data: solid(16, 16, [i, 1, 2, 255]) }),
    );
    atlas.remove(handles[0]!);
    atlas.remove(handles[5]!);
    const moved: AtlasRegionHandle[] = [];
    atlas.on('moved', ({ regions }) => moved.push(...regions));
    const wide = atlas.add({ width: 32, height: 16, data: solid(32, 16, [9, 9, 9, 255]) });
    expect(atlas.pages).toBe(1);
    expect(moved.length).toBeGreaterThan(0);
    atlas.flush();
    expect(await readRegion(atlas, manager, wide)).toEqual(solid(32, 16, [9, 9, 9, 255]));
    for (const [i, h] of handles.entries()) {
      if (i === 0 || i === 5) continue;
      expect(await readRegion(atlas, manager, h)).toEqual(solid(16, 16, [i, 1, 2, 255]));
    }
    manager.dispose();
  });

  it("pages: 'layers' keeps one array texture and copies the old layers when it grows", async () => {
    const manager = createResourceManager({ device: gpu.device });
    const atlas = createAtlas(manager, {
      label: 'layered',
      pageSize: 32,
      padding: 0,
      pages: 'layers',
      maxPages: 3,
    });
    const handles = Array.from({ length: 9 }, (_, i) =>
      atlas.add({ width: 16, height: 16, data: solid(16, 16, [i, 3, 4, 255]) }),
    );
    expect(atlas.pages).toBe(3);
    expect(atlas.region(handles[8]!)).toMatchObject({ page: 2, layer: 2 });
    expect(manager.stats().byKind.texture.count).toBe(1);
    atlas.flush();
    for (const [i, h] of handles.entries())
      expect(await readRegion(atlas, manager, h)).toEqual(solid(16, 16, [i, 3, 4, 255]));
    manager.dispose();
  });

  it.each(['textures', 'layers'] as const)(
    "pages: '%s': compaction empties the last pages into the first and frees them",
    async (pages) => {
      const manager = createResourceManager({ device: gpu.device });
      const atlas = createAtlas(manager, {
        label: `shrink ${pages}`,
        pageSize: 64,
        padding: 0,
        maxPages: 3,
        pages,
      });
      const live = new Map<AtlasRegionHandle, Uint8Array>();
      for (let i = 0; i < 40; i++) {
        const data = pattern(16, 16, i);
        live.set(atlas.add({ width: 16, height: 16, data }), data);
      }
      expect(atlas.pages).toBe(3);
      // Keep 12 of 40: they fit one page of 16.
      for (const [h] of [...live].filter((_, i) => i % 10 >= 3)) {
        atlas.remove(h);
        live.delete(h);
      }
      const moved = atlas.compact();
      expect(moved.length).toBeGreaterThan(0);
      expect(atlas.pages).toBe(1);
      expect(atlas.stats()).toMatchObject({ pages: 1, regions: 12, bytes: 64 * 64 * 4 });
      expect(manager.stats().byKind.texture.count).toBe(1);
      for (const h of live.keys()) expect(atlas.region(h).page).toBe(0);
      atlas.flush();
      for (const [h, data] of live) expect(await readRegion(atlas, manager, h)).toEqual(data);
      manager.dispose();
    },
  );

  it('mipmaps: levels are generated on the GPU, never mix neighbouring regions, and move with compaction', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const atlas = createAtlas(manager, {
      label: 'mipped',
      pageSize: 64,
      padding: 1,
      mipLevelCount: 3,
      extrude: true,
      autoCompact: false,
    });
    const colours = [
      [255, 0, 0, 255],
      [0, 255, 0, 255],
      [0, 0, 255, 255],
      [255, 255, 0, 255],
      [0, 255, 255, 255],
      [255, 0, 255, 255],
    ];
    const handles = colours.map((c, i) => atlas.add({ width: 5 + i, height: 7, data: solid(5 + i, 7, c) }));
    atlas.flush();
    const gutter = 4; // raised to 2^(levels - 1)
    const check = async (indices: number[]) => {
      for (const i of indices) {
        const r = atlas.region(handles[i]!);
        // The whole allocation (content + extruded gutter) is one colour, aligned to 4 texels: every texel of
        // it at levels 1 and 2 must be exactly that colour.
        const x0 = r.x - gutter;
        const y0 = r.y - gutter;
        expect(x0 % 4).toBe(0);
        expect(y0 % 4).toBe(0);
        for (const level of [1, 2]) {
          const w = Math.ceil((r.width + 2 * gutter) / 4) * (4 >> level);
          const h = Math.ceil((r.height + 2 * gutter) / 4) * (4 >> level);
          const texels = await manager.readTexture(r.texture, {
            mipLevel: level,
            origin: [x0 >> level, y0 >> level],
            size: [w, h],
          });
          expect(texels).toEqual(solid(w, h, colours[i]!));
        }
      }
    };
    await check([0, 1, 2, 3, 4, 5]);
    atlas.remove(handles[0]!);
    atlas.remove(handles[2]!);
    const moved = atlas.compact();
    expect(moved.length).toBeGreaterThan(0);
    // No flush with new uploads in between: the levels were moved by the copies, not regenerated.
    await check([1, 3, 4, 5]);
    manager.dispose();
  });

  it('hostile options and requests (throwing getters, Proxies, Symbols) are typed errors', () => {
    const manager = createResourceManager({ device: gpu.device });
    const count = manager.stats().byKind.texture.count;
    const throwing = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap');
        },
      },
    );
    expect(() => createAtlas(manager, throwing)).toThrow(AtlasError);
    expect(() => createAtlas(manager, { label: Symbol('x') as never })).toThrow(AtlasError);
    expect(() => createAtlas(manager, { pageSize: [64] as never })).toThrow(/pageSize = \[64\] is invalid/);
    expect(() => createAtlas(manager, 7 as never)).toThrow(/options = 7 is invalid/);
    expect(manager.stats().byKind.texture.count).toBe(count);
    const atlas = createAtlas(manager, { label: 'hostile', pageSize: 32 });
    expect(() => atlas.add(throwing as never)).toThrow(AtlasError);
    expect(() => atlas.add({ width: Symbol('w') as never, height: 4 })).toThrow(
      /width = Symbol\(w\) is invalid/,
    );
    expect(() => atlas.remove(Symbol('h') as never)).toThrow(AtlasError);
    expect(() => atlas.compact(throwing as never)).toThrow(AtlasError);
    expect(() => atlas.on('moved', 5 as never)).toThrow(/listener = 5 is invalid/);
    expect(atlas.stats().regions).toBe(0);
    manager.dispose();
  });

  it('rejects bad options and requests with typed errors that change nothing', () => {
    const manager = createResourceManager({ device: gpu.device });
    const count = manager.stats().byKind.texture.count;
    expect(() => createAtlas(manager, { pageSize: 0 })).toThrow(/pageSize = 0 is invalid/);
    expect(() => createAtlas(manager, { format: 'depth24plus' })).toThrow(
      /format = "depth24plus" is invalid/,
    );
    expect(() => createAtlas(manager, { format: 'bc1-rgba-unorm' })).toThrow(AtlasError);
    expect(() => createAtlas(manager, { pages: 'cube' as never })).toThrow(/pages = "cube" is invalid/);
    expect(() => createAtlas(manager, { mipLevelCount: 4, pageSize: 30 })).toThrow(
      /multiple of 2\^\(mipLevelCount - 1\) = 8/,
    );
    expect(() => createAtlas(manager, { pageSize: 16384 })).toThrow(/maxTextureDimension2D/);
    expect(manager.stats().byKind.texture.count).toBe(count);
    const atlas = createAtlas(manager, { label: 'strict', pageSize: 32 });
    expect(() => atlas.add({ width: 4, height: 4, data: new Uint8Array(10) })).toThrow(
      /data.byteLength = 10 is invalid: must be at least 4 x 4 x 4 = 64/,
    );
    expect(() => atlas.add({ width: 4.5, height: 4 })).toThrow(/width = 4.5 is invalid/);
    expect(() => atlas.add(null as never)).toThrow(AtlasError);
    expect(() => atlas.region(12345 as AtlasRegionHandle)).toThrow(/'strict': region = 12345 is invalid/);
    expect(atlas.stats().regions).toBe(0);
    expect(manager.stagingStats().upload.pendingCopies).toBe(0);
    manager.dispose();
  });
});
