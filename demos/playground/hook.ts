/**
 * TEST-ONLY: what the playground publishes on `window.__demo` (see demos/shared/test-hook.ts).
 */
import type { StatsOverlay, WebGL2ResourceManager, WebGPUResourceManager } from '../../src/index.ts';
import type { DemoHookBase } from '../shared/test-hook.ts';

/** The playground's test hook. */
export interface PlaygroundHook extends DemoHookBase {
  readonly backend: 'webgpu' | 'webgl2';
  readonly manager: WebGPUResourceManager | WebGL2ResourceManager;
  readonly overlay: StatsOverlay;
  /** Rows in the live table. */
  tableRows(): number;
}
