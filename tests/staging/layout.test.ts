import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.ts';
import { getFormatInfo } from '../../src/resources/formats.ts';
import {
  alignUp,
  COPY_BYTES_PER_ROW_ALIGNMENT,
  copyFootprint,
  requiredBytesInCopy,
  splitCopy,
} from '../../src/staging/planning/copy-layout.ts';
import { asBytes, copyRows } from '../../src/staging/planning/copy-rows.ts';
import { isPowerOfTwo, sizeClassOf } from '../../src/staging/pooling/size-classes.ts';

const rgba8 = getFormatInfo('rgba8unorm')!;
const bc1 = getFormatInfo('bc1-rgba-unorm')!;
const bc7 = getFormatInfo('bc7-rgba-unorm')!;
const astc12 = getFormatInfo('astc-12x12-unorm')!;
const rgba32f = getFormatInfo('rgba32float')!;

describe('size classes', () => {
  const policy = { minBytes: 65536, maxBytes: 1 << 24 };

  it('rounds small requests up to the minimum chunk', () => {
    expect(sizeClassOf(0, policy)).toBe(65536);
    expect(sizeClassOf(256, policy)).toBe(65536);
    expect(sizeClassOf(65536, policy)).toBe(65536);
  });

  it('doubles between the minimum and the maximum class', () => {
    expect(sizeClassOf(65537, policy)).toBe(131072);
    expect(sizeClassOf(70_000, policy)).toBe(131072);
    expect(sizeClassOf(1 << 20, policy)).toBe(1 << 20);
    expect(sizeClassOf((1 << 20) + 4, policy)).toBe(1 << 21);
    expect(sizeClassOf(1 << 24, policy)).toBe(1 << 24);
  });

  it('steps by the maximum class above it (a 17 MiB read takes 32 MiB, a 33 MiB one 48 MiB)', () => {
    expect(sizeClassOf((1 << 24) + 1, policy)).toBe(2 * (1 << 24));
    expect(sizeClassOf(33 << 20, policy)).toBe(3 * (1 << 24));
  });

  it('serves every request with a class >= it and < 2x it (above the minimum, below the maximum)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1 << 26 }), (bytes) => {
        const size = sizeClassOf(bytes, policy);
        expect(size).toBeGreaterThanOrEqual(bytes);
        if (bytes > policy.minBytes && bytes <= policy.maxBytes) {
          expect(size).toBeLessThan(2 * bytes);
          expect(isPowerOfTwo(size)).toBe(true);
        }
        if (bytes > policy.maxBytes) expect(size % policy.maxBytes).toBe(0);
      }),
    );
  });

  it('rejects a negative or fractional request', () => {
    expect(() => sizeClassOf(-1, policy)).toThrow(ValidationError);
    expect(() => sizeClassOf(1.5, policy)).toThrow(ValidationError);
  });

  it('isPowerOfTwo', () => {
    expect([1, 2, 4, 4096, 2 ** 40].map(isPowerOfTwo)).toEqual([true, true, true, true, true]);
    expect([0, 3, 6, 96, -4, 0.5].map(isPowerOfTwo)).toEqual([false, false, false, false, false, false]);
  });
});

