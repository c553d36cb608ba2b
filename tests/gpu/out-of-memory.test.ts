/**
 * The GPU said no: textures that pass validation but that Dawn cannot back (8192 x 8192 x 64 rgba32float is
 * 64 GiB: "Allocation size too large"). A few such creates, not real exhaustion (SwiftShader would use real
 * RAM). Each becomes a `failed` entry with no bytes in the ledger, a `failed` event names it, `gpu()` throws a
 * typed error, `destroy` works, and the books match a recount from the records. Also prints what the error
 * scopes cost on a 1 MiB create (the size from which the manager checks creates outside debug mode).
 */
import { describe, expect, it } from 'vitest';
import { createResourceManager, GpuHandlesError, ResourceStateError, TextureUsage } from '../../src/index.ts';
import { FAILURE_CHECK_BYTES } from '../../src/manager/factory.ts';
import { useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();
type Manager = ReturnType<typeof createResourceManager>;

/** Bytes and counts per kind recounted from the live records, against the ledger's running figures. */
function expectBooksMatchRecount(manager: Manager): void {
  const usage = manager.usageStats();
  const recount = new Map<string, { bytes: number; count: number }>();
  let failed = 0;
  for (const record of manager.resources()) {
    if (record.state === 'failed') failed++;
    if (record.state !== 'live') continue;
    const kind = recount.get(record.kind) ?? { bytes: 0, count: 0 };
    kind.bytes += record.bytes;
    kind.count++;
    recount.set(record.kind, kind);
  }
  for (const kind of ['texture', 'buffer', 'renderTarget'] as const) {
    expect(usage.byKind[kind], kind).toEqual(recount.get(kind) ?? { bytes: 0, count: 0 });
  }
  expect(usage.failedCount).toBe(failed);
  const liveBytes = [...recount.values()].reduce((sum, k) => sum + k.bytes, 0);
  expect(usage.totalBytes).toBe(liveBytes + usage.byKind.staging.bytes);
}

describe('creates the GPU cannot back', () => {
  it('become failed entries with no bytes; a failed event names each; gpu() throws; destroy works', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const failedEvents: { label: string; message: string }[] = [];
    manager.on('failed', ({ record, message }) => failedEvents.push({ label: record.label, message }));
    const keeper = manager.createTexture({
      label: 'keeper',
      size: [16, 16],
      format: 'rgba8unorm',
      usage: TextureUsage.TEXTURE_BINDING,
    });
    const huge = [0, 1, 2].map((i) =>
      manager.createTexture({
        label: `huge-${i}`,
        size: [8192, 8192, 64],
        format: 'rgba32float',
        usage: TextureUsage.TEXTURE_BINDING,
      }),
    );
    await manager.gpuErrors(); // waits for every pending GPU verdict
    for (const [i, handle] of huge.entries()) {
      const record = manager.get(handle);
      expect(record?.state, `huge-${i}`).toBe('failed');
      expect(record?.failure).toMatch(/allocation|memory|too large/i);
      let error: unknown;
      try {
        manager.gpu(handle);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ResourceStateError);
      expect(error).toBeInstanceOf(GpuHandlesError);
      expect(String((error as Error).message)).toMatch(new RegExp(`'huge-${i}'.*failed`));
    }
    expect(failedEvents.map((e) => e.label)).toEqual(['huge-0', 'huge-1', 'huge-2']);
    for (const event of failedEvents) expect(event.message).toMatch(/allocation|memory|too large/i);
    expect(manager.usageStats().byKind.texture).toEqual({ bytes: 16 * 16 * 4, count: 1 });
    expect(manager.usageStats().failedCount).toBe(3);
    expect(manager.stats().peakBytes).toBeGreaterThanOrEqual(16 * 16 * 4);
    expectBooksMatchRecount(manager);
    manager.destroy(huge[0]!);
    expect(manager.has(huge[0]!)).toBe(false);
    expect(manager.usageStats().failedCount).toBe(2);
    expectBooksMatchRecount(manager);
    // The keeper is untouched and usable; dispose clears the remaining failed entries.
    expect(manager.gpu(keeper)).toBeDefined();
    const leaks = manager.dispose();
    expect(leaks.map((l) => l.label).sort()).toEqual(['huge-1', 'huge-2', 'keeper']);
    expect(manager.usageStats().failedCount).toBe(0);
    expect(manager.usageStats().totalBytes).toBe(0);
  });

  it('a render target over a failed texture is refused with a typed error; the books stay exact', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const huge = manager.createTexture({
      label: 'huge-attachment',
      size: [8192, 8192, 64],
      format: 'rgba32float',
      usage: TextureUsage.RENDER_ATTACHMENT,
    });
    await manager.gpuErrors();
    expect(manager.get(huge)?.state).toBe('failed');
    const before = manager.usageStats();
    expect(() => manager.createRenderTarget({ label: 'over-failed', color: [huge] })).toThrow(
      GpuHandlesError,
    );
    expect(manager.usageStats()).toEqual(before);
    expectBooksMatchRecount(manager);
    manager.dispose();
  });
});

