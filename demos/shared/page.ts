/**
 * What every demo page does around its own code: publish the test hook, create the backend, show a plain
 * message when the browser cannot run the demo, and report startup bugs loudly (console.error, so the browser
 * tests fail on them).
 */
import {
  BackendUnavailableError,
  createDemoBackend,
  type DemoBackend,
  type DemoBackendOptions,
} from './backend.ts';
import { type DemoHookBase, publishHook } from './test-hook.ts';

/**
 * Runs a demo page: `run` receives the backend and returns the page's own hook fields, which are merged into
 * `window.__demo` before `ready` is set.
 *
 * @example
 * void startDemo('stress', {}, async (backend) => {
 *   const overlay = createStatsOverlay(backend.manager);
 *   return { manager: backend.manager, overlay };
 * });
 */
export async function startDemo<Fields extends object>(
  page: string,
  options: DemoBackendOptions,
  run: (backend: DemoBackend, hook: DemoHookBase) => Promise<Fields> | Fields,
): Promise<void> {
  const hook = publishHook(page);
  try {
    const backend = await createDemoBackend(undefined, options);
    hook.gpuErrors = backend.gpuErrors;
    hook.adapter = backend.adapter;
    setStatus(
      backend.name === 'webgpu' ? `WebGPU on ${backend.adapter}` : `${backend.adapter} (?backend=webgl2)`,
    );
    const fields = await run(backend, hook);
    Object.assign(hook, fields);
    hook.ready = true;
  } catch (error) {
    if (error instanceof BackendUnavailableError) {
      // An expected situation, not a bug: say it on the page, plainly, and stop.
      hook.unavailable = error.message;
      showUnavailable(error.message, error.alternative);
      return;
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    hook.failure = message;
    showUnavailable(`This demo failed to start: ${message}`);
    console.error(error);
  }
}

/**
 * Writes a short line into the page's `#demo-status` element.
 *
 * @example
 * setStatus('WebGPU on google swiftshader');
 */
export function setStatus(text: string): void {
  const status = document.getElementById('demo-status');
  if (status) status.textContent = text;
}

/**
 * Replaces the demo with a plain message (the page's `.needs-gpu` parts are hidden by the stylesheet), and a
 * link to another way of running it when there is one (`#demo-alternative`).
 */
function showUnavailable(message: string, alternative?: { href: string; text: string }): void {
  document.body.classList.add('unavailable');
  const status = document.getElementById('demo-status');
  if (!status) return;
  status.textContent = message;
  status.setAttribute('role', 'alert');
  if (alternative) {
    const link = document.createElement('a');
    link.id = 'demo-alternative';
    link.href = alternative.href;
    link.textContent = alternative.text;
    status.after(link);
  }
}

/**
 * Reads an element that the page's HTML must contain; throws naming the id when it does not (a page bug).
 *
 * @example
 * const canvas = requireElement('scene-canvas', HTMLCanvasElement);
 */
export function requireElement<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) {
    throw new Error(`demo page is missing #${id} (a ${type.name}); found ${element?.tagName ?? 'nothing'}`);
  }
  return element;
}