describe('copy footprint (256-byte rows, texel blocks)', () => {
  it('pads a 3-pixel rgba8unorm row (12 bytes) to 256', () => {
    expect(copyFootprint(rgba8, { width: 3, height: 3, depthOrArrayLayers: 1 })).toEqual({
      blocksPerRow: 3,
      blockRows: 3,
      images: 1,
      blockHeight: 1,
      tightBytesPerRow: 12,
      paddedBytesPerRow: 256,
      tightBytes: 36,
      paddedBytes: 768,
    });
  });

  it('keeps an already aligned row (64 rgba8 pixels = 256 bytes)', () => {
    const f = copyFootprint(rgba8, { width: 64, height: 2, depthOrArrayLayers: 3 });
    expect([f.tightBytesPerRow, f.paddedBytesPerRow, f.tightBytes, f.paddedBytes]).toEqual([
      256, 256, 1536, 1536,
    ]);
  });

  it('counts bc1 in 4x4 blocks of 8 bytes: 8x8 is 2 rows of 2 blocks', () => {
    const f = copyFootprint(bc1, { width: 8, height: 8, depthOrArrayLayers: 1 });
    expect(f).toMatchObject({ blocksPerRow: 2, blockRows: 2, tightBytesPerRow: 16, paddedBytesPerRow: 256 });
    expect(f.tightBytes).toBe(32);
  });

  it('bc7 (16-byte blocks) 1024 wide: 256 blocks * 16 = 4096 bytes a row, already aligned', () => {
    const f = copyFootprint(bc7, { width: 1024, height: 1024, depthOrArrayLayers: 1 });
    expect([f.blocksPerRow, f.blockRows, f.tightBytesPerRow, f.paddedBytesPerRow]).toEqual([
      256, 256, 4096, 4096,
    ]);
  });

  it('astc 12x12: 36x24 texels is 3x2 blocks of 16 bytes', () => {
    const f = copyFootprint(astc12, { width: 36, height: 24, depthOrArrayLayers: 1 });
    expect([f.blocksPerRow, f.blockRows, f.tightBytesPerRow, f.blockHeight]).toEqual([3, 2, 48, 12]);
  });

  it('padded rows are the smallest multiple of 256 >= the tight row', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8192 }),
        fc.constantFrom(rgba8, bc1, bc7, rgba32f),
        (width, format) => {
          const f = copyFootprint(format, { width, height: 1, depthOrArrayLayers: 1 });
          expect(f.paddedBytesPerRow % COPY_BYTES_PER_ROW_ALIGNMENT).toBe(0);
          expect(f.paddedBytesPerRow).toBeGreaterThanOrEqual(f.tightBytesPerRow);
          expect(f.paddedBytesPerRow - f.tightBytesPerRow).toBeLessThan(256);
        },
      ),
    );
  });

  it('alignUp', () => {
    expect([alignUp(0, 256), alignUp(1, 256), alignUp(256, 256), alignUp(257, 4)]).toEqual([
      0, 256, 256, 260,
    ]);
  });
});

describe('required bytes of a caller layout', () => {
  const f = copyFootprint(rgba8, { width: 3, height: 2, depthOrArrayLayers: 2 });
  it('needs no padding after the last row', () => {
    // rows of 16 bytes, 3 rows per image: image 0 at 0, image 1 at 48; its last row ends at 48 + 16 + 12
    expect(requiredBytesInCopy(f, 16, 3)).toBe(76);
    expect(requiredBytesInCopy(f, 12, 2)).toBe(48); // tight
  });
  it('is 0 for an empty copy', () => {
    expect(
      requiredBytesInCopy(copyFootprint(rgba8, { width: 0, height: 4, depthOrArrayLayers: 1 }), 0, 4),
    ).toBe(0);
  });
});

describe('splitting a copy into chunk-sized pieces', () => {
  it('keeps a copy that fits in one piece', () => {
    const f = copyFootprint(rgba8, { width: 64, height: 64, depthOrArrayLayers: 1 });
    expect(splitCopy(f, 1 << 20)).toEqual([{ image: 0, images: 1, row: 0, rows: 64, bytes: 16384 }]);
  });

  it('groups whole images when one image fits', () => {
    const f = copyFootprint(rgba8, { width: 256, height: 256, depthOrArrayLayers: 5 }); // 256 KiB per image
    expect(splitCopy(f, 1 << 19)).toEqual([
      { image: 0, images: 2, row: 0, rows: 256, bytes: 1 << 19 },
      { image: 2, images: 2, row: 0, rows: 256, bytes: 1 << 19 },
      { image: 4, images: 1, row: 0, rows: 256, bytes: 1 << 18 },
    ]);
  });

  it('cuts rows when one image is too big; every row lands in exactly one piece', () => {
    const f = copyFootprint(rgba8, { width: 256, height: 300, depthOrArrayLayers: 2 }); // 1024 B rows
    const pieces = splitCopy(f, 65536);
    expect(pieces.every((p) => p.bytes <= 65536 && p.images === 1)).toBe(true);
    for (const image of [0, 1]) {
      const rows = pieces.filter((p) => p.image === image);
      expect(rows.map((p) => p.row)).toEqual([0, 64, 128, 192, 256]);
      expect(rows.reduce((sum, p) => sum + p.rows, 0)).toBe(300);
    }
  });

  it('covers every block row of every image exactly once, within the limit (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom(4096, 65536, 1 << 20),
        (width, height, layers, max) => {
          const f = copyFootprint(rgba8, { width, height, depthOrArrayLayers: layers });
          if (f.paddedBytesPerRow > max) return;
          const seen = new Map<string, number>();
          for (const p of splitCopy(f, max)) {
            expect(p.bytes).toBeLessThanOrEqual(max);
            expect(p.bytes).toBe(f.paddedBytesPerRow * p.rows * p.images);
            for (let i = p.image; i < p.image + p.images; i++) {
              for (let r = p.row; r < p.row + p.rows; r++)
                seen.set(`${i}:${r}`, (seen.get(`${i}:${r}`) ?? 0) + 1);
            }
          }
          expect(seen.size).toBe(layers * height);
          expect([...seen.values()].every((n) => n === 1)).toBe(true);
        },
      ),
    );
  });

  it('refuses a row that does not fit in the largest chunk', () => {
    const f = copyFootprint(rgba32f, { width: 8192, height: 2, depthOrArrayLayers: 1 }); // 128 KiB rows
    expect(() => splitCopy(f, 65536)).toThrow(ValidationError);
  });

  it('gives no piece for an empty copy', () => {
    expect(splitCopy(copyFootprint(rgba8, { width: 4, height: 0, depthOrArrayLayers: 1 }), 4096)).toEqual([]);
  });
});

