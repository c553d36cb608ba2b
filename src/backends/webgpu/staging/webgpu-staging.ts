/**
 * The WebGPU staging: an upload belt over MAP_WRITE | COPY_SRC chunks and a readback pool over
 * MAP_READ | COPY_DST buffers, each with its own byte cap, both counted in the ledger's `staging` kind.
 */

import type { Staging, StagingHost } from '../../../core/backend.ts';
import type { NormalizedStagingOptions } from '../../../staging/options.ts';
import type { TextureCopy, TextureUploadCopy } from '../../../staging/planning/texture-transfer.ts';
import { PooledStaging } from '../../../staging/pooling/pooled-staging.ts';
import type { WebGPUObjects } from '../webgpu-backend.ts';
import { bufferChunks, type Chunk } from './chunk-pool.ts';
import { recordTextureRead, texturePieces, unpadRows } from './copies.ts';
import { ReadbackPool } from './readback-pool.ts';
import { UploadBelt } from './upload-belt.ts';

/**
 * Implements the staging contract on a `GPUDevice`. The manager creates it through
 * `WebGPUBackend.createStaging`; use the manager's `upload`/`flush`/`read` methods rather than this class.
 *
 * @example
 * const staging = new WebGPUStaging(device, host, normalizeStagingOptions({}));
 * staging.writeBuffer(gpuBuffer, 0, bytes);
 * staging.flush();
 */
export class WebGPUStaging extends PooledStaging<Chunk, Chunk> implements Staging<WebGPUObjects> {
  protected override readonly belt: UploadBelt;
  protected override readonly reader: ReadbackPool;

  constructor(device: GPUDevice, host: StagingHost, options: NormalizedStagingOptions) {
    super(options, host, {
      upload: bufferChunks(device, {
        label: 'gpu-handles upload',
        usage: GPUBufferUsage.MAP_WRITE | GPUBufferUsage.COPY_SRC,
        mappedAtCreation: true,
      }),
      readback: bufferChunks(device, {
        label: 'gpu-handles readback',
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
        mappedAtCreation: false,
      }),
    });
    this.belt = new UploadBelt(device, this.uploads, this.beltSizes);
    this.reader = new ReadbackPool(device, this.readbacks, this.belt);
  }

  writeBuffer(buffer: GPUBuffer, offset: number, data: Uint8Array): Promise<void> | undefined {
    return this.belt.writeBuffer(buffer, offset, data);
  }

  writeTexture(texture: GPUTexture, data: Uint8Array, copy: TextureUploadCopy): Promise<void> | undefined {
    if (copy.footprint.tightBytes === 0) return undefined;
    return this.belt.write(
      texture,
      (source) => texturePieces(texture, copy, source, this.options.maxChunkBytes),
      data,
    );
  }

  flush(encoder?: GPUCommandEncoder): void {
    if (this.disposed) return;
    this.belt.flush(encoder);
    this.trim(); // O(1) unless some chunk has been idle for idleMs
  }

  submitted(): void {
    this.belt.submitted();
  }

  readBuffer(buffer: GPUBuffer, offset: number, size: number, label: string): Promise<Uint8Array> {
    if (size === 0) return Promise.resolve(new Uint8Array(0));
    return this.reader.read({
      source: buffer,
      label,
      bytes: size,
      record: (encoder, dst) => encoder.copyBufferToBuffer(buffer, offset, dst, 0, size),
      finish: (mapped) => mapped.slice(),
    });
  }

  readTexture(texture: GPUTexture, copy: TextureCopy, label: string): Promise<Uint8Array> {
    if (copy.footprint.paddedBytes === 0) return Promise.resolve(new Uint8Array(0));
    return this.reader.read({
      source: texture,
      label,
      bytes: copy.footprint.paddedBytes,
      record: (encoder, dst) => recordTextureRead(encoder, texture, copy, dst),
      finish: (mapped) => unpadRows(mapped, copy),
    });
  }

  forget(resource: GPUBuffer | GPUTexture): boolean {
    if (this.disposed) return false;
    this.reader.forget(resource);
    return this.belt.forget(resource);
  }
}
