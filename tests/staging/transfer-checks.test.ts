import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.ts';
import type { NormalizedBufferDescriptor } from '../../src/resources/buffer.ts';
import type { NormalizedTextureDescriptor } from '../../src/resources/texture.ts';
import { BufferUsage, TextureUsage } from '../../src/resources/usage.ts';
import { normalizeStagingOptions, resolveTrimPolicy } from '../../src/staging/options.ts';
import { checkBufferUpload, planBufferRead } from '../../src/staging/planning/buffer-transfer.ts';
import { planTextureRead, planTextureUpload } from '../../src/staging/planning/texture-transfer.ts';

const buffer = (size: number, usage: number): NormalizedBufferDescriptor => ({
  label: 'buf',
  size,
  usage,
  mappedAtCreation: false,
});

const texture = (over: Partial<NormalizedTextureDescriptor> = {}): NormalizedTextureDescriptor => ({
  label: 'tex',
  width: 3,
  height: 3,
  depthOrArrayLayers: 1,
  format: 'rgba8unorm',
  usage: TextureUsage.COPY_DST | TextureUsage.COPY_SRC,
  dimension: '2d',
  mipLevelCount: 1,
  sampleCount: 1,
  viewFormats: [],
  ...over,
});

function rule(fn: () => unknown): { field: string; rule: string } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const e = error as ValidationError;
    return { field: e.field, rule: e.rule };
  }
  throw new Error('expected a ValidationError');
}

describe('buffer uploads', () => {
  const dst = buffer(1024, BufferUsage.COPY_DST);
  it('accepts 4-byte aligned writes inside the buffer', () => {
    expect(() => checkBufferUpload(dst, 0, 1024)).not.toThrow();
    expect(() => checkBufferUpload(dst, 1020, 4)).not.toThrow();
    expect(() => checkBufferUpload(dst, 512, 0)).not.toThrow();
  });
  it('names the broken rule', () => {
    expect(rule(() => checkBufferUpload(buffer(64, BufferUsage.VERTEX), 0, 4)).field).toBe('usage');
    expect(rule(() => checkBufferUpload(dst, 2, 4)).field).toBe('offset');
    expect(rule(() => checkBufferUpload(dst, -4, 4)).field).toBe('offset');
    expect(rule(() => checkBufferUpload(dst, 0, 6)).field).toBe('data.byteLength');
    expect(rule(() => checkBufferUpload(dst, 1020, 8))).toMatchObject({ field: 'offset + data.byteLength' });
  });
});

describe('buffer reads', () => {
  const src = buffer(64, BufferUsage.COPY_SRC);
  it('defaults to the whole buffer', () => {
    expect(planBufferRead(src)).toEqual({ start: 0, size: 64, skip: 0, length: 64 });
    expect(planBufferRead(src, 16)).toEqual({ start: 16, size: 48, skip: 0, length: 48 });
  });
  it('widens unaligned reads to words and remembers what to give back', () => {
    expect(planBufferRead(src, 2, 3)).toEqual({ start: 0, size: 8, skip: 2, length: 3 });
    expect(planBufferRead(src, 61, 3)).toEqual({ start: 60, size: 4, skip: 1, length: 3 });
  });
  it('an empty read copies nothing', () => {
    expect(planBufferRead(src, 64, 0)).toMatchObject({ size: 0, length: 0 });
  });
  it('rejects missing COPY_SRC, out-of-range, and a last word past an unaligned buffer end', () => {
    expect(rule(() => planBufferRead(buffer(64, BufferUsage.COPY_DST))).field).toBe('usage');
    expect(rule(() => planBufferRead(src, 65)).field).toBe('offset');
    expect(rule(() => planBufferRead(src, 60, 8)).field).toBe('size');
    expect(rule(() => planBufferRead(buffer(6, BufferUsage.COPY_SRC), 4, 2)).field).toBe('offset + size');
  });
});

