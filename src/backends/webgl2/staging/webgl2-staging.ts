/**
 * The WebGL2 staging: an upload belt over pooled CPU chunks (GL copies client data at call time) and a
 * readback pool over pooled GL buffers with fences. Both are counted in the ledger's `staging` kind.
 *
 * Differences from WebGPU, by GL's nature: there are no command encoders, so `flush()` issues the staged GL
 * calls at once (they run before any GL call made after it) and `flush(encoder)` does not exist (the
 * backend's `encoder` type is `never`); no write ever waits, since chunks are free once flushed; index
 * buffers are read straight from their own storage after a fence, as WebGL2 forbids copying them into a
 * data buffer; texture reads go through `readPixels` (colour-renderable formats only, see gl-texture-read.ts).
 */

import type { Staging, StagingHost } from '../../../core/backend.ts';
import type { NormalizedStagingOptions } from '../../../staging/options.ts';
import type { TextureCopy, TextureUploadCopy } from '../../../staging/planning/texture-transfer.ts';
import { PooledStaging } from '../../../staging/pooling/pooled-staging.ts';
import type { FencePoller } from '../gl-fences.ts';
import { withBuffer } from '../gl-state.ts';
import type { WebGL2Objects } from '../webgl2-backend.ts';
import type { WebGL2Buffer } from '../webgl2-buffers.ts';
import type { WebGL2Texture } from '../webgl2-textures.ts';
import { cpuChunks, glBufferChunks, type PooledChunk } from './gl-chunk-pool.ts';
import { GLReadbackPool, type GLReadRequest } from './gl-readback-pool.ts';
import { GLTextureReader } from './gl-texture-read.ts';
import { GLUploadBelt } from './gl-upload-belt.ts';

/**
 * Implements the staging contract on a `WebGL2RenderingContext`. The manager creates it through
 * `WebGL2Backend.createStaging`; use the manager's `upload` / `flush` / `read` / `readTexture`.
 *
 * @example
 * manager.upload(vbo, 0, vertices); // staged in a CPU chunk
 * manager.flush();                  // one bufferSubData per run of adjacent writes
 * const bytes = await manager.read(vbo); // copyBufferSubData + fence + getBufferSubData, never stalls
 */
export class WebGL2Staging
  extends PooledStaging<PooledChunk<Uint8Array>, PooledChunk<WebGLBuffer>>
  implements Staging<WebGL2Objects>
{
  protected override readonly belt: GLUploadBelt;
  protected override readonly reader: GLReadbackPool;
  private readonly textures: GLTextureReader;

  constructor(
    private readonly gl: WebGL2RenderingContext,
    fences: FencePoller,
    host: StagingHost,
    options: NormalizedStagingOptions,
  ) {
    super(options, host, { upload: cpuChunks(), readback: glBufferChunks(gl) });
    this.belt = new GLUploadBelt(gl, this.uploads, this.beltSizes, this.order);
    this.reader = new GLReadbackPool(
      gl,
      this.readbacks,
      fences,
      () => this.belt.flush(),
      () => this.order.drain(),
    );
    this.textures = new GLTextureReader(gl);
  }

  writeBuffer(buffer: WebGL2Buffer, offset: number, data: Uint8Array): Promise<void> | undefined {
    return this.belt.writeBuffer(buffer, offset, data);
  }

  writeTexture(texture: WebGL2Texture, data: Uint8Array, copy: TextureUploadCopy): Promise<void> | undefined {
    return this.belt.writeTexture(texture, data, copy);
  }

  flush(_encoder?: never): void {
    if (this.disposed) return;
    this.belt.flush();
    this.trim();
  }

  // Nothing is ever recorded into a caller's encoder on WebGL2.
  submitted(): void {}

  readBuffer(buffer: WebGL2Buffer, offset: number, size: number, label: string): Promise<Uint8Array> {
    const gl = this.gl;
    if (size === 0 || buffer.target === gl.ELEMENT_ARRAY_BUFFER) {
      // No readback buffer: a zero-length read only waits for the GPU, an index buffer is read in place.
      const direct = { buffer: buffer.buffer, offset };
      return this.read({ source: buffer, label, bytes: size, direct, issue: () => {}, finish: (raw) => raw });
    }
    return this.read({
      source: buffer,
      label,
      bytes: size,
      issue: (dst) =>
        withBuffer(gl, gl.COPY_READ_BUFFER, buffer.buffer, () =>
          withBuffer(gl, gl.COPY_WRITE_BUFFER, dst, () =>
            gl.copyBufferSubData(gl.COPY_READ_BUFFER, gl.COPY_WRITE_BUFFER, offset, 0, size),
          ),
        ),
      finish: (raw) => raw,
    });
  }

  readTexture(texture: WebGL2Texture, copy: TextureCopy, label: string): Promise<Uint8Array> {
    try {
      return this.read(this.textures.request(texture, copy, label));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private read(request: GLReadRequest): Promise<Uint8Array> {
    return this.orderedRead(request.source, request.label, () => this.reader.tryRead(request));
  }

  forget(resource: WebGL2Buffer | WebGL2Texture): boolean {
    if (this.disposed) return false;
    this.belt.forget(resource);
    this.reader.forget(resource);
    return false; // GL runs copies when flushed: none wait in a caller's encoder
  }

  override dispose(reason: 'disposed' | 'device-lost'): void {
    if (this.disposed) return;
    super.dispose(reason);
    this.textures.dispose();
  }
}
