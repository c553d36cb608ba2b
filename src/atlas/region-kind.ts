/**
 * The `atlasRegion` kind: a region of a texture atlas as a resource of the manager, so the ledger, scopes,
 * leaks, dumps and loss reports see it. It owns no bytes (its texels belong to the page texture), shares
 * nothing and depends on nothing (regions move between pages). In place of a GPU object its entry holds the
 * atlas's {@link AtlasRegionObject}: built without a GPU call, and the same object again after a restore.
 */
import { ValidationError } from '../errors.ts';
import { readDescriptor, readInteger, readMember } from '../resources/input.ts';
import { readLabel } from '../resources/label.ts';

/** Largest region side (the allocator's largest page; kept here so the manager does not load the allocator). */
const MAX_REGION_SIDE = 32_768;

/** Where a region is now, as a dump shows it: its page and the texel corner of its content. */
export interface AtlasRegionPlace {
  readonly page: number;
  readonly x: number;
  readonly y: number;
}

/**
 * What an atlas region's entry holds instead of a GPU object (`manager.gpu(region)` returns it): the atlas's
 * record of the region, which frees its allocation when the manager destroys the region.
 */
export interface AtlasRegionObject {
  /** The label of the atlas the region belongs to. */
  readonly atlas: string;
  /** Where the region is now (it changes when compaction moves it). */
  where(): AtlasRegionPlace;
  /**
   * Frees the region's allocation in its atlas. The manager calls it once, when the region's entry leaves
   * the table (whatever its state); while the manager still holds the region it does nothing, so calling it
   * by hand cannot free space under a live handle (use `atlas.remove` or `manager.destroy`).
   */
  release(): void;
}

/** What `manager.createAtlasRegion` takes (the atlas calls it; `atlas.add` is the way to make a region). */
export interface AtlasRegionDescriptor {
  label?: string;
  /** Content width in texels. */
  width: number;
  /** Content height in texels. */
  height: number;
  /** The atlas's record of the region. */
  region: AtlasRegionObject;
}

/** A validated atlas region descriptor. */
export interface NormalizedAtlasRegionDescriptor {
  readonly label: string;
  readonly width: number;
  readonly height: number;
  readonly region: AtlasRegionObject;
}

/**
 * Validates an atlas region descriptor (any JS value): `width` and `height` integers in [1, 32768],
 * `region` an object with an `atlas` string and `where` and `release` functions.
 *
 * @example
 * normalizeAtlasRegionDescriptor({ label: 'glyphs region', width: 9, height: 14, region });
 */
export function normalizeAtlasRegionDescriptor(desc: unknown): NormalizedAtlasRegionDescriptor {
  const input = readDescriptor(desc, 'atlas region');
  const label = readLabel(input);
  const side = (field: 'width' | 'height') =>
    readInteger(readMember(input, field, label, field), label, field, 1, MAX_REGION_SIDE);
  const width = side('width');
  const height = side('height');
  const region = readMember(input, 'region', label, 'region');
  const rule = "must be the atlas's region object ({ atlas, where, release }): create regions with atlas.add";
  if (typeof region !== 'object' || region === null) throw new ValidationError(label, 'region', region, rule);
  const atlas = readMember(region, 'atlas', label, 'region.atlas');
  const where = readMember(region, 'where', label, 'region.where');
  const release = readMember(region, 'release', label, 'region.release');
  if (typeof atlas !== 'string' || typeof where !== 'function' || typeof release !== 'function') {
    throw new ValidationError(label, 'region', region, rule);
  }
  return { label, width, height, region: region as AtlasRegionObject };
}

/**
 * A region as a dump shows it: its atlas, size and place (`describe` of the kind table).
 *
 * @example
 * describeAtlasRegion(desc) // { atlas: 'glyphs', width: 9, height: 14, page: 0, x: 1, y: 1 }
 */
export function describeAtlasRegion(desc: NormalizedAtlasRegionDescriptor): Record<string, unknown> {
  const { page, x, y } = desc.region.where();
  return { atlas: desc.region.atlas, width: desc.width, height: desc.height, page, x, y };
}
