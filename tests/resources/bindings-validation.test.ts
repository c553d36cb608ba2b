import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCapabilities } from '../../src/core/capabilities.ts';
import { ValidationError } from '../../src/errors.ts';
import { normalizeBindGroupDescriptor } from '../../src/resources/bind-group.ts';
import { normalizeBindGroupLayoutDescriptor, ShaderStage } from '../../src/resources/bind-group-layout.ts';
import { normalizeBufferDescriptor } from '../../src/resources/buffer.ts';
import { normalizeQuerySetDescriptor } from '../../src/resources/query-set.ts';
import { type LookedUpResource, resourceLookup } from '../../src/resources/resource-lookup.ts';
import { normalizeSamplerDescriptor } from '../../src/resources/sampler.ts';
import { normalizeTextureDescriptor } from '../../src/resources/texture.ts';
import { normalizeTextureViewDescriptor } from '../../src/resources/texture-view.ts';
import { BufferUsage, TextureUsage } from '../../src/resources/usage.ts';

const caps = defaultCapabilities();

/** A table of fake live resources for the pure validators. */
function table() {
  const rows = new Map<number, LookedUpResource>();
  let next = 1;
  const add = (kind: LookedUpResource['kind'], descriptor: unknown, label = `${kind}${next}`) => {
    const handle = next++;
    rows.set(handle, { kind, descriptor, label, state: 'live' });
    return handle as never;
  };
  return { rows, add, lookup: resourceLookup((h) => rows.get(h)) };
}

describe('sampler validation', () => {
  it('equal normalized descriptors have equal keys, whatever the label and the defaults written out', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('nearest', 'linear'),
        fc.constantFrom('repeat', 'clamp-to-edge'),
        fc.string(),
        (f, a, label) => {
          const x = normalizeSamplerDescriptor({ label, magFilter: f, addressModeU: a });
          const y = normalizeSamplerDescriptor({
            magFilter: f,
            addressModeU: a,
            lodMinClamp: 0,
            lodMaxClamp: 32,
            maxAnisotropy: 1,
          });
          expect(x.key).toBe(y.key);
        },
      ),
    );
    expect(normalizeSamplerDescriptor({ compare: 'less' }).key).not.toBe(normalizeSamplerDescriptor().key);
  });

  it('refuses any non-number LOD clamp without converting it', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.constant(Number.NaN), fc.object()),
        (value) => {
          expect(() => normalizeSamplerDescriptor({ lodMinClamp: value as never })).toThrow(ValidationError);
        },
      ),
    );
  });
});

describe('texture view validation', () => {
  const t = table();
  const tex = t.add(
    'texture',
    normalizeTextureDescriptor(
      { size: [8, 8, 12], format: 'rgba8unorm', usage: TextureUsage.TEXTURE_BINDING, mipLevelCount: 4 },
      caps,
    ),
  );
  it('any accepted range lies inside the texture, and defaults resolve as the spec says', () => {
    fc.assert(
      fc.property(
        fc.nat(5),
        fc.nat(5),
        fc.nat(13),
        fc.nat(13),
        (baseMipLevel, mipLevelCount, baseArrayLayer, arrayLayerCount) => {
          let view: ReturnType<typeof normalizeTextureViewDescriptor> | undefined;
          try {
            view = normalizeTextureViewDescriptor(
              tex,
              { dimension: '2d-array', baseMipLevel, mipLevelCount, baseArrayLayer, arrayLayerCount },
              t.lookup,
              caps,
            );
          } catch (e) {
            expect(e).toBeInstanceOf(ValidationError);
            return;
          }
          expect(view.baseMipLevel + view.mipLevelCount).toBeLessThanOrEqual(4);
          expect(view.baseArrayLayer + view.arrayLayerCount).toBeLessThanOrEqual(12);
          expect(view.mipLevelCount).toBeGreaterThan(0);
        },
      ),
    );
    expect(normalizeTextureViewDescriptor(tex, undefined, t.lookup, caps)).toMatchObject({
      dimension: '2d-array',
      arrayLayerCount: 12,
      mipLevelCount: 4,
    });
    expect(
      normalizeTextureViewDescriptor(tex, { dimension: 'cube-array' }, t.lookup, caps).arrayLayerCount,
    ).toBe(12);
  });
  it('names a wrong kind of handle', () => {
    const buffer = t.add(
      'buffer',
      normalizeBufferDescriptor({ size: 4, usage: BufferUsage.UNIFORM }, caps),
      'ubo',
    );
    expect(() => normalizeTextureViewDescriptor(buffer, {}, t.lookup, caps)).toThrow(
      /must be a texture \('ubo' is a buffer\)/,
    );
  });
});

