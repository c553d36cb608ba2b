/**
 * TEST-ONLY: what the stress demo publishes on `window.__demo` (see demos/shared/test-hook.ts).
 */
import type { StatsOverlay, WebGL2ResourceManager, WebGPUResourceManager } from '../../src/index.ts';
import type { DemoHookBase } from '../shared/test-hook.ts';
import type { BudgetLabFigures } from './budget-lab.ts';
import type { ChurnFigures } from './churn.ts';

/** The stress demo's test hook. */
export interface StressHook extends DemoHookBase {
  readonly backend: 'webgpu' | 'webgl2';
  readonly manager: WebGPUResourceManager | WebGL2ResourceManager;
  readonly overlay: StatsOverlay;
  /** Starts the churn (it starts on page load). */
  start(): void;
  /** Stops the churn; the live window stays. */
  stop(): void;
  /** Stops and destroys every live resource of the churn. */
  clear(): void;
  running(): boolean;
  /** The churn's counters (created, destroyed, highest slot index, highest generation, latest handle). */
  figures(): ChurnFigures;
  /** Live resources the churn keeps. */
  windowSize(): number;
  /** Upper bound of the churn's bytes (every slot holding the largest resource). */
  maxBytes(): number;
  /**
   * The budget lab: a manager with a budget (the slider) over evictable kept textures, with its own overlay.
   * It starts at the first `setBudget` (or slider move); before that its other members throw.
   */
  readonly budgetLab: {
    /** Moves the slider to `bytes` (whole MiB) and rebuilds the lab's manager with that budget. */
    setBudget(bytes: number): void;
    figures(): BudgetLabFigures;
    readonly manager: WebGPUResourceManager | WebGL2ResourceManager;
    readonly overlay: StatsOverlay;
  };
}
