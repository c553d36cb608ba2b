import type { Handle } from '../handles/handle.ts';
import { TextureUsage } from '../resources/usage.ts';
import type { AtlasRect } from './atlas-allocator.ts';
import type { AtlasManager } from './atlas-manager.ts';
import type { NormalizedAtlasOptions } from './atlas-options.ts';

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

/** A {@link PageMove} at one mip level: source and destination corners and the size, in that level's texels. */
export interface LevelMove {
  readonly sx: number;
  readonly sy: number;
  readonly dx: number;
  readonly dy: number;
  readonly w: number;
  readonly h: number;
}

/**
 * Scales a move to mip level `level` (allocations are aligned so every level keeps them apart).
 *
 * @example
 * moveAtLevel({ from: { x: 8, y: 0, width: 4, height: 4 }, to: { x: 0, y: 0, width: 4, height: 4 } }, 1)
 * // { sx: 4, sy: 0, dx: 0, dy: 0, w: 2, h: 2 }
 */
export function moveAtLevel({ from, to }: PageMove, level: number): LevelMove {
  return {
    sx: from.x >> level,
    sy: from.y >> level,
    dx: to.x >> level,
    dy: to.y >> level,
    w: Math.max(1, from.width >> level),
    h: Math.max(1, from.height >> level),
  };
}

/**
 * Creates the page-sized scratch texture a compaction copies through (a texture cannot be both source and
 * destination of one copy), with copy usage plus `extraUsage`. The caller destroys it when the copies are
 * recorded (the manager defers the free until they have run).
 *
 * @example
 * const scratch = createScratchPage(manager, options, TextureUsage.RENDER_ATTACHMENT);
 */
export function createScratchPage(
  manager: AtlasManager,
  options: NormalizedAtlasOptions,
  extraUsage = 0,
): Handle<'texture'> {
  const { width, height, format, mipLevelCount, label } = options;
  return manager.createTexture({
    label: `${label} compaction scratch`,
    size: [width, height],
    format,
    usage: TextureUsage.COPY_SRC | TextureUsage.COPY_DST | extraUsage,
    mipLevelCount,
  });
}

/**
 * Runs `body` with a scratch page (see {@link createScratchPage}) after flushing staged uploads, so the
 * copies it records see them; the scratch page is destroyed afterwards, even when `body` throws (the manager
 * defers the free until the recorded copies have run).
 *
 * @example
 * withScratchPage(manager, options, 0, (scratch) => recordCopiesThrough(scratch));
 */
export function withScratchPage(
  manager: AtlasManager,
  options: NormalizedAtlasOptions,
  extraUsage: number,
  body: (scratch: Handle<'texture'>) => void,
): void {
  manager.flush();
  const scratch = createScratchPage(manager, options, extraUsage);
  try {
    body(scratch);
  } finally {
    manager.destroy(scratch);
  }
}
