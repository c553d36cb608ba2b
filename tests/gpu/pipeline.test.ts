import { describe, expect, it } from 'vitest';
import {
  BufferUsage,
  createResourceManager,
  GpuValidationError,
  ResourceInUseError,
  ValidationError,
} from '../../src/index.ts';
import { ShaderStage } from '../../src/resources/bind-group-layout.ts';
import { useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();

const WGSL = /* wgsl */ `
struct U { color: vec4f }
@group(0) @binding(0) var<uniform> u: U;
@vertex fn vs(@location(0) p: vec2f) -> @builtin(position) vec4f { return vec4f(p, 0, 1); }
@fragment fn fs() -> @location(0) vec4f { return u.color; }
@compute @workgroup_size(1) fn cs() { _ = u.color; }
`;

const vertex = (module: number) => ({
  module: module as never,
  entryPoint: 'vs',
  buffers: [{ arrayStride: 8, attributes: [{ format: 'float32x2' as const, offset: 0, shaderLocation: 0 }] }],
});

describe('pipelines on Dawn', () => {
  it('render pipelines are built async, shared by descriptor, and depend on their shader and layout', async () => {
    const manager = createResourceManager({ device: gpu.device, debug: true });
    const shader = await manager.createShader({ label: 'flat', code: WGSL });
    const layout = manager.createBindGroupLayout({
      entries: [{ binding: 0, visibility: ShaderStage.FRAGMENT | ShaderStage.COMPUTE, buffer: {} }],
    });
    const pipelineLayout = manager.createPipelineLayout({ bindGroupLayouts: [layout] });
    const desc = {
      label: 'flat',
      layout: pipelineLayout,
      vertex: vertex(shader),
      fragment: { module: shader, entryPoint: 'fs', targets: [{ format: 'rgba8unorm' as const }] },
    };
    const [a, b] = await Promise.all([
      manager.createRenderPipeline(desc),
      manager.createRenderPipeline(desc),
    ]);
    expect(b).toBe(a);
    expect(manager.gpu(a)).toBeInstanceOf(GPURenderPipeline);
    const blended = await manager.createRenderPipeline({
      ...desc,
      fragment: {
        ...desc.fragment,
        targets: [
          {
            format: 'rgba8unorm',
            blend: { color: { srcFactor: 'src-alpha', dstFactor: 'one-minus-src-alpha' }, alpha: {} },
          },
        ],
      },
    });
    expect(blended).not.toBe(a);
    expect(manager.stats().byKind.renderPipeline).toEqual({ bytes: 0, count: 2 });
    expect(() => manager.destroy(pipelineLayout)).toThrow(ResourceInUseError);
    const compute = await manager.createComputePipeline({
      layout: pipelineLayout,
      compute: { module: shader, entryPoint: 'cs' },
    });
    expect(manager.gpu(compute)).toBeInstanceOf(GPUComputePipeline);
    expect(await manager.gpuErrors()).toEqual([]);
    manager.dispose();
  });

  it("'auto' layouts: the implied bind group layouts are handles that bind groups accept", async () => {
    const { device } = gpu;
    const manager = createResourceManager({ device, debug: true });
    const shader = await manager.createShader({ code: WGSL });
    const pipeline = await manager.createComputePipeline({
      label: 'auto',
      layout: 'auto',
      compute: { module: shader, entryPoint: 'cs' },
    });
    const group0 = manager.getBindGroupLayout(pipeline, 0);
    expect(manager.getBindGroupLayout(pipeline, 0)).toBe(group0);
    expect(manager.gpu(group0)).toBeInstanceOf(GPUBindGroupLayout);
    const uniforms = manager.createBuffer({ size: 16, usage: BufferUsage.UNIFORM });
    const bindGroup = manager.createBindGroup({
      layout: group0,
      entries: [{ binding: 0, resource: uniforms }],
    });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(manager.gpu(pipeline));
    pass.setBindGroup(0, manager.gpu(bindGroup));
    manager.use(pipeline, bindGroup);
    pass.dispatchWorkgroups(1);
    pass.end();
    device.pushErrorScope('validation');
    manager.submit([encoder.finish()]);
    expect(await device.popErrorScope()).toBeNull();
    expect(() => manager.getBindGroupLayout(pipeline, 4)).toThrow(/group = 4/);
    expect(await manager.gpuErrors()).toEqual([]);
    await manager.idle();
    manager.dispose();
  });

  it('vertex layout, target and state rules are refused before the GPU; a GPU refusal is typed with its message', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const shader = await manager.createShader({ code: WGSL });
    const base = {
      label: 'bad',
      layout: 'auto' as const,
      vertex: vertex(shader),
      fragment: { module: shader, entryPoint: 'fs', targets: [{ format: 'rgba8unorm' as const }] },
    };
    const refused = async (patch: object, message: RegExp | typeof ValidationError) => {
      await expect(manager.createRenderPipeline({ ...base, ...patch } as never)).rejects.toThrow(message);
    };
    const attr = (a: object) => ({
      vertex: { ...base.vertex, buffers: [{ arrayStride: 8, attributes: [a] }] },
    });
    await refused(
      { vertex: { ...base.vertex, buffers: [{ arrayStride: 6, attributes: [] }] } },
      /arrayStride = 6 is invalid: must be a multiple of 4/,
    );
    await refused(
      { vertex: { ...base.vertex, buffers: [{ arrayStride: 4096, attributes: [] }] } },
      /maxVertexBufferArrayStride/,
    );
    await refused(
      attr({ format: 'float32x2', offset: 2, shaderLocation: 0 }),
      /must be a multiple of 4 for 'float32x2'/,
    );
    await refused(
      attr({ format: 'float32x4', offset: 0, shaderLocation: 0 }),
      /must be <= the arrayStride \(8\)/,
    );
    await refused(attr({ format: 'float32x5', offset: 0, shaderLocation: 0 }), /GPUVertexFormat/);
    await refused(attr({ format: 'float32', offset: 0, shaderLocation: 16 }), /maxVertexAttributes/);
    await refused(
      { fragment: { ...base.fragment, targets: [{ format: 'r32uint', blend: { color: {}, alpha: {} } }] } },
      /'r32uint' is not blendable/,
    );
    await refused(
      { fragment: { ...base.fragment, targets: [{ format: 'bc1-rgba-unorm' }] } },
      /colour-renderable/,
    );
    await refused({ depthStencil: { format: 'rgba8unorm' } }, /depth or stencil format/);
    await refused({ multisample: { count: 2 } }, /must be 1 or 4/);
    await refused(
      { primitive: { topology: 'triangle-list', stripIndexFormat: 'uint16' } },
      /strip topologies only/,
    );
    await refused({ vertex: { ...base.vertex, module: 42 } }, ValidationError);
    // Valid in TypeScript, refused by the GPU: the entry point does not exist in the module.
    const error = await manager
      .createRenderPipeline({ ...base, vertex: { ...base.vertex, entryPoint: 'nope' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GpuValidationError);
    expect((error as Error).message).toMatch(/^'bad': the GPU rejected create a render pipeline: .*nope/s);
    expect(manager.stats().byKind.renderPipeline.count).toBe(0);
    manager.dispose();
  });
});
