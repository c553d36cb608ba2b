/** A dump as `manager.toJSON()` writes it, for the dump viewer's unit tests. */

/** A dump the tests may edit anywhere, wrong types included (what a hostile file holds). */
// biome-ignore lint/suspicious/noExplicitAny: the tests write arbitrary values into arbitrary fields
export type LooseDump = Record<string, any>;

/** A `gpu-handles/dump@1` (two resources, the second depending on the first). */
export function sampleDump(): Record<string, unknown> {
  return {
    schema: 'gpu-handles/dump@1',
    backend: 'webgpu',
    time: 90_000,
    total: {
      bytes: 5120,
      count: 2,
      peakBytes: 8192,
      pendingFreeBytes: 0,
      pendingFreeCount: 0,
      created: 5,
      destroyed: 3,
    },
    byKind: {
      texture: { bytes: 4096, count: 1 },
      buffer: { bytes: 1024, count: 1 },
      staging: { bytes: 0, count: 0 },
    },
    resources: [
      {
        handle: 16777217,
        kind: 'texture',
        label: 'albedo',
        bytes: 4096,
        state: 'live',
        descriptor: { format: 'rgba8unorm', size: [32, 32, 1] },
        dependencies: [],
        createdAt: 1000,
        lastAccess: 1000,
        accessCount: 0,
        owners: 1,
        retains: 0,
      },
      {
        handle: 16777218,
        kind: 'buffer',
        label: 'vertices',
        bytes: 1024,
        state: 'live',
        descriptor: { size: 1024, usage: 40 },
        dependencies: [16777217],
        createdAt: 2000,
        lastAccess: 85_000,
        accessCount: 12,
        owners: 1,
        retains: 0,
      },
    ],
  };
}
