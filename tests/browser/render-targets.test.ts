/**
 * The render-targets demo, on WebGPU and on WebGL2 (`?backend=webgl2`): the post-processed canvas is a real
 * picture (read back by the demo from the canvas), it changes when the window is resized, the targets are
 * recreated through the manager with the exact bytes, and the overlay's figures follow (manager bytes and the
 * canvas's swap chain).
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
/**
 * MSAA rgba8 colour (4 samples x 4 B) + resolve rgba8 (4 B) + 4x depth24plus (4 samples x 4 B), per pixel. The
 * same on WebGL2: an RGBA8 renderbuffer of 4 samples, an RGBA8 texture, a DEPTH_COMPONENT24 renderbuffer of 4
 * samples at 4 B each (MSAA counted 4x, not 16x).
 */
const TARGET_BYTES_PER_PIXEL = 16 + 4 + 16;

/** The page on each backend, and the screenshots it leaves in test-artifacts/. */
const BACKENDS = [
  {
    backend: 'webgpu',
    path: '/demos/render-targets/',
    status: /^WebGPU on /,
    screenshots: ['render-targets-before-resize', 'render-targets-after-resize'],
  },
  {
    backend: 'webgl2',
    path: '/demos/render-targets/?backend=webgl2',
    status: /^WebGL2 /,
    screenshots: ['render-targets-webgl2', 'render-targets-webgl2-after-resize'],
  },
] as const;

let session: BrowserSession;
beforeAll(async () => {
  session = await startDemoSession();
});
afterAll(async () => {
  await session?.close();
});

const capture = (page: Page, time: number): Promise<PixelSummary> =>
  page.evaluate((t) => (window.__demo as RenderTargetsHook).capture(t), time);

/** Waits for deferred destroys to settle, then reads stats, target size and the expected bytes together. */
async function settledState(page: Page) {
  return page.evaluate(async () => {
    const hook = window.__demo as RenderTargetsHook;
    await hook.manager.idle();
    return {
      stats: hook.manager.stats() as ManagerStats,
      size: hook.targetSize(),
      expectedTargetBytes: hook.expectedTargetBytes(),
      swapChain: { format: hook.canvasFormat, bufferCount: hook.swapChainBuffers },
    };
  });
}

async function overlayShows(
  page: Page,
  width: number,
  height: number,
  swapChain: { format: string; bufferCount: number },
): Promise<void> {
  const swap = swapChainBytes({ width, height, ...swapChain });
  const { format, bufferCount } = swapChain;
  await eventually(
    async () => {
      const { stats } = await settledState(page);
      return {
        shown: await readOverlay(page),
        expected: expectedOverlay(stats, { swapChainBytes: swap, canvasCount: 1, budgetBytes: BUDGET }),
      };
    },
    ({ shown, expected }) => isDeepStrictEqual(shown, expected),
    {
      what: `the overlay to show the manager's stats and a ${width}x${height} ${format} swap chain of ${bufferCount}`,
    },
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

/** No GL error is pending on a WebGL2 page (the demo also checks every frame in debug mode). */
async function expectNoGLError(page: Page): Promise<void> {
  const error = await page.evaluate(() => {
    const gl = (window.__demo as RenderTargetsHook).gl;
    return gl ? gl.getError() : 'no WebGL2 context on the hook';
  });
  expect(error).toBe(0); // gl.NO_ERROR
}

describe('render-targets demo', () => {
  for (const { backend, path, status, screenshots } of BACKENDS) {
    it(`${backend}: draws a real picture, and a resize recreates the targets through the manager and changes the picture`, async () => {
      const { page, errors } = await openDemo(session, path);
      console.log(`[browser] WebGPU adapter: ${await requireWebGPUAdapter(page)}`);
      const started = await page.evaluate(() => {
        const hook = window.__demo as RenderTargetsHook;
        return {
          backend: hook.backend,
          adapter: hook.adapter,
          status: document.getElementById('demo-status')?.textContent ?? '',
        };
      });
      console.log(`[browser] render-targets on ${started.backend}: ${started.adapter}`);
      // The page really runs on the backend asked for, not on a fallback.
      expect(started.backend).toBe(backend);
      expect(started.status).toMatch(status);
      await page.waitForFunction(() => (window.__demo as RenderTargetsHook).frames() > 3);

      const first = await settledState(page);
      const viewport = page.viewport()!;
      expect(first.size).toEqual({ width: viewport.width, height: viewport.height });
      expect(first.stats.pendingFreeBytes).toBe(0);
      expect(first.stats.byKind.texture).toEqual({
        bytes: viewport.width * viewport.height * TARGET_BYTES_PER_PIXEL,
        count: 3,
      });
      expect(first.expectedTargetBytes).toBe(first.stats.byKind.texture.bytes);
      expect(first.stats.byKind.renderTarget.count).toBe(1);
      const before = await capture(page, 1.0);
      console.log(`[browser] ${backend} before resize: ${JSON.stringify(before)}`);
      expectPicture(before, viewport.width, viewport.height);
      await overlayShows(page, viewport.width, viewport.height, first.swapChain);
      console.log(`[browser] screenshot: ${await saveScreenshot(page, screenshots[0])}`);

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
      expect(second.expectedTargetBytes).toBe(second.stats.byKind.texture.bytes);
      expect(second.stats.byKind.renderTarget.count).toBe(1);
      expect(second.stats.destroyed).toBeGreaterThanOrEqual(first.stats.destroyed + 4);

      const after = await capture(page, 1.0);
      console.log(`[browser] ${backend} after resize: ${JSON.stringify(after)}`);
      expectPicture(after, resized.width, resized.height);
      expect(after.checksum).not.toBe(before.checksum);
      await overlayShows(page, resized.width, resized.height, second.swapChain);
      console.log(`[browser] screenshot: ${await saveScreenshot(page, screenshots[1])}`);

      if (backend === 'webgl2') await expectNoGLError(page);
      expect(await page.evaluate(() => (window.__demo as RenderTargetsHook).gpuErrors)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
