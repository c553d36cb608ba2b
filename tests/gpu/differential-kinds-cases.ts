/**
 * Seeded random descriptors of samplers, texture views, bind group layouts, pipeline layouts, bind groups and
 * query sets for the differential test against Dawn. As in differential-cases.ts, a case holds the form our
 * validation reads (`ours`) and, when well-typed, the plain form Dawn's binding takes (`dawn`). Descriptors
 * that name other resources name them by handle; the test maps handles to GPU objects before calling Dawn.
 * Cases whose `typeError` is set hold a value of the wrong JavaScript type (or an enum string WebIDL refuses)
 * and never reach Dawn.
 */
import { ShaderStage } from '../../src/resources/bind-group-layout.ts';
import type { NormalizedBufferDescriptor } from '../../src/resources/buffer.ts';
import { getFormatInfo } from '../../src/resources/formats.ts';
import {
  ADDRESS_MODES,
  COMPARE_FUNCTIONS,
  type NormalizedSamplerDescriptor,
} from '../../src/resources/sampler.ts';
import type { NormalizedTextureDescriptor } from '../../src/resources/texture.ts';
import type { NormalizedTextureViewDescriptor } from '../../src/resources/texture-view.ts';
import { VIEW_DIMENSIONS } from '../../src/resources/texture-view.ts';
import { BufferUsage, TextureUsage } from '../../src/resources/usage.ts';
import type { Case, Draw } from './differential-cases.ts';

/** Values of the wrong type for a numeric member (each refused by our readers before any rule). */
const WRONG_NUMBERS: readonly [string, unknown][] = [
  ['null', null],
  ['numeric string', '1'],
  ['boolean', true],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['bigint', 1n],
  ['object', {}],
];
const WRONG_ENUMS: readonly [string, unknown][] = [
  ['unknown enum string', 'bogus'],
  ['null', null],
  ['number', 1],
  ['upper-case enum', 'LINEAR'],
];

/** Replaces one member of `ours` with a wrong-typed value; returns the case that never reaches Dawn. */
function wrongMember(
  d: Draw,
  ours: Record<string, unknown>,
  numeric: readonly string[],
  enums: readonly string[],
): Case {
  const member = d.pick([...numeric, ...enums]);
  const [what, value] = d.pick(numeric.includes(member) ? WRONG_NUMBERS : WRONG_ENUMS);
  return { ours: { ...ours, [member]: value }, dawn: undefined, typeError: `${member}: ${what}` };
}

// ---------------------------------------------------------------------------------------------- samplers

/** Generates a sampler descriptor; about one in ten carries a wrong-typed member. */
export function samplerCase(d: Draw): Case {
  const desc: Record<string, unknown> = { label: `s${d.int(0, 999)}` };
  const maybe = (key: string, values: readonly unknown[], p = 0.5) => {
    if (d.chance(p)) desc[key] = d.pick(values);
  };
  for (const key of ['addressModeU', 'addressModeV', 'addressModeW']) maybe(key, ADDRESS_MODES);
  // Often all linear, so that anisotropy above 1 is legal in a good share of cases.
  const allLinear = d.chance(0.4);
  for (const key of ['magFilter', 'minFilter', 'mipmapFilter']) {
    if (allLinear) desc[key] = 'linear';
    else maybe(key, ['nearest', 'linear']);
  }
  maybe('lodMinClamp', [0, 0, 0.5, 1, 4, 32, 40, -0.5, -1]);
  maybe('lodMaxClamp', [0, 0.25, 1, 4, 32, 32, 1000, -1]);
  maybe('compare', COMPARE_FUNCTIONS, 0.3);
  maybe('maxAnisotropy', [1, 1, 2, 4, 16, 17, 255, 65535, 0], 0.5);
  if (d.chance(0.1)) {
    return wrongMember(
      d,
      desc,
      ['lodMinClamp', 'lodMaxClamp', 'maxAnisotropy'],
      ['addressModeU', 'magFilter', 'mipmapFilter', 'compare'],
    );
  }
  if (d.chance(0.03)) {
    // A fraction is truncated and 65536 clamped by WebIDL; we refuse both as values outside the member's type.
    const [what, value] = d.pick<[string, number]>([
      ['fraction', 2.5],
      ['above unsigned short', 65536],
    ]);
    return { ours: { ...desc, maxAnisotropy: value }, dawn: undefined, typeError: `maxAnisotropy: ${what}` };
  }
  return { ours: desc, dawn: desc, typeError: undefined };
}

