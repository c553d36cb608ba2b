import { describe, expect, it } from 'vitest';
import {
  ALL_TEXTURE_FORMATS,
  getFormatInfo,
  isBlendable,
  isColorRenderable,
  isFilterable,
  isResolvable,
  isStorageCapable,
  srgbPairOf,
  supportsMultisample,
  type TextureFormatInfo,
} from '../../src/resources/formats.ts';

/** Every GPUTextureFormat of @webgpu/types 0.1.74, copied by hand from its index.d.ts. */
const EXPECTED_FORMATS = [
  'r8unorm',
  'r8snorm',
  'r8uint',
  'r8sint',
  'r16unorm',
  'r16snorm',
  'r16uint',
  'r16sint',
  'r16float',
  'rg8unorm',
  'rg8snorm',
  'rg8uint',
  'rg8sint',
  'r32uint',
  'r32sint',
  'r32float',
  'rg16unorm',
  'rg16snorm',
  'rg16uint',
  'rg16sint',
  'rg16float',
  'rgba8unorm',
  'rgba8unorm-srgb',
  'rgba8snorm',
  'rgba8uint',
  'rgba8sint',
  'bgra8unorm',
  'bgra8unorm-srgb',
  'rgb9e5ufloat',
  'rgb10a2uint',
  'rgb10a2unorm',
  'rg11b10ufloat',
  'rg32uint',
  'rg32sint',
  'rg32float',
  'rgba16unorm',
  'rgba16snorm',
  'rgba16uint',
  'rgba16sint',
  'rgba16float',
  'rgba32uint',
  'rgba32sint',
  'rgba32float',
  'stencil8',
  'depth16unorm',
  'depth24plus',
  'depth24plus-stencil8',
  'depth32float',
  'depth32float-stencil8',
  'bc1-rgba-unorm',
  'bc1-rgba-unorm-srgb',
  'bc2-rgba-unorm',
  'bc2-rgba-unorm-srgb',
  'bc3-rgba-unorm',
  'bc3-rgba-unorm-srgb',
  'bc4-r-unorm',
  'bc4-r-snorm',
  'bc5-rg-unorm',
  'bc5-rg-snorm',
  'bc6h-rgb-ufloat',
  'bc6h-rgb-float',
  'bc7-rgba-unorm',
  'bc7-rgba-unorm-srgb',
  'etc2-rgb8unorm',
  'etc2-rgb8unorm-srgb',
  'etc2-rgb8a1unorm',
  'etc2-rgb8a1unorm-srgb',
  'etc2-rgba8unorm',
  'etc2-rgba8unorm-srgb',
  'eac-r11unorm',
  'eac-r11snorm',
  'eac-rg11unorm',
  'eac-rg11snorm',
  'astc-4x4-unorm',
  'astc-4x4-unorm-srgb',
  'astc-5x4-unorm',
  'astc-5x4-unorm-srgb',
  'astc-5x5-unorm',
  'astc-5x5-unorm-srgb',
  'astc-6x5-unorm',
  'astc-6x5-unorm-srgb',
  'astc-6x6-unorm',
  'astc-6x6-unorm-srgb',
  'astc-8x5-unorm',
  'astc-8x5-unorm-srgb',
  'astc-8x6-unorm',
  'astc-8x6-unorm-srgb',
  'astc-8x8-unorm',
  'astc-8x8-unorm-srgb',
  'astc-10x5-unorm',
  'astc-10x5-unorm-srgb',
  'astc-10x6-unorm',
  'astc-10x6-unorm-srgb',
  'astc-10x8-unorm',
  'astc-10x8-unorm-srgb',
  'astc-10x10-unorm',
  'astc-10x10-unorm-srgb',
  'astc-12x10-unorm',
  'astc-12x10-unorm-srgb',
  'astc-12x12-unorm',
  'astc-12x12-unorm-srgb',
] as const satisfies readonly GPUTextureFormat[];

// Type-level guard: if @webgpu/types gains a format, this line stops compiling until the list (and the table)
// is updated.
type MissingFromList = Exclude<GPUTextureFormat, (typeof EXPECTED_FORMATS)[number]>;
const listIsExhaustive: [MissingFromList] extends [never] ? true : MissingFromList = true;

const NONE: ReadonlySet<string> = new Set();
const info = (format: string): TextureFormatInfo => {
  const found = getFormatInfo(format);
  if (!found) throw new Error(`no format info for ${format}`);
  return found;
};

