/**
 * "Lose the device" for the demo pages: WebGPU destroys the device (the manager's restore option then gives it
 * a new one from a new adapter); WebGL2 loses the context through WEBGL_lose_context and restores it (the
 * manager restores by itself on `webglcontextrestored`). Either way every handle comes back under the same
 * number and the page keeps drawing without a reload.
 */
import type { DemoBackend } from './backend.ts';

/** What a restore brought back, for the page and the tests. */
export interface RestoreSummary {
  readonly restored: number;
  readonly durationMs: number;
  readonly empty: readonly string[];
  readonly failed: readonly string[];
  /** Milliseconds from the loss to the `restored` event. */
  readonly lossToRestoredMs: number;
}

/**
 * Loses the backend's device or context and resolves once the manager has restored every resource.
 *
 * @example
 * button.onclick = async () => { const summary = await loseAndRestore(backend); show(summary); };
 */
export async function loseAndRestore(backend: DemoBackend): Promise<RestoreSummary> {
  const { manager } = backend;
  const started = performance.now();
  const restored = new Promise<RestoreSummary>((resolve) => {
    const stop = manager.on('restored', (report) => {
      stop();
      resolve({
        restored: report.restored,
        durationMs: report.durationMs,
        empty: report.empty.map((r) => r.label),
        failed: report.failed.map((r) => `${r.label}: ${r.reason}`),
        lossToRestoredMs: performance.now() - started,
      });
    });
  });
  if (backend.name === 'webgpu') {
    backend.device.destroy();
    return restored;
  }
  const ext = backend.gl.getExtension('WEBGL_lose_context');
  if (!ext) throw new Error('this browser has no WEBGL_lose_context: the context cannot be lost on purpose');
  const lost = new Promise<void>((resolve) => {
    const stop = manager.on('lost', () => {
      stop();
      resolve();
    });
  });
  backend.lossExpected = true;
  ext.loseContext();
  await lost;
  // The browser accepts restoreContext only once the lost event's dispatch is over.
  await new Promise((resolve) => setTimeout(resolve, 0));
  ext.restoreContext();
  return restored;
}
