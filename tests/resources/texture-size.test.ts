import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.ts';
import {
  maxMipLevelCount,
  mipLevelExtent,
  type TextureDimension,
  textureByteSize,
} from '../../src/resources/texture-size.ts';

interface Case {
  name: string;
  format: string;
  size: readonly [number, number, number];
  dimension?: TextureDimension;
  mips?: number;
  samples?: number;
  /** Computed by hand; the arithmetic is in `name` or the comment beside it. */
  bytes: number;
}

// Each expected value is a literal worked out by hand (texels or blocks per level, summed, times bytes).
const CASES: Case[] = [
  // 256²+128²+64²+32²+16²+8²+4²+2²+1² = 87381 texels * 4 B
  { name: 'rgba8unorm 256x256 full mips', format: 'rgba8unorm', size: [256, 256, 1], mips: 9, bytes: 349524 },
  {
    name: 'rgba8unorm 256x256 one level: 65536 * 4',
    format: 'rgba8unorm',
    size: [256, 256, 1],
    bytes: 262144,
  },
  // 65536 + 16384 + 4096 = 86016 texels * 4
  {
    name: 'rgba8unorm 256x256 3 of 9 mips',
    format: 'rgba8unorm',
    size: [256, 256, 1],
    mips: 3,
    bytes: 344064,
  },
  { name: 'rgba8unorm 1x1', format: 'rgba8unorm', size: [1, 1, 1], bytes: 4 },
  // 1920*1080 = 2073600 texels * 4 B = 8294400; * 4 samples (not 16)
  {
    name: 'rgba8unorm 1920x1080 4x MSAA',
    format: 'rgba8unorm',
    size: [1920, 1080, 1],
    samples: 4,
    bytes: 33177600,
  },
  { name: 'rgba8unorm 1920x1080 single sample', format: 'rgba8unorm', size: [1920, 1080, 1], bytes: 8294400 },
  // 512x64 32768, 256x32 8192, 128x16 2048, 64x8 512, 32x4 128, 16x2 32, 8x1 8, 4x1 4, 2x1 2, 1x1 1 = 43695 * 4
  {
    name: 'rgba8unorm 512x64 full (10 levels)',
    format: 'rgba8unorm',
    size: [512, 64, 1],
    mips: 10,
    bytes: 174780,
  },
  // 300x200 60000, 150x100 15000, 75x50 3750, 37x25 925, 18x12 216, 9x6 54, 4x3 12, 2x1 2, 1x1 1 = 79960 * 4
  {
    name: 'rgba8unorm 300x200 full (9 levels)',
    format: 'rgba8unorm',
    size: [300, 200, 1],
    mips: 9,
    bytes: 319840,
  },
  // per layer 4096+1024+256+64+16+4+1 = 5461; * 6 layers = 32766 * 4
  {
    name: 'rgba8unorm 64x64x6 array full mips',
    format: 'rgba8unorm',
    size: [64, 64, 6],
    mips: 7,
    bytes: 131064,
  },
  // 256 texels * 256 layers = 65536 * 16 B
  { name: 'rgba32float 16x16x256 array', format: 'rgba32float', size: [16, 16, 256], bytes: 1048576 },
  // 32³ 32768 + 16³ 4096 + 8³ 512 + 4³ 64 + 2³ 8 + 1 = 37449 * 4
  {
    name: 'rgba8unorm 3D 32x32x32 full mips',
    format: 'rgba8unorm',
    size: [32, 32, 32],
    dimension: '3d',
    mips: 6,
    bytes: 149796,
  },
  // 32x32x8 8192, 16x16x4 1024, 8x8x2 128, 4x4x1 16, 2x2x1 4, 1x1x1 1 = 9365 * 1
  {
    name: 'r8unorm 3D 32x32x8 full mips',
    format: 'r8unorm',
    size: [32, 32, 8],
    dimension: '3d',
    mips: 6,
    bytes: 9365,
  },
  // 64x16x4 4096, 32x8x2 512, 16x4x1 64, 8x2x1 16, 4x1x1 4, 2x1x1 2, 1x1x1 1 = 4695 * 4
  {
    name: 'r32float 3D 64x16x4 full mips',
    format: 'r32float',
    size: [64, 16, 4],
    dimension: '3d',
    mips: 7,
    bytes: 18780,
  },
  { name: 'r8unorm 1D 256', format: 'r8unorm', size: [256, 1, 1], dimension: '1d', bytes: 256 },
  { name: 'r8unorm 1D 1', format: 'r8unorm', size: [1, 1, 1], dimension: '1d', bytes: 1 },
  {
    name: 'rgba32float 1D 4096: 4096 * 16',
    format: 'rgba32float',
    size: [4096, 1, 1],
    dimension: '1d',
    bytes: 65536,
  },
  // 1024+512+...+1 = 2047 texels * 2 B
  { name: 'r16float 1024x1 full (11 levels)', format: 'r16float', size: [1024, 1, 1], mips: 11, bytes: 4094 },
  {
    name: 'rgba16float 1920x1080: 2073600 * 8',
    format: 'rgba16float',
    size: [1920, 1080, 1],
    bytes: 16588800,
  },
  // 16384+4096+1024+256+64+16+4+1 = 21845 * 8
  {
    name: 'rgba16float 128x128 full mips',
    format: 'rgba16float',
    size: [128, 128, 1],
    mips: 8,
    bytes: 174760,
  },
  { name: 'rg11b10ufloat 640x480: 307200 * 4', format: 'rg11b10ufloat', size: [640, 480, 1], bytes: 1228800 },
  // 480000 texels * 4 B * 4 samples
  {
    name: 'bgra8unorm 800x600 4x MSAA',
    format: 'bgra8unorm',
    size: [800, 600, 1],
    samples: 4,
    bytes: 7680000,
  },
  // BC1 16x16: 4x4=16 blocks, 8x8: 2x2=4, 4x4: 1, 2x2: 1 (whole block), 1x1: 1 = 23 blocks * 8 B
  { name: 'bc1 16x16 full mips', format: 'bc1-rgba-unorm', size: [16, 16, 1], mips: 5, bytes: 184 },
  // same 23 blocks * 16 B
  { name: 'bc7 16x16 full mips', format: 'bc7-rgba-unorm', size: [16, 16, 1], mips: 5, bytes: 368 },
  { name: 'bc1 256x256: 64*64 blocks * 8', format: 'bc1-rgba-unorm', size: [256, 256, 1], bytes: 32768 },
  // 16x16=256, 8x8=64, 4x4=16, 2x2=4, then 1 block each for 4x4, 2x2, 1x1 texels = 343 blocks * 16
  { name: 'bc7 64x64 full mips', format: 'bc7-rgba-unorm-srgb', size: [64, 64, 1], mips: 7, bytes: 5488 },
  // 12x8: 3x2=6, 6x4: 2x1=2, 3x2: 1, 1x1: 1 = 10 blocks * 8
  { name: 'bc1 12x8 full (4 levels)', format: 'bc1-rgba-unorm', size: [12, 8, 1], mips: 4, bytes: 80 },
  // per layer 8x8: 4 blocks, 4x4: 1, 2x2: 1, 1x1: 1 = 7; * 6 layers = 42 * 8
  { name: 'bc1 8x8x6 array full mips', format: 'bc1-rgba-unorm', size: [8, 8, 6], mips: 4, bytes: 336 },
  // 8x8x4: 2x2 blocks * 4 slices = 16, 4x4x2: 1 * 2 = 2, 2x2x1: 1, 1x1x1: 1 = 20 * 16
  {
    name: 'bc7 sliced 3D 8x8x4 full mips',
    format: 'bc7-rgba-unorm',
    size: [8, 8, 4],
    dimension: '3d',
    mips: 4,
    bytes: 320,
  },
  { name: 'astc-10x8 40x40: 4x5 blocks * 16', format: 'astc-10x8-unorm', size: [40, 40, 1], bytes: 320 },
  // 40x40: 4x5=20, 20x20: 2x3=6, 10x10: 1x2=2, 5x5: 1, 2x2: 1, 1x1: 1 = 31 blocks * 16
  {
    name: 'astc-10x8 40x40 full (6 levels)',
    format: 'astc-10x8-unorm',
    size: [40, 40, 1],
    mips: 6,
    bytes: 496,
  },
  { name: 'astc-12x12 24x24: 2x2 blocks * 16', format: 'astc-12x12-unorm', size: [24, 24, 1], bytes: 64 },
  // 8x8: 2x2=4, 4x4: 1, 2x2: 1, 1x1: 1 = 7 * 16
  { name: 'astc-4x4 8x8 full mips', format: 'astc-4x4-unorm-srgb', size: [8, 8, 1], mips: 4, bytes: 112 },
  { name: 'etc2-rgb8unorm 64x32: 16x8 blocks * 8', format: 'etc2-rgb8unorm', size: [64, 32, 1], bytes: 1024 },
  // 64x32: 128, 32x16: 32, 16x8: 8, 8x4: 2, 4x2: 1, 2x1: 1, 1x1: 1 = 173 blocks * 8
  {
    name: 'etc2-rgb8unorm 64x32 full mips',
    format: 'etc2-rgb8unorm',
    size: [64, 32, 1],
    mips: 7,
    bytes: 1384,
  },
  { name: 'etc2-rgba8unorm 16x16: 16 blocks * 16', format: 'etc2-rgba8unorm', size: [16, 16, 1], bytes: 256 },
  { name: 'eac-r11unorm 4x4: one 8-byte block', format: 'eac-r11unorm', size: [4, 4, 1], bytes: 8 },
  // 2073600 texels * 4 B (packed D24S8)
  {
    name: 'depth24plus-stencil8 1920x1080',
    format: 'depth24plus-stencil8',
    size: [1920, 1080, 1],
    bytes: 8294400,
  },
  {
    name: 'depth24plus-stencil8 1920x1080 4x MSAA',
    format: 'depth24plus-stencil8',
    size: [1920, 1080, 1],
    samples: 4,
    bytes: 33177600,
  },
  // 1048576 texels * (4 B depth + 1 B stencil)
  {
    name: 'depth32float-stencil8 1024x1024',
    format: 'depth32float-stencil8',
    size: [1024, 1024, 1],
    bytes: 5242880,
  },
  // 480000 * 5 = 2400000 * 4 samples
  {
    name: 'depth32float-stencil8 800x600 4x MSAA',
    format: 'depth32float-stencil8',
    size: [800, 600, 1],
    samples: 4,
    bytes: 9600000,
  },
  { name: 'depth16unorm 512x512: 262144 * 2', format: 'depth16unorm', size: [512, 512, 1], bytes: 524288 },
  { name: 'depth24plus 640x480: 307200 * 4', format: 'depth24plus', size: [640, 480, 1], bytes: 1228800 },
  { name: 'stencil8 100x100', format: 'stencil8', size: [100, 100, 1], bytes: 10000 },
  // 5461 texels * 4
  { name: 'depth32float 64x64 full mips', format: 'depth32float', size: [64, 64, 1], mips: 7, bytes: 21844 },
];

