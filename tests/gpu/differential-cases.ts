/**
 * Seeded random descriptors for the differential validation test. Each case has the form our validation
 * reads (`ours`: typed arrays, Sets, generators, dictionaries) and, when it is well-typed, the same descriptor
 * in the plain form Dawn's Node binding takes (`dawn`: arrays only). A case whose `typeError` is set holds a
 * value of the wrong JavaScript type or shape (a WebIDL TypeError in a browser, or a value we reject by
 * choice): it is never sent to Dawn, whose binding may abort the process on such values.
 */
import { ALL_TEXTURE_FORMATS, getFormatInfo, srgbPairOf } from '../../src/resources/formats.ts';
import { BufferUsage, TextureUsage } from '../../src/resources/usage.ts';

export { seededRandom } from '../support/seeded-random.ts';

/** Draws from a seeded PRNG. */
export class Draw {
  constructor(readonly random: () => number) {}
  chance(p: number): boolean {
    return this.random() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }
}

/** One generated case. */
export interface Case {
  /** What our normalize* reads. */
  readonly ours: Record<string, unknown>;
  /** The same descriptor in Dawn's plain form; undefined when `typeError` is set. */
  readonly dawn: Record<string, unknown> | undefined;
  /** Why the case is of the wrong JS type or shape (our typed error only); undefined when well-typed. */
  readonly typeError: string | undefined;
}

/** Limits the generator aims at (edges and one past them). */
export interface GeneratorLimits {
  readonly maxTextureDimension1D: number;
  readonly maxTextureDimension2D: number;
  readonly maxTextureDimension3D: number;
  readonly maxTextureArrayLayers: number;
  readonly maxBufferSize: number;
}

const SMALL = [1, 1, 2, 3, 4, 4, 5, 6, 8, 8, 10, 12, 16, 16, 17, 24, 32, 64];
const WRONG_TYPES: readonly [string, unknown][] = [
  ['null', null],
  ['numeric string', '4'],
  ['boolean', true],
  ['fraction', 2.5],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['negative', -4],
  ['2^32', 2 ** 32],
  ['bigint', 4n],
];

/** Generates a texture descriptor; about one in eight carries a value of the wrong type. */
export function textureCase(d: Draw, limits: GeneratorLimits): Case {
  const format = d.chance(0.6)
    ? d.pick([
        'rgba8unorm',
        'r8unorm',
        'rgba16float',
        'r32float',
        'depth24plus',
        'bc1-rgba-unorm',
        'rgba8uint',
      ])
    : d.pick(ALL_TEXTURE_FORMATS);
  const info = getFormatInfo(format)!;
  const dimension = d.pick([undefined, undefined, '1d', '2d', '3d'] as const);
  const block = (n: number, b: number) => (d.chance(0.7) ? Math.max(1, Math.ceil(n / b)) * b : n);
  let width = block(d.pick(SMALL), info.blockWidth);
  let height = dimension === '1d' && d.chance(0.8) ? 1 : block(d.pick(SMALL), info.blockHeight);
  let layers = d.chance(0.6) ? 1 : d.pick([2, 3, 4, 6, 8]);
  if (d.chance(0.08)) {
    // One dimension at (or one past) its limit; the others 1, so a valid texture stays small.
    const limit =
      dimension === '1d'
        ? limits.maxTextureDimension1D
        : dimension === '3d'
          ? limits.maxTextureDimension3D
          : limits.maxTextureDimension2D;
    const edge = limit + (d.chance(0.5) ? 1 : 0);
    const which = d.int(0, 2);
    [width, height, layers] = [1, 1, 1];
    if (which === 0) width = edge;
    else if (which === 1) height = edge;
    else
      layers =
        dimension === '2d' || dimension === undefined ? limits.maxTextureArrayLayers + (edge - limit) : edge;
  }
  if (d.chance(0.03)) width = 0;
  const plainSize = d.chance(0.5) ? [width, height, layers] : { width, height, depthOrArrayLayers: layers };
  let sizeForUs: unknown = plainSize;
  const form = d.random();
  if (Array.isArray(plainSize) && form < 0.3) sizeForUs = new Uint32Array(plainSize);
  else if (Array.isArray(plainSize) && layers === 1 && form < 0.6) {
    sizeForUs = height === 1 && d.chance(0.5) ? [width] : [width, height];
  }

  let usage = d.int(1, 0x1f);
  if (d.chance(0.1)) usage = TextureUsage.RENDER_ATTACHMENT | TextureUsage.TRANSIENT_ATTACHMENT;
  else if (d.chance(0.05)) usage |= TextureUsage.TRANSIENT_ATTACHMENT;
  else if (d.chance(0.03)) usage = d.pick([0, 0x40, 0x80]);
  const mipLevelCount = d.pick([undefined, undefined, 1, 2, 3, 5, 7, 'full', 0] as const);
  const sampleCount = d.pick([undefined, undefined, 1, 1, 4, 4, 2] as const);
  const pair = srgbPairOf(format);
  const viewFormats = d.chance(0.8)
    ? undefined
    : d.pick([[format], pair ? [pair] : [format], ['rgba8unorm'], ['bgra8unorm-srgb'], []]);
  const dawn: Record<string, unknown> = { label: `t${d.int(0, 999)}`, size: plainSize, format, usage };
  if (dimension !== undefined) dawn.dimension = dimension;
  if (sampleCount !== undefined) dawn.sampleCount = sampleCount;
  if (viewFormats !== undefined) dawn.viewFormats = viewFormats;
  const ours: Record<string, unknown> = { ...dawn, size: sizeForUs };
  if (viewFormats !== undefined && d.chance(0.3)) ours.viewFormats = new Set(viewFormats);
  if (mipLevelCount !== undefined) {
    ours.mipLevelCount = mipLevelCount;
    // 'full' is ours: Dawn gets the count it stands for, computed the spec's way.
    dawn.mipLevelCount =
      mipLevelCount === 'full' ? fullChain(dimension ?? '2d', width, height, layers) : mipLevelCount;
  }

  if (d.chance(0.12)) {
    const member = d.pick([
      'usage',
      'mipLevelCount',
      'sampleCount',
      'size.width',
      'size.height',
      'dimension',
      'format',
      'label',
    ]);
    // A string is a valid label; every other wrong type is wrong everywhere.
    const [what, value] = d.pick(
      member === 'label' ? WRONG_TYPES.filter(([, v]) => typeof v !== 'string') : WRONG_TYPES,
    );
    if (member.startsWith('size.')) {
      ours.size = { width, height, depthOrArrayLayers: layers, [member.slice(5)]: value };
    } else ours[member] = value;
    return { ours, dawn: undefined, typeError: `${member}: ${what}` };
  }
  if (d.chance(0.02)) {
    ours.size = [width, height, layers, 1];
    return { ours, dawn: undefined, typeError: 'size: 4 elements (a TypeError in WebIDL; Dawn accepts it)' };
  }
  return { ours, dawn, typeError: undefined };
}

