/**
 * The manager's own work per create+destroy, apart from the GPU: the real manager and WebGPU backend over a
 * device whose `createTexture` and `createBuffer` return plain objects. On Dawn the manager's cost is mixed
 * with the VM's speed and with the collection of Dawn's objects; this line is the part that is the manager's
 * JavaScript alone. Buffers and textures alternate, as in an engine, so the measured code has seen both kinds.
 */
import { WebGPUBackend } from '../src/backends/webgpu/webgpu-backend.ts';
import { ResourceManager } from '../src/manager/resource-manager.ts';
import { BufferUsage, TextureUsage } from '../src/resources/usage.ts';
import { type BenchGpu, median } from './gpu.ts';

/** A GPU object that does nothing but remember it was destroyed. */
class InertObject {
  destroyed = false;
  constructor(readonly label: string) {}
  destroy(): void {
    this.destroyed = true;
  }
}

/** The real device's limits, features, queue and loss promise, with creates that make inert objects. */
function inertDevice(device: GPUDevice): GPUDevice {
  return {
    limits: device.limits,
    features: device.features,
    queue: device.queue,
    lost: new Promise<GPUDeviceLostInfo>(() => {}),
    createTexture: (desc: GPUTextureDescriptor) => new InertObject(desc.label ?? ''),
    createBuffer: (desc: GPUBufferDescriptor) => new InertObject(desc.label ?? ''),
  } as unknown as GPUDevice;
}

/**
 * Prints the manager's own microseconds per texture and per buffer create+destroy (informative).
 *
 * @example
 * benchManagerWork(await openGpu());
 */
export function benchManagerWork(gpu: BenchGpu): void {
  const manager = new ResourceManager(new WebGPUBackend(inertDevice(gpu.device)));
  const N = 2000;
  const texture = {
    label: 'bench texture',
    size: [64, 64] as [number, number],
    format: 'rgba8unorm' as const,
    usage: TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST,
  };
  const buffer = { label: 'bench buffer', size: 1024, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST };
  const textures = () => {
    for (let i = 0; i < N; i++) manager.destroy(manager.createTexture(texture));
  };
  const buffers = () => {
    for (let i = 0; i < N; i++) manager.destroy(manager.createBuffer(buffer));
  };
  const timed = (body: () => void) => {
    const start = performance.now();
    body();
    return ((performance.now() - start) * 1000) / N;
  };
  for (let i = 0; i < 40; i++) {
    textures();
    buffers();
  }
  const t: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < 41; round++) {
    t.push(timed(textures));
    b.push(timed(buffers));
  }
  const spread = (xs: number[]) => `(${Math.min(...xs).toFixed(2)}..${Math.max(...xs).toFixed(2)})`;
  console.log(
    `${'manager work alone, no GPU: texture create+destroy'.padEnd(54)} ${median(t).toFixed(2)} us ${spread(t)}; buffer ${median(b).toFixed(2)} us ${spread(b)} per pair (informative)`,
  );
  manager.dispose();
}