describe('format table coverage', () => {
  it('has an entry for every GPUTextureFormat and nothing else', () => {
    expect(listIsExhaustive).toBe(true);
    expect(EXPECTED_FORMATS).toHaveLength(101);
    expect([...ALL_TEXTURE_FORMATS].sort()).toEqual([...EXPECTED_FORMATS].sort());
    for (const format of EXPECTED_FORMATS) expect(getFormatInfo(format)?.format).toBe(format);
  });

  it('returns undefined for strings that are not formats', () => {
    expect(getFormatInfo('rgba8')).toBeUndefined();
    expect(getFormatInfo('')).toBeUndefined();
    expect(getFormatInfo('RGBA8UNORM')).toBeUndefined();
  });

  it('gives every row a consistent shape', () => {
    for (const f of ALL_TEXTURE_FORMATS) {
      const i = info(f);
      expect(i.bytesPerBlock).toBeGreaterThan(0);
      expect(i.srgb).toBe(f.endsWith('-srgb'));
      expect(i.compressed).toBe(i.blockWidth > 1);
      // Only color formats have a render-target byte cost, and only ones that can be renderable.
      if (i.colorRenderable) expect(i.renderTargetPixelByteCost).toBeGreaterThan(0);
      if (i.aspect !== 'color') expect(i.renderTargetPixelByteCost).toBeUndefined();
      if (i.compressed) expect(i.requiredFeature).toMatch(/^texture-compression-(bc|etc2|astc)$/);
    }
  });
});

describe('block sizes and bytes', () => {
  it.each([
    ['r8unorm', 1, 1, 1],
    ['rgba8unorm', 1, 1, 4],
    ['rgba16float', 1, 1, 8],
    ['rgba32float', 1, 1, 16],
    ['rgb10a2uint', 1, 1, 4],
    ['rg11b10ufloat', 1, 1, 4],
    ['rgb9e5ufloat', 1, 1, 4],
    ['r16unorm', 1, 1, 2],
    ['bc1-rgba-unorm', 4, 4, 8],
    ['bc4-r-snorm', 4, 4, 8],
    ['bc5-rg-unorm', 4, 4, 16],
    ['bc7-rgba-unorm-srgb', 4, 4, 16],
    ['etc2-rgb8unorm', 4, 4, 8],
    ['etc2-rgb8a1unorm', 4, 4, 8],
    ['etc2-rgba8unorm', 4, 4, 16],
    ['eac-r11snorm', 4, 4, 8],
    ['eac-rg11unorm', 4, 4, 16],
    ['astc-4x4-unorm', 4, 4, 16],
    ['astc-5x4-unorm', 5, 4, 16],
    ['astc-10x8-unorm-srgb', 10, 8, 16],
    ['astc-12x10-unorm', 12, 10, 16],
    ['astc-12x12-unorm-srgb', 12, 12, 16],
  ] as const)('%s: %ix%i block of %i bytes', (format, bw, bh, bytes) => {
    const i = info(format);
    expect([i.blockWidth, i.blockHeight, i.bytesPerBlock]).toEqual([bw, bh, bytes]);
  });

  it.each([
    ['stencil8', 1, 'stencil', 'uint'],
    ['depth16unorm', 2, 'depth', 'depth'],
    ['depth24plus', 4, 'depth', 'depth'],
    ['depth24plus-stencil8', 4, 'depth-stencil', 'depth'],
    ['depth32float', 4, 'depth', 'depth'],
    ['depth32float-stencil8', 5, 'depth-stencil', 'depth'],
  ] as const)('%s costs %i bytes per texel (aspect %s)', (format, bytes, aspect, sampleType) => {
    const i = info(format);
    expect(i.bytesPerBlock).toBe(bytes);
    expect(i.aspect).toBe(aspect);
    expect(i.sampleType).toBe(sampleType);
    expect(i.multisample).toBe(true);
    expect(i.colorRenderable).toBe(false);
    expect(i.storage).toBe(false);
  });

  it('depth32float-stencil8 is the only depth format behind a feature', () => {
    expect(info('depth32float-stencil8').requiredFeature).toBe('depth32float-stencil8');
    expect(info('depth24plus-stencil8').requiredFeature).toBeUndefined();
  });
});

describe('render target byte cost (spec table)', () => {
  it.each([
    ['r8unorm', 1, 1],
    ['rg8uint', 2, 1],
    ['rgba8unorm', 8, 1],
    ['rgba8unorm-srgb', 8, 1],
    ['rgba8uint', 4, 1],
    ['bgra8unorm', 8, 1],
    ['r16float', 2, 2],
    ['rg16sint', 4, 2],
    ['rgba16float', 8, 2],
    ['r32float', 4, 4],
    ['rg32uint', 8, 4],
    ['rgba32float', 16, 4],
    ['rgb10a2unorm', 8, 4],
    ['rg11b10ufloat', 8, 4],
  ] as const)('%s: cost %i, alignment %i', (format, cost, alignment) => {
    const i = info(format);
    expect(i.renderTargetPixelByteCost).toBe(cost);
    expect(i.renderTargetComponentAlignment).toBe(alignment);
  });
});

