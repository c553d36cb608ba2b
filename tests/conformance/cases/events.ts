/** Events: create/destroy carry the record in order; usage snapshots are coalesced per synchronous burst. */
import { BufferUsage, type LedgerSnapshot, TextureUsage } from '../../../src/index.ts';
import { deepEqual, equal } from '../assert.ts';
import type { ConformanceCase } from '../context.ts';
import { settle } from '../probes.ts';

export const eventCases: readonly ConformanceCase[] = [
  {
    name: 'events: create and destroy events carry the record, in order; unsubscribing stops them',
    run(ctx) {
      const manager = ctx.createManager();
      const seen: string[] = [];
      const offCreate = manager.on('create', (record) => seen.push(`create ${record.kind} ${record.label}`));
      const offDestroy = manager.on('destroy', ({ record, deferred }) =>
        seen.push(`destroy ${record.kind} ${record.label}${deferred ? ' (deferred)' : ''}`),
      );
      const tex = manager.createTexture({
        label: 'tex',
        size: [4, 4],
        format: 'rgba8unorm',
        usage: TextureUsage.RENDER_ATTACHMENT,
      });
      const rt = manager.createRenderTarget({ label: 'rt', color: [tex] });
      const buf = manager.createBuffer({ label: 'buf', size: 4, usage: BufferUsage.VERTEX });
      manager.destroy(tex, { cascade: true });
      offCreate();
      offDestroy();
      manager.destroy(buf);
      manager.createBuffer({ label: 'unseen', size: 4, usage: BufferUsage.VERTEX });
      deepEqual(
        seen,
        [
          'create texture tex',
          'create renderTarget rt',
          'create buffer buf',
          'destroy renderTarget rt',
          'destroy texture tex',
        ],
        'events',
      );
      equal(manager.has(rt), false, 'cascade took the render target');
      manager.dispose();
    },
  },
  {
    name: 'events: usage snapshots are coalesced, one per synchronous burst of changes',
    async run(ctx) {
      const manager = ctx.createManager();
      const snapshots: LedgerSnapshot[] = [];
      const off = manager.onUsage((usage) => snapshots.push(usage));
      const handles = Array.from({ length: 10 }, (_, i) =>
        manager.createBuffer({ label: `b${i}`, size: 100, usage: BufferUsage.UNIFORM }),
      );
      equal(snapshots.length, 0, 'nothing is delivered synchronously');
      await settle();
      equal(snapshots.length, 1, 'ten creates, one snapshot');
      deepEqual(snapshots[0]?.byKind.buffer, { bytes: 1000, count: 10 }, 'the snapshot after the burst');
      for (const h of handles.slice(0, 4)) manager.destroy(h);
      await settle();
      equal(snapshots.length, 2, 'four destroys, one more snapshot');
      equal(snapshots[1]?.byKind.buffer.bytes, 600, 'bytes after the destroys');
      off();
      manager.createBuffer({ label: 'after', size: 1, usage: BufferUsage.UNIFORM });
      await settle();
      equal(snapshots.length, 2, 'no snapshot after unsubscribing');
      manager.dispose();
    },
  },
];
