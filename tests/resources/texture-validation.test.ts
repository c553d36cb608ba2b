import { describe, expect, it } from 'vitest';
import { type Capabilities, defaultCapabilities } from '../../src/core/capabilities.ts';
import { ValidationError } from '../../src/errors.ts';
import { normalizeTextureDescriptor, type TextureDescriptor } from '../../src/resources/texture.ts';
import { TextureUsage } from '../../src/resources/usage.ts';

const { COPY_SRC, COPY_DST, TEXTURE_BINDING, STORAGE_BINDING, RENDER_ATTACHMENT } = TextureUsage;
const SAMPLED = TEXTURE_BINDING | COPY_DST;
const RA = RENDER_ATTACHMENT;

const CORE = defaultCapabilities();
const BC = defaultCapabilities(['texture-compression-bc']);
const ETC2 = defaultCapabilities(['texture-compression-etc2']);
const ASTC = defaultCapabilities(['texture-compression-astc']);

/** A valid 2D rgba8unorm descriptor with `overrides` applied. */
function desc(overrides: Partial<TextureDescriptor> = {}): TextureDescriptor {
  return { label: 'tex', size: [64, 64], format: 'rgba8unorm', usage: SAMPLED, ...overrides };
}

interface BadCase {
  name: string;
  desc: TextureDescriptor;
  caps?: Capabilities;
  field: string;
  value: unknown;
  rule: string;
}

function catchValidation(d: TextureDescriptor, caps: Capabilities): ValidationError {
  expect(() => normalizeTextureDescriptor(d, caps)).toThrow(ValidationError);
  try {
    normalizeTextureDescriptor(d, caps);
  } catch (e) {
    if (e instanceof ValidationError) return e;
  }
  throw new Error('unreachable: the descriptor was expected to throw a ValidationError');
}

const fmt = (s: string) => s as GPUTextureFormat;

