import type { Handle } from '../handles/handle.ts';
import type { AtlasRect } from './atlas-allocator.ts';

/** One allocation to copy from one place of a page to another (whole allocation, gutter included). */
export interface PageMove {
  readonly from: AtlasRect;
  readonly to: AtlasRect;
}

/**
 * What the atlas needs from a backend beyond the manager's public API: moving allocations inside a page
 * (copies through a scratch texture: a texture cannot be both source and destination of one copy), and
 * generating mip levels after uploads. One implementation per backend.
 */
export interface AtlasGpuOps {
  /**
   * Copies every `from` rectangle of the page (all mip levels) to its `to` rectangle, as if all at once:
   * sources are read before any destination is written. Staged uploads are flushed first, so the copies see
   * them.
   */
  movePage(texture: Handle<'texture'>, layer: number, moves: readonly PageMove[]): void;
  /** Flushes staged uploads, then regenerates mip levels 1.. of the listed pages (texture, layer). */
  flush(dirty: readonly { texture: Handle<'texture'>; layer: number }[]): void;
  /**
   * Copies rectangles (all mip levels) from one page to another page: another texture, or another layer of
   * the same array texture, so no scratch texture is needed.
   */
  copyAcross(
    from: { texture: Handle<'texture'>; layer: number },
    to: { texture: Handle<'texture'>; layer: number },
    moves: readonly PageMove[],
  ): void;
  /** Copies layers 0..layers-1 (all levels) of one array texture into another (growing a 'layers' atlas). */
  copyLayers(from: Handle<'texture'>, to: Handle<'texture'>, layers: number): void;
  /** Releases pipelines and samplers. */
  destroy(): void;
}
