/** Destroy: the handle goes stale at once, the GPU object is destroyed exactly once, stale destroys are typed. */
import { BufferUsage, DisposedError, StaleHandleError, TextureUsage } from '../../../src/index.ts';
import { deepEqual, equal, throws } from '../assert.ts';
import type { ConformanceCase } from '../context.ts';
import { recordBackendDestroys } from '../probes.ts';

const RA = TextureUsage.RENDER_ATTACHMENT;

export const destroyCases: readonly ConformanceCase[] = [
  {
    name: 'destroy: each kind of GPU object is destroyed exactly once, and a second destroy is a typed error',
    async run(ctx) {
      const manager = ctx.createManager();
      const log = recordBackendDestroys(manager);
      const tex = manager.createTexture({ label: 'tex', size: [8, 8], format: 'rgba8unorm', usage: RA });
      const buf = manager.createBuffer({ label: 'buf', size: 64, usage: BufferUsage.VERTEX });
      const shader = await manager.createShader(ctx.shaders.valid);
      const rt = manager.createRenderTarget({ label: 'rt', color: [tex] });
      const objects = [rt, tex, buf, shader].map((h) => manager.gpu(h));
      for (const handle of [rt, tex, buf, shader]) manager.destroy(handle);
      deepEqual(
        objects.map((o) => log.count(o)),
        [1, 1, 1, 1],
        'backend destroy calls per object (rt, tex, buf, shader)',
      );
      deepEqual(
        log.calls.map((c) => c.kind),
        ['renderTarget', 'texture', 'buffer', 'shader'],
        'destroy order',
      );
      const before = manager.usageStats();
      for (const handle of [rt, tex, buf, shader]) throws(() => manager.destroy(handle), StaleHandleError);
      equal(log.calls.length, 4, 'no further backend destroy call');
      deepEqual(manager.usageStats(), before, 'a stale destroy changes nothing');
      manager.dispose();
    },
  },
  {
    name: 'destroy: destroying a render target leaves its attachments alive',
    run(ctx) {
      const manager = ctx.createManager();
      const log = recordBackendDestroys(manager);
      const color = manager.createTexture({ label: 'color', size: [8, 8], format: 'rgba8unorm', usage: RA });
      const depth = manager.createTexture({ label: 'depth', size: [8, 8], format: 'depth24plus', usage: RA });
      const rt = manager.createRenderTarget({ label: 'rt', color: [color], depthStencil: depth });
      manager.destroy(rt);
      equal(manager.has(color) && manager.has(depth), true, 'attachments alive');
      deepEqual(
        log.calls.map((c) => c.kind),
        ['renderTarget'],
        'only the render target was destroyed',
      );
      manager.destroy(color);
      manager.destroy(depth);
      manager.dispose();
    },
  },
  {
    name: 'destroy: dispose destroys everything once, dependents first, reports what was alive, then refuses work',
    async run(ctx) {
      const manager = ctx.createManager();
      const log = recordBackendDestroys(manager);
      const order: string[] = [];
      manager.on('destroy', ({ record }) => order.push(record.label));
      const color = manager.createTexture({ label: 'color', size: [8, 8], format: 'rgba8unorm', usage: RA });
      const buf = manager.createBuffer({ label: 'buf', size: 16, usage: BufferUsage.UNIFORM });
      const rt = manager.createRenderTarget({ label: 'rt', color: [color] });
      await manager.createShader(ctx.shaders.valid);
      const objects = [color, buf, rt].map((h) => manager.gpu(h));
      const report = manager.dispose();
      deepEqual(
        report.map((r) => [r.kind, r.label]),
        [
          ['texture', 'color'],
          ['buffer', 'buf'],
          ['renderTarget', 'rt'],
          ['shader', 'valid'],
        ],
        'dispose report, in creation order',
      );
      deepEqual(order, ['valid', 'rt', 'buf', 'color'], 'destroyed newest first');
      deepEqual(
        objects.map((o) => log.count(o)),
        [1, 1, 1],
        'each destroyed once',
      );
      equal(log.calls.length, 4, 'four backend destroys');
      deepEqual(manager.dispose(), [], 'a second dispose reports nothing');
      equal(manager.stats().totalCount, 0, 'nothing live');
      throws(() => manager.createBuffer({ size: 4, usage: BufferUsage.VERTEX }), DisposedError);
    },
  },
];
