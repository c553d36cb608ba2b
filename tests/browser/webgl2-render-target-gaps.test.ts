import { describe, expect, it } from 'vitest';
import { useWebGL2Page } from './pages/webgl2-harness.ts';

const harness = useWebGL2Page();

describe('WebGL2 render targets with an empty colour slot (drawBuffers NONE, direct attach)', () => {
  it('clears slot 1 of [null, tex] with a { r, g, b, a } colour, resolves MSAA behind a gap, no GL error', async () => {
    const r = await harness.page.evaluate(() => {
      const gl = window.sharedGL();
      const { createResourceManager, TextureUsage } = window.lib;
      const RA = TextureUsage.RENDER_ATTACHMENT;
      const errs: [string, number][] = [];
      const chk = (w: string) => errs.push([w, gl.getError()]);
      chk('start');
      const m = createResourceManager({ gl });
      const read = (texture: WebGLTexture) => {
        const fb = gl.createFramebuffer();
        gl.bindFramebuffer(gl.READ_FRAMEBUFFER, fb);
        gl.framebufferTexture2D(gl.READ_FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, texture, 0);
        const out = new Uint8Array(4);
        gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, out);
        gl.bindFramebuffer(gl.READ_FRAMEBUFFER, null);
        gl.deleteFramebuffer(fb);
        return [...out];
      };
      const tex = (h: Parameters<typeof m.gpu>[0]) => (m.gpu(h) as { texture: WebGLTexture }).texture;
      const a = m.createTexture({ size: [4, 4], format: 'rgba8unorm', usage: RA });
      const rt = m.createRenderTarget({
        color: [null, { texture: a, clearValue: { r: 0, g: 1, b: 0, a: 1 } }],
      });
      chk('rt');
      const pass = m.renderPass(rt);
      pass.begin();
      const drawBuffer0 = gl.getParameter(gl.DRAW_BUFFER0);
      const drawBuffer1 = gl.getParameter(gl.DRAW_BUFFER1);
      chk('begin');
      pass.end();
      chk('end');
      const ms = m.createTexture({ size: [4, 4], format: 'rgba8unorm', usage: RA, sampleCount: 4 });
      const resolved = m.createTexture({ size: [4, 4], format: 'rgba8unorm', usage: RA });
      const msRt = m.createRenderTarget({
        color: [null, { texture: ms, resolveTarget: resolved, clearValue: [1, 0, 0, 1] }],
      });
      chk('msrt');
      const p2 = m.renderPass(msRt, { store: 'discard' });
      p2.begin();
      chk('p2begin');
      p2.end();
      chk('p2end');
      const result = {
        gap: read(tex(a)),
        resolved: read(tex(resolved)),
        drawBuffer0,
        drawBuffer1,
        NONE: gl.NONE,
        CA1: gl.COLOR_ATTACHMENT1,
        error: gl.getError(),
        errs,
      };
      m.dispose();
      return result;
    });
    expect(r.gap).toEqual([0, 255, 0, 255]);
    expect(r.resolved).toEqual([255, 0, 0, 255]);
    expect([r.drawBuffer0, r.drawBuffer1]).toEqual([r.NONE, r.CA1]);
    expect(r.errs.filter(([, code]) => code !== 0)).toEqual([]);
    expect(r.error).toBe(0);
  });
});