function fullChain(dimension: string, w: number, h: number, layers: number): number {
  if (dimension === '1d') return 1;
  const m = dimension === '3d' ? Math.max(w, h, layers) : Math.max(w, h);
  return m < 1 ? 1 : Math.floor(Math.log2(m)) + 1;
}

/** Generates a buffer descriptor. Large valid sizes are never mapped at creation (Dawn would allocate them). */
export function bufferCase(d: Draw, limits: GeneratorLimits): Case {
  const edge = d.chance(0.05);
  const size = edge
    ? d.pick([limits.maxBufferSize, limits.maxBufferSize + 1])
    : d.pick([0, 0, 1, 2, 3, 4, 6, 8, 16, 100, 256, 1024, 65536]);
  let usage = d.int(0, 0x3ff);
  if (d.chance(0.3))
    usage =
      d.pick([BufferUsage.MAP_READ, BufferUsage.MAP_WRITE]) | (d.int(0, 0x3ff) * (d.chance(0.5) ? 1 : 0));
  if (d.chance(0.2))
    usage = d.pick([
      BufferUsage.MAP_READ | BufferUsage.COPY_DST,
      BufferUsage.MAP_WRITE | BufferUsage.COPY_SRC,
    ]);
  if (d.chance(0.04)) usage |= d.pick([0x400, 0x800, 0x80000000]);
  const mappedAtCreation = edge ? undefined : d.pick([undefined, true, false]);
  const dawn: Record<string, unknown> = { label: `b${d.int(0, 999)}`, size, usage };
  if (mappedAtCreation !== undefined) dawn.mappedAtCreation = mappedAtCreation;
  const ours = { ...dawn };
  if (d.chance(0.12)) {
    const [what, value] = d.pick([...WRONG_TYPES, ['2^40 + bits', 2 ** 40 + BufferUsage.UNIFORM]] as const);
    const member = d.pick(['size', 'usage', 'mappedAtCreation', 'label']);
    if (member === 'label' && typeof value === 'string')
      return { ours: { ...ours, label: null }, dawn: undefined, typeError: 'label: null' };
    ours[member] = member === 'mappedAtCreation' ? d.pick([1, 'true', null, 0]) : value;
    return { ours, dawn: undefined, typeError: `${member}: ${what}` };
  }
  return { ours, dawn, typeError: undefined };
}

