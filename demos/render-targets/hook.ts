/**
 * TEST-ONLY: what the render-targets demo publishes on `window.__demo` (see demos/shared/test-hook.ts).
 */
import type { StatsOverlay, WebGPUResourceManager } from '../../src/index.ts';
import type { DemoHookBase } from '../shared/test-hook.ts';
import type { PixelSummary } from './pixels.ts';

/** The render-targets demo's test hook. */
export interface RenderTargetsHook extends DemoHookBase {
  readonly manager: WebGPUResourceManager;
  readonly overlay: StatsOverlay;
  readonly device: GPUDevice;
  /** The canvas's configured format. */
  readonly canvasFormat: GPUTextureFormat;
  /** Size of the current offscreen targets (equal to the canvas drawing buffer). */
  targetSize(): { width: number; height: number };
  /** How many target sets were created so far (1 after startup, +1 per resize). */
  recreations(): number;
  /** Frames drawn so far. */
  frames(): number;
  /** Bytes the manager must count for the current targets, by the hand formula of targets.ts. */
  expectedTargetBytes(): number;
  /** Draws the frame at `time` seconds (resizing first if needed), reads the canvas back and summarises it. */
  capture(time: number): Promise<PixelSummary>;
}
