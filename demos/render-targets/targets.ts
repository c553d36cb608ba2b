/**
 * The offscreen targets of the render-targets demo, all created and destroyed through the manager: a 4x MSAA
 * colour texture, its single-sample resolve texture (what the post-process samples) and a 4x depth texture,
 * tied together by a render target. The same descriptors serve both backends: on WebGL2 the backend holds the
 * multisampled colour and depth as renderbuffers and the resolve target as an immutable texture.
 */
import { type BackendObjects, type Handle, type ResourceManager, TextureUsage } from '../../src/index.ts';
import type { BackendName } from '../shared/backend.ts';

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
 * Bytes per pixel each backend's ledger counts for one target set, by hand from that backend's rule (written
 * out separately, not shared, so a change to either rule shows up as a mismatch in the browser tests):
 * - WebGPU (formats.ts): 4x MSAA rgba8unorm 4 B/sample (16 B/pixel) + resolve rgba8unorm 4 B + 4x depth24plus
 *   4 B/sample (16 B/pixel).
 * - WebGL2 (gl-texture-size.ts): an RGBA8 renderbuffer of exactly 4 samples, 4 B each (16 B/pixel) + an RGBA8
 *   texStorage2D texture of one level (4 B) + a DEPTH_COMPONENT24 renderbuffer of 4 samples at the 4 B GL
 *   stores per depth24 texel (16 B/pixel). Samples count 4x, never 16x.
 */
const TARGET_BYTES_PER_PIXEL: { readonly [B in BackendName]: number } = {
  webgpu: 4 * SAMPLE_COUNT + 4 + 4 * SAMPLE_COUNT,
  webgl2: 4 * SAMPLE_COUNT + 4 + 4 * SAMPLE_COUNT,
};

/**
 * Bytes the manager must count for one target set on `backend`, by the hand rules above. The browser tests
 * check the ledger against this.
 *
 * @example
 * sceneTargetBytes(800, 600, 'webgpu') // 17_280_000
 * sceneTargetBytes(800, 600, 'webgl2') // 17_280_000
 */
export function sceneTargetBytes(width: number, height: number, backend: BackendName): number {
  return width * height * TARGET_BYTES_PER_PIXEL[backend];
}

/**
 * Creates the targets for a canvas size.
 *
 * @example
 * const targets = createSceneTargets(manager, canvas.width, canvas.height);
 */
export function createSceneTargets<B extends BackendObjects>(
  manager: ResourceManager<B>,
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
export function destroySceneTargets<B extends BackendObjects>(
  manager: ResourceManager<B>,
  targets: SceneTargets,
): void {
  manager.destroy(targets.renderTarget);
  manager.destroy(targets.color);
  manager.destroy(targets.resolve);
  manager.destroy(targets.depth);
}
