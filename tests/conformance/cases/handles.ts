/** Handles: generational, manager-bound, bounded by capacity, plain numbers. */
import {
  BufferUsage,
  ForeignHandleError,
  type Handle,
  StaleHandleError,
  TableFullError,
  TextureUsage,
} from '../../../src/index.ts';
import { equal, ok, throws } from '../assert.ts';
import type { ConformanceCase } from '../context.ts';
import { expectNothingCreated } from '../probes.ts';

const SAMPLED = TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST;

export const handleCases: readonly ConformanceCase[] = [
  {
    name: 'handles: a destroyed handle never resolves again, even after its slot is reused',
    run(ctx) {
      const manager = ctx.createManager();
      const first = manager.createBuffer({ label: 'first', size: 16, usage: BufferUsage.UNIFORM });
      manager.destroy(first);
      const second = manager.createBuffer({ label: 'second', size: 32, usage: BufferUsage.UNIFORM });
      ok(second !== first, 'a new resource gets a new handle');
      equal(manager.has(first), false, 'has(stale)');
      equal(manager.get(first), undefined, 'get(stale)');
      throws(() => manager.resolve(first), StaleHandleError);
      throws(() => manager.gpu(first), StaleHandleError);
      throws(() => manager.access(first), StaleHandleError);
      equal(manager.resolve(second).label, 'second', 'the reused slot resolves only through the new handle');
      manager.dispose();
    },
  },
  {
    name: 'handles: a handle of another manager is rejected with ForeignHandleError',
    run(ctx) {
      const a = ctx.createManager();
      const b = ctx.createManager();
      const tex = a.createTexture({ label: 'a-tex', size: [4, 4], format: 'rgba8unorm', usage: SAMPLED });
      equal(b.has(tex), false, 'b.has(a handle)');
      equal(b.get(tex), undefined, 'b.get(a handle)');
      throws(() => b.resolve(tex), ForeignHandleError, /cannot be shared between managers/);
      throws(() => b.destroy(tex), ForeignHandleError);
      ok(a.has(tex), 'the owner still has it');
      a.dispose();
      b.dispose();
    },
  },
  {
    name: 'handles: creating past capacity throws TableFullError and leaves nothing behind',
    run(ctx) {
      const manager = ctx.createManager({ capacity: 2 });
      manager.createBuffer({ label: 'one', size: 4, usage: BufferUsage.VERTEX });
      manager.createTexture({ label: 'two', size: [2, 2], format: 'rgba8unorm', usage: SAMPLED });
      const error = expectNothingCreated(manager, () =>
        manager.createBuffer({ label: 'three', size: 4, usage: BufferUsage.VERTEX }),
      );
      ok(error instanceof TableFullError, `expected TableFullError, got ${String(error)}`);
      equal(error.capacity, 2, 'capacity');
      const leaks = manager.dispose();
      equal(leaks.length, 2, 'two resources were alive');
    },
  },
  {
    name: 'handles: handles are plain numbers that survive structuredClone and JSON',
    run(ctx) {
      const manager = ctx.createManager();
      const tex = manager.createTexture({
        label: 'cloned',
        size: [4, 4],
        format: 'rgba8unorm',
        usage: SAMPLED,
      });
      equal(typeof tex, 'number', 'typeof handle');
      const cloned = structuredClone(tex) as Handle<'texture'>;
      const parsed = JSON.parse(JSON.stringify({ tex })).tex as Handle<'texture'>;
      equal(manager.resolve(cloned).label, 'cloned', 'structuredClone');
      equal(manager.resolve(parsed).label, 'cloned', 'JSON round trip');
      manager.dispose();
    },
  },
];
