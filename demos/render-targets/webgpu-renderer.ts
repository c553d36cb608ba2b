/**
 * The render-targets demo on WebGPU: the scene (scene.wgsl) into the offscreen target, then the post-process
 * (post.wgsl) onto the canvas. Shaders, uniform buffers and targets are created through the manager; pipelines,
 * bind groups and the sampler are not resources the manager counts (they hold no memory worth a ledger line).
 */

import postWgsl from '../../shaders/post.wgsl?raw';
import sceneWgsl from '../../shaders/scene.wgsl?raw';
import { BufferUsage, type Handle, type WebGPUResourceManager } from '../../src/index.ts';
import type { PixelSummary } from './pixels.ts';
import type { SceneRenderer } from './scene-renderer.ts';
import {
  createSceneTargets,
  DEPTH_FORMAT,
  destroySceneTargets,
  SAMPLE_COUNT,
  SCENE_FORMAT,
  type SceneTargets,
  sceneTargetBytes,
} from './targets.ts';
import { readBackFrame } from './webgpu-readback.ts';

/**
 * The demo's two passes on WebGPU, presented to a canvas context it configures.
 *
 * @example
 * const renderer = await WebGPUSceneRenderer.create(manager, device, canvas.getContext('webgpu')!);
 * renderer.resize(canvas.width, canvas.height);
 * renderer.drawFrame(performance.now() / 1000);
 */
export class WebGPUSceneRenderer implements SceneRenderer {
  readonly backend = 'webgpu';
  readonly swapChainBuffers = 3; // Chromium's steady state for an animating WebGPU canvas (swap-chain.ts)
  readonly maxTargetSize: number;
  private targets: SceneTargets | undefined;
  private postBindGroup: GPUBindGroup | undefined;
  private readonly sceneData = new Float32Array(4);
  private readonly postData = new Float32Array(4);

  private constructor(
    private readonly manager: WebGPUResourceManager,
    private readonly device: GPUDevice,
    private readonly context: GPUCanvasContext,
    readonly canvasFormat: GPUTextureFormat,
    private readonly shaders: Handle<'shader'>[],
    private readonly sceneUniforms: Handle<'buffer'>,
    private readonly postUniforms: Handle<'buffer'>,
    private readonly scenePipeline: GPURenderPipeline,
    private readonly postPipeline: GPURenderPipeline,
    private readonly sceneBindGroup: GPUBindGroup,
    private readonly sampler: GPUSampler,
  ) {
    this.maxTargetSize = device.limits.maxTextureDimension2D;
  }

  /** Configures the canvas context, compiles the shaders (through the manager) and builds the pipelines. */
  static async create(
    manager: WebGPUResourceManager,
    device: GPUDevice,
    context: GPUCanvasContext,
  ): Promise<WebGPUSceneRenderer> {
    const canvasFormat = navigator.gpu.getPreferredCanvasFormat();
    // COPY_SRC lets the demo read its own output back (the browser tests' "not blank" check).
    context.configure({
      device,
      format: canvasFormat,
      usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC,
    });
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
    return new WebGPUSceneRenderer(
      manager,
      device,
      context,
      canvasFormat,
      [sceneShader, postShader],
      sceneUniforms,
      postUniforms,
      scenePipeline,
      postPipeline,
      sceneBindGroup,
      sampler,
    );
  }

  /** Destroys the shaders, uniform buffers and targets through the manager. */
  dispose(): void {
    if (this.targets) destroySceneTargets(this.manager, this.targets);
    this.targets = undefined;
    for (const handle of [...this.shaders, this.sceneUniforms, this.postUniforms]) {
      if (this.manager.has(handle)) this.manager.destroy(handle);
    }
  }

  targetSize(): { width: number; height: number } {
    return { width: this.targets?.width ?? 0, height: this.targets?.height ?? 0 };
  }

  expectedTargetBytes(): number {
    return this.targets ? sceneTargetBytes(this.targets.width, this.targets.height, this.backend) : 0;
  }

  /** Creates the new target set, points the post-process at it, then destroys the old set. */
  resize(width: number, height: number): void {
    const previous = this.targets;
    const targets = createSceneTargets(this.manager, width, height);
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
    // Destroyed through the manager; what the last frame still uses is freed once the GPU is done with it.
    if (previous) destroySceneTargets(this.manager, previous);
  }

  drawFrame(time: number): void {
    const encoder = this.device.createCommandEncoder({ label: 'frame' });
    this.encode(encoder, this.context.getCurrentTexture().createView(), time);
    this.manager.submit([encoder.finish()]);
  }

  capture(time: number): Promise<PixelSummary> {
    const texture = this.context.getCurrentTexture();
    return readBackFrame(this.manager, this.device, texture, (encoder) =>
      this.encode(encoder, texture.createView(), time),
    );
  }

  /**
   * Records both passes for the scene at `time` (seconds) and marks every resource they use, so a resize
   * that destroys them waits for this work.
   */
  private encode(encoder: GPUCommandEncoder, output: GPUTextureView, time: number): void {
    const targets = this.targets;
    if (!targets || !this.postBindGroup) throw new Error('WebGPUSceneRenderer drew before its first resize');
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
