/**
 * Glyphs of typed text in an atlas: each (character, size) is rasterised once by the browser (canvas 2D, a
 * real font), added as a region, and reference-counted by the text that uses it; text that is deleted frees
 * the glyphs nobody uses any more.
 */
import type { AtlasRegionHandle, TextureAtlas } from '../../src/atlas/index.ts';

/** One rasterised glyph: white texels with the font's coverage in alpha, tight rgba8 rows. */
export interface GlyphBitmap {
  readonly width: number;
  readonly height: number;
  readonly advance: number;
  readonly texels: Uint8Array;
}

/** A glyph placed in a line of text: where it goes in the text image, and which region holds it. */
export interface PlacedGlyph {
  readonly x: number;
  readonly y: number;
  readonly region: AtlasRegionHandle;
  readonly bitmap: GlyphBitmap;
}

interface CachedGlyph {
  readonly region: AtlasRegionHandle;
  readonly bitmap: GlyphBitmap;
  uses: number;
}

/** Rasterises one character at `size` px with the page's sans-serif font. */
export function rasteriseGlyph(char: string, size: number): GlyphBitmap {
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no canvas 2D context for glyph rasterisation');
  const font = `${size}px sans-serif`;
  context.font = font;
  const advance = Math.max(1, Math.ceil(context.measureText(char).width));
  const width = advance + 2;
  const height = Math.ceil(size * 1.3);
  canvas.width = width;
  canvas.height = height;
  context.font = font;
  context.fillStyle = '#fff';
  context.textBaseline = 'alphabetic';
  context.fillText(char, 1, Math.round(size * 1.02));
  const texels = new Uint8Array(context.getImageData(0, 0, width, height).data.buffer);
  return { width, height, advance, texels };
}

/** The glyph regions of the current text. */
export class GlyphCache {
  private readonly glyphs = new Map<string, CachedGlyph>();

  constructor(private readonly atlas: TextureAtlas) {}

  /** Live glyph regions (for outlines and tests). */
  regions(): AtlasRegionHandle[] {
    return [...this.glyphs.values()].map((g) => g.region);
  }

  /** Number of distinct glyphs held. */
  get size(): number {
    return this.glyphs.size;
  }

  /**
   * Lays the text out at each size (lines wrap at `wrapWidth`), adding missing glyphs and releasing glyphs the
   * previous text used and this one does not. Returns the placed glyphs and the image height used.
   */
  layout(
    text: string,
    sizes: readonly number[],
    wrapWidth: number,
  ): { glyphs: PlacedGlyph[]; height: number } {
    const uses = new Map<string, number>();
    const placed: PlacedGlyph[] = [];
    let y = 4;
    for (const size of sizes) {
      let x = 4;
      const lineHeight = Math.ceil(size * 1.3);
      for (const char of text) {
        if (char === '\n') {
          x = 4;
          y += lineHeight;
          continue;
        }
        if (char.trim() === '') {
          x += Math.round(size * 0.3);
          continue;
        }
        const key = `${size}:${char}`;
        const glyph = this.glyphs.get(key) ?? this.addGlyph(key, char, size);
        if (x + glyph.bitmap.width > wrapWidth - 4) {
          x = 4;
          y += lineHeight;
        }
        placed.push({ x, y, region: glyph.region, bitmap: glyph.bitmap });
        uses.set(key, (uses.get(key) ?? 0) + 1);
        x += glyph.bitmap.advance;
      }
      y += lineHeight + 6;
    }
    for (const [key, glyph] of this.glyphs) {
      glyph.uses = uses.get(key) ?? 0;
      if (glyph.uses === 0) {
        this.atlas.remove(glyph.region);
        this.glyphs.delete(key);
      }
    }
    return { glyphs: placed, height: y };
  }

  private addGlyph(key: string, char: string, size: number): CachedGlyph {
    const bitmap = rasteriseGlyph(char, size);
    const region = this.atlas.add({ width: bitmap.width, height: bitmap.height, data: bitmap.texels });
    const glyph = { region, bitmap, uses: 0 };
    this.glyphs.set(key, glyph);
    return glyph;
  }
}
