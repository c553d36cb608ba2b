/**
 * What tracking costs an engine per create: the same creates (and destroys) on an unwrapped device and on a
 * device under `trackDevice`, in interleaved rounds (A B A B ...) of the same run, two devices on the same
 * Dawn instance. Prints the median time per create+destroy of each, their ratio and the spread of the
 * per-round ratios.
 */
import { trackDevice } from '../src/tracking/track-device.ts';
import { type BenchGpu, median } from './gpu.ts';
import { report } from './measure.ts';

const ROUNDS = 15;

interface Workload {
  readonly name: string;
  readonly perRound: number;
  /** Creates (and frees) `count` objects on `device`. */
  run(device: GPUDevice, count: number): void;
  /** Target of tracked/unwrapped. */
  readonly target: number;
}

const WORKLOADS: readonly Workload[] = [
  {
    name: 'createTexture + destroy (256^2 rgba8, 9 mips)',
    perRound: 400,
    target: 1.5,
    run(device, count) {
      for (let i = 0; i < count; i++) {
        device
          .createTexture({
            size: [256, 256],
            format: 'rgba8unorm',
            usage: GPUTextureUsage.TEXTURE_BINDING,
            mipLevelCount: 9,
          })
          .destroy();
      }
    },
  },
  {
    name: 'createBuffer + destroy (64 KiB vertex)',
    perRound: 400,
    target: 1.5,
    run(device, count) {
      for (let i = 0; i < count; i++) {
        device
          .createBuffer({ size: 65536, usage: GPUBufferUsage.VERTEX | GPUBufferUsage.COPY_DST })
          .destroy();
      }
    },
  },
  {
    name: 'createShaderModule (small WGSL)',
    perRound: 60,
    // Dawn defers WGSL compilation, so this is the cheapest create there is (a few us): the fixed cost of a
    // record (table slot, ledger, weak references, finalization registration) shows as a large ratio here
    // and as noise next to a browser's real compile.
    target: 3,
    run(device, count) {
      for (let i = 0; i < count; i++) {
        device.createShaderModule({ code: `@compute @workgroup_size(1) fn main() { let x = ${i}; }` });
      }
    },
  },
];

function timeMs(body: () => void): number {
  const start = performance.now();
  body();
  return performance.now() - start;
}

/**
 * Runs every workload on `plain` and on a tracked second device; returns false when a ratio misses its target.
 *
 * @example
 * await benchTracking(gpu);
 */
export async function benchTracking(gpu: BenchGpu): Promise<boolean> {
  const adapter = await gpu.instance.requestAdapter();
  if (!adapter) throw new Error('No second WebGPU adapter from Dawn');
  const trackedDevice = await adapter.requestDevice();
  const manager = trackDevice(trackedDevice);
  let ok = true;
  try {
    for (const workload of WORKLOADS) {
      workload.run(gpu.device, workload.perRound); // warm-up of both paths
      workload.run(trackedDevice, workload.perRound);
      const plain: number[] = [];
      const tracked: number[] = [];
      const ratios: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const a = timeMs(() => workload.run(gpu.device, workload.perRound));
        const b = timeMs(() => workload.run(trackedDevice, workload.perRound));
        plain.push((a * 1000) / workload.perRound);
        tracked.push((b * 1000) / workload.perRound);
        ratios.push(b / a);
      }
      const ratio = median(tracked) / median(plain);
      const spread = `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`;
      const detail = `${median(tracked).toFixed(1)} vs ${median(plain).toFixed(1)} us, +${(median(tracked) - median(plain)).toFixed(1)} us (rounds ${spread})`;
      const pass = ratio <= workload.target;
      ok &&= pass;
      report(`tracking: ${workload.name}`, detail, ratio, `<= ${workload.target}x`, pass);
    }
    const leftover = manager.stats().byKind;
    console.log(
      `tracking: books after the run: ${leftover.texture.count} textures, ${leftover.buffer.count} buffers, ${leftover.shader.count} shader modules`,
    );
  } finally {
    manager.dispose();
    trackedDevice.destroy();
  }
  return ok;
}
