/**
 * The hostile-input table (tests/support/hostile-methods-table.ts) on Dawn: every row, including those that
 * reach the GPU API (encoders, command buffers, staging, creates). Dawn's Node binding aborts the process on
 * some unchecked values (ENVIRONMENT.md), so finishing at all is part of the test; then every call gave a
 * typed error naming the problem and changed nothing, and no uncaptured GPU error was raised (the fixture).
 */
import { describe, expect, it } from 'vitest';
import { createResourceManager } from '../../src/index.ts';
import {
  createHostileResources,
  type ForeignHandles,
  type HostileContext,
  runHostileTable,
} from '../support/hostile-methods-table.ts';
import { useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();

function dawnManager(): HostileContext['manager'] {
  return createResourceManager({
    device: gpu.device,
    now: () => 1000,
  }) as unknown as HostileContext['manager'];
}

describe('hostile input to every public method (Dawn)', () => {
  it('every row x every hostile value: a typed error naming the problem, nothing changed, no abort', async () => {
    const manager = dawnManager();
    const resources = createHostileResources(manager);
    const other = dawnManager();
    const stale = manager.createBuffer({ label: 'stale', size: 16, usage: 0x08 });
    manager.destroy(stale);
    const gone = dawnManager();
    const handles: ForeignHandles = {
      foreign: other.createBuffer({ label: 'foreign', size: 16, usage: 0x08 }),
      stale,
      disposedManager: gone.createBuffer({ label: 'of-a-disposed-manager', size: 16, usage: 0x08 }),
    };
    gone.dispose();
    const ctx: HostileContext = {
      manager,
      ...resources,
      encoder: () => gpu.device.createCommandEncoder(),
      commandBuffer: () => gpu.device.createCommandEncoder().finish(),
    };
    const findings = await runHostileTable(ctx, handles);
    expect(findings).toEqual([]);
    // The manager still works after all that.
    manager.upload(resources.buffer, 0, new Uint8Array([1, 2, 3, 4]));
    expect([...(await manager.read(resources.buffer, 0, 4))]).toEqual([1, 2, 3, 4]);
    manager.dispose();
    other.dispose();
  });
});
