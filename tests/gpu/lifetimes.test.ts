import { describe, expect, it } from 'vitest';
import {
  BufferUsage,
  createResourceManager,
  DisposedError,
  RefCountError,
  ResourceInUseError,
  StaleHandleError,
  TextureUsage,
} from '../../src/index.ts';
import { gpuValidationError, useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();
const RA = TextureUsage.RENDER_ATTACHMENT;

function setup(options: { debug?: boolean; now?: () => number } = {}) {
  const manager = createResourceManager({ device: gpu.device, ...options });
  const color = manager.createTexture({ label: 'color', size: [8, 8], format: 'rgba8unorm', usage: RA });
  const depth = manager.createTexture({ label: 'depth', size: [8, 8], format: 'depth24plus', usage: RA });
  const rt = manager.createRenderTarget({ label: 'scene', color: [color], depthStencil: depth });
  return { manager, color, depth, rt };
}

/** Counts real GPU destroy() calls by wrapping the GPU object's method (the real destroy still runs). */
function countDestroys(object: { destroy(): void }): { count: number } {
  const counter = { count: 0 };
  const real = object.destroy.bind(object);
  object.destroy = () => {
    counter.count++;
    real();
  };
  return counter;
}

describe('dependencies', () => {
  it('a texture used by a live render target cannot be destroyed; the error names the dependents', () => {
    const { manager, color, rt } = setup();
    const before = manager.usageStats();
    expect(() => manager.destroy(color)).toThrow(ResourceInUseError);
    expect(() => manager.destroy(color)).toThrow(/'color' cannot be destroyed: it is used by 'scene'/);
    expect(manager.has(color)).toBe(true);
    expect(manager.usageStats()).toEqual(before);
    manager.destroy(rt);
    manager.destroy(color);
    expect(manager.has(color)).toBe(false);
    manager.dispose();
  });

  it('cascade destroys dependents first, each exactly once', () => {
    const { manager, color, depth, rt } = setup();
    const order: string[] = [];
    manager.on('destroy', ({ record }) => order.push(record.label));
    const rt2 = manager.createRenderTarget({ label: 'second', color: [color] });
    const colorDestroys = countDestroys(manager.gpu(color));
    manager.destroy(color, { cascade: true });
    expect(order).toEqual(['second', 'scene', 'color']);
    expect(colorDestroys.count).toBe(1);
    expect(manager.has(rt)).toBe(false);
    expect(manager.has(rt2)).toBe(false);
    expect(manager.has(depth)).toBe(true);
    manager.destroy(depth); // no longer used: the dependency was removed with 'scene'
    manager.dispose();
  });

  it('dispose destroys render targets before their textures and reports what was alive', () => {
    const { manager } = setup();
    const order: string[] = [];
    manager.on('destroy', ({ record }) => order.push(record.label));
    const report = manager.dispose();
    expect(report.map((r) => [r.kind, r.label, r.bytes])).toEqual([
      ['texture', 'color', 256],
      ['texture', 'depth', 256],
      ['renderTarget', 'scene', 0],
    ]);
    expect(order).toEqual(['scene', 'depth', 'color']);
    expect(manager.stats().totalBytes).toBe(0);
    expect(() => manager.createBuffer({ size: 4, usage: BufferUsage.VERTEX })).toThrow(DisposedError);
    expect(manager.dispose()).toEqual([]);
  });
});

describe('shared and weak handles', () => {
  it('retain/release: the last reference destroys; over-release is a typed error that changes nothing', () => {
    const manager = createResourceManager({ device: gpu.device });
    const tex = manager.createTexture({
      label: 'atlas',
      size: [4, 4],
      format: 'rgba8unorm',
      usage: TextureUsage.COPY_DST,
    });
    const destroys = countDestroys(manager.gpu(tex));
    manager.retain(tex);
    manager.retain(tex);
    manager.destroy(tex); // the owner is done; two components still hold it
    expect(manager.has(tex)).toBe(true);
    expect(() => manager.destroy(tex)).toThrow(RefCountError);
    manager.release(tex);
    expect(manager.has(tex)).toBe(true);
    manager.release(tex);
    expect(manager.has(tex)).toBe(false);
    expect(destroys.count).toBe(1);
    expect(() => manager.release(tex)).toThrow(StaleHandleError);
    const other = manager.createBuffer({ label: 'b', size: 4, usage: BufferUsage.VERTEX });
    const before = manager.usageStats();
    expect(() => manager.release(other)).toThrow(/released more times than retained/);
    expect(manager.usageStats()).toEqual(before);
    expect(manager.has(other)).toBe(true);
    manager.dispose();
  });

  it('a weak handle never keeps the resource alive and never resolves to a reused slot', () => {
    const manager = createResourceManager({ device: gpu.device });
    const a = manager.createBuffer({ label: 'a', size: 4, usage: BufferUsage.VERTEX });
    const weak = manager.weak(a);
    expect(weak.upgrade()?.label).toBe('a');
    manager.destroy(a);
    expect(weak.alive).toBe(false);
    const b = manager.createBuffer({ label: 'b', size: 4, usage: BufferUsage.VERTEX });
    expect(b & 0xfffff).toBe(a & 0xfffff); // the slot was reused...
    expect(weak.upgrade()).toBeUndefined(); // ...but the weak handle does not see 'b'
    manager.dispose();
  });
});

describe('destroy that is safe against in-flight GPU work', () => {
  it('destroy between encode and submit defers the real destroy until the GPU is done', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const src = manager.createBuffer({
      label: 'src',
      size: 1024,
      usage: BufferUsage.COPY_SRC | BufferUsage.MAP_WRITE,
    });
    const dst = manager.createBuffer({
      label: 'dst',
      size: 1024,
      usage: BufferUsage.COPY_DST | BufferUsage.MAP_READ,
    });
    const raw = manager.gpu(src);
    const destroys = countDestroys(raw);
    await raw.mapAsync(GPUMapMode.WRITE);
    new Uint8Array(raw.getMappedRange()).fill(7);
    raw.unmap();
    const encoder = gpu.device.createCommandEncoder();
    encoder.copyBufferToBuffer(raw, 0, manager.gpu(dst), 0, 1024);
    manager.use(src, dst);
    manager.destroy(src);
    expect(manager.has(src)).toBe(false); // stale at once
    expect(destroys.count).toBe(0); // but the GPU object lives until the work is done
    expect(manager.stats()).toMatchObject({ pendingFreeBytes: 1024, pendingFreeCount: 1 });
    expect(manager.stats().byKind.buffer).toEqual({ bytes: 1024, count: 1 });
    const submitError = await gpuValidationError(gpu.device, () => manager.submit([encoder.finish()]));
    expect(submitError).toBeUndefined();
    await manager.idle();
    expect(destroys.count).toBe(1);
    expect(manager.stats()).toMatchObject({ pendingFreeBytes: 0, pendingFreeCount: 0 });
    const copied = manager.gpu(dst);
    await copied.mapAsync(GPUMapMode.READ);
    expect(new Uint8Array(copied.getMappedRange())[1023]).toBe(7);
    copied.unmap();
    // After the deferred destroy the GPU object really is destroyed.
    const late = await gpuValidationError(gpu.device, () => {
      const e = gpu.device.createCommandEncoder();
      e.copyBufferToBuffer(raw, 0, copied, 0, 4);
      gpu.device.queue.submit([e.finish()]);
    });
    expect(late).toMatch(/destroyed/i);
    manager.dispose();
    expect(destroys.count).toBe(1);
  });

  it('without deferral the same submit fails: the test above really guards something', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const src = manager.createBuffer({ label: 'src', size: 16, usage: BufferUsage.COPY_SRC });
    const dst = manager.createBuffer({ label: 'dst', size: 16, usage: BufferUsage.COPY_DST });
    const encoder = gpu.device.createCommandEncoder();
    encoder.copyBufferToBuffer(manager.gpu(src), 0, manager.gpu(dst), 0, 16);
    manager.destroy(src); // not marked with use(): destroyed now
    const error = await gpuValidationError(gpu.device, () => manager.submit([encoder.finish()]));
    expect(error).toMatch(/destroyed/i);
    manager.dispose();
  });
});

