import { describe, expect, it } from 'vitest';
import {
  BufferUsage,
  createResourceManager,
  ResourceInUseError,
  TextureUsage,
  ValidationError,
} from '../../src/index.ts';
import { ShaderStage } from '../../src/resources/bind-group-layout.ts';
import { gpuValidationError, useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();
const { FRAGMENT, COMPUTE } = ShaderStage;

const SHADOW_WGSL = /* wgsl */ `
@group(0) @binding(0) var shadowMap: texture_2d<f32>;
@group(0) @binding(1) var shadowSampler: sampler;
@group(0) @binding(2) var<uniform> tint: vec4f;
@vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
  let p = array(vec2f(-1, -1), vec2f(3, -1), vec2f(-1, 3));
  return vec4f(p[i], 0, 1);
}
@fragment fn fs(@builtin(position) p: vec4f) -> @location(0) vec4f {
  return textureSample(shadowMap, shadowSampler, p.xy / 8.0) * tint;
}`;

function material(manager: ReturnType<typeof createResourceManager>) {
  const layout = manager.createBindGroupLayout({
    label: 'material',
    entries: [
      { binding: 0, visibility: FRAGMENT, texture: {} },
      { binding: 1, visibility: FRAGMENT, sampler: {} },
      { binding: 2, visibility: FRAGMENT, buffer: {} },
    ],
  });
  const shadow = manager.createTexture({
    label: 'shadow-map',
    size: [8, 8],
    format: 'rgba8unorm',
    usage: TextureUsage.TEXTURE_BINDING | TextureUsage.RENDER_ATTACHMENT,
  });
  const sampler = manager.createSampler({ label: 'linear', magFilter: 'linear', minFilter: 'linear' });
  const tint = manager.createBuffer({
    label: 'tint',
    size: 16,
    usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST,
  });
  return { layout, shadow, sampler, tint };
}

describe('bind groups on Dawn', () => {
  it('a bind group over a texture, a sampler and a uniform buffer is a real GPUBindGroup, shared by descriptor', async () => {
    const manager = createResourceManager({ device: gpu.device, debug: true });
    const { layout, shadow, sampler, tint } = material(manager);
    const desc = {
      label: 'shadow-group',
      layout,
      entries: [
        { binding: 2, resource: { buffer: tint } },
        { binding: 0, resource: shadow },
        { binding: 1, resource: sampler },
      ],
    };
    const group = manager.createBindGroup(desc);
    expect(manager.gpu(group)).toBeInstanceOf(GPUBindGroup);
    expect(manager.createBindGroup({ ...desc, label: 'again' })).toBe(group);
    const other = manager.createBindGroup({
      ...desc,
      entries: [...desc.entries.slice(0, 2), { binding: 1, resource: manager.createSampler() }],
    });
    expect(other).not.toBe(group);
    expect(manager.stats().byKind.bindGroup).toEqual({ bytes: 0, count: 2 });
    expect(await manager.gpuErrors()).toEqual([]);
    manager.dispose();
  });

  it('three.js #34324: a texture under a live bind group cannot be destroyed, so it never reaches a submit destroyed', async () => {
    const { device } = gpu;
    const manager = createResourceManager({ device, debug: true });
    const { layout, shadow, sampler, tint } = material(manager);
    const group = manager.createBindGroup({
      label: 'shadow-group',
      layout,
      entries: [
        { binding: 0, resource: shadow },
        { binding: 1, resource: sampler },
        { binding: 2, resource: { buffer: tint } },
      ],
    });
    const error = (() => {
      try {
        manager.destroy(shadow);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ResourceInUseError);
    expect((error as ResourceInUseError).dependents).toEqual(['shadow-group']);
    expect(manager.has(shadow)).toBe(true);

    // Drawing with the group still works: the texture is alive.
    const module = device.createShaderModule({ code: SHADOW_WGSL });
    const pipeline = device.createRenderPipeline({
      layout: device.createPipelineLayout({ bindGroupLayouts: [manager.gpu(layout)] }),
      vertex: { module },
      fragment: { module, targets: [{ format: 'rgba8unorm' }] },
    });
    const target = device.createTexture({
      size: [8, 8],
      format: 'rgba8unorm',
      usage: GPUTextureUsage.RENDER_ATTACHMENT,
    });
    const draw = () => {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginRenderPass({
        colorAttachments: [{ view: target.createView(), loadOp: 'clear', storeOp: 'store' }],
      });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, manager.gpu(group));
      manager.use(group);
      pass.draw(3);
      pass.end();
      return encoder.finish();
    };
    expect(await gpuValidationError(device, () => manager.submit([draw()]))).toBeUndefined();

    // Cascade: the bind group goes first, then the texture; the old GPUBindGroup is no longer reachable.
    manager.destroy(shadow, { cascade: true });
    expect(manager.has(group)).toBe(false);
    expect(() => manager.gpu(group)).toThrow();
    await manager.idle();
    target.destroy();
    manager.dispose();
  });

  it('use(bindGroup) keeps every referenced resource alive until the GPU is done', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const { layout, shadow, sampler, tint } = material(manager);
    const group = manager.createBindGroup({
      layout,
      entries: [
        { binding: 0, resource: shadow },
        { binding: 1, resource: sampler },
        { binding: 2, resource: tint },
      ],
    });
    manager.use(group);
    const texture = manager.gpu(shadow);
    manager.destroy(group);
    manager.destroy(shadow);
    // Deferred: the work that used the group was not submitted/completed yet.
    expect(manager.stats().pendingFreeBytes).toBe(8 * 8 * 4);
    manager.submit([gpu.device.createCommandEncoder().finish()]);
    await manager.idle();
    expect(manager.stats().pendingFreeBytes).toBe(0);
    expect(
      await gpuValidationError(gpu.device, () => {
        const encoder = gpu.device.createCommandEncoder();
        encoder.clearBuffer(manager.gpu(tint));
        gpu.device.queue.submit([encoder.finish()]);
      }),
    ).toBeUndefined();
    expect(texture).toBeInstanceOf(GPUTexture);
    manager.dispose();
  });

  it('rejects a bind group that breaks its layout before the GPU, leaving nothing', () => {
    const manager = createResourceManager({ device: gpu.device });
    const { layout, shadow, sampler, tint } = material(manager);
    const vertexOnly = manager.createBuffer({ label: 'vbo', size: 256, usage: BufferUsage.VERTEX });
    const before = manager.stats().totalCount;
    const bad = (entries: unknown[]) => () =>
      manager.createBindGroup({ label: 'bad', layout, entries } as never);
    const ok = [
      { binding: 0, resource: shadow },
      { binding: 1, resource: sampler },
      { binding: 2, resource: tint },
    ];
    expect(bad(ok.slice(0, 2))).toThrow(/binding 2, a buffer, is missing/);
    expect(bad([...ok, { binding: 3, resource: tint }])).toThrow(/must be a binding of layout 'material'/);
    expect(bad([ok[0], ok[1], { binding: 2, resource: vertexOnly }])).toThrow(/must have UNIFORM usage/);
    expect(bad([ok[0], ok[1], { binding: 2, resource: { buffer: tint, offset: 4 } }])).toThrow(
      /multiple of minUniformBufferOffsetAlignment/,
    );
    expect(bad([ok[0], ok[1], { binding: 2, resource: { buffer: tint, size: 32 } }])).toThrow(
      /must fit buffer 'tint'/,
    );
    expect(bad([{ binding: 0, resource: sampler }, ok[1], ok[2]])).toThrow(
      /must be a texture or textureView/,
    );
    expect(bad([ok[0], ok[1], ok[2], ok[2]])).toThrow(ValidationError);
    expect(manager.stats().totalCount).toBe(before);
    manager.dispose();
  });

  it('storage buffers and storage textures bind in a compute layout', async () => {
    const manager = createResourceManager({ device: gpu.device, debug: true });
    const layout = manager.createBindGroupLayout({
      entries: [
        { binding: 0, visibility: COMPUTE, buffer: { type: 'storage' } },
        { binding: 1, visibility: COMPUTE, storageTexture: { format: 'rgba8unorm' } },
      ],
    });
    const data = manager.createBuffer({ size: 512, usage: BufferUsage.STORAGE });
    const image = manager.createTexture({
      size: [4, 4],
      format: 'rgba8unorm',
      usage: TextureUsage.STORAGE_BINDING,
    });
    const group = manager.createBindGroup({
      layout,
      entries: [
        { binding: 0, resource: { buffer: data, offset: 256, size: 256 } },
        { binding: 1, resource: manager.createView(image) },
      ],
    });
    expect(manager.resolve(group).dependencies).toEqual([layout, data, manager.createView(image), image]);
    expect(await manager.gpuErrors()).toEqual([]);
    manager.dispose();
  });
});
