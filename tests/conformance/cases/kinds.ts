/** Samplers, views, layouts, bind groups and query sets: sharing, dependencies and bytes on every backend. */
import { BufferUsage, ResourceInUseError, ShaderStage, TextureUsage } from '../../../src/index.ts';
import { equal, ok, throws } from '../assert.ts';
import type { ConformanceCase } from '../context.ts';
import { expectNothingCreated, recordBackendDestroys } from '../probes.ts';

export const kindCases: readonly ConformanceCase[] = [
  {
    name: 'kinds: equal sampler descriptors share one sampler until the last destroy, which frees it once',
    run(ctx) {
      const manager = ctx.createManager();
      const log = recordBackendDestroys(manager);
      const a = manager.createSampler({ label: 'a', magFilter: 'linear' });
      const b = manager.createSampler({ label: 'b', magFilter: 'linear' });
      equal(b, a, 'same handle');
      ok(manager.createSampler({ magFilter: 'nearest' }) !== a, 'another descriptor, another sampler');
      const object = manager.gpu(a);
      manager.destroy(a);
      equal(log.count(object), 0, 'one owner left');
      manager.destroy(a);
      equal(log.count(object), 1, 'freed exactly once');
      manager.dispose();
    },
  },
  {
    name: 'kinds: a bind group depends on its texture and buffer; destroying them is refused or cascades',
    run(ctx) {
      const manager = ctx.createManager();
      const layout = manager.createBindGroupLayout({
        entries: [
          { binding: 0, visibility: ShaderStage.FRAGMENT, buffer: {} },
          { binding: 1, visibility: ShaderStage.FRAGMENT, texture: {} },
          { binding: 2, visibility: ShaderStage.FRAGMENT, sampler: {} },
        ],
      });
      const ubo = manager.createBuffer({ label: 'ubo', size: 256, usage: BufferUsage.UNIFORM });
      const tex = manager.createTexture({
        label: 'tex',
        size: [4, 4],
        format: 'rgba8unorm',
        usage: TextureUsage.TEXTURE_BINDING,
      });
      const sampler = manager.createSampler();
      const group = manager.createBindGroup({
        label: 'group',
        layout,
        entries: [
          { binding: 0, resource: ubo },
          { binding: 1, resource: tex },
          { binding: 2, resource: sampler },
        ],
      });
      throws(() => manager.destroy(tex), ResourceInUseError);
      throws(() => manager.destroy(ubo), ResourceInUseError);
      expectNothingCreated(manager, () =>
        manager.createBindGroup({ layout, entries: [{ binding: 0, resource: ubo }] }),
      );
      manager.destroy(tex, { cascade: true });
      equal(manager.has(group), false, 'the bind group went first');
      equal(manager.stats().byKind.bindGroup.count, 0, 'no bind group counted');
      manager.dispose();
    },
  },
  {
    name: 'kinds: a query set counts count x 8 bytes',
    run(ctx) {
      const manager = ctx.createManager();
      const set = manager.createQuerySet({ type: 'occlusion', count: 16 });
      equal(manager.stats().byKind.querySet.bytes, 128, 'bytes');
      manager.destroy(set);
      equal(manager.stats().byKind.querySet.bytes, 0, 'freed');
      manager.dispose();
    },
  },
];
