/**
 * The render-targets demo's "Lose the device" button, on WebGPU and on WebGL2: pressing it loses the device
 * (device.destroy()) or the context (WEBGL_lose_context); the manager restores every handle and the page draws
 * the same picture again without a reload (the canvas read back and compared before and after); the overlay
 * shows the restore; the frame loop keeps going and no GPU error is reported.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderTargetsHook } from '../../demos/render-targets/hook.ts';
import type { PixelSummary } from '../../demos/render-targets/pixels.ts';
import { type BrowserSession, requireWebGPUAdapter } from '../support/browser.ts';
import { eventually, openDemo, startDemoSession } from './demo-session.ts';

let session: BrowserSession;
beforeAll(async () => {
  session = await startDemoSession();
}, 120_000);
afterAll(async () => {
  await session?.close();
});

const capture = (page: Page, time: number): Promise<PixelSummary> =>
  page.evaluate((t) => (window.__demo as RenderTargetsHook).capture(t), time);

/** The handles the manager holds, by kind and number (what must survive the loss unchanged). */
const handles = (page: Page): Promise<string> =>
  page.evaluate(() =>
    JSON.stringify(
      [...(window.__demo as RenderTargetsHook).manager.resources()]
        .map((r) => `${r.kind}:${r.handle}:${r.state}`)
        .sort(),
    ),
  );

describe.each([
  { backend: 'webgpu', path: '/demos/render-targets/' },
  { backend: 'webgl2', path: '/demos/render-targets/?backend=webgl2' },
])('render-targets demo: lose the device ($backend)', ({ backend, path }) => {
  it('the scene comes back under the same handles without a reload, and the overlay shows the restore', async () => {
    const { page, errors } = await openDemo(session, path);
    if (backend === 'webgpu') console.log(`[demo] ${await requireWebGPUAdapter(page)}`);
    const before = await capture(page, 1.25);
    expect(before.litFraction).toBeGreaterThan(0.05); // a real picture, not a blank canvas
    const handlesBefore = await handles(page);
    const deviceBefore = await page.evaluateHandle(() => (window.__demo as RenderTargetsHook).device);

    // Press the button itself, then wait for the restore it starts.
    await page.evaluate(() => {
      const root = document.querySelector('[data-gpu-handles-overlay]');
      if (!root) throw new Error('no overlay');
      document.getElementById('lose-device')!.click();
    });
    await eventually(
      () => page.evaluate(() => (window.__demo as RenderTargetsHook).restores()),
      (n) => n === 1,
      { what: 'the restore after the button press', timeoutMs: 30_000 },
    );
    const framesAfterRestore = await page.evaluate(() => (window.__demo as RenderTargetsHook).frames());
    await eventually(
      () => page.evaluate(() => (window.__demo as RenderTargetsHook).frames()),
      (n) => n > framesAfterRestore + 3,
      { what: 'frames drawn after the restore' },
    );
    const after = await capture(page, 1.25);
    expect(after).toEqual(before); // the same picture, pixel checksum included
    expect(await handles(page)).toBe(handlesBefore); // same handles, all live
    if (backend === 'webgpu') {
      const sameDevice = await page.evaluate(
        (d) => d === (window.__demo as RenderTargetsHook).device,
        deviceBefore,
      );
      expect(sameDevice).toBe(false); // drawn on a new device
    }
    const shown = await page.evaluate(() => {
      const hook = window.__demo as RenderTargetsHook;
      hook.overlay.refresh();
      const root = document.querySelector('[data-gpu-handles-overlay]')!.shadowRoot!;
      return {
        lastRestore: root.querySelector('[data-stat="lastRestore"]')!.textContent,
        info: document.getElementById('restore-info')!.textContent,
      };
    });
    console.log(`[demo ${backend}] overlay: last restore ${shown.lastRestore}; page: ${shown.info}`);
    expect(shown.lastRestore).toMatch(/^\d+ in \d+ ms/);
    expect(shown.info).toMatch(/^restored \d+ resources in \d+ ms \(restore #1\)$/);

    // The hook's loseDevice() does the same and reports it; a second restore works as the first.
    const summary = await page.evaluate(() => (window.__demo as RenderTargetsHook).loseDevice());
    console.log(
      `[demo ${backend}] second restore: ${summary.restored} resources in ${summary.durationMs.toFixed(0)} ms (loss to restored ${summary.lossToRestoredMs.toFixed(0)} ms); empty: ${summary.empty.join(', ')}`,
    );
    expect(summary.failed).toEqual([]);
    expect(await capture(page, 1.25)).toEqual(before);
    expect(await page.evaluate(() => (window.__demo as RenderTargetsHook).gpuErrors)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
