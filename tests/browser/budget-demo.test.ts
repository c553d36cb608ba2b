/**
 * The stress page's budget slider, on WebGPU and on WebGL2: lowering the lab's budget makes its manager evict
 * (resident bytes at or under the budget, evicted bytes and re-uploads rising), and the lab's own overlay shows
 * the budget and the evicted bytes the manager counts.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StressHook } from '../../demos/stress/hook.ts';
import { formatBytes } from '../../src/overlay/format.ts';
import { type BrowserSession, requireWebGPUAdapter } from '../support/browser.ts';
import { eventually, openDemo, startDemoSession } from './demo-session.ts';

let session: BrowserSession;
beforeAll(async () => {
  session = await startDemoSession();
}, 120_000);
afterAll(async () => {
  await session?.close();
});

const labFrames = (page: Page) =>
  page.evaluate(() => (window.__demo as StressHook).budgetLab.figures().frames);

describe.each([
  { backend: 'webgpu', path: '/demos/stress/' },
  { backend: 'webgl2', path: '/demos/stress/?backend=webgl2' },
])('stress demo: budget slider ($backend)', ({ backend, path }) => {
  it('a lower budget evicts, stays within it, and the lab overlay shows the evicted bytes', async () => {
    const { page, errors } = await openDemo(session, path);
    if (backend === 'webgpu') console.log(`[demo] ${await requireWebGPUAdapter(page)}`);
    await page.evaluate(() => (window.__demo as StressHook).stop()); // the churn is not under test here
    const budget = 4 * 2 ** 20; // a quarter of the lab's 16 MiB of textures
    await page.evaluate((bytes) => (window.__demo as StressHook).budgetLab.setBudget(bytes), budget);
    const start = await labFrames(page);
    await eventually(
      () => labFrames(page),
      (n) => n > start + 120,
      { what: 'lab frames', timeoutMs: 30_000 },
    );
    const r = await page.evaluate(() => {
      const lab = (window.__demo as StressHook).budgetLab;
      const figures = lab.figures();
      lab.overlay.refresh();
      const root = lab.overlay.element.shadowRoot!;
      const text = (stat: string) => root.querySelector(`[data-stat="${stat}"]`)!.textContent;
      return {
        figures,
        shown: {
          managerBudget: text('managerBudget'),
          evictedBytes: text('evictedBytes'),
          slider: document.getElementById('budget-value')!.textContent,
        },
      };
    });
    console.log(`[budget demo ${backend}] ${JSON.stringify(r.figures)}`);
    expect(r.figures.budgetBytes).toBe(budget);
    expect(r.figures.residentBytes).toBeLessThanOrEqual(budget);
    expect(r.figures.evictions).toBeGreaterThan(0);
    expect(r.figures.evictedBytes).toBeGreaterThan(0);
    expect(r.figures.reuploadedBytes).toBeGreaterThan(0);
    expect(r.shown).toEqual({
      managerBudget: formatBytes(budget),
      evictedBytes: formatBytes(r.figures.evictedBytes),
      slider: formatBytes(budget),
    });
    expect(await page.evaluate(() => (window.__demo as StressHook).gpuErrors)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
