/**
 * The hostile-input table (tests/support/hostile-methods-table.ts) on the null backend: every public method
 * of ResourceManager x hostile values gives a typed error naming the problem and changes nothing. Fast, so it
 * runs every row; the Dawn suite runs the rows that reach the GPU.
 */
import { describe, expect, it } from 'vitest';
import { DisposedError, GpuHandlesError } from '../../src/index.ts';
import { ResourceManager } from '../../src/manager/resource-manager.ts';
import {
  createHostileResources,
  type ForeignHandles,
  HOSTILE_ROWS,
  type HostileContext,
  runHostileTable,
} from '../support/hostile-methods-table.ts';
import { NullBackend } from '../support/null-backend.ts';

function nullManager() {
  const backend = new NullBackend();
  const manager = new ResourceManager(backend, { now: () => 1000 }) as unknown as HostileContext['manager'];
  return { backend, manager };
}

/** A foreign handle (a live one of a second manager), a stale one, and one of a disposed manager. */
function foreignHandles(manager: HostileContext['manager']): ForeignHandles {
  const other = nullManager().manager;
  const foreign = other.createBuffer({ label: 'foreign', size: 16, usage: 0x08 });
  const stale = manager.createBuffer({ label: 'stale', size: 16, usage: 0x08 });
  manager.destroy(stale);
  const gone = nullManager().manager;
  const disposedManager = gone.createBuffer({ label: 'of-a-disposed-manager', size: 16, usage: 0x08 });
  gone.dispose();
  return { foreign, stale, disposedManager };
}

describe('hostile input to every public method (null backend)', () => {
  it('every row x every hostile value: a typed error naming the problem, nothing changed', async () => {
    const { backend, manager } = nullManager();
    const resources = createHostileResources(manager);
    const handles = foreignHandles(manager);
    const ctx: HostileContext = {
      manager,
      ...resources,
      encoder: () => ({ encoder: true }),
      commandBuffer: () => ({ commands: true }),
      extraState: () => backend.live().map((o) => o.id),
    };
    // These rows test the backend's own checks of GPU objects (encoders, command buffers) or its staging,
    // which the null backend does not model: the Dawn suite runs them.
    const backendRows = new Set([
      'flush(encoder)',
      'useIn(encoder, handle)',
      'submit([value])',
      'trimStaging(policy)',
    ]);
    const rows = HOSTILE_ROWS.filter((row) => !backendRows.has(row.name));
    const findings = await runHostileTable(ctx, handles, rows);
    expect(findings).toEqual([]);
    manager.dispose();
    expect(backend.live()).toEqual([]);
  });

  it('every method of a disposed manager: a DisposedError or a harmless answer, never an untyped error', async () => {
    const { manager } = nullManager();
    const { texture, buffer, renderTarget } = createHostileResources(manager);
    manager.dispose();
    const calls: [string, () => unknown][] = [
      [
        'createTexture',
        () => manager.createTexture({ label: 'x', size: [1, 1], format: 'rgba8unorm', usage: 1 }),
      ],
      ['createBuffer', () => manager.createBuffer({ label: 'x', size: 4, usage: 8 })],
      ['createShader', () => manager.createShader({ label: 'x', code: '' })],
      ['createRenderTarget', () => manager.createRenderTarget({ label: 'x', color: [texture] })],
      ['createSampler', () => manager.createSampler()],
      ['createView', () => manager.createView(texture)],
      ['renderPass', () => manager.renderPass(renderTarget)],
      ['resolve', () => manager.resolve(buffer)],
      ['gpu', () => manager.gpu(buffer)],
      ['access', () => manager.access(buffer)],
      ['destroy', () => manager.destroy(buffer)],
      ['retain', () => manager.retain(buffer)],
      ['release', () => manager.release(buffer)],
      ['weak', () => manager.weak(buffer)],
      ['use', () => manager.use(buffer)],
      ['useIn', () => manager.useIn({ encoder: true } as never, buffer)],
      ['submit', () => manager.submit([])],
      ['scope', () => manager.scope()],
      ['frame', () => manager.frame()],
      ['evict', () => manager.evict(buffer)],
      ['ensureResident', () => manager.ensureResident([buffer])],
      ['upload', () => manager.upload(buffer, 0, new Uint8Array(4))],
      ['uploadTexture', () => manager.uploadTexture(texture, new Uint8Array(64), {}, [4, 4])],
      ['flush', () => manager.flush()],
      ['read', () => manager.read(buffer)],
      ['readTexture', () => manager.readTexture(texture)],
      ['trimStaging', () => manager.trimStaging()],
      ['stagingStats', () => manager.stagingStats()],
      ['attach', () => manager.attach(new NullBackend() as never)],
    ];
    const problems: string[] = [];
    for (const [name, call] of calls) {
      let error: unknown;
      try {
        const value = call();
        if (value instanceof Promise) await value;
      } catch (e) {
        error = e;
      }
      if (!(error instanceof GpuHandlesError)) problems.push(`${name}: ${String(error)}`);
      else if (!(error instanceof DisposedError) && !/stale|destroyed|disposed/i.test(error.message)) {
        problems.push(`${name}: ${error.name}: ${error.message}`);
      }
    }
    expect(problems).toEqual([]);
    // Read-only figures keep answering.
    expect(manager.has(buffer)).toBe(false);
    expect(manager.get(buffer)).toBeUndefined();
    expect(manager.stats().totalCount).toBe(0);
    expect(manager.leaks()).toEqual([]);
    expect(manager.dispose()).toEqual([]);
  });
});
