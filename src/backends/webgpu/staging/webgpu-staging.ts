/**
 * The WebGPU staging: an upload belt over MAP_WRITE | COPY_SRC chunks (with a scatter pass for many small
 * writes into STORAGE buffers) and a readback pool over MAP_READ | COPY_DST buffers, each with its own byte
 * cap, all counted in the ledger's `staging` kind. Writes and reads that must wait keep their call order.
 */

import type { BufferReadPart, Staging, StagingHost } from '../../../core/backend.ts';
import { ValidationError } from '../../../errors.ts';
import type { NormalizedStagingOptions, TrimPolicy } from '../../../staging/options.ts';
import { groupReads, type ReadGroup } from '../../../staging/planning/read-groups.ts';
import type { TextureCopy, TextureUploadCopy } from '../../../staging/planning/texture-transfer.ts';
import { PooledStaging } from '../../../staging/pooling/pooled-staging.ts';
import type { WebGPUObjects } from '../webgpu-backend.ts';
import { BufferScatter } from './buffer-scatter.ts';
import { bufferChunks, type Chunk } from './chunk-pool.ts';
import { recordTextureRead, texturePieces, unpadRows } from './copies.ts';
import { ReadbackPool, type ReadRequest } from './readback-pool.ts';
import { checkUsable, watchDestroy } from './target-guards.ts';
import { UploadBelt } from './upload-belt.ts';

