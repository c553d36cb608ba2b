import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCapabilities } from '../../src/core/capabilities.ts';
import { ValidationError } from '../../src/errors.ts';
import { textureDescriptorBytes } from '../../src/resources/descriptor-bytes.ts';
import { normalizeTextureDescriptor } from '../../src/resources/texture.ts';
import { textureByteSize } from '../../src/resources/texture-size.ts';
import { TextureUsage } from '../../src/resources/usage.ts';

const usage = TextureUsage.TEXTURE_BINDING;

describe('textureDescriptorBytes', () => {
  it('takes descriptors as createTexture does: [w, h] sizes, full mip chains, defaults (hand-computed)', () => {
    // 256²+128²+...+1² = 87381 texels * 4 B
    expect(
      textureDescriptorBytes({ size: [256, 256], format: 'rgba8unorm', usage, mipLevelCount: 'full' }),
    ).toBe(349524);
    // 1280*720 texels * 4 B, one level, one sample
    expect(textureDescriptorBytes({ size: { width: 1280, height: 720 }, format: 'depth24plus', usage })).toBe(
      3686400,
    );
    // 4x MSAA counts 4x: 64*64*4 B*4
    expect(
      textureDescriptorBytes({
        size: [64, 64],
        format: 'rgba8unorm',
        usage: TextureUsage.RENDER_ATTACHMENT,
        sampleCount: 4,
      }),
    ).toBe(65536);
    // BC7: 16-byte 4x4 blocks; 1024² = 256² blocks * 16 B
    const bc = defaultCapabilities(['texture-compression-bc']);
    expect(textureDescriptorBytes({ size: [1024, 1024], format: 'bc7-rgba-unorm', usage }, bc)).toBe(1048576);
    // 3D: depth halves with the mips: 8³ + 4³ + 2³ + 1 = 585 texels * 1 B
    expect(
      textureDescriptorBytes({
        size: [8, 8, 8],
        format: 'r8unorm',
        usage,
        dimension: '3d',
        mipLevelCount: 'full',
      }),
    ).toBe(585);
  });

  it('agrees with normalize-then-textureByteSize for any valid 2D descriptor', () => {
    const caps = defaultCapabilities();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4096 }),
        fc.integer({ min: 1, max: 4096 }),
        fc.integer({ min: 1, max: 16 }),
        fc.constantFrom('rgba8unorm', 'r16float', 'rgba32float', 'depth32float', 'rg8uint' as const),
        fc.boolean(),
        (width, height, layers, format, full) => {
          const desc = {
            size: [width, height, layers],
            format,
            usage,
            mipLevelCount: full ? ('full' as const) : 1,
          };
          expect(textureDescriptorBytes(desc)).toBe(textureByteSize(normalizeTextureDescriptor(desc, caps)));
        },
      ),
    );
  });

  it('refuses what createTexture refuses, with the same ValidationError', () => {
    const refused = { label: 'oops', size: [0, 4], format: 'rgba8unorm' as const, usage };
    expect(() => textureDescriptorBytes(refused)).toThrow(ValidationError);
    expect(() => textureDescriptorBytes(refused)).toThrow("'oops': size.width = 0 is invalid");
    // A feature-gated format needs capabilities that have the feature.
    expect(() => textureDescriptorBytes({ size: [4, 4], format: 'bc1-rgba-unorm', usage })).toThrow(
      /requires device feature 'texture-compression-bc'/,
    );
    // Limits come from the capabilities: 16384 is past the default 8192, within a device that allows it.
    const big = { size: [16384, 16], format: 'r8unorm' as const, usage };
    expect(() => textureDescriptorBytes(big)).toThrow(/maxTextureDimension2D/);
    expect(textureDescriptorBytes(big, defaultCapabilities([], { maxTextureDimension2D: 16384 }))).toBe(
      262144,
    );
  });

  it('refuses capabilities that are not Capabilities, naming the field', () => {
    const desc = { size: [4, 4], format: 'rgba8unorm' as const, usage };
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    for (const caps of [null, 5, 'webgpu', {}, { limits: {} }, { features: new Set() }, hostile]) {
      expect(() => textureDescriptorBytes(desc, caps as never)).toThrow(ValidationError);
      expect(() => textureDescriptorBytes(desc, caps as never)).toThrow(
        /capabilities = .* is invalid: must be Capabilities/,
      );
    }
  });
});
