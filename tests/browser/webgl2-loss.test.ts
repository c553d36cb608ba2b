/**
 * WebGL2 context loss and debug mode on real GL: a lost context (WEBGL_lose_context) refuses creates at once,
 * keeps every handle valid in state 'lost' when its event arrives and is never touched again (restore:
 * tests/browser/restore-webgl2.test.ts); debug mode names GL errors.
 */
import { describe, expect, it } from 'vitest';
import { useWebGL2Page } from './pages/webgl2-harness.ts';

const harness = useWebGL2Page();

describe('WebGL2 context loss and debug mode', () => {
  it('context loss: creates between the loss and its event throw DeviceLostError; no GL object is touched after', async () => {
    const r = await harness.page.evaluate(async () => {
      const gl = window.newGL();
      const { createResourceManager, BufferUsage, TextureUsage, DeviceLostError } = window.lib;
      const m = createResourceManager({ gl });
      const tex = m.createTexture({
        label: 'tex',
        size: [4, 4],
        format: 'rgba8unorm',
        usage: TextureUsage.TEXTURE_BINDING,
      });
      const buf = m.createBuffer({ label: 'buf', size: 16, usage: BufferUsage.VERTEX });
      let glCalls = 0;
      for (const name of ['deleteTexture', 'deleteBuffer', 'deleteProgram', 'deleteFramebuffer'] as const) {
        const real = gl[name] as (o: unknown) => void;
        (gl as unknown as Record<string, (o: unknown) => void>)[name] = (o) => {
          glCalls++;
          real.call(gl, o);
        };
      }
      const lost = new Promise<string>((resolve) => m.on('lost', (e) => resolve(e.reason)));
      gl.getExtension('WEBGL_lose_context')!.loseContext();
      let early = '';
      try {
        m.createBuffer({ size: 4, usage: BufferUsage.VERTEX });
      } catch (e) {
        early = e instanceof DeviceLostError ? e.message : String(e);
      }
      const reason = await lost;
      const states = [m.get(tex)?.state, m.get(buf)?.state];
      const report = m.dispose().map((leak) => leak.label);
      return { early, reason, states, glCalls, report };
    });
    expect(r.early).toMatch(/the WebGL2 context is lost; cannot create a buffer/);
    expect(r.reason).toMatch(/^WebGL2 context lost/);
    expect(r.states).toEqual(['lost', 'lost']);
    expect(r.glCalls).toBe(0);
    expect(r.report).toEqual(['tex', 'buf']);
  });

  it('debug mode names GL errors (captureErrors) and finds none for valid creates', async () => {
    const r = await harness.page.evaluate(async () => {
      const gl = window.sharedGL();
      const { createResourceManager, TextureUsage, BufferUsage } = window.lib;
      const m = createResourceManager({ gl, debug: true });
      m.createTexture({
        size: [8, 8],
        format: 'rgba8unorm',
        usage: TextureUsage.TEXTURE_BINDING,
        mipLevelCount: 'full',
      });
      m.createBuffer({ size: 64, usage: BufferUsage.UNIFORM });
      const managerErrors = (await m.gpuErrors()).map((e) => e.message);
      const { error } = m.backend.captureErrors(() => {
        gl.bindTexture(gl.TEXTURE_2D, null);
        gl.texStorage2D(gl.TEXTURE_2D, 1, gl.RGBA8, 4, 4); // no texture bound: INVALID_OPERATION
      });
      const captured = await error;
      m.dispose();
      return { managerErrors, captured };
    });
    expect(r.managerErrors).toEqual([]);
    expect(r.captured).toBe('gl.getError() reported INVALID_OPERATION');
  });
});
