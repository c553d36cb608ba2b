/**
 * Drawing with the WebGL2 backend on real GL: render passes clear (also integer attachments), resolve MSAA and
 * discard like WebGPU passes; creation never disturbs the caller's bindings; `submit` runs command functions
 * and fences them, so a destroyed in-flight buffer is deleted only once the GPU is done.
 */
import { describe, expect, it } from 'vitest';
import { useWebGL2Page } from './pages/webgl2-harness.ts';

const harness = useWebGL2Page();

describe('WebGL2 render passes', () => {
  it('begin() clears every attachment whatever the scissor and masks, end() resolves MSAA, and state is restored', async () => {
    const r = await harness.page.evaluate(() => {
      const gl = window.sharedGL();
      const { createResourceManager, TextureUsage } = window.lib;
      const RA = TextureUsage.RENDER_ATTACHMENT;
      const m = createResourceManager({ gl });
      const readRGBA8 = (
        texture: WebGLTexture,
        format: number = gl.RGBA,
        type: number = gl.UNSIGNED_BYTE,
      ) => {
        const fb = gl.createFramebuffer();
        gl.bindFramebuffer(gl.READ_FRAMEBUFFER, fb);
        gl.framebufferTexture2D(gl.READ_FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, texture, 0);
        const out = type === gl.UNSIGNED_BYTE ? new Uint8Array(4 * 4 * 4) : new Uint32Array(4 * 4 * 4);
        gl.readPixels(0, 0, 4, 4, format, type, out);
        gl.bindFramebuffer(gl.READ_FRAMEBUFFER, null);
        gl.deleteFramebuffer(fb);
        return [...new Set(Array.from({ length: 16 }, (_, i) => [...out.slice(i * 4, i * 4 + 4)].join(',')))];
      };
      const tex = (handle: Parameters<typeof m.gpu>[0]) => {
        const gpu = m.gpu(handle) as { kind: string; texture: WebGLTexture };
        return gpu.texture;
      };
      const color = m.createTexture({ size: [4, 4], format: 'rgba8unorm', usage: RA });
      const ints = m.createTexture({ size: [4, 4], format: 'r32uint', usage: RA });
      const depth = m.createTexture({ size: [4, 4], format: 'depth24plus-stencil8', usage: RA });
      const rt = m.createRenderTarget({
        color: [
          { texture: color, clearValue: [1, 0, 0, 1] },
          { texture: ints, clearValue: [7, 0, 0, 0] },
        ],
        depthStencil: { texture: depth, depthClearValue: 0.5, stencilClearValue: 3 },
      });
      // Caller state that a GL clear would honour and a WebGPU load does not.
      gl.enable(gl.SCISSOR_TEST);
      gl.scissor(0, 0, 1, 1);
      gl.colorMask(false, true, false, true);
      gl.depthMask(false);
      const pass = m.renderPass(rt);
      pass.begin();
      const viewport = [...(gl.getParameter(gl.VIEWPORT) as Int32Array)];
      pass.end();
      const state = {
        scissor: gl.isEnabled(gl.SCISSOR_TEST),
        colorMask: gl.getParameter(gl.COLOR_WRITEMASK),
        depthMask: gl.getParameter(gl.DEPTH_WRITEMASK),
        bound: gl.getParameter(gl.FRAMEBUFFER_BINDING),
      };
      gl.disable(gl.SCISSOR_TEST);
      gl.colorMask(true, true, true, true);
      gl.depthMask(true);
      const cleared = readRGBA8(tex(color));
      const clearedInts = readRGBA8(tex(ints), gl.RGBA_INTEGER, gl.UNSIGNED_INT);
      // load: 'load' keeps the contents; a second render target resolves a 4x MSAA colour into a texture.
      const again = m.renderPass(rt, { load: 'load' });
      again.begin();
      again.end();
      const kept = readRGBA8(tex(color));
      const msaa = m.createTexture({ size: [4, 4], format: 'rgba8unorm', usage: RA, sampleCount: 4 });
      const resolved = m.createTexture({ size: [4, 4], format: 'rgba8unorm', usage: RA });
      const msaaRt = m.createRenderTarget({
        color: [{ texture: msaa, resolveTarget: resolved, clearValue: [0, 1, 0, 1] }],
      });
      const msaaPass = m.renderPass(msaaRt, { store: 'discard' });
      msaaPass.begin();
      msaaPass.end();
      const resolvedPixels = readRGBA8(tex(resolved));
      m.dispose();
      return { viewport, state, cleared, clearedInts, kept, resolvedPixels, size: [pass.width, pass.height] };
    });
    expect(r.viewport).toEqual([0, 0, 4, 4]);
    expect(r.size).toEqual([4, 4]);
    expect(r.state).toEqual({
      scissor: true,
      colorMask: [false, true, false, true],
      depthMask: false,
      bound: null,
    });
    expect(r.cleared).toEqual(['255,0,0,255']);
    expect(r.clearedInts).toEqual(['7,0,0,1']);
    expect(r.kept).toEqual(['255,0,0,255']);
    expect(r.resolvedPixels).toEqual(['0,255,0,255']);
  });

  it('creating resources leaves every binding of the caller as it was', async () => {
    const r = await harness.page.evaluate(async () => {
      const gl = window.sharedGL();
      const { createResourceManager, TextureUsage: T, BufferUsage: B } = window.lib;
      const m = createResourceManager({ gl });
      const mine = {
        tex2d: gl.createTexture(),
        array: gl.createTexture(),
        vbo: gl.createBuffer(),
        ibo: gl.createBuffer(),
        fb: gl.createFramebuffer(),
        rb: gl.createRenderbuffer(),
        vao: gl.createVertexArray(),
      };
      gl.bindTexture(gl.TEXTURE_2D, mine.tex2d);
      gl.bindTexture(gl.TEXTURE_2D_ARRAY, mine.array);
      gl.bindVertexArray(mine.vao);
      gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, mine.ibo);
      gl.bindBuffer(gl.ARRAY_BUFFER, mine.vbo);
      gl.bindFramebuffer(gl.FRAMEBUFFER, mine.fb);
      gl.bindRenderbuffer(gl.RENDERBUFFER, mine.rb);
      const bindings = () => [
        gl.getParameter(gl.TEXTURE_BINDING_2D) === mine.tex2d,
        gl.getParameter(gl.TEXTURE_BINDING_2D_ARRAY) === mine.array,
        gl.getParameter(gl.VERTEX_ARRAY_BINDING) === mine.vao,
        gl.getParameter(gl.ELEMENT_ARRAY_BUFFER_BINDING) === mine.ibo,
        gl.getParameter(gl.ARRAY_BUFFER_BINDING) === mine.vbo,
        gl.getParameter(gl.DRAW_FRAMEBUFFER_BINDING) === mine.fb,
        gl.getParameter(gl.READ_FRAMEBUFFER_BINDING) === mine.fb,
        gl.getParameter(gl.RENDERBUFFER_BINDING) === mine.rb,
      ];
      const before = bindings();
      const RA = T.RENDER_ATTACHMENT;
      const color = m.createTexture({ size: [8, 8], format: 'rgba8unorm', usage: RA | T.TEXTURE_BINDING });
      m.createTexture({
        size: [8, 8, 4],
        format: 'r8unorm',
        usage: T.TEXTURE_BINDING,
        mipLevelCount: 'full',
      });
      m.createTexture({ size: [8, 8, 8], format: 'rgba16float', usage: T.TEXTURE_BINDING, dimension: '3d' });
      const msaa = m.createTexture({ size: [8, 8], format: 'rgba8unorm', usage: RA, sampleCount: 4 });
      m.createBuffer({ size: 64, usage: B.INDEX | B.COPY_DST });
      m.createBuffer({ size: 64, usage: B.VERTEX });
      m.createBuffer({ size: 64, usage: B.UNIFORM });
      m.createRenderTarget({ color: [{ texture: msaa, resolveTarget: color }] });
      await m.createShader({
        vertex: '#version 300 es\nvoid main() { gl_Position = vec4(0.0); }',
        fragment: '#version 300 es\nprecision mediump float;\nout vec4 c;\nvoid main() { c = vec4(1.0); }',
      });
      const after = bindings();
      m.dispose();
      gl.bindVertexArray(null);
      gl.bindFramebuffer(gl.FRAMEBUFFER, null);
      for (const [name, object] of Object.entries(mine)) {
        if (name === 'tex2d' || name === 'array') gl.deleteTexture(object as WebGLTexture);
      }
      gl.deleteBuffer(mine.vbo);
      gl.deleteBuffer(mine.ibo);
      gl.deleteFramebuffer(mine.fb);
      gl.deleteRenderbuffer(mine.rb);
      gl.deleteVertexArray(mine.vao);
      return { before, after };
    });
    expect(r.before.every(Boolean)).toBe(true);
    expect(r.after).toEqual(r.before);
  });
});

