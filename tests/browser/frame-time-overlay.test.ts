/**
 * GPU time in the stats overlay, in headless Chromium on real WebGPU (SwiftShader): a manager, a frame timer
 * and an overlay with `frameTimer`; frames are rendered with timestamp writes and the overlay's DOM must show
 * either a GPU time (a finite positive number, within the range of what the timer measured, with graph samples)
 * or the timer's reason for not having one. The run logs which case ran and fails when neither appears. A
 * device without the feature shows the reason and no GPU graph; a WebGL2 overlay without a timer has no
 * section; a collapsed overlay leaves the section alone.
 */
import { describe, expect, it } from 'vitest';
import type { FrameTimes } from '../../src/overlay/gpu-timer.ts';
import { readFrameTime } from './overlay-dom.ts';
import { useWebGPUTestPage } from './pages/webgpu-harness.ts';

const harness = useWebGPUTestPage();

/** What a timed run in the page reports. */
interface TimedRun {
  readonly adapterHasTimestamps: boolean;
  readonly deviceHasTimestamps: boolean;
  /** GPU ms of each frame as the timer resolved it. */
  readonly gpuMs: number[];
  readonly times: FrameTimes;
  /** Calls to the timer's onTimes during the run (the overlay must not listen to every frame). */
  readonly onTimesCalls: number;
}

declare global {
  interface Window {
    /** This file's run: the objects to dispose and a frame function. */
    __frameTime?: { refresh(): void; dispose(): void };
  }
}

/**
 * In the page: a device (with 'timestamp-query' when `requestTimestamps` and the adapter has it), a manager, a
 * timer and an overlay sampling every 50 ms; then `frames` frames of a full-screen draw, 10 ms apart.
 */
