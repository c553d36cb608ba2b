/**
 * Restore after device loss on WebGPU in Chromium: device.destroy(), then the manager's `restore` option gives
 * it a new device from a new adapter and every resource comes back under the same handle, with contents from
 * its source. The first frame after restore draws through the restored pipeline and bind group into a restored
 * render target, under a validation error scope, and the picture is checked pixel by pixel.
 */
import { describe, expect, it } from 'vitest';
import type { Handle } from '../../src/index.ts';
import { useWebGPUTestPage } from './pages/webgpu-harness.ts';

const harness = useWebGPUTestPage();

describe('restore after device loss (WebGPU, Chromium)', () => {
  it('1,000 textures, 1,000 buffers, render targets, samplers, views, bind groups and a pipeline come back under the same handles', async () => {
    const r = await harness.page.evaluate(async () => {
      const { createResourceManager, TextureUsage, BufferUsage, DeviceLostError } = window.lib;
      const TEXTURES = 1000;
      const BUFFERS = 1000;
      const TARGETS = 50;
      const GROUPS = 100;
      const FRAGMENT = 2; // GPUShaderStage.FRAGMENT
      const texels = (i: number) => {
        const data = new Uint8Array(64);
        for (let j = 0; j < 64; j++) data[j] = (i * 31 + j * 7) & 0xff;
        return data;
      };
      const words = (i: number) => {
        const data = new Uint8Array(64);
        for (let j = 0; j < 64; j++) data[j] = (i * 13 + j) & 0xff;
        return data;
      };
      const newDevice = async () => {
        const adapter = await navigator.gpu.requestAdapter(); // a used adapter cannot give a second device
        if (!adapter) throw new Error('no adapter to restore onto');
        return adapter.requestDevice();
      };
      const devices: GPUDevice[] = [await newDevice()];
      const uncaptured: string[] = [];
      const watch = (device: GPUDevice) =>
        device.addEventListener('uncapturederror', (e) =>
          uncaptured.push((e as GPUUncapturedErrorEvent).error.message),
        );
      watch(devices[0]!);
      const manager = createResourceManager({
        device: devices[0]!,
        restore: async () => {
          const device = await newDevice();
          watch(device);
          devices.push(device);
          return device;
        },
      });

      const usage = TextureUsage.COPY_DST | TextureUsage.COPY_SRC | TextureUsage.TEXTURE_BINDING;
      const textures: Handle<'texture'>[] = [];
      for (let i = 0; i < TEXTURES; i++) {
        const t = manager.createTexture({
          label: `t${i}`,
          size: [4, 4],
          format: 'rgba8unorm',
          usage,
          content: 'keep',
        });
        manager.uploadTexture(t, texels(i), {}, [4, 4]);
        textures.push(t);
      }
      const buffers: Handle<'buffer'>[] = [];
      for (let i = 0; i < BUFFERS; i++) {
        const b = manager.createBuffer({
          label: `b${i}`,
          size: 64,
          usage: BufferUsage.COPY_DST | BufferUsage.COPY_SRC,
          content: 'keep',
        });
        manager.upload(b, 0, words(i));
        buffers.push(b);
      }
      const mask = manager.createBuffer({
        label: 'mask',
        size: 16,
        usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST | BufferUsage.COPY_SRC,
        content: { restore: async () => new Float32Array([1, 1, 1, 1]) },
      });
      manager.upload(mask, 0, new Float32Array([1, 1, 1, 1]));
      let regenerated = 0;
      const targetColors: Handle<'texture'>[] = [];
      const targets: Handle<'renderTarget'>[] = [];
      for (let i = 0; i < TARGETS; i++) {
        const color = manager.createTexture({
          label: `rt-color${i}`,
          size: [4, 4],
          format: 'rgba8unorm',
          usage: TextureUsage.RENDER_ATTACHMENT | TextureUsage.COPY_SRC,
          content: { regenerate: () => void regenerated++ },
        });
        targetColors.push(color);
        targets.push(manager.createRenderTarget({ label: `rt${i}`, color: [color] }));
      }
      const depth = manager.createTexture({
        label: 'no-source depth',
        size: [4, 4],
        format: 'depth24plus',
        usage: TextureUsage.RENDER_ATTACHMENT,
      });
      const sampler = manager.createSampler({ label: 'nearest' });
      const views = textures.slice(0, 50).map((t, i) => manager.createView(t, { label: `view${i}` }));
      const layout = manager.createBindGroupLayout({
        label: 'material',
        entries: [
          { binding: 0, visibility: FRAGMENT, texture: {} },
          { binding: 1, visibility: FRAGMENT, sampler: {} },
          { binding: 2, visibility: FRAGMENT, buffer: {} },
        ],
      });
      const groups: Handle<'bindGroup'>[] = [];
      for (let i = 0; i < GROUPS; i++) {
        groups.push(
          manager.createBindGroup({
            label: `group${i}`,
            layout,
            entries: [
              { binding: 0, resource: textures[100 + i]! },
              { binding: 1, resource: sampler },
              { binding: 2, resource: { buffer: mask } },
            ],
          }),
        );
      }
      const shader = await manager.createShader({
        label: 'copy',
        code: /* wgsl */ `
          @group(0) @binding(0) var t: texture_2d<f32>;
          @group(0) @binding(1) var s: sampler;
          @group(0) @binding(2) var<uniform> mask: vec4f;
          @vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
            let p = array(vec2f(-1, -1), vec2f(3, -1), vec2f(-1, 3));
            return vec4f(p[i], 0, 1);
          }
          @fragment fn fs(@builtin(position) p: vec4f) -> @location(0) vec4f {
            return textureSample(t, s, p.xy / 4.0) * mask;
          }`,
      });
      const pipelineLayout = manager.createPipelineLayout({ label: 'copy', bindGroupLayouts: [layout] });
      const pipeline = await manager.createRenderPipeline({
        label: 'copy',
        layout: pipelineLayout,
        vertex: { module: shader, entryPoint: 'vs' },
        fragment: { module: shader, entryPoint: 'fs', targets: [{ format: 'rgba8unorm' }] },
      });

      /** One frame: draws group `g` into target `t`; resolves with the target's pixels and the error scope. */
      const drawFrame = async (g: number, t: number) => {
        const device = devices[devices.length - 1]!;
        manager.flush(); // staged uploads become copies before the draw that samples them
        device.pushErrorScope('validation');
        const encoder = device.createCommandEncoder();
        const pass = encoder.beginRenderPass(manager.renderPass(targets[t]!));
        pass.setPipeline(manager.gpu(pipeline));
        pass.setBindGroup(0, manager.gpu(groups[g]!));
        pass.draw(3);
        pass.end();
        manager.use(targets[t]!, groups[g]!, pipeline);
        manager.submit([encoder.finish()]);
        const scope = await device.popErrorScope();
        return { error: scope?.message ?? null, pixels: [...(await manager.readTexture(targetColors[t]!))] };
      };
      const frameBefore = await drawFrame(3, 0);
      manager.flush();
      await manager.idle();
      // The resource ledger, per kind, plus host bytes (kept copies). Staging is left out: its pools are
      // rebuilt on demand on the new device (a readback before the loss left a read buffer that the new
      // device has not needed yet).
      const snapshot = () => {
        const u = manager.usageStats();
        const { staging: _staging, ...resources } = u.byKind;
        return JSON.stringify({ resources, hostBytes: u.hostBytes });
      };
      const before = snapshot();
      const handlesBefore = [...manager.resources()].map((x) => x.handle).sort((a, b) => a - b);

      const restored = new Promise<{
        durationMs: number;
        restored: number;
        empty: string[];
        failed: string[];
      }>((resolve) =>
        manager.on('restored', (report) =>
          resolve({
            durationMs: report.durationMs,
            restored: report.restored,
            empty: report.empty.map((e) => e.label),
            failed: report.failed.map((f) => `${f.label}: ${f.reason}`),
          }),
        ),
      );
      let whileLost = '';
      manager.on('lost', () => {
        // Between the loss and the restore: handles stay valid (state 'lost') and creates are refused.
        try {
          manager.createBuffer({ size: 4, usage: BufferUsage.COPY_DST });
        } catch (e) {
          if (e instanceof DeviceLostError) whileLost = `${manager.get(textures[0]!)?.state}`;
        }
      });
      const lostAt = performance.now();
      devices[0]!.destroy();
      const report = await restored;
      const wallMs = performance.now() - lostAt;
      await manager.idle();
      const handlesAfter = [...manager.resources()].map((x) => x.handle).sort((a, b) => a - b);
      const all = [
        ...textures,
        ...buffers,
        mask,
        ...targetColors,
        ...targets,
        depth,
        sampler,
        ...views,
        layout,
        ...groups,
        shader,
        pipelineLayout,
        pipeline,
      ];
      let resolving = 0;
      for (const h of all) {
        try {
          if (manager.gpu(h) !== undefined && manager.get(h)?.state === 'live') resolving++;
        } catch {}
      }
      const after = snapshot();
      // Checksums: every kept resource reads back what was uploaded before the loss.
      const bad: string[] = [];
      const reads = await Promise.all([
        ...textures.map((t) => manager.readTexture(t)),
        ...buffers.map((b) => manager.read(b)),
      ]);
      reads.forEach((bytes, i) => {
        const expected = i < TEXTURES ? texels(i) : words(i - TEXTURES);
        if (bytes.length !== expected.length || bytes.some((v, j) => v !== expected[j])) bad.push(`#${i}`);
      });
      const maskAfter = [...new Float32Array((await manager.read(mask)).slice().buffer)];
      const frameAfter = await drawFrame(3, 0);
      const oldDeviceUsed = (manager.backend as unknown as { device: GPUDevice }).device === devices[0];
      manager.dispose();
      for (const d of devices) d.destroy();
      return {
        report,
        wallMs,
        whileLost,
        handlesSame: JSON.stringify(handlesAfter) === JSON.stringify(handlesBefore),
        all: all.length,
        resolving,
        before,
        after,
        bad,
        maskAfter,
        regenerated,
        frameBefore,
        frameAfter,
        expectedFrame: [...texels(103)],
        oldDeviceUsed,
        devices: devices.length,
        uncaptured,
      };
    });
    console.log(
      `[restore webgpu] ${r.report.restored} resources restored in ${r.report.durationMs.toFixed(0)} ms (loss to restored event ${r.wallMs.toFixed(0)} ms); empty: ${r.report.empty.join(', ')}`,
    );
    expect(r.report.failed).toEqual([]);
    expect(r.report.empty).toEqual(['no-source depth']);
    expect(r.devices).toBe(2);
    expect(r.oldDeviceUsed).toBe(false);
    expect(r.whileLost).toBe('lost');
    expect(r.handlesSame).toBe(true);
    expect(r.resolving).toBe(r.all); // 100% of handles resolve to live GPU objects
    expect(r.after).toBe(r.before); // byte-identical ledger (per kind, host bytes, total)
    expect(r.bad).toEqual([]);
    expect(r.maskAfter).toEqual([1, 1, 1, 1]);
    expect(r.regenerated).toBe(50);
    expect(r.frameBefore).toEqual({ error: null, pixels: r.expectedFrame });
    expect(r.frameAfter).toEqual({ error: null, pixels: r.expectedFrame });
    expect(r.uncaptured).toEqual([]);
    expect(harness.errors).toEqual([]);
  }, 180_000);
});
