/** Lifetimes: dependencies, cascade, retain/release, weak handles, scopes, deferred destroy, shared shaders. */
import {
  BufferUsage,
  RefCountError,
  ResourceInUseError,
  StaleHandleError,
  TextureUsage,
} from '../../../src/index.ts';
import { deepEqual, equal, ok, throws } from '../assert.ts';
import type { ConformanceCase } from '../context.ts';
import { recordBackendDestroys } from '../probes.ts';

const RA = TextureUsage.RENDER_ATTACHMENT;

export const lifetimeCases: readonly ConformanceCase[] = [
  {
    name: 'lifetimes: an attachment of a live render target throws ResourceInUseError; cascade goes dependents first',
    run(ctx) {
      const manager = ctx.createManager();
      const log = recordBackendDestroys(manager);
      const color = manager.createTexture({ label: 'color', size: [8, 8], format: 'rgba8unorm', usage: RA });
      const depth = manager.createTexture({ label: 'depth', size: [8, 8], format: 'depth24plus', usage: RA });
      const scene = manager.createRenderTarget({ label: 'scene', color: [color], depthStencil: depth });
      const second = manager.createRenderTarget({ label: 'second', color: [color] });
      const before = manager.usageStats();
      const error = throws(() => manager.destroy(color), ResourceInUseError, /'color' cannot be destroyed/);
      deepEqual([...error.dependents].sort(), ['scene', 'second'], 'dependents named');
      deepEqual(manager.usageStats(), before, 'nothing changed');
      equal(log.calls.length, 0, 'no GPU destroy');
      const order: string[] = [];
      manager.on('destroy', ({ record }) => order.push(record.label));
      manager.destroy(color, { cascade: true });
      deepEqual(order, ['second', 'scene', 'color'], 'dependents first, newest first');
      ok(!manager.has(scene) && !manager.has(second), 'render targets gone');
      ok(manager.has(depth), 'the other attachment stays');
      equal(log.calls.length, 3, 'three GPU destroys');
      manager.dispose();
    },
  },
  {
    name: 'lifetimes: retain/release keep a resource until the last reference; misuse is a RefCountError',
    run(ctx) {
      const manager = ctx.createManager();
      const log = recordBackendDestroys(manager);
      const buf = manager.createBuffer({ label: 'shared', size: 32, usage: BufferUsage.UNIFORM });
      const gpu = manager.gpu(buf);
      manager.retain(buf);
      manager.retain(buf);
      manager.destroy(buf); // the owner lets go; two retains remain
      ok(manager.has(buf), 'alive while retained');
      throws(() => manager.destroy(buf), RefCountError, /release/);
      manager.release(buf);
      ok(manager.has(buf), 'one retain left');
      equal(log.count(gpu), 0, 'not destroyed yet');
      manager.release(buf);
      equal(manager.has(buf), false, 'the last release frees it');
      equal(log.count(gpu), 1, 'destroyed once');
      throws(() => manager.release(buf), StaleHandleError);
      const other = manager.createBuffer({ label: 'other', size: 4, usage: BufferUsage.UNIFORM });
      throws(() => manager.release(other), RefCountError, /retain count is 0/);
      ok(manager.has(other), 'a failed release changes nothing');
      manager.dispose();
    },
  },
  {
    name: 'lifetimes: a weak handle upgrades while the resource lives and never after',
    run(ctx) {
      const manager = ctx.createManager();
      const tex = manager.createTexture({ label: 'weak', size: [4, 4], format: 'rgba8unorm', usage: RA });
      const weak = manager.weak(tex);
      equal(weak.upgrade()?.label, 'weak', 'upgrade while alive');
      equal(weak.alive, true, 'alive');
      manager.destroy(tex);
      manager.createTexture({ label: 'reuser', size: [4, 4], format: 'rgba8unorm', usage: RA });
      equal(weak.upgrade(), undefined, 'never resolves to a later resource in the same slot');
      equal(weak.alive, false, 'not alive');
      manager.dispose();
    },
  },
  {
    name: 'lifetimes: scopes destroy what they created newest first, nested scopes too, skipping hand-destroyed ones',
    run(ctx) {
      const manager = ctx.createManager();
      const order: string[] = [];
      manager.on('destroy', ({ record }) => order.push(record.label));
      const outer = manager.scope();
      const color = outer.createTexture({ label: 'color', size: [4, 4], format: 'rgba8unorm', usage: RA });
      const inner = outer.scope();
      const gone = inner.createBuffer({ label: 'gone', size: 4, usage: BufferUsage.VERTEX });
      inner.createRenderTarget({ label: 'rt', color: [color] });
      const adopted = outer.adopt(
        manager.createBuffer({ label: 'adopted', size: 4, usage: BufferUsage.VERTEX }),
      );
      manager.destroy(gone);
      const kept = manager.createBuffer({ label: 'kept', size: 4, usage: BufferUsage.VERTEX });
      outer.dispose();
      deepEqual(order, ['gone', 'adopted', 'rt', 'color'], 'newest first, the child scope in its place');
      equal(manager.has(adopted), false, 'adopted resource destroyed');
      equal(manager.has(kept), true, 'a resource outside the scope stays');
      outer.dispose(); // twice is harmless
      equal(order.length, 4, 'no second destroy');
      manager.dispose();
    },
  },
  {
    name: 'lifetimes: destroying a resource used by submitted work defers the GPU destroy until the work is done',
    async run(ctx) {
      const manager = ctx.createManager();
      const log = recordBackendDestroys(manager);
      const buf = manager.createBuffer({ label: 'in-flight', size: 512, usage: BufferUsage.VERTEX });
      const gpu = manager.gpu(buf);
      let deferred: boolean | undefined;
      manager.on('destroy', (e) => {
        deferred = e.deferred;
      });
      manager.use(buf);
      manager.submit([]);
      manager.destroy(buf);
      equal(deferred, true, "the 'destroy' event says deferred");
      equal(manager.has(buf), false, 'the handle is stale at once');
      equal(log.count(gpu), 0, 'the GPU object waits for the work');
      const pending = manager.stats();
      equal(pending.pendingFreeBytes, 512, 'its bytes are pending free');
      equal(pending.byKind.buffer.bytes, 0, 'and no longer live');
      await manager.idle();
      equal(log.count(gpu), 1, 'destroyed once the GPU is done');
      equal(manager.stats().pendingFreeBytes, 0, 'nothing pending');
      equal(manager.stats().destroyed, 1, 'counted as destroyed');
      manager.dispose();
    },
  },
  {
    name: 'lifetimes: identical shader sources share one handle; each create needs its own destroy',
    async run(ctx) {
      const manager = ctx.createManager();
      const log = recordBackendDestroys(manager);
      const a = await manager.createShader(ctx.shaders.valid);
      const b = await manager.createShader(ctx.shaders.valid);
      const c = await manager.createShader(ctx.shaders.other);
      equal(a, b, 'same source, same handle');
      ok(a !== c, 'different source, different handle');
      equal(manager.stats().byKind.shader.count, 2, 'two shaders live');
      const gpu = manager.gpu(a);
      manager.destroy(a);
      ok(manager.has(b), 'still owned by the second create');
      manager.destroy(b);
      equal(manager.has(a), false, 'the last destroy frees it');
      equal(log.count(gpu), 1, 'destroyed once');
      manager.destroy(c);
      manager.dispose();
    },
  },
  {
    name: 'lifetimes: findStale/destroyStale use the injected clock and spare resources something depends on',
    run(ctx) {
      let now = 0;
      const manager = ctx.createManager({ now: () => now });
      const old = manager.createBuffer({ label: 'old', size: 8, usage: BufferUsage.VERTEX });
      const color = manager.createTexture({ label: 'color', size: [4, 4], format: 'rgba8unorm', usage: RA });
      const rt = manager.createRenderTarget({ label: 'rt', color: [color] });
      now = 1000;
      const fresh = manager.createBuffer({ label: 'fresh', size: 8, usage: BufferUsage.VERTEX });
      manager.access(rt);
      now = 1500;
      deepEqual([...manager.findStale(1000)].sort(), [old, color].sort(), 'stale: not accessed for 1000 ms');
      equal(manager.destroyStale(1000), 1, 'only the buffer: the texture is still used by the render target');
      ok(!manager.has(old) && manager.has(color) && manager.has(fresh), 'what is left');
      manager.dispose();
    },
  },
];
