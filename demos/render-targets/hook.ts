/**
 * TEST-ONLY: what the render-targets demo publishes on `window.__demo` (see demos/shared/test-hook.ts).
 */
import type {
  FrameTimer,
  StatsOverlay,
  WebGL2ResourceManager,
  WebGPUResourceManager,
} from '../../src/index.ts';
import type { BackendName } from '../shared/backend.ts';
import type { RestoreSummary } from '../shared/device-loss.ts';
import type { DemoHookBase } from '../shared/test-hook.ts';
import type { PixelSummary } from './pixels.ts';

/** The render-targets demo's test hook. */
export interface RenderTargetsHook extends DemoHookBase {
  readonly backend: BackendName;
  readonly manager: WebGPUResourceManager | WebGL2ResourceManager;
  readonly overlay: StatsOverlay;
  /** Times the drawn frames on WebGPU (the overlay shows its figures); absent on WebGL2. */
  readonly frameTimer: FrameTimer | undefined;
  /** The WebGPU device (on `?backend=webgpu`); a new one after each restore. */
  readonly device: GPUDevice | undefined;
  /** The WebGL2 context (on `?backend=webgl2`). */
  readonly gl: WebGL2RenderingContext | undefined;
  /** The canvas's presentation format (the WebGL2 default framebuffer is rgba8unorm). */
  readonly canvasFormat: GPUTextureFormat;
  /** Swap-chain buffers the overlay assumes for the canvas (3 on WebGPU, 2 on WebGL2). */
  readonly swapChainBuffers: number;
  /** Size of the current offscreen targets (equal to the canvas drawing buffer). */
  targetSize(): { width: number; height: number };
  /** How many target sets were created so far (1 after startup, +1 per resize). */
  recreations(): number;
  /** Frames drawn so far. */
  frames(): number;
  /** Restores after a device or context loss so far. */
  restores(): number;
  /**
   * Presses "Lose the device": WebGPU `device.destroy()` (the manager restores onto a new device; `device`
   * then names it), WebGL2 `loseContext()` + `restoreContext()`. Resolves once every resource is restored.
   */
  loseDevice(): Promise<RestoreSummary>;
  /** Bytes the manager must count for the current targets, by the backend's hand rule in targets.ts. */
  expectedTargetBytes(): number;
  /** Draws the frame at `time` seconds (resizing first if needed), reads the canvas back and summarises it. */
  capture(time: number): Promise<PixelSummary>;
}
