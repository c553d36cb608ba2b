/**
 * The model-based lifetime soak (tests/support/soak.ts) on Dawn: seeded operations (creates, destroys with
 * and without cascade, retain/release, re-entrant destroy listeners, use and use tied to one of two encoders,
 * submits, GPU completion) on real GPU objects. Frees are counted on the objects the device itself returns:
 * the test wraps `device.createTexture` / `createBuffer` so each returned object's `destroy()` is counted,
 * and the soak checks after every operation that nothing was freed twice, or while live or still used by
 * work in flight; at the end every object was freed exactly once. No uncaptured GPU error (the fixture).
 * The 1,000,000-operation run is `node scripts/soak.mjs`.
 */
import { describe, expect, it } from 'vitest';
import { createResourceManager } from '../../src/index.ts';
import { runSoak } from '../support/soak.ts';
import { useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();

/** Wraps the device's creates so every returned texture and buffer counts its real destroy() calls. */
function countDeviceFrees(device: GPUDevice): { frees: WeakMap<object, number>; restore(): void } {
  const frees = new WeakMap<object, number>();
  const watch = <T extends { destroy(): void }>(object: T): T => {
    const real = object.destroy.bind(object);
    frees.set(object, 0);
    object.destroy = () => {
      frees.set(object, (frees.get(object) ?? 0) + 1);
      real();
    };
    return object;
  };
  const createTexture = device.createTexture.bind(device);
  const createBuffer = device.createBuffer.bind(device);
  device.createTexture = (desc) => watch(createTexture(desc));
  device.createBuffer = (desc) => watch(createBuffer(desc));
  return {
    frees,
    restore() {
      device.createTexture = createTexture;
      device.createBuffer = createBuffer;
    },
  };
}

describe('lifetime soak on Dawn', () => {
  for (const seed of [11, 12]) {
    it(`seed ${seed}: 10,000 operations keep the books exact and free every GPU object exactly once`, async () => {
      const counting = countDeviceFrees(gpu.device);
      try {
        const manager = createResourceManager({ device: gpu.device });
        const started = performance.now();
        const result = await runSoak<GPUCommandEncoder>(
          {
            manager: manager as never,
            freedCount: (object) => counting.frees.get(object as object) ?? 0,
            newEncoder: () => gpu.device.createCommandEncoder(),
            submitEncoder: (encoder) => manager.submit([encoder.finish()], { encoders: [encoder] }),
            submitEmpty: () => manager.submit([]),
            complete: () => manager.idle(),
          },
          { seed, operations: 10_000 },
        );
        const seconds = (performance.now() - started) / 1000;
        console.log(
          `[soak] seed ${seed}: 10,000 ops on Dawn in ${seconds.toFixed(1)} s ` +
            `(${Math.round(10_000 / seconds)} ops/s), ${result.created} created, ${result.freed} freed`,
        );
        expect(result.created).toBeGreaterThan(1500);
        expect(result.freed).toBe(result.created);
      } finally {
        counting.restore();
      }
    }, 60_000);
  }
});
