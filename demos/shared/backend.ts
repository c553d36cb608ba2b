/**
 * Backend selection for the demos: `?backend=webgpu` (default) or `?backend=webgl2`, and the manager built on
 * it. Every demo page starts here, so "this browser has no WebGPU" is detected and worded in one place, and a
 * page that can run on WebGL2 offers it.
 *
 * `DemoBackend` is a union discriminated by `name`: a page that draws narrows it to pick its backend's renderer
 * (render-targets); a backend-neutral page (playground, stress) runs its code once per variant, typed for that
 * backend's manager.
 */
import {
  createResourceManager,
  type ManagerOptions,
  type WebGL2ResourceManager,
  type WebGPUResourceManager,
} from '../../src/index.ts';

/** The backends a demo can be asked for. */
export const BACKEND_NAMES = ['webgpu', 'webgl2'] as const;

/** A backend name of `?backend=`. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * The requested backend cannot run in this browser (or is not built yet). The message is meant for the page,
 * as is: it says what is missing and what to do.
 *
 * @example
 * try { await createDemoBackend() } catch (e) { if (e instanceof BackendUnavailableError) show(e.message) }
 */
export class BackendUnavailableError extends Error {
  readonly backend: string;
  /** Another way to run the page, shown as a link after the message (e.g. the WebGL2 version). */
  readonly alternative: { readonly href: string; readonly text: string } | undefined;
  constructor(backend: string, message: string, alternative?: { href: string; text: string }) {
    super(message);
    this.name = 'BackendUnavailableError';
    this.backend = backend;
    this.alternative = alternative;
  }
}

/** A demo running on WebGPU: the device, the manager that owns its resources, and what went wrong on the GPU. */
export interface WebGPUDemoBackend {
  readonly name: 'webgpu';
  /** `vendor architecture` of the adapter, for the page and the test logs. */
  readonly adapter: string;
  /** The device the manager is on: replaced by a new one (from a new adapter) when the manager restores. */
  device: GPUDevice;
  readonly manager: WebGPUResourceManager;
  /** Uncaptured GPU errors and debug-mode `gpuError`s, in order. Each is also printed with console.error. */
  readonly gpuErrors: string[];
}

/**
 * A demo running on WebGL2: the context (of a canvas the page may show or not) and the manager on it.
 */
export interface WebGL2DemoBackend {
  readonly name: 'webgl2';
  /** The GL renderer string, for the page and the test logs. */
  readonly adapter: string;
  readonly gl: WebGL2RenderingContext;
  readonly manager: WebGL2ResourceManager;
  /** Context loss and debug-mode `gpuError`s, in order. Each is also printed with console.error. */
  readonly gpuErrors: string[];
  /** Set by a page that loses the context on purpose (WEBGL_lose_context): that loss is not an error. */
  lossExpected: boolean;
}

/** The backends a demo may receive. */
export type DemoBackend = WebGPUDemoBackend | WebGL2DemoBackend;

/** Options of {@link createDemoBackend}. */
export interface DemoBackendOptions {
  /** Passed to the manager (capacity, debug, budget). */
  manager?: Omit<ManagerOptions, 'restore'>;
  /**
   * WebGPU: after a device loss the manager restores itself onto a new device from a new adapter (a used
   * adapter cannot give a second device); `backend.device` then names the new one. WebGL2 restores on
   * `webglcontextrestored` either way.
   */
  restoreDevice?: boolean;
  /**
   * WebGPU device features the page would like ('timestamp-query' for GPU time), requested where the adapter
   * offers them (also on the device a restore brings); `backend.device.features` says what was granted.
   */
  features?: readonly GPUFeatureName[];
  /** The canvas whose context the WebGL2 backend uses; a detached one when absent. */
  canvas?: HTMLCanvasElement;
  /** Attributes of that WebGL2 context (a page that presents may not want the default MSAA and depth). */
  contextAttributes?: WebGLContextAttributes;
  /**
   * What to offer when WebGPU is missing but WebGL2 works: `true` (default) links to this page with
   * `?backend=webgl2`; a link of your own sends elsewhere; `false` offers nothing.
   */
  offerWebGL2?: boolean | { readonly href: string; readonly text: string };
}

/**
 * Reads `?backend=` from a query string; `webgpu` when absent. Throws `BackendUnavailableError` for a name
 * that is not a backend.
 *
 * @example
 * readBackendName('?backend=webgl2') // 'webgl2'
 */
