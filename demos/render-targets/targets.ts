/**
 * The offscreen targets of the render-targets demo, all created and destroyed through the manager: a 4x MSAA
 * colour texture, its single-sample resolve texture (what the post-process samples) and a 4x depth texture,
 * tied together by a render target.
 */
import { type Handle, TextureUsage, type WebGPUResourceManager } from '../../src/index.ts';

/** Format of the offscreen scene. */
export const SCENE_FORMAT: GPUTextureFormat = 'rgba8unorm';
/** Depth format of the offscreen scene. */
export const DEPTH_FORMAT: GPUTextureFormat = 'depth24plus';
/** MSAA sample count of the scene. */
export const SAMPLE_COUNT = 4;

/** One set of offscreen targets at one size. */
export interface SceneTargets {
  readonly width: number;
  readonly height: number;
  readonly color: Handle<'texture'>;
  readonly resolve: Handle<'texture'>;
  readonly depth: Handle<'texture'>;
  readonly renderTarget: Handle<'renderTarget'>;
}

/**
 * Bytes the manager must count for one target set, by hand: 4x MSAA rgba8 (16 B/pixel) + resolve rgba8
 * (4 B/pixel) + 4x depth24plus (4 B/sample, 16 B/pixel). The browser test checks the ledger against this.
 *
 * @example
 * sceneTargetBytes(800, 600) // 17_280_000
 */
export function sceneTargetBytes(width: number, height: number): number {
  return width * height * (4 * SAMPLE_COUNT + 4 + 4 * SAMPLE_COUNT);
}

/**
 * Creates the targets for a canvas size.
 *
 * @example
 * const targets = createSceneTargets(manager, canvas.width, canvas.height);
 */
export function createSceneTargets(
  manager: WebGPUResourceManager,
  width: number,
  height: number,
): SceneTargets {
  const size = [width, height];
  const label = `scene ${width}x${height}`;
  const color = manager.createTexture({
    label: `${label} msaa color`,
    size,
    format: SCENE_FORMAT,
    sampleCount: SAMPLE_COUNT,
    usage: TextureUsage.RENDER_ATTACHMENT,
  });
  const resolve = manager.createTexture({
    label: `${label} resolve`,
    size,
    format: SCENE_FORMAT,
    usage: TextureUsage.RENDER_ATTACHMENT | TextureUsage.TEXTURE_BINDING,
  });
  const depth = manager.createTexture({
    label: `${label} depth`,
    size,
    format: DEPTH_FORMAT,
    sampleCount: SAMPLE_COUNT,
    usage: TextureUsage.RENDER_ATTACHMENT,
  });
  const renderTarget = manager.createRenderTarget({
    label,
    color: [{ texture: color, resolveTarget: resolve, clearValue: [0.05, 0.07, 0.13, 1] }],
    depthStencil: { texture: depth, depthClearValue: 1 },
  });
  return { width, height, color, resolve, depth, renderTarget };
}

/**
 * Destroys a target set through the manager. Textures that the GPU may still be using (marked with
 * `manager.use` in the last frame) are freed when that work completes: the overlay shows them as pending.
 *
 * @example
 * destroySceneTargets(manager, old);
 */
export function destroySceneTargets(manager: WebGPUResourceManager, targets: SceneTargets): void {
  manager.destroy(targets.renderTarget);
  manager.destroy(targets.color);
  manager.destroy(targets.resolve);
  manager.destroy(targets.depth);
}
