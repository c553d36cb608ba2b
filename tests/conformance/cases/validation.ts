/** Validation outcomes: bad input throws a typed error naming the field, and nothing is created. */
import {
  BufferUsage,
  type Handle,
  ShaderCompileError,
  type TextureDescriptor,
  TextureUsage,
  ValidationError,
} from '../../../src/index.ts';
import { equal, ok, rejects } from '../assert.ts';
import type { AnyManager, ConformanceCase } from '../context.ts';
import { expectNothingCreated } from '../probes.ts';

const RA = TextureUsage.RENDER_ATTACHMENT;
const SAMPLED = TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST;

/** The create must throw ValidationError for `field` (with the label in the message) and leave nothing. */
function expectInvalid(manager: AnyManager, field: string, create: () => unknown): void {
  const error = expectNothingCreated(manager, create);
  ok(error instanceof ValidationError, `expected ValidationError for ${field}, got ${String(error)}`);
  equal(error.field, field, `field of: ${error.message}`);
  ok(error.message.includes("'bad'"), `the message names the label: ${error.message}`);
}

export const validationCases: readonly ConformanceCase[] = [
  {
    name: 'validation: a bad texture throws ValidationError naming the field; nothing is created',
    run(ctx) {
      const manager = ctx.createManager();
      const limits = manager.backend.capabilities.limits;
      const tex = (d: Partial<TextureDescriptor>) => () =>
        manager.createTexture({ label: 'bad', size: [4, 4], format: 'rgba8unorm', usage: SAMPLED, ...d });
      expectInvalid(manager, 'size.width', tex({ size: [0, 4] }));
      expectInvalid(manager, 'size.height', tex({ size: [4, 2.5] }));
      expectInvalid(manager, 'size.width', tex({ size: [limits.maxTextureDimension2D + 1, 4] }));
      expectInvalid(
        manager,
        'size.depthOrArrayLayers',
        tex({ size: [4, 4, limits.maxTextureArrayLayers + 1] }),
      );
      expectInvalid(manager, 'usage', tex({ usage: 0 }));
      expectInvalid(manager, 'usage', tex({ usage: 0x100 }));
      expectInvalid(manager, 'format', tex({ format: 'rgba8' as GPUTextureFormat }));
      expectInvalid(manager, 'mipLevelCount', tex({ mipLevelCount: 4 }));
      expectInvalid(manager, 'sampleCount', tex({ sampleCount: 2, usage: RA }));
      expectInvalid(manager, 'usage', tex({ sampleCount: 4, usage: TextureUsage.COPY_DST }));
      equal(manager.dispose().length, 0, 'nothing was created');
    },
  },
  {
    name: 'validation: a bad buffer throws ValidationError naming the field; nothing is created',
    run(ctx) {
      const manager = ctx.createManager();
      const max = manager.backend.capabilities.limits.maxBufferSize;
      const buf = (size: number, usage: number) => () => manager.createBuffer({ label: 'bad', size, usage });
      expectInvalid(manager, 'size', buf(-4, BufferUsage.VERTEX));
      expectInvalid(manager, 'size', buf(1.5, BufferUsage.VERTEX));
      expectInvalid(manager, 'size', buf(max + 1, BufferUsage.VERTEX));
      expectInvalid(manager, 'usage', buf(16, 0));
      expectInvalid(manager, 'usage', buf(16, BufferUsage.MAP_READ | BufferUsage.VERTEX));
      expectInvalid(manager, 'usage', buf(16, BufferUsage.MAP_WRITE | BufferUsage.UNIFORM));
      equal(manager.dispose().length, 0, 'nothing was created');
    },
  },
  {
    name: 'validation: a bad render target throws ValidationError naming the field; nothing is created',
    run(ctx) {
      const manager = ctx.createManager();
      const color = manager.createTexture({
        label: 'color',
        size: [16, 16],
        format: 'rgba8unorm',
        usage: RA,
      });
      const small = manager.createTexture({ label: 'small', size: [8, 8], format: 'rgba8unorm', usage: RA });
      const sampled = manager.createTexture({
        label: 'sampled',
        size: [16, 16],
        format: 'rgba8unorm',
        usage: SAMPLED,
      });
      const depth = manager.createTexture({
        label: 'depth',
        size: [16, 16],
        format: 'depth24plus',
        usage: RA,
      });
      const buffer = manager.createBuffer({ label: 'buffer', size: 16, usage: BufferUsage.UNIFORM });
      const gone = manager.createTexture({ label: 'gone', size: [16, 16], format: 'rgba8unorm', usage: RA });
      manager.destroy(gone);
      const max = manager.backend.capabilities.limits.maxColorAttachments;
      expectInvalid(manager, 'color[1]', () =>
        manager.createRenderTarget({ label: 'bad', color: [color, small] }),
      );
      expectInvalid(manager, 'color[0]', () =>
        manager.createRenderTarget({ label: 'bad', color: [sampled] }),
      );
      expectInvalid(manager, 'color[0]', () => manager.createRenderTarget({ label: 'bad', color: [gone] }));
      expectInvalid(manager, 'color[0]', () =>
        manager.createRenderTarget({ label: 'bad', color: [buffer as unknown as Handle<'texture'>] }),
      );
      expectInvalid(manager, 'color[1]', () =>
        manager.createRenderTarget({ label: 'bad', color: [color, color] }),
      );
      expectInvalid(manager, 'color', () => manager.createRenderTarget({ label: 'bad', color: [] }));
      expectInvalid(manager, 'color.length', () =>
        manager.createRenderTarget({ label: 'bad', color: Array.from({ length: max + 1 }, () => color) }),
      );
      expectInvalid(manager, 'color[0].format', () =>
        manager.createRenderTarget({ label: 'bad', color: [depth] }),
      );
      expectInvalid(manager, 'depthStencil.format', () =>
        manager.createRenderTarget({ label: 'bad', color: [], depthStencil: color }),
      );
      equal(manager.dispose().length, 5, 'only the four live textures and the buffer were alive');
    },
  },
  {
    name: 'validation: a shader error rejects with ShaderCompileError giving the line and the source line',
    async run(ctx) {
      const manager = ctx.createManager();
      const before = manager.usageStats();
      const error = await rejects(
        manager.createShader(ctx.shaders.broken),
        ShaderCompileError,
        /undefinedThing/,
      );
      const located = error.messages.find((m) => m.type === 'error' && m.line === ctx.shaders.brokenLine);
      ok(located, `an error on line ${ctx.shaders.brokenLine}: ${error.message}`);
      ok(located.sourceLine.includes('undefinedThing'), `source line: ${JSON.stringify(located.sourceLine)}`);
      ok(error.message.includes("'broken'"), 'the message names the label');
      equal(manager.usageStats().totalCount, before.totalCount, 'nothing was created');
      // The failed source is not cached: a second try compiles again and fails again.
      await rejects(manager.createShader(ctx.shaders.broken), ShaderCompileError);
      manager.dispose();
    },
  },
];
