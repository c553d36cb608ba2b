/**
 * Draws text from the glyph atlas on the GPU: one instanced quad per glyph, sampling the atlas's array
 * texture with a nearest filter at level 0, written without blending into a target texture. Because each
 * quad covers exactly its glyph's texels, the picture equals the glyph bitmaps pasted at the same places,
 * which is what the browser test compares against.
 */
import type { AtlasRegion } from '../../src/atlas/index.ts';
import type { Handle } from '../../src/index.ts';

/** Floats per quad: target rect (x, y, w, h), uv rect (u0, v0, u1, v1), layer. */
export const QUAD_FLOATS = 9;

/** A text renderer for one backend. */
export interface TextRenderer {
  /** Draws `count` quads into the target texture, sampling `atlasTexture` (a 2D array texture). */
  draw(quads: Float32Array, count: number, atlasTexture: Handle<'texture'>): void;
  destroy(): void;
}

/** Writes the quad of one glyph at (x, y) of the target. */
export function writeQuad(out: Float32Array, index: number, x: number, y: number, region: AtlasRegion): void {
  out.set([x, y, region.width, region.height, ...region.uv, region.layer], index * QUAD_FLOATS);
}