// ----------------------------------------------------------------------------------------- texture views

/** A texture of the pool, by handle. */
export interface PoolTextureEntry {
  readonly handle: number;
  readonly desc: NormalizedTextureDescriptor;
}

/** A view case also names the texture it views. */
export type ViewCase = Case & { readonly texture: number };

/** Generates a view of one pool texture. */
export function viewCase(d: Draw, textures: readonly PoolTextureEntry[]): ViewCase {
  const t = d.pick(textures);
  const desc: Record<string, unknown> = { label: `v${d.int(0, 999)}` };
  const maybe = (key: string, values: readonly unknown[], p = 0.4) => {
    if (d.chance(p)) desc[key] = d.pick(values);
  };
  maybe('format', [
    t.desc.format,
    ...t.desc.viewFormats,
    ...t.desc.viewFormats,
    'rgba8unorm',
    'rgba8unorm-srgb',
    'depth24plus',
    'depth32float',
    'stencil8',
    'r32float',
  ]);
  maybe('dimension', VIEW_DIMENSIONS);
  maybe('aspect', ['all', 'depth-only', 'stencil-only'], 0.3);
  maybe('baseMipLevel', [0, 0, 1, 2, 4]);
  maybe('mipLevelCount', [1, 1, 2, 3, 0]);
  maybe('baseArrayLayer', [0, 0, 1, 5, 6]);
  maybe('arrayLayerCount', [1, 1, 2, 6, 12, 0]);
  const TB = TextureUsage.TEXTURE_BINDING;
  maybe(
    'usage',
    [
      0,
      t.desc.usage,
      TB,
      TB | TextureUsage.STORAGE_BINDING,
      TextureUsage.RENDER_ATTACHMENT,
      t.desc.usage | TextureUsage.RENDER_ATTACHMENT,
    ],
    0.25,
  );
  if (d.chance(0.1)) {
    const c = wrongMember(
      d,
      desc,
      ['baseMipLevel', 'mipLevelCount', 'baseArrayLayer', 'arrayLayerCount', 'usage'],
      ['format', 'dimension', 'aspect'],
    );
    return { ...c, texture: t.handle };
  }
  if (d.chance(0.02)) {
    return {
      ours: { ...desc, baseMipLevel: 0.5 },
      dawn: undefined,
      typeError: 'fraction',
      texture: t.handle,
    };
  }
  return { ours: desc, dawn: desc, typeError: undefined, texture: t.handle };
}

// ------------------------------------------------------------------------------------ bind group layouts

const { VERTEX, FRAGMENT, COMPUTE } = ShaderStage;
const STORAGE_FORMATS = [
  'rgba8unorm',
  'rgba8unorm',
  'r32float',
  'r32uint',
  'r32sint',
  'rgba16float',
  'rgba32float',
  'bgra8unorm',
  'rgba8unorm-srgb',
  'r8unorm',
  'rg32float',
  'depth24plus',
];

