import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.ts';
import { normalizeStagingOptions } from '../../src/staging/options.ts';
import type { ChunkKind, PoolChunk } from '../../src/staging/pooling/chunk-pool.ts';
import {
  type BeltSizes,
  PooledStaging,
  type StagingBelt,
  type StagingReader,
} from '../../src/staging/pooling/pooled-staging.ts';

const plainChunks: ChunkKind<PoolChunk> = {
  create: (size) => ({ size, idleSince: 0, alive: true }),
  destroy: () => {},
};

/** A staging whose belt and reader only record what happens to them. */
class RecordingStaging extends PooledStaging<PoolChunk, PoolChunk> {
  readonly events: string[] = [];
  protected override readonly belt: StagingBelt = {
    waiting: 2,
    counters: () => ({
      pendingCopies: 3,
      copiesRecorded: 4,
      inFlight: 5,
      scatterPasses: 8,
      scatteredWrites: 9,
      directWrites: 10,
    }),
    dispose: () => this.events.push('belt'),
  };
  protected override readonly reader: StagingReader = {
    waiting: 6,
    pending: 7,
    dispose: (reason) => this.events.push(`reader ${reason}`),
  };

  /** Takes and gives back one chunk of each pool, so both have an idle chunk. */
  warm(): void {
    this.uploads.release(this.uploads.tryAcquire(1)!);
    this.readbacks.release(this.readbacks.tryAcquire(1)!);
  }

  get sizes(): BeltSizes {
    return this.beltSizes;
  }
}

function setup() {
  const clock = { now: 0 };
  const ledger = { bytes: 0 };
  const options = normalizeStagingOptions(
    {
      maxUploadBytes: 1 << 20,
      maxReadbackBytes: 1 << 19,
      uploadChunkBytes: 1 << 16,
      readbackChunkBytes: 4096,
    },
    () => clock.now,
  );
  const host = { allocated: (b: number) => (ledger.bytes += b), freed: (b: number) => (ledger.bytes -= b) };
  const staging = new RecordingStaging(options, host, { upload: plainChunks, readback: plainChunks });
  return { staging, clock, ledger, options };
}

describe('PooledStaging (what both backends’ stagings share)', () => {
  it('sizes both pools from the options and reports them with the belt and reader counters', () => {
    const { staging, ledger, options } = setup();
    staging.warm();
    expect(ledger.bytes).toBe((1 << 16) + 4096);
    expect(staging.sizes).toEqual({
      chunkBytes: 1 << 16,
      maxPieceBytes: options.maxChunkBytes,
      directWriteBytes: 64 * 1024,
    });
    expect(staging.stats()).toEqual({
      upload: {
        bytes: 1 << 16,
        idleBytes: 1 << 16,
        chunks: 1,
        idleChunks: 1,
        created: 1,
        destroyed: 0,
        reused: 0,
        waiting: 2,
        maxBytes: 1 << 20,
        pendingCopies: 3,
        copiesRecorded: 4,
        inFlight: 5,
        scatterPasses: 8,
        scatteredWrites: 9,
        directWrites: 10,
      },
      readback: {
        bytes: 4096,
        idleBytes: 4096,
        chunks: 1,
        idleChunks: 1,
        created: 1,
        destroyed: 0,
        reused: 0,
        waiting: 6,
        maxBytes: 1 << 19,
        inFlight: 7,
      },
    });
  });

  it('trims both pools under the options’ policy unless told otherwise, and validates the policy', () => {
    const { staging, clock, ledger } = setup();
    staging.warm();
    clock.now = 10_000;
    expect(staging.trim()).toBe(0); // both chunks fit in the default keepBytes (4 MiB)
    expect(staging.trim({ keepBytes: 0 })).toBe((1 << 16) + 4096);
    expect(ledger.bytes).toBe(0);
    expect(() => staging.trim({ idleMs: -1 })).toThrow(ValidationError);
  });

  it('dispose rejects reads first, then drops the belt, then frees every chunk; once', () => {
    const { staging, ledger } = setup();
    staging.warm();
    staging.dispose('device-lost');
    staging.dispose('disposed');
    expect(staging.events).toEqual(['reader device-lost', 'belt']);
    expect(ledger.bytes).toBe(0);
    expect(staging.trim({ idleMs: -1 })).toBe(0); // disposed: nothing to trim, the policy is not even read
  });
});
