import { describe, expect, it } from 'vitest';
import {
  BufferUsage,
  createResourceManager,
  DisposedError,
  ReadbackCancelledError,
  StaleHandleError,
  TextureUsage,
  ValidationError,
  type WebGPUResourceManager,
} from '../../src/index.ts';
import {
  filledBuffer as filledRawBuffer,
  firstDifference,
  pattern,
  stagingSettled,
} from '../staging/gpu-support.ts';
import { requestTestDevice, useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();
const KiB = 1024;
const SRC = BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
const TEX = TextureUsage.COPY_SRC | TextureUsage.COPY_DST | TextureUsage.TEXTURE_BINDING;

/** A buffer filled with raw `queue.writeBuffer`: see `filledBuffer` in gpu-support. */
function filledBuffer(manager: WebGPUResourceManager, label: string, bytes: Uint8Array) {
  return filledRawBuffer(gpu.device, manager, label, bytes, SRC);
}

/** Both the staging pools' own view and the ledger agree, and nothing is in use. */
function expectConsistent(manager: WebGPUResourceManager): void {
  const { upload, readback } = manager.stagingStats();
  expect(manager.stats().byKind.staging).toEqual({
    bytes: upload.bytes + readback.bytes,
    count: upload.chunks + readback.chunks,
  });
  expect(readback).toMatchObject({ inFlight: 0, waiting: 0 });
  expect(readback.idleChunks).toBe(readback.chunks);
}

describe('readback: buffers', () => {
  it('reads a buffer back byte for byte, whole and in unaligned parts', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const data = pattern(64 * KiB, 1);
    const buf = filledBuffer(manager, 'data', data);
    expect(firstDifference(await manager.read(buf), data)).toBe(-1);
    expect([...(await manager.read(buf, 3, 5))]).toEqual([...data.subarray(3, 8)]);
    expect([...(await manager.read(buf, 1000, 4))]).toEqual([...data.subarray(1000, 1004)]);
    const tail = await manager.read(buf, 65530);
    expect([...tail]).toEqual([...data.subarray(65530)]);
    expect((await manager.read(buf, 10, 0)).byteLength).toBe(0);
    manager.dispose();
  });

  it('a buffer destroyed behind the manager after a first read: the next read rejects with a typed error', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const bytes = pattern(256, 9);
    const buf = filledBuffer(manager, 'destroyed raw', bytes); // never written through the belt: not watched yet
    expect(await manager.read(buf)).toEqual(bytes); // the first read watches it
    manager.gpu(buf).destroy(); // the careless engine
    await expect(manager.read(buf)).rejects.toThrow(ValidationError);
    await expect(manager.read(buf)).rejects.toThrow(/destroyed directly/);
    expect(await manager.gpuErrors()).toEqual([]);
    manager.dispose();
  });

  it('returns an array the caller owns (its own ArrayBuffer of exactly the bytes read)', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const floats = new Float32Array([1.5, -2, 3.25, 4]);
    const buf = filledBuffer(manager, 'floats', new Uint8Array(floats.buffer));
    const bytes = await manager.read(buf);
    expect(bytes.buffer.byteLength).toBe(16);
    expect([...new Float32Array(bytes.buffer)]).toEqual([1.5, -2, 3.25, 4]);
    manager.dispose();
  });

  it('sees uploads staged before it, without an explicit flush', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const buf = manager.createBuffer({ label: 'rw', size: 256, usage: SRC });
    manager.upload(buf, 0, new Uint8Array(256).fill(42));
    expect([...(await manager.read(buf, 0, 4))]).toEqual([42, 42, 42, 42]);
    expect(manager.stagingStats().upload.pendingCopies).toBe(0);
    manager.dispose();
  });

  it('keeps several reads in flight, each with the right data, and reuses the buffers afterwards', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const datas = Array.from({ length: 8 }, (_, i) => pattern(64 * KiB, 10 + i));
    const bufs = datas.map((d, i) => filledBuffer(manager, `b${i}`, d));
    const pending = bufs.map((b) => manager.read(b));
    expect(manager.stagingStats().readback.inFlight).toBe(8);
    const results = await Promise.all(pending);
    for (const [i, r] of results.entries()) expect(firstDifference(r, datas[i]!)).toBe(-1);
    await stagingSettled(manager, gpu.device);
    const created = manager.stagingStats().readback.created;
    expect(created).toBe(8);
    const again = await Promise.all(bufs.map((b) => manager.read(b)));
    for (const [i, r] of again.entries()) expect(firstDifference(r, datas[i]!)).toBe(-1);
    expect(manager.stagingStats().readback.created).toBe(created); // served by idle buffers
    expect(manager.stagingStats().readback.reused).toBeGreaterThanOrEqual(8);
    expectConsistent(manager);
    manager.dispose();
  });

  it('past the readback cap, reads queue and complete in order', async () => {
    const manager = createResourceManager({
      device: gpu.device,
      staging: { maxReadbackBytes: 128 * KiB, maxChunkBytes: 64 * KiB },
    });
    const datas = Array.from({ length: 5 }, (_, i) => pattern(64 * KiB, 30 + i));
    const bufs = datas.map((d, i) => filledBuffer(manager, `q${i}`, d));
    const order: number[] = [];
    const pending = bufs.map((b, i) =>
      manager.read(b).then((r) => {
        order.push(i);
        return r;
      }),
    );
    await Promise.resolve(); // let the async delegates reach the pool
    expect(manager.stagingStats().readback).toMatchObject({ inFlight: 2, waiting: 3 });
    expect(manager.stagingStats().readback.bytes).toBeLessThanOrEqual(128 * KiB);
    const results = await Promise.all(pending);
    for (const [i, r] of results.entries()) expect(firstDifference(r, datas[i]!)).toBe(-1);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(manager.stagingStats().readback.created).toBe(2);
    manager.dispose();
  });

  it('rejects a read larger than the readback cap, and bad arguments, before the GPU', async () => {
    const manager = createResourceManager({
      device: gpu.device,
      staging: { maxReadbackBytes: 64 * KiB, maxChunkBytes: 64 * KiB },
    });
    const big = manager.createBuffer({ label: 'big', size: 128 * KiB, usage: SRC });
    await expect(manager.read(big)).rejects.toThrow(/maxReadbackBytes/);
    await expect(manager.read(big)).rejects.toBeInstanceOf(ValidationError);
    const noSrc = manager.createBuffer({ label: 'no-src', size: 64, usage: BufferUsage.COPY_DST });
    await expect(manager.read(noSrc)).rejects.toThrow(/COPY_SRC/);
    await expect(manager.read(big, 0, 200 * KiB)).rejects.toBeInstanceOf(ValidationError);
    manager.destroy(noSrc);
    await expect(manager.read(noSrc)).rejects.toBeInstanceOf(StaleHandleError);
    expect(manager.stagingStats().readback.chunks).toBe(0);
    manager.dispose();
  });
});

