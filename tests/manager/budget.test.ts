/** The eviction policy on the null backend: order, protected frames, in-flight work, strict budgets. */
import { describe, expect, it } from 'vitest';
import {
  BudgetExceededError,
  type Handle,
  NotResidentError,
  TextureUsage,
  ValidationError,
} from '../../src/index.ts';
import { ResourceManager } from '../../src/manager/resource-manager.ts';
import { NullBackend } from '../support/null-backend.ts';

const RA = TextureUsage.RENDER_ATTACHMENT;
const KIB = 1024;

function setup(budget: { bytes: number; strict?: boolean; maxEvictionsPerFrame?: number }) {
  const backend = new NullBackend();
  const manager = new ResourceManager(backend, { budget });
  const evictable = (label: string) =>
    manager.createTexture({
      label,
      size: [16, 16], // 1 KiB in rgba8unorm
      format: 'rgba8unorm',
      usage: RA,
      residency: 'evictable',
      content: 'keep',
    });
  const frames = (n: number) => {
    for (let i = 0; i < n; i++) manager.frame();
  };
  return { backend, manager, evictable, frames };
}

describe('budget and eviction', () => {
  it('a create past the budget evicts least recently used first; what this or the last frame used stays', () => {
    // 4 of 5 KiB: 80% pressure needs ~267 idle frames for a frame-end eviction, so only creates evict here.
    const { manager, evictable, frames } = setup({ bytes: 5 * KIB });
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(evictable) as Handle<'texture'>[];
    frames(3);
    manager.gpu(a!); // a is now the most recently used, in the current frame
    manager.frame();
    manager.gpu(c!); // c used in the current frame
    const e = evictable('e'); // fits
    expect(manager.residencyStats().evictions).toBe(0);
    const f = evictable('f'); // needs 1 KiB: b goes (least recent and idle); a was used last frame, c this one
    expect(manager.get(b!)?.state).toBe('evicted');
    expect([a, c, d, e, f].map((h) => manager.get(h!)?.state)).toEqual([
      'live',
      'live',
      'live',
      'live',
      'live',
    ]);
    expect(manager.counters.residentBytes).toBeLessThanOrEqual(5 * KIB);
    expect(manager.stats().evicted.byKind.texture).toEqual({ bytes: KIB, count: 1 });
    expect(manager.residencyStats().evictions).toBe(1);
  });

  it('never evicts what in-flight work uses, and a strict budget then refuses the create with nothing made', () => {
    const { backend, manager, evictable, frames } = setup({ bytes: 2 * KIB, strict: true });
    const a = evictable('a');
    const b = evictable('b');
    frames(3);
    manager.use(a, b);
    manager.submit([{ commands: true }]); // not completed: both are in flight
    const before = manager.usageStats();
    const made = backend.created.length;
    expect(() => evictable('c')).toThrow(BudgetExceededError);
    expect(() => evictable('c')).toThrow(/'c' \(1024 bytes\) does not fit the budget: 2048 of 2048/);
    expect(manager.usageStats()).toEqual(before);
    expect(backend.created.length).toBe(made);
  });

  it('a non-strict budget lets the create through and says so', () => {
    const { manager, evictable } = setup({ bytes: KIB });
    const over: number[] = [];
    manager.on('overBudget', (e) => over.push(e.bytes));
    evictable('a');
    evictable('b'); // a was used in this frame: cannot go
    expect(over).toEqual([KIB]);
    expect(manager.residencyStats().overBudget).toBe(1);
  });

  it('evicting a texture evicts its render target first; ensureResident brings both back under the same handles', async () => {
    const { backend, manager, evictable, frames } = setup({ bytes: 64 * KIB });
    const color = evictable('color');
    const rt = manager.createRenderTarget({ label: 'rt', color: [color] });
    const oldRt = manager.gpu(rt);
    frames(3);
    expect(manager.evict(color)).toBe(true);
    expect([manager.get(color)?.state, manager.get(rt)?.state]).toEqual(['evicted', 'evicted']);
    expect(oldRt.destroyed).toBe(1);
    expect(await manager.ensureResident(color)).toEqual(['empty']); // kept, but nothing was ever uploaded
    expect([manager.get(color)?.state, manager.get(rt)?.state]).toEqual(['live', 'live']);
    expect(manager.gpu(rt)).not.toBe(oldRt);
    expect(backend.live().map((o) => o.label)).toEqual(['color', 'rt']);
  });

  it('gpu() of an evicted kept resource brings it back at once; a loader-backed one throws NotResidentError', async () => {
    const { manager, evictable, frames } = setup({ bytes: 64 * KIB });
    const kept = evictable('kept');
    const loaded = manager.createTexture({
      label: 'loaded',
      size: [16, 16],
      format: 'rgba8unorm',
      usage: RA,
      residency: 'evictable',
      content: { regenerate: () => {} },
    });
    frames(3);
    manager.evict(kept);
    manager.evict(loaded);
    expect(manager.gpu(kept)).toBeDefined();
    expect(manager.get(kept)?.state).toBe('live');
    expect(() => manager.gpu(loaded)).toThrow(NotResidentError);
    expect(() => manager.gpu(loaded)).toThrow(/'loaded' is evicted.*ensureResident/);
    expect(await manager.ensureResident([loaded])).toEqual(['regenerated']);
  });

  it('frame ends evict above 70% of the budget, at most maxEvictionsPerFrame a frame', () => {
    const { manager, evictable, frames } = setup({ bytes: 10 * KIB, maxEvictionsPerFrame: 2 });
    for (let i = 0; i < 9; i++) evictable(`t${i}`);
    frames(1);
    expect(manager.residencyStats().evictions).toBe(0); // everything was used the frame before
    frames(400); // idle long enough at any pressure
    expect(manager.residencyStats().evictions).toBeGreaterThanOrEqual(2);
    expect(manager.counters.residentBytes).toBeLessThanOrEqual(7 * KIB);
  });

  it('bad residency input is a typed error', () => {
    const { manager } = setup({ bytes: KIB });
    const base = { size: [4, 4] as [number, number], format: 'rgba8unorm' as const, usage: RA };
    expect(() => manager.createTexture({ ...base, residency: 'evictable' })).toThrow(
      /needs a content source/,
    );
    expect(() => manager.createTexture({ ...base, residency: 'sometimes' as never })).toThrow(
      ValidationError,
    );
    expect(() => manager.createTexture({ ...base, content: { restore: 5 } as never })).toThrow(
      ValidationError,
    );
    expect(() => new ResourceManager(new NullBackend(), { budget: { bytes: -1 } })).toThrow(/budget\.bytes/);
    expect(manager.stats().totalCount).toBe(0);
  });
});

