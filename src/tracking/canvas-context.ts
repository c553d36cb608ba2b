/**
 * Swap chains of WebGPU canvases: `configure` says the format, usage and device; the canvas says the size,
 * read again at each `getCurrentTexture` so resizes are followed. Each configured context is one adopted
 * texture record labelled `swap chain <canvas id>`, counted as `width * height * bytes per pixel * buffers`
 * (the overlay's swap-chain model: 3 buffers by default, an assumption about Chromium, see
 * src/overlay/swap-chain.ts). `unconfigure` takes it out of the books.
 */
import type { WebGPUObjects } from '../backends/webgpu/webgpu-backend.ts';
import { ValidationError } from '../errors.ts';
import { DEFAULT_SWAP_CHAIN_BUFFERS, swapChainBytes } from '../overlay/swap-chain.ts';
import type { NormalizedTextureDescriptor } from '../resources/texture.ts';
import { TextureUsage } from '../resources/usage.ts';
import { patchMethod } from './patch.ts';
import type { TrackingManager } from './tracking-manager.ts';
import { safeMember } from './webgpu-records.ts';

/** The label prefix of swap-chain records (a filter for tools that compare created textures only). */
export const SWAP_CHAIN_LABEL = 'swap chain';

interface Configuration {
  readonly format: GPUTextureFormat;
  readonly usage: number;
  readonly viewFormats: readonly GPUTextureFormat[];
  width: number;
  height: number;
}

/**
 * Follows a canvas context's swap chain in `manager`'s books, for configurations on `device`. Patches the
 * context's `configure`, `unconfigure` and `getCurrentTexture` on the instance; `manager.untrack()` undoes
 * them. A context configured before the call is recorded at once.
 *
 * @example
 * const context = canvas.getContext('webgpu')!;
 * const gpu = trackDevice(device, { contexts: [context] }); // or trackCanvasContext(gpu, context, device)
 */
export function trackCanvasContext(
  manager: TrackingManager<WebGPUObjects>,
  context: GPUCanvasContext,
  device: GPUDevice,
  bufferCount: number = DEFAULT_SWAP_CHAIN_BUFFERS,
): void {
  if (typeof context !== 'object' || context === null || typeof context.configure !== 'function') {
    throw new ValidationError('trackCanvasContext', 'context', context, 'must be a GPUCanvasContext');
  }
  let current: Configuration | undefined;
  const canvas = context.canvas as { width: number; height: number; id?: string };
  const label = `${SWAP_CHAIN_LABEL} ${typeof canvas.id === 'string' && canvas.id ? `#${canvas.id}` : 'canvas'}`;
  const record = () => {
    if (current === undefined) return;
    current.width = canvas.width;
    current.height = canvas.height;
    const descriptor: NormalizedTextureDescriptor = {
      label,
      width: current.width,
      height: current.height,
      depthOrArrayLayers: 1,
      format: current.format,
      usage: current.usage,
      dimension: '2d',
      mipLevelCount: 1,
      sampleCount: 1,
      viewFormats: current.viewFormats,
    };
    let bytes: number;
    try {
      bytes = swapChainBytes({
        width: current.width,
        height: current.height,
        format: current.format,
        bufferCount,
        label,
      });
    } catch {
      manager.noteSkipped('swap chain format not countable');
      return;
    }
    manager.rerecord('texture', descriptor, context, bytes);
  };
  const readConfiguration = (configuration: unknown): Configuration | undefined => {
    if (safeMember(configuration, 'device') !== device) return undefined;
    const format = safeMember(configuration, 'format');
    if (typeof format !== 'string') return undefined;
    const usage = safeMember(configuration, 'usage');
    const views = safeMember(configuration, 'viewFormats');
    return {
      format: format as GPUTextureFormat,
      usage: typeof usage === 'number' ? usage : TextureUsage.RENDER_ATTACHMENT,
      viewFormats: Array.isArray(views)
        ? (views.filter((v) => typeof v === 'string') as GPUTextureFormat[])
        : [],
      width: 0,
      height: 0,
    };
  };
  manager.addRestore(
    patchMethod(
      context,
      'configure',
      (original) =>
        function (this: GPUCanvasContext, ...args: unknown[]) {
          const result = original.apply(this, args as never);
          if (!manager.isTracking) return result;
          const next = readConfiguration(args[0]);
          if (next === undefined) {
            if (current !== undefined) manager.released(context); // configured for another device now
            current = undefined;
          } else {
            current = next;
            record();
          }
          return result;
        },
    ),
  );
  manager.addRestore(
    patchMethod(
      context,
      'unconfigure',
      (original) =>
        function (this: GPUCanvasContext, ...args: unknown[]) {
          const result = original.apply(this, args as never);
          if (current !== undefined) manager.released(context);
          current = undefined;
          return result;
        },
    ),
  );
  manager.addRestore(
    patchMethod(
      context,
      'getCurrentTexture',
      (original) =>
        function (this: GPUCanvasContext, ...args: unknown[]) {
          const result = original.apply(this, args as never);
          if (
            current !== undefined &&
            manager.isTracking &&
            (canvas.width !== current.width || canvas.height !== current.height)
          ) {
            record();
          }
          return result;
        },
    ),
  );
  const existing = typeof context.getConfiguration === 'function' ? context.getConfiguration() : null;
  if (existing) {
    current = readConfiguration(existing);
    record();
  }
}
