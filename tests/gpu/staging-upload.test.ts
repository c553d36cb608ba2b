import { describe, expect, it } from 'vitest';
import {
  BufferUsage,
  createResourceManager,
  StaleHandleError,
  TextureUsage,
  ValidationError,
} from '../../src/index.ts';
import {
  firstDifference,
  pattern,
  rawReadBuffer,
  rawReadTexture,
  stagingSettled,
} from '../staging/gpu-support.ts';
import { useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();
const KiB = 1024;
const DST = BufferUsage.COPY_DST | BufferUsage.COPY_SRC;
/** These tests are about the staging chunks, so no write may skip them. */
const STAGE_EVERY_WRITE = Number.POSITIVE_INFINITY;

describe('upload belt: buffers', () => {
  it('stages writes synchronously and merges adjacent ones into a single copy', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const ubo = manager.createBuffer({ label: 'uniforms', size: 64 * KiB, usage: DST });
    const expected = new Uint8Array(64 * KiB);
    const scratch = new Uint8Array(256);
    for (let i = 0; i < 256; i++) {
      scratch.set(pattern(256, i));
      expected.set(scratch, i * 256);
      expect(manager.upload(ubo, i * 256, scratch)).toBeUndefined(); // the sync fast path
    }
    // The array was reused for every write: each upload copied it before returning.
    expect(manager.stagingStats().upload.pendingCopies).toBe(1);
    manager.flush();
    expect(manager.stagingStats().upload.copiesRecorded).toBe(1);
    expect(firstDifference(await rawReadBuffer(gpu.device, manager.gpu(ubo), 64 * KiB), expected)).toBe(-1);
    manager.dispose();
  });

  it('keeps scattered writes apart and applies overlapping writes in call order', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const buf = manager.createBuffer({ label: 'scattered', size: 4 * KiB, usage: DST });
    const expected = new Uint8Array(4 * KiB);
    const order = [7, 2, 9, 0, 15, 3];
    for (const slot of order) {
      const bytes = pattern(256, slot);
      manager.upload(buf, slot * 256, bytes);
      expected.set(bytes, slot * 256);
    }
    manager.upload(buf, 2 * 256, new Uint32Array(64).fill(0xdeadbeef)); // overwrites slot 2, later in call order
    expected.set(new Uint8Array(new Uint32Array(64).fill(0xdeadbeef).buffer), 2 * 256);
    expect(manager.stagingStats().upload.pendingCopies).toBe(order.length + 1);
    manager.flush();
    expect(await rawReadBuffer(gpu.device, manager.gpu(buf), 4 * KiB)).toEqual(expected);
    manager.dispose();
  });

  it('splits a write larger than the largest chunk class', async () => {
    const manager = createResourceManager({
      device: gpu.device,
      staging: {
        directWriteBytes: STAGE_EVERY_WRITE,
        maxUploadBytes: 256 * KiB,
        uploadChunkBytes: 16 * KiB,
        maxChunkBytes: 64 * KiB,
      },
    });
    const buf = manager.createBuffer({ label: 'mesh', size: 200 * KiB, usage: DST });
    const bytes = pattern(200 * KiB, 1);
    expect(manager.upload(buf, 0, bytes)).toBeUndefined(); // 64 + 64 + 64 + 8 KiB fit under the 256 KiB cap
    expect(manager.stagingStats().upload.bytes).toBeLessThanOrEqual(256 * KiB);
    manager.flush();
    expect(firstDifference(await rawReadBuffer(gpu.device, manager.gpu(buf), 200 * KiB), bytes)).toBe(-1);
    manager.dispose();
  });

  it('reuses chunks once the GPU is done: a warm belt creates no staging buffer', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const ubo = manager.createBuffer({ label: 'per-object', size: 10_000 * 256, usage: DST });
    const data = new Uint8Array(256);
    const frame = async (n: number) => {
      for (let i = 0; i < 10_000; i++) {
        data[0] = n;
        manager.upload(ubo, i * 256, data);
      }
      manager.flush();
      await gpu.device.queue.onSubmittedWorkDone();
    };
    for (let n = 0; n < 3; n++) await frame(n);
    await stagingSettled(manager, gpu.device);
    const warm = manager.stagingStats().upload;
    expect(warm.created).toBeGreaterThan(0);
    for (let n = 3; n < 23; n++) await frame(n);
    await stagingSettled(manager, gpu.device);
    const after = manager.stagingStats().upload;
    expect(after.created).toBe(warm.created);
    expect(after.reused).toBeGreaterThan(warm.reused + 20);
    const last = await rawReadBuffer(gpu.device, manager.gpu(ubo), 10_000 * 256);
    expect(last[0]).toBe(22);
    expect(last[9_999 * 256]).toBe(22);
    manager.dispose();
  });

  it('past the byte cap, upload returns a promise (back-pressure) and the belt never exceeds the cap', async () => {
    const manager = createResourceManager({
      device: gpu.device,
      staging: {
        directWriteBytes: STAGE_EVERY_WRITE,
        maxUploadBytes: 256 * KiB,
        uploadChunkBytes: 64 * KiB,
        maxChunkBytes: 64 * KiB,
      },
    });
    const buf = manager.createBuffer({ label: 'stream', size: 512 * KiB, usage: DST });
    const results: (Promise<void> | undefined)[] = [];
    const written: Uint8Array[] = [];
    const scratch = new Uint8Array(64 * KiB);
    for (let i = 0; i < 8; i++) {
      written.push(pattern(64 * KiB, 100 + i));
      scratch.set(written[i]!);
      results.push(manager.upload(buf, i * 64 * KiB, scratch));
      expect(manager.stagingStats().upload.bytes).toBeLessThanOrEqual(256 * KiB);
    }
    scratch.fill(0); // queued writes took a snapshot
    expect(results.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]);
    expect(results.slice(4).every((r) => r instanceof Promise)).toBe(true);
    expect(manager.stagingStats().upload.waiting).toBe(4);
    // The cap forced a flush of the first four, so their chunks come back without any call from us.
    await Promise.all(results);
    expect(manager.stagingStats().upload.waiting).toBe(0);
    manager.flush();
    const all = await rawReadBuffer(gpu.device, manager.gpu(buf), 512 * KiB);
    for (let i = 0; i < 8; i++) {
      expect(firstDifference(all.subarray(i * 64 * KiB, (i + 1) * 64 * KiB), written[i]!)).toBe(-1);
    }
    const { upload } = manager.stagingStats();
    expect(upload.created).toBe(4);
    expect(manager.stats().peakBytes).toBeLessThanOrEqual(512 * KiB + 256 * KiB);
    manager.dispose();
  });

  it('while writes wait, later small writes queue behind them: order is kept', async () => {
    const manager = createResourceManager({
      device: gpu.device,
      staging: {
        directWriteBytes: STAGE_EVERY_WRITE,
        maxUploadBytes: 128 * KiB,
        uploadChunkBytes: 64 * KiB,
        maxChunkBytes: 64 * KiB,
      },
    });
    const buf = manager.createBuffer({ label: 'ordered', size: 64 * KiB, usage: DST });
    manager.upload(buf, 0, new Uint8Array(64 * KiB).fill(1));
    manager.upload(buf, 0, new Uint8Array(64 * KiB).fill(2));
    const waited = manager.upload(buf, 0, new Uint8Array(64 * KiB).fill(3));
    expect(waited).toBeInstanceOf(Promise);
    const small = manager.upload(buf, 0, new Uint8Array(256).fill(4)); // would fit nowhere before the queue
    expect(small).toBeInstanceOf(Promise);
    await Promise.all([waited, small]);
    manager.flush();
    const bytes = await rawReadBuffer(gpu.device, manager.gpu(buf), 64 * KiB);
    expect(bytes[0]).toBe(4);
    expect(bytes[255]).toBe(4);
    expect(bytes[256]).toBe(3);
    manager.dispose();
  });

  it('a small write that would fit in room left under the cap still waits behind a queued write', async () => {
    const manager = createResourceManager({
      device: gpu.device,
      staging: {
        directWriteBytes: STAGE_EVERY_WRITE,
        maxUploadBytes: 96 * KiB,
        uploadChunkBytes: 16 * KiB,
        maxChunkBytes: 64 * KiB,
      },
    });
    const buf = manager.createBuffer({ label: 'overlap', size: 64 * KiB, usage: DST });
    expect(manager.upload(buf, 0, new Uint8Array(64 * KiB).fill(1))).toBeUndefined(); // a 64 KiB chunk
    const big = manager.upload(buf, 0, new Uint8Array(64 * KiB).fill(2)); // 64 + 64 > 96: waits
    expect(big).toBeInstanceOf(Promise);
    // A 16 KiB chunk would still fit under the cap (64 + 16 <= 96), but staging it now would apply it
    // before the queued write: it must queue too.
    const small = manager.upload(buf, 0, new Uint8Array(256).fill(3));
    expect(small).toBeInstanceOf(Promise);
    await Promise.all([big, small]);
    manager.flush();
    const bytes = await rawReadBuffer(gpu.device, manager.gpu(buf), 512);
    expect([bytes[0], bytes[255], bytes[256]]).toEqual([3, 3, 2]);
    manager.dispose();
  });

  it('trim destroys chunks idle past idleMs beyond keepBytes, and the ledger drops at once', async () => {
    let now = 0;
    const manager = createResourceManager({
      device: gpu.device,
      now: () => now,
      staging: {
        directWriteBytes: STAGE_EVERY_WRITE,
        uploadChunkBytes: 64 * KiB,
        maxChunkBytes: 64 * KiB,
        keepBytes: 64 * KiB,
        idleMs: 1000,
      },
    });
    const buf = manager.createBuffer({ label: 'burst', size: 256 * KiB, usage: DST });
    for (let i = 0; i < 4; i++) manager.upload(buf, i * 64 * KiB, new Uint8Array(64 * KiB));
    manager.flush();
    await stagingSettled(manager, gpu.device);
    expect(manager.stagingStats().upload).toMatchObject({ chunks: 4, idleChunks: 4, bytes: 256 * KiB });
    expect(manager.stats().byKind.staging).toEqual({ bytes: 256 * KiB, count: 4 });
    now += 999;
    expect(manager.trimStaging()).toBe(0);
    now += 1;
    expect(manager.trimStaging()).toBe(192 * KiB); // keeps the most recent 64 KiB
    expect(manager.stats().byKind.staging).toEqual({ bytes: 64 * KiB, count: 1 });
    expect(manager.stagingStats().upload).toMatchObject({ chunks: 1, destroyed: 3 });
    // flush trims too: the kept chunk goes once keepBytes is 0
    expect(manager.trimStaging({ keepBytes: 0 })).toBe(64 * KiB);
    expect(manager.stats().byKind.staging).toEqual({ bytes: 0, count: 0 });
    // and the belt still works afterwards
    manager.upload(buf, 0, new Uint8Array(4).fill(9));
    manager.flush();
    expect((await rawReadBuffer(gpu.device, manager.gpu(buf), 4))[0]).toBe(9);
    manager.dispose();
  });

  it('trim only takes chunks idle for idleMs: recently used ones survive even beyond keepBytes', async () => {
    let now = 0;
    const manager = createResourceManager({
      device: gpu.device,
      now: () => now,
      staging: {
        directWriteBytes: STAGE_EVERY_WRITE,
        uploadChunkBytes: 64 * KiB,
        maxChunkBytes: 64 * KiB,
        keepBytes: 0,
        idleMs: 1000,
      },
    });
    const buf = manager.createBuffer({ label: 'staggered', size: 256 * KiB, usage: DST });
    const burst = async (chunks: number) => {
      for (let i = 0; i < chunks; i++) manager.upload(buf, i * 64 * KiB, new Uint8Array(64 * KiB));
      const encoder = gpu.device.createCommandEncoder();
      manager.flush(encoder);
      manager.submit([encoder.finish()]);
      await stagingSettled(manager, gpu.device);
    };
    await burst(4); // 4 chunks idle since t=0
    now = 800;
    await burst(2); // the 2 warmest are reused: idle since t=800
    now = 1000;
    expect(manager.trimStaging()).toBe(128 * KiB);
    expect(manager.stagingStats().upload).toMatchObject({ chunks: 2, idleChunks: 2 });
    now = 1800;
    expect(manager.trimStaging()).toBe(128 * KiB);
    expect(manager.stats().byKind.staging.bytes).toBe(0);
    manager.dispose();
  });

  it('flush trims with the configured policy', async () => {
    let now = 0;
    const manager = createResourceManager({
      device: gpu.device,
      now: () => now,
      staging: {
        directWriteBytes: STAGE_EVERY_WRITE,
        uploadChunkBytes: 64 * KiB,
        maxChunkBytes: 64 * KiB,
        keepBytes: 0,
        idleMs: 500,
      },
    });
    const buf = manager.createBuffer({ label: 'once', size: 64 * KiB, usage: DST });
    manager.upload(buf, 0, new Uint8Array(64 * KiB));
    manager.flush();
    await stagingSettled(manager, gpu.device);
    expect(manager.stats().byKind.staging.bytes).toBe(64 * KiB);
    now += 600;
    manager.flush(); // nothing staged, but the idle chunk is old enough
    expect(manager.stats().byKind.staging.bytes).toBe(0);
    manager.dispose();
  });

  it('flush(encoder) records into the caller encoder; manager.submit lets the chunks come back', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const buf = manager.createBuffer({ label: 'in-pass', size: 1024, usage: DST });
    manager.upload(buf, 0, pattern(1024, 5));
    const encoder = gpu.device.createCommandEncoder();
    manager.flush(encoder);
    expect(manager.stagingStats().upload.inFlight).toBe(0); // not reclaimable before the submit
    manager.submit([encoder.finish()]);
    expect(manager.stagingStats().upload.inFlight).toBe(1);
    await stagingSettled(manager, gpu.device);
    expect(manager.stagingStats().upload.idleChunks).toBe(1);
    expect(await rawReadBuffer(gpu.device, manager.gpu(buf), 1024)).toEqual(pattern(1024, 5));
    manager.dispose();
  });

  it('destroying a target with staged copies drops them: the flush raises no GPU error', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const doomed = manager.createBuffer({ label: 'doomed', size: 256, usage: DST });
    const kept = manager.createBuffer({ label: 'kept', size: 256, usage: DST });
    manager.upload(doomed, 0, new Uint8Array(256).fill(1));
    manager.upload(kept, 0, new Uint8Array(256).fill(2));
    manager.destroy(doomed);
    expect(() => manager.upload(doomed, 0, new Uint8Array(4))).toThrow(StaleHandleError);
    manager.flush(); // the fixture fails the test on any uncaptured GPU error
    expect(manager.stagingStats().upload.copiesRecorded).toBe(1);
    expect((await rawReadBuffer(gpu.device, manager.gpu(kept), 4))[0]).toBe(2);
    manager.dispose();
  });

  it('a target destroyed after flush(encoder) but before the submit stays alive until that work is done', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const buf = manager.createBuffer({ label: 'late', size: 256, usage: DST });
    manager.upload(buf, 0, new Uint8Array(256).fill(3));
    const encoder = gpu.device.createCommandEncoder();
    manager.flush(encoder);
    manager.destroy(buf);
    expect(manager.stats().pendingFreeCount).toBe(1); // deferred, not destroyed under the recorded copy
    manager.submit([encoder.finish()]); // no "destroyed buffer" validation error
    await manager.idle();
    expect(manager.stats().pendingFreeCount).toBe(0);
    manager.dispose();
  });

  it('rejects bad uploads before staging anything', () => {
    const manager = createResourceManager({ device: gpu.device });
    const buf = manager.createBuffer({
      label: 'vertices',
      size: 64,
      usage: BufferUsage.VERTEX | BufferUsage.COPY_DST,
    });
    const noDst = manager.createBuffer({ label: 'no-dst', size: 64, usage: BufferUsage.VERTEX });
    expect(() => manager.upload(buf, 2, new Uint8Array(4))).toThrow(ValidationError);
    expect(() => manager.upload(buf, 0, new Uint8Array(6))).toThrow(ValidationError);
    expect(() => manager.upload(buf, 32, new Uint8Array(64))).toThrow(/buffer size \(64\)/);
    expect(() => manager.upload(noDst, 0, new Uint8Array(4))).toThrow(/COPY_DST/);
    expect(manager.stagingStats().upload).toMatchObject({ pendingCopies: 0, chunks: 0 });
    expect(manager.stats().byKind.staging.bytes).toBe(0);
    manager.dispose();
  });

  it('counts staging bytes in the ledger and frees them on dispose', async () => {
    const manager = createResourceManager({
      device: gpu.device,
      staging: { directWriteBytes: STAGE_EVERY_WRITE, uploadChunkBytes: 64 * KiB },
    });
    const buf = manager.createBuffer({ label: 'b', size: 256, usage: DST });
    manager.upload(buf, 0, new Uint8Array(256));
    const { bytes, chunks } = manager.stagingStats().upload;
    expect(manager.stats().byKind.staging).toEqual({ bytes, count: chunks });
    expect(bytes).toBe(64 * KiB);
    manager.flush();
    manager.dispose();
    expect(manager.stats().byKind.staging).toEqual({ bytes: 0, count: 0 });
    await gpu.device.queue.onSubmittedWorkDone(); // the map of the destroyed chunk is aborted, quietly
  });
});

