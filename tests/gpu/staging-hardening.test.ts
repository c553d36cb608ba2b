/**
 * Staging against careless input on Dawn: mapped targets, read ordering under back-pressure on both caps,
 * non-encoders given to flush, non-binary data, zero-length reads of a destroyed source, and flipY. Each
 * case checks the bad call fails alone (typed error, nothing staged or leaked) and that the good work around
 * it still lands: read back independently of the code under test where the readback itself is in question.
 */
import { describe, expect, it } from 'vitest';
import {
  BufferUsage,
  createResourceManager,
  GpuHandlesError,
  ReadbackCancelledError,
  TextureUsage,
  ValidationError,
  type WebGPUResourceManager,
} from '../../src/index.ts';
import {
  filledBuffer as filledRawBuffer,
  firstDifference,
  pattern,
  rawReadBuffer,
  stagingSettled,
} from '../staging/gpu-support.ts';
import { useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();
const KiB = 1024;
const RW = BufferUsage.COPY_SRC | BufferUsage.COPY_DST;

/** A buffer filled with raw `queue.writeBuffer`: see `filledBuffer` in gpu-support. */
function filledBuffer(manager: WebGPUResourceManager, label: string, bytes: Uint8Array) {
  return filledRawBuffer(gpu.device, manager, label, bytes, RW);
}

/** The upload belt's and the ledger's figures, to compare before and after a refused call. */
function stagingFigures(manager: WebGPUResourceManager) {
  const { upload, readback } = manager.stagingStats();
  return {
    upload: { bytes: upload.bytes, chunks: upload.chunks, pendingCopies: upload.pendingCopies },
    readbackChunks: readback.chunks,
    ledger: manager.usageStats().byKind.staging,
  };
}

describe('mapped buffers are refused as staging targets; other work in the same flush lands', () => {
  it('an upload into a mappedAtCreation buffer is a typed error; the uploads staged around it land', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const before = manager.createBuffer({ label: 'before', size: 4 * KiB, usage: RW });
    const mapped = manager.createBuffer({
      label: 'mapped',
      size: 4 * KiB,
      usage: RW,
      mappedAtCreation: true,
    });
    const after = manager.createBuffer({ label: 'after', size: 4 * KiB, usage: RW });
    manager.upload(before, 0, pattern(4 * KiB, 1));
    const staged = stagingFigures(manager);
    const error = (() => {
      try {
        manager.upload(mapped, 0, pattern(4 * KiB, 2));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect(String((error as Error).message)).toMatch(/'mapped'.*mapState.*mapped/);
    expect(stagingFigures(manager)).toEqual(staged); // nothing staged for it
    manager.upload(after, 0, pattern(4 * KiB, 3));
    manager.flush();
    expect(
      firstDifference(await rawReadBuffer(gpu.device, manager.gpu(before), 4 * KiB), pattern(4 * KiB, 1)),
    ).toBe(-1);
    expect(
      firstDifference(await rawReadBuffer(gpu.device, manager.gpu(after), 4 * KiB), pattern(4 * KiB, 3)),
    ).toBe(-1);
    // Once unmapped it is a normal target.
    manager.gpu(mapped).unmap();
    manager.upload(mapped, 0, pattern(4 * KiB, 4));
    expect(firstDifference(await manager.read(mapped), pattern(4 * KiB, 4))).toBe(-1);
    manager.dispose();
  });

  it('a buffer mapped after its upload was staged is skipped at flush; the rest of that flush lands', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const good = manager.createBuffer({ label: 'good', size: 4 * KiB, usage: RW });
    const readable = manager.createBuffer({
      label: 'readable',
      size: 4 * KiB,
      usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
    });
    const other = manager.createBuffer({ label: 'other', size: 4 * KiB, usage: RW });
    manager.upload(good, 0, pattern(4 * KiB, 5));
    manager.upload(readable, 0, pattern(4 * KiB, 6));
    manager.upload(other, 0, pattern(4 * KiB, 7));
    const mapping = manager.gpu(readable).mapAsync(GPUMapMode.READ); // pending: copies into it are invalid now
    manager.flush(); // must not submit the invalid copy (the fixture fails the test on an uncaptured error)
    expect(firstDifference(await manager.read(good), pattern(4 * KiB, 5))).toBe(-1);
    expect(firstDifference(await manager.read(other), pattern(4 * KiB, 7))).toBe(-1);
    await mapping;
    manager.gpu(readable).unmap();
    manager.dispose();
  });

  it('a read of a mapped buffer rejects with a typed error; a read of a good buffer beside it is right', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const good = filledBuffer(manager, 'good', pattern(4 * KiB, 8));
    const mapped = manager.createBuffer({
      label: 'mapped-src',
      size: 4 * KiB,
      usage: RW,
      mappedAtCreation: true,
    });
    const readGood = manager.read(good);
    const readMapped = manager.read(mapped);
    const error = await readMapped.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(String((error as Error).message)).toMatch(/'mapped-src'.*mapped/);
    expect(firstDifference(await readGood, pattern(4 * KiB, 8))).toBe(-1);
    await stagingSettled(manager, gpu.device);
    expect(manager.stagingStats().readback).toMatchObject({ inFlight: 0, waiting: 0 });
    manager.dispose();
  });
});

describe('a read sees exactly the writes issued before it, under back-pressure', () => {
  it('a read issued after an upload that had to wait sees that upload (and not the one it replaced)', async () => {
    const manager = createResourceManager({
      device: gpu.device,
      staging: { maxUploadBytes: 32 * KiB, uploadChunkBytes: 16 * KiB, maxChunkBytes: 16 * KiB },
    });
    const target = manager.createBuffer({ label: 'target', size: 16 * KiB, usage: RW });
    const filler = manager.createBuffer({ label: 'filler', size: 16 * KiB, usage: RW });
    expect(manager.upload(target, 0, pattern(16 * KiB, 10))).toBeUndefined();
    expect(manager.upload(filler, 0, pattern(16 * KiB, 11))).toBeUndefined();
    // The cap is full: this write waits for a chunk to come back.
    const waited = manager.upload(target, 0, pattern(16 * KiB, 12));
    expect(waited).toBeInstanceOf(Promise);
    const read = manager.read(target); // issued after the waiting write: must see it
    expect(firstDifference(await read, pattern(16 * KiB, 12))).toBe(-1);
    await waited;
    expect(firstDifference(await manager.read(filler), pattern(16 * KiB, 11))).toBe(-1);
    manager.dispose();
  });

  it('a read queued behind the readback cap does not see a write made after the read was called', async () => {
    const manager = createResourceManager({
      device: gpu.device,
      staging: { maxReadbackBytes: 16 * KiB, maxChunkBytes: 16 * KiB },
    });
    const big = filledBuffer(manager, 'big', pattern(16 * KiB, 20));
    const small = filledBuffer(manager, 'small', pattern(4 * KiB, 21));
    const first = manager.read(big); // takes the whole readback cap
    const queued = manager.read(small); // waits behind it
    await Promise.resolve();
    expect(manager.stagingStats().readback.waiting).toBe(1);
    manager.upload(small, 0, pattern(4 * KiB, 22)); // after the read was called
    manager.flush();
    expect(firstDifference(await first, pattern(16 * KiB, 20))).toBe(-1);
    expect(firstDifference(await queued, pattern(4 * KiB, 21))).toBe(-1);
    expect(firstDifference(await manager.read(small), pattern(4 * KiB, 22))).toBe(-1);
    manager.dispose();
  });
});

describe('flush with something that is not an encoder', () => {
  const notEncoders: [string, unknown][] = [
    ['a plain object', {}],
    ['null', null],
    ['a number', 42],
    ['a string', 'encoder'],
    ['a command buffer', undefined], // filled in below with a real GPUCommandBuffer
    [
      'a Proxy whose traps throw',
      new Proxy(
        {},
        {
          get() {
            throw new Error('trap');
          },
          getPrototypeOf() {
            throw new Error('trap');
          },
        },
      ),
    ],
  ];

  it('is a typed error naming the encoder, stages and leaks nothing, and trimStaging frees everything', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const buf = manager.createBuffer({ label: 'dst', size: 4 * KiB, usage: RW });
    manager.upload(buf, 0, pattern(4 * KiB, 30));
    const staged = stagingFigures(manager);
    notEncoders[4]![1] = gpu.device.createCommandEncoder().finish();
    for (const [name, value] of notEncoders) {
      let error: unknown;
      try {
        manager.flush(value as GPUCommandEncoder);
      } catch (e) {
        error = e;
      }
      expect(error, name).toBeInstanceOf(ValidationError);
      expect(String((error as Error).message), name).toMatch(/encoder/);
      expect(stagingFigures(manager), name).toEqual(staged);
    }
    // The staged write survived the refused flushes and lands with a real one.
    manager.flush();
    expect(firstDifference(await manager.read(buf), pattern(4 * KiB, 30))).toBe(-1);
    await stagingSettled(manager, gpu.device);
    manager.trimStaging({ keepBytes: 0, idleMs: 0 });
    const { upload, readback } = manager.stagingStats();
    expect({ upload: upload.bytes, readback: readback.bytes }).toEqual({ upload: 0, readback: 0 });
    expect(manager.usageStats().byKind.staging).toEqual({ bytes: 0, count: 0 });
    manager.dispose();
  });
});

