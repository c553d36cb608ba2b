/**
 * Ledger bytes: the same descriptors give the same, hand-computed bytes on every backend (for formats whose
 * storage both backends agree on; depth32float-stencil8 differs and is tested per backend).
 */
import { BufferUsage, type TextureDescriptor, TextureUsage, ValidationError } from '../../../src/index.ts';
import { deepEqual, equal, ok } from '../assert.ts';
import type { ConformanceCase } from '../context.ts';
import { expectNothingCreated } from '../probes.ts';

const SAMPLED = TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST;
const RA = TextureUsage.RENDER_ATTACHMENT;

/** Descriptor, expected bytes, and how the number comes about. */
const TEXTURES: readonly (readonly [TextureDescriptor, number, string])[] = [
  [
    { label: 'mipped', size: [256, 256], format: 'rgba8unorm', usage: SAMPLED, mipLevelCount: 'full' },
    349_524,
    '4 x (256^2 + 128^2 + ... + 1), 9 levels',
  ],
  [
    { label: 'non-square', size: [100, 10], format: 'rgba8unorm', usage: SAMPLED, mipLevelCount: 'full' },
    5_288,
    '4 x (100x10 + 50x5 + 25x2 + 12x1 + 6x1 + 3x1 + 1x1), 7 levels: height stops at 1',
  ],
  [
    { label: 'array', size: [64, 32, 6], format: 'r8unorm', usage: SAMPLED, mipLevelCount: 'full' },
    16_386,
    '6 layers x (2048 + 512 + 128 + 32 + 8 + 2 + 1): layers do not shrink',
  ],
  [
    {
      label: 'volume',
      size: [32, 32, 32],
      format: 'rgba16float',
      usage: SAMPLED,
      dimension: '3d',
      mipLevelCount: 4,
    },
    299_520,
    '8 x (32^3 + 16^3 + 8^3 + 4^3): depth shrinks with the level',
  ],
  [
    { label: 'msaa', size: [64, 64], format: 'rgba8unorm', usage: RA, sampleCount: 4 },
    65_536,
    '64^2 x 4 B x 4 samples',
  ],
  [{ label: 'depth', size: [16, 16], format: 'depth24plus', usage: RA }, 1_024, '16^2 x 4 B'],
  [{ label: 'depth16', size: [10, 6], format: 'depth16unorm', usage: RA }, 120, '10 x 6 x 2 B'],
  [{ label: 'line', size: [300], format: 'r32float', usage: SAMPLED, dimension: '1d' }, 1_200, '300 x 4 B'],
];

export const ledgerCases: readonly ConformanceCase[] = [
  {
    name: 'ledger: texture bytes are exact for mips, arrays, 3D, 1D, MSAA and depth',
    run(ctx) {
      const manager = ctx.createManager();
      let sum = 0;
      for (const [desc, expected, why] of TEXTURES) {
        const handle = manager.createTexture(desc);
        equal(manager.resolve(handle).bytes, expected, `${desc.label}: ${why}`);
        sum += expected;
      }
      deepEqual(manager.stats().byKind.texture, { bytes: sum, count: TEXTURES.length }, 'per-kind total');
      equal(manager.stats().totalBytes, sum, 'total');
      manager.dispose();
      equal(manager.stats().totalBytes, 0, 'after dispose');
    },
  },
  {
    name: 'ledger: compressed textures count whole blocks (bc1), or are refused without the feature',
    run(ctx) {
      const manager = ctx.createManager();
      const desc: TextureDescriptor = {
        label: 'bc1',
        size: [20, 20],
        format: 'bc1-rgba-unorm',
        usage: SAMPLED,
        mipLevelCount: 'full',
      };
      if (manager.backend.capabilities.features.has('texture-compression-bc')) {
        // 8 B blocks: 5x5 + 3x3 + 2x2 + 1 + 1 blocks over 5 levels (20, 10, 5, 2, 1 texels wide).
        equal(manager.resolve(manager.createTexture(desc)).bytes, 320, 'bc1 20x20 full chain');
      } else {
        const error = expectNothingCreated(manager, () => manager.createTexture(desc));
        ok(
          error instanceof ValidationError && error.field === 'format',
          `expected a format error: ${String(error)}`,
        );
      }
      manager.dispose();
    },
  },
  {
    name: 'ledger: buffers count their size; totals, peak and created/destroyed counters follow',
    async run(ctx) {
      const manager = ctx.createManager();
      const a = manager.createBuffer({ label: 'a', size: 1000, usage: BufferUsage.VERTEX });
      const b = manager.createBuffer({
        label: 'b',
        size: 256,
        usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST,
      });
      const tex = manager.createTexture({ label: 't', size: [8, 8], format: 'rgba8unorm', usage: RA });
      const rt = manager.createRenderTarget({ label: 'rt', color: [tex] });
      const shader = await manager.createShader(ctx.shaders.valid);
      let stats = manager.stats();
      deepEqual(stats.byKind.buffer, { bytes: 1256, count: 2 }, 'buffers');
      deepEqual(
        stats.byKind.renderTarget,
        { bytes: 0, count: 1 },
        'render targets cost no bytes of their own',
      );
      deepEqual(stats.byKind.shader, { bytes: 0, count: 1 }, 'shaders are counted, not sized');
      equal(stats.totalBytes, 1256 + 256, 'total');
      equal(stats.totalCount, 5, 'count');
      manager.destroy(a);
      manager.destroy(rt);
      stats = manager.stats();
      equal(stats.totalBytes, 256 + 256, 'after destroying a');
      equal(stats.peakBytes, 1256 + 256, 'peak remembers the high point');
      equal(stats.created, 5, 'created');
      equal(stats.destroyed, 2, 'destroyed');
      equal(stats.pendingFreeBytes, 0, 'nothing pending');
      for (const h of [b, tex, shader]) manager.destroy(h);
      deepEqual(manager.dispose(), [], 'all destroyed');
    },
  },
];
