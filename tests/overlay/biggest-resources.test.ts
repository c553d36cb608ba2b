import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/index.ts';
import { biggestByLabel, MAX_BIGGEST, readBiggestOption } from '../../src/overlay/biggest-resources.ts';

const source = { leaks: () => [] };

describe('biggest resources by label', () => {
  it('groups by kind and label, biggest first, at most n', () => {
    const rows = biggestByLabel(
      [
        { kind: 'buffer', label: 'quad', bytes: 100 },
        { kind: 'texture', label: 'albedo', bytes: 250 },
        { kind: 'buffer', label: 'quad', bytes: 200 },
        { kind: 'texture', label: 'quad', bytes: 10 },
        { kind: 'buffer', label: 'tiny', bytes: 1 },
      ],
      3,
    );
    expect(rows).toEqual([
      { kind: 'buffer', label: 'quad', bytes: 300, count: 2 },
      { kind: 'texture', label: 'albedo', bytes: 250, count: 1 },
      { kind: 'texture', label: 'quad', bytes: 10, count: 1 },
    ]);
  });

  it('equals a full sort of the groups, for any resources', () => {
    const resource = fc.record({
      kind: fc.constantFrom('texture', 'buffer'),
      label: fc.constantFrom('a', 'b', 'c', 'd', ''),
      bytes: fc.integer({ min: 0, max: 1000 }),
    });
    fc.assert(
      fc.property(fc.array(resource, { maxLength: 40 }), fc.integer({ min: 1, max: 12 }), (resources, n) => {
        const groups = new Map<string, { kind: string; label: string; bytes: number; count: number }>();
        for (const r of resources) {
          const g = groups.get(`${r.kind}/${r.label}`) ?? {
            kind: r.kind,
            label: r.label,
            bytes: 0,
            count: 0,
          };
          g.bytes += r.bytes;
          g.count++;
          groups.set(`${r.kind}/${r.label}`, g);
        }
        const expected = [...groups.values()]
          .sort(
            (a, b) =>
              b.bytes - a.bytes ||
              (a.label < b.label ? -1 : a.label > b.label ? 1 : a.kind < b.kind ? -1 : 1),
          )
          .slice(0, n);
        expect(biggestByLabel(resources, n)).toEqual(expected);
      }),
    );
  });

  it('the option: undefined when absent, an integer from 1 to 50, and only on a source that lists resources', () => {
    expect(readBiggestOption(source, undefined)).toBeUndefined();
    expect(readBiggestOption(source, {})).toBeUndefined();
    expect(readBiggestOption(source, { biggest: 5 })).toBe(5);
    expect(readBiggestOption(source, { biggest: MAX_BIGGEST })).toBe(MAX_BIGGEST);
    for (const bad of [0, 51, 2.5, Number.NaN, '5', null, Symbol('n')]) {
      expect(() => readBiggestOption(source, { biggest: bad })).toThrow(ValidationError);
    }
    expect(() => readBiggestOption(source, { biggest: 0 })).toThrow(
      "'stats overlay': biggest = 0 is invalid: must be an integer from 1 to 50 or undefined",
    );
    const statsOnly = { stats: () => ({}), onUsage: () => () => {} };
    expect(() => readBiggestOption(statsOnly, { biggest: 3 })).toThrow(
      /needs a source with a leaks\(\) method/,
    );
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap');
        },
      },
    );
    expect(() => readBiggestOption(hostile, { biggest: 3 })).toThrow(ValidationError);
    const throwing = Object.defineProperty({}, 'biggest', {
      get: () => {
        throw new Error('getter');
      },
    });
    expect(() => readBiggestOption(source, throwing)).toThrow(
      /biggest = undefined is invalid: reading it threw Error: "getter"/,
    );
  });
});