/** Identifies one grouped read in the read queue and the call order (its cancel key). */
interface ReadGroupToken {
  readonly parts: readonly BufferReadPart<WebGPUObjects>[];
}

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
  private readonly device: GPUDevice;
  private readonly scatter: BufferScatter;
  private encoderPrototype: object | undefined;
  /** The grouped reads (`readBuffers`) pending on each buffer, so destroying one buffer cancels its groups. */
  private readonly groupsOf = new Map<GPUBuffer | GPUTexture, Set<ReadGroupToken>>();
  /** The buffer last checked for a map: consecutive writes to one buffer check it once per flush. */
  private lastChecked: GPUBuffer | undefined;

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
    this.device = device;
    this.scatter = new BufferScatter(device, host, { maxScratchBytes: 2 * options.maxChunkBytes });
    this.belt = new UploadBelt(device, this.uploads, this.beltSizes, this.order, this.scatter);
    this.reader = new ReadbackPool(device, this.readbacks, this.belt, () => this.order.drain());
  }

  writeBuffer(buffer: GPUBuffer, offset: number, data: Uint8Array): Promise<void> | undefined {
    if (buffer !== this.lastChecked) {
      checkUsable(buffer, buffer.label, 'upload into');
      this.lastChecked = buffer;
    }
    return this.belt.writeBuffer(buffer, offset, data);
  }

  writeTexture(texture: GPUTexture, data: Uint8Array, copy: TextureUploadCopy): Promise<void> | undefined {
    if (copy.footprint.tightBytes === 0) return undefined;
    checkUsable(texture, texture.label, 'upload into');
    return this.belt.write(
      texture,
      (source) => texturePieces(texture, copy, source, this.options.maxChunkBytes),
      data,
    );
  }

  flush(encoder?: GPUCommandEncoder): void {
    if (this.disposed) return;
    if (encoder !== undefined) this.checkEncoder(encoder);
    this.lastChecked = undefined;
    this.belt.flush(encoder);
    this.trim(); // O(1) unless some chunk has been idle for idleMs
  }

  submitted(): void {
    this.belt.submitted();
  }

  readBuffer(buffer: GPUBuffer, offset: number, size: number, label: string): Promise<Uint8Array> {
    return this.read({
      source: buffer,
      label,
      targets: [{ object: buffer, label }],
      bytes: size,
      checked: true, // range, alignment and COPY_SRC by planBufferRead; map state and destroys at issue
      record: (encoder, dst) => encoder.copyBufferToBuffer(buffer, offset, dst, 0, size),
      finish: (mapped) => mapped.slice(),
    });
  }

  /**
   * Each group of ranges (see `groupReads`) is one read: one readback buffer, one submit, one map, and the
   * caller gets views of one array per group. Cancelled as a whole when any of its buffers is destroyed.
   */
  readBuffers(parts: readonly BufferReadPart<WebGPUObjects>[]): Promise<Uint8Array[]> {
    const groups = groupReads(
      parts.map((part) => part.size),
      this.options.maxChunkBytes,
    );
    const reads = groups.map((group) => {
      const members = parts.slice(group.start, group.end);
      if (members.length === 1) {
        const [{ buffer, offset, size, label }] = members as [BufferReadPart<WebGPUObjects>];
        return this.readBuffer(buffer, offset, size, label).then((bytes) => [bytes]);
      }
      return this.readGroup(members, group);
    });
    return Promise.all(reads).then((results) => results.flat());
  }

  readTexture(texture: GPUTexture, copy: TextureCopy, label: string): Promise<Uint8Array> {
    return this.read({
      source: texture,
      label,
      targets: [{ object: texture, label }],
      bytes: copy.footprint.paddedBytes,
      checked: false,
      record: (encoder, dst) => recordTextureRead(encoder, texture, copy, dst),
      finish: (mapped) => unpadRows(mapped, copy),
    });
  }

  forget(resource: GPUBuffer | GPUTexture): boolean {
    if (this.disposed) return false;
    this.reader.forget(resource);
    this.order.forget(resource);
    // Looked up only while grouped reads are pending: a first Map lookup gives the object an identity hash.
    const groups = this.groupsOf.size > 0 ? this.groupsOf.get(resource) : undefined;
    if (groups !== undefined) {
      for (const group of groups) {
        this.reader.forget(group);
        this.order.forget(group);
      }
    }
    return this.belt.forget(resource);
  }

  override trim(policy?: TrimPolicy): number {
    if (this.disposed) return 0;
    return super.trim(policy) + this.scatter.trim(policy?.idleMs ?? this.options.idleMs);
  }

  /** One read of several buffer ranges, laid back to back in one readback buffer. */
  private readGroup(
    parts: readonly BufferReadPart<WebGPUObjects>[],
    group: ReadGroup,
  ): Promise<Uint8Array[]> {
    const token: ReadGroupToken = { parts };
    const label = `${parts[0]!.label} and ${parts.length - 1} more buffers`;
    const promise = this.read({
      source: token,
      label,
      targets: parts.map((part) => ({ object: part.buffer, label: part.label })),
      bytes: group.bytes,
      checked: true, // as readBuffer, for every range
      record: (encoder, dst) => {
        parts.forEach((part, i) => {
          if (part.size > 0)
            encoder.copyBufferToBuffer(part.buffer, part.offset, dst, group.offsets[i]!, part.size);
        });
      },
      finish: (mapped) => mapped.slice(),
    });
    for (const part of parts) {
      const groups = this.groupsOf.get(part.buffer);
      if (groups === undefined) this.groupsOf.set(part.buffer, new Set([token]));
      else groups.add(token);
    }
    const forgetGroup = () => {
      for (const part of parts) {
        const groups = this.groupsOf.get(part.buffer);
        groups?.delete(token);
        if (groups?.size === 0) this.groupsOf.delete(part.buffer);
      }
    };
    return promise.then(
      (all) => {
        forgetGroup();
        return parts.map((part, i) => all.subarray(group.offsets[i], group.offsets[i]! + part.size));
      },
      (error: unknown) => {
        forgetGroup();
        throw error;
      },
    );
  }

  /** Checks the targets now (a mapped buffer rejects at once), then reads in call order. */
  private read(request: ReadRequest): Promise<Uint8Array> {
    try {
      for (const target of request.targets) checkUsable(target.object, target.label, 'read');
    } catch (error) {
      return Promise.reject(error);
    }
    for (const target of request.targets) watchDestroy(target.object);
    return this.orderedRead(
      request.source,
      request.label,
      () => this.reader.tryRead(request),
      () => request.targets.some((target) => this.belt.awaitsSubmit(target.object)),
    );
  }

  /**
   * A value that is not a command encoder of this device's kind fails before anything is recorded, so no
   * chunk is left unmapped and unaccounted for.
   */
  private checkEncoder(encoder: unknown): void {
    this.encoderPrototype ??= Object.getPrototypeOf(
      this.device.createCommandEncoder({ label: 'gpu-handles encoder check' }),
    ) as object;
    let prototype: unknown;
    try {
      prototype = typeof encoder === 'object' && encoder !== null ? Object.getPrototypeOf(encoder) : null;
    } catch {
      prototype = null;
    }
    if (prototype !== this.encoderPrototype) {
      throw new ValidationError(
        'flush',
        'encoder',
        encoder,
        'must be a GPUCommandEncoder (from device.createCommandEncoder()) or undefined',
      );
    }
  }
}