const BAD: BadCase[] = [
  // format and dimension
  {
    name: 'unknown format',
    desc: desc({ format: fmt('rgba8') }),
    field: 'format',
    value: 'rgba8',
    rule: 'is not a known GPUTextureFormat',
  },
  {
    name: 'unknown dimension',
    desc: desc({ dimension: '4d' as '2d' }),
    field: 'dimension',
    value: '4d',
    rule: "must be '1d', '2d' or '3d'",
  },
  // size: integers >= 1
  {
    name: 'width 0',
    desc: desc({ size: [0, 4] }),
    field: 'size.width',
    value: 0,
    rule: 'must be an integer >= 1',
  },
  {
    name: 'width negative',
    desc: desc({ size: [-4, 4] }),
    field: 'size.width',
    value: -4,
    rule: 'must be an integer >= 1',
  },
  {
    name: 'width NaN',
    desc: desc({ size: [Number.NaN, 4] }),
    field: 'size.width',
    value: Number.NaN,
    rule: 'must be an integer >= 1',
  },
  {
    name: 'width non-integer',
    desc: desc({ size: [1.5, 4] }),
    field: 'size.width',
    value: 1.5,
    rule: 'must be an integer >= 1',
  },
  {
    name: 'width Infinity',
    desc: desc({ size: [Number.POSITIVE_INFINITY, 4] }),
    field: 'size.width',
    value: Number.POSITIVE_INFINITY,
    rule: 'must be an integer >= 1',
  },
  {
    name: 'width as a string',
    desc: desc({ size: ['4' as unknown as number, 4] }),
    field: 'size.width',
    value: '4',
    rule: 'must be an integer >= 1',
  },
  {
    name: 'height 0 (dictionary form)',
    desc: desc({ size: { width: 4, height: 0 } }),
    field: 'size.height',
    value: 0,
    rule: 'must be an integer >= 1',
  },
  {
    name: 'layers 0',
    desc: desc({ size: [4, 4, 0] }),
    field: 'size.depthOrArrayLayers',
    value: 0,
    rule: 'must be an integer >= 1',
  },
  {
    name: 'layers non-integer',
    desc: desc({ size: { width: 4, depthOrArrayLayers: 2.5 } }),
    field: 'size.depthOrArrayLayers',
    value: 2.5,
    rule: 'must be an integer >= 1',
  },
  {
    name: 'empty size array',
    desc: desc({ size: [] }),
    field: 'size',
    value: [],
    rule: 'must have 1 to 3 elements',
  },
  {
    name: 'four-element size',
    desc: desc({ size: [1, 1, 1, 1] }),
    field: 'size',
    value: [1, 1, 1, 1],
    rule: 'must have 1 to 3 elements',
  },
  {
    name: 'size null',
    desc: desc({ size: null as unknown as number[] }),
    field: 'size',
    value: null,
    rule: 'must be a sequence',
  },
  // usage bits
  { name: 'usage 0', desc: desc({ usage: 0 }), field: 'usage', value: 0, rule: 'must not be 0' },
  {
    name: 'usage unknown bit',
    desc: desc({ usage: 0x40 | COPY_DST }),
    field: 'usage',
    value: 0x42,
    rule: 'has unknown bits; known TextureUsage bits are COPY_SRC|COPY_DST|TEXTURE_BINDING|STORAGE_BINDING|RENDER_ATTACHMENT|TRANSIENT_ATTACHMENT (0x3f)',
  },
  {
    name: 'usage non-integer',
    desc: desc({ usage: 1.5 }),
    field: 'usage',
    value: 1.5,
    rule: 'must be an integer >= 0 and <= 4294967295',
  },
  {
    name: 'usage negative',
    desc: desc({ usage: -1 }),
    field: 'usage',
    value: -1,
    rule: 'must be an integer >= 0 and <= 4294967295',
  },
  // 1D
  {
    name: '1d width over maxTextureDimension1D',
    desc: desc({ dimension: '1d', size: [8193] }),
    field: 'size.width',
    value: 8193,
    rule: 'must be <= maxTextureDimension1D (8192)',
  },
  {
    name: '1d height 2',
    desc: desc({ dimension: '1d', size: [64, 2] }),
    field: 'size.height',
    value: 2,
    rule: "must be 1 for dimension '1d'",
  },
  {
    name: '1d layers 2',
    desc: desc({ dimension: '1d', size: [64, 1, 2] }),
    field: 'size.depthOrArrayLayers',
    value: 2,
    rule: "must be 1 for dimension '1d'",
  },
  {
    name: '1d mips 2',
    desc: desc({ dimension: '1d', size: [64], mipLevelCount: 2 }),
    field: 'mipLevelCount',
    value: 2,
    rule: 'must be <= maxMipLevelCount (1) for a 1d texture of size 64x1x1',
  },
  {
    name: '1d depth format',
    desc: desc({ dimension: '1d', size: [64], format: 'depth16unorm' }),
    field: 'format',
    value: 'depth16unorm',
    rule: "depth/stencil formats cannot be used with dimension '1d'",
  },
  {
    name: '1d compressed format',
    desc: desc({ dimension: '1d', size: [64], format: 'bc1-rgba-unorm' }),
    caps: BC,
    field: 'format',
    value: 'bc1-rgba-unorm',
    rule: "compressed formats cannot be used with dimension '1d'",
  },
  {
    name: '1d render attachment',
    desc: desc({ dimension: '1d', size: [64], usage: RA }),
    field: 'usage',
    value: RA,
    rule: "must not include RENDER_ATTACHMENT for dimension '1d'",
  },
  // 2D limits
  {
    name: '2d width over maxTextureDimension2D',
    desc: desc({ size: [8193, 4] }),
    field: 'size.width',
    value: 8193,
    rule: 'must be <= maxTextureDimension2D (8192)',
  },
  {
    name: '2d height over maxTextureDimension2D',
    desc: desc({ size: [4, 8193] }),
    field: 'size.height',
    value: 8193,
    rule: 'must be <= maxTextureDimension2D (8192)',
  },
  {
    name: '2d layers over maxTextureArrayLayers',
    desc: desc({ size: [4, 4, 257] }),
    field: 'size.depthOrArrayLayers',
    value: 257,
    rule: 'must be <= maxTextureArrayLayers (256)',
  },
  {
    name: '2d width over a device limit',
    desc: desc({ size: [4097, 4] }),
    caps: defaultCapabilities([], { maxTextureDimension2D: 4096 }),
    field: 'size.width',
    value: 4097,
    rule: 'must be <= maxTextureDimension2D (4096)',
  },
  // 3D
  {
    name: '3d width over maxTextureDimension3D',
    desc: desc({ dimension: '3d', size: [2049, 4, 4] }),
    field: 'size.width',
    value: 2049,
    rule: 'must be <= maxTextureDimension3D (2048)',
  },
  {
    name: '3d height over maxTextureDimension3D',
    desc: desc({ dimension: '3d', size: [4, 2049, 4] }),
    field: 'size.height',
    value: 2049,
    rule: 'must be <= maxTextureDimension3D (2048)',
  },
  {
    name: '3d depth over maxTextureDimension3D',
    desc: desc({ dimension: '3d', size: [4, 4, 2049] }),
    field: 'size.depthOrArrayLayers',
    value: 2049,
    rule: 'must be <= maxTextureDimension3D (2048)',
  },
  {
    name: '3d depth/stencil format',
    desc: desc({ dimension: '3d', size: [4, 4, 4], format: 'depth32float' }),
    field: 'format',
    value: 'depth32float',
    rule: "depth/stencil formats cannot be used with dimension '3d'",
  },
  {
    name: '3d BC without sliced-3d',
    desc: desc({ dimension: '3d', size: [4, 4, 4], format: 'bc7-rgba-unorm' }),
    caps: BC,
    field: 'format',
    value: 'bc7-rgba-unorm',
    rule: "requires device feature 'texture-compression-bc-sliced-3d' for dimension '3d'",
  },
  {
    name: '3d ASTC without sliced-3d',
    desc: desc({ dimension: '3d', size: [4, 4, 4], format: 'astc-4x4-unorm' }),
    caps: ASTC,
    field: 'format',
    value: 'astc-4x4-unorm',
    rule: "requires device feature 'texture-compression-astc-sliced-3d' for dimension '3d'",
  },
  {
    name: '3d ETC2 ever',
    desc: desc({ dimension: '3d', size: [4, 4, 4], format: 'etc2-rgb8unorm' }),
    caps: ETC2,
    field: 'format',
    value: 'etc2-rgb8unorm',
    rule: "ETC2/EAC formats cannot be used with dimension '3d'",
  },
  // mipLevelCount
  {
    name: 'mipLevelCount 0',
    desc: desc({ mipLevelCount: 0 }),
    field: 'mipLevelCount',
    value: 0,
    rule: "must be an integer >= 1 or 'full'",
  },
  {
    name: 'mipLevelCount non-integer',
    desc: desc({ mipLevelCount: 1.5 }),
    field: 'mipLevelCount',
    value: 1.5,
    rule: "must be an integer >= 1 or 'full'",
  },
  {
    name: 'mipLevelCount bad string',
    desc: desc({ mipLevelCount: 'half' as 'full' }),
    field: 'mipLevelCount',
    value: 'half',
    rule: "must be an integer >= 1 or 'full'",
  },
  {
    name: 'mipLevelCount over the chain',
    desc: desc({ size: [256, 256], mipLevelCount: 10 }),
    field: 'mipLevelCount',
    value: 10,
    rule: 'must be <= maxMipLevelCount (9) for a 2d texture of size 256x256x1',
  },
  {
    name: 'array layers do not add mips',
    desc: desc({ size: [32, 32, 64], mipLevelCount: 7 }),
    field: 'mipLevelCount',
    value: 7,
    rule: 'must be <= maxMipLevelCount (6)',
  },
  {
    name: 'mipLevelCount huge',
    desc: desc({ size: [32, 32], mipLevelCount: 100 }),
    field: 'mipLevelCount',
    value: 100,
    rule: 'must be <= maxMipLevelCount (6)',
  },
  // sampleCount
  {
    name: 'sampleCount 2',
    desc: desc({ sampleCount: 2, usage: RA }),
    field: 'sampleCount',
    value: 2,
    rule: 'must be 1 or 4',
  },
  {
    name: 'sampleCount 8',
    desc: desc({ sampleCount: 8, usage: RA }),
    field: 'sampleCount',
    value: 8,
    rule: 'must be 1 or 4',
  },
  {
    name: 'sampleCount 0',
    desc: desc({ sampleCount: 0, usage: RA }),
    field: 'sampleCount',
    value: 0,
    rule: 'must be 1 or 4',
  },
  {
    name: 'MSAA 3d',
    desc: desc({ dimension: '3d', size: [4, 4, 1], sampleCount: 4, usage: RA }),
    field: 'dimension',
    value: '3d',
    rule: "must be '2d' when sampleCount is 4",
  },
  {
    name: 'MSAA with mips',
    desc: desc({ sampleCount: 4, mipLevelCount: 2, usage: RA }),
    field: 'mipLevelCount',
    value: 2,
    rule: 'must be 1 when sampleCount is 4',
  },
  {
    name: 'MSAA with layers',
    desc: desc({ size: [64, 64, 2], sampleCount: 4, usage: RA }),
    field: 'size.depthOrArrayLayers',
    value: 2,
    rule: 'must be 1 when sampleCount is 4',
  },
  {
    name: 'MSAA on a non-multisample format',
    desc: desc({ format: 'r32uint', sampleCount: 4, usage: RA }),
    field: 'format',
    value: 'r32uint',
    rule: 'does not support multisampling (sampleCount 4)',
  },
  {
    name: 'MSAA with STORAGE_BINDING',
    desc: desc({ sampleCount: 4, usage: RA | STORAGE_BINDING }),
    field: 'usage',
    value: RA | STORAGE_BINDING,
    rule: 'must not include STORAGE_BINDING when sampleCount is 4 (got STORAGE_BINDING|RENDER_ATTACHMENT)',
  },
  {
    name: 'MSAA without RENDER_ATTACHMENT',
    desc: desc({ sampleCount: 4, usage: TEXTURE_BINDING }),
    field: 'usage',
    value: TEXTURE_BINDING,
    rule: 'must include RENDER_ATTACHMENT when sampleCount is 4 (got TEXTURE_BINDING)',
  },
  {
    name: 'MSAA rg11b10ufloat without its feature',
    desc: desc({ format: 'rg11b10ufloat', sampleCount: 4, usage: RA }),
    field: 'format',
    value: 'rg11b10ufloat',
    rule: 'does not support multisampling',
  },
  // usage vs format
  {
    name: 'storage on a non-storage format',
    desc: desc({ format: 'rgba8unorm-srgb', usage: STORAGE_BINDING }),
    field: 'usage',
    value: STORAGE_BINDING,
    rule: "must not include STORAGE_BINDING: 'rgba8unorm-srgb' is not storage-capable",
  },
  {
    name: 'storage on bgra8unorm without bgra8unorm-storage',
    desc: desc({ format: 'bgra8unorm', usage: STORAGE_BINDING }),
    field: 'usage',
    value: STORAGE_BINDING,
    rule: "'bgra8unorm' is not storage-capable with the enabled features",
  },
  {
    name: 'storage on a depth format',
    desc: desc({ format: 'depth32float', usage: STORAGE_BINDING }),
    field: 'usage',
    value: STORAGE_BINDING,
    rule: "'depth32float' is not storage-capable",
  },
  {
    name: 'render attachment on rgb9e5ufloat',
    desc: desc({ format: 'rgb9e5ufloat', usage: RA | COPY_SRC }),
    field: 'usage',
    value: RA | COPY_SRC,
    rule: "must not include RENDER_ATTACHMENT: 'rgb9e5ufloat' is not renderable with the enabled features (got COPY_SRC|RENDER_ATTACHMENT)",
  },
  {
    name: 'render attachment on r8snorm',
    desc: desc({ format: 'r8snorm', usage: RA }),
    field: 'usage',
    value: RA,
    rule: "'r8snorm' is not renderable",
  },
  {
    name: 'render attachment on rg11b10ufloat without its feature',
    desc: desc({ format: 'rg11b10ufloat', usage: RA }),
    field: 'usage',
    value: RA,
    rule: "'rg11b10ufloat' is not renderable",
  },
  // compressed formats
  {
    name: 'BC without its feature',
    desc: desc({ format: 'bc1-rgba-unorm' }),
    field: 'format',
    value: 'bc1-rgba-unorm',
    rule: "requires device feature 'texture-compression-bc', which is not enabled",
  },
  {
    name: 'ETC2 without its feature',
    desc: desc({ format: 'etc2-rgba8unorm' }),
    field: 'format',
    value: 'etc2-rgba8unorm',
    rule: "requires device feature 'texture-compression-etc2'",
  },
  {
    name: 'ASTC without its feature',
    desc: desc({ format: 'astc-8x8-unorm' }),
    caps: BC,
    field: 'format',
    value: 'astc-8x8-unorm',
    rule: "requires device feature 'texture-compression-astc'",
  },
  {
    name: 'BC width not block-aligned',
    desc: desc({ format: 'bc1-rgba-unorm', size: [10, 8] }),
    caps: BC,
    field: 'size.width',
    value: 10,
    rule: "must be a multiple of the block width 4 of 'bc1-rgba-unorm'",
  },
  {
    name: 'BC height not block-aligned',
    desc: desc({ format: 'bc7-rgba-unorm', size: [8, 6] }),
    caps: BC,
    field: 'size.height',
    value: 6,
    rule: "must be a multiple of the block height 4 of 'bc7-rgba-unorm'",
  },
  {
    name: 'ASTC 10x8 height not block-aligned',
    desc: desc({ format: 'astc-10x8-unorm', size: [40, 12] }),
    caps: ASTC,
    field: 'size.height',
    value: 12,
    rule: "must be a multiple of the block height 8 of 'astc-10x8-unorm'",
  },
  {
    name: 'BC 1x1',
    desc: desc({ format: 'bc1-rgba-unorm', size: [1, 1] }),
    caps: BC,
    field: 'size.width',
    value: 1,
    rule: 'must be a multiple of the block width 4',
  },
  {
    name: 'compressed render attachment',
    desc: desc({ format: 'bc1-rgba-unorm', size: [8, 8], usage: RA }),
    caps: BC,
    field: 'usage',
    value: RA,
    rule: "must not include RENDER_ATTACHMENT: 'bc1-rgba-unorm' is compressed",
  },
  {
    name: 'compressed storage',
    desc: desc({ format: 'etc2-rgb8unorm', size: [8, 8], usage: STORAGE_BINDING }),
    caps: ETC2,
    field: 'usage',
    value: STORAGE_BINDING,
    rule: "must not include STORAGE_BINDING: 'etc2-rgb8unorm' is compressed",
  },
  // other feature-gated formats
  {
    name: 'depth32float-stencil8 without its feature',
    desc: desc({ format: 'depth32float-stencil8', usage: RA }),
    field: 'format',
    value: 'depth32float-stencil8',
    rule: "requires device feature 'depth32float-stencil8'",
  },
  {
    name: 'r16unorm without texture-formats-tier1',
    desc: desc({ format: 'r16unorm' }),
    field: 'format',
    value: 'r16unorm',
    rule: "requires device feature 'texture-formats-tier1'",
  },
  // filterable
  {
    name: 'filterable r32float without float32-filterable',
    desc: desc({ format: 'r32float', filterable: true }),
    field: 'format',
    value: 'r32float',
    rule: "must be filterable because filterable: true was requested (sample type 'unfilterable-float'; enable 'float32-filterable')",
  },
  {
    name: 'filterable integer format',
    desc: desc({ format: 'rgba8uint', filterable: true }),
    field: 'format',
    value: 'rgba8uint',
    rule: "sample type 'uint'",
  },
  {
    name: 'filterable depth format',
    desc: desc({ format: 'depth24plus', filterable: true }),
    field: 'format',
    value: 'depth24plus',
    rule: "sample type 'depth'",
  },
  // backend-specific support
  {
    name: 'unsupportedFormatReason',
    desc: desc({ format: 'rgba16float', usage: RA }),
    caps: {
      ...CORE,
      unsupportedFormatReason: (f, u) =>
        f === 'rgba16float' && u & RA ? 'needs EXT_color_buffer_float' : undefined,
    },
    field: 'format',
    value: 'rgba16float',
    rule: 'needs EXT_color_buffer_float',
  },
  // viewFormats
  {
    name: 'view format of another family',
    desc: desc({ viewFormats: ['bgra8unorm'] }),
    field: 'viewFormats[0]',
    value: 'bgra8unorm',
    rule: "must be 'rgba8unorm' or its sRGB pair 'rgba8unorm-srgb'",
  },
  {
    name: 'second view format bad',
    desc: desc({ viewFormats: ['rgba8unorm-srgb', 'rgba16float'] }),
    field: 'viewFormats[1]',
    value: 'rgba16float',
    rule: "must be 'rgba8unorm' or its sRGB pair",
  },
  {
    name: 'view format of a format with no pair',
    desc: desc({ format: 'r8unorm', viewFormats: ['r8snorm'] }),
    field: 'viewFormats[0]',
    value: 'r8snorm',
    rule: "must be 'r8unorm' (it has no sRGB pair)",
  },
  {
    name: 'unknown view format',
    desc: desc({ viewFormats: [fmt('srgb')] }),
    field: 'viewFormats[0]',
    value: 'srgb',
    rule: 'is not a known GPUTextureFormat',
  },
];

