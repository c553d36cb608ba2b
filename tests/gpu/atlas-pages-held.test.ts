/** The atlas owns its page textures: nobody else can destroy one while the atlas lives. On Dawn. */
import { describe, expect, it } from 'vitest';
import { createAtlas } from '../../src/atlas/create-atlas.ts';
import { createResourceManager, ResourceInUseError } from '../../src/index.ts';
import { useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();

describe('atlas pages are held', () => {
  it('destroying a page texture by hand is refused naming the atlas; atlas.destroy() frees every page', () => {
    const manager = createResourceManager({ device: gpu.device });
    const atlas = createAtlas(manager, { label: 'glyphs', pageSize: 64, padding: 1 });
    atlas.add({ width: 8, height: 8 });
    const page = atlas.pageTexture(0);
    const view = manager.createView(page);
    const before = manager.usageStats();
    expect(() => manager.destroy(page)).toThrow(ResourceInUseError);
    expect(() => manager.destroy(page, { cascade: true })).toThrow(/'glyphs page 0'.*atlas 'glyphs'/);
    expect(manager.usageStats()).toEqual(before);
    manager.destroy(view); // what depends on a page is the caller's own
    atlas.destroy();
    expect(manager.has(page)).toBe(false);
    expect(manager.stats().byKind.texture.count).toBe(0);
    manager.dispose();
  });

  it('dispose frees held pages too, and the regions (listed as leaks, their space freed in the atlas)', () => {
    const manager = createResourceManager({ device: gpu.device });
    const atlas = createAtlas(manager, { label: 'icons', pageSize: 64 });
    atlas.add({ width: 4, height: 4 });
    expect(manager.dispose().map((leak) => leak.label)).toEqual(['icons page 0', 'icons region']);
    expect(atlas.stats()).toMatchObject({ regions: 0, fill: 0, keptBytes: 0 });
  });
});