/** A texture of the render target pool, as the generator needs to know it. */
export interface PoolTexture {
  readonly handle: number;
  readonly format: string;
  readonly sampleCount: number;
  readonly transient: boolean;
}

/** Generates a render target over pool textures; a Dawn case names textures by handle (the test maps them). */
export function renderTargetCase(d: Draw, pool: readonly PoolTexture[], maxColorAttachments: number): Case {
  const colours = pool.filter((t) => getFormatInfo(t.format)?.aspect === 'color');
  const depths = pool.filter((t) => getFormatInfo(t.format)?.aspect !== 'color');
  const sampleCount = d.pick([1, 4]);
  // Mostly textures of one sample count, so that many cases pass the shared-sample-count rule.
  const pickColour = () => {
    const same = colours.filter((t) => t.sampleCount === sampleCount);
    return d.chance(0.85) && same.length ? d.pick(same) : d.pick(colours);
  };
  let typeError: string | undefined;
  const slots = d.chance(0.05) ? maxColorAttachments + 1 : d.pick([0, 1, 1, 1, 2, 2, 3, 4]);
  const ours: unknown[] = [];
  const dawn: unknown[] = [];
  for (let i = 0; i < slots; i++) {
    if (d.chance(0.15)) {
      ours.push(null);
      dawn.push(null);
      continue;
    }
    const texture = pickColour();
    if (d.chance(0.35)) {
      ours.push(texture.handle);
      dawn.push({ texture: texture.handle });
      continue;
    }
    const entry: Record<string, unknown> = { texture: texture.handle };
    if (d.chance(0.4)) {
      const single = colours.filter((t) => t.sampleCount === 1);
      entry.resolveTarget = d.chance(0.7)
        ? d.pick(single.filter((t) => t.format === texture.format).concat(single)).handle
        : d.pick(colours).handle;
    }
    if (d.chance(0.5)) {
      const value = d.pick<unknown>([
        [0.1, 0.2, 0.3, 1],
        { r: 1, g: 0, b: 0, a: 1 },
        [2, -1, 300, 0],
        [Number.NaN, 0, 0, 0],
        [0, Number.POSITIVE_INFINITY, 0, 0],
      ]);
      entry.clearValue = value;
    }
    ours.push({
      ...entry,
      clearValue:
        Array.isArray(entry.clearValue) && d.chance(0.3)
          ? new Float64Array(entry.clearValue as number[])
          : entry.clearValue,
    });
    dawn.push(entry);
  }
  const desc: Record<string, unknown> = { label: `rt${d.int(0, 999)}`, color: ours };
  const plain: Record<string, unknown> = { label: desc.label, color: dawn };
  if (d.chance(0.45) && depths.length) {
    const same = depths.filter((t) => t.sampleCount === sampleCount);
    const texture = d.chance(0.85) && same.length ? d.pick(same) : d.pick(depths);
    const entry: Record<string, unknown> = { texture: texture.handle };
    if (d.chance(0.4)) entry.depthClearValue = d.pick([0, 0.5, 1, 1.5, -0.25]);
    if (d.chance(0.4)) entry.stencilClearValue = d.pick([0, 1, 255, 300]);
    desc.depthStencil =
      d.chance(0.3) && entry.depthClearValue === undefined && entry.stencilClearValue === undefined
        ? texture.handle
        : entry;
    plain.depthStencil = entry;
  }
  if (d.chance(0.1)) {
    const [what, bad] = d.pick<[string, unknown]>([
      ['clearValue with 3 components', [0, 0, 0]],
      ['clearValue with 5 components', [0, 0, 0, 0, 0]],
      ["clearValue 'red'", 'red'],
      ['clearValue { r, g, b }', { r: 0, g: 0, b: 0 }],
      ['undefined slot', undefined],
      ['stencilClearValue 1.5', 1.5],
      ['depthClearValue NaN', Number.NaN],
      ['stencilClearValue -1', -1],
    ]);
    typeError = what;
    if (what === 'undefined slot') (desc.color as unknown[]).push(undefined);
    else if (what.startsWith('clearValue'))
      (desc.color as unknown[]).push({ texture: pickColour().handle, clearValue: bad });
    else desc.depthStencil = { texture: d.pick(depths).handle, [what.split(' ')[0]!]: bad };
  }
  return { ours: desc, dawn: typeError ? undefined : plain, typeError };
}