describe('readback: textures', () => {
  it('reads a 3x3 rgba8unorm texture as 36 tight bytes (the 256-byte row padding stripped)', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const tex = manager.createTexture({ label: 'tiny', size: [3, 3], format: 'rgba8unorm', usage: TEX });
    const texels = pattern(36, 2);
    gpu.device.queue.writeTexture({ texture: manager.gpu(tex) }, texels, { bytesPerRow: 12 }, [3, 3]);
    const back = await manager.readTexture(tex);
    expect(back.byteLength).toBe(36);
    expect([...back]).toEqual([...texels]);
    // a region: the middle texel of the last row
    expect([...(await manager.readTexture(tex, { origin: [1, 2], size: [1, 1] }))]).toEqual([
      ...texels.subarray(28, 32),
    ]);
    manager.dispose();
  });

  it('reads mip levels and array layers', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const tex = manager.createTexture({
      label: 'layered',
      size: [4, 4, 3],
      format: 'rgba8unorm',
      usage: TEX,
      mipLevelCount: 'full',
    });
    const layers = [0, 1, 2].map((l) => pattern(16 * 4, 40 + l));
    const mip1 = pattern(4 * 4 * 3, 50); // 2x2 per layer
    for (const [layer, bytes] of layers.entries()) {
      gpu.device.queue.writeTexture(
        { texture: manager.gpu(tex), origin: [0, 0, layer] },
        bytes,
        { bytesPerRow: 16 },
        [4, 4],
      );
    }
    gpu.device.queue.writeTexture(
      { texture: manager.gpu(tex), mipLevel: 1 },
      mip1,
      { bytesPerRow: 8, rowsPerImage: 2 },
      [2, 2, 3],
    );
    const all = await manager.readTexture(tex);
    expect(all.byteLength).toBe(3 * 64);
    for (const [layer, bytes] of layers.entries()) {
      expect([...all.subarray(layer * 64, layer * 64 + 64)]).toEqual([...bytes]);
    }
    expect([...(await manager.readTexture(tex, { mipLevel: 1 }))]).toEqual([...mip1]);
    expect([...(await manager.readTexture(tex, { mipLevel: 1, origin: { z: 2 } }))]).toEqual([
      ...mip1.subarray(32),
    ]);
    manager.dispose();
  });

  it('round-trips bc1 blocks through uploadTexture and readTexture', async () => {
    expect(gpu.device.features.has('texture-compression-bc')).toBe(true);
    const manager = createResourceManager({ device: gpu.device });
    const tex = manager.createTexture({ label: 'bc1', size: [12, 8], format: 'bc1-rgba-unorm', usage: TEX });
    const blocks = pattern(3 * 2 * 8, 60); // 3x2 blocks
    manager.uploadTexture(tex, blocks, {}, [12, 8]);
    const back = await manager.readTexture(tex); // the read flushes the staged upload first
    expect([...back]).toEqual([...blocks]);
    manager.dispose();
  });
});

