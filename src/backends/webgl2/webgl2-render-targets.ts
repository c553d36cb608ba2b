/**
 * Render targets on WebGL2: one framebuffer over the attachments (textures or renderbuffers), plus, for each
 * multisampled colour attachment with a resolve target, a single-sampled framebuffer that `blitFramebuffer`
 * resolves into. twgl's `createFramebufferInfo` attaches the existing objects at explicit attachment points
 * (it picks framebufferTexture2D or framebufferRenderbuffer and sets drawBuffers); `checkFramebufferStatus`
 * is the last check, and an incomplete framebuffer throws `FramebufferIncompleteError` naming the status.
 */
import { type AttachmentOptions, createFramebufferInfo, glEnumToString } from 'twgl.js';
import { FramebufferIncompleteError } from '../../errors.ts';
import { getFormatInfo } from '../../resources/formats.ts';
import type { NormalizedRenderTargetDescriptor } from '../../resources/render-target.ts';
import { preservingFramebuffers } from './gl-state.ts';
import type { WebGL2Texture } from './webgl2-textures.ts';

/** How `clearBuffer*` reads a colour attachment's clear value. */
export type ClearKind = 'float' | 'uint' | 'sint';

/** What a render target handle's record holds on WebGL2. */
export interface WebGL2RenderTarget {
  readonly framebuffer: WebGLFramebuffer;
  /** Per colour attachment, the framebuffer its multisampled contents resolve into, or undefined. */
  readonly resolveFramebuffers: readonly (WebGLFramebuffer | undefined)[];
  readonly width: number;
  readonly height: number;
  /** Per colour slot, which `clearBuffer*` variant clears it; undefined for an empty slot. */
  readonly colorClear: readonly (ClearKind | undefined)[];
  /** Aspects of the depth/stencil attachment, if any. */
  readonly depthStencilAspect: 'depth' | 'stencil' | 'depth-stencil' | undefined;
}

/** The attachments' GL objects, in descriptor order (the backend's `RenderTargetAttachments`). */
export interface GLAttachments {
  readonly color: readonly ({ texture: WebGL2Texture; resolveTarget: WebGL2Texture | undefined } | null)[];
  readonly depthStencil: WebGL2Texture | undefined;
}

function attachmentOf(texture: WebGL2Texture, attachmentPoint: number): AttachmentOptions {
  const attachment = texture.kind === 'texture' ? texture.texture : texture.renderbuffer;
  return { attachment, attachmentPoint };
}

function aspectOf(format: string): 'depth' | 'stencil' | 'depth-stencil' {
  const aspect = getFormatInfo(format)?.aspect;
  return aspect === 'stencil' || aspect === 'depth-stencil' ? aspect : 'depth';
}

function clearKindOf(format: string): ClearKind {
  const sampleType = getFormatInfo(format)?.sampleType;
  return sampleType === 'uint' || sampleType === 'sint' ? sampleType : 'float';
}

// Leaves the new framebuffer bound, as twgl does, so the status check reads it.
function attachWithGaps(
  gl: WebGL2RenderingContext,
  options: readonly AttachmentOptions[],
  drawBuffers: readonly number[],
): WebGLFramebuffer {
  const framebuffer = gl.createFramebuffer();
  gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
  for (const { attachment, attachmentPoint } of options) {
    const point = attachmentPoint ?? gl.COLOR_ATTACHMENT0;
    if (attachment instanceof WebGLRenderbuffer) {
      gl.framebufferRenderbuffer(gl.FRAMEBUFFER, point, gl.RENDERBUFFER, attachment);
    } else gl.framebufferTexture2D(gl.FRAMEBUFFER, point, gl.TEXTURE_2D, attachment as WebGLTexture, 0);
  }
  gl.drawBuffers(drawBuffers);
  return framebuffer;
}

