/**
 * `readBuffers` on WebGL2: there is no submit to share, so each range is read on its own (fenced, as `read`);
 * the results, their order, the staged uploads they see and the typed errors must match WebGPU's.
 */
import { describe, expect, it } from 'vitest';
import { useWebGL2Page } from './pages/webgl2-harness.ts';

const harness = useWebGL2Page();

describe('WebGL2 readBuffers', () => {
  it('reads every range in order, sees staged uploads, and rejects a bad request with nothing read', async () => {
    const r = await harness.page.evaluate(async () => {
      const gl = window.sharedGL();
      const { createResourceManager, BufferUsage } = window.lib;
      const m = createResourceManager({ gl });
      const usage = BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
      const a = m.createBuffer({ label: 'a', size: 1024, usage });
      const b = m.createBuffer({ label: 'b', size: 64, usage });
      m.upload(
        a,
        0,
        Uint8Array.from({ length: 1024 }, (_, i) => i & 255),
      );
      m.upload(
        b,
        0,
        Uint8Array.from({ length: 64 }, (_, i) => 255 - i),
      ); // staged, not flushed: the reads must see both
      const [wholeB, partA, oddA, empty] = await m.readBuffers([
        { buffer: b },
        { buffer: a, offset: 512, size: 16 },
        { buffer: a, offset: 3, size: 5 },
        { buffer: a, offset: 8, size: 0 },
      ]);
      let fetched = 0;
      const realGet = gl.getBufferSubData;
      gl.getBufferSubData = ((...args: Parameters<typeof gl.getBufferSubData>) => {
        fetched++;
        return realGet.apply(gl, args);
      }) as typeof gl.getBufferSubData;
      const bad = await m.readBuffers([{ buffer: a }, { buffer: b, offset: 60, size: 8 }]).then(
        () => undefined,
        (e: { name: string; field: string }) => ({ name: e.name, field: e.field }),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      gl.getBufferSubData = realGet;
      const result = {
        wholeB: [...wholeB!],
        partA: [...partA!],
        oddA: [...oddA!],
        empty: empty!.byteLength,
        bad,
        fetched,
        error: gl.getError(),
      };
      m.dispose();
      return result;
    });
    expect(r.wholeB).toEqual(Array.from({ length: 64 }, (_, i) => 255 - i));
    expect(r.partA).toEqual(Array.from({ length: 16 }, (_, i) => (512 + i) & 255));
    expect(r.oddA).toEqual([3, 4, 5, 6, 7]);
    expect(r.empty).toBe(0);
    expect(r.bad).toEqual({ name: 'ValidationError', field: 'size' });
    expect(r.fetched).toBe(0);
    expect(r.error).toBe(0);
  });
});
