/**
 * Render targets: a scene drawn into an offscreen MSAA target created through the manager, post-processed onto
 * the canvas, on WebGPU (WGSL) or WebGL2 (GLSL ES 3.00) behind one `SceneRenderer` interface. When the canvas
 * size changes the targets are recreated through the manager; the overlay counts them and the canvas's swap
 * chain. "Lose the device" destroys the WebGPU device (or loses the WebGL2 context): the manager restores every
 * handle onto a new device and the scene comes back without a reload. On WebGPU a frame timer times each frame
 * (GPU time where the device has 'timestamp-query') and the overlay shows it.
 */
import { createFrameTimer, createStatsOverlay, type FrameTimer } from '../../src/index.ts';
import { formatBytes } from '../../src/overlay/format.ts';
import type { DemoBackend } from '../shared/backend.ts';
import { loseAndRestore, type RestoreSummary } from '../shared/device-loss.ts';
import { offerDump } from '../shared/dump-share.ts';
import { requireElement, startDemo } from '../shared/page.ts';
import type { DemoHookBase } from '../shared/test-hook.ts';
import type { RenderTargetsHook } from './hook.ts';
import type { SceneRenderer } from './scene-renderer.ts';
import { WebGL2SceneRenderer } from './webgl2-renderer.ts';
import { WebGPUSceneRenderer } from './webgpu-renderer.ts';

/** Highest device-pixel ratio rendered: beyond 2 the extra pixels cost memory and show little. */
const MAX_PIXEL_RATIO = 2;

const canvas = requireElement('scene-canvas', HTMLCanvasElement);

void startDemo(
  'render-targets',
  {
    manager: { debug: true },
    restoreDevice: true,
    // GPU time in the overlay, where the adapter offers it.
    features: ['timestamp-query'],
    // On WebGL2 the scene canvas itself carries the context. Nothing is drawn into the default framebuffer
    // but the full-screen post-process, so it needs no depth buffer and no MSAA of its own: those would be
    // browser allocations the overlay's swap-chain estimate cannot see.
    canvas,
    contextAttributes: { antialias: false, depth: false, stencil: false },
  },
  async (backend, hook) => {
    const info = requireElement('target-info', HTMLElement);
    const loseButton = requireElement('lose-device', HTMLButtonElement);
    const restoreInfo = requireElement('restore-info', HTMLElement);
    const renderer = await createRenderer(backend);
    const { manager } = backend;
    // On WebGPU the overlay shows CPU and GPU time per frame (or why there is no GPU time); on WebGL2 it has
    // no frame-time section.
    let frameTimer: FrameTimer | undefined;
    if (backend.name === 'webgpu' && renderer instanceof WebGPUSceneRenderer) {
      frameTimer = createFrameTimer(backend.manager, backend.device);
      renderer.timeFrames(frameTimer);
    }
    const overlay = createStatsOverlay(manager, { budgetBytes: 256 * 2 ** 20, frameTimer });
    offerDump(manager, 'render-targets');
    overlay.registerCanvas(canvas, {
      format: renderer.canvasFormat,
      bufferCount: renderer.swapChainBuffers,
      label: 'scene canvas',
    });

    let recreations = 0;
    let frames = 0;
    let restores = 0;
    // No frame is drawn between a loss and its restore: the handles are 'lost' until the manager is back.
    let paused = false;
    manager.on('lost', () => {
      paused = true;
      restoreInfo.textContent = 'device lost: restoring…';
    });
    manager.on('restored', (report) => {
      // The handles are the same; only the WebGPU device (encoders, the canvas configuration) is new.
      if (backend.name === 'webgpu' && renderer instanceof WebGPUSceneRenderer) {
        renderer.useDevice(backend.device);
        Object.assign(hook, { device: backend.device });
      }
      restores++;
      paused = report.failed.length > 0;
      restoreInfo.textContent = paused
        ? `restore failed for ${report.failed.length} resources: ${report.failed[0]?.reason ?? ''}`
        : `restored ${report.restored} resources in ${Math.round(report.durationMs)} ms (restore #${restores})`;
    });
    const loseDevice = async (): Promise<RestoreSummary> => {
      paused = true;
      loseButton.disabled = true;
      try {
        return await loseAndRestore(backend);
      } finally {
        loseButton.disabled = false;
      }
    };
    loseButton.addEventListener('click', () => {
      loseDevice().catch((error: unknown) => {
        restoreInfo.textContent = `could not lose the device: ${error instanceof Error ? error.message : String(error)}`;
        console.error(error);
      });
    });

    /** Matches the targets (and the canvas drawing buffer) to the canvas's displayed size. */
    const fitTargets = (): void => {
      const ratio = Math.min(globalThis.devicePixelRatio || 1, MAX_PIXEL_RATIO);
      const max = renderer.maxTargetSize;
      const width = Math.min(max, Math.max(1, Math.round(canvas.clientWidth * ratio)));
      const height = Math.min(max, Math.max(1, Math.round(canvas.clientHeight * ratio)));
      const current = renderer.targetSize();
      if (current.width === width && current.height === height) return;
      canvas.width = width;
      canvas.height = height;
      renderer.resize(width, height);
      recreations++;
      info.textContent = `${width}x${height}, ${formatBytes(renderer.expectedTargetBytes())} (MSAA colour + resolve + depth)`;
    };

    const frame = (now: number) => {
      if (!paused) {
        fitTargets();
        renderer.drawFrame(now / 1000);
        frames++;
      }
      requestAnimationFrame(frame);
    };
    fitTargets();
    requestAnimationFrame(frame);

    const fields: Omit<RenderTargetsHook, keyof DemoHookBase> = {
      backend: backend.name,
      manager,
      overlay,
      frameTimer,
      device: backend.name === 'webgpu' ? backend.device : undefined,
      gl: backend.name === 'webgl2' ? backend.gl : undefined,
      canvasFormat: renderer.canvasFormat,
      swapChainBuffers: renderer.swapChainBuffers,
      targetSize: () => renderer.targetSize(),
      recreations: () => recreations,
      frames: () => frames,
      restores: () => restores,
      loseDevice,
      expectedTargetBytes: () => renderer.expectedTargetBytes(),
      capture: (time) => {
        fitTargets();
        return renderer.capture(time);
      },
    };
    return fields;
  },
);

/** The renderer of the backend the page runs on. */
function createRenderer(backend: DemoBackend): Promise<SceneRenderer> {
  if (backend.name === 'webgl2') {
    // Debug mode of the demo: each frame checks gl.getError and reports like any other GPU error.
    return WebGL2SceneRenderer.create(backend.manager, backend.gl, (message) => {
      backend.gpuErrors.push(message);
      console.error(message);
    });
  }
  const context = canvas.getContext('webgpu');
  if (!context) throw new Error('canvas.getContext("webgpu") returned null although a device exists');
  return WebGPUSceneRenderer.create(backend.manager, backend.device, context);
}
