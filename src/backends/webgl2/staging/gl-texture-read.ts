/**
 * Texture reads on WebGL2: the region is attached (level, layer by layer) to a scratch read framebuffer and
 * `readPixels` writes it into the readback buffer (a PIXEL_PACK_BUFFER), tight rows, images back to back.
 * The read format is the guaranteed one for the texture's class, repacked to the texture's own texel layout
 * (gl-read-formats.ts), or the context's implementation read format when it is exactly the texture's.
 */
import { ValidationError } from '../../../errors.ts';
import { flipRows } from '../../../staging/planning/copy-rows.ts';
import type { TextureCopy } from '../../../staging/planning/texture-transfer.ts';
import { preservingFramebuffers } from '../gl-state.ts';
import type { WebGL2Texture, WebGL2TextureStorage } from '../webgl2-textures.ts';
import { type CanonicalRead, canonicalReadOf, repackCanonical } from './gl-read-formats.ts';
import type { GLReadRequest } from './gl-readback-pool.ts';

const PACK_STATE = [
  ['PACK_ALIGNMENT', 1],
  ['PACK_ROW_LENGTH', 0],
  ['PACK_SKIP_PIXELS', 0],
  ['PACK_SKIP_ROWS', 0],
] as const;

/**
 * Builds texture read requests; owns one scratch framebuffer (deleted on dispose).
 *
 * @example
 * const reader = new GLTextureReader(gl);
 * const bytes = await readbackPool.read(reader.request(texture, copy, 'albedo'));
 */
export class GLTextureReader {
  private framebuffer: WebGLFramebuffer | undefined;

  constructor(private readonly gl: WebGL2RenderingContext) {}

  /**
   * A read request for `copy` of `texture`. Throws `ValidationError` when WebGL2 cannot read the format back
   * (compressed, or not colour-renderable on this context, or no exact read format).
   *
   * @example
   * reader.request(texture, planTextureRead(desc, { mipLevel: 1 }), 'albedo');
   */
  request(texture: WebGL2Texture, copy: TextureCopy, label: string): GLReadRequest {
    const fail = (rule: string): never => {
      throw new ValidationError(label, 'format', texture.format, rule);
    };
    if (texture.kind !== 'texture') return fail('a renderbuffer-backed texture cannot be read back');
    if (texture.pixelFormat === 0) {
      return fail(
        'WebGL2 cannot read compressed textures back: readPixels reads only colour-renderable formats',
      );
    }
    const { width, height, depthOrArrayLayers: images } = copy.size;
    const read = this.chooseRead(texture, copy, fail);
    const texelsPerImage = width * height;
    const bytesPerTexel = read === 'direct' ? readBytesOfDirect(this.gl, texture) : read.readBytesPerTexel;
    const gl = this.gl;
    return {
      source: texture,
      label,
      bytes: texelsPerImage * images * bytesPerTexel,
      issue: (buffer) =>
        this.withReadTarget(() => {
          const format = read === 'direct' ? texture.pixelFormat : read.pixelFormat;
          const type = read === 'direct' ? texture.pixelType : read.pixelType;
          const previous = gl.getParameter(gl.PIXEL_PACK_BUFFER_BINDING) as WebGLBuffer | null;
          const saved = PACK_STATE.map(([name, value]) => {
            const before = gl.getParameter(gl[name]) as number;
            gl.pixelStorei(gl[name], value);
            return [gl[name], before] as const;
          });
          gl.bindBuffer(gl.PIXEL_PACK_BUFFER, buffer);
          try {
            for (let i = 0; i < images; i++) {
              this.attach(texture, copy.mipLevel, copy.origin.z + i);
              const offset = i * texelsPerImage * bytesPerTexel;
              gl.readPixels(copy.origin.x, copy.origin.y, width, height, format, type, offset);
            }
          } finally {
            gl.bindBuffer(gl.PIXEL_PACK_BUFFER, previous);
            for (const [pname, before] of saved) gl.pixelStorei(pname, before);
          }
        }),
      finish: (raw) => {
        const texels = read === 'direct' ? raw : repackCanonical(raw, texelsPerImage * images, read);
        if (copy.flipY) flipRows(texels, copy.footprint.tightBytesPerRow, height, images);
        return texels;
      },
    };
  }

