import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.ts';
import {
  DEFAULT_SWAP_CHAIN_BUFFERS,
  SwapChainRegistry,
  swapChainBytes,
} from '../../src/overlay/swap-chain.ts';

describe('swapChainBytes', () => {
  it('is width * height * bytes per pixel * buffers (hand-computed)', () => {
    expect(DEFAULT_SWAP_CHAIN_BUFFERS).toBe(3);
    // 1920 * 1080 * 4 bytes * 3 buffers
    expect(swapChainBytes({ width: 1920, height: 1080, format: 'bgra8unorm' })).toBe(24_883_200);
    expect(swapChainBytes({ width: 1920, height: 1080, format: 'rgba8unorm', bufferCount: 2 })).toBe(
      16_588_800,
    );
    // rgba16float: 8 bytes per pixel
    expect(swapChainBytes({ width: 800, height: 600, format: 'rgba16float', bufferCount: 2 })).toBe(
      7_680_000,
    );
    expect(swapChainBytes({ width: 0, height: 600, format: 'bgra8unorm' })).toBe(0);
  });

  it('rejects formats a canvas cannot have, naming the field and the value', () => {
    expect(() => swapChainBytes({ width: 4, height: 4, format: 'rgba8' })).toThrow(ValidationError);
    expect(() => swapChainBytes({ width: 4, height: 4, format: 'rgba8' })).toThrow(
      /format = "rgba8" is invalid: is not a known GPUTextureFormat/,
    );
    expect(() => swapChainBytes({ width: 4, height: 4, format: 'depth24plus' })).toThrow(
      /uncompressed colour/,
    );
    expect(() => swapChainBytes({ width: 4, height: 4, format: 'bc1-rgba-unorm' })).toThrow(
      /uncompressed colour/,
    );
  });

  it('rejects bad sizes and buffer counts', () => {
    expect(() => swapChainBytes({ width: -1, height: 4, format: 'bgra8unorm' })).toThrow(/width = -1/);
    expect(() => swapChainBytes({ width: 4, height: 2.5, format: 'bgra8unorm' })).toThrow(/height = 2.5/);
    expect(() => swapChainBytes({ width: 4, height: 4, format: 'bgra8unorm', bufferCount: 0 })).toThrow(
      /bufferCount = 0 is invalid/,
    );
  });
});

describe('SwapChainRegistry', () => {
  it('follows canvas resizes without caching sizes', () => {
    const registry = new SwapChainRegistry();
    const canvas = { width: 100, height: 50 };
    registry.register(canvas, { format: 'bgra8unorm' });
    expect(registry.totalBytes()).toBe(100 * 50 * 4 * 3);
    canvas.width = 200;
    expect(registry.totalBytes()).toBe(200 * 50 * 4 * 3);
  });

  it('accepts a context that names its canvas, sums several canvases, and unregisters', () => {
    const registry = new SwapChainRegistry();
    const context = { canvas: { width: 10, height: 10 } };
    const offA = registry.register(context, { format: 'rgba8unorm', bufferCount: 2, label: 'webgl' });
    const offB = registry.register({ width: 4, height: 4 }, { format: 'rgba16float' });
    expect(registry.size).toBe(2);
    expect(registry.totalBytes()).toBe(10 * 10 * 4 * 2 + 4 * 4 * 8 * 3);
    expect(registry.entries()[0]).toEqual({
      label: 'webgl',
      width: 10,
      height: 10,
      format: 'rgba8unorm',
      bufferCount: 2,
      bytes: 800,
    });
    offA();
    offA(); // harmless twice
    expect(registry.size).toBe(1);
    expect(registry.totalBytes()).toBe(4 * 4 * 8 * 3);
    offB();
    expect(registry.totalBytes()).toBe(0);
  });

  it('validates at registration, so a bad format fails where it was written', () => {
    const registry = new SwapChainRegistry();
    expect(() =>
      registry.register({ width: 1, height: 1 }, { format: 'bgra8', label: 'main canvas' }),
    ).toThrow(/'main canvas': format = "bgra8" is invalid/);
    expect(registry.size).toBe(0);
  });
});
