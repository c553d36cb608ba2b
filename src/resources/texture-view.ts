/**
 * The texture view descriptor and its validation (WebGPU's createView rules, with defaults resolved as the
 * spec does). Views are shared per (texture, normalized descriptor): `createView(texture)` twice returns the
 * same handle, so the default view of a texture exists once. A view depends on its texture.
 */
import type { Capabilities } from '../core/capabilities.ts';
import { ValidationError } from '../errors.ts';
import type { Handle } from '../handles/handle.ts';
import { getFormatInfo, isColorRenderable, isStorageCapable } from './formats.ts';
import { MAX_UINT32, readDescriptor, readInteger, readMember } from './input.ts';
import { readLabel } from './label.ts';
import { type ResourceLookup, readEnum } from './resource-lookup.ts';
import type { NormalizedTextureDescriptor } from './texture.ts';
import { TextureUsage, usageNames } from './usage.ts';

/** What a caller asks for (the fields of `GPUTextureViewDescriptor`); every field is optional. */
export interface TextureViewDescriptor {
  label?: string;
  /** The texture's format, one of its `viewFormats`, or the aspect's format for a depth/stencil aspect. */
  format?: GPUTextureFormat;
  dimension?: GPUTextureViewDimension;
  aspect?: GPUTextureAspect;
  baseMipLevel?: number;
  mipLevelCount?: number;
  baseArrayLayer?: number;
  arrayLayerCount?: number;
  /**
   * `TextureUsage` bits the view is used with: a subset of the texture's usage (default, or 0: all of it). A
   * narrower usage lets a view take a format the texture's other usages would forbid, e.g. an sRGB view of a
   * storage texture used only for sampling.
   */
  usage?: number;
}

/** A validated view: its texture, and every field resolved to the value the GPU will use. */
export interface NormalizedTextureViewDescriptor {
  readonly label: string;
  readonly texture: Handle<'texture'>;
  readonly format: GPUTextureFormat;
  readonly dimension: GPUTextureViewDimension;
  readonly aspect: GPUTextureAspect;
  readonly baseMipLevel: number;
  readonly mipLevelCount: number;
  readonly baseArrayLayer: number;
  readonly arrayLayerCount: number;
  /** The usage bits the view is used with (the texture's usage unless narrowed). */
  readonly usage: number;
  /** Identifies equal views of the same texture (everything but the label). */
  readonly key: string;
}

export const VIEW_DIMENSIONS: readonly GPUTextureViewDimension[] = [
  '1d',
  '2d',
  '2d-array',
  'cube',
  'cube-array',
  '3d',
];
const ASPECTS: readonly GPUTextureAspect[] = ['all', 'depth-only', 'stencil-only'];

/**
 * The format a view of one aspect of `format` has: `depth24plus-stencil8` seen `'stencil-only'` is `stencil8`,
 * `'depth-only'` is `depth24plus`. Undefined when the format has no such aspect.
 *
 * @example
 * aspectFormat('depth32float-stencil8', 'depth-only') // 'depth32float'
 * aspectFormat('rgba8unorm', 'stencil-only') // undefined
 */
export function aspectFormat(
  format: GPUTextureFormat,
  aspect: GPUTextureAspect,
): GPUTextureFormat | undefined {
  const info = getFormatInfo(format);
  if (!info) return undefined;
  if (aspect === 'all') return format;
  if (aspect === 'stencil-only') {
    return info.aspect === 'stencil' || info.aspect === 'depth-stencil' ? 'stencil8' : undefined;
  }
  if (info.aspect === 'depth') return format;
  if (info.aspect !== 'depth-stencil') return undefined;
  return format === 'depth24plus-stencil8' ? 'depth24plus' : 'depth32float';
}

