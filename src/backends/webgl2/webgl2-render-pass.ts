/**
 * What `manager.renderPass(rt, options)` returns on WebGL2: the framebuffer and its size, plus `begin()` and
 * `end()`, which do what a WebGPU render pass does at its start and end (load/clear, resolve, store/discard).
 */
import { bindFramebufferInfo } from 'twgl.js';
import type { RenderPassOptions } from '../../core/backend.ts';
import type { NormalizedRenderTargetDescriptor } from '../../resources/render-target.ts';
import type { WebGL2RenderTarget } from './webgl2-render-targets.ts';

/**
 * A render pass on WebGL2.
 *
 * @example
 * const pass = manager.renderPass(rt, { load: 'clear' });
 * pass.begin();               // bind, viewport, clear to the descriptor's clear values
 * gl.drawArrays(gl.TRIANGLES, 0, 3);
 * pass.end();                 // resolve MSAA, discard if asked, bind the default framebuffer
 */
export interface WebGL2RenderPass {
  readonly framebuffer: WebGLFramebuffer;
  readonly width: number;
  readonly height: number;
  /**
   * Binds the framebuffer (draw and read) and sets the viewport to its size; with `load: 'clear'` (default)
   * clears every attachment to the descriptor's clear values with `clearBuffer*`, like a WebGPU loadOp: the
   * scissor test and write masks are lifted for the clear and restored after.
   */
  begin(): void;
  /**
   * Resolves each multisampled colour attachment into its resolve target (`blitFramebuffer`), invalidates the
   * attachments with `store: 'discard'`, and binds the default framebuffer.
   */
  end(): void;
}

/**
 * Builds the render pass of a render target.
 *
 * @example
 * const pass = createRenderPass(gl, rt, desc, { load: 'load' });
 */
export function createRenderPass(
  gl: WebGL2RenderingContext,
  rt: WebGL2RenderTarget,
  desc: NormalizedRenderTargetDescriptor,
  options: RenderPassOptions,
): WebGL2RenderPass {
  const { framebuffer, width, height } = rt;
  const load = options.load ?? 'clear';
  const store = options.store ?? 'store';
  return {
    framebuffer,
    width,
    height,
    begin() {
      // twgl's type names WebGLRenderingContext; it only calls bindFramebuffer and viewport.
      bindFramebufferInfo(gl as unknown as WebGLRenderingContext, {
        framebuffer,
        width,
        height,
        attachments: [],
      });
      if (load === 'clear') withClearState(gl, () => clearAttachments(gl, rt, desc));
    },
    end() {
      if (rt.resolveFramebuffers.some((fb) => fb !== undefined)) withClearState(gl, () => resolve(gl, rt));
      if (store === 'discard') {
        gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
        gl.invalidateFramebuffer(gl.FRAMEBUFFER, attachmentPoints(gl, rt));
      }
      gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    },
  };
}

function clearAttachments(
  gl: WebGL2RenderingContext,
  rt: WebGL2RenderTarget,
  desc: NormalizedRenderTargetDescriptor,
) {
  desc.color.forEach((c, i) => {
    if (c === null) return;
    const kind = rt.colorClear[i];
    if (kind === 'uint') gl.clearBufferuiv(gl.COLOR, i, Uint32Array.from(c.clearValue));
    else if (kind === 'sint') gl.clearBufferiv(gl.COLOR, i, Int32Array.from(c.clearValue));
    else gl.clearBufferfv(gl.COLOR, i, Float32Array.from(c.clearValue));
  });
  const ds = desc.depthStencil;
  if (!ds) return;
  if (rt.depthStencilAspect === 'depth-stencil') {
    gl.clearBufferfi(gl.DEPTH_STENCIL, 0, ds.depthClearValue, ds.stencilClearValue);
  } else if (rt.depthStencilAspect === 'stencil') {
    gl.clearBufferiv(gl.STENCIL, 0, Int32Array.of(ds.stencilClearValue));
  } else {
    gl.clearBufferfv(gl.DEPTH, 0, Float32Array.of(ds.depthClearValue));
  }
}

function resolve(gl: WebGL2RenderingContext, rt: WebGL2RenderTarget): void {
  const { width: w, height: h } = rt;
  gl.bindFramebuffer(gl.READ_FRAMEBUFFER, rt.framebuffer);
  rt.resolveFramebuffers.forEach((target, i) => {
    if (!target) return;
    gl.bindFramebuffer(gl.DRAW_FRAMEBUFFER, target);
    gl.readBuffer(gl.COLOR_ATTACHMENT0 + i);
    gl.blitFramebuffer(0, 0, w, h, 0, 0, w, h, gl.COLOR_BUFFER_BIT, gl.NEAREST);
  });
  // readBuffer is framebuffer state: put back the default so later readPixels read attachment 0.
  gl.readBuffer(gl.COLOR_ATTACHMENT0);
}

function attachmentPoints(gl: WebGL2RenderingContext, rt: WebGL2RenderTarget): number[] {
  const points: number[] = [];
  rt.colorClear.forEach((kind, i) => {
    if (kind !== undefined) points.push(gl.COLOR_ATTACHMENT0 + i);
  });
  if (rt.depthStencilAspect === 'depth') points.push(gl.DEPTH_ATTACHMENT);
  else if (rt.depthStencilAspect === 'stencil') points.push(gl.STENCIL_ATTACHMENT);
  else if (rt.depthStencilAspect === 'depth-stencil') points.push(gl.DEPTH_STENCIL_ATTACHMENT);
  return points;
}

/**
 * Clears and blits obey the scissor test and the write masks; a WebGPU load/resolve does not. Lift them for
 * the body and restore them after.
 */
function withClearState(gl: WebGL2RenderingContext, body: () => void): void {
  const scissor = gl.isEnabled(gl.SCISSOR_TEST);
  const colorMask = gl.getParameter(gl.COLOR_WRITEMASK) as [boolean, boolean, boolean, boolean];
  const depthMask = gl.getParameter(gl.DEPTH_WRITEMASK) as boolean;
  const stencilFront = gl.getParameter(gl.STENCIL_WRITEMASK) as number;
  const stencilBack = gl.getParameter(gl.STENCIL_BACK_WRITEMASK) as number;
  if (scissor) gl.disable(gl.SCISSOR_TEST);
  gl.colorMask(true, true, true, true);
  gl.depthMask(true);
  gl.stencilMask(0xff);
  try {
    body();
  } finally {
    if (scissor) gl.enable(gl.SCISSOR_TEST);
    gl.colorMask(...colorMask);
    gl.depthMask(depthMask);
    gl.stencilMaskSeparate(gl.FRONT, stencilFront);
    gl.stencilMaskSeparate(gl.BACK, stencilBack);
  }
}
