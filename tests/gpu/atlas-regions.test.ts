/**
 * Atlas regions are a kind of the manager (`atlasRegion`, 0 bytes): the ledger, events, dumps, leaks and scopes
 * see them, and every way the manager destroys one frees its space in the atlas, as `atlas.remove` does. On Dawn.
 */
import { describe, expect, it } from 'vitest';
import { AtlasError } from '../../src/atlas/atlas-error.ts';
import { createAtlas } from '../../src/atlas/create-atlas.ts';
import type { AtlasRegionObject } from '../../src/atlas/region-kind.ts';
import { createResourceManager, StaleHandleError, ValidationError } from '../../src/index.ts';
import { useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();

describe('atlas regions as a kind of the manager', () => {
  it('are counted (0 bytes), labelled, announced, dumped and listed as leaks', () => {
    const manager = createResourceManager({ device: gpu.device });
    const events: string[] = [];
    manager.on('create', (r) => events.push(`create ${r.kind} ${r.label}`));
    manager.on('destroy', ({ record }) => events.push(`destroy ${record.kind} ${record.label}`));
    const atlas = createAtlas(manager, { label: 'glyphs', format: 'r8unorm', pageSize: 64, padding: 1 });
    const a = atlas.add({ width: 9, height: 14 });
    const b = atlas.add({ width: 3, height: 5, label: "glyph 'x'" });
    expect(manager.get(a)).toMatchObject({
      kind: 'atlasRegion',
      label: 'glyphs region',
      bytes: 0,
      state: 'live',
    });
    expect(manager.get(b)?.label).toBe("glyph 'x'");
    expect(manager.stats().byKind.atlasRegion).toEqual({ bytes: 0, count: 2 });
    expect(manager.gpu(a).atlas).toBe('glyphs');
    const { x, y } = atlas.region(b);
    const dumped = manager.toJSON().resources.find((r) => r.handle === b);
    expect(dumped).toMatchObject({
      kind: 'atlasRegion',
      bytes: 0,
      dependencies: [],
      descriptor: { atlas: 'glyphs', width: 3, height: 5, page: 0, x, y },
    });
    expect(JSON.parse(JSON.stringify(manager.toJSON())).resources).toHaveLength(3); // plain data
    expect(manager.leaks().map((l) => l.label)).toEqual(['glyphs page 0', 'glyphs region', "glyph 'x'"]);
    atlas.remove(a);
    expect(manager.has(a)).toBe(false);
    expect(manager.stats().byKind.atlasRegion.count).toBe(1);
    atlas.destroy();
    expect(manager.stats().byKind.atlasRegion.count).toBe(0);
    expect(events).toEqual([
      'create texture glyphs page 0',
      'create atlasRegion glyphs region',
      "create atlasRegion glyph 'x'",
      'destroy atlasRegion glyphs region',
      "destroy atlasRegion glyph 'x'",
      'destroy texture glyphs page 0',
    ]);
    manager.dispose();
  });

  it('manager.destroy, a scope ending and dispose free the space exactly as atlas.remove does', () => {
    const manager = createResourceManager({ device: gpu.device });
    const atlas = createAtlas(manager, {
      label: 'tiles',
      pageSize: 32,
      padding: 0,
      maxPages: 1,
      autoCompact: false,
    });
    const fill = () => Array.from({ length: 4 }, () => atlas.add({ width: 16, height: 16 }));
    let quarters = fill(); // the page is full
    expect(() => atlas.add({ width: 16, height: 16 })).toThrow(AtlasError);

    manager.destroy(quarters[1]!);
    expect(atlas.has(quarters[1]!)).toBe(false);
    expect(atlas.stats()).toMatchObject({ regions: 3, fill: 0.75 });
    expect(() => atlas.region(quarters[1]!)).toThrow(
      /'tiles': region = \d+ is invalid: must be a live region of this atlas \(.*was destroyed/,
    );
    quarters[1] = atlas.add({ width: 16, height: 16 }); // the space came back

    {
      using scope = manager.scope();
      scope.adopt(quarters[2]!);
    }
    expect(atlas.stats().regions).toBe(3);
    quarters[2] = atlas.add({ width: 16, height: 16 });

    atlas.remove(quarters[0]!);
    expect(() => manager.destroy(quarters[0]!)).toThrow(StaleHandleError); // one entry, one path
    expect(() => atlas.remove(quarters[0]!)).toThrow(AtlasError);
    quarters[0] = atlas.add({ width: 16, height: 16 });

    // The region object cannot free its space under a live handle.
    (manager.gpu(quarters[3]!) as AtlasRegionObject).release();
    expect(atlas.stats().regions).toBe(4);
    expect(() => atlas.add({ width: 16, height: 16 })).toThrow(AtlasError);

    manager.dispose();
    expect(atlas.stats()).toMatchObject({ regions: 0, fill: 0 });
    quarters = [];
  });

  it('handles that are not regions of this atlas are typed errors; compaction keeps handles and dumps follow', () => {
    const manager = createResourceManager({ device: gpu.device });
    const one = createAtlas(manager, { label: 'one', pageSize: 64, autoCompact: false });
    const two = createAtlas(manager, { label: 'two', pageSize: 64 });
    const theirs = two.add({ width: 4, height: 4 });
    expect(() => one.region(theirs)).toThrow(/region of another atlas \('two region'\)/);
    expect(() => one.remove(one.pageTexture(0) as never)).toThrow(/it names a texture \('one page 0'\)/);
    expect(one.has(theirs)).toBe(false);
    expect(two.has(theirs)).toBe(true);

    const first = one.add({ width: 20, height: 20 });
    const second = one.add({ width: 20, height: 20 });
    one.remove(first);
    const before = manager.toJSON().resources.find((r) => r.handle === second)!.descriptor;
    expect(one.compact()).toEqual([second]);
    const after = manager.toJSON().resources.find((r) => r.handle === second)!.descriptor;
    expect(after).not.toEqual(before);
    expect(after).toMatchObject({ x: one.region(second).x, y: one.region(second).y });
    manager.dispose();
  });

  it('createAtlasRegion validates any JS value and leaves nothing behind', () => {
    const manager = createResourceManager({ device: gpu.device });
    const region: AtlasRegionObject = {
      atlas: 'a',
      where: () => ({ page: 0, x: 0, y: 0 }),
      release: () => {},
    };
    const bad: unknown[] = [
      null,
      7,
      { width: 0, height: 1, region },
      { width: 1.5, height: 1, region },
      { width: '4', height: 4, region },
      { width: 4, height: 4 },
      { width: 4, height: 4, region: { atlas: 3, where() {}, release() {} } },
      { width: 4, height: 4, region, label: Symbol('l') },
      new Proxy(
        {},
        {
          get: () => {
            throw new Error('trap');
          },
        },
      ),
    ];
    for (const desc of bad) expect(() => manager.createAtlasRegion(desc as never)).toThrow(ValidationError);
    expect(manager.stats().byKind.atlasRegion.count).toBe(0);
    const h = manager.createAtlasRegion({ label: 'by hand', width: 4, height: 4, region });
    expect(manager.get(h)?.kind).toBe('atlasRegion');
    manager.dispose();
  });
});
