import { describe, expect, it } from 'vitest';
import {
  BufferUsage,
  createResourceManager,
  type Handle,
  type TextureDescriptor,
  TextureUsage,
  ValidationError,
} from '../../src/index.ts';
import { ALL_TEXTURE_FORMATS, getFormatInfo } from '../../src/resources/formats.ts';
import { useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();
const RA = TextureUsage.RENDER_ATTACHMENT;

/** Runs a create that must fail validation and proves nothing was left behind. */
function expectRejected(
  manager: ReturnType<typeof createResourceManager>,
  create: () => unknown,
  field: string,
): void {
  const before = JSON.stringify(manager.usageStats());
  const handlesBefore = [...manager.resources()].map((r) => r.handle);
  let error: unknown;
  try {
    create();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).field).toBe(field);
  expect(JSON.stringify(manager.usageStats())).toBe(before);
  expect([...manager.resources()].map((r) => r.handle)).toEqual(handlesBefore);
}

describe('validation through the manager on Dawn', () => {
  it('rejects each bad texture, buffer and render target with nothing created and the ledger unchanged', () => {
    const manager = createResourceManager({ device: gpu.device });
    const limits = gpu.device.limits;
    const color = manager.createTexture({ label: 'color', size: [64, 64], format: 'rgba8unorm', usage: RA });
    const small = manager.createTexture({ label: 'small', size: [32, 32], format: 'rgba8unorm', usage: RA });
    const sampled = manager.createTexture({
      label: 'sampled',
      size: [64, 64],
      format: 'rgba8unorm',
      usage: TextureUsage.TEXTURE_BINDING,
    });
    const buffer = manager.createBuffer({ label: 'buf', size: 16, usage: BufferUsage.UNIFORM });
    const tex = (d: Partial<TextureDescriptor>) => () =>
      manager.createTexture({
        label: 'bad',
        size: [4, 4],
        format: 'rgba8unorm',
        usage: TextureUsage.TEXTURE_BINDING,
        ...d,
      });
    expectRejected(manager, tex({ size: [limits.maxTextureDimension2D + 1, 4] }), 'size.width');
    expectRejected(manager, tex({ dimension: '1d', size: [limits.maxTextureDimension1D + 1] }), 'size.width');
    expectRejected(
      manager,
      tex({ dimension: '3d', size: [4, 4, limits.maxTextureDimension3D + 1] }),
      'size.depthOrArrayLayers',
    );
    expectRejected(
      manager,
      tex({ size: [4, 4, limits.maxTextureArrayLayers + 1] }),
      'size.depthOrArrayLayers',
    );
    expectRejected(manager, tex({ mipLevelCount: 4 }), 'mipLevelCount');
    expectRejected(manager, tex({ sampleCount: 2, usage: RA }), 'sampleCount');
    expectRejected(manager, tex({ sampleCount: 4, usage: RA, mipLevelCount: 2 }), 'mipLevelCount');
    expectRejected(manager, tex({ usage: TextureUsage.STORAGE_BINDING, format: 'rgba8unorm-srgb' }), 'usage');
    expectRejected(manager, tex({ usage: RA, format: 'rgb9e5ufloat' }), 'usage');
    expectRejected(manager, tex({ usage: 0 }), 'usage');
    expectRejected(
      manager,
      () => manager.createBuffer({ label: 'b', size: -4, usage: BufferUsage.VERTEX }),
      'size',
    );
    expectRejected(
      manager,
      () => manager.createBuffer({ label: 'b', size: limits.maxBufferSize + 1, usage: BufferUsage.VERTEX }),
      'size',
    );
    expectRejected(
      manager,
      () => manager.createBuffer({ label: 'b', size: 4, usage: BufferUsage.MAP_READ | BufferUsage.VERTEX }),
      'usage',
    );
    expectRejected(
      manager,
      () => manager.createRenderTarget({ label: 'rt', color: [color, small] }),
      'color[1]',
    );
    expectRejected(manager, () => manager.createRenderTarget({ label: 'rt', color: [sampled] }), 'color[0]');
    expectRejected(
      manager,
      () => manager.createRenderTarget({ label: 'rt', color: [buffer as unknown as Handle<'texture'>] }),
      'color[0]',
    );
    manager.destroy(small);
    expectRejected(manager, () => manager.createRenderTarget({ label: 'rt', color: [small] }), 'color[0]');
    expect(manager.dispose().map((r) => r.label)).toEqual(['color', 'sampled', 'buf']);
  });

  it('an error message names the label, the field, the value and the rule', () => {
    const manager = createResourceManager({ device: gpu.device });
    expect(() =>
      manager.createTexture({
        label: 'shadow-map',
        size: [4, 4],
        format: 'depth24plus',
        usage: TextureUsage.STORAGE_BINDING,
      }),
    ).toThrow(
      /^'shadow-map': usage = 8 is invalid: must not include STORAGE_BINDING: 'depth24plus' is not storage-capable/,
    );
    manager.dispose();
  });

  it('debug mode: Dawn accepts every texture format that validation accepts (no GPU error)', async () => {
    const manager = createResourceManager({ device: gpu.device, debug: true });
    const accepted: string[] = [];
    const rejected: string[] = [];
    for (const format of ALL_TEXTURE_FORMATS) {
      const info = getFormatInfo(format)!;
      const size = [info.blockWidth * 4, info.blockHeight * 4];
      for (const usage of [
        TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST,
        RA,
        TextureUsage.STORAGE_BINDING,
      ]) {
        for (const sampleCount of usage === RA ? [1, 4] : [1]) {
          try {
            const h = manager.createTexture({
              label: `${format}/${usage}/${sampleCount}`,
              size,
              format,
              usage,
              sampleCount,
            });
            accepted.push(manager.resolve(h).label);
            manager.destroy(h);
          } catch (error) {
            expect(error).toBeInstanceOf(ValidationError);
            rejected.push(format);
          }
        }
      }
    }
    const gpuErrors = await manager.gpuErrors();
    expect(gpuErrors.map((e) => e.message)).toEqual([]);
    console.log(
      `[debug cross-check] ${accepted.length} format/usage/sample combinations accepted by validation and by Dawn; ${rejected.length} rejected by validation`,
    );
    expect(accepted.length).toBeGreaterThan(100);
    manager.dispose();
  });

  it('debug mode: a GPU rejection that validation missed is reported with the label', async () => {
    const manager = createResourceManager({ device: gpu.device, debug: true });
    const seen: string[] = [];
    manager.on('gpuError', (e) => seen.push(e.label));
    // Bypass the manager's validation through the backend seam to provoke a real GPU error.
    const { value, error } = manager.backend.captureErrors(() =>
      gpu.device.createTexture({ label: 'x', size: [4, 4], format: 'rgba8unorm', usage: 0 }),
    );
    expect(await error).toMatch(/usage/i);
    value.destroy();
    expect(seen).toEqual([]);
    manager.dispose();
  });
});