function startTimedRun(requestTimestamps: boolean, frames: number, collapsed = false): Promise<TimedRun> {
  return harness.page.evaluate(
    async (request, count, startCollapsed) => {
      const { createResourceManager, createStatsOverlay, createFrameTimer, TextureUsage } = window.lib;
      const adapter = (await navigator.gpu.requestAdapter())!;
      const adapterHasTimestamps = adapter.features.has('timestamp-query');
      const device = await adapter.requestDevice({
        requiredFeatures: request && adapterHasTimestamps ? ['timestamp-query'] : [],
      });
      const manager = createResourceManager({ device });
      const timer = createFrameTimer(manager, device);
      let onTimesCalls = 0;
      const onTimes = timer.onTimes.bind(timer);
      timer.onTimes = (listener) => {
        onTimesCalls++;
        return onTimes(listener);
      };
      const overlay = createStatsOverlay(manager, {
        frameTimer: timer,
        sampleIntervalMs: 50,
        minUpdateIntervalMs: 16,
        collapsed: startCollapsed,
      });
      const shader = await manager.createShader({
        code: `
          @vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
            let p = array(vec2f(-1, -1), vec2f(3, -1), vec2f(-1, 3));
            return vec4f(p[i], 0, 1);
          }
          @fragment fn fs(@builtin(position) p: vec4f) -> @location(0) vec4f {
            var x = p.x;
            for (var i = 0u; i < 64u; i++) { x = fract(sin(x) * 43758.5453); }
            return vec4f(x, 0, 0, 1);
          }`,
      });
      const target = manager.createTexture({
        size: [256, 256],
        format: 'rgba8unorm',
        usage: TextureUsage.RENDER_ATTACHMENT,
      });
      const rt = manager.createRenderTarget({ color: [target] });
      const pipeline = await manager.createRenderPipeline({
        layout: 'auto',
        vertex: { module: shader },
        fragment: { module: shader, targets: [{ format: 'rgba8unorm' }] },
      });
      const renderFrames = async (n: number): Promise<number[]> => {
        const reads: Promise<number | undefined>[] = [];
        for (let i = 0; i < n; i++) {
          const timed = timer.beginFrame();
          const encoder = device.createCommandEncoder();
          const pass = encoder.beginRenderPass({ ...manager.renderPass(rt), timestampWrites: timed?.both });
          pass.setPipeline(manager.gpu(pipeline));
          pass.draw(3);
          pass.end();
          timer.endFrame(encoder, timed);
          manager.submit([encoder.finish()]);
          reads.push(timer.submitted(timed));
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        const ms = await Promise.all(reads);
        // Let the overlay take a graph sample after the last readback.
        await new Promise((resolve) => setTimeout(resolve, 120));
        return ms.filter((v): v is number => v !== undefined);
      };
      window.__frameTime = {
        refresh: () => overlay.refresh(),
        dispose() {
          overlay.destroy();
          timer.dispose();
          manager.dispose();
          device.destroy();
        },
      };
      const gpuMs = await renderFrames(count);
      return {
        adapterHasTimestamps,
        deviceHasTimestamps: device.features.has('timestamp-query'),
        gpuMs,
        times: timer.times(),
        onTimesCalls,
      };
    },
    requestTimestamps,
    frames,
    collapsed,
  );
}

const refresh = () => harness.page.evaluate(() => window.__frameTime?.refresh());

const disposeRun = () => harness.page.evaluate(() => window.__frameTime?.dispose());

/** A shown figure in ms as a number (NaN when it is not one). */
const shownMs = (text: string | null) => (text?.endsWith(' ms') ? Number(text.slice(0, -3)) : Number.NaN);

describe('stats overlay: GPU time', () => {
  it("shows GPU ms per frame with a graph when the adapter has 'timestamp-query', else says why", async () => {
    const run = await startTimedRun(true, 40);
    await refresh();
    const shown = await readFrameTime(harness.page);
    await disposeRun();
    const sorted = [...run.gpuMs].sort((a, b) => a - b);
    const gpu = shownMs(shown?.gpu ?? null);
    if (shown?.gpu && Number.isFinite(gpu)) {
      console.log(
        `[frame time] case: GPU time (adapter has 'timestamp-query'); overlay shows CPU ${shown.cpu}, GPU ${shown.gpu}, graph ${shown.graphSamples} samples, ${shown.graphMax}; timer resolved ${run.gpuMs.length} of 40 frames, GPU ms min ${sorted[0]?.toFixed(4)} median ${sorted[sorted.length >> 1]?.toFixed(4)} max ${sorted.at(-1)?.toFixed(4)}`,
      );
      expect(run.deviceHasTimestamps).toBe(true);
      expect(gpu).toBeGreaterThan(0);
      // The shown figure is a mean of measured frames: within their range (at the shown precision).
      expect(gpu).toBeGreaterThanOrEqual(Number(sorted[0]!.toPrecision(3)) * 0.99);
      expect(gpu).toBeLessThanOrEqual(Number(sorted.at(-1)!.toPrecision(3)) * 1.01);
      expect(run.times.gpuSamples).toBe(run.gpuMs.length);
      expect(shown.graphSamples).toBeGreaterThan(0);
      expect(shown.graphPixels).toBeGreaterThan(0);
      expect(shown.graphMax).toMatch(/^max \d[\d.]* ms$/);
      expect(shown.unsupported).toBeNull();
    } else if (shown?.unsupported) {
      console.log(
        `[frame time] case: no GPU time (adapter has 'timestamp-query': ${run.adapterHasTimestamps}); overlay says "${shown.unsupported}", CPU ${shown.cpu}`,
      );
      expect(run.deviceHasTimestamps).toBe(false);
      expect(shown.unsupported).toMatch(/timestamp-query/);
    } else {
      throw new Error(
        `the overlay shows neither a GPU time nor the unsupported reason: ${JSON.stringify(shown)} (adapter has 'timestamp-query': ${run.adapterHasTimestamps}, timer resolved ${run.gpuMs.length} frames)`,
      );
    }
    expect(shownMs(shown.cpu)).toBeGreaterThan(0);
    expect(run.onTimesCalls).toBe(0);
    expect(harness.errors).toEqual([]);
  });

  it("on a device without 'timestamp-query' shows the CPU time and the reason, and draws no GPU graph", async () => {
    const run = await startTimedRun(false, 10);
    await refresh();
    const shown = await readFrameTime(harness.page);
    await disposeRun();
    console.log(`[frame time] device without the feature: CPU ${shown?.cpu}; "${shown?.unsupported}"`);
    expect(run.deviceHasTimestamps).toBe(false);
    expect(run.gpuMs).toEqual([]);
    expect(shown).toMatchObject({
      visible: true,
      gpu: null,
      unsupported: "GPU time needs the device feature 'timestamp-query', which is not enabled",
      graphSamples: null,
      graphMax: null,
      graphPixels: 0,
    });
    expect(shownMs(shown!.cpu)).toBeGreaterThan(0);
    expect(harness.errors).toEqual([]);
  });

  it('leaves the section alone while collapsed and catches up when expanded', async () => {
    await startTimedRun(true, 10, true);
    const collapsed = await readFrameTime(harness.page);
    // The header's button, as a person would: expanding repaints at once.
    await harness.page.evaluate(() => {
      document.querySelector('[data-gpu-handles-overlay]')!.shadowRoot!.querySelector('button')!.click();
    });
    const shown = await readFrameTime(harness.page);
    await disposeRun();
    // Never painted while collapsed: the figures still read "not measured" and the graph is blank.
    expect(collapsed).toMatchObject({ visible: false, cpu: '–', graphPixels: 0 });
    expect(shown?.visible).toBe(true);
    expect(shownMs(shown!.cpu)).toBeGreaterThan(0);
    expect(shown!.gpu === null || shownMs(shown!.gpu) > 0).toBe(true);
    expect(harness.errors).toEqual([]);
  });

  it('a WebGL2 overlay without a frame timer has no frame-time section', async () => {
    const present = await harness.page.evaluate(() => {
      const { createResourceManager, createStatsOverlay } = window.lib;
      const manager = createResourceManager({ gl: window.sharedGL() });
      const overlay = createStatsOverlay(manager);
      const section = overlay.element.shadowRoot!.querySelector('[data-section="frameTime"]');
      overlay.destroy();
      manager.dispose();
      return section !== null;
    });
    expect(present).toBe(false);
    expect(harness.errors).toEqual([]);
  });
});
