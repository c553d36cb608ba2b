/**
 * TEST-ONLY: what the three.js demo publishes on `window.__demo` (see demos/shared/test-hook.ts).
 */

import type { BackendName } from '../shared/backend.ts';
import type { DemoHookBase } from '../shared/test-hook.ts';
import type { AnyTrackingManager, Comparison } from './compare.ts';

/** The three.js demo's test hook. */
export interface ThreeHook extends DemoHookBase {
  readonly backend: BackendName;
  readonly manager: AnyTrackingManager;
  /** Frames rendered so far. */
  frames(): number;
  /** The side-by-side figures as the page shows them. */
  compare(): Comparison;
  /** Renders one frame now. */
  render(): Promise<void>;
  addMesh(): void;
  removeMesh(forgetDispose: boolean): void;
}
