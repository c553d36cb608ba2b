/** The README's "First use" example, run on Dawn: the figures and messages it shows must stay true. */
import { expect, it } from 'vitest';
import { createResourceManager, ResourceInUseError, TextureUsage, ValidationError } from '../../src/index.ts';
import { useGpuDevice } from '../support/webgpu.ts';

const fixture = useGpuDevice();

it('the README first-use example behaves as the README says', async () => {
  const device = fixture.device;
  const gpu = createResourceManager({ device, debug: true });
  const color = gpu.createTexture({
    label: 'scene-color',
    size: [1280, 720],
    format: 'rgba8unorm',
    usage: TextureUsage.RENDER_ATTACHMENT | TextureUsage.TEXTURE_BINDING,
  });
  const depth = gpu.createTexture({
    label: 'scene-depth',
    size: [1280, 720],
    format: 'depth24plus',
    usage: TextureUsage.RENDER_ATTACHMENT,
  });
  const target = gpu.createRenderTarget({ label: 'scene', color: [color], depthStencil: depth });

  const encoder = device.createCommandEncoder();
  const pass = encoder.beginRenderPass(gpu.renderPass(target));
  pass.end();
  gpu.use(color, depth);
  gpu.submit([encoder.finish()]);

  expect(gpu.stats().byKind.texture.bytes).toBe(7_372_800);

  let message = '';
  try {
    gpu.createTexture({ label: 'oops', size: [0, 4], format: 'rgba8unorm', usage: TextureUsage.COPY_DST });
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    message = (e as Error).message;
  }
  expect(message).toBe("'oops': size.width = 0 is invalid: must be an integer >= 1");

  expect(() => gpu.destroy(color)).toThrow(ResourceInUseError);
  expect(() => gpu.destroy(color)).toThrow(/'scene-color' cannot be destroyed: it is used by 'scene'/);
  gpu.destroy(color, { cascade: true });
  expect(gpu.has(target)).toBe(false);
  expect(gpu.dispose().map((r) => r.label)).toEqual(['scene-depth']);
  expect(await gpu.gpuErrors()).toEqual([]);
});