describe('normalizeTextureDescriptor: every rule rejects bad input', () => {
  it.each(BAD)('$name', (c) => {
    const err = catchValidation(c.desc, c.caps ?? CORE);
    expect(err.field).toBe(c.field);
    expect(err.value).toEqual(c.value);
    expect(err.rule).toContain(c.rule);
    expect(err.message).toContain(c.rule);
    expect(err.label).toBe(c.desc.label ?? '');
  });

  it('names the label, field and value in the message', () => {
    const err = catchValidation(desc({ label: 'albedo', size: [9000, 4] }), CORE);
    expect(err.message).toBe(
      "'albedo': size.width = 9000 is invalid: must be <= maxTextureDimension2D (8192)",
    );
  });

  it('reports the first broken rule only', () => {
    // Both the width and the usage are bad; size is checked first.
    const err = catchValidation(desc({ size: [0, 4], usage: 0 }), CORE);
    expect(err.field).toBe('size.width');
  });

  it('uses an empty label when none is given', () => {
    const { label: _, ...unlabelled } = desc({ format: fmt('nope') });
    const err = catchValidation(unlabelled, CORE);
    expect(err.label).toBe('');
    expect(err.message).toContain('(unlabelled resource)');
    expect(err.message).toContain('"nope"');
  });
});

