/**
 * Real WebGPU in Node: Dawn (the `webgpu` package) on SwiftShader. Each test file calls `useGpuDevice()` to get
 * a device; the fixture logs the adapter, fails (never skips) when there is none, fails a test that caused an
 * uncaptured GPU error, and destroys the device after the file.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);

let gpu: GPU | undefined;
let adapterLogged = false;

/** The process-wide Dawn instance (created on first use). */
export function dawn(): GPU {
  process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json';
  gpu ??= create([]) as GPU;
  return gpu;
}

/**
 * Requests an adapter and a device with every feature the adapter offers. Throws (with the fix) when Dawn
 * finds no adapter: a GPU suite that skips proves nothing.
 */
export async function requestTestDevice(): Promise<GPUDevice> {
  const adapter = await dawn().requestAdapter();
  if (!adapter) {
    throw new Error(
      'No WebGPU adapter from Dawn. It needs SwiftShader and the Vulkan loader: ' +
        'apt-get install -y chromium libvulkan1 (npm test does this as root), and ' +
        'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json.',
    );
  }
  if (!adapterLogged) {
    const { vendor, architecture, description } = adapter.info;
    console.log(`[webgpu] Dawn adapter: vendor=${vendor} architecture=${architecture} ${description}`);
    adapterLogged = true;
  }
  return adapter.requestDevice({ requiredFeatures: [...adapter.features] as GPUFeatureName[] });
}

/** The device of the current test file and the uncaptured errors it reported. */
export interface GpuFixture {
  readonly device: GPUDevice;
  /** Uncaptured GPU errors since the last test; the fixture fails the test when any remain. */
  readonly uncapturedErrors: string[];
}

/**
 * Registers hooks giving this test file a fresh device.
 *
 * @example
 * const gpu = useGpuDevice();
 * it('creates', () => { gpu.device.createBuffer(...) });
 */
export function useGpuDevice(): GpuFixture {
  const fixture = { device: undefined as unknown as GPUDevice, uncapturedErrors: [] as string[] };
  beforeAll(async () => {
    fixture.device = await requestTestDevice();
    fixture.device.addEventListener('uncapturederror', (event) => {
      fixture.uncapturedErrors.push((event as GPUUncapturedErrorEvent).error.message);
    });
  });
  afterEach(async () => {
    // Let the GPU report errors of work submitted during the test before judging it.
    await fixture.device.queue.onSubmittedWorkDone();
    const errors = fixture.uncapturedErrors.splice(0);
    expect(errors, 'uncaptured GPU errors').toEqual([]);
  });
  afterAll(() => {
    fixture.device?.destroy();
  });
  return fixture;
}

/**
 * Runs `body` inside a validation error scope and returns the GPU's error message, or undefined.
 *
 * @example
 * expect(await gpuValidationError(device, () => submitCopy(buffer))).toMatch(/destroyed/);
 */
export async function gpuValidationError(device: GPUDevice, body: () => void): Promise<string | undefined> {
  device.pushErrorScope('validation');
  body();
  const error = await device.popErrorScope();
  return error?.message;
}