describe('textureByteSize: hand-computed table', () => {
  it('has at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES)('$name = $bytes', (c) => {
    const [width, height, depthOrArrayLayers] = c.size;
    const bytes = textureByteSize({
      format: c.format,
      width,
      height,
      depthOrArrayLayers,
      dimension: c.dimension ?? '2d',
      mipLevelCount: c.mips ?? 1,
      sampleCount: c.samples ?? 1,
    });
    expect(bytes).toBe(c.bytes);
  });

  it('rejects an unknown format', () => {
    const input = {
      width: 4,
      height: 4,
      depthOrArrayLayers: 1,
      dimension: '2d',
      mipLevelCount: 1,
      sampleCount: 1,
    } as const;
    expect(() => textureByteSize({ ...input, format: 'rgba9unorm' })).toThrow(ValidationError);
  });
});

describe('mipLevelExtent', () => {
  it.each([
    ['2d', [512, 64, 6], 0, { width: 512, height: 64, depthOrArrayLayers: 6 }],
    ['2d', [512, 64, 6], 7, { width: 4, height: 1, depthOrArrayLayers: 6 }],
    ['2d', [512, 64, 6], 9, { width: 1, height: 1, depthOrArrayLayers: 6 }],
    ['2d', [300, 200, 1], 3, { width: 37, height: 25, depthOrArrayLayers: 1 }],
    ['3d', [32, 32, 8], 2, { width: 8, height: 8, depthOrArrayLayers: 2 }],
    ['3d', [32, 32, 8], 4, { width: 2, height: 2, depthOrArrayLayers: 1 }],
    ['1d', [100, 1, 1], 3, { width: 12, height: 1, depthOrArrayLayers: 1 }],
    // Shifts by 32 or more would wrap with `>>`; the extent must still clamp to 1.
    ['2d', [8192, 8192, 1], 40, { width: 1, height: 1, depthOrArrayLayers: 1 }],
  ] as const)('%s %j level %i', (dimension, [w, h, d], level, expected) => {
    expect(mipLevelExtent(dimension, w, h, d, level)).toEqual(expected);
  });
});

