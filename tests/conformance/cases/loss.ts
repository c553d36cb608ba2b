/** Device / context loss: every handle goes stale, 'lost' reports what was alive, dead objects are not touched. */
import {
  BufferUsage,
  DeviceLostError,
  type LeakReport,
  StaleHandleError,
  TextureUsage,
} from '../../../src/index.ts';
import { deepEqual, equal, ok, rejects, throws } from '../assert.ts';
import type { ConformanceCase } from '../context.ts';
import { recordBackendDestroys } from '../probes.ts';

const RA = TextureUsage.RENDER_ATTACHMENT;

export const lossCases: readonly ConformanceCase[] = [
  {
    name: 'loss: every handle goes stale, lost lists what was alive, and nothing touches the dead GPU objects',
    async run(ctx) {
      const { manager, lose } = await ctx.createLosableManager();
      const log = recordBackendDestroys(manager);
      const color = manager.createTexture({ label: 'color', size: [8, 8], format: 'rgba8unorm', usage: RA });
      const buf = manager.createBuffer({ label: 'vbo', size: 64, usage: BufferUsage.VERTEX });
      const rt = manager.createRenderTarget({ label: 'rt', color: [color] });
      const shader = await manager.createShader(ctx.shaders.valid);
      manager.use(buf);
      manager.submit([]);
      const destroyed: string[] = [];
      manager.on('destroy', ({ record }) => destroyed.push(record.label));
      const lost = new Promise<{ reason: string; resources: readonly LeakReport[] }>((resolve) =>
        manager.on('lost', resolve),
      );
      lose();
      const event = await lost;
      ok(event.reason.length > 0, 'a reason is given');
      deepEqual(
        event.resources.map((r) => r.label),
        ['color', 'vbo', 'rt', 'valid'],
        'lost reports every resource that was alive',
      );
      deepEqual(destroyed, ['valid', 'rt', 'vbo', 'color'], "each handle got a 'destroy' event");
      for (const handle of [color, buf, rt, shader]) {
        equal(manager.has(handle), false, 'stale after the loss');
        throws(() => manager.destroy(handle), StaleHandleError);
      }
      equal(log.calls.length, 0, 'no backend destroy call on dead objects');
      const stats = manager.stats();
      deepEqual(
        [stats.totalBytes, stats.totalCount, stats.pendingFreeBytes],
        [0, 0, 0],
        'the ledger is empty, nothing pending',
      );
      throws(() => manager.createBuffer({ size: 4, usage: BufferUsage.VERTEX }), DeviceLostError);
      await rejects(manager.createShader(ctx.shaders.other), DeviceLostError);
      await manager.idle(); // settles, never hangs on work that will not complete
      deepEqual(manager.dispose(), [], 'dispose reports nothing alive');
      equal(log.calls.length, 0, 'still no backend destroy call');
    },
  },
];