describe('upload belt: textures', () => {
  const rgbaUsage = TextureUsage.COPY_DST | TextureUsage.COPY_SRC | TextureUsage.TEXTURE_BINDING;

  it('uploads a 3x3 rgba8unorm texture from 12-byte rows (padded to 256 for the GPU)', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const tex = manager.createTexture({
      label: 'tiny',
      size: [3, 3],
      format: 'rgba8unorm',
      usage: rgbaUsage,
    });
    const texels = pattern(36, 3);
    expect(manager.uploadTexture(tex, texels, {}, [3, 3])).toBeUndefined();
    manager.flush();
    const back = await rawReadTexture(gpu.device, manager.gpu(tex), {
      width: 3,
      height: 3,
      rowBytes: 12,
      rows: 3,
    });
    expect(back).toEqual(texels);
    manager.dispose();
  });

  it('honours a caller layout with offset and a row pitch that is not 256-aligned, into a sub-region', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const tex = manager.createTexture({ label: 'sub', size: [5, 4], format: 'rgba8unorm', usage: rgbaUsage });
    manager.uploadTexture(tex, new Uint8Array(5 * 4 * 4), {}, [5, 4]); // zeros everywhere first
    // 3x2 texels at (1, 2), from rows of 20 bytes (12 used) starting at byte 8
    const source = new Uint8Array(8 + 20 + 12).fill(0xff);
    source.set(pattern(12, 1), 8);
    source.set(pattern(12, 2), 28);
    manager.uploadTexture(tex, source, { offset: 8, bytesPerRow: 20 }, [3, 2], { origin: [1, 2] });
    manager.flush();
    const back = await rawReadTexture(gpu.device, manager.gpu(tex), {
      width: 5,
      height: 4,
      rowBytes: 20,
      rows: 4,
    });
    const expected = new Uint8Array(80);
    expected.set(pattern(12, 1), 2 * 20 + 4);
    expected.set(pattern(12, 2), 3 * 20 + 4);
    expect(back).toEqual(expected);
    manager.dispose();
  });

  it('uploads bc1 blocks (8 bytes per 4x4 block), including a mip level smaller than a block', async () => {
    expect(gpu.device.features.has('texture-compression-bc'), 'the Dawn device offers BC').toBe(true);
    const manager = createResourceManager({ device: gpu.device });
    const tex = manager.createTexture({
      label: 'bc1',
      size: [8, 8],
      format: 'bc1-rgba-unorm',
      usage: TextureUsage.COPY_DST | TextureUsage.COPY_SRC | TextureUsage.TEXTURE_BINDING,
      mipLevelCount: 'full',
    });
    const blocks = pattern(32, 7); // 2x2 blocks, 16-byte rows
    const tinyMip = pattern(8, 8); // mip 2 is 2x2 texels: one physical 4x4 block
    manager.uploadTexture(tex, blocks, {}, [8, 8]);
    manager.uploadTexture(tex, tinyMip, {}, [4, 4], { mipLevel: 2 });
    manager.flush();
    const gpuTex = manager.gpu(tex);
    expect(await rawReadTexture(gpu.device, gpuTex, { width: 8, height: 8, rowBytes: 16, rows: 2 })).toEqual(
      blocks,
    );
    const mip2 = await rawReadTexture(gpu.device, gpuTex, {
      width: 4,
      height: 4,
      rowBytes: 8,
      rows: 1,
      mipLevel: 2,
    });
    expect(mip2).toEqual(tinyMip);
    expect(() => manager.uploadTexture(tex, blocks, {}, [6, 8])).toThrow(ValidationError);
    manager.dispose();
  });

  it('splits a texture larger than the largest chunk into row pieces', async () => {
    const manager = createResourceManager({
      device: gpu.device,
      staging: {
        directWriteBytes: STAGE_EVERY_WRITE,
        maxUploadBytes: 256 * KiB,
        uploadChunkBytes: 64 * KiB,
        maxChunkBytes: 64 * KiB,
      },
    });
    const tex = manager.createTexture({
      label: 'tall',
      size: [200, 300],
      format: 'rgba8unorm',
      usage: rgbaUsage,
    });
    const texels = pattern(200 * 300 * 4, 11); // 800-byte rows, padded to 1024: 300 KiB staged
    const staged = manager.uploadTexture(tex, texels, {}, [200, 300]);
    if (staged) await staged; // 300 KiB > the 256 KiB cap: the last pieces wait for chunks to come back
    manager.flush();
    const back = await rawReadTexture(gpu.device, manager.gpu(tex), {
      width: 200,
      height: 300,
      rowBytes: 800,
      rows: 300,
    });
    expect(firstDifference(back, texels)).toBe(-1);
    expect(manager.stagingStats().upload.copiesRecorded).toBe(5); // 64 rows of 1024 B per 64 KiB piece
    manager.dispose();
  });

  it('uploads several array layers in one call', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const tex = manager.createTexture({
      label: 'layers',
      size: [2, 2, 3],
      format: 'rgba8unorm',
      usage: rgbaUsage,
    });
    const texels = pattern(2 * 2 * 3 * 4, 12);
    manager.uploadTexture(tex, texels, {}, [2, 2, 3]);
    manager.flush();
    for (let layer = 0; layer < 3; layer++) {
      const back = await rawReadTexture(gpu.device, manager.gpu(tex), {
        width: 2,
        height: 2,
        rowBytes: 8,
        rows: 2,
        layer,
      });
      expect(back).toEqual(texels.subarray(layer * 16, layer * 16 + 16));
    }
    manager.dispose();
  });
});
