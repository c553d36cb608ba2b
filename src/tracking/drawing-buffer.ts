/**
 * A WebGL2 canvas's drawing buffer, from what the page can observe: its size (`drawingBufferWidth/Height`),
 * `getContextAttributes()` (alpha, depth, stencil, antialias) and the default framebuffer's `SAMPLES`.
 *
 * The model (an assumption about Chromium, not a measurement): the colour buffer is RGBA8 and
 * double-buffered (the one drawn and the one the compositor shows: 2 x w x h x 4); depth and/or stencil is one
 * packed D24S8 buffer (w x h x 4); with antialias, a multisampled colour buffer and the depth/stencil buffer
 * take `SAMPLES` samples each, and the single-sample colour buffers stay as the resolve targets.
 * Not knowable from the page: driver padding, compression, whether `alpha: false` is stored as RGBX8.
 */
import type { NormalizedTextureDescriptor } from '../resources/texture.ts';
import { TextureUsage } from '../resources/usage.ts';

/** The label prefix of drawing-buffer records. */
export const DRAWING_BUFFER_LABEL = 'drawing buffer';

const SAMPLES = 0x80a9;
const FRAMEBUFFER_BINDING = 0x8ca6;

/**
 * The record of `gl`'s drawing buffer, or `undefined` when the context has none (lost, 0x0).
 *
 * @example
 * drawingBufferRecord(gl, gl.getParameter.bind(gl))?.bytes // 300x150, depth, no MSAA: 300*150*(8+4)
 */
export function drawingBufferRecord(
  gl: WebGL2RenderingContext,
  getParameter: (name: number) => unknown,
): { descriptor: NormalizedTextureDescriptor; bytes: number } | undefined {
  const attributes = gl.getContextAttributes();
  const { drawingBufferWidth: width, drawingBufferHeight: height } = gl;
  if (attributes === null || width === 0 || height === 0) return undefined;
  const pixels = width * height;
  // SAMPLES describes the bound framebuffer: only the default one (null) tells the drawing buffer's count.
  const defaultBound = getParameter(FRAMEBUFFER_BINDING) === null;
  const reported = defaultBound ? getParameter(SAMPLES) : undefined;
  const samples = attributes.antialias ? (typeof reported === 'number' && reported > 1 ? reported : 4) : 1;
  const depthStencil = attributes.depth || attributes.stencil ? pixels * 4 * samples : 0;
  const multisampledColor = samples > 1 ? pixels * 4 * samples : 0;
  const bytes = 2 * pixels * 4 + multisampledColor + depthStencil;
  const canvas = gl.canvas as { id?: unknown };
  const name = typeof canvas.id === 'string' && canvas.id ? `#${canvas.id}` : 'canvas';
  return {
    descriptor: {
      label: `${DRAWING_BUFFER_LABEL} ${name} ${width}x${height}${samples > 1 ? ` ${samples}x MSAA` : ''}${depthStencil ? ' +depth/stencil' : ''}`,
      width,
      height,
      depthOrArrayLayers: 1,
      format: 'rgba8unorm',
      usage: TextureUsage.RENDER_ATTACHMENT,
      dimension: '2d',
      mipLevelCount: 1,
      sampleCount: samples,
      viewFormats: [],
    },
    bytes,
  };
}
