import { describe, expect, it } from 'vitest';
import { BufferUsage, createResourceManager, DeviceLostError, TextureUsage } from '../../src/index.ts';
import { requestTestDevice } from '../support/webgpu.ts';

describe('device loss', () => {
  it('every handle stays valid in state lost, a lost event lists what was alive, creates throw DeviceLostError', async () => {
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
    expect(manager.get(tex)?.state).toBe('lost');
    expect(manager.get(buf)?.state).toBe('lost');
    expect(() => manager.gpu(tex)).toThrow(/'albedo' is lost, not live/);
    expect(manager.stats()).toMatchObject({ totalBytes: 0, totalCount: 0, pendingFreeBytes: 0 });
    expect(manager.stats().lost).toMatchObject({ bytes: 64 + 64, count: 2 });
    expect(() => manager.createBuffer({ size: 4, usage: BufferUsage.VERTEX })).toThrow(DeviceLostError);
    manager.destroy(buf); // a lost resource can be given up: nothing to free on the dead device
    expect(manager.has(buf)).toBe(false);
    expect(manager.dispose().map((r) => r.label)).toEqual(['albedo']);
  });
});
