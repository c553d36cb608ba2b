import { describe, expect, it } from 'vitest';
import {
  BufferUsage,
  createResourceManager,
  ReadbackCancelledError,
  StaleHandleError,
  ValidationError,
  type WebGPUResourceManager,
} from '../../src/index.ts';
import {
  filledBuffer as filledRawBuffer,
  firstDifference,
  pattern,
  stagingSettled,
} from '../staging/gpu-support.ts';
import { useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();
const KiB = 1024;
const SRC = BufferUsage.COPY_SRC | BufferUsage.COPY_DST;

/** A buffer filled with raw `queue.writeBuffer`: see `filledBuffer` in gpu-support. */
function filledBuffer(manager: WebGPUResourceManager, label: string, bytes: Uint8Array) {
  return filledRawBuffer(gpu.device, manager, label, bytes, SRC);
}

/** Counts `queue.submit` calls while `body` runs (the real submit still runs). */
function countSubmits<T>(body: () => T): { result: T; submits: number } {
  const queue = gpu.device.queue;
  const submit = queue.submit;
  let submits = 0;
  queue.submit = function counted(this: GPUQueue, buffers: Iterable<GPUCommandBuffer>) {
    submits++;
    return submit.call(this, buffers);
  };
  try {
    return { result: body(), submits };
  } finally {
    queue.submit = submit;
  }
}

describe('readBuffers: several reads, one submit', () => {
  it('reads every buffer and range byte for byte, in order', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const a = pattern(64 * KiB, 1);
    const b = pattern(4 * KiB, 2);
    const bufA = filledBuffer(manager, 'a', a);
    const bufB = filledBuffer(manager, 'b', b);
    const [wholeA, partB, oddA, empty] = await manager.readBuffers([
      { buffer: bufA },
      { buffer: bufB, offset: 256, size: 64 },
      { buffer: bufA, offset: 3, size: 5 },
      { buffer: bufB, offset: 10, size: 0 },
    ]);
    expect(firstDifference(wholeA!, a)).toBe(-1);
    expect([...partB!]).toEqual([...b.subarray(256, 320)]);
    expect([...oddA!]).toEqual([...a.subarray(3, 8)]);
    expect(empty!.byteLength).toBe(0);
    await stagingSettled(manager, gpu.device);
    expect(manager.stagingStats().readback).toMatchObject({ inFlight: 0, waiting: 0 });
    manager.dispose();
  });

  it('submits the copies of eight reads together, where eight reads submit eight times', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const buffers = Array.from({ length: 8 }, (_, i) => filledBuffer(manager, `b${i}`, pattern(KiB, i)));
    const batched = countSubmits(() => manager.readBuffers(buffers.map((buffer) => ({ buffer }))));
    const single = countSubmits(() => buffers.map((buffer) => manager.read(buffer)));
    expect(batched.submits).toBe(1);
    expect(single.submits).toBe(8);
    const results = [...(await batched.result), ...(await Promise.all(single.result))];
    for (const [i, bytes] of results.entries()) expect(firstDifference(bytes, pattern(KiB, i % 8))).toBe(-1);
    manager.dispose();
  });

  it('sees uploads staged before it, and not a queue write made right after the call', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const buf = filledBuffer(manager, 'ordered', pattern(4 * KiB, 3));
    manager.upload(buf, 0, pattern(4 * KiB, 4)); // staged, not flushed
    const reads = manager.readBuffers([{ buffer: buf }, { buffer: buf, offset: 8, size: 8 }]);
    // Submitted before readBuffers returned: a write queued now lands after the copies.
    gpu.device.queue.writeBuffer(manager.gpu(buf), 0, pattern(4 * KiB, 5));
    const [whole, part] = await reads;
    expect(firstDifference(whole!, pattern(4 * KiB, 4))).toBe(-1);
    expect([...part!]).toEqual([...pattern(4 * KiB, 4).subarray(8, 16)]);
    expect(firstDifference(await manager.read(buf), pattern(4 * KiB, 5))).toBe(-1);
    manager.dispose();
  });

  it('queues reads past the readback cap and still returns each one right', async () => {
    const manager = createResourceManager({
      device: gpu.device,
      staging: { maxReadbackBytes: 16 * KiB, maxChunkBytes: 16 * KiB },
    });
    const buffers = Array.from({ length: 6 }, (_, i) =>
      filledBuffer(manager, `c${i}`, pattern(8 * KiB, 10 + i)),
    );
    const results = await manager.readBuffers(buffers.map((buffer) => ({ buffer })));
    for (const [i, bytes] of results.entries()) {
      expect(firstDifference(bytes, pattern(8 * KiB, 10 + i))).toBe(-1);
    }
    await stagingSettled(manager, gpu.device);
    expect(manager.stagingStats().readback).toMatchObject({ inFlight: 0, waiting: 0 });
    manager.dispose();
  });

  it('rejects when a buffer is destroyed while its read is in flight, and gives every buffer back', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const keep = filledBuffer(manager, 'keep', pattern(KiB, 6));
    const doomed = filledBuffer(manager, 'doomed', pattern(KiB, 7));
    const reads = manager.readBuffers([{ buffer: keep }, { buffer: doomed }]);
    manager.destroy(doomed);
    await expect(reads).rejects.toBeInstanceOf(ReadbackCancelledError);
    await stagingSettled(manager, gpu.device);
    const { readback } = manager.stagingStats();
    expect(readback).toMatchObject({ inFlight: 0, waiting: 0 });
    expect(readback.idleChunks).toBe(readback.chunks);
    expect(firstDifference(await manager.read(keep), pattern(KiB, 6))).toBe(-1);
    manager.dispose();
  });
});

