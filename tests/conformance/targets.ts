/**
 * The conformance contexts of the two backends, and a sequential case runner for pages. Shared by the Dawn
 * runner (Node), and the browser page (WebGPU and WebGL2 in Chromium).
 */
import { createResourceManager, type ManagerOptions } from '../../src/index.ts';
import type { AnyManager, CaseResult, ConformanceCase, ConformanceContext } from './context.ts';
import { GLSL_SHADERS, WGSL_SHADERS } from './context.ts';

/**
 * The WebGPU context: managers on `device`; losable managers on a fresh device from `requestDevice`, lost
 * with `device.destroy()`.
 *
 * @example
 * const ctx = webgpuContext(device, () => adapter.requestDevice());
 */
export function webgpuContext(
  device: GPUDevice,
  requestDevice: () => Promise<GPUDevice>,
): ConformanceContext {
  return {
    backend: 'webgpu',
    createManager: (options?: ManagerOptions) =>
      createResourceManager({ device, ...options }) as unknown as AnyManager,
    async createLosableManager(options?: ManagerOptions) {
      const own = await requestDevice();
      const manager = createResourceManager({ device: own, ...options }) as unknown as AnyManager;
      return { manager, lose: () => own.destroy() };
    },
    shaders: WGSL_SHADERS,
  };
}

/**
 * The WebGL2 context: managers on `gl` (one context for all: browsers cap live contexts at about 16);
 * losable managers on a fresh context from `newContext`, lost with `WEBGL_lose_context.loseContext()`.
 *
 * @example
 * const ctx = webgl2Context(gl, () => document.createElement('canvas').getContext('webgl2')!);
 */
export function webgl2Context(
  gl: WebGL2RenderingContext,
  newContext: () => WebGL2RenderingContext,
): ConformanceContext {
  return {
    backend: 'webgl2',
    createManager: (options?: ManagerOptions) =>
      createResourceManager({ gl, ...options }) as unknown as AnyManager,
    async createLosableManager(options?: ManagerOptions) {
      const own = newContext();
      const manager = createResourceManager({ gl: own, ...options }) as unknown as AnyManager;
      const extension = own.getExtension('WEBGL_lose_context');
      if (!extension)
        throw new Error('WEBGL_lose_context is not available: cannot lose a context on purpose');
      return { manager, lose: () => extension.loseContext() };
    },
    shaders: GLSL_SHADERS,
  };
}

/**
 * Runs cases one after the other; after each, `gpuErrors()` must report nothing (uncaptured WebGPU errors,
 * `gl.getError()`), or the case fails with them. A case that runs past `timeoutMs` fails.
 *
 * @example
 * const results = await runCases(ctx, CONFORMANCE_CASES, async () => drainErrors());
 */
export async function runCases(
  ctx: ConformanceContext,
  cases: readonly ConformanceCase[],
  gpuErrors: () => Promise<string[]>,
  timeoutMs = 20_000,
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const c of cases) {
    const start = performance.now();
    let message = '';
    try {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([Promise.resolve().then(() => c.run(ctx)), timeout]);
      } finally {
        clearTimeout(timer);
      }
      const errors = await gpuErrors();
      if (errors.length) message = `GPU errors during the case: ${errors.join(' | ')}`;
    } catch (error) {
      message =
        error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
      await gpuErrors(); // do not blame the next case for this one's errors
    }
    results.push({ name: c.name, ok: message === '', message, ms: Math.round(performance.now() - start) });
  }
  return results;
}
