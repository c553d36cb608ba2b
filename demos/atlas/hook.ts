/**
 * TEST-ONLY: what the atlas demo publishes on `window.__demo` (see demos/shared/test-hook.ts).
 */
import type { TextureAtlas } from '../../src/atlas/index.ts';
import type { StatsOverlay, WebGL2ResourceManager, WebGPUResourceManager } from '../../src/index.ts';
import type { DemoHookBase } from '../shared/test-hook.ts';

/** The atlas demo's test hook. */
export interface AtlasHook extends DemoHookBase {
  readonly backend: 'webgpu' | 'webgl2';
  readonly manager: WebGPUResourceManager | WebGL2ResourceManager;
  readonly overlay: StatsOverlay;
  readonly glyphs: TextureAtlas;
  readonly sprites: TextureAtlas;
  /** Replaces the text (as typing would) and redraws; resolves when the pages and text are drawn. */
  setText(text: string): Promise<void>;
  /** Compacts both atlases (as the button does) and redraws; resolves with the number of regions moved. */
  compact(): Promise<number>;
  /** Removes about half of the sprites and adds new ones. */
  churnSprites(): Promise<void>;
  /** The text picture drawn on the GPU from the atlas (rgba8, rows top-down), and its size. */
  renderedText(): Promise<{ width: number; height: number; texels: number[] }>;
  /** The same text pasted directly from the glyph bitmaps on the CPU. */
  referenceText(): { width: number; height: number; texels: number[] };
  /** Regions moved so far, per atlas. */
  moved(): { glyphs: number; sprites: number };
}
