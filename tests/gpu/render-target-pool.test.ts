import { describe, expect, it } from 'vitest';
import {
  createResourceManager,
  DisposedError,
  PoolReleaseError,
  RenderTargetPool,
  TextureUsage,
  ValidationError,
  type WebGPUResourceManager,
} from '../../src/index.ts';
import { useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();

function setup(options: { ttlMs?: number; maxIdle?: number } = {}) {
  const clock = { now: 0 };
  const manager = createResourceManager({ device: gpu.device });
  const pool = new RenderTargetPool(manager, { ttlMs: 1000, now: () => clock.now, ...options });
  return { clock, manager, pool };
}

function textures(manager: WebGPUResourceManager) {
  return manager.stats().byKind.texture;
}

describe('render target pool', () => {
  it('creates targets of the exact size asked for: no power-of-two rounding', () => {
    const { manager, pool } = setup();
    const target = pool.acquire({ label: 'bloom', width: 1000, height: 700, color: ['rgba16float'] });
    const color = manager.gpu(target.color[0]!);
    expect([color.width, color.height, color.format]).toEqual([1000, 700, 'rgba16float']);
    expect(target.bytes).toBe(1000 * 700 * 8);
    expect(textures(manager)).toEqual({ bytes: 1000 * 700 * 8, count: 1 });
    expect(manager.stats().byKind.renderTarget.count).toBe(1);
    manager.dispose();
  });

  it('reuses a released target only for an identical descriptor', () => {
    const { manager, pool } = setup();
    const desc = { width: 640, height: 360, color: ['rgba8unorm'] as GPUTextureFormat[] };
    const a = pool.acquire(desc);
    pool.release(a);
    expect(pool.acquire({ ...desc, label: 'other label, same target' })).toBe(a);
    pool.release(a);
    const wider = pool.acquire({ ...desc, width: 641 });
    const otherFormat = pool.acquire({ ...desc, color: ['bgra8unorm'] });
    const msaa = pool.acquire({ ...desc, sampleCount: 4 });
    const withDepth = pool.acquire({ ...desc, depthStencil: 'depth24plus' });
    for (const t of [wider, otherFormat, msaa, withDepth]) expect(t).not.toBe(a);
    expect(pool.stats()).toMatchObject({ created: 5, reused: 1, idle: 1, inUse: 4 });
    expect(pool.acquire(desc)).toBe(a);
    manager.dispose();
  });

  it('two acquires of one descriptor get two targets; both come back and are reused', () => {
    const { manager, pool } = setup();
    const desc = { width: 64, height: 64, color: ['rgba8unorm'] as GPUTextureFormat[] };
    const first = pool.acquire(desc);
    const second = pool.acquire(desc);
    expect(second).not.toBe(first);
    expect(second.color[0]).not.toBe(first.color[0]);
    pool.release(first);
    pool.release(second);
    const again = [pool.acquire(desc), pool.acquire(desc)];
    expect(new Set(again)).toEqual(new Set([first, second]));
    expect(pool.stats()).toMatchObject({ created: 2, reused: 2 });
    manager.dispose();
  });

  it('destroys idle targets after the TTL (injectable clock) and the ledger drops', () => {
    const { clock, manager, pool } = setup({ ttlMs: 1000 });
    const target = pool.acquire({
      width: 128,
      height: 128,
      color: ['rgba8unorm'],
      depthStencil: 'depth32float',
    });
    expect(textures(manager)).toEqual({ bytes: 2 * 128 * 128 * 4, count: 2 });
    clock.now = 10;
    pool.release(target);
    expect(pool.stats()).toMatchObject({ idle: 1, idleBytes: 2 * 128 * 128 * 4 });
    clock.now = 1009;
    expect(pool.trim()).toBe(0);
    expect(manager.has(target.renderTarget)).toBe(true);
    clock.now = 1010;
    expect(pool.trim()).toBe(1);
    expect(manager.has(target.renderTarget)).toBe(false);
    expect(manager.has(target.color[0]!)).toBe(false);
    expect(manager.has(target.depthStencil!)).toBe(false);
    expect(textures(manager)).toEqual({ bytes: 0, count: 0 });
    expect(manager.stats().byKind.renderTarget.count).toBe(0);
    expect(pool.stats()).toMatchObject({ idle: 0, idleBytes: 0, destroyed: 1 });
    manager.dispose();
  });

  it('an expired target is never handed out: acquire destroys it and creates a fresh one', () => {
    const { clock, manager, pool } = setup({ ttlMs: 1000 });
    const desc = { width: 32, height: 32, color: ['rgba8unorm'] as GPUTextureFormat[] };
    const old = pool.acquire(desc);
    pool.release(old);
    clock.now = 5000;
    const fresh = pool.acquire(desc);
    expect(fresh).not.toBe(old);
    expect(manager.has(old.renderTarget)).toBe(false);
    expect(textures(manager).count).toBe(1);
    manager.dispose();
  });

  it('maxIdle destroys the idle target closest to expiry', () => {
    const { clock, manager, pool } = setup({ ttlMs: 1000, maxIdle: 1 });
    const a = pool.acquire({ width: 8, height: 8, color: ['rgba8unorm'] });
    const b = pool.acquire({ width: 16, height: 16, color: ['rgba8unorm'] });
    pool.release(a);
    clock.now = 1;
    pool.release(b);
    expect(manager.has(a.renderTarget)).toBe(false);
    expect(pool.stats()).toMatchObject({ idle: 1, destroyed: 1 });
    manager.dispose();
  });

  it('MSAA targets with resolve textures count 4x samples, not 16x', () => {
    const { manager, pool } = setup();
    const t = pool.acquire({ width: 100, height: 50, color: ['rgba8unorm'], sampleCount: 4, resolve: true });
    expect(t.resolve).toHaveLength(1);
    expect(t.bytes).toBe(100 * 50 * 4 * 4 + 100 * 50 * 4);
    expect(manager.resolve(t.resolve[0]!).descriptor.sampleCount).toBe(1);
    const encoder = gpu.device.createCommandEncoder();
    encoder.beginRenderPass(manager.renderPass(t.renderTarget)).end(); // a valid pass on the GPU
    manager.submit([encoder.finish()]);
    manager.dispose();
  });

  it('double or foreign release is a typed error that changes nothing', () => {
    const { manager, pool } = setup();
    const t = pool.acquire({ width: 4, height: 4, color: ['rgba8unorm'] });
    pool.release(t);
    const before = pool.stats();
    expect(() => pool.release(t)).toThrow(PoolReleaseError);
    expect(() => pool.release({ ...t })).toThrow(PoolReleaseError);
    expect(pool.stats()).toEqual(before);
    manager.dispose();
  });

  it('a bad descriptor throws and leaves no texture behind', () => {
    const { manager, pool } = setup();
    expect(() => pool.acquire({ width: 0, height: 4, color: ['rgba8unorm'] })).toThrow(ValidationError);
    // the colour texture is created, then the depth texture fails (a depth format cannot be STORAGE_BINDING):
    // the colour texture must be destroyed again
    expect(() =>
      pool.acquire({
        width: 4,
        height: 4,
        color: ['rgba8unorm'],
        depthStencil: 'depth24plus',
        usage: TextureUsage.STORAGE_BINDING,
      }),
    ).toThrow(ValidationError);
    expect(textures(manager)).toEqual({ bytes: 0, count: 0 });
    expect(pool.stats().created).toBe(0);
    manager.dispose();
  });

  it('close destroys idle targets, refuses acquires, and destroys lent ones on release', () => {
    const { manager, pool } = setup();
    const idle = pool.acquire({ width: 4, height: 4, color: ['rgba8unorm'] });
    const lent = pool.acquire({ width: 8, height: 8, color: ['rgba8unorm'] });
    pool.release(idle);
    pool.close();
    expect(manager.has(idle.renderTarget)).toBe(false);
    expect(manager.has(lent.renderTarget)).toBe(true);
    expect(() => pool.acquire({ width: 4, height: 4, color: ['rgba8unorm'] })).toThrow(DisposedError);
    pool.release(lent);
    expect(manager.has(lent.renderTarget)).toBe(false);
    expect(textures(manager)).toEqual({ bytes: 0, count: 0 });
    manager.dispose();
  });
});