function layoutBinding(d: Draw): Record<string, unknown> {
  switch (d.pick(['buffer', 'buffer', 'sampler', 'texture', 'texture', 'storageTexture'])) {
    case 'buffer': {
      const b: Record<string, unknown> = {};
      if (d.chance(0.6)) b.type = d.pick(['uniform', 'storage', 'read-only-storage']);
      if (d.chance(0.3)) b.hasDynamicOffset = d.chance(0.5);
      if (d.chance(0.3)) b.minBindingSize = d.pick([0, 4, 16, 64, 2 ** 40]);
      return { buffer: b };
    }
    case 'sampler':
      return { sampler: d.chance(0.6) ? { type: d.pick(['filtering', 'non-filtering', 'comparison']) } : {} };
    case 'texture': {
      const t: Record<string, unknown> = {};
      if (d.chance(0.6)) t.sampleType = d.pick(['float', 'unfilterable-float', 'depth', 'sint', 'uint']);
      if (d.chance(0.5)) t.viewDimension = d.pick(VIEW_DIMENSIONS);
      if (d.chance(0.25)) t.multisampled = d.chance(0.6);
      return { texture: t };
    }
    default: {
      const s: Record<string, unknown> = { format: d.pick(STORAGE_FORMATS) };
      if (d.chance(0.7)) s.access = d.pick(['write-only', 'read-only', 'read-write']);
      if (d.chance(0.4)) s.viewDimension = d.pick(VIEW_DIMENSIONS);
      return { storageTexture: s };
    }
  }
}

/** Generates a bind group layout: a few random entries, or many of one type to reach a per-stage limit. */
export function bindGroupLayoutCase(d: Draw): Case {
  const entries: Record<string, unknown>[] = [];
  const visibility = () =>
    d.chance(0.03) ? 8 : d.pick([FRAGMENT, FRAGMENT, COMPUTE, COMPUTE, VERTEX, VERTEX | FRAGMENT, 7, 0]);
  if (d.chance(0.15)) {
    // Many bindings of one type, near the per-stage limits (12 uniform, 8 storage, 16 samplers/textures, 4
    // storage textures) and the dynamic-offset limits.
    const count = d.int(3, 18);
    const kind = d.pick<Record<string, unknown>>([
      { buffer: {} },
      { buffer: { type: 'read-only-storage' } },
      { buffer: { hasDynamicOffset: true } },
      { buffer: { type: 'storage', hasDynamicOffset: true } },
      { sampler: {} },
      { texture: {} },
      { storageTexture: { format: 'r32float', access: 'read-only' } },
    ]);
    const v = d.pick([FRAGMENT, COMPUTE, VERTEX | FRAGMENT]);
    for (let i = 0; i < count; i++) entries.push({ binding: i, visibility: v, ...kind });
  } else {
    const count = d.pick([0, 1, 1, 2, 2, 3, 4]);
    for (let i = 0; i < count; i++) {
      const binding = d.chance(0.06) ? d.pick([999, 1000, 4096]) : d.chance(0.06) && i > 0 ? 0 : i * 2;
      const entry: Record<string, unknown> = { binding, visibility: visibility(), ...layoutBinding(d) };
      if (d.chance(0.04)) Object.assign(entry, layoutBinding(d)); // maybe two binding types
      if (d.chance(0.03)) {
        delete entry.buffer;
        delete entry.sampler;
        delete entry.texture;
        delete entry.storageTexture;
      }
      entries.push(entry);
    }
  }
  const desc = { label: `bgl${d.int(0, 999)}`, entries };
  if (d.chance(0.1) && entries.length > 0) {
    const e = { ...entries[0]! };
    const where = d.pick([
      'binding',
      'visibility',
      'buffer',
      'sampler.type',
      'minBindingSize',
      'multisampled',
    ]);
    let what: string;
    if (where === 'binding' || where === 'visibility') {
      const [w, value] = d.pick(WRONG_NUMBERS);
      e[where] = value;
      what = w;
    } else if (where === 'buffer') {
      e.buffer = null;
      what = 'null binding type';
    } else if (where === 'sampler.type') {
      delete e.buffer;
      delete e.texture;
      delete e.storageTexture;
      e.sampler = { type: 'linear' };
      what = 'unknown enum string';
    } else if (where === 'minBindingSize') {
      delete e.sampler;
      delete e.texture;
      delete e.storageTexture;
      e.buffer = { minBindingSize: d.pick([-1, 2.5, '16']) };
      what = 'bad number';
    } else {
      delete e.buffer;
      delete e.sampler;
      delete e.storageTexture;
      e.texture = { multisampled: d.pick([1, 'true', null]) };
      what = 'non-boolean';
    }
    return {
      ours: { ...desc, entries: [e, ...entries.slice(1)] },
      dawn: undefined,
      typeError: `${where}: ${what}`,
    };
  }
  return { ours: desc, dawn: desc, typeError: undefined };
}

