import { describe, expect, it } from 'vitest';
import { BufferUsage, createResourceManager, type LedgerSnapshot, TextureUsage } from '../../src/index.ts';
import { useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();
const buffer = (label: string, size = 64) => ({ label, size, usage: BufferUsage.UNIFORM });

describe('events', () => {
  it('create and destroy events carry the record; unsubscribe stops them', () => {
    const manager = createResourceManager({ device: gpu.device });
    const seen: string[] = [];
    const offCreate = manager.on('create', (r) => seen.push(`create ${r.kind} ${r.label} ${r.bytes}`));
    const offDestroy = manager.on('destroy', ({ record, deferred }) =>
      seen.push(`destroy ${record.label} ${deferred}`),
    );
    const b = manager.createBuffer(buffer('ub'));
    manager.destroy(b);
    offCreate();
    offDestroy();
    manager.destroy(manager.createBuffer(buffer('silent')));
    expect(seen).toEqual(['create buffer ub 64', 'destroy ub false']);
    manager.dispose();
  });

  it('usage snapshots are coalesced: a burst of creates sends one snapshot', async () => {
    const manager = createResourceManager({ device: gpu.device });
    const snapshots: LedgerSnapshot[] = [];
    const off = manager.onUsage((s) => snapshots.push(s));
    for (let i = 0; i < 50; i++) manager.createBuffer(buffer(`b${i}`, 16));
    expect(snapshots).toHaveLength(0); // delivered on the next microtask, once
    await Promise.resolve();
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]!.byKind.buffer).toEqual({ bytes: 800, count: 50 });
    manager.dispose();
    await Promise.resolve();
    expect(snapshots).toHaveLength(2);
    expect(snapshots[1]!.totalBytes).toBe(0);
    off();
    expect(manager.usageStats().totalBytes).toBe(0);
  });
});

describe('resource monitor', () => {
  it('access updates lastAccess/accessCount; findStale and destroyStale use them (injected clock)', () => {
    let now = 0;
    const manager = createResourceManager({ device: gpu.device, now: () => now });
    const used = manager.createBuffer(buffer('used'));
    const idle = manager.createBuffer(buffer('idle'));
    const color = manager.createTexture({
      label: 'color',
      size: [4, 4],
      format: 'rgba8unorm',
      usage: TextureUsage.RENDER_ATTACHMENT,
    });
    const rt = manager.createRenderTarget({ label: 'rt', color: [color] });
    now = 5000;
    manager.access(used);
    manager.access(used);
    expect(manager.resolve(used).metrics).toEqual({ createdAt: 0, lastAccess: 5000, accessCount: 2 });
    now = 8000;
    expect(manager.findStale(4000).sort()).toEqual([idle, color, rt].sort());
    expect(manager.stats()).toMatchObject({ active: 4, created: 4, destroyed: 0, averageAgeMs: 8000 });
    // rt goes first, which frees color to go too; used is fresh.
    expect(manager.destroyStale(4000)).toBe(3);
    expect([...manager.resources()].map((r) => r.label)).toEqual(['used']);
    expect(manager.stats()).toMatchObject({ active: 1, created: 4, destroyed: 3, averageAgeMs: 8000 });
    manager.dispose();
  });

  it('stats() is O(1): it does not scan the table', () => {
    const manager = createResourceManager({ device: gpu.device });
    for (let i = 0; i < 2000; i++) manager.createBuffer(buffer(`b${i}`, 4));
    // Count every walk over the table: stats() must answer from counters alone.
    const { table } = (
      manager as unknown as { registry: { table: { [Symbol.iterator]: () => Iterator<unknown> } } }
    ).registry;
    const iterate = table[Symbol.iterator].bind(table);
    let scans = 0;
    table[Symbol.iterator] = () => {
      scans++;
      return iterate();
    };
    expect([...manager.resources()]).toHaveLength(2000);
    expect(scans).toBe(1); // the probe works: iterating resources walks the table once
    expect(manager.stats()).toMatchObject({ totalCount: 2000, totalBytes: 8000 });
    expect(scans).toBe(1);
    manager.dispose();
  });

  it('capacity bounds the manager: creating past it throws and leaves nothing on the GPU or in the ledger', () => {
    const manager = createResourceManager({ device: gpu.device, capacity: 2 });
    manager.createBuffer(buffer('a'));
    manager.createBuffer(buffer('b'));
    const before = manager.usageStats();
    expect(() => manager.createBuffer(buffer('c'))).toThrow(/capacity is 2/);
    expect(manager.usageStats()).toEqual(before);
    manager.dispose();
  });
});
