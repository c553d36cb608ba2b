import { describe, expect, it } from 'vitest';
import { BufferUsage, createResourceManager } from '../../src/index.ts';
import { firstDifference, pattern, rawReadBuffer } from '../staging/gpu-support.ts';
import { useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();
const SCATTERABLE = BufferUsage.STORAGE | BufferUsage.COPY_DST | BufferUsage.COPY_SRC;

/** Writes `writes` through the manager and into `expected`, in order. */
function writeAll(
  manager: ReturnType<typeof createResourceManager>,
  buffer: Parameters<ReturnType<typeof createResourceManager>['upload']>[0],
  expected: Uint8Array,
  writes: readonly { offset: number; size: number }[],
  seed: number,
): void {
  writes.forEach(({ offset, size }, i) => {
    const bytes = pattern(size, seed + i);
    expect(manager.upload(buffer, offset, bytes)).toBeUndefined();
    expected.set(bytes, offset);
  });
}

describe('upload belt: scattered writes into a STORAGE buffer', () => {
  it('lands thousands of non-adjacent writes exactly, in one scatter pass, mixed with adjacent and odd sizes', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const size = 4 << 20;
    const buffer = manager.createBuffer({ label: 'transforms', size, usage: SCATTERABLE });
    const expected = new Uint8Array(size);
    const writes: { offset: number; size: number }[] = [];
    // 3,000 elements of 256 B with gaps, visited out of order; some runs of adjacent ones (merged into one
    // larger write); sizes that are not a multiple of 16; a large write that stays a copy.
    for (let i = 0; i < 3000; i++) writes.push({ offset: ((i * 7919) % 3000) * 1024, size: 256 });
    for (let i = 0; i < 8; i++) writes.push({ offset: 3000 * 1024 + i * 64, size: 64 }); // adjacent run
    writes.push({ offset: 3100 * 1024 + 4, size: 12 });
    writes.push({ offset: 3101 * 1024, size: 260 });
    writes.push({ offset: 3200 * 1024, size: 32 * 1024 }); // large, under directWriteBytes: a copy command
    writeAll(manager, buffer, expected, writes, 1);
    const before = manager.stagingStats().upload;
    manager.flush();
    const after = manager.stagingStats().upload;
    expect(after.scatterPasses - before.scatterPasses).toBe(1);
    expect(after.scatteredWrites - before.scatteredWrites).toBe(3000 + 1 + 2); // the merged run is one write
    expect(after.copiesRecorded - before.copiesRecorded).toBe(1); // only the 32 KiB write
    expect(firstDifference(await rawReadBuffer(gpu.device, manager.gpu(buffer), size), expected)).toBe(-1);
    // The manager's own read sees the same bytes.
    expect(firstDifference(await manager.read(buffer), expected)).toBe(-1);
    manager.dispose();
  });

  it('keeps call order across flushes, and uses copies when writes overlap (the last write wins)', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const size = 1 << 20;
    const buffer = manager.createBuffer({ label: 'objects', size, usage: SCATTERABLE });
    const expected = new Uint8Array(size);
    const spread = Array.from({ length: 500 }, (_, i) => ({ offset: i * 2048, size: 256 }));
    writeAll(manager, buffer, expected, spread, 10);
    manager.flush(); // scattered
    // The same places again with new bytes, plus overlapping writes in this flush: order decides.
    const overlapping = [...spread, ...spread.map((w) => ({ offset: w.offset + 128, size: 256 }))];
    writeAll(manager, buffer, expected, overlapping, 20);
    const before = manager.stagingStats().upload;
    manager.flush();
    const after = manager.stagingStats().upload;
    expect(after.scatterPasses).toBe(before.scatterPasses); // overlap: only copies keep call order
    expect(after.copiesRecorded - before.copiesRecorded).toBe(1000);
    expect(firstDifference(await rawReadBuffer(gpu.device, manager.gpu(buffer), size), expected)).toBe(-1);
    manager.dispose();
  });

  it('uses copies for a buffer without STORAGE usage, and for few writes', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const plain = manager.createBuffer({
      label: 'plain',
      size: 1 << 20,
      usage: BufferUsage.COPY_DST | BufferUsage.COPY_SRC,
    });
    const storage = manager.createBuffer({ label: 'few', size: 1 << 20, usage: SCATTERABLE });
    const expectedPlain = new Uint8Array(1 << 20);
    const expectedFew = new Uint8Array(1 << 20);
    writeAll(
      manager,
      plain,
      expectedPlain,
      Array.from({ length: 1000 }, (_, i) => ({ offset: i * 1024, size: 256 })),
      30,
    );
    writeAll(
      manager,
      storage,
      expectedFew,
      Array.from({ length: 4 }, (_, i) => ({ offset: i * 1024, size: 256 })),
      40,
    );
    manager.flush();
    const stats = manager.stagingStats().upload;
    expect(stats.scatterPasses).toBe(0);
    expect(stats.copiesRecorded).toBe(1004);
    expect(firstDifference(await rawReadBuffer(gpu.device, manager.gpu(plain), 1 << 20), expectedPlain)).toBe(
      -1,
    );
    expect(firstDifference(await rawReadBuffer(gpu.device, manager.gpu(storage), 1 << 20), expectedFew)).toBe(
      -1,
    );
    manager.dispose();
  });

  it('scatters into a caller encoder and waits for its submit before reusing the scratch buffer', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const buffer = manager.createBuffer({ label: 'encoded', size: 1 << 20, usage: SCATTERABLE });
    const expected = new Uint8Array(1 << 20);
    const spread = Array.from({ length: 400 }, (_, i) => ({ offset: i * 2048, size: 256 }));
    writeAll(manager, buffer, expected, spread, 50);
    const encoder = gpu.device.createCommandEncoder();
    manager.flush(encoder);
    expect(manager.stagingStats().upload.scatterPasses).toBe(1);
    // A second flush before the submit: the scratch buffer is taken, so these writes go as copies.
    writeAll(
      manager,
      buffer,
      expected,
      spread.map((w) => ({ offset: w.offset + 512, size: 256 })),
      60,
    );
    manager.flush();
    expect(manager.stagingStats().upload.scatterPasses).toBe(1);
    manager.submit([encoder.finish()]);
    expect(firstDifference(await rawReadBuffer(gpu.device, manager.gpu(buffer), 1 << 20), expected)).toBe(-1);
    manager.dispose();
  });

  it('lands a 16-byte-unit scatter and a word scatter of one flush exactly, each target in its own units', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const size = 1 << 20;
    const aligned = manager.createBuffer({ label: 'aligned', size, usage: SCATTERABLE });
    const words = manager.createBuffer({ label: 'words', size, usage: SCATTERABLE });
    const expectedAligned = new Uint8Array(size);
    const expectedWords = new Uint8Array(size);
    // Interleaved in call order, visited backwards: 64 B elements at 16-byte offsets into one target (all
    // staged at 16-byte offsets too: 64 + 32 keeps them there), 32 B elements at offsets of 4 mod 16 into
    // the other, which only a word scatter can land.
    for (let i = 999; i >= 0; i--) {
      writeAll(manager, aligned, expectedAligned, [{ offset: i * 1024 + 16, size: 64 }], 70 + i);
      writeAll(manager, words, expectedWords, [{ offset: i * 1024 + 4, size: 32 }], 80 + i);
    }
    const before = manager.stagingStats().upload;
    manager.flush();
    const after = manager.stagingStats().upload;
    expect(after.scatterPasses - before.scatterPasses).toBe(2);
    expect(after.scatteredWrites - before.scatteredWrites).toBe(2000);
    expect(after.copiesRecorded).toBe(before.copiesRecorded);
    expect(
      firstDifference(await rawReadBuffer(gpu.device, manager.gpu(aligned), size), expectedAligned),
    ).toBe(-1);
    expect(firstDifference(await rawReadBuffer(gpu.device, manager.gpu(words), size), expectedWords)).toBe(
      -1,
    );
    manager.dispose();
  });
});
