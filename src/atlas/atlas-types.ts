import type { Handle } from '../handles/handle.ts';

/**
 * A region of an atlas: a handle of the manager (kind `atlasRegion`, 0 bytes), valid until `remove` (or
 * `manager.destroy`), across compactions and device loss.
 */
export type AtlasRegionHandle = Handle<'atlasRegion'>;

/** Where a region is: its page (and array layer), texel rectangle of the content, and its UVs. */
export interface AtlasRegion {
  readonly page: number;
  /** Array layer: the page index with `pages: 'layers'`, else 0. */
  readonly layer: number;
  /** The page's texture (with `pages: 'layers'`, the one array texture). */
  readonly texture: Handle<'texture'>;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** [u0, v0, u1, v1] of the content (v down, WebGPU's texture coordinates). */
  readonly uv: readonly [number, number, number, number];
}

/** Counters of an atlas. */
export interface AtlasStats {
  readonly pages: number;
  readonly regions: number;
  /** Texels of live allocations (content plus gutter) / texels of all pages. */
  readonly fill: number;
  /** Bytes of the page textures on the GPU (all mip levels). */
  readonly bytes: number;
  /** Regions moved by compactions so far. */
  readonly moved: number;
  /** Bytes of region pixels kept on the CPU to refill the pages after a device loss (`keepPixels`). */
  readonly keptBytes: number;
}