describe('readback: cancellation', () => {
  it('destroying the source while the map is pending rejects that read only, and leaks nothing', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const a = filledBuffer(manager, 'a', pattern(64 * KiB, 1));
    const b = filledBuffer(manager, 'b', pattern(64 * KiB, 2));
    const readA = manager.read(a);
    const readB = manager.read(b);
    await Promise.resolve();
    expect(manager.stagingStats().readback.inFlight).toBe(2);
    manager.destroy(a);
    const error = await readA.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadbackCancelledError);
    expect(error).toMatchObject({ reason: 'destroyed', label: 'a', code: 'readback-cancelled' });
    expect(String((error as Error).message)).toMatch(/'a'.*source was destroyed/);
    expect(firstDifference(await readB, pattern(64 * KiB, 2))).toBe(-1);
    await stagingSettled(manager, gpu.device);
    expectConsistent(manager);
    const { created } = manager.stagingStats().readback;
    expect(manager.stagingStats().readback.chunks).toBe(created); // the cancelled read's buffer came back
    // and it is reused by the next read
    expect(firstDifference(await manager.read(b), pattern(64 * KiB, 2))).toBe(-1);
    expect(manager.stagingStats().readback.created).toBe(created);
    manager.dispose();
  });

  it('destroying a texture cancels its pending readTexture', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const tex = manager.createTexture({
      label: 'rt-color',
      size: [16, 16],
      format: 'rgba8unorm',
      usage: TEX,
    });
    const pending = manager.readTexture(tex);
    await Promise.resolve();
    manager.destroy(tex);
    await expect(pending).rejects.toMatchObject({ name: 'ReadbackCancelledError', reason: 'destroyed' });
    await stagingSettled(manager, gpu.device);
    expectConsistent(manager);
    manager.dispose();
  });

  it('a read still queued behind the cap is cancelled too, and the queue moves on', async () => {
    const manager = createResourceManager({
      device: gpu.device,
      staging: { maxReadbackBytes: 64 * KiB, maxChunkBytes: 64 * KiB },
    });
    const first = filledBuffer(manager, 'first', pattern(64 * KiB, 1));
    const queued = filledBuffer(manager, 'queued', pattern(64 * KiB, 2));
    const last = filledBuffer(manager, 'last', pattern(64 * KiB, 3));
    const reads = [manager.read(first), manager.read(queued), manager.read(last)];
    await Promise.resolve();
    expect(manager.stagingStats().readback).toMatchObject({ inFlight: 1, waiting: 2 });
    manager.destroy(queued);
    expect(manager.stagingStats().readback.waiting).toBe(1);
    await expect(reads[1]).rejects.toBeInstanceOf(ReadbackCancelledError);
    expect(firstDifference(await reads[0]!, pattern(64 * KiB, 1))).toBe(-1);
    expect(firstDifference(await reads[2]!, pattern(64 * KiB, 3))).toBe(-1);
    await stagingSettled(manager, gpu.device);
    expectConsistent(manager);
    manager.dispose();
  });

  it('device loss while a read is pending rejects it with the typed error and frees the staging', async () => {
    const device = await requestTestDevice(); // its own device: this test destroys it
    const manager = createResourceManager({ device });
    const buf = manager.createBuffer({ label: 'lost', size: 64 * KiB, usage: SRC });
    const read = manager.read(buf);
    const lost = new Promise((resolve) => manager.on('lost', resolve));
    device.destroy();
    const error = await read.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadbackCancelledError);
    // Dawn may abort the map before it reports the loss: either way the read fails with the typed error.
    expect(['device-lost', 'map-failed']).toContain((error as ReadbackCancelledError).reason);
    await lost;
    expect(manager.stats().byKind.staging).toEqual({ bytes: 0, count: 0 });
    manager.dispose();
  });

  it('dispose while reads are pending rejects them as disposed and frees every staging byte', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const buf = filledBuffer(manager, 'pending', pattern(64 * KiB, 4));
    manager.upload(buf, 0, new Uint8Array(64)); // an upload chunk too
    const reads = [manager.read(buf), manager.read(buf, 0, 64)];
    await Promise.resolve();
    expect(manager.stats().byKind.staging.bytes).toBeGreaterThan(0);
    manager.dispose();
    for (const read of reads)
      await expect(read).rejects.toMatchObject({ name: 'ReadbackCancelledError', reason: 'disposed' });
    expect(manager.stats().byKind.staging).toEqual({ bytes: 0, count: 0 });
    await expect(manager.read(buf)).rejects.toBeInstanceOf(DisposedError);
    await gpu.device.queue.onSubmittedWorkDone(); // aborted maps of destroyed buffers raise no GPU error
  });
});