  /** Deletes the scratch framebuffer. @example reader.dispose(); */
  dispose(): void {
    if (this.framebuffer && !this.gl.isContextLost()) this.gl.deleteFramebuffer(this.framebuffer);
    this.framebuffer = undefined;
  }

  private chooseRead(
    texture: WebGL2TextureStorage,
    copy: TextureCopy,
    fail: (rule: string) => never,
  ): CanonicalRead | 'direct' {
    const gl = this.gl;
    return this.withReadTarget(() => {
      this.attach(texture, copy.mipLevel, copy.origin.z);
      const status = gl.checkFramebufferStatus(gl.READ_FRAMEBUFFER);
      if (status !== gl.FRAMEBUFFER_COMPLETE) {
        return fail(
          `WebGL2 reads textures through a framebuffer, and '${texture.format}' is not colour-renderable on this ` +
            `context (framebuffer status 0x${status.toString(16)})`,
        );
      }
      const canonical = canonicalReadOf(texture.format);
      if (canonical) return canonical;
      const format = gl.getParameter(gl.IMPLEMENTATION_COLOR_READ_FORMAT) as number;
      const type = gl.getParameter(gl.IMPLEMENTATION_COLOR_READ_TYPE) as number;
      if (format === texture.pixelFormat && type === texture.pixelType) return 'direct';
      return fail(
        `WebGL2 guarantees no exact readPixels format for '${texture.format}', and this context's ` +
          `implementation read format (0x${format.toString(16)}/0x${type.toString(16)}) is not its own`,
      );
    });
  }

  /** Binds the scratch framebuffer as READ_FRAMEBUFFER for the body, detaching and restoring after. */
  private withReadTarget<T>(body: () => T): T {
    const gl = this.gl;
    this.framebuffer ??= gl.createFramebuffer();
    return preservingFramebuffers(gl, () => {
      gl.bindFramebuffer(gl.READ_FRAMEBUFFER, this.framebuffer!);
      try {
        return body();
      } finally {
        // Detached so the scratch framebuffer never keeps a deleted texture's storage alive.
        gl.framebufferTexture2D(gl.READ_FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, null, 0);
      }
    });
  }

  private attach(texture: WebGL2TextureStorage, level: number, layer: number): void {
    const gl = this.gl;
    if (texture.target === gl.TEXTURE_2D) {
      gl.framebufferTexture2D(
        gl.READ_FRAMEBUFFER,
        gl.COLOR_ATTACHMENT0,
        gl.TEXTURE_2D,
        texture.texture,
        level,
      );
    } else {
      gl.framebufferTextureLayer(gl.READ_FRAMEBUFFER, gl.COLOR_ATTACHMENT0, texture.texture, level, layer);
    }
  }
}

/** Bytes per texel of a direct read: every non-canonical format GL can read directly is a packed 32-bit one. */
function readBytesOfDirect(gl: WebGL2RenderingContext, texture: WebGL2TextureStorage): number {
  const type = texture.pixelType;
  if (type === gl.HALF_FLOAT || type === gl.UNSIGNED_SHORT || type === gl.SHORT)
    return 2 * channelsOf(gl, texture);
  if (type === gl.UNSIGNED_BYTE || type === gl.BYTE) return channelsOf(gl, texture);
  if (type === gl.FLOAT || type === gl.INT || type === gl.UNSIGNED_INT) return 4 * channelsOf(gl, texture);
  return 4; // UNSIGNED_INT_2_10_10_10_REV, UNSIGNED_INT_10F_11F_11F_REV, UNSIGNED_INT_5_9_9_9_REV
}

function channelsOf(gl: WebGL2RenderingContext, texture: WebGL2TextureStorage): number {
  switch (texture.pixelFormat) {
    case gl.RED:
    case gl.RED_INTEGER:
      return 1;
    case gl.RG:
    case gl.RG_INTEGER:
      return 2;
    case gl.RGB:
    case gl.RGB_INTEGER:
      return 3;
    default:
      return 4;
  }
}