/**
 * Creates the framebuffer(s) of a render target and checks they are complete; restores the caller's
 * framebuffer bindings. On an incomplete framebuffer, deletes what it created and throws.
 *
 * @example
 * const rt = createRenderTargetFramebuffers(gl, desc, { color: [{ texture, resolveTarget: undefined }], depthStencil });
 */
export function createRenderTargetFramebuffers(
  gl: WebGL2RenderingContext,
  desc: NormalizedRenderTargetDescriptor,
  attachments: GLAttachments,
): WebGL2RenderTarget {
  // twgl's types name WebGLRenderingContext; WebGL2RenderingContext has every member it uses.
  const gl1 = gl as unknown as WebGLRenderingContext;
  const { width, height } = desc;
  const created: WebGLFramebuffer[] = [];
  // twgl leaves the framebuffer it created bound, so the status query reads that one.
  const check = (what: string) => {
    const status = gl.checkFramebufferStatus(gl.FRAMEBUFFER);
    if (status === gl.FRAMEBUFFER_COMPLETE) return;
    for (const fb of created) gl.deleteFramebuffer(fb);
    throw new FramebufferIncompleteError(desc.label, what, status, glEnumToString(gl1, status));
  };
  return preservingFramebuffers(gl, () => {
    const options: AttachmentOptions[] = [];
    attachments.color.forEach((c, i) => {
      if (c) options.push(attachmentOf(c.texture, gl.COLOR_ATTACHMENT0 + i));
    });
    let depthStencilAspect: WebGL2RenderTarget['depthStencilAspect'];
    if (attachments.depthStencil) {
      depthStencilAspect = aspectOf(attachments.depthStencil.format);
      const point =
        depthStencilAspect === 'depth'
          ? gl.DEPTH_ATTACHMENT
          : depthStencilAspect === 'stencil'
            ? gl.STENCIL_ATTACHMENT
            : gl.DEPTH_STENCIL_ATTACHMENT;
      options.push(attachmentOf(attachments.depthStencil, point));
    }
    // With an empty colour slot twgl would call drawBuffers with the attached points only, which GL rejects
    // (drawBuffers[i] must be NONE or COLOR_ATTACHMENTi): such framebuffers are attached directly.
    const main = attachments.color.some((c) => c === null)
      ? attachWithGaps(
          gl,
          options,
          attachments.color.map((c, i) => (c ? gl.COLOR_ATTACHMENT0 + i : gl.NONE)),
        )
      : createFramebufferInfo(gl1, options, width, height).framebuffer;
    created.push(main);
    check('framebuffer');
    // One framebuffer per resolve target, attached at COLOR_ATTACHMENT0: WebGL2 requires drawBuffers[i] to
    // be COLOR_ATTACHMENTi, so a shared framebuffer could not blit into a single sparse attachment cleanly.
    const resolveFramebuffers = attachments.color.map((c, i) => {
      if (!c?.resolveTarget) return undefined;
      const fb = createFramebufferInfo(
        gl1,
        [attachmentOf(c.resolveTarget, gl.COLOR_ATTACHMENT0)],
        width,
        height,
      ).framebuffer;
      created.push(fb);
      check(`resolve framebuffer of color[${i}]`);
      return fb;
    });
    return {
      framebuffer: main,
      resolveFramebuffers,
      width,
      height,
      colorClear: attachments.color.map((c) => (c ? clearKindOf(c.texture.format) : undefined)),
      depthStencilAspect,
    };
  });
}

/**
 * Deletes a render target's framebuffers (each exactly once). The attachments are separate resources.
 *
 * @example
 * deleteRenderTargetFramebuffers(gl, record.gpu);
 */
export function deleteRenderTargetFramebuffers(gl: WebGL2RenderingContext, rt: WebGL2RenderTarget): void {
  gl.deleteFramebuffer(rt.framebuffer);
  for (const fb of rt.resolveFramebuffers) if (fb) gl.deleteFramebuffer(fb);
}
