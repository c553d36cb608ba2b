/**
 * The three.js demo in real Chromium: an unmodified three.js (WebGPURenderer on a tracked device, and
 * WebGLRenderer on a tracked WebGL2 context) loads with no console error, and the tracking manager's texture
 * and buffer bytes equal an independent count taken by prototype wrappers installed before the page loaded.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreeHook } from '../../demos/three/hook.ts';
import { type BrowserSession, requireWebGPUAdapter, saveScreenshot } from '../support/browser.ts';
import { installIndependentCount } from './three-independent-count.ts';

let session: BrowserSession;
beforeAll(async () => {
  session = await (await import('./demo-session.ts')).startDemoSession();
});
afterAll(async () => {
  await session?.close();
});

async function openThree(query: string): Promise<{ page: Page; errors: string[] }> {
  const page = await session.browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e instanceof Error ? e.message : String(e)}`));
  await page.evaluateOnNewDocument(installIndependentCount);
  await page.goto(`${session.origin}/demos/three/${query}`, { waitUntil: 'load' });
  await page.waitForFunction(
    () => window.__demo?.ready || window.__demo?.failure || window.__demo?.unavailable,
    {
      timeout: 90_000,
    },
  );
  const failure = await page.evaluate(() => window.__demo?.failure ?? window.__demo?.unavailable);
  if (failure) throw new Error(`three demo did not start: ${failure}; ${errors.join(' | ')}`);
  return { page, errors };
}

const figures = (page: Page) =>
  page.evaluate(async () => {
    const hook = window.__demo as ThreeHook;
    await hook.render();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const table = hook.compare();
    const row = (name: string) => table.rows.find((r) => r.name === name);
    return {
      ours: { textures: row('textures')?.ours ?? -1, buffers: row('buffers')?.ours ?? -1 },
      independent: { ...window.__independent },
      rows: table.rows,
      canvasBytes: table.canvasBytes,
      notes: hook.manager.trackingNotes(),
      gpuErrors: [...hook.gpuErrors],
    };
  });

describe('three.js, tracked', () => {
  for (const backend of ['webgpu', 'webgl2'] as const) {
    it(`${backend}: the ledger equals an independent count, the page loads clean`, async () => {
      const { page, errors } = await openThree(backend === 'webgpu' ? '' : '?backend=webgl2');
      console.log(`[browser] WebGPU adapter: ${await requireWebGPUAdapter(page)}`);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      let result = await figures(page);
      console.log(`[three ${backend}]`, JSON.stringify(result));
      expect(result.independent.unknown).toEqual([]);
      expect(result.ours).toEqual({
        textures: result.independent.textures,
        buffers: result.independent.buffers,
      });
      expect(result.ours.textures).toBeGreaterThan(0);
      // Add two meshes, remove one properly: the books still agree.
      await page.evaluate(() => {
        const hook = window.__demo as ThreeHook;
        hook.addMesh();
        hook.addMesh();
      });
      await figures(page);
      await page.evaluate(() => (window.__demo as ThreeHook).removeMesh(false));
      result = await figures(page);
      console.log(`[three ${backend} after add/remove]`, JSON.stringify(result.rows));
      expect(result.ours).toEqual({
        textures: result.independent.textures,
        buffers: result.independent.buffers,
      });
      expect(result.gpuErrors).toEqual([]);
      await saveScreenshot(page, `three-${backend}`);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