/**
 * Validates a view of `texture` (a handle resolved through `lookup`) and resolves its defaults as WebGPU does:
 * format from the texture (or the aspect), dimension from the texture's dimension and layer count, mip and
 * layer counts to the end of the texture.
 *
 * Rules: `aspect` one of 'all' | 'depth-only' | 'stencil-only', present in the texture's format; `format` the
 * texture's format or one of its `viewFormats` (aspect 'all'), or the aspect's format; mip range
 * `baseMipLevel + mipLevelCount <= texture.mipLevelCount`, layer range inside the texture's layers (1 for 1D
 * and 3D textures), both counts >= 1; `dimension` compatible: '1d' for 1D textures, '2d' / '2d-array' / 'cube' /
 * 'cube-array' for 2D textures, '3d' for 3D textures; '1d', '2d' and '3d' views have one layer, cube views 6
 * (cube arrays a multiple of 6) and a square texture; a multisampled texture only as a '2d' view; `usage` a
 * subset of the texture's usage (default: all of it; all of it for a transient texture) that the view's format
 * supports (STORAGE_BINDING needs a storage format, RENDER_ATTACHMENT a renderable one).
 *
 * @example
 * normalizeTextureViewDescriptor(tex, { dimension: 'cube' }, lookup, caps) // { arrayLayerCount: 6, ... }
 */
export function normalizeTextureViewDescriptor(
  texture: unknown,
  desc: TextureViewDescriptor | undefined,
  lookup: ResourceLookup,
  caps: Capabilities,
): NormalizedTextureViewDescriptor {
  const input = desc === undefined ? {} : readDescriptor(desc, 'texture view');
  const label = readLabel(input);
  const fail = (field: string, value: unknown, rule: string): never => {
    throw new ValidationError(label, field, value, rule);
  };
  const member = (key: string) => readMember(input, key, label, key);
  const tex = lookup.resolve(texture, 'texture', label, 'texture');
  const t: NormalizedTextureDescriptor = tex.descriptor;
  const named = `texture '${tex.label}'`;

  const aspect = readEnum(member('aspect'), ASPECTS, 'all', label, 'aspect');
  const ownFormat = aspectFormat(t.format, aspect);
  if (ownFormat === undefined) {
    fail('aspect', aspect, `must be an aspect of the ${named}'s format '${t.format}'`);
  }
  const formatInput = member('format');
  const format = (formatInput === undefined ? ownFormat : formatInput) as GPUTextureFormat;
  if (typeof format !== 'string' || getFormatInfo(format) === undefined) {
    fail('format', format, 'must be a GPUTextureFormat string');
  }
  const allowed = aspect === 'all' ? [t.format, ...t.viewFormats] : [ownFormat!];
  if (!allowed.includes(format)) {
    const list = [...new Set(allowed)].map((f) => `'${f}'`).join(', ');
    fail(
      'format',
      format,
      aspect === 'all'
        ? `must be the ${named}'s format or one of its viewFormats (${list})`
        : `must be ${list}, the format of aspect '${aspect}' of '${t.format}'`,
    );
  }

  const textureLayers = t.dimension === '2d' ? t.depthOrArrayLayers : 1;
  const dimensionInput = member('dimension');
  const dimension =
    dimensionInput === undefined
      ? t.dimension === '2d'
        ? t.depthOrArrayLayers === 1
          ? '2d'
          : '2d-array'
        : t.dimension
      : readEnum(dimensionInput, VIEW_DIMENSIONS, undefined, label, 'dimension');

  const baseMipLevel = optionalInteger(member('baseMipLevel'), 0, label, 'baseMipLevel', 0);
  if (baseMipLevel >= t.mipLevelCount) {
    fail('baseMipLevel', baseMipLevel, `must be < the ${named}'s mipLevelCount (${t.mipLevelCount})`);
  }
  const mipLevelCount = optionalInteger(
    member('mipLevelCount'),
    t.mipLevelCount - baseMipLevel,
    label,
    'mipLevelCount',
    1,
  );
  if (baseMipLevel + mipLevelCount > t.mipLevelCount) {
    fail(
      'mipLevelCount',
      mipLevelCount,
      `must fit the ${named}: baseMipLevel (${baseMipLevel}) + mipLevelCount must be <= ${t.mipLevelCount}`,
    );
  }
  const baseArrayLayer = optionalInteger(member('baseArrayLayer'), 0, label, 'baseArrayLayer', 0);
  if (baseArrayLayer >= textureLayers) {
    fail('baseArrayLayer', baseArrayLayer, `must be < the ${named}'s array layer count (${textureLayers})`);
  }
  const defaultLayers =
    dimension === 'cube'
      ? 6
      : dimension === '2d-array' || dimension === 'cube-array'
        ? textureLayers - baseArrayLayer
        : 1;
  const arrayLayerCount = optionalInteger(
    member('arrayLayerCount'),
    defaultLayers,
    label,
    'arrayLayerCount',
    1,
  );
  if (baseArrayLayer + arrayLayerCount > textureLayers) {
    fail(
      'arrayLayerCount',
      arrayLayerCount,
      `must fit the ${named}: baseArrayLayer (${baseArrayLayer}) + arrayLayerCount must be <= ${textureLayers}`,
    );
  }

  const needs = (textureDimension: string) => {
    if (t.dimension !== textureDimension) {
      fail('dimension', dimension, `needs a ${textureDimension} texture (the ${named} is ${t.dimension})`);
    }
  };
  if (dimension === '1d' || dimension === '3d') needs(dimension);
  else needs('2d');
  if ((dimension === '1d' || dimension === '2d' || dimension === '3d') && arrayLayerCount !== 1) {
    fail('arrayLayerCount', arrayLayerCount, `must be 1 for a '${dimension}' view`);
  }
  if (dimension === 'cube' && arrayLayerCount !== 6) {
    fail('arrayLayerCount', arrayLayerCount, "must be 6 for a 'cube' view");
  }
  if (dimension === 'cube-array' && arrayLayerCount % 6 !== 0) {
    fail('arrayLayerCount', arrayLayerCount, "must be a multiple of 6 for a 'cube-array' view");
  }
  if ((dimension === 'cube' || dimension === 'cube-array') && t.width !== t.height) {
    fail('dimension', dimension, `needs a square texture (the ${named} is ${t.width}x${t.height})`);
  }
  if (t.sampleCount > 1 && dimension !== '2d') {
    fail('dimension', dimension, `must be '2d' for the multisampled ${named}`);
  }

  const usage = readViewUsage(member('usage'), t, format, label, named, caps);

  const key = [
    tex.handle,
    usage,
    format,
    dimension,
    aspect,
    baseMipLevel,
    mipLevelCount,
    baseArrayLayer,
    arrayLayerCount,
  ].join('|');
  return Object.freeze({
    label,
    texture: tex.handle,
    format,
    dimension,
    aspect,
    baseMipLevel,
    mipLevelCount,
    baseArrayLayer,
    arrayLayerCount,
    usage,
    key,
  });
}

