/**
 * WebGL2 staging on real GL: reads are fenced and polled (clientWaitSync with a zero timeout) before
 * getBufferSubData, uploads are batched into few GL calls, texture reads repack exactly, index buffers are
 * read in place, caps hold without ever making a write wait, and readback buffers are really deleted.
 */
import { describe, expect, it } from 'vitest';
import { useWebGL2Page } from './pages/webgl2-harness.ts';

const harness = useWebGL2Page();

describe('WebGL2 staging', () => {
  it('a read fences its copy and calls getBufferSubData only after a zero-timeout poll saw the fence signalled', async () => {
    const r = await harness.page.evaluate(async () => {
      const gl = window.sharedGL();
      const { createResourceManager, BufferUsage } = window.lib;
      const m = createResourceManager({ gl });
      const buf = m.createBuffer({ size: 256, usage: BufferUsage.COPY_SRC | BufferUsage.COPY_DST });
      m.upload(
        buf,
        0,
        Uint8Array.from({ length: 256 }, (_, i) => i),
      );
      const log: string[] = [];
      const real = { fence: gl.fenceSync, wait: gl.clientWaitSync, get: gl.getBufferSubData };
      gl.fenceSync = (condition, flags) => {
        log.push('fenceSync');
        return real.fence.call(gl, condition, flags);
      };
      gl.clientWaitSync = (sync, flags, timeout) => {
        const status = real.wait.call(gl, sync, flags, timeout);
        const signalled = status === gl.ALREADY_SIGNALED || status === gl.CONDITION_SATISFIED;
        log.push(`clientWaitSync(timeout ${timeout}) ${signalled ? 'signalled' : 'pending'}`);
        return status;
      };
      gl.getBufferSubData = ((...args: Parameters<typeof gl.getBufferSubData>) => {
        log.push('getBufferSubData');
        return real.get.apply(gl, args);
      }) as typeof gl.getBufferSubData;
      let resolvedSynchronously = false;
      const reading = m.read(buf, 16, 8).then((bytes) => {
        resolvedSynchronously = true;
        return [...bytes];
      });
      const afterCall = resolvedSynchronously;
      const bytes = await reading;
      gl.fenceSync = real.fence;
      gl.clientWaitSync = real.wait;
      gl.getBufferSubData = real.get;
      m.dispose();
      return { log, bytes, afterCall };
    });
    expect(r.bytes).toEqual([16, 17, 18, 19, 20, 21, 22, 23]);
    expect(r.afterCall).toBe(false);
    expect(r.log[0]).toBe('fenceSync');
    expect(r.log.at(-1)).toBe('getBufferSubData');
    expect(r.log.at(-2)).toBe('clientWaitSync(timeout 0) signalled');
    expect(r.log.filter((e) => e.startsWith('clientWaitSync')).every((e) => e.includes('timeout 0'))).toBe(
      true,
    );
  });

  it('batches uploads: no GL call before flush, one bufferSubData for a run of adjacent writes', async () => {
    const r = await harness.page.evaluate(async () => {
      const gl = window.sharedGL();
      const { createResourceManager, BufferUsage } = window.lib;
      const m = createResourceManager({ gl });
      const buf = m.createBuffer({ size: 16_384, usage: BufferUsage.COPY_SRC | BufferUsage.COPY_DST });
      let calls = 0;
      const real = gl.bufferSubData;
      gl.bufferSubData = ((...args: Parameters<typeof gl.bufferSubData>) => {
        calls++;
        return real.apply(gl, args);
      }) as typeof gl.bufferSubData;
      const returned = new Set<unknown>();
      for (let i = 0; i < 1000; i++)
        returned.add(m.upload(buf, i * 16, new Uint32Array([i, i + 1, i + 2, i + 3])));
      const beforeFlush = calls;
      m.flush();
      const afterFlush = calls;
      gl.bufferSubData = real;
      const words = new Uint32Array((await m.read(buf, 999 * 16, 16)).buffer);
      m.dispose();
      return {
        beforeFlush,
        afterFlush,
        returned: [...returned].map((v) => v === undefined),
        last: [...words],
      };
    });
    expect(r.returned).toEqual([true]);
    expect(r.beforeFlush).toBe(0);
    expect(r.afterFlush).toBe(1);
    expect(r.last).toEqual([999, 1000, 1001, 1002]);
  });

  it('reads textures back exactly: half floats, integers, two channels, 3D slices; readPixels goes into a pack buffer', async () => {
    const r = await harness.page.evaluate(async () => {
      const gl = window.sharedGL();
      const { createResourceManager, TextureUsage } = window.lib;
      const m = createResourceManager({ gl });
      const usage = TextureUsage.COPY_SRC | TextureUsage.COPY_DST | TextureUsage.TEXTURE_BINDING;
      let clientReads = 0;
      const real = gl.readPixels;
      gl.readPixels = ((...args: unknown[]) => {
        if (typeof args[6] !== 'number') clientReads++;
        return (real as (...a: unknown[]) => void).apply(gl, args);
      }) as typeof gl.readPixels;
      const roundTrip = async (
        format: GPUTextureFormat,
        bytesPerTexel: number,
        size: number[],
        dimension?: '3d',
      ) => {
        const tex = m.createTexture({ size, format, usage, dimension });
        const count = size.reduce((a, b) => a * b, 1);
        const data = Uint8Array.from({ length: count * bytesPerTexel }, (_, i) => (i * 7 + 3) & 0x3f);
        m.uploadTexture(tex, data, {}, size);
        const back = await m.readTexture(tex);
        return back.length === data.length && back.every((b, i) => b === data[i]);
      };
      const results = {
        // Bytes below 0x40 keep every 16-bit value a finite half, so half -> float -> half is exact.
        rgba16float: await roundTrip('rgba16float', 8, [3, 2]),
        r16float: await roundTrip('r16float', 2, [5, 3]),
        r32uint: await roundTrip('r32uint', 4, [4, 4]),
        rg8unorm: await roundTrip('rg8unorm', 2, [3, 3]),
        r16sint: await roundTrip('r16sint', 2, [2, 5]),
        rgba32float: await roundTrip('rgba32float', 16, [2, 2]),
        volume: await roundTrip('rgba8unorm', 4, [4, 4, 3], '3d'),
      };
      gl.readPixels = real;
      m.dispose();
      return { results, clientReads };
    });
    expect(r.results).toEqual({
      rgba16float: true,
      r16float: true,
      r32uint: true,
      rg8unorm: true,
      r16sint: true,
      rgba32float: true,
      volume: true,
    });
    expect(r.clientReads).toBe(0);
  });

  it('reads index buffers in place (WebGL2 forbids copying them into a data buffer); refuses compressed reads', async () => {
    const r = await harness.page.evaluate(async () => {
      const gl = window.sharedGL();
      const { createResourceManager, BufferUsage, TextureUsage, ValidationError } = window.lib;
      const m = createResourceManager({ gl });
      const ibo = m.createBuffer({
        size: 12,
        usage: BufferUsage.INDEX | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
      });
      m.upload(ibo, 0, new Uint16Array([0, 1, 2, 2, 3, 0]));
      let copies = 0;
      const real = gl.copyBufferSubData;
      gl.copyBufferSubData = (...args: Parameters<typeof gl.copyBufferSubData>) => {
        copies++;
        real.apply(gl, args);
      };
      const indices = [...new Uint16Array((await m.read(ibo)).buffer)];
      gl.copyBufferSubData = real;
      const bc1 = m.createTexture({
        size: [8, 8],
        format: 'bc1-rgba-unorm',
        usage: TextureUsage.COPY_SRC | TextureUsage.COPY_DST | TextureUsage.TEXTURE_BINDING,
      });
      m.uploadTexture(bc1, new Uint8Array(32), {}, [8, 8]); // 2x2 blocks of 8 bytes
      m.flush();
      let refused = '';
      try {
        await m.readTexture(bc1);
      } catch (e) {
        refused = e instanceof ValidationError ? e.rule : String(e);
      }
      m.dispose();
      return { indices, copies, refused };
    });
    expect(r.indices).toEqual([0, 1, 2, 2, 3, 0]);
    expect(r.copies).toBe(0);
    expect(r.refused).toMatch(/cannot read compressed textures back/);
  });

  it('stays under small caps without making a write wait, and deletes readback buffers on trim and dispose', async () => {
    const r = await harness.page.evaluate(async () => {
      const gl = window.sharedGL();
      const { createResourceManager, BufferUsage } = window.lib;
      const m = createResourceManager({
        gl,
        staging: {
          maxUploadBytes: 8192,
          uploadChunkBytes: 4096,
          maxChunkBytes: 8192,
          maxReadbackBytes: 65_536,
        },
      });
      const created = new Set<WebGLBuffer>();
      const deleted = new Set<WebGLBuffer>();
      const realCreate = gl.createBuffer;
      const realDelete = gl.deleteBuffer;
      gl.createBuffer = () => {
        const b = realCreate.call(gl);
        created.add(b);
        return b;
      };
      gl.deleteBuffer = (b) => {
        if (b) deleted.add(b);
        realDelete.call(gl, b);
      };
      const buf = m.createBuffer({ size: 20_000, usage: BufferUsage.COPY_SRC | BufferUsage.COPY_DST });
      const data = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 13) & 0xff);
      const waited = m.upload(buf, 0, data);
      const peak = m.stagingStats().upload.bytes;
      const back = await m.read(buf);
      const same = back.every((b, i) => b === data[i]);
      const readbackBuffers = [...created].filter((b) => b !== m.gpu(buf).buffer);
      const trimmed = m.trimStaging({ keepBytes: 0, idleMs: 0 });
      const deletedByTrim = readbackBuffers.filter((b) => deleted.has(b)).length;
      await m.read(buf, 0, 4); // a new readback buffer, freed by dispose
      const second = [...created].filter((b) => b !== m.gpu(buf).buffer && !readbackBuffers.includes(b));
      m.dispose();
      gl.createBuffer = realCreate;
      gl.deleteBuffer = realDelete;
      const deletedByDispose = second.filter((b) => deleted.has(b)).length;
      const staging = m.stats().byKind.staging.bytes;
      return {
        waited: waited === undefined,
        peak,
        same,
        readbackBuffers: readbackBuffers.length,
        trimmed,
        deletedByTrim,
        deletedByDispose: [second.length, deletedByDispose],
        staging,
      };
    });
    expect(r.waited).toBe(true);
    expect(r.peak).toBeLessThanOrEqual(8192);
    expect(r.same).toBe(true);
    expect(r.readbackBuffers).toBe(1);
    expect(r.trimmed).toBeGreaterThan(0);
    expect(r.deletedByTrim).toBe(1);
    expect(r.deletedByDispose).toEqual([1, 1]);
    expect(r.staging).toBe(0);
  });
});
