/**
 * The render-targets demo on WebGL2: the scene (scene.*.glsl) into the offscreen 4x MSAA target through
 * `manager.renderPass(rt).begin()/end()` (end() resolves the MSAA colour into the resolve texture), then the
 * post-process (post.*.glsl) onto the default framebuffer, sampling the resolve texture. Programs and targets
 * are created through the manager; the sampler object and uniforms hold no memory worth a ledger line, as on
 * WebGPU.
 */

import { setUniforms } from 'twgl.js';
import postFragment from '../../shaders/post.frag.glsl?raw';
import postVertex from '../../shaders/post.vert.glsl?raw';
import sceneFragment from '../../shaders/scene.frag.glsl?raw';
import sceneVertex from '../../shaders/scene.vert.glsl?raw';
import type { Handle, WebGL2ResourceManager } from '../../src/index.ts';
import type { PixelSummary } from './pixels.ts';
import type { SceneRenderer } from './scene-renderer.ts';
import { createSceneTargets, destroySceneTargets, type SceneTargets, sceneTargetBytes } from './targets.ts';
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

  private constructor(
    private readonly manager: WebGL2ResourceManager,
    private readonly gl: WebGL2RenderingContext,
    private readonly scene: Handle<'shader'>,
    private readonly post: Handle<'shader'>,
    private readonly sampler: WebGLSampler,
    private readonly reportGLError: ((message: string) => void) | undefined,
  ) {
    // MSAA colour and depth are renderbuffers, the resolve target a texture: both limits apply.
    this.maxTargetSize = Math.min(
      gl.getParameter(gl.MAX_TEXTURE_SIZE) as number,
      gl.getParameter(gl.MAX_RENDERBUFFER_SIZE) as number,
    );
  }

  /**
   * Compiles both programs through the manager. With `reportGLError`, every frame ends with a `gl.getError()`
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
    // The post-process filters like the WebGPU sampler; a sampler object leaves the texture's own state alone.
    const sampler = gl.createSampler();
    gl.samplerParameteri(sampler, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
    gl.samplerParameteri(sampler, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
    gl.samplerParameteri(sampler, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.samplerParameteri(sampler, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    return new WebGL2SceneRenderer(manager, gl, scene, post, sampler, reportGLError);
  }

  /** Destroys the programs and targets through the manager, and the sampler object. */
  dispose(): void {
    if (this.targets) destroySceneTargets(this.manager, this.targets);
    this.targets = undefined;
    for (const handle of [this.scene, this.post]) {
      if (this.manager.has(handle)) this.manager.destroy(handle);
    }
    this.gl.deleteSampler(this.sampler);
  }

  targetSize(): { width: number; height: number } {
    return { width: this.targets?.width ?? 0, height: this.targets?.height ?? 0 };
  }

  expectedTargetBytes(): number {
    return this.targets ? sceneTargetBytes(this.targets.width, this.targets.height, this.backend) : 0;
  }

  /** Creates the new target set, then destroys the old one (deleted once the last frame's fence passes). */
  resize(width: number, height: number): void {
    const previous = this.targets;
    this.targets = createSceneTargets(this.manager, width, height);
    if (previous) destroySceneTargets(this.manager, previous);
  }

  drawFrame(time: number): void {
    const targets = this.targets;
    if (!targets) throw new Error('WebGL2SceneRenderer drew before its first resize');
    // Marked before submit: submit closes the epoch these uses belong to, so a resize's destroy waits for it.
    this.manager.use(
      targets.renderTarget,
      targets.color,
      targets.resolve,
      targets.depth,
      this.scene,
      this.post,
    );
    this.manager.submit([(gl) => this.record(gl, targets, time)]);
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
  private record(gl: WebGL2RenderingContext, targets: SceneTargets, time: number): void {
    const scene = this.manager.gpu(this.scene);
    const pass = this.manager.renderPass(targets.renderTarget);
    pass.begin(); // binds the MSAA framebuffer, sets the viewport, clears colour and depth
    gl.enable(gl.DEPTH_TEST);
    gl.depthFunc(gl.LESS);
    gl.useProgram(scene.program);
    setUniforms(scene.info, { u_time: time, u_aspect: targets.width / targets.height });
    gl.drawArraysInstanced(gl.TRIANGLES, 0, 3, INSTANCES);
    gl.disable(gl.DEPTH_TEST);
    pass.end(); // resolves into the resolve texture, binds the default framebuffer

    const post = this.manager.gpu(this.post);
    const resolve = this.manager.gpu(targets.resolve);
    if (resolve.kind !== 'texture')
      throw new Error('the resolve target is a renderbuffer: it cannot be sampled');
    gl.viewport(0, 0, gl.drawingBufferWidth, gl.drawingBufferHeight);
    gl.clearColor(0, 0, 0, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.useProgram(post.program);
    setUniforms(post.info, {
      // twgl binds the texture and sampler to the program's first texture unit (its only sampler uniform).
      u_scene: { texture: resolve.texture, sampler: this.sampler },
      u_resolution: [gl.drawingBufferWidth, gl.drawingBufferHeight],
      u_strength: 1,
    });
    gl.drawArrays(gl.TRIANGLES, 0, 3);
    // Unbind what twgl bound, so the deleted texture of a resize is not left on unit 0 with the sampler.
    gl.activeTexture(gl.TEXTURE0);
    gl.bindSampler(0, null);
    gl.bindTexture(gl.TEXTURE_2D, null);
    gl.useProgram(null);
  }
}
