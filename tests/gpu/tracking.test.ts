/**
 * trackDevice on Dawn: an engine creating on the device directly is counted byte-exactly (against hand
 * computations), its destroys update the books, its calls behave exactly as without tracking, and objects
 * collected without destroy are reported.
 */
import { describe, expect, it } from 'vitest';
import type { Handle } from '../../src/handles/handle.ts';
import { BufferUsage, TextureUsage } from '../../src/resources/usage.ts';
import type { CollectionWatcherFactory } from '../../src/tracking/collection-watcher.ts';
import { trackDevice } from '../../src/tracking/track-device.ts';
import { useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();
const { TEXTURE_BINDING, COPY_DST, RENDER_ATTACHMENT } = TextureUsage;

/** A watcher the test drives: `collect(object)` plays the garbage collector for that object. */
function drivenWatcher() {
  const watched = new Map<object, number>();
  let report: (token: number) => void = () => {};
  const factory: CollectionWatcherFactory = (collected) => {
    report = collected;
    return {
      watch: (object, token) => watched.set(object, token),
      unwatch: (token) => {
        for (const [object, t] of watched) if (t === token) watched.delete(object);
      },
    };
  };
  return {
    factory,
    watching: (object: object) => watched.has(object),
    collect(object: object) {
      const token = watched.get(object);
      if (token === undefined) throw new Error('not watched');
      watched.delete(object);
      report(token);
    },
  };
}

function bytesOf(manager: ReturnType<typeof trackDevice>, object: object): number | undefined {
  const handle = manager.handleOf(object);
  return handle === undefined ? undefined : manager.resolve(handle as Handle<'texture'>).bytes;
}

describe('trackDevice on Dawn', () => {
  it('counts textures exactly: mip chains, 4x MSAA at 4x, depth24plus-stencil8, compressed BC7', () => {
    const { device } = gpu;
    const manager = trackDevice(device);
    try {
      const mipped = device.createTexture({
        label: 'albedo',
        size: [256, 256],
        format: 'rgba8unorm',
        usage: TEXTURE_BINDING | COPY_DST,
        mipLevelCount: 9,
      });
      // 256^2 + 128^2 + ... + 1^2 = 87381 texels, 4 bytes each.
      expect(bytesOf(manager, mipped)).toBe(87381 * 4);
      const msaa = device.createTexture({
        label: 'msaa',
        size: { width: 64, height: 32 },
        format: 'rgba8unorm',
        usage: RENDER_ATTACHMENT,
        sampleCount: 4,
      });
      expect(bytesOf(manager, msaa)).toBe(64 * 32 * 4 * 4); // 4 samples: 4x, not 16x
      const depth = device.createTexture({
        label: 'depth',
        size: [100, 50],
        format: 'depth24plus-stencil8',
        usage: RENDER_ATTACHMENT,
      });
      expect(bytesOf(manager, depth)).toBe(100 * 50 * 4);
      const layers = device.createTexture({
        label: 'layers',
        size: [16, 8, 6],
        format: 'rgba16float',
        usage: TEXTURE_BINDING,
        mipLevelCount: 2,
      });
      expect(bytesOf(manager, layers)).toBe((16 * 8 + 8 * 4) * 6 * 8);
      const volume = device.createTexture({
        label: 'volume',
        size: [8, 8, 8],
        dimension: '3d',
        format: 'r8unorm',
        usage: TEXTURE_BINDING,
        mipLevelCount: 4,
      });
      expect(bytesOf(manager, volume)).toBe(512 + 64 + 8 + 1);
      let expected = 87381 * 4 + 64 * 32 * 16 + 100 * 50 * 4 + (16 * 8 + 8 * 4) * 48 + 585;
      expect(device.features.has('texture-compression-bc'), 'SwiftShader offers BC').toBe(true);
      const bc7 = device.createTexture({
        label: 'bc7',
        size: [2048, 2048],
        format: 'bc7-rgba-unorm',
        usage: TEXTURE_BINDING,
        mipLevelCount: 12,
      });
      // Blocks per side 512, 256, ..., 1, then 1 and 1 for the 2x2 and 1x1 levels; 16 bytes a block.
      const blocks = [512, 256, 128, 64, 32, 16, 8, 4, 2, 1, 1, 1].reduce(
        (sum, side) => sum + side * side,
        0,
      );
      expect(blocks).toBe(349527);
      expect(bytesOf(manager, bc7)).toBe(blocks * 16);
      expected += blocks * 16;
      expect(manager.stats().byKind.texture).toEqual({ bytes: expected, count: 6 });
      // Destroy takes it out; a second destroy is the engine's business and changes nothing.
      msaa.destroy();
      msaa.destroy();
      expected -= 64 * 32 * 16;
      expect(manager.handleOf(msaa)).toBeUndefined();
      expect(manager.stats().byKind.texture).toEqual({ bytes: expected, count: 5 });
      for (const t of [mipped, depth, layers, volume, bc7]) t.destroy();
      expect(manager.stats().byKind.texture).toEqual({ bytes: 0, count: 0 });
    } finally {
      manager.dispose();
    }
  });

  it('counts buffers, keeps mappedAtCreation, and records shader modules at 0 bytes', async () => {
    const { device } = gpu;
    const manager = trackDevice(device);
    try {
      const vertices = device.createBuffer({ label: 'vertices', size: 1000, usage: BufferUsage.VERTEX });
      const mapped = device.createBuffer({ size: 64, usage: BufferUsage.COPY_SRC, mappedAtCreation: true });
      expect(mapped.mapState).toBe('mapped');
      new Uint8Array(mapped.getMappedRange()).fill(7); // the engine's object works as before
      mapped.unmap();
      const module = device.createShaderModule({
        label: 'blit',
        code: '@compute @workgroup_size(1) fn main() {}',
      });
      expect((await module.getCompilationInfo()).messages).toEqual([]);
      expect(manager.stats().byKind.buffer).toEqual({ bytes: 1064, count: 2 });
      expect(manager.stats().byKind.shader).toEqual({ bytes: 0, count: 1 });
      const handle = manager.handleOf(mapped) as Handle<'buffer'>;
      expect(manager.resolve(handle).descriptor).toMatchObject({
        size: 64,
        mappedAtCreation: true,
        label: 'buffer 64 B',
      });
      expect(manager.gpu(handle)).toBe(mapped); // the engine's object itself, not a wrapper
      const labels = manager
        .leaks()
        .map((l) => l.label)
        .sort();
      expect(labels).toEqual(['blit', 'buffer 64 B', 'vertices']);
      vertices.destroy();
      mapped.destroy();
      expect(manager.stats().byKind.buffer).toEqual({ bytes: 0, count: 0 });
    } finally {
      manager.dispose();
    }
  });

  it("changes nothing the engine sees: identity, types, this, and the GPU's own verdict on bad input", async () => {
    const { device } = gpu;
    const prototypeCreate = Object.getPrototypeOf(device).createTexture;
    const manager = trackDevice(device);
    const texture = device.createTexture({ size: [4, 4], format: 'rgba8unorm', usage: TEXTURE_BINDING });
    expect(texture).toBeInstanceOf(GPUTexture);
    expect(Object.getPrototypeOf(texture)).toBe(GPUTexture.prototype);
    expect([texture.width, texture.height, texture.format]).toEqual([4, 4, 'rgba8unorm']);
    // A create our validation would refuse (usage 0): the GPU decides, as without tracking; we never throw.
    device.pushErrorScope('validation');
    const invalid = device.createTexture({ size: [4, 4], format: 'rgba8unorm', usage: 0 });
    const error = await device.popErrorScope();
    expect(error?.message).toMatch(/usage/i);
    expect(invalid).toBeInstanceOf(GPUTexture);
    expect(manager.trackingNotes().bestEffort).toBe(1);
    expect(bytesOf(manager, invalid)).toBe(64);
    invalid.destroy();
    // The manager's own creates are not counted twice (its backend uses the unpatched methods).
    const own = manager.createTexture({ size: [8, 8], format: 'rgba8unorm', usage: TEXTURE_BINDING });
    expect(manager.stats().byKind.texture).toEqual({ bytes: 64 + 256, count: 2 });
    manager.destroy(own);
    manager.untrack();
    expect(Object.hasOwn(device, 'createTexture')).toBe(false);
    expect(device.createTexture).toBe(prototypeCreate);
    expect(Object.hasOwn(texture, 'destroy')).toBe(false);
    const after = device.createTexture({ size: [4, 4], format: 'rgba8unorm', usage: TEXTURE_BINDING });
    expect(manager.handleOf(after)).toBeUndefined();
    texture.destroy();
    after.destroy();
    manager.dispose();
  });

  it('records views, samplers, layouts, bind groups and query sets with what they depend on', () => {
    const { device } = gpu;
    const manager = trackDevice(device);
    try {
      const texture = device.createTexture({
        label: 'shadow',
        size: [64, 64],
        format: 'depth32float',
        usage: TEXTURE_BINDING | RENDER_ATTACHMENT,
      });
      const view = texture.createView({ label: 'shadow view' });
      const sampler = device.createSampler({ label: 'cmp', compare: 'less' });
      const uniforms = device.createBuffer({ label: 'uniforms', size: 256, usage: BufferUsage.UNIFORM });
      const layout = device.createBindGroupLayout({
        label: 'shadow layout',
        entries: [
          { binding: 0, visibility: GPUShaderStage.FRAGMENT, texture: { sampleType: 'depth' } },
          { binding: 1, visibility: GPUShaderStage.FRAGMENT, sampler: { type: 'comparison' } },
          { binding: 2, visibility: GPUShaderStage.FRAGMENT, buffer: {} },
        ],
      });
      const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout] });
      const group = device.createBindGroup({
        label: 'shadow group',
        layout,
        entries: [
          { binding: 0, resource: view },
          { binding: 1, resource: sampler },
          { binding: 2, resource: { buffer: uniforms } },
        ],
      });
      const queries = device.createQuerySet({ type: 'occlusion', count: 16 });
      const h = (o: object) => manager.handleOf(o) as Handle<'texture'>;
      expect(manager.resolve(h(view)).dependencies).toEqual([h(texture)]);
      expect(manager.resolve(h(view)).descriptor).toMatchObject({
        dimension: '2d',
        format: 'depth32float',
        mipLevelCount: 1,
      });
      expect(manager.resolve(h(pipelineLayout)).dependencies).toEqual([h(layout)]);
      expect([...manager.resolve(h(group)).dependencies].sort()).toEqual(
        [h(layout), h(view), h(sampler), h(uniforms)].sort(),
      );
      expect(manager.stats().byKind.querySet).toEqual({ bytes: 16 * 8, count: 1 });
      const dump = manager.toJSON().resources.find((r) => r.label === 'shadow group');
      expect(dump?.dependencies.length).toBe(4);
      // The engine destroys the texture under a live view: the view leaves the books with it.
      texture.destroy();
      expect(manager.handleOf(view)).toBeUndefined();
      expect(manager.handleOf(group)).toBeUndefined();
      expect(manager.handleOf(sampler)).toBe(h(sampler));
      queries.destroy();
      uniforms.destroy();
      expect(manager.stats().totalBytes).toBe(0);
    } finally {
      manager.dispose();
    }
  });

  it('reports objects collected without destroy (a driven watcher) and takes them out of the books', () => {
    const { device } = gpu;
    const watcher = drivenWatcher();
    let clock = 1000;
    const manager = trackDevice(device, {
      collectionWatcher: watcher.factory,
      debug: true,
      now: () => clock,
    });
    try {
      const reported: string[] = [];
      manager.onCollected((leak) => reported.push(leak.label));
      const forgotten = device.createTexture({
        label: 'forgotten',
        size: [32, 32],
        format: 'rgba8unorm',
        usage: TEXTURE_BINDING,
      });
      const kept = device.createBuffer({ label: 'kept', size: 256, usage: BufferUsage.UNIFORM });
      kept.destroy();
      expect(watcher.watching(kept)).toBe(false); // destroyed properly: nothing left to report
      clock += 250;
      watcher.collect(forgotten);
      const [leak] = manager.collectedWithoutDestroy();
      expect(leak).toMatchObject({ kind: 'texture', label: 'forgotten', bytes: 4096, ageMs: 250 });
      expect(leak?.creationStack).toMatch(/tracking\.test\.ts/);
      expect(reported).toEqual(['forgotten']);
      expect(manager.stats().totalBytes).toBe(0);
    } finally {
      manager.dispose();
    }
  });

  it('reports a real garbage collection when the runner exposes gc (FinalizationRegistry path)', async () => {
    const collect = (globalThis as { gc?: () => void }).gc;
    const manager = trackDevice(gpu.device);
    try {
      (() => {
        gpu.device.createBuffer({ label: 'dropped', size: 128, usage: BufferUsage.UNIFORM });
      })();
      expect(manager.stats().byKind.buffer.count).toBe(1);
      if (collect === undefined) {
        console.log(
          '[tracking] global.gc is not exposed: the FinalizationRegistry path is covered by the driven watcher',
        );
        return;
      }
      for (let i = 0; i < 20 && manager.collectedWithoutDestroy().length === 0; i++) {
        collect();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(manager.collectedWithoutDestroy().map((l) => l.label)).toEqual(['dropped']);
    } finally {
      manager.dispose();
    }
  });
});