describe('copyRows', () => {
  it('pads 12-byte rows to a 256-byte pitch and strips them back', () => {
    const tight = Uint8Array.from({ length: 36 }, (_, i) => i + 1);
    const padded = new Uint8Array(768).fill(0xee);
    copyRows(
      { bytes: tight, offset: 0, bytesPerRow: 12, rowsPerImage: 3 },
      { bytes: padded, offset: 0, bytesPerRow: 256, rowsPerImage: 3 },
      12,
      3,
      1,
    );
    expect([...padded.subarray(256, 268)]).toEqual([...tight.subarray(12, 24)]);
    expect(padded[12]).toBe(0xee); // padding untouched
    const back = new Uint8Array(36);
    copyRows(
      { bytes: padded, offset: 0, bytesPerRow: 256, rowsPerImage: 3 },
      { bytes: back, offset: 0, bytesPerRow: 12, rowsPerImage: 3 },
      12,
      3,
      1,
    );
    expect(back).toEqual(tight);
  });

  it('honours offsets and rowsPerImage gaps between images', () => {
    // source: offset 4, 8-byte pitch, 3 rows per image but 2 used, 2 images; rows of 4 bytes
    const src = new Uint8Array(4 + 8 * 3 * 2).fill(0);
    for (let image = 0; image < 2; image++) {
      for (let row = 0; row < 2; row++)
        src.fill(10 * image + row + 1, 4 + image * 24 + row * 8, 4 + image * 24 + row * 8 + 4);
    }
    const dst = new Uint8Array(16);
    copyRows(
      { bytes: src, offset: 4, bytesPerRow: 8, rowsPerImage: 3 },
      { bytes: dst, offset: 0, bytesPerRow: 4, rowsPerImage: 2 },
      4,
      2,
      2,
    );
    expect([...dst]).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 11, 11, 11, 11, 12, 12, 12, 12]);
  });

  it('moves contiguous tight data in one go (same result)', () => {
    const src = Uint8Array.from({ length: 64 }, (_, i) => i);
    const dst = new Uint8Array(64);
    copyRows(
      { bytes: src, offset: 0, bytesPerRow: 16, rowsPerImage: 2 },
      { bytes: dst, offset: 0, bytesPerRow: 16, rowsPerImage: 2 },
      16,
      2,
      2,
    );
    expect(dst).toEqual(src);
  });

  it('asBytes views any binary input without copying', () => {
    const floats = new Float32Array([1, 2, 3]);
    const bytes = asBytes(floats);
    expect(bytes.byteLength).toBe(12);
    expect(bytes.buffer).toBe(floats.buffer);
    const sub = new Uint16Array(floats.buffer, 4, 2);
    expect(asBytes(sub).byteOffset).toBe(4);
    expect(asBytes(floats.buffer).byteLength).toBe(12);
    const u8 = new Uint8Array(4);
    expect(asBytes(u8)).toBe(u8);
  });
});
