/**
 * Render targets: a scene drawn into an offscreen MSAA target created through the manager, post-processed onto
 * the canvas. When the canvas size changes the targets are recreated through the manager; the overlay counts
 * them and the canvas's swap chain.
 */
import { createStatsOverlay, formatBytes } from '../../src/index.ts';
import { BackendUnavailableError } from '../shared/backend.ts';
import { requireElement, startDemo } from '../shared/page.ts';
import type { DemoHookBase } from '../shared/test-hook.ts';
import type { RenderTargetsHook } from './hook.ts';
import { readBackFrame } from './pixels.ts';
import { SceneRenderer } from './renderer.ts';
import { createSceneTargets, destroySceneTargets, type SceneTargets, sceneTargetBytes } from './targets.ts';

/** Highest device-pixel ratio rendered: beyond 2 the extra pixels cost memory and show little. */
const MAX_PIXEL_RATIO = 2;

/** Where a browser without WebGPU is sent: this demo's shaders are WGSL, the playground runs on WebGL2 too. */
const WEBGL2_ELSEWHERE = {
  href: '../playground/?backend=webgl2',
  text: 'Open the playground on WebGL2 instead',
};

void startDemo(
  'render-targets',
  { manager: { debug: true }, offerWebGL2: WEBGL2_ELSEWHERE },
  async (backend) => {
    if (backend.name !== 'webgpu') {
      backend.manager.dispose();
      throw new BackendUnavailableError(
        backend.name,
        'The render-targets demo draws with WGSL shaders, so it needs WebGPU; it has no WebGL2 version yet. ' +
          'The playground and the stress demo run on WebGL2.',
        WEBGL2_ELSEWHERE,
      );
    }
    const { manager, device } = backend;
    const canvas = requireElement('scene-canvas', HTMLCanvasElement);
    const info = requireElement('target-info', HTMLElement);
    const context = canvas.getContext('webgpu');
    if (!context) throw new Error('canvas.getContext("webgpu") returned null although a device exists');
    const canvasFormat = navigator.gpu.getPreferredCanvasFormat();
    // COPY_SRC lets the demo read its own output back (the browser tests' "not blank" check).
    context.configure({
      device,
      format: canvasFormat,
      usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC,
    });

    const overlay = createStatsOverlay(manager, { budgetBytes: 256 * 2 ** 20 });
    overlay.registerCanvas(context, { format: canvasFormat, label: 'scene canvas' });
    const renderer = await SceneRenderer.create(manager, device, canvasFormat);

    let targets: SceneTargets | undefined;
    let recreations = 0;
    let frames = 0;

    /** Matches the targets (and the canvas drawing buffer) to the canvas's displayed size. */
    const fitTargets = (): SceneTargets => {
      const ratio = Math.min(globalThis.devicePixelRatio || 1, MAX_PIXEL_RATIO);
      const max = device.limits.maxTextureDimension2D;
      const width = Math.min(max, Math.max(1, Math.round(canvas.clientWidth * ratio)));
      const height = Math.min(max, Math.max(1, Math.round(canvas.clientHeight * ratio)));
      if (targets && targets.width === width && targets.height === height) return targets;
      canvas.width = width;
      canvas.height = height;
      const previous = targets;
      targets = createSceneTargets(manager, width, height);
      renderer.setTargets(targets);
      // Destroyed through the manager; what the last frame still uses is freed once the GPU is done with it.
      if (previous) destroySceneTargets(manager, previous);
      recreations++;
      info.textContent = `${width}x${height}, ${formatBytes(sceneTargetBytes(width, height))} (MSAA colour + resolve + depth)`;
      return targets;
    };

    const draw = (time: number, encoder: GPUCommandEncoder, texture: GPUTexture) => {
      renderer.encode(encoder, texture.createView(), time);
    };

    const frame = (now: number) => {
      fitTargets();
      const encoder = device.createCommandEncoder({ label: 'frame' });
      draw(now / 1000, encoder, context.getCurrentTexture());
      manager.submit([encoder.finish()]);
      frames++;
      requestAnimationFrame(frame);
    };
    fitTargets();
    requestAnimationFrame(frame);

    const fields: Omit<RenderTargetsHook, keyof DemoHookBase> = {
      manager,
      overlay,
      device,
      canvasFormat,
      targetSize: () => ({ width: targets?.width ?? 0, height: targets?.height ?? 0 }),
      recreations: () => recreations,
      frames: () => frames,
      expectedTargetBytes: () => (targets ? sceneTargetBytes(targets.width, targets.height) : 0),
      capture: (time) => {
        fitTargets();
        const texture = context.getCurrentTexture();
        return readBackFrame(manager, device, texture, (encoder) => draw(time, encoder, texture));
      },
    };
    return fields;
  },
);
