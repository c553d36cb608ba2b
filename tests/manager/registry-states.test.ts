/** Entry states on the null backend: eviction, loss, rebuild under the same handle, failed creates. */
import { describe, expect, it } from 'vitest';
import { ResourceStateError, TextureUsage } from '../../src/index.ts';
import { MemoryLedger } from '../../src/ledger.ts';
import { ResourceRegistry } from '../../src/manager/registry.ts';
import { ResourceManager } from '../../src/manager/resource-manager.ts';
import { StagingService } from '../../src/manager/staging-service.ts';
import { normalizeStagingOptions } from '../../src/staging/options.ts';
import { NullBackend, type NullObjects } from '../support/null-backend.ts';

const RA = TextureUsage.RENDER_ATTACHMENT;

function setup() {
  const backend = new NullBackend();
  const manager = new ResourceManager(backend, { debug: true });
  // The registry is internal: reach it to drive the state operations the budget and restore features use.
  const registry = (manager as unknown as { registry: ResourceRegistry<NullObjects> }).registry;
  const color = manager.createTexture({ label: 'color', size: [4, 4], format: 'rgba8unorm', usage: RA });
  const rt = manager.createRenderTarget({ label: 'rt', color: [color] });
  const buffer = manager.createBuffer({ label: 'vbo', size: 256, usage: 0x20 });
  return { backend, manager, registry, color, rt, buffer };
}

describe('entry states', () => {
  it('evicting a texture evicts its render target first; handles stay valid and the bytes move to evicted', () => {
    const { backend, manager, registry, color, rt } = setup();
    const colorObject = manager.gpu(color);
    const rtObject = manager.gpu(rt);
    const order: string[] = [];
    const real = backend.destroy.renderTarget;
    (backend.destroy as { renderTarget: typeof real }).renderTarget = (o) => {
      order.push('rt');
      real(o);
    };
    const realTexture = backend.destroy.texture;
    (backend.destroy as { texture: typeof realTexture }).texture = (o) => {
      order.push('texture');
      realTexture(o);
    };
    registry.evict(registry.current(color)!);
    expect(order).toEqual(['rt', 'texture']);
    expect([colorObject.destroyed, rtObject.destroyed]).toEqual([1, 1]);
    expect(manager.has(color)).toBe(true);
    expect(manager.get(color)?.state).toBe('evicted');
    expect(manager.get(rt)?.state).toBe('evicted');
    const stats = manager.stats();
    expect(stats.byKind.texture).toEqual({ bytes: 0, count: 0 });
    expect(stats.evicted.byKind.texture).toEqual({ bytes: 64, count: 1 });
    expect(stats.evicted.byKind.renderTarget).toEqual({ bytes: 0, count: 1 });
    expect(() => manager.gpu(color)).toThrow(ResourceStateError);
    expect(() => manager.gpu(color)).toThrow(/'color' is evicted, not live/);
    expect(() => manager.renderPass(rt)).toThrow(/'rt' is evicted/);
  });

  it('rebuild gives the same handle a new GPU object and moves the bytes back', () => {
    const { backend, manager, registry, color } = setup();
    const entry = registry.current(color)!;
    registry.evict(
      registry.current(manager.createTexture({ label: 'x', size: [2, 2], format: 'r8unorm', usage: RA }))!,
    );
    registry.evict(entry);
    const replacement = backend.createTexture({ label: 'color' });
    registry.rebuild(entry, replacement);
    expect(manager.gpu(color)).toBe(replacement);
    expect(manager.get(color)?.state).toBe('live');
    expect(manager.stats().byKind.texture).toEqual({ bytes: 64, count: 1 });
    expect(manager.stats().evicted.byKind.texture).toEqual({ bytes: 4, count: 1 });
  });

  it('destroying an evicted resource frees nothing more and empties the evicted figures', () => {
    const { backend, manager, registry, color, rt } = setup();
    registry.evict(registry.current(color)!);
    const before = backend.created.map((o) => o.destroyed);
    manager.destroy(color, { cascade: true });
    expect(backend.created.map((o) => o.destroyed)).toEqual(before);
    expect(manager.has(color) || manager.has(rt)).toBe(false);
    expect(manager.stats().evicted).toMatchObject({ bytes: 0, count: 0 });
  });

  it('loseAll marks every live entry lost without touching a GPU object', () => {
    const { backend, manager, registry, color, buffer } = setup();
    registry.deviceLost = true;
    registry.loseAll();
    expect(backend.created.every((o) => o.destroyed === 0)).toBe(true);
    expect(manager.get(color)?.state).toBe('lost');
    expect(manager.get(buffer)?.state).toBe('lost');
    const stats = manager.stats();
    expect([stats.totalBytes, stats.totalCount]).toEqual([0, 0]);
    expect(stats.lost).toMatchObject({ bytes: 64 + 256, count: 3 });
  });

  it('a create the GPU refuses becomes failed: bytes leave the books, a failed event names it, use throws', async () => {
    const { backend, manager } = setup();
    const failed: string[] = [];
    manager.on('failed', ({ record, message }) => failed.push(`${record.label}: ${message}`));
    const before = manager.stats().byKind.texture;
    backend.refuseWith = 'Allocation size too large';
    const huge = manager.createTexture({
      label: 'huge',
      size: [1024, 1024],
      format: 'rgba32float',
      usage: RA,
    });
    backend.refuseWith = undefined;
    expect(manager.get(huge)?.state).toBe('live'); // the verdict comes later, as on the GPU
    await manager.gpuErrors();
    expect(manager.get(huge)?.state).toBe('failed');
    expect(manager.get(huge)?.failure).toBe('Allocation size too large');
    expect(failed).toEqual(['huge: Allocation size too large']);
    expect(manager.stats().byKind.texture).toEqual(before);
    expect(manager.stats().failedCount).toBe(1);
    expect(() => manager.gpu(huge)).toThrow(/'huge' is failed, not live.*Allocation size too large/);
    manager.destroy(huge);
    expect(manager.stats().failedCount).toBe(0);
    expect(manager.has(huge)).toBe(false);
  });

  it('counts resources and staging apart: staging chunks never enter totalCount, created or destroyed', () => {
    const ledger = new MemoryLedger();
    const staging = new StagingService<NullObjects>(
      ledger,
      () => {},
      normalizeStagingOptions(undefined, () => 0),
    );
    const registry = new ResourceRegistry(new NullBackend(), staging, { ledger, now: () => 0, debug: false });
    ledger.add('staging', 1 << 20);
    expect(registry.ledger.snapshot()).toMatchObject({ totalCount: 0, created: 0, totalBytes: 1 << 20 });
    expect(registry.ledger.snapshot().byKind.staging).toEqual({ bytes: 1 << 20, count: 1 });
    ledger.remove('staging', 1 << 20);
    expect(registry.ledger.snapshot()).toMatchObject({ totalCount: 0, destroyed: 0, totalBytes: 0 });
  });
});
