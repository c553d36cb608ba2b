/**
 * Listeners that call back into the manager, or throw; nested scopes; retained dependents; handle 0. On the
 * null backend: what is checked is the bookkeeping (every GPU object destroyed exactly once, exact ledger).
 */
import { describe, expect, it } from 'vitest';
import {
  DisposedError,
  ResourceInUseError,
  StaleHandleError,
  TextureUsage,
  ValidationError,
} from '../../src/index.ts';
import { ResourceManager } from '../../src/manager/resource-manager.ts';
import { NullBackend } from '../support/null-backend.ts';

const RA = TextureUsage.RENDER_ATTACHMENT;

function setup() {
  const backend = new NullBackend();
  const errors: unknown[] = [];
  const manager = new ResourceManager(backend, { onListenerError: (error) => errors.push(error) });
  const texture = (label: string) =>
    manager.createTexture({ label, size: [4, 4], format: 'rgba8unorm', usage: RA });
  return { backend, manager, errors, texture };
}

function expectEachDestroyedOnce(backend: NullBackend): void {
  expect(backend.created.filter((o) => o.destroyed > 1)).toEqual([]);
}

describe('re-entrant listeners', () => {
  it('a destroy listener that destroys resources during a cascade: each GPU object is freed once, books exact', () => {
    const { backend, manager, texture } = setup();
    const color = texture('color');
    const other = texture('other');
    const rtA = manager.createRenderTarget({ label: 'a', color: [color] });
    const rtB = manager.createRenderTarget({ label: 'b', color: [color] });
    const seen: string[] = [];
    manager.on('destroy', ({ record }) => {
      seen.push(record.label);
      // Destroys what the cascade is about to destroy, and something outside it.
      if (manager.has(rtA)) manager.destroy(rtA);
      if (manager.has(other)) manager.destroy(other);
    });
    manager.destroy(color, { cascade: true });
    // Events of one operation are delivered after it; an operation a listener starts delivers its own events
    // at once (a nested emit runs before the outer one goes on).
    expect(seen).toEqual(['b', 'other', 'a', 'color']);
    expectEachDestroyedOnce(backend);
    expect(manager.has(rtB) || manager.has(rtA) || manager.has(color) || manager.has(other)).toBe(false);
    const stats = manager.stats();
    expect([stats.totalCount, stats.totalBytes, stats.byKind.texture.count]).toEqual([0, 0, 0]);
  });

  it('a listener that creates during dispose is refused; nothing is alive after dispose', () => {
    const { backend, manager, errors, texture } = setup();
    texture('a');
    texture('b');
    manager.on('destroy', () => {
      texture('created-in-listener');
    });
    manager.dispose();
    expect(errors.length).toBe(2);
    expect(errors.every((e) => e instanceof DisposedError)).toBe(true);
    expect(backend.live()).toEqual([]);
    expect(manager.stats().totalCount).toBe(0);
  });

  it('a throwing listener does not stop the others, and its error reaches the sink', () => {
    const { manager, errors, texture } = setup();
    const heard: string[] = [];
    manager.on('create', () => {
      throw new Error('boom');
    });
    manager.on('create', (record) => heard.push(record.label));
    texture('t');
    expect(heard).toEqual(['t']);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/boom/);
    expect(manager.stats().totalCount).toBe(1);
  });

  it('on() refuses unknown events and non-functions with typed errors', () => {
    const { manager } = setup();
    expect(() => manager.on('destory' as 'destroy', () => {})).toThrow(ValidationError);
    expect(() => manager.on('destroy', 42 as never)).toThrow(ValidationError);
  });
});

