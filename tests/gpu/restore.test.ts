/**
 * Restore after device loss on Dawn: device.destroy(), then the manager re-creates everything on a new device
 * from a new adapter, under the same handles, with contents from their sources.
 */
import { describe, expect, it } from 'vitest';
import {
  BufferUsage,
  createResourceManager,
  DeviceLostError,
  type Handle,
  TextureUsage,
} from '../../src/index.ts';
import { WebGPUBackend } from '../../src/webgpu.ts';
import { dawn, requestTestDevice } from '../support/webgpu.ts';

const TEXTURES = 1000;
const BUFFERS = 1000;
const TEX_USAGE = TextureUsage.COPY_DST | TextureUsage.COPY_SRC | TextureUsage.RENDER_ATTACHMENT;
const BUF_USAGE = BufferUsage.COPY_DST | BufferUsage.COPY_SRC;

function texels(i: number): Uint8Array {
  const data = new Uint8Array(4 * 4 * 4);
  for (let j = 0; j < data.length; j++) data[j] = (i * 31 + j * 7) & 0xff;
  return data;
}

function words(i: number): Uint8Array {
  const data = new Uint8Array(64);
  for (let j = 0; j < data.length; j++) data[j] = (i * 13 + j) & 0xff;
  return data;
}

describe('restore after device loss', () => {
  it('1,000 textures, 1,000 buffers, render targets and shaders come back under the same handles, contents and ledger identical', async () => {
    const device = await requestTestDevice();
    const manager = createResourceManager({ device });
    const textures: Handle<'texture'>[] = [];
    const buffers: Handle<'buffer'>[] = [];
    for (let i = 0; i < TEXTURES; i++) {
      const tex = manager.createTexture({
        label: `t${i}`,
        size: [4, 4],
        format: 'rgba8unorm',
        usage: TEX_USAGE,
        content: 'keep',
      });
      manager.uploadTexture(tex, texels(i), {}, [4, 4]);
      textures.push(tex);
    }
    for (let i = 0; i < BUFFERS; i++) {
      const buf = manager.createBuffer({ label: `b${i}`, size: 64, usage: BUF_USAGE, content: 'keep' });
      manager.upload(buf, 0, words(i));
      buffers.push(buf);
    }
    const loaded = manager.createBuffer({
      label: 'loaded',
      size: 16,
      usage: BUF_USAGE,
      content: { restore: async () => new Uint32Array([1, 2, 3, 4]) },
    });
    let regenerated = 0;
    const canvasLike = manager.createTexture({
      label: 'regenerated',
      size: [4, 4],
      format: 'rgba8unorm',
      usage: TEX_USAGE,
      content: { regenerate: () => void regenerated++ },
    });
    const plain = manager.createTexture({
      label: 'no-source',
      size: [4, 4],
      format: 'rgba8unorm',
      usage: TEX_USAGE,
    });
    const targets = textures
      .slice(0, 50)
      .map((t, i) => manager.createRenderTarget({ label: `rt${i}`, color: [t] }));
    const shader = await manager.createShader({
      label: 'fill',
      code: '@vertex fn vs() -> @builtin(position) vec4f { return vec4f(0.0); }',
    });
    manager.flush();
    await manager.idle();
    const before = manager.usageStats();
    const handlesBefore = [...manager.resources()].map((r) => r.handle).sort();

    const lost = new Promise<void>((resolve) => manager.on('lost', () => resolve()));
    device.destroy();
    await lost;
    expect(() => manager.createBuffer({ size: 4, usage: BUF_USAGE })).toThrow(DeviceLostError);
    expect(manager.get(textures[0]!)?.state).toBe('lost');

    const next = await requestTestDevice(); // a new adapter, then a new device: the old adapter is consumed
    const started = performance.now();
    const report = await manager.restore(new WebGPUBackend(next));
    await manager.idle();
    const elapsed = performance.now() - started;
    console.log(
      `[restore] ${report.restored} resources restored in ${elapsed.toFixed(0)} ms (report ${report.durationMs.toFixed(0)} ms); empty: ${report.empty.map((r) => r.label).join(', ')}`,
    );

    expect(report.failed).toEqual([]);
    expect(report.empty.map((r) => r.label)).toEqual(['no-source']);
    expect(report.restored).toBe(TEXTURES + BUFFERS + 3 + targets.length + 1);
    expect(regenerated).toBe(1);
    expect([...manager.resources()].map((r) => r.handle).sort()).toEqual(handlesBefore);
    expect([...manager.resources()].every((r) => r.state === 'live')).toBe(true);
    const after = manager.usageStats();
    expect(after.byKind).toEqual(before.byKind); // byte-identical ledger per kind (staging included)
    expect(after.lost.count).toBe(0);

    // Contents: every kept resource reads back what was uploaded before the loss.
    const bad: string[] = [];
    const reads = await Promise.all([
      ...textures.map((t) => manager.readTexture(t)),
      ...buffers.map((b) => manager.read(b)),
    ]);
    reads.forEach((bytes, i) => {
      const expected = i < TEXTURES ? texels(i) : words(i - TEXTURES);
      if (bytes.length !== expected.length || bytes.some((v, j) => v !== expected[j])) bad.push(`#${i}`);
    });
    expect(bad).toEqual([]);
    expect([...new Uint32Array((await manager.read(loaded)).buffer)]).toEqual([1, 2, 3, 4]);

    // The first frame after restore: a pass into a restored render target, no validation error.
    next.pushErrorScope('validation');
    const encoder = next.createCommandEncoder();
    encoder.beginRenderPass(manager.renderPass(targets[0]!)).end();
    manager.use(targets[0]!, canvasLike, plain);
    manager.submit([encoder.finish()]);
    expect(await next.popErrorScope()).toBeNull();
    expect(manager.has(shader)).toBe(true);
    manager.dispose();
    next.destroy();
  });

  it('a restore option brings everything back by itself; a descriptor that no longer fits is reported failed', async () => {
    // The first device raises maxTextureArrayLayers; the device it is restored onto has the default (256).
    const adapter = (await dawn().requestAdapter())!;
    const device = await adapter.requestDevice({ requiredLimits: { maxTextureArrayLayers: 512 } });
    let restores = 0;
    const manager = createResourceManager({
      device,
      restore: async () => {
        restores++;
        return requestTestDevice();
      },
    });
    const kept = manager.createBuffer({ label: 'kept', size: 16, usage: BUF_USAGE, content: 'keep' });
    const layered = manager.createTexture({
      label: 'layers',
      size: [1, 1, 300],
      format: 'r8unorm',
      usage: TEX_USAGE,
    });
    manager.upload(kept, 0, new Uint32Array([9, 8, 7, 6]));
    manager.flush();
    const restored = new Promise<{ restored: number; failed: string[] }>((resolve) =>
      manager.on('restored', (r) =>
        resolve({ restored: r.restored, failed: r.failed.map((f) => `${f.label}: ${f.reason}`) }),
      ),
    );
    device.destroy();
    const report = await restored;
    expect(report.restored).toBe(1);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]).toMatch(/^layers: .*size\.depthOrArrayLayers = 300 is invalid.*256/);
    expect(restores).toBe(1);
    expect(manager.get(layered)?.state).toBe('lost'); // still named; the owner may destroy it
    manager.destroy(layered);
    expect([...new Uint32Array((await manager.read(kept)).buffer)]).toEqual([9, 8, 7, 6]);
    manager.dispose();
  });
});
