/**
 * The render-targets demo on WebGL2: the scene (scene.*.glsl) into the offscreen 4x MSAA target through
 * `manager.renderPass(rt).begin()/end()` (end() resolves the MSAA colour into the resolve texture), then the
 * post-process (post.*.glsl) onto the default framebuffer, sampling the resolve texture. As on WebGPU,
 * everything is created through the manager, so the overlay lists it: programs, targets, the GL sampler
 * object, the post-process's bind group layout, pipeline layout and bind group (the resolve texture and the
 * sampler, bound with applyGLBindGroup), and both pipelines (program plus depth/blend/cull state, applied with
 * applyGLPipeline). The GLSL keeps plain uniforms for its numbers (GLSL ES has no uniform buffers bound by
 * number); only the texture and sampler go through the bind group.
 */

import { setUniforms } from 'twgl.js';
import postFragment from '../../shaders/post.frag.glsl?raw';
import postVertex from '../../shaders/post.vert.glsl?raw';
import sceneFragment from '../../shaders/scene.frag.glsl?raw';
import sceneVertex from '../../shaders/scene.vert.glsl?raw';
import { applyGLBindGroup, type WebGL2PipelineLayout } from '../../src/backends/webgl2/webgl2-bind-group.ts';
import { applyGLPipeline } from '../../src/backends/webgl2/webgl2-pipeline.ts';
import { type Handle, type ResourceKind, ShaderStage, type WebGL2ResourceManager } from '../../src/index.ts';
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
import { readBackCanvas } from './webgl2-readback.ts';

/** Instances of the scene draw: 12 ring triangles + the centre one (as on WebGPU). */
const INSTANCES = 13;

/**
 * The demo's two passes on WebGL2, presented to the context's canvas.
 *
 * @example
 * const renderer = await WebGL2SceneRenderer.create(manager, gl, (message) => console.error(message));
 * renderer.resize(canvas.width, canvas.height);
 * renderer.drawFrame(performance.now() / 1000);
 */
export class WebGL2SceneRenderer implements SceneRenderer {
  readonly backend = 'webgl2';
  /** The default framebuffer: RGBA8, double-buffered without preserveDrawingBuffer (swap-chain.ts). */
  readonly canvasFormat = 'rgba8unorm';
  readonly swapChainBuffers = 2;
  readonly maxTargetSize: number;
  private targets: SceneTargets | undefined;
  private postBindGroup: Handle<'bindGroup'> | undefined;

  private constructor(
    private readonly manager: WebGL2ResourceManager,
    private readonly gl: WebGL2RenderingContext,
    private readonly scenePipeline: Handle<'renderPipeline'>,
    private readonly postPipeline: Handle<'renderPipeline'>,
    private readonly postLayout: Handle<'bindGroupLayout'>,
    private readonly postPipelineLayout: Handle<'pipelineLayout'>,
    private readonly sampler: Handle<'sampler'>,
    /** Everything built once, destroyed in this order (dependents first) by dispose(). */
    private readonly owned: Handle<ResourceKind>[],
    private readonly reportGLError: ((message: string) => void) | undefined,
  ) {
    // MSAA colour and depth are renderbuffers, the resolve target a texture: both limits apply.
    this.maxTargetSize = Math.min(
      gl.getParameter(gl.MAX_TEXTURE_SIZE) as number,
      gl.getParameter(gl.MAX_RENDERBUFFER_SIZE) as number,
    );
  }

