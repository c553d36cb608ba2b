import type { BackendObjects } from '../core/backend.ts';
import type { AnyHandle } from '../handles/handle.ts';
import type { GraphicsResource } from '../resources/records.ts';

/**
 * What the manager's table stores per resource: the public record plus lifetime bookkeeping that users never
 * see. Kept apart from the record so that records stay immutable (metrics aside).
 */
export interface Entry<B extends BackendObjects> {
  readonly record: GraphicsResource<B>;
  /** Creation order, for destroying in reverse (dependents were always created after what they use). */
  readonly sequence: number;
  /** Create calls that returned this handle and were not destroyed yet (above 1 only for shared shaders). */
  owners: number;
  /** Outstanding `retain` calls. The resource lives while owners + retains > 0. */
  retains: number;
  /** Live resources that depend on this one (render targets using this texture); undefined when none. */
  dependents: Set<AnyHandle> | undefined;
  /** The last submission epoch whose work uses this resource (0: never used by tracked work). */
  lastUseEpoch: number;
}
