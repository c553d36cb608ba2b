/**
 * Real WebGPU for the benchmarks: Dawn (the `webgpu` package) on SwiftShader, as in the GPU tests. The manager
 * is built from its parts (not through `src/index.ts`) so the benchmark compiles only what it measures.
 */
import { create, globals } from 'webgpu';
import { WebGPUBackend, type WebGPUObjects } from '../src/backends/webgpu/webgpu-backend.ts';
import { type ManagerOptions, ResourceManager } from '../src/manager/resource-manager.ts';

/** A Dawn device and a way to release it (Node may not exit while Dawn objects are alive). */
export interface BenchGpu {
  /**
   * The Dawn instance. It must stay referenced while the device is used: once it is garbage collected, Dawn
   * tears down under the live device and the process dies in a worker thread (mutex asserts, SIGSEGV).
   */
  readonly instance: GPU;
  readonly device: GPUDevice;
  manager(options?: ManagerOptions): ResourceManager<WebGPUObjects>;
  close(): void;
}

/** Opens Dawn on SwiftShader; throws with the fix when there is no adapter (a benchmark must not fake it). */
export async function openGpu(): Promise<BenchGpu> {
  process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json';
  Object.assign(globalThis, globals);
  const gpu = create([]) as GPU;
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    throw new Error('No WebGPU adapter from Dawn: apt-get install -y chromium libvulkan1 (SwiftShader)');
  }
  const { vendor, architecture } = adapter.info;
  console.log(`[webgpu] Dawn adapter: vendor=${vendor} architecture=${architecture}`);
  const device = await adapter.requestDevice();
  return {
    instance: gpu,
    device,
    manager: (options) => new ResourceManager(new WebGPUBackend(device), options),
    close: () => device.destroy(),
  };
}

/** Median of a list of numbers (robust against the odd GC pause or scheduler hiccup of a shared machine). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs `frame` `warmup + frames` times and returns the median milliseconds of the last `frames`. */
export async function medianFrameMs(
  warmup: number,
  frames: number,
  frame: () => Promise<void>,
): Promise<number> {
  for (let i = 0; i < warmup; i++) await frame();
  const times: number[] = [];
  for (let i = 0; i < frames; i++) {
    const start = performance.now();
    await frame();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Formats milliseconds. */
export function ms(value: number): string {
  return value >= 1 ? `${value.toFixed(2)} ms` : `${(value * 1000).toFixed(0)} us`;
}
