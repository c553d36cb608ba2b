import type { BackendObjects, StagingStats } from '../core/backend.ts';
import type { Handle } from '../handles/handle.ts';
import type { TrimPolicy } from '../staging/options.ts';
import {
  type BufferReadPlan,
  checkBufferUpload,
  planBufferRead,
  readBufferReads,
} from '../staging/planning/buffer-transfer.ts';
import { asBytes } from '../staging/planning/copy-rows.ts';
import {
  planTextureRead,
  planTextureUpload,
  type TextureDataLayout,
  type TextureExtentInput,
  type TextureLocation,
  type TextureReadRegion,
} from '../staging/planning/texture-transfer.ts';
import type { Entry } from './entry.ts';
import type { ResidencyService } from './residency.ts';
import type { StagingService } from './staging-service.ts';

/**
 * Uploads and readbacks of the manager: resolve the handle, check the call against the descriptor (pure, in
 * `src/staging/planning`), and hand the backend object to the backend's staging. See the manager's methods
 * of the same names for the contract.
 *
 * @example
 * const transfers = new Transfers(staging, residency, (h, kind, op) => manager.liveEntry(h, kind, op));
 */
export class Transfers<B extends BackendObjects> {
  constructor(
    private readonly staging: StagingService<B>,
    private readonly residency: ResidencyService<B>,
    /** The live entry of a handle of `kind` (brought back first if it was evicted), or a typed error. */
    private readonly live: (
      handle: Handle<'buffer' | 'texture'>,
      kind: 'buffer' | 'texture',
      operation: string,
    ) => Entry<B>,
  ) {}

  upload(
    buffer: Handle<'buffer'>,
    offset: number,
    data: ArrayBufferView | ArrayBufferLike,
  ): Promise<void> | undefined {
    const entry = this.live(buffer, 'buffer', 'upload to a buffer');
    const { record } = entry;
    const bytes = asBytes(data, record.label);
    checkBufferUpload(record.descriptor as never, offset, bytes.byteLength);
    const staged = this.staging.current.writeBuffer(entry.gpu as B['buffer'], offset, bytes);
    this.residency.keepBuffer(entry, offset, bytes);
    return staged;
  }

  uploadTexture(
    texture: Handle<'texture'>,
    data: ArrayBufferView | ArrayBufferLike,
    layout: TextureDataLayout,
    size: TextureExtentInput,
    destination?: TextureLocation,
  ): Promise<void> | undefined {
    const entry = this.live(texture, 'texture', 'upload to a texture');
    const { record } = entry;
    const bytes = asBytes(data, record.label);
    const plan = planTextureUpload(record.descriptor as never, bytes.byteLength, layout, size, destination);
    const region = bytes.subarray(plan.byteOffset, plan.byteOffset + plan.byteLength);
    const staged = this.staging.current.writeTexture(entry.gpu as B['texture'], region, plan.copy);
    this.residency.keepTexture(entry, region, plan.copy);
    return staged;
  }

  flush(encoder?: B['encoder']): void {
    this.staging.current.flush(encoder);
  }

  async read(buffer: Handle<'buffer'>, offset?: number, size?: number): Promise<Uint8Array> {
    const { record, gpu } = this.live(buffer, 'buffer', 'read a buffer');
    const plan = planBufferRead(record.descriptor as never, offset, size);
    const words = await this.staging.current.readBuffer(
      gpu as B['buffer'],
      plan.start,
      plan.size,
      record.label,
    );
    return tight(words, plan);
  }

  readBuffers(reads: unknown): Promise<Uint8Array[]> {
    let planned: PlannedRead<B>[];
    try {
      planned = readBufferReads(reads).map(({ buffer, offset, size }) => {
        const { record, gpu } = this.live(buffer, 'buffer', 'read a buffer');
        return { plan: planBufferRead(record.descriptor as never, offset, size), gpu, label: record.label };
      });
    } catch (error) {
      return Promise.reject(error); // nothing was started
    }
    const staging = this.staging.current;
    const parts = planned.map(({ plan, gpu, label }) => ({
      buffer: gpu as B['buffer'],
      offset: plan.start,
      size: plan.size,
      label,
    }));
    // A staging without grouped reads reads each range on its own.
    const words = staging.readBuffers
      ? staging.readBuffers(parts)
      : Promise.all(parts.map((part) => staging.readBuffer(part.buffer, part.offset, part.size, part.label)));
    return words.then((all) => all.map((bytes, i) => tight(bytes, planned[i]!.plan)));
  }

  async readTexture(texture: Handle<'texture'>, region?: TextureReadRegion): Promise<Uint8Array> {
    const { record, gpu } = this.live(texture, 'texture', 'read a texture');
    const plan = planTextureRead(record.descriptor as never, region);
    return this.staging.current.readTexture(gpu as B['texture'], plan, record.label);
  }

  trim(policy?: TrimPolicy): number {
    return this.staging.current.trim(policy);
  }

  stats(): StagingStats {
    return this.staging.current.stats();
  }
}

interface PlannedRead<B extends BackendObjects> {
  readonly plan: BufferReadPlan;
  readonly gpu: Entry<B>['gpu'];
  readonly label: string;
}

/** The bytes asked for, out of the whole words a read copies. */
function tight(words: Uint8Array, plan: BufferReadPlan): Uint8Array {
  if (plan.skip === 0 && plan.length === words.byteLength) return words;
  return words.slice(plan.skip, plan.skip + plan.length);
}
