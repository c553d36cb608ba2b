import type { BackendObjects } from '../core/backend.ts';
import type { ShaderMessage } from '../errors.ts';
import type { AnyHandle, Handle } from '../handles/handle.ts';
import type { NormalizedBufferDescriptor } from './buffer.ts';
import type { NormalizedRenderTargetDescriptor } from './render-target.ts';
import type { NormalizedShaderDescriptor } from './shader.ts';
import type { NormalizedTextureDescriptor } from './texture.ts';

/** The kinds of resource the manager owns. */
export type ResourceKind = 'texture' | 'buffer' | 'shader' | 'renderTarget';

/** Usage metrics of one resource (the resource monitor of the seed design). */
export interface ResourceMetrics {
  /** Clock time of creation (the manager's clock, ms). */
  readonly createdAt: number;
  /** Clock time of the last `manager.access(handle)` (creation time until then). */
  lastAccess: number;
  /** Number of `manager.access(handle)` calls. */
  accessCount: number;
}

interface RecordBase<K extends ResourceKind, D, G> {
  readonly kind: K;
  readonly handle: Handle<K>;
  readonly label: string;
  readonly descriptor: D;
  /** Exact GPU bytes counted in the ledger. */
  readonly bytes: number;
  /** The backend object (`GPUTexture`, `WebGLTexture`, ...). Never keep it beyond the handle's life. */
  readonly gpu: G;
  readonly metrics: ResourceMetrics;
  /** Resources this one uses (a render target's attachments); they outlive it. */
  readonly dependencies: readonly AnyHandle[];
  /** Creation stack, kept in debug mode for leak reports. */
  readonly creationStack: string | undefined;
}

/** A live texture. */
export type TextureRecord<B extends BackendObjects = BackendObjects> = RecordBase<
  'texture',
  NormalizedTextureDescriptor,
  B['texture']
>;
/** A live buffer. */
export type BufferRecord<B extends BackendObjects = BackendObjects> = RecordBase<
  'buffer',
  NormalizedBufferDescriptor,
  B['buffer']
>;
/** A live shader, with the compiler's warnings and infos. */
export interface ShaderRecord<B extends BackendObjects = BackendObjects>
  extends RecordBase<'shader', NormalizedShaderDescriptor, B['shader']> {
  readonly diagnostics: readonly ShaderMessage[];
}
/** A live render target. */
export type RenderTargetRecord<B extends BackendObjects = BackendObjects> = RecordBase<
  'renderTarget',
  NormalizedRenderTargetDescriptor,
  B['renderTarget']
>;

/** Any live resource: a union discriminated by `kind`. */
export type GraphicsResource<B extends BackendObjects = BackendObjects> =
  | TextureRecord<B>
  | BufferRecord<B>
  | ShaderRecord<B>
  | RenderTargetRecord<B>;

/** The record type of a kind. */
export type RecordOf<K extends ResourceKind, B extends BackendObjects = BackendObjects> = Extract<
  GraphicsResource<B>,
  { kind: K }
>;