describe('texture uploads', () => {
  it('plans a 3x3 rgba8unorm upload from tight 12-byte rows', () => {
    const plan = planTextureUpload(texture(), 36, {}, [3, 3]);
    expect(plan.byteOffset).toBe(0);
    expect(plan.byteLength).toBe(36);
    expect(plan.copy).toMatchObject({
      mipLevel: 0,
      origin: { x: 0, y: 0, z: 0 },
      bytesPerRow: 12,
      rowsPerImage: 3,
    });
    expect(plan.copy.footprint.paddedBytesPerRow).toBe(256);
  });

  it('accepts any bytesPerRow >= the row and an offset', () => {
    const plan = planTextureUpload(texture(), 8 + 16 * 2 + 12, { offset: 8, bytesPerRow: 16 }, [3, 3]);
    expect(plan).toMatchObject({ byteOffset: 8, byteLength: 44 });
  });

  it('plans a sub-region at a mip level and origin', () => {
    const desc = texture({ width: 8, height: 8, mipLevelCount: 4 });
    const plan = planTextureUpload(desc, 16, {}, { width: 2, height: 2 }, { mipLevel: 1, origin: [2, 2] });
    expect(plan.copy).toMatchObject({
      mipLevel: 1,
      origin: { x: 2, y: 2, z: 0 },
      size: { width: 2, height: 2 },
    });
  });

  it('bc1: whole blocks only; a 2x2 mip is copied as one 4x4 block', () => {
    const desc = texture({ format: 'bc1-rgba-unorm', width: 8, height: 8, mipLevelCount: 4 });
    expect(planTextureUpload(desc, 32, {}, [8, 8]).copy.footprint.tightBytesPerRow).toBe(16);
    expect(planTextureUpload(desc, 8, {}, [4, 4], { mipLevel: 2 }).byteLength).toBe(8);
    expect(rule(() => planTextureUpload(desc, 32, {}, [6, 8])).field).toBe('size');
    expect(rule(() => planTextureUpload(desc, 32, {}, [4, 4], { origin: [2, 0] })).field).toBe('origin');
    expect(rule(() => planTextureUpload(desc, 64, {}, [8, 8], { mipLevel: 2 })).field).toBe(
      'origin.x + size',
    );
  });

  it('names the broken rule', () => {
    expect(
      rule(() => planTextureUpload(texture({ usage: TextureUsage.COPY_SRC }), 36, {}, [3, 3])).field,
    ).toBe('usage');
    expect(rule(() => planTextureUpload(texture({ sampleCount: 4 }), 36, {}, [3, 3])).field).toBe(
      'sampleCount',
    );
    expect(rule(() => planTextureUpload(texture({ format: 'depth32float' }), 36, {}, [3, 3])).field).toBe(
      'format',
    );
    expect(rule(() => planTextureUpload(texture(), 35, {}, [3, 3])).field).toBe('data.byteLength');
    expect(rule(() => planTextureUpload(texture(), 36, { bytesPerRow: 8 }, [3, 3])).field).toBe(
      'layout.bytesPerRow',
    );
    expect(rule(() => planTextureUpload(texture(), 36, { rowsPerImage: 2 }, [3, 3])).field).toBe(
      'layout.rowsPerImage',
    );
    expect(rule(() => planTextureUpload(texture(), 36, { offset: -1 }, [3, 3])).field).toBe('layout.offset');
    expect(rule(() => planTextureUpload(texture(), 48, {}, [4, 3])).field).toBe('origin.x + size');
    expect(rule(() => planTextureUpload(texture(), 36, {}, [3, 3], { mipLevel: 1 })).field).toBe('mipLevel');
    expect(rule(() => planTextureUpload(texture(), 36, {}, [3, 3, 2])).field).toBe('origin.z + size');
    expect(rule(() => planTextureUpload(texture(), 36, {}, [1.5, 3])).field).toBe('size.width');
  });
});

describe('texture reads', () => {
  it('defaults to the whole of mip level 0', () => {
    expect(planTextureRead(texture())).toMatchObject({
      size: { width: 3, height: 3, depthOrArrayLayers: 1 },
    });
  });
  it('defaults the size to the rest of the level from the origin', () => {
    const desc = texture({ width: 16, height: 8, depthOrArrayLayers: 4, mipLevelCount: 2 });
    expect(planTextureRead(desc, { mipLevel: 1, origin: { x: 2, z: 1 } }).size).toEqual({
      width: 6,
      height: 4,
      depthOrArrayLayers: 3,
    });
  });
  it('reads a bc1 level smaller than a block as one physical block', () => {
    const desc = texture({ format: 'bc1-rgba-unorm', width: 8, height: 8, mipLevelCount: 4 });
    expect(planTextureRead(desc, { mipLevel: 3 }).footprint.tightBytes).toBe(8);
  });
  it('needs COPY_SRC', () => {
    expect(rule(() => planTextureRead(texture({ usage: TextureUsage.COPY_DST }))).field).toBe('usage');
  });
});

describe('staging options', () => {
  it('defaults: 64 MiB caps, 1 MiB upload chunks, 4 KiB readback buffers, 16 MiB largest class', () => {
    const o = normalizeStagingOptions();
    expect(o).toMatchObject({
      maxUploadBytes: 64 << 20,
      maxReadbackBytes: 64 << 20,
      uploadChunkBytes: 1 << 20,
      readbackChunkBytes: 4096,
      maxChunkBytes: 16 << 20,
      keepBytes: 4 << 20,
      idleMs: 2000,
    });
  });
  it('shrinks default classes to fit a small cap', () => {
    const o = normalizeStagingOptions({ maxUploadBytes: 300_000 });
    expect([o.maxChunkBytes, o.uploadChunkBytes]).toEqual([262144, 262144]);
  });
  it('rejects inconsistent values', () => {
    expect(rule(() => normalizeStagingOptions({ uploadChunkBytes: 3000 })).field).toBe('uploadChunkBytes');
    expect(rule(() => normalizeStagingOptions({ maxUploadBytes: 0 })).field).toBe('maxUploadBytes');
    expect(
      rule(() => normalizeStagingOptions({ maxUploadBytes: 1 << 20, maxChunkBytes: 1 << 21 })).field,
    ).toBe('maxChunkBytes');
    expect(
      rule(() => normalizeStagingOptions({ uploadChunkBytes: 1 << 22, maxChunkBytes: 1 << 21 })).field,
    ).toBe('uploadChunkBytes');
    expect(rule(() => normalizeStagingOptions({ idleMs: -1 })).field).toBe('idleMs');
  });
  it('trim policies fill in the defaults', () => {
    const o = normalizeStagingOptions({ keepBytes: 100, idleMs: 50 });
    expect(resolveTrimPolicy(undefined, o)).toEqual({ keepBytes: 100, idleMs: 50 });
    expect(resolveTrimPolicy({ keepBytes: 0 }, o)).toEqual({ keepBytes: 0, idleMs: 50 });
  });
});
