/**
 * Reads back what the post-process wrote to a WebGL2 canvas. The default framebuffer is read with
 * `gl.readPixels` right after the frame is drawn, in the same task: until the browser composites, the drawing
 * buffer still holds the frame, so the context needs no `preserveDrawingBuffer` (which would cost a copy on
 * every frame of the running demo).
 */
import { type PixelSummary, summarisePixels } from './pixels.ts';

/**
 * Runs `draw` (which must leave the default framebuffer holding the frame), reads the canvas back and
 * summarises it, rows in top-to-bottom order like the WebGPU readback (GL reads from the bottom row up).
 *
 * @example
 * const summary = readBackCanvas(gl, () => renderer.drawFrame(1.0));
 */
export function readBackCanvas(gl: WebGL2RenderingContext, draw: () => void): PixelSummary {
  draw();
  const width = gl.drawingBufferWidth;
  const height = gl.drawingBufferHeight;
  const rowBytes = width * 4;
  const bottomUp = new Uint8Array(rowBytes * height);
  gl.bindFramebuffer(gl.READ_FRAMEBUFFER, null);
  // An RGBA8 row is a multiple of 4 bytes, so the default PACK_ALIGNMENT (4) adds no padding between rows.
  gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, bottomUp);
  const topDown = new Uint8Array(bottomUp.length);
  for (let y = 0; y < height; y++) {
    const from = (height - 1 - y) * rowBytes;
    topDown.set(bottomUp.subarray(from, from + rowBytes), y * rowBytes);
  }
  return summarisePixels(topDown, width, height, rowBytes, false);
}