describe('uploads of something that is not binary data', () => {
  const notData: [string, unknown][] = [
    ['a number (a size, not data)', 16],
    ['a string', 'abcd'],
    ['an array of numbers', [1, 2, 3, 4]],
    ['a plain object', { byteLength: 16 }],
    ['null', null],
    ['undefined', undefined],
    ['a Symbol', Symbol('data')],
  ];

  it('upload and uploadTexture: a typed error naming the data, nothing staged, the target unchanged', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const buf = filledBuffer(manager, 'kept', pattern(64, 40));
    const tex = manager.createTexture({
      label: 'kept-tex',
      size: [4, 4],
      format: 'rgba8unorm',
      usage: TextureUsage.COPY_DST | TextureUsage.COPY_SRC,
    });
    const before = stagingFigures(manager);
    for (const [name, value] of notData) {
      expect(() => manager.upload(buf, 0, value as Uint8Array), name).toThrow(ValidationError);
      expect(() => manager.upload(buf, 0, value as Uint8Array), name).toThrow(/'kept'.*data/);
      expect(() => manager.uploadTexture(tex, value as Uint8Array, {}, [4, 4]), name).toThrow(
        ValidationError,
      );
      expect(stagingFigures(manager), name).toEqual(before);
    }
    manager.flush();
    expect(firstDifference(await manager.read(buf), pattern(64, 40))).toBe(-1);
    expect(await manager.readTexture(tex)).toEqual(new Uint8Array(64));
    manager.dispose();
  });
});