/**
 * The view's usage: `undefined` or 0 is the texture's usage; otherwise a subset of it. The view's format must
 * support each usage bit: STORAGE_BINDING a storage format, RENDER_ATTACHMENT a renderable one.
 */
function readViewUsage(
  value: unknown,
  t: NormalizedTextureDescriptor,
  format: GPUTextureFormat,
  label: string,
  named: string,
  caps: Capabilities,
): number {
  const given = value === undefined ? 0 : readInteger(value, label, 'usage', 0, MAX_UINT32);
  const usage = given === 0 ? t.usage : given;
  if ((usage & ~t.usage) !== 0) {
    throw new ValidationError(
      label,
      'usage',
      given,
      `must be a subset of the ${named}'s usage (${usageNames(t.usage, TextureUsage)}; ${usageNames(usage & ~t.usage, TextureUsage)} is not in it)`,
    );
  }
  if (t.usage & TextureUsage.TRANSIENT_ATTACHMENT && usage !== t.usage) {
    throw new ValidationError(
      label,
      'usage',
      given,
      `must be the whole usage of the transient ${named} (${usageNames(t.usage, TextureUsage)}) or omitted`,
    );
  }
  const info = getFormatInfo(format)!;
  const why = given === 0 ? ` (the view's usage defaults to the ${named}'s; give a narrower usage)` : '';
  if (usage & TextureUsage.STORAGE_BINDING && !isStorageCapable(info, caps.features)) {
    throw new ValidationError(
      label,
      'format',
      format,
      `must support STORAGE_BINDING, which the view's usage includes${why}`,
    );
  }
  if (
    usage & TextureUsage.RENDER_ATTACHMENT &&
    info.aspect === 'color' &&
    !isColorRenderable(info, caps.features)
  ) {
    throw new ValidationError(
      label,
      'format',
      format,
      `must be renderable, as the view's usage includes RENDER_ATTACHMENT${why}`,
    );
  }
  return usage;
}

function optionalInteger(
  value: unknown,
  fallback: number,
  label: string,
  field: string,
  min: number,
): number {
  return value === undefined ? fallback : readInteger(value, label, field, min, MAX_UINT32);
}
