/**
 * The render-targets demo builds its sampler, layouts, bind groups and pipelines through the manager on both
 * backends (WebGPU and `?backend=webgl2`): the ledger counts them, the overlay lists them with those counts,
 * and a resize replaces the post-process bind group (the old one, which named the old resolve texture, is
 * gone, so the old targets could be destroyed).
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderTargetsHook } from '../../demos/render-targets/hook.ts';
import type { ManagerStats } from '../../src/manager/resource-manager.ts';
import type { BrowserSession } from '../support/browser.ts';
import { eventually, openDemo, startDemoSession } from './demo-session.ts';
import { readOverlay } from './overlay-dom.ts';

let session: BrowserSession;
beforeAll(async () => {
  session = await startDemoSession();
});
afterAll(async () => {
  await session?.close();
});

const KINDS = ['sampler', 'bindGroupLayout', 'pipelineLayout', 'bindGroup', 'renderPipeline'] as const;

async function counts(page: Page) {
  return page.evaluate(async (kinds) => {
    const hook = window.__demo as RenderTargetsHook;
    await hook.manager.idle();
    const stats = hook.manager.stats() as ManagerStats;
    const labels = hook.manager
      .toJSON()
      .resources.filter((r) => r.kind === 'bindGroup')
      .map((r) => r.label)
      .sort();
    return {
      byKind: Object.fromEntries(kinds.map((k) => [k, stats.byKind[k]])),
      bindGroups: labels,
    };
  }, KINDS);
}

describe('render-targets demo: the new kinds go through the manager', () => {
  // WebGPU: the scene's bind group and its 'auto' layout, the post-process's layout, pipeline layout and group.
  // WebGL2: the post-process's layout, pipeline layout and group (the scene's numbers are plain GLSL uniforms).
  const expected = {
    webgpu: { bindGroupLayout: 2, bindGroup: 2, path: '/demos/render-targets/' },
    webgl2: { bindGroupLayout: 1, bindGroup: 1, path: '/demos/render-targets/?backend=webgl2' },
  } as const;
  for (const [backend, e] of Object.entries(expected)) {
    it(`${backend}: counted by the ledger, listed by the overlay, the post-process bind group replaced on resize`, async () => {
      const { page, errors } = await openDemo(session, e.path);
      await page.waitForFunction(() => (window.__demo as RenderTargetsHook).frames() > 3);
      const first = await counts(page);
      expect(first.byKind).toEqual({
        sampler: { bytes: 0, count: 1 },
        bindGroupLayout: { bytes: 0, count: e.bindGroupLayout },
        pipelineLayout: { bytes: 0, count: 1 },
        bindGroup: { bytes: 0, count: e.bindGroup },
        renderPipeline: { bytes: 0, count: 2 },
      });
      const viewport = page.viewport()!;
      expect(first.bindGroups).toContain(`post-process ${viewport.width}x${viewport.height}`);
      await eventually(
        () => readOverlay(page),
        (shown) => KINDS.every((k) => shown?.kinds[k]?.count === String(first.byKind[k]!.count)),
        { what: 'the overlay to list the sampler, layouts, bind groups and pipelines with their counts' },
      );

      await page.setViewport({ width: 640, height: 480 });
      await eventually(
        () => counts(page),
        (c) => c.bindGroups.includes('post-process 640x480'),
        { what: 'a post-process bind group over the resized targets' },
      );
      const second = await counts(page);
      expect(second.byKind).toEqual(first.byKind);
      expect(second.bindGroups).not.toContain(`post-process ${viewport.width}x${viewport.height}`);
      expect(await page.evaluate(() => (window.__demo as RenderTargetsHook).gpuErrors)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
