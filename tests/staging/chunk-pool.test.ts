import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkPool, type PoolChunk } from '../../src/staging/pooling/chunk-pool.ts';

interface TestChunk extends PoolChunk {
  readonly id: number;
  broken: boolean;
}

/** A pool of plain objects with a settable clock and a ledger that records what the host is told. */
function setup(maxBytes = 64, classes = { minBytes: 4, maxBytes: 16 }) {
  const clock = { now: 0 };
  const ledger = { bytes: 0, allocations: 0, frees: 0 };
  const destroyed: number[] = [];
  let ids = 0;
  const pool = new ChunkPool<TestChunk>({
    classes,
    maxBytes,
    now: () => clock.now,
    host: {
      allocated: (bytes) => {
        ledger.bytes += bytes;
        ledger.allocations++;
      },
      freed: (bytes) => {
        ledger.bytes -= bytes;
        ledger.frees++;
      },
    },
    create: (size) => ({ id: ids++, size, idleSince: 0, alive: true, broken: false }),
    destroy: (chunk) => destroyed.push(chunk.id),
    reusable: (chunk) => !chunk.broken,
  });
  return { pool, clock, ledger, destroyed };
}

describe('ChunkPool (backend-neutral staging chunks)', () => {
  it('serves requests with their size class and counts every chunk in the ledger', () => {
    const { pool, ledger } = setup();
    expect(pool.classOf(3)).toBe(4);
    expect(pool.classOf(5)).toBe(8);
    expect(pool.classOf(17)).toBe(32); // above the largest doubling class: steps of 16
    const chunk = pool.tryAcquire(5)!;
    expect(chunk.size).toBe(8);
    expect(ledger.bytes).toBe(8);
    expect(pool.stats(3)).toEqual({
      bytes: 8,
      idleBytes: 0,
      chunks: 1,
      idleChunks: 0,
      created: 1,
      destroyed: 0,
      reused: 0,
      waiting: 3,
      maxBytes: 64,
    });
  });

  it('reuses the warmest idle chunk of the class and stamps the release time', () => {
    const { pool, clock } = setup();
    const a = pool.tryAcquire(8)!;
    const b = pool.tryAcquire(8)!;
    clock.now = 10;
    pool.release(a);
    clock.now = 20;
    pool.release(b);
    expect(b.idleSince).toBe(20);
    expect(pool.tryAcquire(7)).toBe(b);
    expect(pool.tryAcquire(7)).toBe(a);
    expect(pool.stats(0)).toMatchObject({ created: 2, reused: 2, idleChunks: 0 });
  });

  it('at the cap destroys idle chunks of other classes, coldest first, and else returns undefined', () => {
    const { pool, destroyed, ledger } = setup(32);
    const [a, b] = [pool.tryAcquire(4)!, pool.tryAcquire(4)!];
    const mid = pool.tryAcquire(8)!;
    pool.tryAcquire(16);
    expect(pool.tryAcquire(4)).toBeUndefined(); // 32 bytes in use: nothing to make room with
    pool.release(b);
    pool.release(mid);
    pool.release(a);
    const big = pool.tryAcquire(16)!; // 16 in use + 16 idle: all three idle chunks must go
    expect(big.size).toBe(16);
    expect(destroyed).toEqual([b.id, mid.id, a.id]);
    expect([a.alive, b.alive, mid.alive]).toEqual([false, false, false]);
    expect(ledger.bytes).toBe(32);
    expect(pool.stats(0)).toMatchObject({ bytes: 32, idleBytes: 0, chunks: 2, created: 5, destroyed: 3 });
  });

  it('destroys a released chunk that is not reusable instead of keeping it idle', () => {
    const { pool, destroyed, ledger } = setup();
    const chunk = pool.tryAcquire(4)!;
    chunk.broken = true;
    pool.release(chunk);
    expect(destroyed).toEqual([chunk.id]);
    expect(ledger.bytes).toBe(0);
    expect(pool.stats(0)).toMatchObject({ chunks: 0, idleChunks: 0, destroyed: 1 });
    pool.release(chunk); // already destroyed: ignored
    expect(destroyed).toHaveLength(1);
  });

  it('trims idle chunks idle for idleMs, keeping the newest that fit in keepBytes', () => {
    const { pool, clock, destroyed } = setup();
    const chunks = [4, 8, 4, 16].map((bytes) => pool.tryAcquire(bytes)!);
    chunks.forEach((chunk, i) => {
      clock.now = i * 100;
      pool.release(chunk);
    });
    clock.now = 1000;
    expect(pool.trim({ keepBytes: 0, idleMs: 2000 })).toBe(0); // none old enough (the O(1) exit)
    expect(pool.trim({ keepBytes: 32, idleMs: 0 })).toBe(0); // everything fits in keepBytes
    // keepBytes 20 keeps the newest 16 + 4; of the two older chunks, only those idle for idleMs go.
    expect(pool.trim({ keepBytes: 20, idleMs: 950 })).toBe(4); // released at 0; the one at 100 is too recent
    expect(pool.trim({ keepBytes: 20, idleMs: 850 })).toBe(8);
    expect(destroyed).toEqual([chunks[0]!.id, chunks[1]!.id]);
    expect(pool.stats(0)).toMatchObject({ idleBytes: 20, idleChunks: 2, bytes: 20 });
    expect(pool.tryAcquire(4)).toBe(chunks[2]); // the idle lists stayed consistent
  });

  it('dispose destroys every chunk, idle or in use, counts them all, and refuses new ones', () => {
    const { pool, destroyed, ledger } = setup();
    const busy = pool.tryAcquire(8)!;
    pool.release(pool.tryAcquire(4)!);
    pool.dispose();
    pool.dispose();
    expect(destroyed).toHaveLength(2);
    expect(busy.alive).toBe(false);
    expect(ledger).toEqual({ bytes: 0, allocations: 2, frees: 2 });
    expect(pool.stats(0)).toMatchObject({ bytes: 0, idleBytes: 0, chunks: 0, created: 2, destroyed: 2 });
    expect(pool.tryAcquire(4)).toBeUndefined();
    pool.release(busy); // a late release of a chunk destroyed by dispose
    expect(destroyed).toHaveLength(2);
  });

  it('keeps its counters consistent with the ledger and under the cap through any sequence', () => {
    type Step =
      | { op: 'acquire'; bytes: number }
      | { op: 'release'; pick: number; broken: boolean }
      | { op: 'trim'; keepBytes: number; idleMs: number }
      | { op: 'tick'; ms: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ op: fc.constant('acquire' as const), bytes: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ op: fc.constant('release' as const), pick: fc.nat(), broken: fc.boolean() }),
      fc.record({
        op: fc.constant('trim' as const),
        keepBytes: fc.integer({ min: 0, max: 64 }),
        idleMs: fc.integer({ min: 0, max: 50 }),
      }),
      fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 20 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120 }), (steps) => {
        const { pool, clock, ledger } = setup(64);
        const out: TestChunk[] = [];
        for (const s of steps) {
          if (s.op === 'acquire') {
            const chunk = pool.tryAcquire(s.bytes);
            if (chunk !== undefined) {
              expect(chunk.alive).toBe(true);
              expect(chunk.size).toBe(pool.classOf(s.bytes));
              expect(out).not.toContain(chunk);
              out.push(chunk);
            }
          } else if (s.op === 'release' && out.length > 0) {
            const [chunk] = out.splice(s.pick % out.length, 1);
            chunk!.broken = s.broken;
            pool.release(chunk!);
          } else if (s.op === 'trim') {
            pool.trim(s);
          } else if (s.op === 'tick') {
            clock.now += s.ms;
          }
          const stats = pool.stats(0);
          expect(stats.bytes).toBe(ledger.bytes);
          expect(stats.bytes).toBeLessThanOrEqual(64);
          expect(stats.chunks).toBe(stats.created - stats.destroyed);
          expect(stats.chunks - stats.idleChunks).toBe(out.length);
          expect(stats.bytes - stats.idleBytes).toBe(out.reduce((sum, c) => sum + c.size, 0));
        }
      }),
    );
  });
});
