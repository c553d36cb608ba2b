import { describe, expect, it } from 'vitest';
import { type BackendObjects, GpuHandlesError, unsupportedStaging } from '../../src/index.ts';
import { normalizeStagingOptions } from '../../src/staging/options.ts';
import { planTextureRead } from '../../src/staging/planning/texture-transfer.ts';

describe('unsupportedStaging (for a backend without staging yet)', () => {
  const staging = unsupportedStaging<BackendObjects>('webgl2');

  it('fails uploads and reads with a typed error naming the backend', async () => {
    expect(() => staging.writeBuffer({}, 0, new Uint8Array(4))).toThrow(GpuHandlesError);
    expect(() => staging.writeBuffer({}, 0, new Uint8Array(4))).toThrow(/webgl2 backend has no staging/);
    const copy = planTextureRead({
      label: 't',
      width: 1,
      height: 1,
      depthOrArrayLayers: 1,
      format: 'rgba8unorm',
      usage: 1,
      dimension: '2d',
      mipLevelCount: 1,
      sampleCount: 1,
      viewFormats: [],
    });
    expect(() =>
      staging.writeTexture({}, new Uint8Array(4), { ...copy, bytesPerRow: 4, rowsPerImage: 1 }),
    ).toThrow(/cannot upload to a texture/);
    await expect(staging.readBuffer({}, 0, 4, 'b')).rejects.toMatchObject({ code: 'unsupported' });
    await expect(staging.readTexture({}, copy, 't')).rejects.toThrow(/cannot read a texture/);
  });

  it('flush, trim, forget and dispose are harmless no-ops with empty stats', () => {
    staging.flush();
    staging.submitted();
    expect(staging.forget({})).toBe(false);
    expect(staging.trim({ keepBytes: 0 })).toBe(0);
    expect(staging.stats().upload).toMatchObject({ bytes: 0, chunks: 0, created: 0, waiting: 0 });
    expect(staging.stats().readback.inFlight).toBe(0);
    staging.dispose('disposed');
    expect(normalizeStagingOptions().maxUploadBytes).toBe(64 << 20); // options still normalize for such backends
  });
});
