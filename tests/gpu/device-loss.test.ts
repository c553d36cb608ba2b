import { describe, expect, it } from 'vitest';
import { BufferUsage, createResourceManager, DeviceLostError, TextureUsage } from '../../src/index.ts';
import { requestTestDevice } from '../support/webgpu.ts';

describe('device loss', () => {
  it('every handle goes stale, a lost event lists what was alive, later creates throw DeviceLostError', async () => {
    const device = await requestTestDevice(); // its own device: this test destroys it
    const manager = createResourceManager({ device });
    const tex = manager.createTexture({
      label: 'albedo',
      size: [4, 4],
      format: 'rgba8unorm',
      usage: TextureUsage.COPY_DST,
    });
    const buf = manager.createBuffer({ label: 'vbo', size: 64, usage: BufferUsage.VERTEX });
    const lost = new Promise<{ reason: string; labels: string[] }>((resolve) =>
      manager.on('lost', (e) => resolve({ reason: e.reason, labels: e.resources.map((r) => r.label) })),
    );
    device.destroy();
    const event = await lost;
    expect(event.reason).toMatch(/destroyed/);
    expect(event.labels).toEqual(['albedo', 'vbo']);
    expect(manager.has(tex)).toBe(false);
    expect(manager.has(buf)).toBe(false);
    expect(manager.stats()).toMatchObject({ totalBytes: 0, totalCount: 0, pendingFreeBytes: 0 });
    expect(() => manager.createBuffer({ size: 4, usage: BufferUsage.VERTEX })).toThrow(DeviceLostError);
    expect(manager.dispose()).toEqual([]);
  });
});
