/**
 * Device / context loss: every handle stays valid in state 'lost', 'lost' reports what was alive, dead objects
 * are not touched, and lost resources can be destroyed (or restored: tests/gpu/restore.test.ts).
 */
import {
  BufferUsage,
  DeviceLostError,
  type LeakReport,
  ResourceStateError,
  StaleHandleError,
  TextureUsage,
} from '../../../src/index.ts';
import { deepEqual, equal, ok, rejects, throws } from '../assert.ts';
import type { ConformanceCase } from '../context.ts';
import { recordBackendDestroys } from '../probes.ts';

const RA = TextureUsage.RENDER_ATTACHMENT;

export const lossCases: readonly ConformanceCase[] = [
  {
    name: 'loss: every handle stays valid as lost, lost lists what was alive, and nothing touches the dead GPU objects',
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
      deepEqual(destroyed, [], "no handle went stale: no 'destroy' event");
      for (const handle of [color, buf, rt, shader]) {
        equal(manager.has(handle), true, 'the handle still names its resource');
        equal(manager.get(handle)?.state, 'lost', 'in state lost');
        throws(() => manager.gpu(handle), ResourceStateError);
      }
      equal(log.calls.length, 0, 'no backend destroy call on dead objects');
      const stats = manager.stats();
      deepEqual(
        [stats.totalBytes, stats.totalCount, stats.pendingFreeBytes, stats.lost.count],
        [0, 0, 0, 4],
        'nothing resident, nothing pending, four lost',
      );
      equal(stats.lost.byKind.buffer.bytes, 64, 'lost bytes are kept per kind');
      manager.destroy(rt);
      throws(() => manager.destroy(rt), StaleHandleError);
      equal(log.calls.length, 0, 'destroying a lost resource frees nothing on the dead device');
      throws(() => manager.createBuffer({ size: 4, usage: BufferUsage.VERTEX }), DeviceLostError);
      await rejects(manager.createShader(ctx.shaders.other), DeviceLostError);
      await manager.idle(); // settles, never hangs on work that will not complete
      deepEqual(
        manager.dispose().map((r) => r.label),
        ['color', 'vbo', 'valid'],
        'dispose reports what was still there',
      );
      equal(log.calls.length, 0, 'still no backend destroy call');
    },
  },
];
