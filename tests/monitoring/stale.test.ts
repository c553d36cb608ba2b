/**
 * Stale detection counts use through every path of the manager: `gpu()`, `use()`, `useIn()`, uploads
 * (buffer and texture), reads, render passes and `access()`; what none of them touched is stale, and only
 * that is destroyed. A bad `maxAgeMs` is a typed error that destroys nothing (it once destroyed everything
 * at least 1 ms old). Null backend with a staging that accepts everything, and an injected clock.
 */
import { describe, expect, it } from 'vitest';
import type { Staging, StagingHost } from '../../src/core/backend.ts';
import { BufferUsage, TextureUsage, ValidationError } from '../../src/index.ts';
import { ResourceManager } from '../../src/manager/resource-manager.ts';
import type { NormalizedStagingOptions } from '../../src/staging/options.ts';
import { NullBackend, type NullObjects } from '../support/null-backend.ts';

/** A null backend whose staging takes writes and answers reads with zeros (bookkeeping only). */
class AcceptingBackend extends NullBackend {
  override createStaging(host: StagingHost, options?: NormalizedStagingOptions): Staging<NullObjects> {
    void options;
    const base = super.createStaging(host);
    return {
      ...base,
      writeBuffer: () => undefined,
      writeTexture: () => undefined,
      readBuffer: async (_buffer, _offset, size) => new Uint8Array(size),
      readTexture: async (_texture, copy) => new Uint8Array(copy.footprint.tightBytes),
    };
  }
}

function setup() {
  let now = 0;
  const manager = new ResourceManager(new AcceptingBackend(), { now: () => now });
  const buffer = (label: string) =>
    manager.createBuffer({ label, size: 64, usage: BufferUsage.COPY_DST | BufferUsage.COPY_SRC });
  const texture = (label: string) =>
    manager.createTexture({
      label,
      size: [4, 4],
      format: 'rgba8unorm',
      usage: TextureUsage.COPY_DST | TextureUsage.COPY_SRC | TextureUsage.RENDER_ATTACHMENT,
    });
  return { manager, buffer, texture, advance: (ms: number) => (now += ms) };
}

describe('stale detection counts every path of use', () => {
  it('gpu, use, useIn, upload, uploadTexture, read, readTexture, renderPass and access each keep a resource fresh', async () => {
    const { manager, buffer, texture, advance } = setup();
    const viaGpu = buffer('via-gpu');
    const viaUse = buffer('via-use');
    const viaUseIn = buffer('via-useIn');
    const viaUpload = buffer('via-upload');
    const viaUploadTexture = texture('via-uploadTexture');
    const viaRead = buffer('via-read');
    const viaReadTexture = texture('via-readTexture');
    const attachment = texture('attachment');
    const viaRenderPass = manager.createRenderTarget({ label: 'via-renderPass', color: [attachment] });
    const viaAccess = buffer('via-access');
    const idle = buffer('idle');
    const idleTexture = texture('idle-texture');
    advance(1000);
    manager.gpu(viaGpu);
    manager.use(viaUse);
    manager.useIn({ encoder: true } as never, viaUseIn);
    manager.upload(viaUpload, 0, new Uint8Array(16));
    manager.uploadTexture(viaUploadTexture, new Uint8Array(64), {}, [4, 4]);
    await manager.read(viaRead);
    await manager.readTexture(viaReadTexture);
    manager.renderPass(viaRenderPass);
    manager.access(viaAccess);
    advance(10);
    const label = (h: number) => manager.get(h as never)?.label;
    // The attachment was used only through its render target's pass: it is idle itself, but it has a
    // dependent, so destroyStale leaves it (findStale still reports it).
    expect(manager.findStale(500).map(label).sort()).toEqual(['attachment', 'idle', 'idle-texture']);
    expect(manager.destroyStale(500)).toBe(2);
    expect(manager.has(idle)).toBe(false);
    expect(manager.has(idleTexture)).toBe(false);
    for (const h of [viaGpu, viaUse, viaUseIn, viaUpload, viaUploadTexture, viaRead, viaReadTexture]) {
      expect(manager.has(h), label(h)).toBe(true);
    }
    expect(manager.has(viaRenderPass) && manager.has(attachment) && manager.has(viaAccess)).toBe(true);
    // Later, with nothing used for longer than the age, everything without dependents goes.
    advance(1000);
    expect(manager.findStale(500)).toHaveLength(10);
    expect(manager.findStale(2000)).toEqual([attachment]); // untouched since its creation, 2010 ms ago
    manager.dispose();
  });

  it('use() of a render target keeps what it depends on fresh too', () => {
    const { manager, texture, advance } = setup();
    const color = texture('color');
    const rt = manager.createRenderTarget({ label: 'rt', color: [color] });
    advance(1000);
    manager.use(rt);
    expect(manager.findStale(500)).toEqual([]);
    manager.dispose();
  });
});

describe('a bad maxAgeMs is a typed error and destroys nothing', () => {
  const bad: [string, unknown][] = [
    ['null', null],
    ["''", ''],
    ['[]', []],
    ['-1', -1],
    ['NaN', Number.NaN],
    ["'5'", '5'],
    ['{}', {}],
    ['a Symbol', Symbol('age')],
    ['undefined', undefined],
    ['1n', 1n],
  ];
  for (const [name, value] of bad) {
    it(`findStale(${name}) and destroyStale(${name})`, () => {
      const { manager, buffer, advance } = setup();
      buffer('old');
      advance(10_000);
      const before = manager.usageStats();
      for (const call of [
        () => manager.findStale(value as never),
        () => manager.destroyStale(value as never),
      ]) {
        let error: unknown;
        try {
          call();
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ValidationError);
        expect(String((error as Error).message)).toMatch(/maxAgeMs.*must be a number >= 0/);
      }
      expect(manager.usageStats()).toEqual(before);
      expect(manager.stats().totalCount).toBe(1);
      manager.dispose();
    });
  }

  it('0 and Infinity are valid: 0 reports what was not used at this very moment, Infinity nothing', () => {
    const { manager, buffer, advance } = setup();
    const old = buffer('old');
    advance(5);
    const fresh = buffer('fresh');
    expect(manager.findStale(0)).toEqual([old]);
    expect(manager.findStale(Number.POSITIVE_INFINITY)).toEqual([]);
    expect(manager.destroyStale(Number.POSITIVE_INFINITY)).toBe(0);
    expect(manager.has(fresh)).toBe(true);
    manager.dispose();
  });
});