describe('bind group validation', () => {
  const t = table();
  const layoutDesc = normalizeBindGroupLayoutDescriptor(
    {
      label: 'pbr',
      entries: [
        { binding: 0, visibility: ShaderStage.FRAGMENT, buffer: { minBindingSize: 64 } },
        { binding: 1, visibility: ShaderStage.FRAGMENT, texture: { sampleType: 'depth' } },
        { binding: 2, visibility: ShaderStage.FRAGMENT, sampler: { type: 'comparison' } },
        { binding: 3, visibility: ShaderStage.COMPUTE, buffer: { type: 'storage' } },
      ],
    },
    caps,
  );
  const layout = t.add('bindGroupLayout', layoutDesc, 'pbr');
  const ubo = t.add(
    'buffer',
    normalizeBufferDescriptor({ size: 1024, usage: BufferUsage.UNIFORM | BufferUsage.STORAGE }, caps),
    'ubo',
  );
  const depth = t.add(
    'texture',
    normalizeTextureDescriptor(
      { size: [8, 8], format: 'depth32float', usage: TextureUsage.TEXTURE_BINDING },
      caps,
    ),
    'depth',
  );
  const color = t.add(
    'texture',
    normalizeTextureDescriptor(
      { size: [8, 8], format: 'rgba8unorm', usage: TextureUsage.TEXTURE_BINDING },
      caps,
    ),
    'color',
  );
  const shadow = t.add('sampler', normalizeSamplerDescriptor({ compare: 'less' }), 'shadow');
  const plain = t.add('sampler', normalizeSamplerDescriptor(), 'plain');
  const entries = (patch: Record<number, unknown>) =>
    [
      { binding: 0, resource: { buffer: ubo, size: 64 } },
      { binding: 1, resource: depth },
      { binding: 2, resource: shadow },
      { binding: 3, resource: { buffer: ubo, offset: 256, size: 256 } },
    ].map((e) => (e.binding in patch ? { binding: e.binding, resource: patch[e.binding] } : e));
  const make = (patch: Record<number, unknown> = {}) =>
    normalizeBindGroupDescriptor({ layout, entries: entries(patch) as never }, t.lookup, caps);

  it('accepts a matching group; equal groups have equal keys', () => {
    expect(make().key).toBe(make().key);
    expect(make().entries.map((e) => e.type)).toEqual(['buffer', 'texture', 'sampler', 'buffer']);
  });
  it('refuses each rule on its own', () => {
    expect(() => make({ 0: { buffer: ubo, size: 32 } })).toThrow(/minBindingSize \(64\)/);
    expect(() => make({ 0: { buffer: ubo, offset: 128, size: 64 } })).toThrow(
      /minUniformBufferOffsetAlignment \(256\)/,
    );
    expect(() => make({ 0: { buffer: ubo, size: 65537 } })).toThrow(/must fit buffer 'ubo'/);
    expect(() => make({ 1: color })).toThrow(
      /sample types 'float', 'unfilterable-float'\): binding 1 declares sampleType 'depth'/,
    );
    expect(() => make({ 2: plain })).toThrow(/must be a comparison sampler/);
    expect(() => make({ 3: { buffer: ubo, offset: 256, size: 6 } })).toThrow(
      /multiple of 4 for a storage buffer/,
    );
    expect(() => make({ 3: depth })).toThrow(/must be a buffer for binding 3/);
    expect(() => make({ 1: 999 })).toThrow(/stale handle/);
  });
});

describe('bind group layout and query set validation', () => {
  it('counts per stage and dynamic offsets against the limits', () => {
    const dynamic = Array.from({ length: 9 }, (_, binding) => ({
      binding,
      visibility: ShaderStage.VERTEX,
      buffer: { hasDynamicOffset: true },
    }));
    expect(() => normalizeBindGroupLayoutDescriptor({ entries: dynamic }, caps)).toThrow(
      /maxDynamicUniformBuffersPerPipelineLayout \(8\)/,
    );
    expect(() =>
      normalizeBindGroupLayoutDescriptor({ entries: [{ binding: 1000, visibility: 0, sampler: {} }] }, caps),
    ).toThrow(/maxBindingsPerBindGroup/);
    expect(() =>
      normalizeBindGroupLayoutDescriptor(
        {
          entries: [
            {
              binding: 0,
              visibility: ShaderStage.COMPUTE,
              storageTexture: { format: 'rgba8unorm', access: 'read-write' },
            },
          ],
        },
        caps,
      ),
    ).toThrow(/'read-write'/);
  });
  it('query sets: timestamp needs the feature, bytes are count x 8 (see the kind table)', () => {
    expect(() => normalizeQuerySetDescriptor({ type: 'timestamp', count: 2 }, caps)).toThrow(
      /timestamp-query/,
    );
    expect(
      normalizeQuerySetDescriptor({ type: 'timestamp', count: 2 }, defaultCapabilities(['timestamp-query']))
        .count,
    ).toBe(2);
    expect(() => normalizeQuerySetDescriptor({ type: 'occlusion', count: 4097 }, caps)).toThrow(/count/);
  });
});