describe('zero-length reads', () => {
  it('a zero-length read of a buffer destroyed at once rejects as cancelled', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const buf = filledBuffer(manager, 'brief', pattern(256, 50));
    const read = manager.read(buf, 0, 0);
    manager.destroy(buf);
    const error = await read.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadbackCancelledError);
    expect(error).toMatchObject({ reason: 'destroyed', label: 'brief' });
    // A zero-length read of a live buffer resolves empty.
    const live = filledBuffer(manager, 'live', pattern(256, 51));
    expect(await manager.read(live, 128, 0)).toEqual(new Uint8Array(0));
    manager.dispose();
  });
});

describe('flipY on readTexture (WebGPU)', () => {
  it('a known pattern reads top-down by default and bottom-up with flipY, for the whole texture and a region', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const [w, h] = [4, 3];
    const tex = manager.createTexture({
      label: 'rows',
      size: [w, h],
      format: 'rgba8unorm',
      usage: TextureUsage.COPY_DST | TextureUsage.COPY_SRC,
    });
    const pixels = pattern(w * h * 4, 60);
    manager.uploadTexture(tex, pixels, {}, [w, h]);
    manager.flush();
    const rowBytes = w * 4;
    const row = (y: number) => pixels.subarray(y * rowBytes, (y + 1) * rowBytes);
    expect(await manager.readTexture(tex)).toEqual(pixels);
    const flipped = await manager.readTexture(tex, { flipY: true });
    expect(flipped).toEqual(new Uint8Array([...row(2), ...row(1), ...row(0)]));
    // A 2x2 region at (1, 1): rows 1 and 2, columns 1 and 2, flipped.
    const part = (y: number) => row(y).subarray(4, 12);
    expect(await manager.readTexture(tex, { origin: [1, 1], size: [2, 2] })).toEqual(
      new Uint8Array([...part(1), ...part(2)]),
    );
    expect(await manager.readTexture(tex, { origin: [1, 1], size: [2, 2], flipY: true })).toEqual(
      new Uint8Array([...part(2), ...part(1)]),
    );
    const bad = await manager.readTexture(tex, { flipY: 'yes' as never }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(GpuHandlesError);
    expect(String((bad as Error).message)).toMatch(/flipY/);
    manager.dispose();
  });
});
