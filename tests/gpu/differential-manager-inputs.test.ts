/**
 * Hostile input through the manager on Dawn: values that used to abort the process inside Dawn's Node
 * binding (labels that are Symbols, throwing Proxies, objects whose toString throws) and descriptors of the
 * wrong shape get a typed error with nothing created; what WebGPU accepts (size-0 buffers, empty colour
 * slots, { r, g, b, a } clear colours, transient attachments, iterable sizes) works and really renders.
 */
import { describe, expect, it } from 'vitest';
import {
  BufferUsage,
  createResourceManager,
  type Handle,
  TextureUsage,
  ValidationError,
} from '../../src/index.ts';
import { useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();
const RA = TextureUsage.RENDER_ATTACHMENT;
const { COPY_SRC } = TextureUsage;

const hostileLabels: [string, () => unknown][] = [
  ['a Symbol', () => Symbol('label')],
  [
    'a throwing Proxy',
    () =>
      new Proxy(
        {},
        {
          get() {
            throw new Error('trap');
          },
        },
      ),
  ],
  [
    'an object whose toString throws',
    () => ({
      toString() {
        throw new Error('toString');
      },
    }),
  ],
  ['a number', () => 7],
];

function expectTypedRejection(
  manager: ReturnType<typeof createResourceManager>,
  run: () => unknown,
  field: string,
) {
  // Every figure but the average age, which moves with the clock.
  const books = () => JSON.stringify({ ...manager.stats(), averageAgeMs: 0 });
  const before = books();
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).field).toBe(field);
  expect(books()).toBe(before);
}

