import { preservingFramebuffers, withTexture } from '../backends/webgl2/gl-state.ts';
import type { WebGL2TextureStorage } from '../backends/webgl2/webgl2-textures.ts';
import type { Handle } from '../handles/handle.ts';
import { TextureUsage } from '../resources/usage.ts';
import {
  type AtlasGpuOps,
  type LevelMove,
  moveAtLevel,
  type PageMove,
  withScratchPage,
} from './atlas-gpu-ops.ts';
import type { AtlasManager } from './atlas-manager.ts';
import type { NormalizedAtlasOptions } from './atlas-options.ts';

/**
 * The atlas's GPU work on WebGL2: moves are `copyTexSubImage` from a read framebuffer (the GL form of a
 * texture-to-texture copy) through a scratch texture, and mips come from `generateMipmap`, a 2 x 2 box filter
 * that stays inside each aligned allocation. Every binding touched is restored. The context is the manager's
 * current one (a restore may attach a new backend).
 *
 * @example
 * const ops = new WebGL2AtlasOps(manager, normalizeAtlasOptions(manager, { pageSize: 512 }));
 */
export class WebGL2AtlasOps implements AtlasGpuOps {
  constructor(
    private readonly manager: AtlasManager,
    private readonly options: NormalizedAtlasOptions,
  ) {}

  /** The manager's context now. */
  private get gl(): WebGL2RenderingContext {
    return (this.manager.backend as unknown as { gl: WebGL2RenderingContext }).gl;
  }

  movePage(texture: Handle<'texture'>, layer: number, moves: readonly PageMove[]): void {
    if (moves.length === 0) return;
    withScratchPage(this.manager, this.options, TextureUsage.RENDER_ATTACHMENT, (scratch) => {
      const page = this.storage(texture);
      const temp = this.storage(scratch);
      for (let level = 0; level < this.options.mipLevelCount; level++) {
        const scaled = moves.map((move) => moveAtLevel(move, level));
        // Sources into the scratch texture (at their destinations), then destinations from it.
        this.copy(page, layer, level, temp, 0, scaled);
        this.copy(
          temp,
          0,
          level,
          page,
          layer,
          scaled.map((m) => ({ sx: m.dx, sy: m.dy, dx: m.dx, dy: m.dy, w: m.w, h: m.h })),
        );
      }
    });
  }

  flush(dirty: readonly { texture: Handle<'texture'>; layer: number }[]): void {
    this.manager.flush();
    if (this.options.mipLevelCount === 1) return;
    const done = new Set<Handle<'texture'>>();
    for (const { texture } of dirty) {
      if (done.has(texture)) continue;
      done.add(texture);
      const storage = this.storage(texture);
      withTexture(this.gl, storage.target, storage.texture, () => this.gl.generateMipmap(storage.target));
    }
  }

  copyAcross(
    from: { texture: Handle<'texture'>; layer: number },
    to: { texture: Handle<'texture'>; layer: number },
    moves: readonly PageMove[],
  ): void {
    if (moves.length === 0) return;
    this.manager.flush();
    const source = this.storage(from.texture);
    const target = this.storage(to.texture);
    for (let level = 0; level < this.options.mipLevelCount; level++) {
      const rects = moves.map((move) => moveAtLevel(move, level));
      this.copy(source, from.layer, level, target, to.layer, rects);
    }
  }

  copyLayers(from: Handle<'texture'>, to: Handle<'texture'>, layers: number): void {
    this.manager.flush();
    const source = this.storage(from);
    const target = this.storage(to);
    const { width, height, mipLevelCount } = this.options;
    for (let layer = 0; layer < layers; layer++) {
      for (let level = 0; level < mipLevelCount; level++) {
        const w = Math.max(1, width >> level);
        const h = Math.max(1, height >> level);
        this.copy(source, layer, level, target, layer, [{ sx: 0, sy: 0, dx: 0, dy: 0, w, h }]);
      }
    }
  }

  destroy(): void {}

  private storage(texture: Handle<'texture'>): WebGL2TextureStorage {
    return this.manager.gpu(texture) as WebGL2TextureStorage;
  }

  /** copyTexSubImage from (source, layer, level) into (target, layer, level), one call per rectangle. */
  private copy(
    source: WebGL2TextureStorage,
    sourceLayer: number,
    level: number,
    target: WebGL2TextureStorage,
    targetLayer: number,
    rects: readonly LevelMove[],
  ): void {
    const gl = this.gl;
    preservingFramebuffers(gl, () => {
      const framebuffer = gl.createFramebuffer();
      try {
        gl.bindFramebuffer(gl.READ_FRAMEBUFFER, framebuffer);
        if (source.target === gl.TEXTURE_2D) {
          gl.framebufferTexture2D(
            gl.READ_FRAMEBUFFER,
            gl.COLOR_ATTACHMENT0,
            gl.TEXTURE_2D,
            source.texture,
            level,
          );
        } else {
          gl.framebufferTextureLayer(
            gl.READ_FRAMEBUFFER,
            gl.COLOR_ATTACHMENT0,
            source.texture,
            level,
            sourceLayer,
          );
        }
        withTexture(gl, target.target, target.texture, () => {
          for (const r of rects) {
            if (target.target === gl.TEXTURE_2D) {
              gl.copyTexSubImage2D(gl.TEXTURE_2D, level, r.dx, r.dy, r.sx, r.sy, r.w, r.h);
            } else {
              gl.copyTexSubImage3D(target.target, level, r.dx, r.dy, targetLayer, r.sx, r.sy, r.w, r.h);
            }
          }
        });
      } finally {
        gl.deleteFramebuffer(framebuffer);
      }
    });
  }
}
