/** Pools over manager resources: reuse instead of recreate, and every pooled GPU object freed once on trim/close. */
import { BufferUsage, type Handle, TextureUsage } from '../../../src/index.ts';
import { ResourcePool } from '../../../src/pool/resource-pool.ts';
import { deepEqual, equal, ok } from '../assert.ts';
import type { ConformanceCase } from '../context.ts';
import { recordBackendDestroys } from '../probes.ts';

export const poolCases: readonly ConformanceCase[] = [
  {
    name: 'pools: a pool of manager buffers reuses warm buffers and frees each one once on trim and close',
    async run(ctx) {
      const manager = ctx.createManager();
      const log = recordBackendDestroys(manager);
      let made = 0;
      const pool = new ResourcePool<Handle<'buffer'>>({
        max: 3,
        label: 'scratch',
        create: () =>
          manager.createBuffer({
            label: `scratch${made++}`,
            size: 1024,
            usage: BufferUsage.COPY_DST | BufferUsage.UNIFORM,
          }),
        destroy: (handle) => manager.destroy(handle),
      });
      const a = await pool.acquire();
      const b = await pool.acquire();
      const c = await pool.acquire();
      deepEqual(
        manager.stats().byKind.buffer,
        { bytes: 3072, count: 3 },
        'three pooled buffers in the ledger',
      );
      pool.release(b);
      const again = await pool.acquire();
      equal(again, b, 'the warm buffer is reused');
      equal(made, 3, 'no fourth buffer');
      pool.release(a);
      pool.release(again);
      equal(pool.trim(1), 1, 'trim keeps one idle buffer');
      equal(log.calls.length, 1, 'the trimmed buffer is destroyed on the GPU');
      pool.close();
      equal(log.calls.length, 2, 'close destroys the idle one');
      ok(manager.has(c), 'a buffer still out stays valid for its holder');
      pool.release(c);
      equal(log.calls.length, 3, 'released after close: destroyed');
      deepEqual(manager.stats().byKind.buffer, { bytes: 0, count: 0 }, 'the ledger is back to zero');
      deepEqual(manager.dispose(), [], 'nothing leaked');
    },
  },
  {
    name: 'pools: a pool of render-target textures survives scope disposal of what it does not own',
    async run(ctx) {
      const manager = ctx.createManager();
      const RA = TextureUsage.RENDER_ATTACHMENT;
      const pool = new ResourcePool<Handle<'texture'>>({
        max: 2,
        create: () =>
          manager.createTexture({ label: 'pooled', size: [16, 16], format: 'rgba8unorm', usage: RA }),
        destroy: (handle) => manager.destroy(handle),
      });
      const color = await pool.acquire();
      {
        const frame = manager.scope();
        frame.createRenderTarget({ label: 'frame-rt', color: [color] });
        frame.dispose();
      }
      ok(manager.has(color), 'the pooled texture outlives the scope that rendered into it');
      pool.release(color);
      pool.close();
      equal(manager.has(color), false, 'closing the pool destroys it');
      deepEqual(manager.dispose(), [], 'nothing leaked');
    },
  },
];