describe('maxMipLevelCount', () => {
  it.each([
    ['1d', [8192, 1, 1], 1],
    ['2d', [1, 1, 1], 1],
    ['2d', [256, 256, 1], 9],
    ['2d', [512, 64, 1], 10],
    ['2d', [31, 32, 1], 6],
    ['2d', [31, 31, 1], 5],
    ['2d', [32, 32, 64], 6], // array layers do not count
    ['3d', [32, 32, 64], 7], // 3D depth does
    ['3d', [4, 4, 64], 7],
    ['2d', [8192, 8192, 1], 14],
    ['2d', [2 ** 40, 1, 1], 41],
  ] as const)('%s %j -> %i', (dimension, [w, h, d], expected) => {
    expect(maxMipLevelCount(dimension, w, h, d)).toBe(expected);
  });
});

describe('textureByteSize: properties', () => {
  // An independent, deliberately naive model: halve with integer division, multiply, add.
  function naiveRgba8(width: number, height: number, layers: number, mips: number): number {
    let total = 0;
    let w = width;
    let h = height;
    for (let level = 0; level < mips; level++) {
      total += w * h * layers * 4;
      w = Math.max(1, Math.trunc(w / 2));
      h = Math.max(1, Math.trunc(h / 2));
    }
    return total;
  }

  const texture = fc
    .record({
      width: fc.integer({ min: 1, max: 2048 }),
      height: fc.integer({ min: 1, max: 2048 }),
      layers: fc.integer({ min: 1, max: 8 }),
      mipFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ width, height, layers, mipFraction }) => {
      const max = maxMipLevelCount('2d', width, height, layers);
      const mips = 1 + Math.min(max - 1, Math.floor(mipFraction * max));
      return { width, height, layers, mips };
    });

  it('rgba8unorm 2D equals the naive per-level sum, and 4x MSAA is exactly 4x', () => {
    fc.assert(
      fc.property(texture, ({ width, height, layers, mips }) => {
        const base = {
          format: 'rgba8unorm',
          width,
          height,
          depthOrArrayLayers: layers,
          dimension: '2d',
          mipLevelCount: mips,
        } as const;
        const single = textureByteSize({ ...base, sampleCount: 1 });
        expect(single).toBe(naiveRgba8(width, height, layers, mips));
        expect(textureByteSize({ ...base, sampleCount: 4 })).toBe(4 * single);
        // A valid MSAA texture has one level and one layer: check that shape too.
        const flat = { ...base, depthOrArrayLayers: 1, mipLevelCount: 1 };
        expect(textureByteSize({ ...flat, sampleCount: 4 })).toBe(
          4 * textureByteSize({ ...flat, sampleCount: 1 }),
        );
      }),
      { numRuns: 300 },
    );
  });
});