describe('what the error scopes cost', () => {
  const usage = TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const spread = (xs: number[]) => `${Math.min(...xs).toFixed(1)}..${Math.max(...xs).toFixed(1)}`;
  /** Mean microseconds per create of `n` textures of `size` (then destroyed, outside the timing). */
  const perCreateUs = (manager: Manager, size: [number, number], n: number): number => {
    const start = performance.now();
    const handles = [];
    for (let i = 0; i < n; i++) {
      handles.push(manager.createTexture({ label: 'timed', size, format: 'rgba8unorm', usage }));
    }
    const elapsed = performance.now() - start;
    for (const handle of handles) manager.destroy(handle);
    return (elapsed * 1000) / n;
  };
  /** Interleaved rounds (A B, B A, ...); prints medians, spreads and the ratio (no assertion on time). */
  const compare = async (name: string, a: () => number, b: () => number, rounds: number) => {
    a();
    b(); // warm-up
    const as: number[] = [];
    const bs: number[] = [];
    // A B, then B A: what runs first in a round (after the previous round's frees) pays for them.
    for (let round = 0; round < rounds; round++) {
      for (const [run, into] of round % 2 === 0
        ? ([
            [a, as],
            [b, bs],
          ] as const)
        : ([
            [b, bs],
            [a, as],
          ] as const)) {
        into.push(run());
        await gpu.device.queue.onSubmittedWorkDone();
      }
    }
    console.log(
      `[oom] ${name}, median of ${rounds} interleaved rounds (ABBA): with error scopes ${median(as).toFixed(1)} us ` +
        `(${spread(as)}), without ${median(bs).toFixed(1)} us (${spread(bs)}), ratio ` +
        `${(median(as) / median(bs)).toFixed(2)}x, scope cost ${(median(as) - median(bs)).toFixed(1)} us`,
    );
  };

  /** Mean microseconds per raw `device.createTexture`, inside the factory's two error scopes or not. */
  const rawCreateUs = (size: [number, number], n: number, scoped: boolean): number => {
    const { device } = gpu;
    const textures: GPUTexture[] = [];
    const verdicts: Promise<unknown>[] = [];
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      if (scoped) {
        device.pushErrorScope('validation');
        device.pushErrorScope('out-of-memory');
      }
      textures.push(device.createTexture({ size, format: 'rgba8unorm', usage }));
      if (scoped) verdicts.push(device.popErrorScope(), device.popErrorScope());
    }
    const elapsed = performance.now() - start;
    for (const texture of textures) texture.destroy();
    return (elapsed * 1000) / n;
  };

  it('prints the scopes on a 1 MiB create and on a small one, and a checked manager create at the threshold', async () => {
    const manager = createResourceManager({ device: gpu.device });
    // 512 x 512 rgba8unorm is exactly FAILURE_CHECK_BYTES: the smallest create checked outside debug mode.
    expect(512 * 512 * 4).toBe(FAILURE_CHECK_BYTES);
    await compare(
      'raw 1 MiB texture create (x20 per round)',
      () => rawCreateUs([512, 512], 20, true),
      () => rawCreateUs([512, 512], 20, false),
      7,
    );
    await compare(
      'raw 16x16 texture create (x500 per round)',
      () => rawCreateUs([16, 16], 500, true),
      () => rawCreateUs([16, 16], 500, false),
      9,
    );
    await compare(
      'manager create at the threshold, 512x512 checked vs 512x511 unchecked (x20 per round)',
      () => perCreateUs(manager, [512, 512], 20),
      () => perCreateUs(manager, [512, 511], 20),
      7,
    );
    expect(await manager.gpuErrors()).toEqual([]);
    expect(manager.usageStats().failedCount).toBe(0);
    manager.dispose();
  });
});
