/**
 * The atlas demo on both backends: text drawn on the GPU from the glyph atlas equals the same glyph bitmaps
 * pasted on the CPU, before and after compaction moved the regions (handles unchanged); deleted text frees
 * glyphs; sprite churn adds pages only up to the limit; the overlay counts the pages' bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AtlasHook } from '../../demos/atlas/hook.ts';
import { type BrowserSession, requireWebGPUAdapter } from '../support/browser.ts';
import { openDemo, startDemoSession } from './demo-session.ts';

let session: BrowserSession;
beforeAll(async () => {
  session = await startDemoSession();
});
afterAll(async () => {
  await session?.close();
});

/** Texels (bytes) that differ by more than 2 between the GPU picture and the CPU reference. */
async function textDifference(page: import('puppeteer-core').Page) {
  return page.evaluate(async () => {
    const hook = window.__demo as AtlasHook;
    const gpu = await hook.renderedText();
    const cpu = hook.referenceText();
    let differing = 0;
    let inked = 0;
    for (let i = 0; i < cpu.texels.length; i++) {
      if (Math.abs(gpu.texels[i]! - cpu.texels[i]!) > 2) differing++;
      if (i % 4 === 3 && cpu.texels[i]! > 0) inked++;
    }
    return { differing, inked, length: gpu.texels.length === cpu.texels.length };
  });
}

describe('atlas demo', () => {
  it.each(['webgpu', 'webgl2'] as const)(
    'on %s: text from the atlas matches the glyphs drawn directly, before and after compaction',
    async (backend) => {
      const { page, errors } = await openDemo(session, `/demos/atlas/?backend=${backend}`);
      console.log(`[browser] WebGPU adapter: ${await requireWebGPUAdapter(page)}`);
      await page.evaluate(() =>
        (window.__demo as AtlasHook).setText('Atlas handles: glyphs move, text stays. 0123456789'),
      );
      const before = await textDifference(page);
      expect(before.length).toBe(true);
      expect(before.inked).toBeGreaterThan(1000);
      expect(before.differing).toBe(0);

      // Delete most of the text (frees glyphs), type new text (new glyphs land in the holes), then compact.
      const churn = await page.evaluate(async () => {
        const hook = window.__demo as AtlasHook;
        const full = hook.glyphs.stats().regions;
        await hook.setText('xyz');
        const afterDelete = hook.glyphs.stats().regions;
        await hook.setText('Compaction keeps every handle: WAVY Quartz jumps! #42 & Co.');
        const handlesBefore = await Promise.resolve(hook.glyphs.stats().regions);
        const moved = await hook.compact();
        return {
          full,
          afterDelete,
          handlesBefore,
          moved,
          regionsAfter: hook.glyphs.stats().regions,
          counts: hook.moved(),
        };
      });
      expect(churn.afterDelete).toBeLessThan(churn.full);
      expect(churn.afterDelete).toBe(3 * 3); // x, y, z at three sizes
      expect(churn.moved).toBeGreaterThan(0);
      expect(churn.regionsAfter).toBe(churn.handlesBefore);
      const after = await textDifference(page);
      expect(after.inked).toBeGreaterThan(1000);
      expect(after.differing).toBe(0);

      const state = await page.evaluate(() => {
        const hook = window.__demo as AtlasHook;
        const { texture: textures, atlasRegion } = hook.manager.stats().byKind;
        return {
          glyphBytes: hook.glyphs.stats().bytes,
          spriteBytes: hook.sprites.stats().bytes,
          textureBytes: textures.bytes,
          regions: atlasRegion,
          atlasRegions: hook.glyphs.stats().regions + hook.sprites.stats().regions,
          buffers: [...hook.manager.resources()].filter((r) => r.kind === 'buffer').map((r) => r.label),
          gpuErrors: hook.gpuErrors,
        };
      });
      // Regions are manager resources of 0 bytes; the text renderer's buffers are the manager's too.
      expect(state.regions).toEqual({ bytes: 0, count: state.atlasRegions });
      expect(state.buffers).toContain('atlas text quads');
      // Pages are manager textures: the ledger holds them (plus the 640 x 256 text target).
      expect(state.textureBytes).toBe(state.glyphBytes + state.spriteBytes + 640 * 256 * 4);
      expect(state.gpuErrors).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it('sprite churn with automatic compaction stays within maxPages and keeps every sprite resolvable', async () => {
    const { page, errors } = await openDemo(session, '/demos/atlas/?backend=webgpu');
    const r = await page.evaluate(async () => {
      const hook = window.__demo as AtlasHook;
      for (let i = 0; i < 6; i++) await hook.churnSprites();
      return {
        pages: hook.sprites.stats().pages,
        moved: hook.moved().sprites,
        regions: hook.sprites.stats().regions,
      };
    });
    expect(r.pages).toBeLessThanOrEqual(2);
    expect(r.regions).toBeGreaterThan(30);
    expect(errors).toEqual([]);
    await page.close();
  });
});