describe('lifetimes', () => {
  it('a cascade over a retained dependent is refused before anything is destroyed', () => {
    const { backend, manager, texture } = setup();
    const color = texture('color');
    const rt = manager.createRenderTarget({ label: 'shared-rt', color: [color] });
    manager.retain(rt);
    const before = manager.usageStats();
    expect(() => manager.destroy(color, { cascade: true })).toThrow(ResourceInUseError);
    expect(() => manager.destroy(color, { cascade: true })).toThrow(/'shared-rt'.*retained/);
    expect(manager.usageStats()).toEqual(before);
    expect(backend.live()).toHaveLength(2);
    manager.release(rt); // the holder's release still works
    manager.destroy(rt);
    manager.destroy(color);
    expectEachDestroyedOnce(backend);
  });

  it('nested scopes: a child owns only what it created; a parent never frees what another owner holds', async () => {
    const { backend, manager } = setup();
    const outsider = await manager.createShader({ label: 'shared', code: 'shader' });
    const parent = manager.scope();
    const child = parent.scope();
    const inChild = await child.createShader({ label: 'shared', code: 'shader' });
    expect(inChild).toBe(outsider);
    const retained = child.createTexture({ label: 'kept', size: [2, 2], format: 'rgba8unorm', usage: RA });
    manager.retain(retained);
    parent.dispose();
    expect(manager.has(outsider)).toBe(true); // the outsider's create still owns it
    expect(manager.has(retained)).toBe(true); // retained elsewhere: lives until released
    manager.release(retained);
    expect(manager.has(retained)).toBe(false);
    manager.destroy(outsider);
    expect(backend.live()).toEqual([]);
    expectEachDestroyedOnce(backend);
  });

  it('scope.dispose skips a resource its owner destroyed by hand while another holder retains it', () => {
    const { manager } = setup();
    const scope = manager.scope();
    const tex = scope.createTexture({ label: 'hand', size: [2, 2], format: 'rgba8unorm', usage: RA });
    manager.retain(tex);
    manager.destroy(tex); // the owner's reference, by hand
    expect(() => scope.dispose()).not.toThrow();
    expect(manager.has(tex)).toBe(true);
    manager.release(tex);
    expect(manager.has(tex)).toBe(false);
  });

  it('handle 0 and -0 never resolve, and every method that takes a handle throws a typed error', () => {
    const { manager, texture } = setup();
    texture('slot-0'); // occupies slot 0 at generation 1; then free it so slot 0 holds 0
    manager.destroy([...manager.resources()][0]!.handle);
    for (const zero of [0, -0]) {
      expect(manager.has(zero as never)).toBe(false);
      expect(manager.get(zero as never)).toBeUndefined();
      expect(() => manager.destroy(zero as never)).toThrow(StaleHandleError);
      expect(() => manager.retain(zero as never)).toThrow(StaleHandleError);
      expect(() => manager.gpu(zero as never)).toThrow(StaleHandleError);
      expect(() => manager.use(zero as never)).toThrow(StaleHandleError);
    }
  });
});

describe('submissions', () => {
  it('use(rt) covers its attachments: a cascade after use defers every GPU free until the work completes', async () => {
    const { backend, manager, texture } = setup();
    const color = texture('color');
    const rt = manager.createRenderTarget({ label: 'rt', color: [color] });
    const colorObject = manager.gpu(color);
    manager.use(rt);
    manager.submit([{ commands: true }]);
    manager.destroy(color, { cascade: true });
    expect(colorObject.destroyed).toBe(0);
    expect(manager.stats().pendingFreeBytes).toBe(64);
    backend.completeWork();
    await Promise.resolve();
    expect(colorObject.destroyed).toBe(1);
    expect(manager.stats().pendingFreeBytes).toBe(0);
  });

  it('two encoders in flight: a use tied to encoder B waits for B, not for the first submit', async () => {
    const { backend, manager } = setup();
    const buffer = manager.createBuffer({ label: 'b-only', size: 64, usage: 0x20 });
    const object = manager.gpu(buffer);
    const encoderA = { encoder: true as const };
    const encoderB = { encoder: true as const };
    manager.useIn(encoderB, buffer);
    manager.submit([{ commands: true }], { encoders: [encoderA] });
    manager.destroy(buffer);
    backend.completeWork();
    await Promise.resolve();
    expect(object.destroyed).toBe(0); // B is not even submitted yet
    manager.submit([{ commands: true }], { encoders: [encoderB] });
    await Promise.resolve();
    expect(object.destroyed).toBe(0); // submitted, not complete
    backend.completeWork();
    await Promise.resolve();
    expect(object.destroyed).toBe(1);
    expect(manager.stats().pendingFreeBytes).toBe(0);
  });

  it('submit refuses a non-array, and a bad encoder list, before closing the epoch', () => {
    const { backend, manager } = setup();
    expect(() => manager.submit({} as never)).toThrow(ValidationError);
    expect(() => manager.submit([], { encoders: [42 as never] })).toThrow(ValidationError);
    expect(backend.submitted).toEqual([]);
  });
});
