/**
 * TEST-ONLY: what the dump viewer publishes on `window.__demo` (see demos/shared/test-hook.ts).
 */
import type { StatsOverlay, WebGL2ResourceManager, WebGPUResourceManager } from '../../src/index.ts';
import type { DemoHookBase } from '../shared/test-hook.ts';
import type { Peer } from './follow.ts';

/** A drawn treemap cell, in canvas units. */
export interface HookCell {
  readonly kind: string;
  readonly label: string;
  readonly bytes: number;
  readonly count: number;
  readonly suspects: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** What the viewer shows, as plain data. */
export interface HookView {
  readonly source: string;
  readonly totalBytes: number;
  readonly resources: number;
  readonly suspects: number;
  readonly cells: readonly HookCell[];
}

/** The dump viewer's test hook. Viewer fields exist from the start; the sample manager once `ready`. */
export interface DumpViewerHook extends DemoHookBase {
  /** Shows dump text as a paste would; false when refused (the reason is in `errorText()`). */
  showText(text: string, source: string): boolean;
  /** The picture on show, if any. */
  view(): HookView | undefined;
  /** The error line's text. */
  errorText(): string;
  /** Encodes the canvas as the Export button does. */
  exportPng(): Promise<{ readonly type: string; readonly bytes: number[] }>;
  /** Pages found on the dump channel. */
  peers(): readonly Peer[];
  readonly backend?: 'webgpu' | 'webgl2';
  readonly manager?: WebGPUResourceManager | WebGL2ResourceManager;
  readonly overlay?: StatsOverlay;
}
