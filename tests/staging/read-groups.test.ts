import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupReads } from '../../src/staging/planning/read-groups.ts';

describe('groupReads', () => {
  it('lays ranges back to back and starts a group where the next would pass the cap', () => {
    expect(groupReads([64, 64, 64], 128)).toEqual([
      { start: 0, end: 2, offsets: [0, 64], bytes: 128 },
      { start: 2, end: 3, offsets: [0], bytes: 64 },
    ]);
    expect(groupReads([], 128)).toEqual([]);
    expect(groupReads([0, 0, 4], 4)).toEqual([{ start: 0, end: 3, offsets: [0, 0, 0], bytes: 4 }]);
  });

  it('gives a range larger than the cap a group of its own', () => {
    expect(groupReads([8, 256, 8], 64)).toEqual([
      { start: 0, end: 1, offsets: [0], bytes: 8 },
      { start: 1, end: 2, offsets: [0], bytes: 256 },
      { start: 2, end: 3, offsets: [0], bytes: 8 },
    ]);
  });

  it('covers every range once, in order, within the cap unless alone, without overlap', () => {
    const sizes = fc.array(
      fc.integer({ min: 0, max: 64 }).map((words) => words * 4),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(sizes, fc.integer({ min: 4, max: 512 }), (list, maxBytes) => {
        const groups = groupReads(list, maxBytes);
        let next = 0;
        for (const group of groups) {
          expect(group.start).toBe(next);
          next = group.end;
          const members = list.slice(group.start, group.end);
          expect(group.bytes).toBe(members.reduce((a, b) => a + b, 0));
          if (members.length > 1) expect(group.bytes).toBeLessThanOrEqual(maxBytes);
          let end = 0;
          members.forEach((size, i) => {
            expect(group.offsets[i]).toBe(end);
            end += size;
          });
        }
        expect(next).toBe(list.length);
      }),
    );
  });
});