export function readBackendName(search: string = location.search): BackendName {
  const value = new URLSearchParams(search).get('backend') ?? 'webgpu';
  if ((BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  throw new BackendUnavailableError(
    value,
    `?backend=${value} is not a backend of gpu-handles: use ?backend=${BACKEND_NAMES.join(' or ?backend=')}.`,
  );
}

const FACTORIES: { readonly [N in BackendName]: (options: DemoBackendOptions) => Promise<DemoBackend> } = {
  webgpu: createWebGPUBackend,
  webgl2: createWebGL2Backend,
};

/**
 * Creates the backend named by `?backend=` (or `name`) and a manager on it. Throws `BackendUnavailableError`
 * with a page-ready message when the browser cannot provide it.
 *
 * @example
 * const backend = await createDemoBackend(readBackendName(), { manager: { debug: true } });
 * backend.manager.createBuffer({ size: 256, usage: BufferUsage.UNIFORM });
 */
export function createDemoBackend(
  name: BackendName = readBackendName(),
  options: DemoBackendOptions = {},
): Promise<DemoBackend> {
  return FACTORIES[name](options);
}

/** The link to the WebGL2 version of the current page, when WebGL2 works here and the page offers it. */
function webGL2Alternative(options: DemoBackendOptions): { href: string; text: string } | undefined {
  const offer = options.offerWebGL2 ?? true;
  if (offer === false || !document.createElement('canvas').getContext('webgl2')) return undefined;
  if (offer !== true) return { ...offer };
  const url = new URL(location.href);
  url.searchParams.set('backend', 'webgl2');
  return { href: url.search, text: 'Run this demo on WebGL2 instead' };
}

async function createWebGPUBackend(options: DemoBackendOptions): Promise<WebGPUDemoBackend> {
  if (!('gpu' in navigator) || !navigator.gpu) {
    throw new BackendUnavailableError(
      'webgpu',
      'This browser does not support WebGPU (navigator.gpu is missing), so this demo cannot run on WebGPU ' +
        'here. Try a recent Chrome, Edge or Safari, or Firefox with WebGPU enabled.',
      webGL2Alternative(options),
    );
  }
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) {
    throw new BackendUnavailableError(
      'webgpu',
      'This browser knows WebGPU but found no GPU adapter (the GPU may be blocklisted or WebGPU disabled), ' +
        'so this demo cannot run on WebGPU here.',
      webGL2Alternative(options),
    );
  }
  const offered = (from: GPUAdapter) => (options.features ?? []).filter((name) => from.features.has(name));
  const device = await adapter.requestDevice({ requiredFeatures: offered(adapter) });
  const gpuErrors: string[] = [];
  const record = (message: string) => {
    gpuErrors.push(message);
    console.error(message);
  };
  const watch = (watched: GPUDevice) => {
    watched.addEventListener('uncapturederror', (event) => {
      record(`uncaptured GPU error: ${(event as GPUUncapturedErrorEvent).error.message}`);
    });
    void watched.lost.then((info) => {
      if (info.reason !== 'destroyed') record(`GPU device lost: ${info.message}`);
    });
  };
  watch(device);
  const restore = async (): Promise<GPUDevice> => {
    const nextAdapter = await navigator.gpu.requestAdapter();
    const next = await nextAdapter?.requestDevice({ requiredFeatures: offered(nextAdapter) });
    if (!next) throw new Error('no WebGPU adapter to restore onto');
    watch(next);
    backend.device = next;
    return next;
  };
  const manager = createResourceManager({
    device,
    ...options.manager,
    ...(options.restoreDevice ? { restore } : {}),
  });
  manager.on('gpuError', (error) => record(error.message));
  const backend: WebGPUDemoBackend = {
    name: 'webgpu',
    adapter: `${adapter.info.vendor} ${adapter.info.architecture}`.trim() || 'unknown adapter',
    device,
    manager,
    gpuErrors,
  };
  return backend;
}

async function createWebGL2Backend(options: DemoBackendOptions): Promise<WebGL2DemoBackend> {
  const gl = (options.canvas ?? document.createElement('canvas')).getContext(
    'webgl2',
    options.contextAttributes,
  );
  if (!gl) {
    throw new BackendUnavailableError(
      'webgl2',
      'This browser does not support WebGL2 (canvas.getContext("webgl2") returned null), so this demo cannot ' +
        'run on WebGL2 here.',
    );
  }
  const gpuErrors: string[] = [];
  const record = (message: string) => {
    gpuErrors.push(message);
    console.error(message);
  };
  gl.canvas.addEventListener('webglcontextlost', () => {
    if (!backend.lossExpected) record('WebGL2 context lost');
    backend.lossExpected = false;
  });
  const manager = createResourceManager({ gl, ...options.manager });
  manager.on('gpuError', (error) => record(error.message));
  const renderer = gl.getParameter(gl.RENDERER);
  const backend: WebGL2DemoBackend = {
    name: 'webgl2',
    adapter: `WebGL2 ${typeof renderer === 'string' ? renderer : ''}`.trim(),
    gl,
    manager,
    gpuErrors,
    lossExpected: false,
  };
  return backend;
}