describe('normalizeTextureDescriptor: valid descriptors', () => {
  it('fills defaults for a minimal descriptor', () => {
    const n = normalizeTextureDescriptor({ size: [64, 32], format: 'rgba8unorm', usage: SAMPLED }, CORE);
    expect(n).toEqual({
      label: '',
      width: 64,
      height: 32,
      depthOrArrayLayers: 1,
      format: 'rgba8unorm',
      usage: SAMPLED,
      dimension: '2d',
      mipLevelCount: 1,
      sampleCount: 1,
      viewFormats: [],
    });
    expect(Object.isFrozen(n)).toBe(true);
  });

  it("resolves mipLevelCount 'full' from the largest extent", () => {
    const n = normalizeTextureDescriptor(
      desc({ size: { width: 512, height: 64 }, mipLevelCount: 'full' }),
      CORE,
    );
    expect(n).toMatchObject({ width: 512, height: 64, depthOrArrayLayers: 1, mipLevelCount: 10 });
    const v = normalizeTextureDescriptor(
      desc({ dimension: '3d', size: [4, 4, 64], mipLevelCount: 'full' }),
      CORE,
    );
    expect(v.mipLevelCount).toBe(7);
  });

  it('accepts the dictionary size with defaults and a 1-element array', () => {
    expect(normalizeTextureDescriptor(desc({ size: { width: 7 } }), CORE)).toMatchObject({
      width: 7,
      height: 1,
      depthOrArrayLayers: 1,
    });
    expect(normalizeTextureDescriptor(desc({ dimension: '1d', size: [8192] }), CORE)).toMatchObject({
      dimension: '1d',
      width: 8192,
      height: 1,
    });
  });

  it('accepts sizes exactly at the limits', () => {
    expect(normalizeTextureDescriptor(desc({ size: [8192, 8192, 256] }), CORE).depthOrArrayLayers).toBe(256);
    expect(normalizeTextureDescriptor(desc({ dimension: '3d', size: [2048, 2048, 2048] }), CORE).width).toBe(
      2048,
    );
  });

  it('accepts a 4x MSAA color and depth target', () => {
    const color = normalizeTextureDescriptor(desc({ size: [1920, 1080], sampleCount: 4, usage: RA }), CORE);
    expect(color).toMatchObject({ sampleCount: 4, mipLevelCount: 1, usage: RA });
    const depth = normalizeTextureDescriptor(
      desc({ format: 'depth24plus-stencil8', sampleCount: 4, usage: RA }),
      CORE,
    );
    expect(depth.format).toBe('depth24plus-stencil8');
  });

  it('accepts formats and usages that a feature unlocks', () => {
    const rg11 = defaultCapabilities(['rg11b10ufloat-renderable']);
    expect(
      normalizeTextureDescriptor(desc({ format: 'rg11b10ufloat', sampleCount: 4, usage: RA }), rg11)
        .sampleCount,
    ).toBe(4);
    const bgra = defaultCapabilities(['bgra8unorm-storage']);
    expect(
      normalizeTextureDescriptor(desc({ format: 'bgra8unorm', usage: STORAGE_BINDING }), bgra).usage,
    ).toBe(STORAGE_BINDING);
    const tier1 = defaultCapabilities(['texture-formats-tier1']);
    expect(normalizeTextureDescriptor(desc({ format: 'r16unorm', usage: RA | SAMPLED }), tier1).format).toBe(
      'r16unorm',
    );
    expect(
      normalizeTextureDescriptor(desc({ format: 'r8unorm', usage: STORAGE_BINDING }), tier1).format,
    ).toBe('r8unorm');
    const filterable = defaultCapabilities(['float32-filterable']);
    expect(
      normalizeTextureDescriptor(desc({ format: 'rgba32float', filterable: true }), filterable).format,
    ).toBe('rgba32float');
    const d32s8 = defaultCapabilities(['depth32float-stencil8']);
    expect(
      normalizeTextureDescriptor(desc({ format: 'depth32float-stencil8', usage: RA }), d32s8).usage,
    ).toBe(RA);
  });

  it('accepts block-aligned compressed textures with mips down to 1x1', () => {
    const bc = normalizeTextureDescriptor(
      desc({ format: 'bc7-rgba-unorm', size: [256, 128], mipLevelCount: 'full' }),
      BC,
    );
    expect(bc.mipLevelCount).toBe(9);
    const astc = normalizeTextureDescriptor(desc({ format: 'astc-10x8-unorm', size: [40, 40] }), ASTC);
    expect([astc.width, astc.height]).toEqual([40, 40]);
    const etc = normalizeTextureDescriptor(desc({ format: 'eac-rg11snorm', size: [8, 8, 6] }), ETC2);
    expect(etc.depthOrArrayLayers).toBe(6);
  });

  it('accepts sliced 3D BC and ASTC with their features', () => {
    const bc3d = defaultCapabilities(['texture-compression-bc', 'texture-compression-bc-sliced-3d']);
    const a = normalizeTextureDescriptor(
      desc({ format: 'bc1-rgba-unorm', dimension: '3d', size: [16, 16, 4] }),
      bc3d,
    );
    expect(a.dimension).toBe('3d');
    const astc3d = defaultCapabilities(['texture-compression-astc', 'texture-compression-astc-sliced-3d']);
    const b = normalizeTextureDescriptor(
      desc({ format: 'astc-4x4-unorm', dimension: '3d', size: [8, 8, 2] }),
      astc3d,
    );
    expect(b.depthOrArrayLayers).toBe(2);
  });

  it('accepts a 3D render attachment and filterable float formats', () => {
    const n = normalizeTextureDescriptor(
      desc({ dimension: '3d', size: [16, 16, 16], usage: RA, filterable: true }),
      CORE,
    );
    expect(n).toMatchObject({ dimension: '3d', usage: RA });
  });

  it('keeps sRGB view formats and copies the array', () => {
    const views: GPUTextureFormat[] = ['rgba8unorm-srgb', 'rgba8unorm'];
    const n = normalizeTextureDescriptor(desc({ viewFormats: views }), CORE);
    expect(n.viewFormats).toEqual(['rgba8unorm-srgb', 'rgba8unorm']);
    expect(n.viewFormats).not.toBe(views);
    const bc = normalizeTextureDescriptor(
      desc({ format: 'bc1-rgba-unorm-srgb', size: [4, 4], viewFormats: ['bc1-rgba-unorm'] }),
      BC,
    );
    expect(bc.viewFormats).toEqual(['bc1-rgba-unorm']);
  });

  it('passes the usage to unsupportedFormatReason and accepts when it returns undefined', () => {
    const seen: [string, number][] = [];
    const caps: Capabilities = {
      ...CORE,
      unsupportedFormatReason: (format, usage) => {
        seen.push([format, usage]);
        return undefined;
      },
    };
    normalizeTextureDescriptor(desc({ format: 'rgba16float', usage: COPY_SRC | TEXTURE_BINDING }), caps);
    expect(seen).toEqual([['rgba16float', COPY_SRC | TEXTURE_BINDING]]);
  });
});
