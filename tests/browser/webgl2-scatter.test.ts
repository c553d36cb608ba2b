/**
 * Scattered uploads through the WebGL2 belt on real GL: non-adjacent writes land byte-exact (read back through
 * the manager), COPY_WRITE_BUFFER is bound once per change of target (not saved, bound and restored around
 * every write) and the caller's binding is back after flush, later writes win in call order across targets
 * and textures, a target destroyed mid-belt gets nothing, and GL reports no error. bench/webgl2-uploads.ts
 * measures why the belt keeps `bufferSubData` runs rather than staged `copyBufferSubData` or a
 * transform-feedback scatter.
 */
import { describe, expect, it } from 'vitest';
import { useWebGL2Page } from './pages/webgl2-harness.ts';

const harness = useWebGL2Page();

describe('WebGL2 scattered uploads', () => {
  it('1,000 shuffled writes to every other 256 B slot land byte-exact, with one bind of the target and the caller binding restored', async () => {
    const r = await harness.page.evaluate(async () => {
      const gl = window.sharedGL();
      const { createResourceManager, BufferUsage } = window.lib;
      const m = createResourceManager({ gl });
      const count = 1000;
      const size = 256;
      const usage = BufferUsage.COPY_SRC | BufferUsage.COPY_DST | BufferUsage.VERTEX;
      const buf = m.createBuffer({ size: 2 * count * size, usage });
      const background = Uint8Array.from({ length: 2 * count * size }, (_, i) => (i * 5 + 1) & 255);
      m.upload(buf, 0, background);
      m.flush();
      const slots = Array.from({ length: count }, (_, i) => i);
      for (let i = count - 1, seed = 7; i > 0; i--) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        const j = seed % (i + 1);
        [slots[i], slots[j]] = [slots[j]!, slots[i]!];
      }
      const expected = background.slice();
      const data = new Uint8Array(size);
      for (let w = 0; w < count; w++) {
        for (let k = 0; k < size; k++) data[k] = (w * 31 + k * 3) & 255;
        const offset = slots[w]! * 2 * size;
        m.upload(buf, offset, data); // the caller reuses its array: the belt copied it
        expected.set(data, offset);
      }
      const caller = gl.createBuffer();
      gl.bindBuffer(gl.COPY_WRITE_BUFFER, caller);
      const binds: (WebGLBuffer | null)[] = [];
      let subData = 0;
      const real = { bind: gl.bindBuffer, sub: gl.bufferSubData };
      gl.bindBuffer = (target, buffer) => {
        if (target === gl.COPY_WRITE_BUFFER) binds.push(buffer);
        real.bind.call(gl, target, buffer);
      };
      gl.bufferSubData = ((...args: Parameters<typeof gl.bufferSubData>) => {
        subData++;
        return real.sub.apply(gl, args);
      }) as typeof gl.bufferSubData;
      m.flush();
      gl.bindBuffer = real.bind;
      gl.bufferSubData = real.sub;
      const error = gl.getError();
      const callerKept = gl.getParameter(gl.COPY_WRITE_BUFFER_BINDING) === caller;
      gl.bindBuffer(gl.COPY_WRITE_BUFFER, null);
      gl.deleteBuffer(caller);
      const back = await m.read(buf);
      const wrong = back.findIndex((b, i) => b !== expected[i]);
      const target = m.gpu(buf).buffer;
      m.dispose();
      return {
        wrong,
        length: back.length,
        subData,
        binds: binds.map((b) => (b === target ? 'target' : b === caller ? 'caller' : String(b))),
        callerKept,
        error,
      };
    });
    expect(r.length).toBe(512_000);
    expect(r.wrong).toBe(-1);
    expect(r.subData).toBe(1000);
    expect(r.binds).toEqual(['target', 'caller']);
    expect(r.callerKept).toBe(true);
    expect(r.error).toBe(0);
  });

  it('writes alternating between buffers, an index buffer and a texture keep call order: the last write wins', async () => {
    const r = await harness.page.evaluate(async () => {
      const gl = window.sharedGL();
      const { createResourceManager, BufferUsage, TextureUsage } = window.lib;
      const m = createResourceManager({ gl });
      const usage = BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
      const a = m.createBuffer({ size: 1024, usage: usage | BufferUsage.UNIFORM });
      const b = m.createBuffer({ size: 1024, usage });
      const ibo = m.createBuffer({ size: 1024, usage: usage | BufferUsage.INDEX });
      const tex = m.createTexture({
        size: [2, 2],
        format: 'rgba8unorm',
        usage: TextureUsage.COPY_SRC | TextureUsage.COPY_DST | TextureUsage.TEXTURE_BINDING,
      });
      const fill = (value: number, bytes = 16) => new Uint8Array(bytes).fill(value);
      const vao = gl.createVertexArray();
      const callerIndices = gl.createBuffer();
      gl.bindVertexArray(vao);
      gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, callerIndices);
      gl.bindVertexArray(null);
      for (let i = 0; i < 8; i++) {
        // Non-adjacent offsets in each buffer, targets changing on every write.
        m.upload(a, i * 64, fill(1));
        m.upload(b, i * 64, fill(2));
        m.upload(ibo, i * 64 + 32, fill(3));
        m.uploadTexture(tex, fill(10 + i), {}, [2, 2]);
      }
      m.upload(a, 0, fill(4)); // overwrites the first write to a
      m.upload(ibo, 32, fill(5)); // and to the index buffer
      m.flush();
      const error = gl.getError();
      gl.bindVertexArray(vao);
      const vaoKept = gl.getParameter(gl.ELEMENT_ARRAY_BUFFER_BINDING) === callerIndices;
      gl.bindVertexArray(null);
      gl.deleteVertexArray(vao);
      gl.deleteBuffer(callerIndices);
      const [ra, rb, ri, rt] = await Promise.all([m.read(a), m.read(b), m.read(ibo), m.readTexture(tex)]);
      m.dispose();
      return {
        a: [...ra.subarray(0, 16)].concat([...ra.subarray(64, 80)], [...ra.subarray(16, 64)]),
        b: [...rb.subarray(448, 464)],
        ibo: [...ri.subarray(32, 48)].concat([...ri.subarray(480, 496)], [...ri.subarray(0, 32)]),
        texture: [...rt],
        vaoKept,
        error,
      };
    });
    expect(r.a).toEqual([...Array(16).fill(4), ...Array(16).fill(1), ...Array(48).fill(0)]);
    expect(r.b).toEqual(Array(16).fill(2));
    expect(r.ibo).toEqual([...Array(16).fill(5), ...Array(16).fill(3), ...Array(32).fill(0)]);
    expect(r.texture).toEqual(Array(16).fill(17));
    expect(r.vaoKept).toBe(true);
    expect(r.error).toBe(0);
  });

  it('a target destroyed mid-belt gets nothing; the writes to the others still land, with no GL error', async () => {
    const r = await harness.page.evaluate(async () => {
      const gl = window.sharedGL();
      const { createResourceManager, BufferUsage } = window.lib;
      const m = createResourceManager({ gl });
      const usage = BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
      const kept = m.createBuffer({ size: 4096, usage });
      const doomed = m.createBuffer({ size: 4096, usage });
      for (let i = 0; i < 16; i++) {
        m.upload(doomed, i * 256, new Uint8Array(16).fill(9));
        m.upload(kept, i * 256, new Uint8Array(16).fill(i + 1));
      }
      m.destroy(doomed);
      let subData = 0;
      const real = gl.bufferSubData;
      gl.bufferSubData = ((...args: Parameters<typeof gl.bufferSubData>) => {
        subData++;
        return real.apply(gl, args);
      }) as typeof gl.bufferSubData;
      m.flush();
      gl.bufferSubData = real;
      const error = gl.getError();
      const back = await m.read(kept);
      m.dispose();
      return {
        firsts: Array.from({ length: 16 }, (_, i) => back[i * 256]),
        gaps: back.filter((byte, i) => i % 256 >= 16 && byte !== 0).length,
        subData,
        error,
      };
    });
    expect(r.firsts).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(r.gaps).toBe(0);
    expect(r.subData).toBe(16);
    expect(r.error).toBe(0);
  });
});
