import type { Handle } from '../handles/handle.ts';
import { type AtlasGpuOps, moveAtLevel, type PageMove, withScratchPage } from './atlas-gpu-ops.ts';
import type { AtlasManager } from './atlas-manager.ts';
import type { NormalizedAtlasOptions } from './atlas-options.ts';

/**
 * A full-screen triangle sampling the level above at the centre of each destination texel: that point is the
 * corner of a 2 x 2 block of the source, so linear filtering returns the block's exact average.
 */
const DOWNSAMPLE_WGSL = /* wgsl */ `
struct Varyings { @builtin(position) position: vec4f, @location(0) uv: vec2f };
@vertex fn vs(@builtin(vertex_index) index: u32) -> Varyings {
  let corners = array(vec2f(-1.0, -1.0), vec2f(3.0, -1.0), vec2f(-1.0, 3.0));
  let p = corners[index];
  return Varyings(vec4f(p, 0.0, 1.0), vec2f((p.x + 1.0) * 0.5, (1.0 - p.y) * 0.5));
}
@group(0) @binding(0) var source: texture_2d<f32>;
@group(0) @binding(1) var linearSampler: sampler;
@fragment fn fs(in: Varyings) -> @location(0) vec4f {
  return textureSampleLevel(source, linearSampler, in.uv, 0.0);
}`;

/** The atlas's GPU work on WebGPU: texture-to-texture copies and a render-pass downsample for mips. The
 * device is the manager's current one (a restore moves the manager to a new device).
 *
 * @example
 * const ops = new WebGPUAtlasOps(manager, normalizeAtlasOptions(manager, {}));
 */
export class WebGPUAtlasOps implements AtlasGpuOps {
  private pipeline: GPURenderPipeline | undefined;
  private sampler: GPUSampler | undefined;
  /** The device the pipeline and sampler were made on. */
  private pipelineDevice: GPUDevice | undefined;

  constructor(
    private readonly manager: AtlasManager,
    private readonly options: NormalizedAtlasOptions,
  ) {}

  /** The manager's device now. */
  private get device(): GPUDevice {
    return (this.manager.backend as unknown as { device: GPUDevice }).device;
  }

  movePage(texture: Handle<'texture'>, layer: number, moves: readonly PageMove[]): void {
    if (moves.length === 0) return;
    const { mipLevelCount, label } = this.options;
    // The scratch page's free is deferred by the manager until the copies recorded here have run.
    withScratchPage(this.manager, this.options, 0, (scratch) => {
      const page = this.manager.gpu(texture) as GPUTexture;
      const temp = this.manager.gpu(scratch) as GPUTexture;
      const encoder = this.device.createCommandEncoder({ label: `${label} compaction` });
      // Every source into the scratch texture first, then every destination from it: moves may chain.
      for (const pass of [0, 1]) {
        for (const move of moves) {
          for (let level = 0; level < mipLevelCount; level++) {
            const { sx, sy, dx, dy, w, h } = moveAtLevel(move, level);
            if (pass === 0) {
              encoder.copyTextureToTexture(
                { texture: page, mipLevel: level, origin: { x: sx, y: sy, z: layer } },
                { texture: temp, mipLevel: level, origin: { x: dx, y: dy, z: 0 } },
                [w, h],
              );
            } else {
              encoder.copyTextureToTexture(
                { texture: temp, mipLevel: level, origin: { x: dx, y: dy, z: 0 } },
                { texture: page, mipLevel: level, origin: { x: dx, y: dy, z: layer } },
                [w, h],
              );
            }
          }
        }
      }
      this.manager.use(texture, scratch);
      this.manager.submit([encoder.finish()]);
    });
  }

  flush(dirty: readonly { texture: Handle<'texture'>; layer: number }[]): void {
    if (this.options.mipLevelCount === 1 || dirty.length === 0) {
      this.manager.flush();
      return;
    }
    const encoder = this.device.createCommandEncoder({ label: `${this.options.label} mips` });
    this.manager.flush(encoder);
    const pipeline = this.downsamplePipeline();
    for (const { texture, layer } of dirty) {
      const gpuTexture = this.manager.gpu(texture) as GPUTexture;
      for (let level = 1; level < this.options.mipLevelCount; level++) {
        const view = (mip: number) =>
          gpuTexture.createView({
            dimension: '2d',
            baseMipLevel: mip,
            mipLevelCount: 1,
            baseArrayLayer: layer,
            arrayLayerCount: 1,
          });
        const bindGroup = this.device.createBindGroup({
          layout: pipeline.getBindGroupLayout(0),
          entries: [
            { binding: 0, resource: view(level - 1) },
            { binding: 1, resource: this.sampler! },
          ],
        });
        const pass = encoder.beginRenderPass({
          colorAttachments: [
            { view: view(level), loadOp: 'clear', storeOp: 'store', clearValue: [0, 0, 0, 0] },
          ],
        });
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroup);
        pass.draw(3);
        pass.end();
      }
      this.manager.use(texture);
    }
    this.manager.submit([encoder.finish()], { encoders: [encoder] });
  }

  copyAcross(
    from: { texture: Handle<'texture'>; layer: number },
    to: { texture: Handle<'texture'>; layer: number },
    moves: readonly PageMove[],
  ): void {
    if (moves.length === 0) return;
    this.manager.flush();
    const source = this.manager.gpu(from.texture) as GPUTexture;
    const target = this.manager.gpu(to.texture) as GPUTexture;
    const encoder = this.device.createCommandEncoder({ label: `${this.options.label} page to page` });
    for (const move of moves) {
      for (let level = 0; level < this.options.mipLevelCount; level++) {
        const { sx, sy, dx, dy, w, h } = moveAtLevel(move, level);
        encoder.copyTextureToTexture(
          { texture: source, mipLevel: level, origin: { x: sx, y: sy, z: from.layer } },
          { texture: target, mipLevel: level, origin: { x: dx, y: dy, z: to.layer } },
          [w, h],
        );
      }
    }
    this.manager.use(from.texture, to.texture);
    this.manager.submit([encoder.finish()]);
  }

  copyLayers(from: Handle<'texture'>, to: Handle<'texture'>, layers: number): void {
    this.manager.flush();
    const encoder = this.device.createCommandEncoder({ label: `${this.options.label} grow` });
    const { width, height, mipLevelCount } = this.options;
    for (let level = 0; level < mipLevelCount; level++) {
      encoder.copyTextureToTexture(
        { texture: this.manager.gpu(from) as GPUTexture, mipLevel: level },
        { texture: this.manager.gpu(to) as GPUTexture, mipLevel: level },
        [Math.max(1, width >> level), Math.max(1, height >> level), layers],
      );
    }
    this.manager.use(from, to);
    this.manager.submit([encoder.finish()]);
  }

  destroy(): void {
    this.pipeline = undefined;
    this.sampler = undefined;
    this.pipelineDevice = undefined;
  }

  private downsamplePipeline(): GPURenderPipeline {
    const device = this.device;
    if (this.pipeline !== undefined && this.pipelineDevice === device) return this.pipeline;
    this.pipelineDevice = device;
    const module = device.createShaderModule({ label: 'atlas downsample', code: DOWNSAMPLE_WGSL });
    this.sampler = device.createSampler({ minFilter: 'linear', magFilter: 'linear' });
    this.pipeline = device.createRenderPipeline({
      label: 'atlas downsample',
      layout: 'auto',
      vertex: { module, entryPoint: 'vs' },
      fragment: { module, entryPoint: 'fs', targets: [{ format: this.options.format }] },
      primitive: { topology: 'triangle-list' },
    });
    return this.pipeline;
  }
}
