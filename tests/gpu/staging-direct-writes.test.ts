/**
 * Buffer writes of `staging.directWriteBytes` or more skip the staging chunks and go to `queue.writeBuffer` in
 * the upload call. What must hold: the bytes land exactly, writes still apply in call order against staged
 * ones (an overlapping direct write waits behind them by being staged too), and work recorded into a caller's
 * encoder that was not submitted yet is never overtaken. Checked on Dawn with an independent raw readback.
 */
import { describe, expect, it } from 'vitest';
import { BufferUsage, createResourceManager, ValidationError } from '../../src/index.ts';
import { firstDifference, pattern, rawReadBuffer } from '../staging/gpu-support.ts';
import { useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();
const KiB = 1024;
const DST = BufferUsage.COPY_DST | BufferUsage.COPY_SRC;

function filled(bytes: number, value: number): Uint8Array {
  return new Uint8Array(bytes).fill(value);
}

describe('direct buffer writes (directWriteBytes)', () => {
  it('a write at the threshold goes to the queue at once and lands byte-exact; one below is staged', async () => {
    const manager = createResourceManager({ device: gpu.device, staging: { directWriteBytes: 64 * KiB } });
    const mesh = manager.createBuffer({ label: 'mesh', size: 256 * KiB, usage: DST });
    const big = pattern(64 * KiB, 3);
    const small = pattern(64 * KiB - 4, 5);
    expect(manager.upload(mesh, 0, big)).toBeUndefined();
    expect(manager.stagingStats().upload.directWrites).toBe(1);
    expect(manager.stagingStats().upload.pendingCopies).toBe(0);
    big.fill(0); // the caller's array may be reused at once: the queue copied it
    manager.upload(mesh, 128 * KiB, small);
    expect(manager.stagingStats().upload.directWrites).toBe(1);
    expect(manager.stagingStats().upload.pendingCopies).toBe(1);
    manager.flush();
    const read = await rawReadBuffer(gpu.device, manager.gpu(mesh), 256 * KiB);
    expect(firstDifference(read.subarray(0, 64 * KiB), pattern(64 * KiB, 3))).toBe(-1);
    expect(firstDifference(read.subarray(128 * KiB, 192 * KiB - 4), pattern(64 * KiB - 4, 5))).toBe(-1);
    manager.dispose();
  });

  it('a large write over bytes a staged write covers is staged after it, so the later write wins', async () => {
    const manager = createResourceManager({ device: gpu.device, staging: { directWriteBytes: 64 * KiB } });
    const buf = manager.createBuffer({ label: 'overlap', size: 128 * KiB, usage: DST });
    manager.upload(buf, 1024, filled(256, 1)); // staged: lands at the flush
    manager.upload(buf, 0, filled(128 * KiB, 2)); // covers it: must not land before it
    expect(manager.stagingStats().upload.directWrites).toBe(0);
    manager.upload(buf, 4096, filled(256, 3)); // later again: lands over the large write
    manager.flush();
    const read = await rawReadBuffer(gpu.device, manager.gpu(buf), 128 * KiB);
    const expected = filled(128 * KiB, 2);
    expected.fill(3, 4096, 4096 + 256);
    expect(firstDifference(read, expected)).toBe(-1);
    manager.dispose();
  });

  it('staged writes elsewhere in the buffer do not stop a direct write, and later small writes land over it', async () => {
    const manager = createResourceManager({ device: gpu.device, staging: { directWriteBytes: 64 * KiB } });
    const buf = manager.createBuffer({ label: 'apart', size: 256 * KiB, usage: DST });
    manager.upload(buf, 200 * KiB, filled(256, 9)); // staged, not overlapping
    manager.upload(buf, 0, filled(128 * KiB, 4)); // direct
    manager.upload(buf, 512, filled(512, 6)); // staged after the direct write: wins at the flush
    expect(manager.stagingStats().upload.directWrites).toBe(1);
    manager.flush();
    const read = await rawReadBuffer(gpu.device, manager.gpu(buf), 256 * KiB);
    const expected = new Uint8Array(256 * KiB);
    expected.fill(4, 0, 128 * KiB);
    expected.fill(6, 512, 1024);
    expected.fill(9, 200 * KiB, 200 * KiB + 256);
    expect(firstDifference(read, expected)).toBe(-1);
    manager.dispose();
  });

  it('never overtakes copies recorded into a caller encoder that is not submitted yet', async () => {
    const manager = createResourceManager({ device: gpu.device, staging: { directWriteBytes: 64 * KiB } });
    const buf = manager.createBuffer({ label: 'in encoder', size: 128 * KiB, usage: DST });
    const encoder = gpu.device.createCommandEncoder();
    manager.upload(buf, 0, filled(1024, 7));
    manager.flush(encoder); // the copy waits in the caller's encoder
    manager.upload(buf, 0, filled(128 * KiB, 8)); // called later: must land after that copy
    expect(manager.stagingStats().upload.directWrites).toBe(0);
    manager.submit([encoder.finish()]);
    manager.flush();
    expect(
      firstDifference(await rawReadBuffer(gpu.device, manager.gpu(buf), 128 * KiB), filled(128 * KiB, 8)),
    ).toBe(-1);
    manager.dispose();
  });

  // An encoder copies `buf` and is only then given the second upload's flush: with every write staged the copy
  // sees the first upload (the second lands at its place in the encoder); by default the second, large, write
  // lands at once, ahead of the recorded copy, as a queue.writeBuffer would.
  it.each([
    ['Infinity: every write is staged and lands at its place in the encoder', Number.POSITIVE_INFINITY, 0, 1],
    ['default: a direct write lands at once, ahead of work recorded but not submitted', undefined, 2, 2],
  ])('directWriteBytes %s', async (_name, directWriteBytes, directWrites, copySees) => {
    const staging = directWriteBytes === undefined ? {} : { directWriteBytes };
    const manager = createResourceManager({ device: gpu.device, staging });
    const buf = manager.createBuffer({ label: 'target', size: 1 << 20, usage: DST });
    const copy = manager.createBuffer({ label: 'copy', size: 1 << 20, usage: DST });
    manager.upload(buf, 0, filled(1 << 20, 1));
    manager.flush();
    await manager.idle();
    const encoder = gpu.device.createCommandEncoder();
    encoder.copyBufferToBuffer(manager.gpu(buf), 0, manager.gpu(copy), 0, 1 << 20);
    manager.upload(buf, 0, filled(1 << 20, 2));
    manager.flush(encoder);
    manager.submit([encoder.finish()]);
    expect(manager.stagingStats().upload.directWrites).toBe(directWrites);
    const copied = await rawReadBuffer(gpu.device, manager.gpu(copy), 1 << 20);
    expect(firstDifference(copied, filled(1 << 20, copySees))).toBe(-1);
    const final = await rawReadBuffer(gpu.device, manager.gpu(buf), 1 << 20);
    expect(firstDifference(final, filled(1 << 20, 2))).toBe(-1);
    manager.dispose();
  });

  it('a read called after a direct write sees it', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const buf = manager.createBuffer({ label: 'read after', size: 1 << 20, usage: DST });
    manager.upload(buf, 0, filled(1 << 20, 5));
    expect(manager.stagingStats().upload.directWrites).toBe(1);
    const read = await manager.read(buf);
    expect(firstDifference(read, filled(1 << 20, 5))).toBe(-1);
    manager.dispose();
  });

  it('rejects a bad directWriteBytes naming the option, the value and the rule', () => {
    for (const bad of [-1, 1.5, Number.NaN, '64' as unknown as number]) {
      const attempt = () => createResourceManager({ device: gpu.device, staging: { directWriteBytes: bad } });
      expect(attempt).toThrow(ValidationError);
      expect(attempt).toThrow(/directWriteBytes/);
    }
  });
});
