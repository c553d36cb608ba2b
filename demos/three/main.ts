/**
 * The three.js demo: an unmodified three.js renderer (WebGPURenderer given a tracked device, or WebGLRenderer
 * given a tracked WebGL2 context on ?backend=webgl2), with gpu-handles's books, three's own
 * `renderer.info.memory` and webgpu-memory side by side, the overlay on top, and the leak report of objects
 * collected without dispose().
 */
import { createStatsOverlay, trackContext, trackDevice } from '../../src/index.ts';
import { BackendUnavailableError, readBackendName } from '../shared/backend.ts';
import { offerDump } from '../shared/dump-share.ts';
import { requireElement, setStatus } from '../shared/page.ts';
import { publishHook } from '../shared/test-hook.ts';
import { type AnyTrackingManager, type Comparison, compare, type WebGPUMemoryReport } from './compare.ts';
import type { ThreeHook } from './hook.ts';
import { buildScene, type ThreeScene } from './scene.ts';

const hook = publishHook('three');

const format = (n: number | undefined) => (n === undefined ? '—' : n.toLocaleString('en-US'));

function showTable(table: Comparison): void {
  const body = document.querySelector('#compare-table tbody');
  if (!body) return;
  body.replaceChildren(
    ...table.rows.map((row) => {
      const tr = document.createElement('tr');
      for (const cell of [row.name, format(row.ours), format(row.three), format(row.webgpuMemory)]) {
        const td = document.createElement('td');
        td.textContent = cell;
        tr.append(td);
      }
      return tr;
    }),
  );
}

function showLeaks(manager: AnyTrackingManager): void {
  const leaks = manager.collectedWithoutDestroy();
  const summary = document.getElementById('leak-summary');
  if (summary && leaks.length > 0) {
    const bytes = leaks.reduce((sum, l) => sum + l.bytes, 0);
    summary.textContent = `${leaks.length} GPU objects were garbage-collected without destroy(): ${format(bytes)} bytes freed late.`;
  }
  const list = document.getElementById('leak-report');
  list?.replaceChildren(
    ...leaks.map((l) => {
      const li = document.createElement('li');
      li.textContent = `${l.kind} "${l.label}" ${format(l.bytes)} B, lived ${Math.round(l.ageMs)} ms`;
      return li;
    }),
  );
}

async function start(): Promise<void> {
  const backend = readBackendName();
  const canvas = requireElement('scene-canvas', HTMLCanvasElement);
  let manager: AnyTrackingManager;
  let renderer: { info: { memory: object }; setSize?: unknown };
  let THREE: unknown;
  let memoryOf: () => WebGPUMemoryReport | undefined = () => undefined;
  if (backend === 'webgpu') {
    // webgpu-memory wraps the WebGPU API when it loads: before the device exists.
    const { getWebGPUMemoryUsage } = await import('webgpu-memory');
    if (!navigator.gpu)
      throw new BackendUnavailableError(
        'webgpu',
        'This browser does not support WebGPU (navigator.gpu is missing).',
        { href: '?backend=webgl2', text: 'Run it on WebGL2' },
      );
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter)
      throw new BackendUnavailableError('webgpu', 'This browser found no WebGPU adapter.', {
        href: '?backend=webgl2',
        text: 'Run it on WebGL2',
      });
    const device = await adapter.requestDevice({
      requiredFeatures: [...adapter.features] as GPUFeatureName[],
    });
    device.addEventListener('uncapturederror', (event) => {
      const message = `uncaptured GPU error: ${(event as GPUUncapturedErrorEvent).error.message}`;
      (hook.gpuErrors as string[]).push(message);
      console.error(message);
    });
    const context = canvas.getContext('webgpu');
    if (!context) throw new Error('canvas.getContext("webgpu") returned null');
    manager = trackDevice(device, { contexts: [context], debug: true });
    const three = await import('three/webgpu');
    THREE = three;
    const webgpuRenderer = new three.WebGPURenderer({ canvas, device, antialias: false });
    await webgpuRenderer.init();
    renderer = webgpuRenderer;
    memoryOf = () => getWebGPUMemoryUsage(device) as WebGPUMemoryReport;
    hook.adapter = `${adapter.info.vendor} ${adapter.info.architecture}`;
    setStatus(`WebGPU on ${hook.adapter}: three.js WebGPURenderer, device tracked`);
  } else {
    const gl = canvas.getContext('webgl2', { antialias: false });
    if (!gl) throw new BackendUnavailableError('webgl2', 'This browser does not support WebGL2.');
    gl.canvas.addEventListener('webglcontextlost', () => console.error('WebGL2 context lost'));
    manager = trackContext(gl, { debug: true });
    const three = await import('three');
    THREE = three;
    renderer = new three.WebGLRenderer({ canvas, context: gl, antialias: false });
    hook.adapter = 'WebGL2';
    setStatus('WebGL2: three.js WebGLRenderer, context tracked (?backend=webgl2)');
  }
  const scene: ThreeScene = buildScene(THREE, renderer, canvas.width, canvas.height);
  const overlay = createStatsOverlay(manager, { title: `three.js on ${backend}` });
  offerDump(manager, 'three');
  let frames = 0;
  const table = () => compare(manager, renderer.info.memory, memoryOf());
  const frame = () => {
    scene.render();
    frames++;
    if (frames % 30 === 1) {
      showTable(table());
      showLeaks(manager);
    }
    requestAnimationFrame(frame);
  };
  manager.onCollected(() => showLeaks(manager));
  requestElement('add-mesh').addEventListener('click', () => scene.addMesh());
  requestElement('remove-mesh').addEventListener('click', () => scene.removeMesh(false));
  requestElement('forget-dispose').addEventListener('click', () => scene.removeMesh(true));
  requestElement('collect').addEventListener('click', () => showLeaks(manager));
  scene.render();
  frames++;
  showTable(table());
  requestAnimationFrame(frame);
  const fields: Partial<ThreeHook> = {
    backend,
    manager,
    frames: () => frames,
    compare: table,
    render: async () => {
      scene.render();
      frames++;
      showTable(table());
    },
    addMesh: () => scene.addMesh(),
    removeMesh: (forget) => scene.removeMesh(forget),
  };
  Object.assign(hook, fields, { overlay });
  hook.ready = true;
}

function requestElement(id: string): HTMLButtonElement {
  return requireElement(id, HTMLButtonElement);
}

start().catch((error: unknown) => {
  if (error instanceof BackendUnavailableError) {
    hook.unavailable = error.message;
    setStatus(error.message);
    return;
  }
  hook.failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  setStatus(`This demo failed to start: ${hook.failure}`);
  console.error(error);
});
