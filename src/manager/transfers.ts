import type { BackendObjects, StagingStats } from '../core/backend.ts';
import type { Handle } from '../handles/handle.ts';
import type { TrimPolicy } from '../staging/options.ts';
import { checkBufferUpload, planBufferRead } from '../staging/planning/buffer-transfer.ts';
import { asBytes } from '../staging/planning/copy-rows.ts';
import {
  planTextureRead,
  planTextureUpload,
  type TextureDataLayout,
  type TextureExtentInput,
  type TextureLocation,
  type TextureReadRegion,
} from '../staging/planning/texture-transfer.ts';
import type { StagingService } from './staging-service.ts';

/**
 * Uploads and readbacks of the manager: resolve the handle, check the call against the descriptor (pure, in
 * `src/staging/planning`), and hand the backend object to the backend's staging. See the manager's methods
 * of the same names for the contract.
 *
 * @example
 * const transfers = new Transfers(staging, (h, kind, op) => manager.liveObject(h, kind, op));
 */
export class Transfers<B extends BackendObjects> {
  constructor(
    private readonly staging: StagingService<B>,
    private readonly live: <K extends 'buffer' | 'texture'>(
      handle: Handle<K>,
      kind: K,
      operation: string,
    ) => { readonly descriptor: unknown; readonly label: string; readonly gpu: B[K] },
  ) {}

  upload(
    buffer: Handle<'buffer'>,
    offset: number,
    data: ArrayBufferView | ArrayBufferLike,
  ): Promise<void> | undefined {
    const target = this.live(buffer, 'buffer', 'upload to a buffer');
    const bytes = asBytes(data, target.label);
    checkBufferUpload(target.descriptor as never, offset, bytes.byteLength);
    return this.staging.current.writeBuffer(target.gpu, offset, bytes);
  }

  uploadTexture(
    texture: Handle<'texture'>,
    data: ArrayBufferView | ArrayBufferLike,
    layout: TextureDataLayout,
    size: TextureExtentInput,
    destination?: TextureLocation,
  ): Promise<void> | undefined {
    const target = this.live(texture, 'texture', 'upload to a texture');
    const bytes = asBytes(data, target.label);
    const plan = planTextureUpload(target.descriptor as never, bytes.byteLength, layout, size, destination);
    const region = bytes.subarray(plan.byteOffset, plan.byteOffset + plan.byteLength);
    return this.staging.current.writeTexture(target.gpu, region, plan.copy);
  }

  flush(encoder?: B['encoder']): void {
    this.staging.current.flush(encoder);
  }

  async read(buffer: Handle<'buffer'>, offset?: number, size?: number): Promise<Uint8Array> {
    const target = this.live(buffer, 'buffer', 'read a buffer');
    const plan = planBufferRead(target.descriptor as never, offset, size);
    const words = await this.staging.current.readBuffer(target.gpu, plan.start, plan.size, target.label);
    if (plan.skip === 0 && plan.length === words.byteLength) return words;
    return words.slice(plan.skip, plan.skip + plan.length);
  }

  async readTexture(texture: Handle<'texture'>, region?: TextureReadRegion): Promise<Uint8Array> {
    const target = this.live(texture, 'texture', 'read a texture');
    const plan = planTextureRead(target.descriptor as never, region);
    return this.staging.current.readTexture(target.gpu, plan, target.label);
  }

  trim(policy?: TrimPolicy): number {
    return this.staging.current.trim(policy);
  }

  stats(): StagingStats {
    return this.staging.current.stats();
  }
}
