/** Procedural sprites for the sprite atlas: sizes log-uniform in 8-128 texels, a shaded disc on a tint. */
import type { AtlasRegionHandle, TextureAtlas } from '../../src/atlas/index.ts';

/** A small seeded generator, so the page looks the same on every load. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws one sprite and returns its rgba8 texels. */
export function paintSprite(width: number, height: number, hue: number): Uint8Array {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no canvas 2D context for sprites');
  context.fillStyle = `hsl(${hue} 55% 30%)`;
  context.fillRect(0, 0, width, height);
  const gradient = context.createRadialGradient(
    width * 0.4,
    height * 0.4,
    1,
    width / 2,
    height / 2,
    Math.max(width, height) / 2,
  );
  gradient.addColorStop(0, `hsl(${hue} 90% 80%)`);
  gradient.addColorStop(1, `hsl(${hue} 80% 45%)`);
  context.fillStyle = gradient;
  context.beginPath();
  context.ellipse(width / 2, height / 2, width / 2 - 1, height / 2 - 1, 0, 0, Math.PI * 2);
  context.fill();
  return new Uint8Array(context.getImageData(0, 0, width, height).data.buffer);
}

/** The sprites of the demo: added and removed at random to show churn. */
export class SpriteSet {
  readonly handles: AtlasRegionHandle[] = [];
  private readonly random = seededRandom(7);

  constructor(private readonly atlas: TextureAtlas) {}

  /** Adds `count` sprites; stops at the first that does not fit (the atlas is full) and returns how many were added. */
  add(count: number): number {
    for (let i = 0; i < count; i++) {
      const w = Math.round(8 * 16 ** this.random());
      const h = Math.round(8 * 16 ** this.random());
      try {
        this.handles.push(
          this.atlas.add({ width: w, height: h, data: paintSprite(w, h, Math.floor(this.random() * 360)) }),
        );
      } catch {
        return i;
      }
    }
    return count;
  }

  /** Removes about half of the sprites at random. */
  removeHalf(): void {
    for (let i = this.handles.length - 1; i >= 0; i--) {
      if (this.random() < 0.5) {
        this.atlas.remove(this.handles[i]!);
        this.handles.splice(i, 1);
      }
    }
  }
}
