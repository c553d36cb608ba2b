/**
 * Reads back what the post-process wrote to a WebGPU canvas: the canvas texture is copied into a MAP_READ
 * buffer created through the manager (so the overlay sees it) in the same submission as the frame.
 */
import { BufferUsage, type WebGPUResourceManager } from '../../src/index.ts';
import { type PixelSummary, summarisePixels } from './pixels.ts';

/**
 * Copies `texture` (a canvas texture configured with COPY_SRC) into a MAP_READ buffer created through the
 * manager (so the overlay sees it), waits for the copy and summarises the pixels. `record` encodes the frame
 * first, in the same submission, so the copy reads exactly that frame.
 *
 * @example
 * const summary = await readBackFrame(manager, device, texture, (encoder) => encodeFrame(encoder, texture));
 */
export async function readBackFrame(
  manager: WebGPUResourceManager,
  device: GPUDevice,
  texture: GPUTexture,
  record: (encoder: GPUCommandEncoder) => void,
): Promise<PixelSummary> {
  const { width, height, format } = texture;
  if (format !== 'bgra8unorm' && format !== 'rgba8unorm') {
    throw new Error(`readBackFrame reads 8-bit RGBA/BGRA canvases, not ${format}`);
  }
  const bytesPerRow = Math.ceil((width * 4) / 256) * 256; // copyTextureToBuffer's row alignment
  const readback = manager.createBuffer({
    label: 'frame readback',
    size: bytesPerRow * height,
    usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
  });
  try {
    const encoder = device.createCommandEncoder({ label: 'frame readback' });
    record(encoder);
    encoder.copyTextureToBuffer({ texture }, { buffer: manager.gpu(readback), bytesPerRow }, [width, height]);
    manager.use(readback);
    manager.submit([encoder.finish()]);
    const buffer = manager.gpu(readback);
    await buffer.mapAsync(GPUMapMode.READ);
    const summary = summarisePixels(
      new Uint8Array(buffer.getMappedRange()),
      width,
      height,
      bytesPerRow,
      format === 'bgra8unorm',
    );
    buffer.unmap();
    return summary;
  } finally {
    manager.destroy(readback);
  }
}
