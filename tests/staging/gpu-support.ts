/**
 * Helpers for the staging GPU tests: an independent readback (raw WebGPU, not the code under test) and a
 * wait until the staging has no map in flight.
 */
import type { WebGPUResourceManager } from '../../src/index.ts';

/**
 * A manager buffer of `usage` holding `bytes`, written with raw `queue.writeBuffer` (not the belt), so reads
 * are checked against data the code under test did not write.
 */
export function filledBuffer(
  device: GPUDevice,
  manager: WebGPUResourceManager,
  label: string,
  bytes: Uint8Array,
  usage: number,
) {
  const handle = manager.createBuffer({ label, size: bytes.byteLength, usage });
  device.queue.writeBuffer(manager.gpu(handle), 0, bytes);
  return handle;
}

/** Reads `size` bytes of a buffer with a throwaway MAP_READ buffer: raw WebGPU, independent of the pool. */
export async function rawReadBuffer(
  device: GPUDevice,
  buffer: GPUBuffer,
  size: number,
  offset = 0,
): Promise<Uint8Array> {
  const readback = device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(buffer, offset, readback, 0, size);
  device.queue.submit([encoder.finish()]);
  await readback.mapAsync(GPUMapMode.READ);
  const bytes = new Uint8Array(readback.getMappedRange()).slice();
  readback.destroy();
  return bytes;
}

/** Reads a 2D region of a texture with raw WebGPU and returns tight rows of `rowBytes` bytes. */
export async function rawReadTexture(
  device: GPUDevice,
  texture: GPUTexture,
  region: {
    width: number;
    height: number;
    rowBytes: number;
    rows: number;
    mipLevel?: number;
    layer?: number;
  },
): Promise<Uint8Array> {
  const pitch = Math.ceil(region.rowBytes / 256) * 256;
  const readback = device.createBuffer({
    size: pitch * region.rows,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const encoder = device.createCommandEncoder();
  encoder.copyTextureToBuffer(
    { texture, mipLevel: region.mipLevel ?? 0, origin: { x: 0, y: 0, z: region.layer ?? 0 } },
    { buffer: readback, bytesPerRow: pitch, rowsPerImage: region.rows },
    { width: region.width, height: region.height },
  );
  device.queue.submit([encoder.finish()]);
  await readback.mapAsync(GPUMapMode.READ);
  const mapped = new Uint8Array(readback.getMappedRange());
  const out = new Uint8Array(region.rowBytes * region.rows);
  for (let row = 0; row < region.rows; row++) {
    out.set(mapped.subarray(row * pitch, row * pitch + region.rowBytes), row * region.rowBytes);
  }
  readback.destroy();
  return out;
}

/** Waits until every staging chunk the GPU held has come back (no map in flight). */
export async function stagingSettled(manager: WebGPUResourceManager, device: GPUDevice): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const { upload, readback } = manager.stagingStats();
    if (upload.inFlight === 0 && readback.inFlight === 0) return;
    await device.queue.onSubmittedWorkDone();
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`staging never settled: ${JSON.stringify(manager.stagingStats())}`);
}

/** Bytes 0..n-1 mixed with a seed, so two patterns never match by accident. */
export function pattern(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = Math.imul(seed + 1, 2654435761) >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

/**
 * The first index where two byte arrays differ (`-1` when equal, the shorter length when one is a prefix).
 * `expect(firstDifference(a, b)).toBe(-1)` is fast on megabytes, unlike a deep `toEqual`.
 */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.byteLength, b.byteLength);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.byteLength === b.byteLength ? -1 : n;
}
