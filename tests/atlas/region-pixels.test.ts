import { describe, expect, it } from 'vitest';
import { alignUp, padRegion } from '../../src/atlas/region-pixels.ts';

/** 1-byte texels make the layout readable: a 2 x 2 content [1 2 / 3 4]. */
const content = new Uint8Array([1, 2, 3, 4]);

describe('padRegion', () => {
  it('places the content at (gutter, gutter) and clears the gutter', () => {
    expect([...padRegion(content, 2, 2, 1, 1, 4, 4, false)]).toEqual([
      0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0,
    ]);
  });

  it('extrudes edge texels into the gutter, corners and alignment slack included', () => {
    // gutter 1, allocation 5 x 4 (one column of alignment slack on the right).
    expect([...padRegion(content, 2, 2, 1, 1, 5, 4, true)]).toEqual([
      1, 1, 2, 2, 2, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4, 3, 3, 4, 4, 4,
    ]);
  });

  it('handles multi-byte texels and an empty region', () => {
    const rgba = new Uint8Array([10, 20, 30, 40]);
    expect([...padRegion(rgba, 1, 1, 4, 1, 3, 3, true)]).toEqual(
      Array.from({ length: 9 }, () => [10, 20, 30, 40]).flat(),
    );
    expect([...padRegion(undefined, 1, 1, 4, 1, 3, 3, true)]).toEqual(new Array(36).fill(0));
  });

  it('alignUp rounds to the unit', () => {
    expect([alignUp(1, 4), alignUp(4, 4), alignUp(5, 4), alignUp(7, 1)]).toEqual([4, 4, 8, 7]);
  });
});