/** Reads back the first pixel of an rgba8unorm texture. */
async function firstPixel(device: GPUDevice, texture: GPUTexture): Promise<number[]> {
  const buffer = device.createBuffer({ size: 256, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  const encoder = device.createCommandEncoder();
  encoder.copyTextureToBuffer({ texture }, { buffer, bytesPerRow: 256 }, [1, 1]);
  device.queue.submit([encoder.finish()]);
  await buffer.mapAsync(GPUMapMode.READ);
  const pixel = [...new Uint8Array(buffer.getMappedRange(), 0, 4)];
  buffer.destroy();
  return pixel;
}

describe('hostile input through the manager on Dawn', () => {
  it.each(hostileLabels)(
    'a label that is %s is a typed error on every create, and Dawn never sees it',
    async (_name, make) => {
      const manager = createResourceManager({ device: gpu.device });
      const label = make();
      expectTypedRejection(
        manager,
        () => manager.createTexture({ label, size: [4, 4], format: 'rgba8unorm', usage: RA } as never),
        'label',
      );
      expectTypedRejection(
        manager,
        () => manager.createBuffer({ label, size: 4, usage: BufferUsage.UNIFORM } as never),
        'label',
      );
      const tex = manager.createTexture({ label: 'ok', size: [4, 4], format: 'rgba8unorm', usage: RA });
      expectTypedRejection(
        manager,
        () => manager.createRenderTarget({ label, color: [tex] } as never),
        'label',
      );
      await expect(
        manager.createShader({ label, code: '@compute @workgroup_size(1) fn main() {}' } as never),
      ).rejects.toThrow(ValidationError);
      manager.dispose();
    },
  );

  it('descriptors of the wrong shape are typed errors naming the field', () => {
    const manager = createResourceManager({ device: gpu.device });
    expectTypedRejection(manager, () => manager.createTexture(null as never), 'descriptor');
    expectTypedRejection(manager, () => manager.createBuffer(null as never), 'descriptor');
    expectTypedRejection(manager, () => manager.createRenderTarget(undefined as never), 'descriptor');
    expectTypedRejection(
      manager,
      () => manager.createBuffer({ size: 4, usage: 2 ** 32 + BufferUsage.UNIFORM }),
      'usage',
    );
    expectTypedRejection(
      manager,
      () => manager.createBuffer({ size: 4, usage: BufferUsage.UNIFORM, mappedAtCreation: 1 } as never),
      'mappedAtCreation',
    );
    expectTypedRejection(
      manager,
      () =>
        manager.createTexture({ size: [4, 4], format: 'rgba8unorm', usage: RA, sampleCount: null } as never),
      'sampleCount',
    );
    manager.dispose();
  });

  it('creates what WebGPU accepts: a size-0 buffer, an iterable size, a Set of view formats', () => {
    const manager = createResourceManager({ device: gpu.device });
    const empty = manager.createBuffer({ label: 'empty', size: 0, usage: BufferUsage.COPY_DST });
    expect(manager.get(empty)?.bytes).toBe(0);
    const tex = manager.createTexture({
      label: 'typed size',
      size: new Uint32Array([8, 4]),
      format: 'rgba8unorm',
      usage: TextureUsage.TEXTURE_BINDING,
      viewFormats: new Set(['rgba8unorm-srgb'] as const),
    });
    const gpuTexture = manager.gpu(tex) as GPUTexture;
    expect([gpuTexture.width, gpuTexture.height]).toEqual([8, 4]);
    expect(manager.get(tex)?.bytes).toBe(8 * 4 * 4);
    manager.dispose();
  });

  it('renders into a target with an empty slot and a { r, g, b, a } clear colour, transient MSAA included', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const device = gpu.device;
    const out = manager.createTexture({
      label: 'out',
      size: [4, 4],
      format: 'rgba8unorm',
      usage: RA | COPY_SRC,
    });
    const ms = manager.createTexture({
      label: 'ms',
      size: [4, 4],
      format: 'rgba8unorm',
      usage: RA | TextureUsage.TRANSIENT_ATTACHMENT,
      sampleCount: 4,
    });
    const resolved = manager.createTexture({
      label: 'resolved',
      size: [4, 4],
      format: 'rgba8unorm',
      usage: RA | COPY_SRC,
    });
    const rt = manager.createRenderTarget({
      label: 'gapped',
      color: [null, { texture: out, clearValue: { r: 1, g: 0, b: 0, a: 1 } }],
    });
    const msaa = manager.createRenderTarget({
      label: 'transient msaa',
      color: [{ texture: ms, resolveTarget: resolved, clearValue: [0, 0, 1, 1] }],
    });
    device.pushErrorScope('validation');
    const encoder = device.createCommandEncoder();
    encoder.beginRenderPass(manager.renderPass(rt)).end();
    encoder.beginRenderPass(manager.renderPass(msaa)).end();
    device.queue.submit([encoder.finish()]);
    expect(await device.popErrorScope()).toBeNull();
    expect(await firstPixel(device, manager.gpu(out) as GPUTexture)).toEqual([255, 0, 0, 255]);
    expect(await firstPixel(device, manager.gpu(resolved) as GPUTexture)).toEqual([0, 0, 255, 255]);
    manager.dispose();
  });

  it('rejects what WebGPU rejects: two resolves into one texture, bad clear values', () => {
    const manager = createResourceManager({ device: gpu.device });
    const ms = (label: string) =>
      manager.createTexture({ label, size: [4, 4], format: 'rgba8unorm', usage: RA, sampleCount: 4 });
    const a = ms('a');
    const b = ms('b');
    const resolved = manager.createTexture({ label: 'r', size: [4, 4], format: 'rgba8unorm', usage: RA });
    const color = (clearValue: unknown) => [{ texture: a, clearValue }] as never;
    expectTypedRejection(
      manager,
      () =>
        manager.createRenderTarget({
          color: [
            { texture: a, resolveTarget: resolved },
            { texture: b, resolveTarget: resolved },
          ],
        }),
      'color[1].resolveTarget',
    );
    expectTypedRejection(
      manager,
      () => manager.createRenderTarget({ color: color([0, 0, 0]) }),
      'color[0].clearValue',
    );
    expectTypedRejection(
      manager,
      () => manager.createRenderTarget({ color: color('red') }),
      'color[0].clearValue',
    );
    expectTypedRejection(
      manager,
      () => manager.createRenderTarget({ color: color([Number.NaN, 0, 0, 0]) }),
      'color[0].clearValue[0]',
    );
    const depth = manager.createTexture({
      size: [4, 4],
      format: 'depth24plus',
      usage: RA,
      sampleCount: 4,
    }) as Handle<'texture'>;
    expectTypedRejection(
      manager,
      () =>
        manager.createRenderTarget({ color: [a], depthStencil: { texture: depth, depthClearValue: 1.5 } }),
      'depthStencil.depthClearValue',
    );
    manager.dispose();
  });
});