describe('WebGL2 submit and fences', () => {
  it('submit runs command functions in order; a destroyed in-flight buffer is deleted once its fence passes', async () => {
    const r = await harness.page.evaluate(async () => {
      const gl = window.sharedGL();
      const { createResourceManager, BufferUsage } = window.lib;
      const m = createResourceManager({ gl });
      const buf = m.createBuffer({ label: 'in-flight', size: 1024, usage: BufferUsage.VERTEX });
      const raw = m.gpu(buf).buffer;
      const order: number[] = [];
      m.use(buf);
      m.submit([() => order.push(1), (g) => order.push(g === gl ? 2 : -2)]);
      m.destroy(buf);
      const during = { alive: gl.isBuffer(raw), pending: m.stats().pendingFreeBytes, has: m.has(buf) };
      let settled = false;
      const idle = m.idle().then(() => {
        settled = true;
      });
      const synchronous = settled;
      await idle;
      const after = { alive: gl.isBuffer(raw), pending: m.stats().pendingFreeBytes };
      m.dispose();
      return { order, during, synchronous, after };
    });
    expect(r.order).toEqual([1, 2]);
    expect(r.during).toEqual({ alive: true, pending: 1024, has: false });
    expect(r.synchronous).toBe(false);
    expect(r.after).toEqual({ alive: false, pending: 0 });
  });
});
