/**
 * Draws the render-targets demo: the scene into the offscreen target, then the post-process onto a canvas
 * view. Shaders and uniform buffers are created through the manager; pipelines, bind groups and the sampler
 * are not resources the manager counts (they hold no memory worth a ledger line).
 */

import postWgsl from '../../shaders/post.wgsl?raw';
import sceneWgsl from '../../shaders/scene.wgsl?raw';
import { BufferUsage, type Handle, type WebGPUResourceManager } from '../../src/index.ts';
import { DEPTH_FORMAT, SAMPLE_COUNT, SCENE_FORMAT, type SceneTargets } from './targets.ts';

/**
 * The demo's two passes.
 *
 * @example
 * const renderer = await SceneRenderer.create(manager, device, format);
 * renderer.setTargets(targets);
 * renderer.encode(encoder, context.getCurrentTexture().createView(), time);
 */
export class SceneRenderer {
  private targets: SceneTargets | undefined;
  private postBindGroup: GPUBindGroup | undefined;
  private readonly sceneData = new Float32Array(4);
  private readonly postData = new Float32Array(4);

  private constructor(
    private readonly manager: WebGPUResourceManager,
    private readonly device: GPUDevice,
    private readonly shaders: Handle<'shader'>[],
    private readonly sceneUniforms: Handle<'buffer'>,
    private readonly postUniforms: Handle<'buffer'>,
    private readonly scenePipeline: GPURenderPipeline,
    private readonly postPipeline: GPURenderPipeline,
    private readonly sceneBindGroup: GPUBindGroup,
    private readonly sampler: GPUSampler,
  ) {}

  /** Compiles the shaders (through the manager) and builds the pipelines. */
  static async create(
    manager: WebGPUResourceManager,
    device: GPUDevice,
    canvasFormat: GPUTextureFormat,
  ): Promise<SceneRenderer> {
    const sceneShader = await manager.createShader({ label: 'scene', code: sceneWgsl });
    const postShader = await manager.createShader({ label: 'post-process', code: postWgsl });
    const uniform = (label: string) =>
      manager.createBuffer({ label, size: 16, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST });
    const sceneUniforms = uniform('scene uniforms');
    const postUniforms = uniform('post uniforms');
    const scenePipeline = device.createRenderPipeline({
      label: 'scene',
      layout: 'auto',
      vertex: { module: manager.gpu(sceneShader), entryPoint: 'vs' },
      fragment: { module: manager.gpu(sceneShader), entryPoint: 'fs', targets: [{ format: SCENE_FORMAT }] },
      primitive: { topology: 'triangle-list' },
      depthStencil: { format: DEPTH_FORMAT, depthWriteEnabled: true, depthCompare: 'less' },
      multisample: { count: SAMPLE_COUNT },
    });
    const postPipeline = device.createRenderPipeline({
      label: 'post-process',
      layout: 'auto',
      vertex: { module: manager.gpu(postShader), entryPoint: 'vs' },
      fragment: { module: manager.gpu(postShader), entryPoint: 'fs', targets: [{ format: canvasFormat }] },
      primitive: { topology: 'triangle-list' },
    });
    const sceneBindGroup = device.createBindGroup({
      label: 'scene',
      layout: scenePipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: manager.gpu(sceneUniforms) } }],
    });
    const sampler = device.createSampler({ label: 'post-process', magFilter: 'linear', minFilter: 'linear' });
    return new SceneRenderer(
      manager,
      device,
      [sceneShader, postShader],
      sceneUniforms,
      postUniforms,
      scenePipeline,
      postPipeline,
      sceneBindGroup,
      sampler,
    );
  }

  /** Destroys the shaders and uniform buffers through the manager (the targets belong to the caller). */
  dispose(): void {
    for (const handle of [...this.shaders, this.sceneUniforms, this.postUniforms]) {
      if (this.manager.has(handle)) this.manager.destroy(handle);
    }
  }

  /** Points the post-process at a new target set (after a resize). */
  setTargets(targets: SceneTargets): void {
    this.targets = targets;
    this.postBindGroup = this.device.createBindGroup({
      label: 'post-process',
      layout: this.postPipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: this.manager.gpu(targets.resolve).createView() },
        { binding: 1, resource: this.sampler },
        { binding: 2, resource: { buffer: this.manager.gpu(this.postUniforms) } },
      ],
    });
  }

  /**
   * Records both passes for the scene at `time` (seconds) and marks every resource they use, so a resize
   * that destroys them waits for this work.
   */
  encode(encoder: GPUCommandEncoder, output: GPUTextureView, time: number): void {
    const targets = this.targets;
    if (!targets || !this.postBindGroup) throw new Error('SceneRenderer.encode before setTargets');
    const { queue } = this.device;
    this.sceneData.set([time, targets.width / targets.height, 0, 0]);
    queue.writeBuffer(this.manager.gpu(this.sceneUniforms), 0, this.sceneData);
    this.postData.set([targets.width, targets.height, 1, 0]);
    queue.writeBuffer(this.manager.gpu(this.postUniforms), 0, this.postData);

    const scenePass = encoder.beginRenderPass(this.manager.renderPass(targets.renderTarget));
    scenePass.setPipeline(this.scenePipeline);
    scenePass.setBindGroup(0, this.sceneBindGroup);
    scenePass.draw(3, 13); // 12 ring triangles + the centre one
    scenePass.end();

    const postPass = encoder.beginRenderPass({
      label: 'post-process',
      colorAttachments: [{ view: output, loadOp: 'clear', storeOp: 'store', clearValue: [0, 0, 0, 1] }],
    });
    postPass.setPipeline(this.postPipeline);
    postPass.setBindGroup(0, this.postBindGroup);
    postPass.draw(3);
    postPass.end();

    this.manager.use(
      targets.renderTarget,
      targets.color,
      targets.resolve,
      targets.depth,
      this.sceneUniforms,
      this.postUniforms,
    );
  }
}
