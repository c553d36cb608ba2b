/**
 * Restore after context loss on WebGL2 in Chromium: WEBGL_lose_context's loseContext(), then restoreContext();
 * the manager prevents the loss's default (so the browser restores), and on `webglcontextrestored` it
 * re-creates every resource under the same handle with new GL objects and contents from their sources. The
 * first frame after restore draws with the restored program, texture, sampler and uniform buffer into a
 * restored render target, and the picture is checked pixel by pixel with no GL error.
 */
import { describe, expect, it } from 'vitest';
import type { Handle } from '../../src/index.ts';
import { useWebGL2Page } from './pages/webgl2-harness.ts';

const harness = useWebGL2Page();

describe('restore after context loss (WebGL2, Chromium)', () => {
  it('1,000 textures, 1,000 buffers, render targets, samplers, views, bind groups and programs come back under the same handles', async () => {
    const r = await harness.page.evaluate(async () => {
      const gl = window.newGL();
      const { createResourceManager, TextureUsage, BufferUsage, DeviceLostError } = window.lib;
      const TEXTURES = 1000;
      const BUFFERS = 1000;
      const TARGETS = 50;
      const GROUPS = 100;
      const FRAGMENT = 2;
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
      const manager = createResourceManager({ gl });
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
        vertex: `#version 300 es
          void main() {
            vec2 p[3] = vec2[3](vec2(-1, -1), vec2(3, -1), vec2(-1, 3));
            gl_Position = vec4(p[gl_VertexID], 0, 1);
          }`,
        fragment: `#version 300 es
          precision highp float;
          uniform sampler2D t;
          uniform Mask { vec4 mask; };
          out vec4 color;
          void main() { color = texture(t, gl_FragCoord.xy / 4.0) * mask; }`,
      });

      /** One frame: the restored program samples texture `source` into target `t`, with no GL error. */
      const drawFrame = async (source: number, t: number) => {
        manager.flush();
        const program = manager.gpu(shader);
        manager.use(targets[t]!, textures[source]!, sampler, mask, shader);
        manager.submit([
          (ctx) => {
            const pass = manager.renderPass(targets[t]!);
            pass.begin();
            ctx.useProgram(program.program);
            ctx.uniform1i(ctx.getUniformLocation(program.program, 't'), 0);
            ctx.uniformBlockBinding(program.program, ctx.getUniformBlockIndex(program.program, 'Mask'), 0);
            ctx.bindBufferBase(ctx.UNIFORM_BUFFER, 0, manager.gpu(mask).buffer);
            ctx.activeTexture(ctx.TEXTURE0);
            const texture = manager.gpu(textures[source]!);
            if (texture.kind !== 'texture') throw new Error('expected a GL texture');
            ctx.bindTexture(ctx.TEXTURE_2D, texture.texture);
            ctx.bindSampler(0, manager.gpu(sampler).sampler);
            ctx.drawArrays(ctx.TRIANGLES, 0, 3);
            ctx.bindSampler(0, null);
            ctx.bindTexture(ctx.TEXTURE_2D, null);
            ctx.bindBufferBase(ctx.UNIFORM_BUFFER, 0, null);
            ctx.useProgram(null);
            pass.end();
          },
        ]);
        const glErrors: number[] = [];
        for (let e = gl.getError(); e !== gl.NO_ERROR && glErrors.length < 8; e = gl.getError())
          glErrors.push(e);
        return { glErrors, pixels: [...(await manager.readTexture(targetColors[t]!))] };
      };
      const frameBefore = await drawFrame(103, 0);
      await manager.idle();
      const snapshot = () => {
        const u = manager.usageStats();
        const { staging: _staging, ...resources } = u.byKind;
        return JSON.stringify({ resources, hostBytes: u.hostBytes });
      };
      const before = snapshot();
      const handlesBefore = [...manager.resources()].map((x) => x.handle).sort((a, b) => a - b);
      const objectsBefore = new Set<unknown>(textures.map((t) => manager.gpu(t)));

      const ext = gl.getExtension('WEBGL_lose_context');
      if (!ext) throw new Error('no WEBGL_lose_context');
      let whileLost = '';
      const lost = new Promise<void>((resolve) =>
        manager.on('lost', () => {
          try {
            manager.createBuffer({ size: 4, usage: BufferUsage.COPY_DST });
          } catch (e) {
            if (e instanceof DeviceLostError) whileLost = `${manager.get(textures[0]!)?.state}`;
          }
          resolve();
        }),
      );
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
      ext.loseContext();
      await lost;
      // Chromium allows restoreContext only once the lost event's dispatch is over (not in its microtasks).
      await new Promise((resolve) => setTimeout(resolve, 0));
      const restoreAt = performance.now();
      ext.restoreContext(); // the manager restores by itself on webglcontextrestored
      const report = await restored;
      const wallMs = performance.now() - restoreAt;
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
      ];
      let resolving = 0;
      for (const h of all) {
        try {
          if (manager.gpu(h) !== undefined && manager.get(h)?.state === 'live') resolving++;
        } catch {}
      }
      const newObjects = textures.filter((t) => !objectsBefore.has(manager.gpu(t))).length;
      const after = snapshot();
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
      const frameAfter = await drawFrame(103, 0);
      manager.dispose();
      return {
        report,
        wallMs,
        whileLost,
        handlesSame: JSON.stringify(handlesAfter) === JSON.stringify(handlesBefore),
        all: all.length,
        resolving,
        newObjects,
        before,
        after,
        bad,
        maskAfter,
        regenerated,
        frameBefore,
        frameAfter,
        expectedFrame: [...texels(103)],
      };
    });
    console.log(
      `[restore webgl2] ${r.report.restored} resources restored in ${r.report.durationMs.toFixed(0)} ms (restoreContext to restored event ${r.wallMs.toFixed(0)} ms); empty: ${r.report.empty.join(', ')}`,
    );
    expect(r.report.failed).toEqual([]);
    expect(r.report.empty).toEqual(['no-source depth']);
    expect(r.whileLost).toBe('lost');
    expect(r.handlesSame).toBe(true);
    expect(r.resolving).toBe(r.all);
    expect(r.newObjects).toBe(1000); // every texture has a new GL object
    expect(r.after).toBe(r.before);
    expect(r.bad).toEqual([]);
    expect(r.maskAfter).toEqual([1, 1, 1, 1]);
    expect(r.regenerated).toBe(50);
    expect(r.frameBefore).toEqual({ glErrors: [], pixels: r.expectedFrame });
    expect(r.frameAfter).toEqual({ glErrors: [], pixels: r.expectedFrame });
  }, 180_000);
});