describe('bringing a dependent back', () => {
  it('making room for one dependency never evicts another dependency of the same returning resource', () => {
    const backend = new NullBackend();
    // 2 KiB resident of 2,970 B stays under 70% (no frame-end eviction); one more KiB does not fit.
    const manager = new ResourceManager(backend, { budget: { bytes: 2970 } });
    const texture = (label: string) =>
      manager.createTexture({
        label,
        size: [16, 16],
        format: 'rgba8unorm',
        usage: RA,
        residency: 'evictable',
        content: 'keep',
      });
    const kept = texture('kept'); // live and idle: the least recently used when room is needed
    const returning = texture('returning');
    const rt = manager.createRenderTarget({ label: 'rt', color: [kept, returning] });
    for (let i = 0; i < 3; i++) manager.frame();
    manager.evict(returning); // the render target goes with it
    texture('filler'); // bringing 'returning' back must now make room
    for (let i = 0; i < 3; i++) manager.frame();
    expect(manager.residencyStats().evictions).toBe(1);
    expect(() => manager.gpu(rt)).not.toThrow();
    expect([kept, returning, rt].map((h) => manager.get(h)?.state)).toEqual(['live', 'live', 'live']);
    expect(backend.live().map((o) => o.label)).toContain('kept');
  });
});
