import type { DescriptorOf, KindTypes, ResourceKind } from '../core/kind-types.ts';
import type { AnyHandle, Handle } from '../handles/handle.ts';

export type { ResourceKind } from '../core/kind-types.ts';

/**
 * Where a resource stands. The handle names the entry, not the GPU object, so the object can be freed and built
 * again under the same handle.
 * - `live`: it has its GPU object.
 * - `evicted`: its GPU object was freed to save memory; descriptor, dependencies and handle are kept.
 * - `lost`: the device or context is gone, and the GPU object with it.
 * - `failed`: the GPU rejected the create after validation passed (out of memory, for example).
 */
export type ResourceState = 'live' | 'evicted' | 'lost' | 'failed';

/** Usage metrics of one resource (the resource monitor). */
export interface ResourceMetrics {
  /** Clock time of creation (the manager's clock, ms). */
  readonly createdAt: number;
  /** Clock time of the last use through the manager (`access`, `gpu`, `use`, uploads, reads). */
  lastAccess: number;
  /** Number of uses through the manager. */
  accessCount: number;
}

/**
 * What the manager knows of one resource: the backend-neutral description. The GPU object itself is not here
 * (it can be replaced under the same handle): ask `manager.gpu(handle)`.
 */
export type ResourceRecord<K extends ResourceKind> = {
  readonly kind: K;
  readonly handle: Handle<K>;
  readonly label: string;
  readonly descriptor: DescriptorOf<K>;
  /** Exact GPU bytes of the resource when resident (counted in the ledger's figures for its state). */
  readonly bytes: number;
  readonly state: ResourceState;
  /** Why the resource is `failed` (the GPU's message); undefined otherwise. */
  readonly failure: string | undefined;
  readonly metrics: ResourceMetrics;
  /** Older resources this one uses (a render target's attachments); they outlive it. */
  readonly dependencies: readonly AnyHandle[];
  /** Creation stack, kept in debug mode for leak reports. */
  readonly creationStack: string | undefined;
} & KindTypes[K]['extra'];

/** A texture. */
export type TextureRecord = ResourceRecord<'texture'>;
/** A buffer. */
export type BufferRecord = ResourceRecord<'buffer'>;
/** A shader, with the compiler's warnings and infos. */
export type ShaderRecord = ResourceRecord<'shader'>;
/** A render target. */
export type RenderTargetRecord = ResourceRecord<'renderTarget'>;

/** Any resource: a union discriminated by `kind`. */
export type GraphicsResource = { [K in ResourceKind]: ResourceRecord<K> }[ResourceKind];

/** The record type of a kind (a union when `K` is a union of kinds). */
export type RecordOf<K extends ResourceKind> = K extends ResourceKind ? ResourceRecord<K> : never;
