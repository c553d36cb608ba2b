/**
 * Draws text from the glyph atlas on the GPU: one instanced quad per glyph, sampling the atlas's array
 * texture with a nearest filter at level 0, written without blending into a target texture. Because each
 * quad covers exactly its glyph's texels, the picture equals the glyph bitmaps pasted at the same places,
 * which is what the browser test compares against.
 */
import type { AtlasRegion } from '../../src/atlas/index.ts';
import { BufferUsage, type Handle } from '../../src/index.ts';

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

/** The part of a manager the quad buffer uses (either backend's manager). */
interface QuadBufferManager {
  createBuffer(desc: { label: string; size: number; usage: number }): Handle<'buffer'>;
  upload(buffer: Handle<'buffer'>, offset: number, data: ArrayBufferView): Promise<void> | undefined;
  destroy(handle: Handle<'buffer'>): void;
}

/**
 * The instance buffer of the quads, a buffer of the manager (so the ledger and the overlay count it): written
 * through the staging belt, and replaced by one twice as large when the text outgrows it (the manager frees
 * the old one after the work that uses it).
 *
 * @example
 * const quads = new QuadBuffer(manager); const vbo = quads.write(floats, count); manager.flush();
 */
export class QuadBuffer {
  private handle: Handle<'buffer'> | undefined;
  private capacity = 0;

  constructor(private readonly manager: QuadBufferManager) {}

  /** Stages `count` quads at offset 0 (flush before drawing); returns the buffer holding them. */
  write(quads: Float32Array, count: number): Handle<'buffer'> {
    const bytes = Math.max(16, count * QUAD_FLOATS * 4);
    if (this.handle === undefined || this.capacity < bytes) {
      if (this.handle !== undefined) this.manager.destroy(this.handle);
      this.capacity = bytes * 2;
      this.handle = this.manager.createBuffer({
        label: 'atlas text quads',
        size: this.capacity,
        usage: BufferUsage.VERTEX | BufferUsage.COPY_DST,
      });
    }
    if (count > 0) this.manager.upload(this.handle, 0, quads.subarray(0, count * QUAD_FLOATS));
    return this.handle;
  }

  destroy(): void {
    if (this.handle !== undefined) this.manager.destroy(this.handle);
    this.handle = undefined;
  }
}
