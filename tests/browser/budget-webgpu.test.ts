/**
 * A memory budget under load on WebGPU in Chromium: a Zipf-distributed working set of evictable textures and
 * uniform buffers (content 'keep') at twice the budget, drawn through bind groups and a pipeline into a render
 * target for 1,000 frames with `manager.frame()` after each. Resident bytes stay at or under the budget at every
 * frame end; no frame has a validation error (in particular no destroyed texture or buffer used in a submit:
 * a resource under a live bind group is evicted with the bind group, never under it); the drawn pixels match the
 * kept contents after their re-uploads.
 */
import { describe, expect, it } from 'vitest';
import type { Handle } from '../../src/index.ts';
import { useWebGPUTestPage } from './pages/webgpu-harness.ts';

const harness = useWebGPUTestPage();

describe('memory budget (WebGPU, Chromium)', () => {
  it('a Zipf working set at twice the budget over 1,000 frames: resident <= budget at every frame end, no destroyed resource in a submit', async () => {
    const r = await harness.page.evaluate(async () => {
      const { createResourceManager, TextureUsage, BufferUsage } = window.lib;
      const RESOURCES = 128;
      const SIDE = 64; // 16 KiB a texture
      const TEXTURE_BYTES = SIDE * SIDE * 4;
      const DRAWS = 8; // per frame, one pixel each
      const FRAMES = 1000;
      const FRAGMENT = 2;
      // Staging chunks count against the budget too, and the policy cannot evict them: each kept resource that
      // comes back at once (gpu() of an evicted one) flushes its re-upload at once, holding a chunk until the GPU
      // has copied it. Chunks the size of one texture, trimmed at each flush beyond one idle chunk, keep staging
      // a small share of the budget.
      const STAGING = {
        uploadChunkBytes: TEXTURE_BYTES,
        maxChunkBytes: TEXTURE_BYTES,
        readbackChunkBytes: 1 << 12,
        keepBytes: TEXTURE_BYTES,
        idleMs: 0,
      };
      const evictableBytes = RESOURCES * (TEXTURE_BYTES + 16);
      const budgetBytes = evictableBytes / 2; // staging, the pinned target and frees pending count in it too
      let seed = 0x2545f491;
      const random = () => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      // Zipf (s = 1) over ranks, ranks mapped to resources by a seeded shuffle (popularity is not creation order).
      const weights = Array.from({ length: RESOURCES }, (_, k) => 1 / (k + 1));
      const total = weights.reduce((a, b) => a + b, 0);
      const cdf: number[] = [];
      let running = 0;
      for (const w of weights) {
        running += w;
        cdf.push(running / total);
      }
      const byRank = Array.from({ length: RESOURCES }, (_, i) => i);
      for (let i = RESOURCES - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [byRank[i], byRank[j]] = [byRank[j]!, byRank[i]!];
      }
      const zipf = () => {
        const u = random();
        let rank = cdf.findIndex((c) => c >= u);
        if (rank < 0) rank = RESOURCES - 1;
        return byRank[rank]!;
      };
      const colour = (i: number) => [i & 0xff, (255 - i) & 0xff, (i * 7) & 0xff, 255];

      const adapter = await navigator.gpu.requestAdapter();
      const device = await adapter!.requestDevice();
      const uncaptured: string[] = [];
      device.addEventListener('uncapturederror', (e) =>
        uncaptured.push((e as GPUUncapturedErrorEvent).error.message),
      );
      const manager = createResourceManager({
        device,
        budget: { bytes: budgetBytes },
        staging: STAGING,
      });
      const overBudget: string[] = [];
      manager.on('overBudget', (e) =>
        overBudget.push(`${e.label} at frame ${manager.residencyStats().frame}`),
      );
      const target = manager.createTexture({
        label: 'target',
        size: [DRAWS, 1],
        format: 'rgba8unorm',
        usage: TextureUsage.RENDER_ATTACHMENT | TextureUsage.COPY_SRC,
      });
      const renderTarget = manager.createRenderTarget({ label: 'target', color: [target] });
      const sampler = manager.createSampler({ label: 'nearest' });
      const layout = manager.createBindGroupLayout({
        label: 'material',
        entries: [
          { binding: 0, visibility: FRAGMENT, texture: {} },
          { binding: 1, visibility: FRAGMENT, sampler: {} },
          { binding: 2, visibility: FRAGMENT, buffer: {} },
        ],
      });
      const shader = await manager.createShader({
        label: 'material',
        code: /* wgsl */ `
          @group(0) @binding(0) var t: texture_2d<f32>;
          @group(0) @binding(1) var s: sampler;
          @group(0) @binding(2) var<uniform> tint: vec4f;
          @vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
            let p = array(vec2f(-1, -1), vec2f(3, -1), vec2f(-1, 3));
            return vec4f(p[i], 0, 1);
          }
          @fragment fn fs() -> @location(0) vec4f {
            return textureSample(t, s, vec2f(0.5, 0.5)) * tint;
          }`,
      });
      const pipeline = await manager.createRenderPipeline({
        label: 'material',
        layout: manager.createPipelineLayout({ bindGroupLayouts: [layout] }),
        vertex: { module: shader, entryPoint: 'vs' },
        fragment: { module: shader, entryPoint: 'fs', targets: [{ format: 'rgba8unorm' }] },
      });

      const textures: Handle<'texture'>[] = [];
      const tints: Handle<'buffer'>[] = [];
      const groups: Handle<'bindGroup'>[] = [];
      for (let i = 0; i < RESOURCES; i++) {
        const texture = manager.createTexture({
          label: `material${i}`,
          size: [SIDE, SIDE],
          format: 'rgba8unorm',
          usage: TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST,
          content: 'keep',
          residency: 'evictable',
        });
        const texels = new Uint8Array(TEXTURE_BYTES);
        for (let j = 0; j < texels.length; j += 4) texels.set(colour(i), j);
        manager.uploadTexture(texture, texels, {}, [SIDE, SIDE]);
        // The PixiJS #12080 shape: a uniform buffer of its own under the material's cached bind group.
        const tint = manager.createBuffer({
          label: `tint${i}`,
          size: 16,
          usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST,
          content: 'keep',
          residency: 'evictable',
        });
        manager.upload(tint, 0, new Float32Array([1, 1, 1, 1]));
        groups.push(
          manager.createBindGroup({
            label: `material${i}`,
            layout,
            entries: [
              { binding: 0, resource: texture },
              { binding: 1, resource: sampler },
              { binding: 2, resource: { buffer: tint } },
            ],
          }),
        );
        textures.push(texture);
        tints.push(tint);
        manager.flush();
        manager.frame(); // loading over several frames lets the policy evict what was loaded first
        await device.queue.onSubmittedWorkDone();
      }

      const scopes: Promise<GPUError | null>[] = [];
      let worstFrameEnd = 0;
      let worstBreakdown = '';
      let framesOver = 0;
      let previous: Promise<undefined> = Promise.resolve(undefined);
      let evictedSeen = 0;
      const pixelChecks: string[] = [];
      let checked = 0;
      for (let frame = 0; frame < FRAMES; frame++) {
        await previous; // one frame in flight, as a requestAnimationFrame loop has
        const drawn = Array.from({ length: DRAWS }, zipf);
        manager.flush();
        device.pushErrorScope('validation');
        const encoder = device.createCommandEncoder();
        const pass = encoder.beginRenderPass(manager.renderPass(renderTarget));
        pass.setPipeline(manager.gpu(pipeline));
        drawn.forEach((i, x) => {
          if (manager.get(groups[i]!)?.state === 'evicted') evictedSeen++;
          pass.setBindGroup(0, manager.gpu(groups[i]!)); // an evicted bind group comes back with what it binds
          pass.setViewport(x, 0, 1, 1, 0, 1);
          pass.draw(3);
        });
        pass.end();
        manager.use(renderTarget, pipeline, ...drawn.map((i) => groups[i]!));
        manager.flush(); // re-uploads of what came back this frame go before the frame's commands
        manager.submit([encoder.finish()]);
        const f = frame;
        const trace = drawn
          .map((i) => `${i}:${manager.get(groups[i]!)?.state}/${manager.get(tints[i]!)?.state}`)
          .join(' ');
        scopes.push(
          device
            .popErrorScope()
            .then((e) => (e ? ({ message: `frame ${f} [${trace}] ${e.message}` } as GPUError) : null)),
        );
        previous = device.queue.onSubmittedWorkDone() as Promise<undefined>;
        manager.frame();
        const resident = manager.counters.residentBytes;
        if (resident > worstFrameEnd) {
          const u = manager.usageStats();
          worstBreakdown = JSON.stringify({
            frame,
            staging: u.byKind.staging.bytes,
            texture: u.byKind.texture.bytes,
            buffer: u.byKind.buffer.bytes,
            pending: u.pendingFreeBytes,
          });
        }
        worstFrameEnd = Math.max(worstFrameEnd, resident);
        if (resident > budgetBytes) framesOver++;
        if (frame % 100 === 99) {
          const pixels = await manager.readTexture(target);
          checked++;
          drawn.forEach((i, x) => {
            const got = [...pixels.subarray(x * 4, x * 4 + 4)].join(',');
            if (got !== colour(i).join(',')) pixelChecks.push(`frame ${frame} material${i}: ${got}`);
          });
        }
      }
      const validation = (await Promise.all(scopes)).filter((e) => e !== null).map((e) => e!.message);
      const stats = manager.residencyStats();
      const usage = manager.usageStats();
      manager.dispose();
      device.destroy();
      return {
        budgetBytes,
        evictableBytes,
        worstFrameEnd,
        worstBreakdown,
        framesOver,
        overBudget: overBudget.slice(0, 5),
        validation: validation.slice(0, 5),
        destroyedInSubmit: validation.filter((m) => /destroyed/i.test(m)).length,
        uncaptured: uncaptured.slice(0, 5),
        evictions: stats.evictions,
        restores: stats.restores,
        reuploadedBytes: stats.reuploadedBytes,
        evictedSeen,
        evictedAtEnd: usage.evicted,
        hostBytes: usage.hostBytes,
        pixelChecks,
        checked,
      };
    });
    console.log(
      `[budget webgpu] budget ${r.budgetBytes} B, evictable ${r.evictableBytes} B (x${(r.evictableBytes / r.budgetBytes).toFixed(2)}); worst frame end ${r.worstFrameEnd} B; ${r.evictions} evictions, ${r.restores} restores, ${r.reuploadedBytes} B re-uploaded over 1,000 frames; ${r.evictedSeen} draws found their bind group evicted; host (kept) ${r.hostBytes} B ${r.worstBreakdown}`,
    );
    expect(r.evictableBytes).toBeGreaterThanOrEqual(2 * r.budgetBytes);
    expect(r.framesOver).toBe(0);
    expect(r.worstFrameEnd).toBeLessThanOrEqual(r.budgetBytes);
    expect(r.validation).toEqual([]);
    expect(r.destroyedInSubmit).toBe(0);
    expect(r.uncaptured).toEqual([]);
    expect(r.evictions).toBeGreaterThan(0);
    expect(r.evictedSeen).toBeGreaterThan(0); // eviction really happened under live dependents
    expect(r.reuploadedBytes).toBeGreaterThan(0);
    expect(r.checked).toBe(10);
    expect(r.pixelChecks).toEqual([]);
    expect(harness.errors).toEqual([]);
  }, 240_000);
});
