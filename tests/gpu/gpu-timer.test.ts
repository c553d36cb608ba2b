/**
 * The frame timer on Dawn: with 'timestamp-query' (SwiftShader has it), render passes write timestamps into
 * the manager's query set, the encoder resolves them, and a pooled readback returns each frame's GPU time; a
 * heavier frame measures longer. Without the feature it times the CPU only and says why.
 */
import { describe, expect, it } from 'vitest';
import { createResourceManager, TextureUsage } from '../../src/index.ts';
import { createFrameTimer, formatFrameTimes } from '../../src/overlay/gpu-timer.ts';
import { dawn, useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();

/** A full-screen triangle whose fragment shader loops `n` times (the frame's GPU cost). */
const WGSL = /* wgsl */ `
override loops: u32 = 1u;
@vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
  let p = array(vec2f(-1, -1), vec2f(3, -1), vec2f(-1, 3));
  return vec4f(p[i], 0, 1);
}
@fragment fn fs(@builtin(position) p: vec4f) -> @location(0) vec4f {
  var x = p.x;
  for (var i = 0u; i < loops; i++) { x = fract(sin(x) * 43758.5453); }
  return vec4f(x, 0, 0, 1);
}`;

describe('frame timer', () => {
  it('resolves real GPU time per frame through the pooled readback, longer for a heavier frame', async () => {
    const { device } = gpu;
    expect(device.features.has('timestamp-query')).toBe(true);
    const manager = createResourceManager({ device });
    const timer = createFrameTimer(manager, device, { slots: 3 });
    expect(timer.supported).toBe(true);
    expect(manager.stats().byKind.querySet).toEqual({ bytes: 3 * 2 * 8, count: 1 });
    const shader = await manager.createShader({ code: WGSL });
    const target = manager.createTexture({
      size: [256, 256],
      format: 'rgba8unorm',
      usage: TextureUsage.RENDER_ATTACHMENT,
    });
    const rt = manager.createRenderTarget({ color: [target] });
    const pipeline = (loops: number) =>
      manager.createRenderPipeline({
        layout: 'auto',
        vertex: { module: shader },
        fragment: { module: shader, targets: [{ format: 'rgba8unorm' }], constants: { loops } },
      });
    const light = await pipeline(1);
    const heavy = await pipeline(400);
    const frame = async (p: typeof light) => {
      const timed = timer.beginFrame();
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginRenderPass({ ...manager.renderPass(rt), timestampWrites: timed?.both });
      pass.setPipeline(manager.gpu(p));
      pass.draw(3);
      pass.end();
      timer.endFrame(encoder, timed);
      manager.submit([encoder.finish()]);
      return timer.submitted(timed);
    };
    const all: number[] = [];
    const measure = async (p: typeof light) => {
      const samples: number[] = [];
      for (let i = 0; i < 5; i++) samples.push((await frame(p))!);
      all.push(...samples);
      return samples.sort((a, b) => a - b)[2]!;
    };
    const lightMs = await measure(light);
    const heavyMs = await measure(heavy);
    console.log(
      `[gpu-timer] 256x256 full-screen draw, median of 5: light ${lightMs.toFixed(3)} ms, heavy (400 loops) ${heavyMs.toFixed(3)} ms; ${formatFrameTimes(timer.times())}`,
    );
    expect(lightMs).toBeGreaterThan(0);
    expect(heavyMs).toBeGreaterThan(lightMs);
    expect(timer.times().gpuSamples).toBe(10);
    // The running totals the overlay averages over: every resolved frame, and every interval between endFrames.
    expect(timer.times().gpuTotalMs).toBeCloseTo(
      all.reduce((a, b) => a + b, 0),
      9,
    );
    expect(timer.times().cpuFrames).toBe(9);
    // Frames started while every slot is being read are not timed, and say so.
    const inFlight = [timer.beginFrame(), timer.beginFrame(), timer.beginFrame()];
    expect(inFlight.every((f) => f !== undefined)).toBe(true);
    expect(timer.beginFrame()).toBeUndefined();
    expect(timer.times().skipped).toBe(1);
    timer.dispose();
    expect(manager.stats().byKind.querySet.count).toBe(0);
    expect(await manager.gpuErrors()).toEqual([]);
    manager.dispose();
  });

  it("without 'timestamp-query' it times the CPU only and says why", async () => {
    const adapter = await dawn().requestAdapter();
    const device = await adapter!.requestDevice();
    const manager = createResourceManager({ device });
    let t = 0;
    const timer = createFrameTimer(manager, device, { now: () => t });
    expect(timer.supported).toBe(false);
    expect(timer.unsupportedReason).toMatch(/timestamp-query/);
    expect(manager.stats().totalCount).toBe(0);
    const seen: (number | undefined)[] = [];
    timer.onTimes((times) => seen.push(times.cpuMs));
    for (const at of [0, 16, 33]) {
      t = at;
      const frame = timer.beginFrame();
      expect(frame).toBeUndefined();
      timer.endFrame(undefined, frame);
    }
    expect(seen).toEqual([undefined, 16, 17]);
    expect(formatFrameTimes(timer.times(), timer.unsupportedReason)).toBe(
      "CPU 17.0 ms · GPU n/a (no 'timestamp-query')",
    );
    timer.dispose();
    manager.dispose();
    device.destroy();
  });
});
