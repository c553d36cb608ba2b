/**
 * The WebGPU -> WebGL2 format table, checked against independent sources: the neutral format table (block
 * geometry), twgl.js's internal-format tables (pixel format and bytes per texel), and a hand-computed byte
 * table for whole textures. No GL needed.
 */
import { getBytesPerElementForInternalFormat, getFormatAndTypeForInternalFormat } from 'twgl.js';
import { describe, expect, it } from 'vitest';
import { GL_FORMAT_TABLE, getGLFormat, isGLColorRenderable } from '../../src/backends/webgl2/gl-formats.ts';
import { glTextureByteSize } from '../../src/backends/webgl2/gl-texture-size.ts';
import { ALL_TEXTURE_FORMATS, getFormatInfo } from '../../src/resources/formats.ts';
import { textureByteSize } from '../../src/resources/texture-size.ts';

const DEPTH32F_STENCIL8 = 0x8cad;
const STENCIL_INDEX8 = 0x8d48;

describe('GL format table', () => {
  it('maps every WebGPU format except the BGRA and norm16 formats, which WebGL2 lacks', () => {
    const missing = ALL_TEXTURE_FORMATS.filter((f) => !getGLFormat(f));
    expect(missing.sort()).toEqual(
      [
        'bgra8unorm',
        'bgra8unorm-srgb',
        'r16snorm',
        'r16unorm',
        'rg16snorm',
        'rg16unorm',
        'rgba16snorm',
        'rgba16unorm',
      ].sort(),
    );
    expect(new Set(GL_FORMAT_TABLE.map((r) => r.internalFormat)).size).toBe(GL_FORMAT_TABLE.length);
  });

  it('has the block geometry of the neutral table, and its bytes except depth32float-stencil8', () => {
    for (const row of GL_FORMAT_TABLE) {
      const neutral = getFormatInfo(row.format)!;
      expect([row.blockWidth, row.blockHeight, row.compressed], row.format).toEqual([
        neutral.blockWidth,
        neutral.blockHeight,
        neutral.compressed,
      ]);
      if (row.format === 'depth32float-stencil8') {
        expect([neutral.bytesPerBlock, row.bytesPerBlock]).toEqual([5, 8]);
      } else {
        expect(row.bytesPerBlock, row.format).toBe(neutral.bytesPerBlock);
      }
    }
  });

  it("agrees with twgl.js on pixel format and bytes per texel (twgl counts DEPTH32F_STENCIL8 as 4, GL's type is 8)", () => {
    for (const row of GL_FORMAT_TABLE) {
      if (row.compressed || row.internalFormat === STENCIL_INDEX8) continue;
      expect(getFormatAndTypeForInternalFormat(row.internalFormat).format, row.format).toBe(row.pixelFormat);
      const twglBytes = getBytesPerElementForInternalFormat(row.internalFormat, row.pixelType);
      if (row.internalFormat === DEPTH32F_STENCIL8) expect(twglBytes).toBe(4);
      else expect(twglBytes, row.format).toBe(row.bytesPerBlock);
    }
  });

  it('knows what GL renders to: floats need EXT_color_buffer_float (16-bit floats also the half-float one)', () => {
    const none = new Set<string>();
    const float = new Set(['EXT_color_buffer_float']);
    const half = new Set(['EXT_color_buffer_half_float']);
    const renderable = (format: string, ext: Set<string>) => isGLColorRenderable(getGLFormat(format)!, ext);
    expect(renderable('rgba8unorm', none)).toBe(true);
    expect(renderable('r32uint', none)).toBe(true);
    expect(renderable('rgba8snorm', float)).toBe(false);
    expect(renderable('rgba16float', none)).toBe(false);
    expect(renderable('rgba16float', half)).toBe(true);
    expect(renderable('rgba32float', half)).toBe(false);
    expect(renderable('rgba32float', float)).toBe(true);
    expect(renderable('rg11b10ufloat', float)).toBe(true);
  });
});

describe('glTextureByteSize', () => {
  const base = { depthOrArrayLayers: 1, dimension: '2d' as const, mipLevelCount: 1, sampleCount: 1 };
  const cases: [string, Parameters<typeof glTextureByteSize>[0], number][] = [
    [
      'rgba8unorm 256^2 full chain',
      { ...base, format: 'rgba8unorm', width: 256, height: 256, mipLevelCount: 9 },
      349_524,
    ],
    [
      'rgba8unorm 64^2 4x MSAA renderbuffer',
      { ...base, format: 'rgba8unorm', width: 64, height: 64, sampleCount: 4 },
      65_536,
    ],
    [
      'depth24plus-stencil8 4x MSAA',
      { ...base, format: 'depth24plus-stencil8', width: 32, height: 32, sampleCount: 4 },
      16_384,
    ],
    [
      'depth32float-stencil8 16^2: 8 B per texel on GL',
      { ...base, format: 'depth32float-stencil8', width: 16, height: 16 },
      2_048,
    ],
    ['stencil8 renderbuffer 10x10', { ...base, format: 'stencil8', width: 10, height: 10 }, 100],
    [
      'r16float 2D array 8x8x3, 4 levels',
      { ...base, format: 'r16float', width: 8, height: 8, depthOrArrayLayers: 3, mipLevelCount: 4 },
      510,
    ],
    [
      'rgba32float 3D 8^3, 4 levels',
      {
        ...base,
        format: 'rgba32float',
        width: 8,
        height: 8,
        depthOrArrayLayers: 8,
        dimension: '3d',
        mipLevelCount: 4,
      },
      9_360,
    ],
    [
      'r32float 1D 100 as 2D of height 1',
      { ...base, format: 'r32float', width: 100, height: 1, dimension: '1d' },
      400,
    ],
    [
      'bc7 12x12, 4 levels (a 1x1 level is a whole block)',
      { ...base, format: 'bc7-rgba-unorm', width: 12, height: 12, mipLevelCount: 4 },
      9 * 16 + 4 * 16 + 16 + 16,
    ],
    [
      'astc-10x8 20x16 full chain',
      { ...base, format: 'astc-10x8-unorm', width: 20, height: 16, mipLevelCount: 5 },
      (4 + 1 + 1 + 1 + 1) * 16,
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => expect(glTextureByteSize(input)).toBe(expected));
  }

  it('equals the neutral byte size for every format both count the same way', () => {
    for (const row of GL_FORMAT_TABLE) {
      if (row.format === 'depth32float-stencil8') continue;
      const input = { ...base, format: row.format, width: 24, height: 24, mipLevelCount: 5 };
      expect(glTextureByteSize(input), row.format).toBe(textureByteSize(input));
    }
  });

  it('refuses a format WebGL2 cannot hold', () => {
    expect(() => glTextureByteSize({ ...base, format: 'bgra8unorm', width: 4, height: 4 })).toThrow(
      /no WebGL2 equivalent/,
    );
  });
});