// -------------------------------------------------------------------------------------- pipeline layouts

/** Generates a pipeline layout over pool bind group layouts (by handle); up to one past maxBindGroups. */
export function pipelineLayoutCase(d: Draw, layouts: readonly number[], maxBindGroups: number): Case {
  const count = d.chance(0.1) ? maxBindGroups + 1 : d.int(0, maxBindGroups);
  const bindGroupLayouts = Array.from({ length: count }, () => d.pick(layouts));
  const desc = { label: `pl${d.int(0, 999)}`, bindGroupLayouts };
  if (d.chance(0.08)) {
    const [what, value] = d.pick<[string, unknown]>([
      ['null layout', null],
      ['string', '1'],
      ['not a sequence', 4],
    ]);
    const ours =
      what === 'not a sequence'
        ? { ...desc, bindGroupLayouts: value }
        : { ...desc, bindGroupLayouts: [...bindGroupLayouts, value] };
    return { ours, dawn: undefined, typeError: what };
  }
  return { ours: desc, dawn: desc, typeError: undefined };
}

// ------------------------------------------------------------------------------------------- bind groups

/** What the bind group generator knows of the pool: layouts with their entries, and resources by kind. */
export interface BindingPool {
  readonly layouts: readonly { handle: number; entries: readonly Record<string, unknown>[] }[];
  readonly buffers: readonly { handle: number; desc: NormalizedBufferDescriptor }[];
  readonly samplers: readonly { handle: number; desc: NormalizedSamplerDescriptor }[];
  readonly views: readonly {
    handle: number;
    desc: NormalizedTextureViewDescriptor;
    texture: NormalizedTextureDescriptor;
  }[];
  readonly textures: readonly PoolTextureEntry[];
}

const sampleKind = (format: string) => {
  const info = getFormatInfo(format);
  if (!info) return 'none';
  if (info.aspect === 'depth') return 'depth';
  if (info.aspect !== 'color') return 'stencil-or-both';
  return info.sampleType === 'uint' || info.sampleType === 'sint' ? info.sampleType : 'float';
};

/** A resource that probably fits the layout entry (a rough guess: the validator is what decides). */
function likelyResource(d: Draw, entry: Record<string, unknown>, pool: BindingPool): unknown {
  if (entry.buffer) {
    const type = (entry.buffer as { type?: string }).type ?? 'uniform';
    const usage = type === 'uniform' ? BufferUsage.UNIFORM : BufferUsage.STORAGE;
    const fitting = pool.buffers.filter((b) => b.desc.usage & usage);
    const buffer = d.pick(fitting.length ? fitting : pool.buffers);
    if (d.chance(0.3)) return buffer.handle;
    const range: Record<string, unknown> = { buffer: buffer.handle };
    if (d.chance(0.4)) range.offset = d.pick([0, 0, 256, 512, 4, 100]);
    if (d.chance(0.5)) range.size = d.pick([4, 16, 64, 256, 6, 8, 65540]);
    return range;
  }
  if (entry.sampler) {
    const type = (entry.sampler as { type?: string }).type ?? 'filtering';
    const fitting = pool.samplers.filter((s) => (s.desc.compare !== undefined) === (type === 'comparison'));
    return d.pick(fitting.length ? fitting : pool.samplers).handle;
  }
  const want = (entry.texture ?? entry.storageTexture) as Record<string, unknown>;
  const dimension = (want.viewDimension as string | undefined) ?? '2d';
  const storage = entry.storageTexture !== undefined;
  const sampleType = (want.sampleType as string | undefined) ?? 'float';
  const kindOf = (format: string) => sampleKind(format);
  const fits = (view: NormalizedTextureViewDescriptor, t: NormalizedTextureDescriptor) =>
    view.dimension === dimension &&
    (storage
      ? view.format === want.format && (t.usage & TextureUsage.STORAGE_BINDING) !== 0
      : t.sampleCount > 1 === (want.multisampled === true) &&
        (sampleType === 'unfilterable-float'
          ? kindOf(view.format) === 'float' || kindOf(view.format) === 'depth'
          : kindOf(view.format) === sampleType));
  const views = pool.views.filter((v) => fits(v.desc, v.texture));
  if (views.length && d.chance(0.8)) return d.pick(views).handle;
  const textures = pool.textures.filter(
    (t) =>
      (t.desc.dimension === dimension || (dimension === '2d' && t.desc.dimension === '2d')) &&
      (storage ? t.desc.format === want.format : kindOf(t.desc.format) === sampleType),
  );
  return d.pick(textures.length ? textures : pool.textures).handle;
}

