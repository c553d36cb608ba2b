/**
 * `staging.directWriteBytes` on the WebGL2 belt, on real GL in Chromium: a buffer write of at least that many
 * bytes is one `bufferSubData` in the upload call (counted in `directWrites`), unless a staged write to the
 * same buffer overlaps it or a read waits in the call order (then it is staged and lands in call order);
 * `Infinity` stages every write; the caller's buffer bindings, including a vertex array's index buffer, are
 * untouched. Every result is read back from the GPU.
 */
import { describe, expect, it } from 'vitest';
import { useWebGL2Page } from './pages/webgl2-harness.ts';

const harness = useWebGL2Page();

describe('WebGL2 direct writes', () => {
  it('a write of directWriteBytes or more is one bufferSubData at once, exact, with the caller bindings untouched', async () => {
    const r = await harness.page.evaluate(async () => {
      const gl = window.sharedGL();
      const { createResourceManager, BufferUsage } = window.lib;
      const m = createResourceManager({ gl, staging: { directWriteBytes: 4096 } });
      const usage = BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
      const vbo = m.createBuffer({ size: 65_536, usage: usage | BufferUsage.VERTEX });
      const ibo = m.createBuffer({ size: 8192, usage: usage | BufferUsage.INDEX });
      const callerCopy = gl.createBuffer();
      const callerArray = gl.createBuffer();
      const callerIndices = gl.createBuffer();
      const vao = gl.createVertexArray();
      gl.bindVertexArray(vao);
      gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, callerIndices);
      gl.bindBuffer(gl.COPY_WRITE_BUFFER, callerCopy);
      gl.bindBuffer(gl.ARRAY_BUFFER, callerArray);
      let calls = 0;
      const real = gl.bufferSubData;
      gl.bufferSubData = ((...args: Parameters<typeof gl.bufferSubData>) => {
        calls++;
        return real.apply(gl, args);
      }) as typeof gl.bufferSubData;
      const big = Uint8Array.from({ length: 40_000 }, (_, i) => (i * 7 + 1) & 255);
      const returned = m.upload(vbo, 1024, big);
      const afterBig = calls;
      const indices = Uint8Array.from({ length: 4096 }, (_, i) => (i * 3) & 255);
      m.upload(ibo, 0, indices); // exactly directWriteBytes: direct
      const afterExact = calls;
      m.upload(ibo, 4096, new Uint8Array(4092).fill(9)); // one word less: staged
      const afterSmaller = calls;
      const pendingBeforeFlush = m.stagingStats().upload.pendingCopies;
      m.flush();
      gl.bufferSubData = real;
      const bindings = {
        copyWrite: gl.getParameter(gl.COPY_WRITE_BUFFER_BINDING) === callerCopy,
        array: gl.getParameter(gl.ARRAY_BUFFER_BINDING) === callerArray,
        vaoIndices: gl.getParameter(gl.ELEMENT_ARRAY_BUFFER_BINDING) === callerIndices,
        vao: gl.getParameter(gl.VERTEX_ARRAY_BINDING) === vao,
      };
      gl.bindVertexArray(null);
      gl.bindBuffer(gl.COPY_WRITE_BUFFER, null);
      gl.bindBuffer(gl.ARRAY_BUFFER, null);
      for (const b of [callerCopy, callerArray, callerIndices]) gl.deleteBuffer(b);
      gl.deleteVertexArray(vao);
      const error = gl.getError();
      const stats = m.stagingStats().upload;
      const [vboBack, iboBack] = await Promise.all([m.read(vbo), m.read(ibo)]);
      const expectedVbo = new Uint8Array(65_536);
      expectedVbo.set(big, 1024);
      const expectedIbo = new Uint8Array(8192);
      expectedIbo.set(indices, 0);
      expectedIbo.fill(9, 4096, 8188);
      m.dispose();
      return {
        returned: returned === undefined,
        afterBig,
        afterExact,
        afterSmaller,
        pendingBeforeFlush,
        directWrites: stats.directWrites,
        copiesRecorded: stats.copiesRecorded,
        vboWrong: vboBack.findIndex((b, i) => b !== expectedVbo[i]),
        iboWrong: iboBack.findIndex((b, i) => b !== expectedIbo[i]),
        bindings,
        error,
      };
    });
    expect(r.returned).toBe(true);
    expect(r.afterBig).toBe(1);
    expect(r.afterExact).toBe(2);
    expect(r.afterSmaller).toBe(2);
    expect(r.pendingBeforeFlush).toBe(1);
    expect(r.directWrites).toBe(2);
    expect(r.copiesRecorded).toBe(1);
    expect(r.vboWrong).toBe(-1);
    expect(r.iboWrong).toBe(-1);
    expect(r.bindings).toEqual({ copyWrite: true, array: true, vaoIndices: true, vao: true });
    expect(r.error).toBe(0);
  });

  it('keeps call order against staged writes: a large write over a staged one is staged after it, one beside it goes at once', async () => {
    const r = await harness.page.evaluate(async () => {
      const gl = window.sharedGL();
      const { createResourceManager, BufferUsage } = window.lib;
      const m = createResourceManager({ gl, staging: { directWriteBytes: 4096 } });
      const usage = BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
      const a = m.createBuffer({ size: 32_768, usage });
      const b = m.createBuffer({ size: 32_768, usage });
      const fill = (value: number, bytes: number) => new Uint8Array(bytes).fill(value);
      // Staged small writes: a at 100..116 and 20,000..20,016, b at 0..16.
      m.upload(a, 100, fill(1, 16));
      m.upload(a, 20_000, fill(2, 16));
      m.upload(b, 0, fill(3, 16));
      const directs = () => m.stagingStats().upload.directWrites;
      m.upload(a, 0, fill(4, 8192)); // overlaps a's first staged write: staged after it, so 4 wins there
      const afterOverlap = directs();
      m.upload(a, 8192, fill(5, 8192)); // overlaps nothing staged (a's hull spans it, no entry does): direct
      const afterBeside = directs();
      m.upload(b, 4096, fill(6, 8192)); // b's staged write is elsewhere: direct
      const afterOtherBuffer = directs();
      m.upload(a, 19_996, fill(7, 4096)); // covers a's second staged write: staged after it
      const afterSecondOverlap = directs();
      // A small write staged after a direct write over the same bytes lands after it.
      m.upload(a, 8192, fill(8, 4));
      m.flush();
      // After a flush nothing is staged: the same large write over a goes direct again.
      m.upload(a, 28_672, fill(9, 4096));
      const afterFlush = directs();
      const [ra, rb] = await Promise.all([m.read(a), m.read(b)]);
      m.dispose();
      const at = (bytes: Uint8Array, offsets: number[]) => offsets.map((o) => bytes[o]);
      return {
        counts: [afterOverlap, afterBeside, afterOtherBuffer, afterSecondOverlap, afterFlush],
        a: at(ra, [0, 100, 115, 116, 8191, 8192, 8195, 8196, 16_383, 19_995, 19_996, 20_015, 24_091, 28_672]),
        b: at(rb, [0, 15, 16, 4096, 12_287, 12_288]),
        error: gl.getError(),
      };
    });
    expect(r.counts).toEqual([0, 1, 2, 2, 3]);
    expect(r.a).toEqual([4, 4, 4, 4, 4, 8, 8, 5, 5, 0, 7, 7, 7, 9]);
    expect(r.b).toEqual([3, 3, 0, 6, 6, 0]);
    expect(r.error).toBe(0);
  });

  it('directWriteBytes: Infinity stages every write, and a write behind a waiting read is staged in call order', async () => {
    const r = await harness.page.evaluate(async () => {
      const gl = window.sharedGL();
      const { createResourceManager, BufferUsage } = window.lib;
      const usage = BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
      let calls = 0;
      const real = gl.bufferSubData;
      gl.bufferSubData = ((...args: Parameters<typeof gl.bufferSubData>) => {
        calls++;
        return real.apply(gl, args);
      }) as typeof gl.bufferSubData;
      const staged = createResourceManager({ gl, staging: { directWriteBytes: Number.POSITIVE_INFINITY } });
      const s = staged.createBuffer({ size: 1 << 20, usage });
      const big = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 11 + 5) & 255);
      staged.upload(s, 0, big);
      const infinityBeforeFlush = calls;
      const infinityDirects = staged.stagingStats().upload.directWrites;
      staged.flush();
      const infinityAfterFlush = calls;
      gl.bufferSubData = real;
      const back = await staged.read(s);
      const infinityWrong = back.findIndex((v, i) => v !== big[i]);
      staged.dispose();

      const m = createResourceManager({ gl, staging: { directWriteBytes: 4096, maxReadbackBytes: 8192 } });
      const whole = m.createBuffer({ size: 8192, usage });
      const other = m.createBuffer({ size: 8192, usage });
      const first = m.read(whole); // takes the whole readback cap
      const queued = m.read(other, 0, 8); // waits: everything after it waits in call order
      const waited = m.upload(other, 0, new Uint8Array(8192).fill(7));
      const waitingDirects = m.stagingStats().upload.directWrites;
      await first;
      const seenByQueued = [...(await queued)];
      await waited;
      m.flush();
      const otherNow = [...(await m.read(other, 0, 8))];
      m.dispose();
      return {
        infinityBeforeFlush,
        infinityDirects,
        infinityAfterFlush,
        infinityWrong,
        waitedIsPromise: waited instanceof Promise,
        waitingDirects,
        seenByQueued,
        otherNow,
        error: gl.getError(),
      };
    });
    expect(r.infinityBeforeFlush).toBe(0);
    expect(r.infinityDirects).toBe(0);
    expect(r.infinityAfterFlush).toBe(1);
    expect(r.infinityWrong).toBe(-1);
    expect(r.waitedIsPromise).toBe(true);
    expect(r.waitingDirects).toBe(0);
    expect(r.seenByQueued).toEqual(new Array(8).fill(0));
    expect(r.otherNow).toEqual(new Array(8).fill(7));
    expect(r.error).toBe(0);
  });
});
