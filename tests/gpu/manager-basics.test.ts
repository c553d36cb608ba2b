import { describe, expect, it } from 'vitest';
import {
  BufferUsage,
  createResourceManager,
  type Handle,
  ResourceInUseError,
  StaleHandleError,
  TextureUsage,
  ValidationError,
  WrongKindError,
} from '../../src/index.ts';
import { gpuValidationError, useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();

describe('manager on Dawn', () => {
  it('creates a texture on the GPU and counts its exact bytes', () => {
    const manager = createResourceManager({ device: gpu.device });
    const tex = manager.createTexture({
      label: 'albedo',
      size: [256, 256],
      format: 'rgba8unorm',
      usage: TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST,
      mipLevelCount: 'full',
    });
    const record = manager.resolve(tex);
    expect(record.kind).toBe('texture');
    expect(manager.gpu(tex).width).toBe(256);
    expect(manager.gpu(tex).mipLevelCount).toBe(9);
    expect(record.bytes).toBe(349_524);
    expect(manager.stats().byKind.texture).toEqual({ bytes: 349_524, count: 1 });
    manager.dispose();
  });

  it('each GPU object gets its own descriptor values, one create after another (the backend reuses its descriptor object)', () => {
    const manager = createResourceManager({ device: gpu.device });
    const usage = TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST;
    const a = manager.createTexture({ label: 'first', size: [64, 32], format: 'rgba8unorm', usage });
    const b = manager.createTexture({
      label: 'second',
      size: [8, 4, 3],
      format: 'r32float',
      usage: TextureUsage.COPY_SRC,
    });
    const u = manager.createBuffer({ label: 'uniforms', size: 256, usage: BufferUsage.UNIFORM });
    const v = manager.createBuffer({
      label: 'vertices',
      size: 1024,
      usage: BufferUsage.VERTEX | BufferUsage.COPY_DST,
    });
    const [ta, tb] = [manager.gpu(a), manager.gpu(b)];
    expect([ta.label, ta.width, ta.height, ta.depthOrArrayLayers, ta.format, ta.usage]).toEqual([
      'first',
      64,
      32,
      1,
      'rgba8unorm',
      usage,
    ]);
    expect([tb.label, tb.width, tb.height, tb.depthOrArrayLayers, tb.format, tb.usage]).toEqual([
      'second',
      8,
      4,
      3,
      'r32float',
      TextureUsage.COPY_SRC,
    ]);
    const [bu, bv] = [manager.gpu(u), manager.gpu(v)];
    expect([bu.label, bu.size, bu.usage]).toEqual(['uniforms', 256, BufferUsage.UNIFORM]);
    expect([bv.label, bv.size, bv.usage]).toEqual([
      'vertices',
      1024,
      BufferUsage.VERTEX | BufferUsage.COPY_DST,
    ]);
    manager.dispose();
  });

  it('destroy calls GPUBuffer.destroy(): later use fails GPU validation with "destroyed"', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const src = manager.createBuffer({
      label: 'src',
      size: 256,
      usage: BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
    });
    const dst = manager.createBuffer({ label: 'dst', size: 256, usage: BufferUsage.COPY_DST });
    const rawSrc = manager.gpu(src);
    manager.destroy(src);
    expect(manager.get(src)).toBeUndefined();
    expect(() => manager.destroy(src)).toThrow(StaleHandleError);
    const message = await gpuValidationError(gpu.device, () => {
      const encoder = gpu.device.createCommandEncoder();
      encoder.copyBufferToBuffer(rawSrc, 0, manager.gpu(dst), 0, 256);
      gpu.device.queue.submit([encoder.finish()]);
    });
    expect(message).toMatch(/destroyed/i);
    expect(manager.stats().byKind.buffer).toEqual({ bytes: 256, count: 1 });
    manager.dispose();
  });

  it('rejects a bad descriptor before the GPU and leaves nothing behind', () => {
    const manager = createResourceManager({ device: gpu.device });
    const before = manager.stats();
    expect(() =>
      manager.createTexture({
        label: 'huge',
        size: [100_000, 4],
        format: 'rgba8unorm',
        usage: TextureUsage.COPY_DST,
      }),
    ).toThrow(ValidationError);
    expect(manager.stats()).toEqual(before);
    expect([...manager.resources()]).toEqual([]);
    manager.dispose();
  });

  it('a render target keeps its attachments alive and builds a render pass that draws', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const color = manager.createTexture({
      label: 'color',
      size: [4, 4],
      format: 'rgba8unorm',
      usage: TextureUsage.RENDER_ATTACHMENT | TextureUsage.COPY_SRC,
    });
    const rt = manager.createRenderTarget({
      label: 'target',
      color: [{ texture: color, clearValue: [1, 0, 0, 1] }],
    });
    expect(() => manager.destroy(color)).toThrow(ResourceInUseError);
    const readback = gpu.device.createBuffer({
      size: 256 * 4,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const encoder = gpu.device.createCommandEncoder();
    encoder.beginRenderPass(manager.renderPass(rt)).end();
    encoder.copyTextureToBuffer(
      { texture: manager.gpu(color) },
      { buffer: readback, bytesPerRow: 256 },
      [4, 4],
    );
    manager.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    expect([...new Uint8Array(readback.getMappedRange(), 0, 4)]).toEqual([255, 0, 0, 255]);
    readback.destroy();
    manager.destroy(color, { cascade: true });
    expect(manager.has(rt)).toBe(false);
    expect(manager.stats().totalCount).toBe(0);
    manager.dispose();
  });

  it('a handle cast to the wrong kind is rejected with WrongKindError, not used', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const buf = manager.createBuffer({
      label: 'ubo',
      size: 16,
      usage: BufferUsage.UNIFORM | BufferUsage.COPY_SRC,
    });
    const asTarget = buf as unknown as Handle<'renderTarget'>;
    expect(() => manager.renderPass(asTarget)).toThrow(WrongKindError);
    expect(() => manager.renderPass(asTarget)).toThrow(
      /'ubo': handle \d+ is a buffer, but the rule requires a renderTarget/,
    );
    await expect(manager.readTexture(buf as unknown as Handle<'texture'>)).rejects.toBeInstanceOf(
      WrongKindError,
    );
    manager.dispose();
  });
});
