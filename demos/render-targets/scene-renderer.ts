/**
 * What the render-targets page asks of a backend: one interface, two implementations (webgpu-renderer.ts,
 * webgl2-renderer.ts). The page (main.ts) sizes the canvas, runs the frame loop and publishes the test hook;
 * the renderer owns the offscreen targets (created and destroyed through the manager), the shaders and the
 * draw calls of its backend.
 */
import type { BackendName } from '../shared/backend.ts';
import type { PixelSummary } from './pixels.ts';

/**
 * A backend's renderer of the demo scene.
 *
 * @example
 * renderer.resize(canvas.width, canvas.height); // recreates the targets through the manager
 * renderer.drawFrame(performance.now() / 1000);
 * const summary = await renderer.capture(1.0);
 */
export interface SceneRenderer {
  readonly backend: BackendName;
  /** The canvas's presentation format, for the overlay's swap-chain estimate. */
  readonly canvasFormat: GPUTextureFormat;
  /** Buffers the browser keeps for the canvas (3 for a WebGPU canvas, 2 for a double-buffered WebGL2 one). */
  readonly swapChainBuffers: number;
  /** The largest target side the device allows. */
  readonly maxTargetSize: number;
  /** Size of the current targets; 0x0 before the first `resize`. */
  targetSize(): { width: number; height: number };
  /**
   * Creates targets of this size through the manager and destroys the previous set (what the last frame still
   * uses is freed once the GPU is done with it).
   */
  resize(width: number, height: number): void;
  /** Bytes the ledger must count for the current targets, by this backend's hand rule (targets.ts). */
  expectedTargetBytes(): number;
  /** Draws the scene at `time` seconds into the targets, post-processes it onto the canvas and submits. */
  drawFrame(time: number): void;
  /** Draws the frame at `time`, reads the canvas back and summarises it. */
  capture(time: number): Promise<PixelSummary>;
}