describe('readBuffers: bad requests start nothing', () => {
  const bad: [string, (valid: number, stale: number) => unknown, string, new (...args: never[]) => Error][] =
    [
      ['not an array', () => 42, 'reads', ValidationError],
      ['null', () => null, 'reads', ValidationError],
      ['an element that is not an object', (valid) => [{ buffer: valid }, 7], 'reads[1]', ValidationError],
      [
        'a buffer that is not a handle',
        (valid) => [{ buffer: valid }, { buffer: 'b' }],
        'reads[1].buffer',
        ValidationError,
      ],
      [
        'an offset past the end',
        (valid) => [{ buffer: valid }, { buffer: valid, offset: 9999 }],
        'offset',
        ValidationError,
      ],
      ['a size past the end', (valid) => [{ buffer: valid, offset: 4, size: 4096 }], 'size', ValidationError],
      ['a fractional size', (valid) => [{ buffer: valid, size: 1.5 }], 'size', ValidationError],
      ['a stale handle', (valid, stale) => [{ buffer: valid }, { buffer: stale }], '', StaleHandleError],
    ];
  for (const [name, make, field, type] of bad) {
    it(`rejects ${name}`, async () => {
      const manager = createResourceManager({ device: gpu.device });
      const valid = filledBuffer(manager, 'valid', pattern(4 * KiB, 8));
      const stale = manager.createBuffer({ label: 'stale', size: 16, usage: SRC });
      manager.destroy(stale);
      const before = manager.stagingStats().readback;
      const { result, submits } = countSubmits(() =>
        manager.readBuffers(make(valid, stale) as Parameters<typeof manager.readBuffers>[0]),
      );
      const error = await result.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(type);
      if (field !== '') expect((error as ValidationError).field).toBe(field);
      expect(submits).toBe(0);
      expect(manager.stagingStats().readback).toEqual(before);
      manager.dispose();
    });
  }

  it('reads a hostile element (a throwing getter) as a typed error', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const hostile = {
      get buffer(): number {
        throw new Error('trap');
      },
    };
    await expect(manager.readBuffers([hostile as never])).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'reads[0].buffer',
    });
    manager.dispose();
  });
});
