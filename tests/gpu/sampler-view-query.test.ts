import { describe, expect, it } from 'vitest';
import { createResourceManager, ResourceInUseError, TextureUsage, ValidationError } from '../../src/index.ts';
import { ShaderStage } from '../../src/resources/bind-group-layout.ts';
import { useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();
const SAMPLED = TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST;

describe('samplers, views, layouts and query sets on Dawn', () => {
  it('samplers are shared by normalized descriptor and reference-counted', async () => {
    const manager = createResourceManager({ device: gpu.device, debug: true });
    const a = manager.createSampler({ label: 'a', magFilter: 'linear' });
    const b = manager.createSampler({
      label: 'b',
      magFilter: 'linear',
      minFilter: 'nearest',
      lodMaxClamp: 32,
    });
    const c = manager.createSampler({ magFilter: 'nearest' });
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(manager.gpu(a)).toBeInstanceOf(GPUSampler);
    expect(manager.stats().byKind.sampler).toEqual({ bytes: 0, count: 2 });
    manager.destroy(a);
    expect(manager.has(a)).toBe(true);
    manager.destroy(a);
    expect(manager.has(a)).toBe(false);
    expect(await manager.gpuErrors()).toEqual([]);
    manager.dispose();
  });

  it('every sampler rule is refused before the GPU', () => {
    const manager = createResourceManager({ device: gpu.device });
    const bad = [
      [{ lodMinClamp: -1 }, /lodMinClamp = -1 is invalid: must be >= 0/],
      [{ lodMinClamp: 4, lodMaxClamp: 2 }, /lodMaxClamp = 2 is invalid: must be >= lodMinClamp \(4\)/],
      [{ maxAnisotropy: 0 }, /maxAnisotropy/],
      [{ maxAnisotropy: 65536 }, /maxAnisotropy/],
      [{ maxAnisotropy: 4, magFilter: 'linear', minFilter: 'linear' }, /all 'linear'/],
      [{ compare: 'lesser' }, /compare = "lesser"/],
      [{ addressModeU: 'wrap' }, /addressModeU/],
      [{ label: Symbol('x') }, /label/],
    ] as const;
    for (const [desc, message] of bad) {
      expect(() => manager.createSampler(desc as never)).toThrow(message);
    }
    expect(manager.stats().totalCount).toBe(0);
    manager.dispose();
  });

  it('views are cached per texture and descriptor; the default view once; a view keeps its texture alive', async () => {
    const manager = createResourceManager({ device: gpu.device, debug: true });
    const tex = manager.createTexture({
      label: 'albedo',
      size: [16, 16],
      format: 'rgba8unorm',
      usage: SAMPLED,
      mipLevelCount: 'full',
      viewFormats: ['rgba8unorm-srgb'],
    });
    const other = manager.createTexture({
      label: 'other',
      size: [16, 16],
      format: 'rgba8unorm',
      usage: SAMPLED,
    });
    const first = manager.createView(tex);
    expect(manager.createView(tex)).toBe(first);
    expect(manager.createView(tex, { baseMipLevel: 0, mipLevelCount: 5, dimension: '2d' })).toBe(first);
    const mip1 = manager.createView(tex, { baseMipLevel: 1, mipLevelCount: 1 });
    const srgb = manager.createView(tex, { format: 'rgba8unorm-srgb' });
    expect(new Set([first, mip1, srgb, manager.createView(other)]).size).toBe(4);
    expect(manager.gpu(first)).toBeInstanceOf(GPUTextureView);
    expect(() => manager.destroy(tex)).toThrow(ResourceInUseError);
    expect(await manager.gpuErrors()).toEqual([]);
    manager.destroy(tex, { cascade: true });
    expect(manager.has(first) || manager.has(mip1) || manager.has(srgb)).toBe(false);
    manager.dispose();
  });

  it('view rules: format, aspect, mip and layer ranges, dimension, cube shape', () => {
    const manager = createResourceManager({ device: gpu.device });
    const flat = manager.createTexture({
      label: 'flat',
      size: [8, 4],
      format: 'rgba8unorm',
      usage: SAMPLED,
      mipLevelCount: 2,
    });
    const layers = manager.createTexture({
      label: 'layers',
      size: [8, 8, 6],
      format: 'rgba8unorm',
      usage: SAMPLED,
    });
    const depth = manager.createTexture({
      label: 'depth',
      size: [8, 8],
      format: 'depth24plus',
      usage: TextureUsage.RENDER_ATTACHMENT,
    });
    const before = manager.stats().totalCount;
    const cases: [number, object, RegExp][] = [
      [flat, { format: 'rgba8unorm-srgb' }, /must be the texture 'flat''s format or one of its viewFormats/],
      [flat, { aspect: 'depth-only' }, /aspect = "depth-only" is invalid/],
      [depth, { aspect: 'stencil-only' }, /aspect = "stencil-only" is invalid/],
      [
        flat,
        { baseMipLevel: 2 },
        /baseMipLevel = 2 is invalid: must be < the texture 'flat''s mipLevelCount \(2\)/,
      ],
      [flat, { baseMipLevel: 1, mipLevelCount: 2 }, /mipLevelCount = 2 is invalid/],
      [layers, { baseArrayLayer: 6 }, /baseArrayLayer = 6/],
      [layers, { dimension: '2d-array', baseArrayLayer: 2, arrayLayerCount: 5 }, /arrayLayerCount = 5/],
      [layers, { dimension: '3d' }, /needs a 3d texture/],
      [layers, { dimension: '2d', arrayLayerCount: 2 }, /must be 1 for a '2d' view/],
      [flat, { dimension: 'cube' }, /arrayLayerCount/],
      [layers, { dimension: 'cube-array', arrayLayerCount: 4 }, /multiple of 6/],
    ];
    for (const [texture, desc, message] of cases) {
      expect(() => manager.createView(texture as never, desc)).toThrow(message);
    }
    expect(() => manager.createView(12345 as never)).toThrow(ValidationError);
    expect(manager.createView(layers, { dimension: 'cube' })).toBeGreaterThan(0);
    expect(manager.stats().totalCount).toBe(before + 1);
    manager.dispose();
  });

  it('bind group layouts are shared, validated against the limits and the visibility rules', async () => {
    const { device } = gpu;
    const manager = createResourceManager({ device, debug: true });
    const entries = [
      { binding: 1, visibility: ShaderStage.FRAGMENT, sampler: {} },
      { binding: 0, visibility: ShaderStage.FRAGMENT, texture: {} },
    ];
    const a = manager.createBindGroupLayout({ label: 'a', entries });
    expect(manager.createBindGroupLayout({ entries: [...entries].reverse() })).toBe(a);
    expect(manager.gpu(a)).toBeInstanceOf(GPUBindGroupLayout);
    const max = device.limits.maxSampledTexturesPerShaderStage;
    const tooMany = Array.from({ length: max + 1 }, (_, binding) => ({
      binding,
      visibility: ShaderStage.FRAGMENT,
      texture: {},
    }));
    expect(() => manager.createBindGroupLayout({ entries: tooMany })).toThrow(
      new RegExp(`fragment stage: must be <= maxSampledTexturesPerShaderStage \\(${max}\\)`),
    );
    expect(() =>
      manager.createBindGroupLayout({
        entries: [{ binding: 0, visibility: ShaderStage.VERTEX, buffer: { type: 'storage' } }],
      }),
    ).toThrow(/VERTEX stage/);
    expect(() => manager.createBindGroupLayout({ entries: [entries[0]!, entries[0]!] })).toThrow(
      /must be unique/,
    );
    expect(() =>
      manager.createBindGroupLayout({
        entries: [{ binding: 0, visibility: ShaderStage.FRAGMENT, buffer: {}, sampler: {} }] as never,
      }),
    ).toThrow(/exactly one of/);
    const layout = manager.createPipelineLayout({ bindGroupLayouts: [a, a] });
    expect(manager.createPipelineLayout({ bindGroupLayouts: [a, a] })).toBe(layout);
    expect(manager.gpu(layout)).toBeInstanceOf(GPUPipelineLayout);
    expect(() => manager.createPipelineLayout({ bindGroupLayouts: [a, a, a, a, a] })).toThrow(
      /maxBindGroups/,
    );
    expect(() => manager.destroy(a)).not.toThrow(); // shared: one owner gone
    expect(await manager.gpuErrors()).toEqual([]);
    manager.dispose();
  });

  it('query sets count count x 8 bytes and are really destroyed', async () => {
    const { device } = gpu;
    const manager = createResourceManager({ device, debug: true });
    const occlusion = manager.createQuerySet({ label: 'occlusion', type: 'occlusion', count: 64 });
    expect(manager.stats().byKind.querySet).toEqual({ bytes: 512, count: 1 });
    expect(manager.gpu(occlusion)).toBeInstanceOf(GPUQuerySet);
    if (device.features.has('timestamp-query')) {
      manager.createQuerySet({ type: 'timestamp', count: 2 });
      expect(manager.stats().byKind.querySet.bytes).toBe(528);
    }
    expect(() => manager.createQuerySet({ type: 'occlusion', count: 0 })).toThrow(/count = 0/);
    expect(() => manager.createQuerySet({ type: 'pipeline-statistics', count: 1 } as never)).toThrow(/type/);
    const querySet = manager.gpu(occlusion);
    manager.destroy(occlusion);
    device.pushErrorScope('validation');
    const encoder = device.createCommandEncoder();
    const resolve = device.createBuffer({ size: 512, usage: GPUBufferUsage.QUERY_RESOLVE });
    encoder.resolveQuerySet(querySet, 0, 64, resolve, 0);
    device.queue.submit([encoder.finish()]);
    expect((await device.popErrorScope())?.message).toMatch(/destroyed/i);
    resolve.destroy();
    manager.dispose();
  });
});