/** Any resource of the pool (probably a wrong one). */
function anyResource(d: Draw, pool: BindingPool): unknown {
  switch (d.int(0, 3)) {
    case 0:
      return d.pick(pool.buffers).handle;
    case 1:
      return d.pick(pool.samplers).handle;
    case 2:
      return d.pick(pool.views).handle;
    default:
      return d.pick(pool.textures).handle;
  }
}

/** Generates a bind group over a pool layout: mostly fitting resources, some wrong, missing or extra. */
export function bindGroupCase(d: Draw, pool: BindingPool): Case {
  const layout = d.pick(pool.layouts);
  const entries: Record<string, unknown>[] = [];
  for (const slot of layout.entries) {
    if (d.chance(0.03)) continue; // a missing binding
    const resource = d.chance(0.9) ? likelyResource(d, slot, pool) : anyResource(d, pool);
    entries.push({ binding: slot.binding, resource });
  }
  if (d.chance(0.04)) entries.push({ binding: 77, resource: anyResource(d, pool) });
  if (d.chance(0.03) && entries.length) entries.push({ ...entries[0]! });
  if (d.chance(0.5)) entries.reverse();
  const desc = { label: `bg${d.int(0, 999)}`, layout: layout.handle, entries };
  if (d.chance(0.08) && entries.length) {
    const [what, entry] = d.pick<[string, Record<string, unknown>]>([
      ['binding null', { binding: null, resource: entries[0]!.resource }],
      ['binding string', { binding: '0', resource: entries[0]!.resource }],
      ['resource null', { binding: entries[0]!.binding, resource: null }],
      [
        'offset fraction',
        { binding: entries[0]!.binding, resource: { buffer: pool.buffers[0]!.handle, offset: 0.5 } },
      ],
      ['size -4', { binding: entries[0]!.binding, resource: { buffer: pool.buffers[0]!.handle, size: -4 } }],
    ]);
    return { ours: { ...desc, entries: [entry, ...entries.slice(1)] }, dawn: undefined, typeError: what };
  }
  return { ours: desc, dawn: desc, typeError: undefined };
}

// -------------------------------------------------------------------------------------------- query sets

/** Generates a query set descriptor (count 0 included: refused by choice, tallied apart by the test). */
export function querySetCase(d: Draw): Case {
  const type = d.pick(['occlusion', 'occlusion', 'timestamp']);
  const count = d.pick([0, 1, 1, 2, 8, 64, 4095, 4096, 4097, 65536]);
  const desc = { label: `q${d.int(0, 999)}`, type, count };
  if (d.chance(0.12)) {
    const [what, value] = d.pick(WRONG_NUMBERS);
    return d.chance(0.5)
      ? { ours: { ...desc, count: value }, dawn: undefined, typeError: `count: ${what}` }
      : {
          ours: { ...desc, type: d.pick(['pipeline-statistics', null, 'Occlusion']) },
          dawn: undefined,
          typeError: 'type: not a GPUQueryType',
        };
  }
  return { ours: desc, dawn: desc, typeError: undefined };
}
