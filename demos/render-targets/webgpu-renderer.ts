/**
 * The render-targets demo on WebGPU: the scene (scene.wgsl) into the offscreen target, then the post-process
 * (post.wgsl) onto the canvas. Everything is created through the manager, so the overlay lists it: shaders,
 * uniform buffers, targets, the sampler, the post-process's bind group layout and pipeline layout, both
 * pipelines (the scene's with `layout: 'auto'`, whose group 0 layout is a handle too) and the bind groups. The
 * post-process bind group names the resolve texture, so a resize makes a new one before destroying the old
 * targets (a texture under a live bind group cannot be destroyed).
 */

import postWgsl from '../../shaders/post.wgsl?raw';
import sceneWgsl from '../../shaders/scene.wgsl?raw';
import {
  BufferUsage,
  type FrameTimer,
  type Handle,
  ReadbackCancelledError,
  type ResourceKind,
  ShaderStage,
  type TimedFrame,
  type WebGPUResourceManager,
} from '../../src/index.ts';
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
  private postBindGroup: Handle<'bindGroup'> | undefined;
  private readonly sceneData = new Float32Array(4);
  private readonly postData = new Float32Array(4);
  /** Times drawn frames (the scene pass starts the frame, the post-process ends it); `capture` is not timed. */
  private frameTimer: FrameTimer | undefined;

  private constructor(
    private readonly manager: WebGPUResourceManager,
    private device: GPUDevice,
    private readonly context: GPUCanvasContext,
    readonly canvasFormat: GPUTextureFormat,
    private readonly sceneUniforms: Handle<'buffer'>,
    private readonly postUniforms: Handle<'buffer'>,
    private readonly scenePipeline: Handle<'renderPipeline'>,
    private readonly postPipeline: Handle<'renderPipeline'>,
    private readonly postLayout: Handle<'bindGroupLayout'>,
    private readonly sceneBindGroup: Handle<'bindGroup'>,
    private readonly sampler: Handle<'sampler'>,
    /** Everything built once, destroyed in this order (dependents first) by dispose(). */
    private readonly owned: Handle<ResourceKind>[],
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
    const scenePipeline = await manager.createRenderPipeline({
      label: 'scene',
      layout: 'auto',
      vertex: { module: sceneShader, entryPoint: 'vs' },
      fragment: { module: sceneShader, entryPoint: 'fs', targets: [{ format: SCENE_FORMAT }] },
      primitive: { topology: 'triangle-list' },
      depthStencil: { format: DEPTH_FORMAT, depthWriteEnabled: true, depthCompare: 'less' },
      multisample: { count: SAMPLE_COUNT },
    });
    // The post-process states its layout (post.wgsl's group 0), so its bind groups are checked before the GPU.
    const postLayout = manager.createBindGroupLayout({
      label: 'post-process',
      entries: [
        { binding: 0, visibility: ShaderStage.FRAGMENT, texture: {} },
        { binding: 1, visibility: ShaderStage.FRAGMENT, sampler: {} },
        { binding: 2, visibility: ShaderStage.FRAGMENT, buffer: {} },
      ],
    });
    const postPipelineLayout = manager.createPipelineLayout({
      label: 'post-process',
      bindGroupLayouts: [postLayout],
    });
    const postPipeline = await manager.createRenderPipeline({
      label: 'post-process',
      layout: postPipelineLayout,
      vertex: { module: postShader, entryPoint: 'vs' },
      fragment: { module: postShader, entryPoint: 'fs', targets: [{ format: canvasFormat }] },
      primitive: { topology: 'triangle-list' },
    });
    const sceneLayout = manager.getBindGroupLayout(scenePipeline, 0);
    const sceneBindGroup = manager.createBindGroup({
      label: 'scene',
      layout: sceneLayout,
      entries: [{ binding: 0, resource: { buffer: sceneUniforms } }],
    });
    const sampler = manager.createSampler({
      label: 'post-process',
      magFilter: 'linear',
      minFilter: 'linear',
    });
    const owned: Handle<ResourceKind>[] = [
      sceneBindGroup,
      sceneLayout,
      scenePipeline,
      postPipeline,
      postPipelineLayout,
      postLayout,
      sampler,
      sceneShader,
      postShader,
      sceneUniforms,
      postUniforms,
    ];
    return new WebGPUSceneRenderer(
      manager,
      device,
      context,
      canvasFormat,
      sceneUniforms,
      postUniforms,
      scenePipeline,
      postPipeline,
      postLayout,
      sceneBindGroup,
      sampler,
      owned,
    );
  }

  /**
   * After a device loss the manager restored every handle onto `device`: encode and present with it (the
   * canvas is configured again; the handles, pipelines and bind groups included, stay the same).
   */
  useDevice(device: GPUDevice): void {
    this.device = device;
    this.context.configure({
      device,
      format: this.canvasFormat,
      usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC,
    });
  }

  /** Destroys everything it made through the manager, dependents first. */
  dispose(): void {
    if (this.postBindGroup && this.manager.has(this.postBindGroup)) this.manager.destroy(this.postBindGroup);
    this.postBindGroup = undefined;
    if (this.targets) destroySceneTargets(this.manager, this.targets);
    this.targets = undefined;
    for (const handle of this.owned) {
      if (this.manager.has(handle)) this.manager.destroy(handle);
    }
  }

  targetSize(): { width: number; height: number } {
    return { width: this.targets?.width ?? 0, height: this.targets?.height ?? 0 };
  }

  expectedTargetBytes(): number {
    return this.targets ? sceneTargetBytes(this.targets.width, this.targets.height, this.backend) : 0;
  }

  /**
   * Creates the new target set and a post-process bind group over it, then destroys the old group and the old
   * set (in that order: the old group still names the old resolve texture).
   */
  resize(width: number, height: number): void {
    const previous = this.targets;
    const previousGroup = this.postBindGroup;
    const targets = createSceneTargets(this.manager, width, height);
    this.targets = targets;
    this.postBindGroup = this.manager.createBindGroup({
      label: `post-process ${width}x${height}`,
      layout: this.postLayout,
      entries: [
        { binding: 0, resource: targets.resolve },
        { binding: 1, resource: this.sampler },
        { binding: 2, resource: { buffer: this.postUniforms } },
      ],
    });
    // Destroyed through the manager; what the last frame still uses is freed once the GPU is done with it.
    if (previousGroup) this.manager.destroy(previousGroup);
    if (previous) destroySceneTargets(this.manager, previous);
  }

  /** Times every drawn frame with `timer` from now on (GPU time where its device has 'timestamp-query'). */
  timeFrames(timer: FrameTimer): void {
    this.frameTimer = timer;
  }

  drawFrame(time: number): void {
    const timer = this.frameTimer;
    const timed = timer?.beginFrame();
    const encoder = this.device.createCommandEncoder({ label: 'frame' });
    this.encode(encoder, this.context.getCurrentTexture().createView(), time, timed);
    timer?.endFrame(encoder, timed);
    this.manager.submit([encoder.finish()]);
    timer?.submitted(timed).catch((error: unknown) => {
      // A device loss cancels the reads in flight: those frames are simply not timed.
      if (!(error instanceof ReadbackCancelledError)) console.error(error);
    });
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
  private encode(encoder: GPUCommandEncoder, output: GPUTextureView, time: number, timed?: TimedFrame): void {
    const targets = this.targets;
    if (!targets || !this.postBindGroup) throw new Error('WebGPUSceneRenderer drew before its first resize');
    const { queue } = this.device;
    this.sceneData.set([time, targets.width / targets.height, 0, 0]);
    queue.writeBuffer(this.manager.gpu(this.sceneUniforms), 0, this.sceneData);
    this.postData.set([targets.width, targets.height, 1, 0]);
    queue.writeBuffer(this.manager.gpu(this.postUniforms), 0, this.postData);

    const sceneDesc = this.manager.renderPass(targets.renderTarget);
    const scenePass = encoder.beginRenderPass(
      timed ? { ...sceneDesc, timestampWrites: timed.first } : sceneDesc,
    );
    scenePass.setPipeline(this.manager.gpu(this.scenePipeline));
    scenePass.setBindGroup(0, this.manager.gpu(this.sceneBindGroup));
    scenePass.draw(3, 13); // 12 ring triangles + the centre one
    scenePass.end();

    const postPass = encoder.beginRenderPass({
      label: 'post-process',
      colorAttachments: [{ view: output, loadOp: 'clear', storeOp: 'store', clearValue: [0, 0, 0, 1] }],
      ...(timed ? { timestampWrites: timed.last } : {}),
    });
    postPass.setPipeline(this.manager.gpu(this.postPipeline));
    postPass.setBindGroup(0, this.manager.gpu(this.postBindGroup));
    postPass.draw(3);
    postPass.end();

    // A bind group's use marks what it references (uniform buffers, the resolve texture, the sampler).
    this.manager.use(
      targets.renderTarget,
      targets.color,
      targets.resolve,
      targets.depth,
      this.scenePipeline,
      this.postPipeline,
      this.sceneBindGroup,
      this.postBindGroup,
    );
  }
}