  /**
   * Compiles both programs and builds the pipelines, layouts and sampler through the manager. With `reportGLError`, every frame ends with a `gl.getError()`
   * check (a GPU round trip, so only for debugging and the tests) whose findings go to that function.
   */
  static async create(
    manager: WebGL2ResourceManager,
    gl: WebGL2RenderingContext,
    reportGLError?: (message: string) => void,
  ): Promise<WebGL2SceneRenderer> {
    const scene = await manager.createShader({
      label: 'scene',
      vertex: sceneVertex,
      fragment: sceneFragment,
    });
    const post = await manager.createShader({
      label: 'post-process',
      vertex: postVertex,
      fragment: postFragment,
    });
    // The same descriptors as on WebGPU: the scene depth-tested into the MSAA target, the post-process opaque.
    const scenePipeline = await manager.createRenderPipeline({
      label: 'scene',
      layout: 'auto',
      vertex: { module: scene },
      fragment: { module: scene, targets: [{ format: SCENE_FORMAT }] },
      primitive: { topology: 'triangle-list' },
      depthStencil: { format: DEPTH_FORMAT, depthWriteEnabled: true, depthCompare: 'less' },
      multisample: { count: SAMPLE_COUNT },
    });
    // The post-process samples like the WebGPU sampler; a GL sampler object leaves the texture's state alone.
    const sampler = manager.createSampler({
      label: 'post-process',
      magFilter: 'linear',
      minFilter: 'linear',
    });
    const postLayout = manager.createBindGroupLayout({
      label: 'post-process',
      entries: [
        { binding: 0, visibility: ShaderStage.FRAGMENT, texture: {} },
        { binding: 1, visibility: ShaderStage.FRAGMENT, sampler: {} },
      ],
    });
    const postPipelineLayout = manager.createPipelineLayout({
      label: 'post-process',
      bindGroupLayouts: [postLayout],
    });
    const postPipeline = await manager.createRenderPipeline({
      label: 'post-process',
      layout: postPipelineLayout,
      vertex: { module: post },
      fragment: { module: post, targets: [{ format: 'rgba8unorm' }] },
      primitive: { topology: 'triangle-list' },
    });
    const owned: Handle<ResourceKind>[] = [
      scenePipeline,
      postPipeline,
      postPipelineLayout,
      postLayout,
      sampler,
      scene,
      post,
    ];
    return new WebGL2SceneRenderer(
      manager,
      gl,
      scenePipeline,
      postPipeline,
      postLayout,
      postPipelineLayout,
      sampler,
      owned,
      reportGLError,
    );
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
   * set (deleted once the last frame's fence passes).
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
      ],
    });
    if (previousGroup) this.manager.destroy(previousGroup);
    if (previous) destroySceneTargets(this.manager, previous);
  }

  drawFrame(time: number): void {
    const targets = this.targets;
    const group = this.postBindGroup;
    if (!targets || !group) throw new Error('WebGL2SceneRenderer drew before its first resize');
    // Marked before submit: submit closes the epoch these uses belong to, so a resize's destroy waits for it.
    // A pipeline's use marks its program; a bind group's, the resolve texture and the sampler.
    this.manager.use(
      targets.renderTarget,
      targets.color,
      targets.resolve,
      targets.depth,
      this.scenePipeline,
      this.postPipeline,
      group,
    );
    this.manager.submit([(gl) => this.record(gl, targets, group, time)]);
    if (this.reportGLError) {
      const error = this.gl.getError();
      if (error !== this.gl.NO_ERROR)
        this.reportGLError(`WebGL2 frame: gl.getError() reported 0x${error.toString(16)}`);
    }
  }

  capture(time: number): Promise<PixelSummary> {
    return Promise.resolve(readBackCanvas(this.gl, () => this.drawFrame(time)));
  }

  /** Issues both passes. Leaves the default framebuffer bound (pass.end() binds it) and GL state as found. */
  private record(
    gl: WebGL2RenderingContext,
    targets: SceneTargets,
    group: Handle<'bindGroup'>,
    time: number,
  ): void {
    const scene = this.manager.gpu(this.scenePipeline);
    const pass = this.manager.renderPass(targets.renderTarget);
    pass.begin(); // binds the MSAA framebuffer, sets the viewport, clears colour and depth
    applyGLPipeline(gl, scene); // the program, depth test 'less' with writes, no blending, no culling
    setUniforms(scene.program.info, { u_time: time, u_aspect: targets.width / targets.height });
    gl.drawArraysInstanced(scene.mode, 0, 3, INSTANCES);
    pass.end(); // resolves into the resolve texture, binds the default framebuffer

    const post = this.manager.gpu(this.postPipeline);
    gl.viewport(0, 0, gl.drawingBufferWidth, gl.drawingBufferHeight);
    gl.clearColor(0, 0, 0, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    applyGLPipeline(gl, post); // the program (its sampler uniform reads unit 0), depth test off
    const layout = this.manager.gpu(this.postPipelineLayout) as WebGL2PipelineLayout;
    // The resolve texture and the sampler object on unit 0.
    applyGLBindGroup(gl, this.manager.gpu(group), layout.uniformBase[0]!, layout.textureBase[0]!);
    setUniforms(post.program.info, {
      u_resolution: [gl.drawingBufferWidth, gl.drawingBufferHeight],
      u_strength: 1,
    });
    gl.drawArrays(post.mode, 0, 3);
    // Unbind what the group bound, so the deleted texture of a resize is not left on unit 0 with the sampler.
    gl.activeTexture(gl.TEXTURE0);
    gl.bindSampler(0, null);
    gl.bindTexture(gl.TEXTURE_2D, null);
    gl.useProgram(null);
  }
}
