/** Repacking canonical readPixels results into the texture's own texel bytes. */
import { describe, expect, it } from 'vitest';
import { getGLFormat } from '../../src/backends/webgl2/gl-formats.ts';
import {
  canonicalReadOf,
  float32ToFloat16Bits,
  repackCanonical,
} from '../../src/backends/webgl2/staging/gl-read-formats.ts';

describe('canonical reads', () => {
  it('read rgba8unorm, rgba32float, rgba32uint and rgba32sint as themselves', () => {
    for (const format of ['rgba8unorm', 'rgba32float', 'rgba32uint', 'rgba32sint']) {
      const read = canonicalReadOf(format)!;
      const gl = getGLFormat(format)!;
      expect([read.pixelFormat, read.pixelType], format).toEqual([gl.pixelFormat, gl.pixelType]);
      const raw = Uint8Array.from({ length: 2 * read.readBytesPerTexel }, (_, i) => i);
      expect(repackCanonical(raw, 2, read)).toEqual(raw);
    }
  });

  it('keeps the channels a texture has and narrows integers', () => {
    expect(repackCanonical(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), 2, canonicalReadOf('r8unorm')!)).toEqual(
      Uint8Array.of(1, 5),
    );
    expect(repackCanonical(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), 2, canonicalReadOf('rg8unorm')!)).toEqual(
      Uint8Array.of(1, 2, 5, 6),
    );
    const words = new Uint8Array(new Uint32Array([0x1234, 0xffff_fffe, 0, 0, 7, 8, 0, 0]).buffer);
    expect(new Uint16Array(repackCanonical(words, 2, canonicalReadOf('rg16uint')!).buffer)).toEqual(
      Uint16Array.of(0x1234, 0xfffe, 7, 8),
    );
    const signed = new Uint8Array(new Int32Array([-2, 0, 0, 0]).buffer);
    expect(new Int8Array(repackCanonical(signed, 1, canonicalReadOf('r8sint')!).buffer)).toEqual(
      Int8Array.of(-2),
    );
  });

  it('converts 32-bit float reads of half-float textures back to half bits', () => {
    const floats = new Uint8Array(new Float32Array([1, -2, 0.5, 65504, 0, 0, 0, 0]).buffer);
    expect(new Uint16Array(repackCanonical(floats, 2, canonicalReadOf('rg16float')!).buffer)).toEqual(
      Uint16Array.of(0x3c00, 0xc000, 0, 0),
    );
    expect(repackCanonical(floats, 2, canonicalReadOf('rgba16float')!).byteLength).toBe(16);
  });

  it('has no canonical read for formats no guaranteed read reproduces exactly', () => {
    for (const format of ['rgb10a2unorm', 'rg11b10ufloat', 'rgba8snorm', 'bc1-rgba-unorm', 'depth24plus']) {
      expect(canonicalReadOf(format), format).toBeUndefined();
    }
  });
});

describe('float32ToFloat16Bits', () => {
  it('is exact for values a half holds, rounds to nearest even otherwise', () => {
    expect(float32ToFloat16Bits(0)).toBe(0);
    expect(float32ToFloat16Bits(-0)).toBe(0x8000);
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff);
    expect(float32ToFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float32ToFloat16Bits(2 ** -14)).toBe(0x0400); // smallest normal
    expect(float32ToFloat16Bits(1e6)).toBe(0x7c00);
    expect(float32ToFloat16Bits(Number.NEGATIVE_INFINITY)).toBe(0xfc00);
    expect(float32ToFloat16Bits(Number.NaN) & 0x7e00).toBe(0x7e00);
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // halfway: ties to even
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });
});
