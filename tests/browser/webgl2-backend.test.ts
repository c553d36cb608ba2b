/**
 * WebGL2-specific behaviour on real GL (Chromium, ANGLE on SwiftShader): capabilities from the context, real
 * deletes (gl.is* false afterwards, each delete exactly once), GL-only validation, framebuffer status and
 * MSAA renderbuffer bytes. Compiler messages, context loss, rendering and staging have their own
 * webgl2-*.test.ts files; what both backends share is in the conformance suite.
 */
import { describe, expect, it } from 'vitest';
import { useWebGL2Page } from './pages/webgl2-harness.ts';

const harness = useWebGL2Page();

describe('WebGL2 backend', () => {
  it('reads limits from the context and reports a feature for each extension it enabled', async () => {
    const r = await harness.page.evaluate(() => {
      const gl = window.sharedGL();
      const { createResourceManager } = window.lib;
      const manager = createResourceManager({ gl });
      const { limits, features, backend } = manager.backend.capabilities;
      const p = (name: number) => Number(gl.getParameter(name));
      const out = {
        backend,
        limits: [limits.maxTextureDimension2D, limits.maxTextureDimension3D, limits.maxTextureArrayLayers],
        gl: [p(gl.MAX_TEXTURE_SIZE), p(gl.MAX_3D_TEXTURE_SIZE), p(gl.MAX_ARRAY_TEXTURE_LAYERS)],
        colorAttachments: [
          limits.maxColorAttachments,
          Math.min(p(gl.MAX_COLOR_ATTACHMENTS), p(gl.MAX_DRAW_BUFFERS)),
        ],
        maxBufferSize: limits.maxBufferSize,
        features: [...features].sort(),
        s3tc: gl.getSupportedExtensions()?.includes('WEBGL_compressed_texture_s3tc') ?? false,
        floatRender: gl.getSupportedExtensions()?.includes('EXT_color_buffer_float') ?? false,
      };
      manager.dispose();
      return out;
    });
    expect(r.backend).toBe('webgl2');
    expect(r.limits).toEqual(r.gl);
    expect(r.colorAttachments[0]).toBe(r.colorAttachments[1]);
    expect(r.maxBufferSize).toBe(256 * 1024 * 1024);
    expect(r.features).toContain('depth32float-stencil8');
    // This Chromium offers both (checked in the smoke run); the mapping must turn them into features.
    expect([r.s3tc, r.floatRender]).toEqual([true, true]);
    expect(r.features).toEqual(
      expect.arrayContaining(['texture-compression-bc', 'rg11b10ufloat-renderable']),
    );
  });

  it('destroy deletes every GL object exactly once, and gl.is* says it is gone', async () => {
    const r = await harness.page.evaluate(async () => {
      const gl = window.sharedGL();
      const { createResourceManager, TextureUsage, BufferUsage } = window.lib;
      const RA = TextureUsage.RENDER_ATTACHMENT;
      const deletes = new Map<unknown, number>();
      const names = [
        'deleteTexture',
        'deleteBuffer',
        'deleteProgram',
        'deleteShader',
        'deleteFramebuffer',
        'deleteRenderbuffer',
      ] as const;
      const saved = names.map((name) => [name, gl[name]] as const);
      for (const [name, real] of saved) {
        (gl as unknown as Record<string, (o: unknown) => void>)[name] = (object: unknown) => {
          deletes.set(object, (deletes.get(object) ?? 0) + 1);
          (real as (o: unknown) => void).call(gl, object);
        };
      }
      try {
        const m = createResourceManager({ gl });
        const sampled = m.createTexture({
          size: [8, 8, 3],
          format: 'rgba8unorm',
          usage: TextureUsage.TEXTURE_BINDING,
        });
        const msaa = m.createTexture({ size: [8, 8], format: 'rgba8unorm', usage: RA, sampleCount: 4 });
        const resolve = m.createTexture({ size: [8, 8], format: 'rgba8unorm', usage: RA });
        const depth = m.createTexture({
          size: [8, 8],
          format: 'depth24plus-stencil8',
          usage: RA,
          sampleCount: 4,
        });
        const rt = m.createRenderTarget({
          color: [{ texture: msaa, resolveTarget: resolve }],
          depthStencil: depth,
        });
        const buf = m.createBuffer({ size: 64, usage: BufferUsage.INDEX });
        const shader = await m.createShader({
          vertex: '#version 300 es\nvoid main() { gl_Position = vec4(0.0); }',
          fragment: '#version 300 es\nprecision mediump float;\nout vec4 c;\nvoid main() { c = vec4(1.0); }',
        });
        const objects = {
          sampled: m.gpu(sampled),
          msaa: m.gpu(msaa),
          resolve: m.gpu(resolve),
          depth: m.gpu(depth),
          rt: m.gpu(rt),
          buf: m.gpu(buf),
          shader: m.gpu(shader),
        };
        const glObjects: [string, unknown, (o: never) => boolean][] = [
          ['sampled', objects.sampled.kind === 'texture' && objects.sampled.texture, gl.isTexture.bind(gl)],
          [
            'msaa',
            objects.msaa.kind === 'renderbuffer' && objects.msaa.renderbuffer,
            gl.isRenderbuffer.bind(gl),
          ],
          ['resolve', objects.resolve.kind === 'texture' && objects.resolve.texture, gl.isTexture.bind(gl)],
          [
            'depth',
            objects.depth.kind === 'renderbuffer' && objects.depth.renderbuffer,
            gl.isRenderbuffer.bind(gl),
          ],
          ['framebuffer', objects.rt.framebuffer, gl.isFramebuffer.bind(gl)],
          ['resolve framebuffer', objects.rt.resolveFramebuffers[0], gl.isFramebuffer.bind(gl)],
          ['buffer', objects.buf.buffer, gl.isBuffer.bind(gl)],
          ['program', objects.shader.program, gl.isProgram.bind(gl)],
          ['vertex shader', objects.shader.vertexShader, gl.isShader.bind(gl)],
          ['fragment shader', objects.shader.fragmentShader, gl.isShader.bind(gl)],
        ];
        const aliveBefore = glObjects.map(([name, o, is]) => [name, is(o as never)]);
        const deletesBefore = deletes.size;
        for (const h of [rt, sampled, msaa, resolve, depth, buf, shader]) m.destroy(h);
        const aliveAfter = glObjects.map(([name, o, is]) => [name, is(o as never)]);
        const deleteCounts = glObjects.map(([name, o]) => [name, deletes.get(o) ?? 0]);
        m.dispose();
        return { aliveBefore, aliveAfter, deleteCounts, deletesBefore, totalDeletes: deletes.size };
      } finally {
        for (const [name, real] of saved) (gl as unknown as Record<string, unknown>)[name] = real;
      }
    });
    const names = r.aliveBefore.map(([name]) => name);
    expect(r.aliveBefore).toEqual(names.map((n) => [n, true]));
    expect(r.deletesBefore).toBe(0);
    expect(r.aliveAfter).toEqual(names.map((n) => [n, false]));
    expect(r.deleteCounts).toEqual(names.map((n) => [n, 1]));
    expect(r.totalDeletes).toBe(names.length);
  });

  it('refuses what GL cannot do before any GL call, with the field and the rule; the ledger is unchanged', async () => {
    const r = await harness.page.evaluate(() => {
      const gl = window.sharedGL();
      const { createResourceManager, TextureUsage: T, BufferUsage: B, ValidationError } = window.lib;
      const m = createResourceManager({ gl });
      let glCreates = 0;
      const creators = ['createTexture', 'createBuffer', 'createRenderbuffer'] as const;
      const saved = creators.map((name) => [name, gl[name]] as const);
      for (const [name, real] of saved) {
        (gl as unknown as Record<string, () => unknown>)[name] = () => {
          glCreates++;
          return (real as () => unknown).call(gl);
        };
      }
      const before = JSON.stringify(m.usageStats());
      const attempts: [string, () => unknown][] = [
        [
          'storage texture',
          () => m.createTexture({ size: [4, 4], format: 'rgba8unorm', usage: T.STORAGE_BINDING }),
        ],
        ['bgra', () => m.createTexture({ size: [4, 4], format: 'bgra8unorm', usage: T.TEXTURE_BINDING })],
        [
          'sampled msaa',
          () =>
            m.createTexture({
              size: [4, 4],
              format: 'rgba8unorm',
              usage: T.RENDER_ATTACHMENT | T.TEXTURE_BINDING,
              sampleCount: 4,
            }),
        ],
        [
          'integer msaa',
          () =>
            m.createTexture({ size: [4, 4], format: 'r8uint', usage: T.RENDER_ATTACHMENT, sampleCount: 4 }),
        ],
        [
          'sampled stencil8',
          () =>
            m.createTexture({
              size: [4, 4],
              format: 'stencil8',
              usage: T.RENDER_ATTACHMENT | T.TEXTURE_BINDING,
            }),
        ],
        ['index + vertex', () => m.createBuffer({ size: 16, usage: B.INDEX | B.VERTEX })],
        ['storage buffer', () => m.createBuffer({ size: 16, usage: B.STORAGE })],
        ['mapped at creation', () => m.createBuffer({ size: 16, usage: B.VERTEX, mappedAtCreation: true })],
      ];
      const outcomes = attempts.map(([name, attempt]) => {
        try {
          attempt();
          return [name, 'created'];
        } catch (e) {
          return [name, e instanceof ValidationError ? e.field : String(e)];
        }
      });
      for (const [name, real] of saved) (gl as unknown as Record<string, unknown>)[name] = real;
      const unchanged = JSON.stringify(m.usageStats()) === before;
      m.dispose();
      return { outcomes, glCreates, unchanged };
    });
    expect(r.outcomes).toEqual([
      ['storage texture', 'format'],
      ['bgra', 'format'],
      ['sampled msaa', 'usage'],
      ['integer msaa', 'sampleCount'],
      ['sampled stencil8', 'format'],
      ['index + vertex', 'usage'],
      ['storage buffer', 'usage'],
      ['mapped at creation', 'mappedAtCreation'],
    ]);
    expect(r.glCreates).toBe(0);
    expect(r.unchanged).toBe(true);
  });

  it('an incomplete framebuffer throws FramebufferIncompleteError naming the status and leaks nothing', async () => {
    const r = await harness.page.evaluate(() => {
      const gl = window.sharedGL();
      const { createResourceManager, TextureUsage, ValidationError } = window.lib;
      const RA = TextureUsage.RENDER_ATTACHMENT;
      const m = createResourceManager({ gl });
      const color = m.createTexture({
        label: 'msaa',
        size: [8, 8],
        format: 'rgba8unorm',
        usage: RA,
        sampleCount: 4,
      });
      const depth = m.createTexture({ label: 'depth', size: [8, 8], format: 'depth24plus', usage: RA });
      let managerField = '';
      try {
        m.createRenderTarget({ label: 'mixed', color: [color], depthStencil: depth });
      } catch (e) {
        managerField = e instanceof ValidationError ? e.field : String(e);
      }
      // The backend's own last check, reached by bypassing validation: mixed sample counts.
      const made: WebGLFramebuffer[] = [];
      const realCreate = gl.createFramebuffer;
      gl.createFramebuffer = () => {
        const fb = realCreate.call(gl);
        made.push(fb);
        return fb;
      };
      let error: { name: string; statusName: string; message: string } | undefined;
      try {
        m.backend.createRenderTarget(
          {
            label: 'mixed',
            color: [{ texture: color, resolveTarget: undefined, clearValue: [0, 0, 0, 0], transient: false }],
            depthStencil: { texture: depth, depthClearValue: 1, stencilClearValue: 0, transient: false },
            width: 8,
            height: 8,
            sampleCount: 4,
          },
          { color: [{ texture: m.gpu(color), resolveTarget: undefined }], depthStencil: m.gpu(depth) },
        );
      } catch (e) {
        const f = e as { name: string; statusName: string; message: string };
        error = { name: f.name, statusName: f.statusName, message: f.message };
      } finally {
        gl.createFramebuffer = realCreate;
      }
      const out = {
        managerField,
        error,
        made: made.length,
        leaked: made.filter((fb) => gl.isFramebuffer(fb)).length,
        bound: gl.getParameter(gl.FRAMEBUFFER_BINDING),
      };
      m.dispose();
      return out;
    });
    expect(r.managerField).toBe('depthStencil.sampleCount');
    expect(r.error?.name).toBe('FramebufferIncompleteError');
    expect(r.error?.statusName).toBe('FRAMEBUFFER_INCOMPLETE_MULTISAMPLE');
    expect(r.error?.message).toMatch(
      /'mixed': framebuffer status = FRAMEBUFFER_INCOMPLETE_MULTISAMPLE \(0x8d56\)/,
    );
    expect(r.made).toBe(1);
    expect(r.leaked).toBe(0);
    expect(r.bound).toBeNull();
  });

  it('a multisampled texture is a 4-sample renderbuffer counted 4x; depth32float-stencil8 costs 8 B a texel', async () => {
    const r = await harness.page.evaluate(() => {
      const gl = window.sharedGL();
      const { createResourceManager, TextureUsage } = window.lib;
      const RA = TextureUsage.RENDER_ATTACHMENT;
      const m = createResourceManager({ gl });
      const msaa = m.createTexture({ size: [64, 32], format: 'rgba8unorm', usage: RA, sampleCount: 4 });
      const depth = m.createTexture({
        size: [64, 32],
        format: 'depth24plus-stencil8',
        usage: RA,
        sampleCount: 4,
      });
      const d32s8 = m.createTexture({ size: [16, 16], format: 'depth32float-stencil8', usage: RA });
      const query = (handle: typeof msaa) => {
        const gpu = m.gpu(handle);
        if (gpu.kind !== 'renderbuffer') return undefined;
        gl.bindRenderbuffer(gl.RENDERBUFFER, gpu.renderbuffer);
        const samples = gl.getRenderbufferParameter(gl.RENDERBUFFER, gl.RENDERBUFFER_SAMPLES);
        const format = gl.getRenderbufferParameter(gl.RENDERBUFFER, gl.RENDERBUFFER_INTERNAL_FORMAT);
        gl.bindRenderbuffer(gl.RENDERBUFFER, null);
        return { samples, format, bytes: m.resolve(handle).bytes };
      };
      const out = {
        msaa: query(msaa),
        depth: query(depth),
        rgba8: gl.RGBA8,
        d24s8: gl.DEPTH24_STENCIL8,
        d32s8: m.resolve(d32s8).bytes,
        total: m.stats().byKind.texture.bytes,
      };
      m.dispose();
      return out;
    });
    expect(r.msaa).toEqual({ samples: 4, format: r.rgba8, bytes: 64 * 32 * 4 * 4 });
    expect(r.depth).toEqual({ samples: 4, format: r.d24s8, bytes: 64 * 32 * 4 * 4 });
    expect(r.d32s8).toBe(16 * 16 * 8);
    expect(r.total).toBe(2 * 32_768 + 2_048);
  });
});
