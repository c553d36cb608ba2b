import type { Handle } from '../handles/handle.ts';
import type { AllocationId } from './atlas-allocator.ts';
import type { AtlasRegionObject, AtlasRegionPlace } from './region-kind.ts';

/** What a region needs from its atlas: its label, where an allocation is, and freeing it. */
export interface RegionOwner {
  readonly label: string;
  where(region: PlacedRegion): AtlasRegionPlace;
  release(region: PlacedRegion): void;
}

/**
 * The atlas's record of one region, and the object its manager entry holds (`manager.gpu(region)`): its page
 * and allocation (both change when compaction moves it), its content size, and the pixels kept to rebuild
 * the page after a device loss. Pixels belong to the region, not to a position, so they survive moves.
 *
 * @example
 * const region = new PlacedRegion(atlas, 0, allocation, 9, 14);
 */
export class PlacedRegion implements AtlasRegionObject {
  /** Set once the manager has registered the region. */
  handle = 0 as Handle<'atlasRegion'>;
  /**
   * The content to upload again when the page is rebuilt: tight rows, or `undefined` for a cleared region.
   * Meaningful only while `kept`.
   */
  pixels: Uint8Array | undefined = undefined;
  /** False when the atlas did not keep what was written (`keepPixels: false`): the content is lost with the page. */
  kept = true;
  released = false;

  constructor(
    readonly owner: RegionOwner,
    public page: number,
    public allocation: AllocationId,
    readonly width: number,
    readonly height: number,
  ) {}

  get atlas(): string {
    return this.owner.label;
  }

  /** Where the region is now. @example region.where() // { page: 0, x: 1, y: 1 } */
  where(): AtlasRegionPlace {
    return this.owner.where(this);
  }

  /** Frees the allocation once the manager no longer holds the region (see `AtlasRegionObject.release`). @example region.release() */
  release(): void {
    this.owner.release(this);
  }
}