describe('scopes', () => {
  it('a scope destroys what it created, newest first; scopes nest; `using` works', () => {
    const manager = createResourceManager({ device: gpu.device });
    const order: string[] = [];
    manager.on('destroy', ({ record }) => order.push(record.label));
    const keep = manager.createBuffer({ label: 'keep', size: 4, usage: BufferUsage.VERTEX });
    {
      using frame = manager.scope();
      const color = frame.createTexture({
        label: 'frame-color',
        size: [4, 4],
        format: 'rgba8unorm',
        usage: RA,
      });
      frame.createRenderTarget({ label: 'frame-rt', color: [color] });
      {
        using inner = frame.scope();
        inner.createBuffer({ label: 'inner-buffer', size: 4, usage: BufferUsage.UNIFORM });
      }
      expect(order).toEqual(['inner-buffer']);
      frame.createBuffer({ label: 'late', size: 4, usage: BufferUsage.UNIFORM });
      const gone = frame.createBuffer({ label: 'gone-early', size: 4, usage: BufferUsage.UNIFORM });
      frame.destroy(gone);
    }
    expect(order).toEqual(['inner-buffer', 'gone-early', 'late', 'frame-rt', 'frame-color']);
    expect([...manager.resources()].map((r) => r.label)).toEqual(['keep']);
    expect(manager.has(keep)).toBe(true);
    manager.dispose();
  });

  it('a scope resource used by an outside render target: the rest is destroyed, then the error is thrown', () => {
    const manager = createResourceManager({ device: gpu.device });
    const frame = manager.scope();
    const color = frame.createTexture({ label: 'scoped', size: [4, 4], format: 'rgba8unorm', usage: RA });
    const other = frame.createBuffer({ label: 'other', size: 4, usage: BufferUsage.UNIFORM });
    const outside = manager.createRenderTarget({ label: 'outside', color: [color] });
    expect(() => frame.dispose()).toThrow(ResourceInUseError);
    expect(manager.has(other)).toBe(false);
    expect(manager.has(color)).toBe(true);
    expect(() => frame.createBuffer({ size: 4, usage: BufferUsage.UNIFORM })).toThrow(DisposedError);
    expect(manager.stats().totalCount).toBe(2);
    manager.destroy(outside);
    manager.dispose();
  });
});

