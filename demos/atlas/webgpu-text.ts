import { BufferUsage, type Handle, type WebGPUResourceManager } from '../../src/index.ts';
import { QUAD_FLOATS, QuadBuffer, type TextRenderer } from './text-renderer.ts';

const TEXT_WGSL = /* wgsl */ `
struct Quad { @location(0) rect: vec4f, @location(1) uv: vec4f, @location(2) layer: f32 };
struct Varyings { @builtin(position) position: vec4f, @location(0) uv: vec2f, @location(1) @interpolate(flat) layer: i32 };
@group(0) @binding(0) var<uniform> targetSize: vec4f;
@group(0) @binding(1) var atlas: texture_2d_array<f32>;
@group(0) @binding(2) var nearest: sampler;
@vertex fn vs(@builtin(vertex_index) vertex: u32, quad: Quad) -> Varyings {
  let corner = vec2f(f32(vertex & 1u), f32(vertex >> 1u));
  let p = quad.rect.xy + corner * quad.rect.zw;
  let ndc = vec2f(p.x / targetSize.x * 2.0 - 1.0, 1.0 - p.y / targetSize.y * 2.0);
  return Varyings(vec4f(ndc, 0.0, 1.0), mix(quad.uv.xy, quad.uv.zw, corner), i32(quad.layer));
}
@fragment fn fs(in: Varyings) -> @location(0) vec4f {
  return textureSampleLevel(atlas, nearest, in.uv, in.layer, 0.0);
}`;

/** The text renderer on WebGPU. */
export class WebGPUTextRenderer implements TextRenderer {
  private readonly pipeline: GPURenderPipeline;
  private readonly sampler: GPUSampler;
  private readonly uniforms: Handle<'buffer'>;
  private readonly quads: QuadBuffer;

  constructor(
    private readonly manager: WebGPUResourceManager,
    private readonly device: GPUDevice,
    private readonly target: Handle<'texture'>,
    private readonly size: readonly [number, number],
  ) {
    const module = device.createShaderModule({ label: 'atlas text', code: TEXT_WGSL });
    this.pipeline = device.createRenderPipeline({
      label: 'atlas text',
      layout: 'auto',
      vertex: {
        module,
        entryPoint: 'vs',
        buffers: [
          {
            arrayStride: QUAD_FLOATS * 4,
            stepMode: 'instance',
            attributes: [
              { shaderLocation: 0, offset: 0, format: 'float32x4' },
              { shaderLocation: 1, offset: 16, format: 'float32x4' },
              { shaderLocation: 2, offset: 32, format: 'float32' },
            ],
          },
        ],
      },
      fragment: { module, entryPoint: 'fs', targets: [{ format: 'rgba8unorm' }] },
      primitive: { topology: 'triangle-strip' },
    });
    this.sampler = device.createSampler({ minFilter: 'nearest', magFilter: 'nearest' });
    // Buffers through the manager, so the ledger and the overlay count them.
    this.uniforms = manager.createBuffer({
      label: 'atlas text target size',
      size: 16,
      usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST,
    });
    manager.upload(this.uniforms, 0, new Float32Array([size[0], size[1], 0, 0]));
    this.quads = new QuadBuffer(manager);
  }

  draw(quads: Float32Array, count: number, atlasTexture: Handle<'texture'>): void {
    const instances = this.quads.write(quads, count);
    const atlas = this.manager.gpu(atlasTexture);
    const bindGroup = this.device.createBindGroup({
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.manager.gpu(this.uniforms) } },
        { binding: 1, resource: atlas.createView({ dimension: '2d-array' }) },
        { binding: 2, resource: this.sampler },
      ],
    });
    const encoder = this.device.createCommandEncoder({ label: 'atlas text' });
    this.manager.flush(encoder); // the staged quads and uniforms land before the pass
    const pass = encoder.beginRenderPass({
      colorAttachments: [
        {
          view: this.manager.gpu(this.target).createView(),
          loadOp: 'clear',
          storeOp: 'store',
          clearValue: [0, 0, 0, 0],
        },
      ],
    });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.setVertexBuffer(0, this.manager.gpu(instances));
    pass.setViewport(0, 0, this.size[0], this.size[1], 0, 1);
    if (count > 0) pass.draw(4, count);
    pass.end();
    this.manager.use(atlasTexture, this.target, this.uniforms, instances);
    this.manager.submit([encoder.finish()], { encoders: [encoder] });
  }

  destroy(): void {
    this.quads.destroy();
    this.manager.destroy(this.uniforms);
  }
}