describe('core capabilities', () => {
  it('marks the classic cases', () => {
    expect(info('rgba8unorm')).toMatchObject({ colorRenderable: true, blendable: true, storage: true });
    expect(info('rgba8unorm-srgb').storage).toBe(false);
    expect(info('r32uint')).toMatchObject({ multisample: false, storage: true, blendable: false });
    expect(info('r32float')).toMatchObject({ multisample: true, sampleType: 'unfilterable-float' });
    expect(info('rgba32float').multisample).toBe(false);
    expect(info('rgb9e5ufloat')).toMatchObject({
      colorRenderable: false,
      multisample: false,
      storage: false,
    });
    expect(info('rgba16float')).toMatchObject({ resolvable: true, storage: true });
    expect(info('r8uint')).toMatchObject({ multisample: true, resolvable: false, blendable: false });
    expect(info('bc1-rgba-unorm')).toMatchObject({
      compressed: true,
      sampleType: 'float',
      colorRenderable: false,
    });
    expect(info('r16unorm').requiredFeature).toBe('texture-formats-tier1');
  });

  it('pairs sRGB and linear formats', () => {
    expect(srgbPairOf('rgba8unorm')).toBe('rgba8unorm-srgb');
    expect(srgbPairOf('bgra8unorm-srgb')).toBe('bgra8unorm');
    expect(srgbPairOf('bc7-rgba-unorm')).toBe('bc7-rgba-unorm-srgb');
    expect(srgbPairOf('astc-10x8-unorm-srgb')).toBe('astc-10x8-unorm');
    expect(srgbPairOf('etc2-rgb8a1unorm')).toBe('etc2-rgb8a1unorm-srgb');
    expect(srgbPairOf('r8unorm')).toBeUndefined();
    expect(srgbPairOf('bc4-r-unorm')).toBeUndefined();
  });
});

describe('feature-gated capabilities', () => {
  it('float32-filterable makes the 32-bit float formats filterable', () => {
    const f = new Set(['float32-filterable']);
    for (const format of ['r32float', 'rg32float', 'rgba32float']) {
      expect(isFilterable(info(format), NONE)).toBe(false);
      expect(isFilterable(info(format), f)).toBe(true);
    }
    expect(isFilterable(info('r32uint'), f)).toBe(false);
    expect(isFilterable(info('depth32float'), f)).toBe(false);
    expect(isFilterable(info('rgba8unorm'), NONE)).toBe(true);
    expect(isFilterable(info('bc1-rgba-unorm'), NONE)).toBe(true);
  });

  it('rg11b10ufloat-renderable makes rg11b10ufloat renderable, multisampled, resolvable, blendable', () => {
    const rg11 = info('rg11b10ufloat');
    const f = new Set(['rg11b10ufloat-renderable']);
    expect([isColorRenderable(rg11, NONE), supportsMultisample(rg11, NONE)]).toEqual([false, false]);
    expect([isColorRenderable(rg11, f), supportsMultisample(rg11, f)]).toEqual([true, true]);
    expect([isResolvable(rg11, f), isBlendable(rg11, f)]).toEqual([true, true]);
    // The feature is specific: it does not touch other formats.
    expect(isColorRenderable(info('r8snorm'), f)).toBe(false);
  });

  it('bgra8unorm-storage makes only bgra8unorm storage-capable', () => {
    const f = new Set(['bgra8unorm-storage']);
    expect(isStorageCapable(info('bgra8unorm'), NONE)).toBe(false);
    expect(isStorageCapable(info('bgra8unorm'), f)).toBe(true);
    expect(isStorageCapable(info('bgra8unorm-srgb'), f)).toBe(false);
  });

  it('float32-blendable makes the 32-bit float formats blendable', () => {
    const f = new Set(['float32-blendable']);
    expect(isBlendable(info('rgba32float'), NONE)).toBe(false);
    expect(isBlendable(info('rgba32float'), f)).toBe(true);
    expect(isBlendable(info('r32float'), f)).toBe(true);
    expect(isBlendable(info('r32uint'), f)).toBe(false);
  });

  it('texture-formats-tier1 extends snorm8 rendering and 8/16-bit storage', () => {
    const t1 = new Set(['texture-formats-tier1']);
    expect(isColorRenderable(info('rgba8snorm'), NONE)).toBe(false);
    expect(isColorRenderable(info('rgba8snorm'), t1)).toBe(true);
    expect(supportsMultisample(info('r8snorm'), t1)).toBe(true);
    expect(isStorageCapable(info('r8unorm'), NONE)).toBe(false);
    expect(isStorageCapable(info('r8unorm'), t1)).toBe(true);
    expect(isStorageCapable(info('rgba8unorm-srgb'), t1)).toBe(false);
  });

  it('core answers do not depend on features', () => {
    expect(isColorRenderable(info('rgba8unorm'), NONE)).toBe(true);
    expect(isColorRenderable(info('depth24plus'), NONE)).toBe(false);
    expect(supportsMultisample(info('depth24plus'), NONE)).toBe(true);
    expect(supportsMultisample(info('rgba32uint'), NONE)).toBe(false);
    expect(isStorageCapable(info('rgba8unorm'), NONE)).toBe(true);
  });
});
