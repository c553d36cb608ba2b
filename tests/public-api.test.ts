import { describe, expect, it } from 'vitest';
import * as api from '../src/index.ts';

describe('public API', () => {
  it('exports every entry point the README documents', () => {
    const documented = [
      'createResourceManager',
      'ResourceManager',
      'ManagerCore',
      'ResourceTable',
      'ResourcePool',
      'TtlCache',
      'RenderTargetPool',
      'createStatsOverlay',
      'ResourceScope',
      'WeakHandle',
      'WebGPUBackend',
      'WebGL2Backend',
      'MemoryLedger',
      'Emitter',
      'TextureUsage',
      'BufferUsage',
      'textureByteSize',
      'getFormatInfo',
      'formatHandle',
      'unpackHandle',
      'ValidationError',
      'StaleHandleError',
      'ForeignHandleError',
      'ResourceInUseError',
      'RefCountError',
      'ShaderCompileError',
      'TableFullError',
      'WrongKindError',
      'ReadbackCancelledError',
      'DeviceLostError',
    ];
    const missing = documented.filter((name) => !(name in api));
    expect(missing).toEqual([]);
    for (const name of documented)
      expect(typeof (api as Record<string, unknown>)[name]).toMatch(/function|object/);
  });

  it('every error class derives from GpuHandlesError and carries a stable code', () => {
    const errors = Object.entries(api).filter(
      ([name, value]) => name.endsWith('Error') && typeof value === 'function' && name !== 'GpuHandlesError',
    );
    expect(errors.length).toBeGreaterThan(10);
    for (const [name, value] of errors) {
      expect((value as { prototype: object }).prototype, name).toBeInstanceOf(api.GpuHandlesError);
    }
  });
});