describe('leak reports and dumps', () => {
  it('debug mode keeps the creation stack; leaks() lists kind, label, bytes, age, stack', () => {
    let now = 1000;
    const manager = createResourceManager({ device: gpu.device, debug: true, now: () => now });
    manager.createBuffer({ label: 'leaky', size: 64, usage: BufferUsage.VERTEX });
    now = 1500;
    const [leak] = manager.leaks();
    expect(leak).toMatchObject({ kind: 'buffer', label: 'leaky', bytes: 64, ageMs: 500 });
    expect(leak!.creationStack).toMatch(/lifetimes\.test\.ts/);
    expect(manager.dispose()[0]!.creationStack).toMatch(/lifetimes\.test\.ts/);
  });

  it('toJSON dumps totals, kinds and resources with dependencies, and round-trips through JSON', () => {
    const { manager, color, depth, rt } = setup({ now: () => 42 });
    manager.retain(color);
    const dump = manager.toJSON();
    expect(JSON.parse(JSON.stringify(manager))).toEqual(dump);
    expect(dump.schema).toBe('gpu-handles/dump@1');
    expect(dump.backend).toBe('webgpu');
    expect(dump.total).toMatchObject({ bytes: 512, count: 3, created: 3, destroyed: 0, pendingFreeBytes: 0 });
    expect(dump.byKind.texture).toEqual({ bytes: 512, count: 2 });
    const byLabel = Object.fromEntries(dump.resources.map((r) => [r.label, r]));
    expect(byLabel.scene).toMatchObject({ handle: rt, kind: 'renderTarget', dependencies: [color, depth] });
    expect(byLabel.scene!.descriptor).toEqual({
      width: 8,
      height: 8,
      sampleCount: 1,
      color: [color],
      depthStencil: depth,
    });
    expect(byLabel.color).toMatchObject({ retains: 1, owners: 1, bytes: 256 });
    expect(byLabel.color!.descriptor).toMatchObject({
      format: 'rgba8unorm',
      width: 8,
      height: 8,
      mipLevelCount: 1,
    });
    manager.dispose();
  });
});
