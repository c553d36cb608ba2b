import type { ResidencyChoice } from '../budget/content.ts';
import type { KeptBuffer, KeptTexture } from '../budget/kept-contents.ts';
import type { LruNode } from '../budget/lru.ts';
import type { BackendObjects } from '../core/backend.ts';
import type { ResourceKind } from '../core/kind-types.ts';
import type { AnyHandle } from '../handles/handle.ts';
import type { GraphicsResource, ResourceMetrics, ResourceState } from '../resources/records.ts';

/** The record as the registry writes it: the public record with its changing fields writable. */
export type MutableRecord = GraphicsResource & {
  state: ResourceState;
  failure: string | undefined;
  metrics: ResourceMetrics;
};

/**
 * What the table stores per resource: the public record, the GPU object (replaceable under the same handle),
 * and lifetime bookkeeping that users never see.
 */
export interface Entry<B extends BackendObjects> extends LruNode<Entry<B>> {
  readonly record: MutableRecord;
  /** The backend object while the entry is `live`; undefined in every other state. */
  gpu: B[ResourceKind] | undefined;
  /** Creation order, for destroying in reverse (dependents were always created after what they use). */
  readonly sequence: number;
  /** Create calls that returned this handle and were not destroyed yet (above 1 only for shared kinds). */
  owners: number;
  /** Outstanding `retain` calls. The resource lives while owners + retains > 0. */
  retains: number;
  /** Live resources that depend on this one (render targets using this texture); undefined when none. */
  dependents: Set<AnyHandle> | undefined;
  /** The last submission epoch whose work uses this resource (0: never used by tracked work). */
  lastUseEpoch: number;
  /** Encoders that recorded work using it and were not submitted through the manager yet. */
  openEncoders: number;
  /** The sharing key when the kind shares identical descriptors. */
  readonly shareKey: string | undefined;
  /** Set while the registry is destroying it, so re-entrant calls see it as gone. */
  leaving: boolean;
  /**
   * Created by someone else (an engine whose device is tracked) and only observed here: the registry never
   * frees its GPU object; its owner does.
   */
  readonly adopted: boolean;
  /** Content source and residency class, as the create call gave them. */
  readonly residency: ResidencyChoice;
  /** The CPU copy of uploads when the content source is `'keep'` (made at the first upload). */
  kept: KeptBuffer | KeptTexture | undefined;
  /** The manager's frame counter at the last use (eviction never takes what this or the last frame used). */
  lastUseFrame: number;
  /** Set once the GPU refused it and it was retried after evicting: a second refusal is final. */
  retried: boolean;
  /** Components holding it by other means (an atlas its pages): it cannot be destroyed until they let go. */
  holders: string[] | undefined;
}
