/**
 * The render-targets demo: the post-processed canvas is a real picture (read back by the demo from the canvas
 * texture), it changes when the window is resized, the targets are recreated through the manager with the
 * exact bytes, and the overlay's figures follow (manager bytes and the canvas's swap chain).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderTargetsHook } from '../../demos/render-targets/hook.ts';
import type { PixelSummary } from '../../demos/render-targets/pixels.ts';
import type { ManagerStats } from '../../src/manager/resource-manager.ts';
import { swapChainBytes } from '../../src/overlay/swap-chain.ts';
import { type BrowserSession, requireWebGPUAdapter, saveScreenshot } from '../support/browser.ts';
import { eventually, openDemo, startDemoSession } from './demo-session.ts';
import { expectedOverlay, readOverlay } from './overlay-dom.ts';

const BUDGET = 256 * 2 ** 20; // the demo's overlay budget
/** MSAA rgba8 colour (4 samples x 4 B) + resolve rgba8 (4 B) + 4x depth24plus (4 samples x 4 B), per pixel. */
const TARGET_BYTES_PER_PIXEL = 16 + 4 + 16;

let session: BrowserSession;
beforeAll(async () => {
  session = await startDemoSession();
});
afterAll(async () => {
  await session?.close();
});

const capture = (page: Page, time: number): Promise<PixelSummary> =>
  page.evaluate((t) => (window.__demo as RenderTargetsHook).capture(t), time);

/** Waits for deferred destroys to settle, then reads stats, target size and canvas format together. */
async function settledState(page: Page) {
  return page.evaluate(async () => {
    const hook = window.__demo as RenderTargetsHook;
    await hook.manager.idle();
    return {
      stats: hook.manager.stats() as ManagerStats,
      size: hook.targetSize(),
      format: hook.canvasFormat,
    };
  });
}

async function overlayShows(page: Page, width: number, height: number, format: string): Promise<void> {
  const swap = swapChainBytes({ width, height, format });
  await eventually(
    async () => {
      const { stats } = await settledState(page);
      return {
        shown: await readOverlay(page),
        expected: expectedOverlay(stats, { swapChainBytes: swap, canvasCount: 1, budgetBytes: BUDGET }),
      };
    },
    ({ shown, expected }) => isDeepStrictEqual(shown, expected),
    { what: `the overlay to show the manager's stats and a ${width}x${height} ${format} swap chain` },
  );
}

function expectPicture(summary: PixelSummary, width: number, height: number): void {
  expect(summary.width).toBe(width);
  expect(summary.height).toBe(height);
  // A blank or flat canvas has one colour and nothing lit; the scene has a dozen hues, gradients and a vignette.
  expect(summary.distinctColors).toBeGreaterThan(100);
  expect(summary.litFraction).toBeGreaterThan(0.25);
  expect(summary.center.slice(0, 3).some((channel) => channel > 100)).toBe(true); // the white centre triangle
}

describe('render-targets demo', () => {
  it('draws a real picture, and a resize recreates the targets through the manager and changes the picture', async () => {
    const { page, errors } = await openDemo(session, '/demos/render-targets/');
    console.log(`[browser] WebGPU adapter: ${await requireWebGPUAdapter(page)}`);
    await page.waitForFunction(() => (window.__demo as RenderTargetsHook).frames() > 3);

    const first = await settledState(page);
    const viewport = page.viewport()!;
    expect(first.size).toEqual({ width: viewport.width, height: viewport.height });
    expect(first.stats.byKind.texture).toEqual({
      bytes: viewport.width * viewport.height * TARGET_BYTES_PER_PIXEL,
      count: 3,
    });
    expect(first.stats.byKind.renderTarget.count).toBe(1);
    const before = await capture(page, 1.0);
    console.log(`[browser] before resize: ${JSON.stringify(before)}`);
    expectPicture(before, viewport.width, viewport.height);
    await overlayShows(page, viewport.width, viewport.height, first.format);
    await saveScreenshot(page, 'render-targets-before-resize');

    const resized = { width: 1000, height: 640 };
    await page.setViewport(resized);
    await eventually(
      () => page.evaluate(() => (window.__demo as RenderTargetsHook).targetSize()),
      (size) => isDeepStrictEqual(size, resized),
      { what: 'the targets to follow the new window size' },
    );
    expect(
      await page.evaluate(() => (window.__demo as RenderTargetsHook).recreations()),
    ).toBeGreaterThanOrEqual(2);

    const second = await settledState(page);
    // The old set is gone (not pending, not leaked); the new one is counted exactly.
    expect(second.stats.pendingFreeBytes).toBe(0);
    expect(second.stats.byKind.texture).toEqual({
      bytes: resized.width * resized.height * TARGET_BYTES_PER_PIXEL,
      count: 3,
    });
    expect(second.stats.byKind.renderTarget.count).toBe(1);
    expect(second.stats.destroyed).toBeGreaterThanOrEqual(first.stats.destroyed + 4);

    const after = await capture(page, 1.0);
    console.log(`[browser] after resize: ${JSON.stringify(after)}`);
    expectPicture(after, resized.width, resized.height);
    expect(after.checksum).not.toBe(before.checksum);
    await overlayShows(page, resized.width, resized.height, second.format);
    await saveScreenshot(page, 'render-targets-after-resize');

    expect(await page.evaluate(() => (window.__demo as RenderTargetsHook).gpuErrors)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
