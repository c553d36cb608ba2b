/** The texture atlas: a pure rectangle allocator, an offline sheet packer, and the GPU atlas over a manager. */

export {
  type AllocationId,
  AtlasAllocator,
  type AtlasAllocatorOptions,
  type AtlasAllocatorStats,
  type AtlasMove,
  type AtlasRect,
  MAX_PAGE_SIZE,
} from './atlas-allocator.ts';
export { AtlasError } from './atlas-error.ts';
export type { AtlasContentLostEvent, AtlasEventMap, AtlasMovedEvent } from './atlas-events.ts';
export type { AtlasManager } from './atlas-manager.ts';
export type { AtlasOptions } from './atlas-options.ts';
export { createAtlas } from './create-atlas.ts';
export { type PackAtlasOptions, type PackedAtlas, packAtlas } from './pack-atlas.ts';
export type {
  AtlasRegionDescriptor,
  AtlasRegionObject,
  AtlasRegionPlace,
  NormalizedAtlasRegionDescriptor,
} from './region-kind.ts';
export { padRegion } from './region-pixels.ts';
export {
  type AtlasRegion,
  type AtlasRegionHandle,
  type AtlasStats,
  TextureAtlas,
} from './texture-atlas.ts';
