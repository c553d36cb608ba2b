import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  disjoint,
  MEASURED_SCATTER_COST,
  planScatter,
  scatterPays,
} from '../../src/staging/planning/scatter-plan.ts';

const limits = {
  maxBindingBytes: 1 << 27,
  offsetAlignment: 256,
  maxElementBytes: 4096,
  cost: MEASURED_SCATTER_COST,
};

describe('scatter planning', () => {
  it('disjoint agrees with a pairwise check, in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(64), words: fc.integer({ min: 1, max: 8 }) }), { maxLength: 40 }),
        (writes) => {
          const offsets = writes.map((w) => w.at * 4);
          const sizes = writes.map((w) => w.words * 4);
          let expected = true;
          for (let i = 0; i < writes.length; i++) {
            for (let j = i + 1; j < writes.length; j++) {
              if (offsets[i]! < offsets[j]! + sizes[j]! && offsets[j]! < offsets[i]! + sizes[i]!)
                expected = false;
            }
          }
          expect(disjoint(offsets, sizes)).toBe(expected);
        },
      ),
    );
  });

  it('scatters many small disjoint writes, keeps large ones as copies, and binds an aligned window', () => {
    const offsets = [...Array.from({ length: 1000 }, (_, i) => 1000 + i * 512), 600_000];
    const sizes = [...Array.from({ length: 1000 }, () => 256), 65_536];
    const plan = planScatter(offsets, sizes, limits)!;
    expect(plan.indices).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(plan.windowOffset).toBe(768);
    expect(plan.windowBytes).toBe(1000 + 999 * 512 + 256 - 768);
    expect(plan.bytes).toBe(1000 * 256);
  });

  it('uses copies for few writes, overlapping writes, or a window larger than one binding', () => {
    expect(planScatter([0, 512], [256, 256], limits)).toBeUndefined();
    const many = Array.from({ length: 2000 }, (_, i) => i * 512);
    const sizes = many.map(() => 256);
    expect(planScatter(many, sizes, limits)).toBeDefined();
    expect(planScatter([...many, 128], [...sizes, 256], limits)).toBeUndefined();
    expect(planScatter(many, sizes, { ...limits, maxBindingBytes: 1024 })).toBeUndefined();
  });

  it('the cost model prefers copies for a handful of writes and the scatter for thousands', () => {
    expect(scatterPays(4, 1024, MEASURED_SCATTER_COST)).toBe(false);
    expect(scatterPays(10_000, 10_000 * 256, MEASURED_SCATTER_COST)).toBe(true);
  });
});

describe('disjoint over bunched starts (the sort fallback)', () => {
  it('agrees with a pairwise check when many writes start in a narrow span', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(6), words: fc.integer({ min: 0, max: 3 }) }), {
          minLength: 20,
          maxLength: 60,
        }),
        (writes) => {
          const offsets = writes.map((w) => w.at * 4);
          const sizes = writes.map((w) => w.words * 4);
          let expected = true;
          for (let i = 0; i < writes.length; i++) {
            for (let j = i + 1; j < writes.length; j++) {
              const overlap = offsets[i]! < offsets[j]! + sizes[j]! && offsets[j]! < offsets[i]! + sizes[i]!;
              if (overlap && sizes[i]! > 0 && sizes[j]! > 0) expected = false;
            }
          }
          expect(disjoint(offsets, sizes)).toBe(expected);
        },
      ),
    );
  });
});
