/**
 * The render-targets demo's overlay shows frame times: on WebGPU the demo times its two passes (the scene pass
 * starts the frame, the post-process ends it) and the overlay shows a GPU time with a graph when the device got
 * 'timestamp-query', else the reason; the run logs which case ran and fails when neither appears. On WebGL2 the
 * overlay has no frame-time section.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderTargetsHook } from '../../demos/render-targets/hook.ts';
import { type BrowserSession, requireWebGPUAdapter } from '../support/browser.ts';
import { eventually, openDemo, startDemoSession } from './demo-session.ts';
import { readFrameTime } from './overlay-dom.ts';

let session: BrowserSession;
beforeAll(async () => {
  session = await startDemoSession();
});
afterAll(async () => {
  await session?.close();
});

const isMs = (text: string | null | undefined) => /^\d[\d.]* ms$/.test(text ?? '');

describe('render-targets demo: frame times in the overlay', () => {
  it("on WebGPU shows GPU time per frame (or why not), from the demo's own passes", async () => {
    const { page, errors } = await openDemo(session, '/demos/render-targets/');
    console.log(`[frame time demo] adapter: ${await requireWebGPUAdapter(page)}`);
    const device = await page.evaluate(() => {
      const hook = window.__demo as RenderTargetsHook;
      return {
        timestamps: hook.device?.features.has('timestamp-query') ?? false,
        timer: hook.frameTimer !== undefined,
      };
    });
    expect(device.timer).toBe(true);
    const shown = await eventually(
      () => readFrameTime(page),
      (s) => (isMs(s?.cpu) && isMs(s?.gpu) && (s?.graphSamples ?? 0) >= 2) || s?.unsupported != null,
      { timeoutMs: 20_000, what: 'a GPU time with graph samples, or the reason there is none' },
    );
    const times = await page.evaluate(() => (window.__demo as RenderTargetsHook).frameTimer!.times());
    if (shown?.gpu && isMs(shown.gpu)) {
      console.log(
        `[frame time demo] case: GPU time; overlay shows CPU ${shown.cpu}, GPU ${shown.gpu}, ${shown.graphMax} over ${shown.graphSamples} samples; timer: ${times.gpuSamples} frames timed, mean ${(times.gpuTotalMs / times.gpuSamples).toFixed(3)} ms, ${times.skipped} skipped (slots busy)`,
      );
      expect(device.timestamps).toBe(true);
      expect(Number.parseFloat(shown.gpu)).toBeGreaterThan(0);
      expect(shown.graphPixels).toBeGreaterThan(0);
    } else if (shown?.unsupported) {
      console.log(
        `[frame time demo] case: no GPU time; overlay says "${shown.unsupported}", CPU ${shown.cpu}`,
      );
      expect(device.timestamps).toBe(false);
    } else {
      throw new Error(`the demo's overlay shows neither a GPU time nor the reason: ${JSON.stringify(shown)}`);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('on WebGL2 the overlay has no frame-time section and the page runs as before', async () => {
    const { page, errors } = await openDemo(session, '/demos/render-targets/?backend=webgl2');
    await page.waitForFunction(() => (window.__demo as RenderTargetsHook).frames() > 3);
    const hook = await page.evaluate(() => (window.__demo as RenderTargetsHook).frameTimer === undefined);
    expect(hook).toBe(true);
    expect(await readFrameTime(page)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
  });
});
