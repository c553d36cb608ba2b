import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Rect, squarify } from '../../demos/dump/treemap-layout.ts';

const area = (r: Rect) => r.width * r.height;

/** True when two rectangles overlap by more than rounding. */
function overlap(a: Rect, b: Rect): boolean {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 1e-6 && h > 1e-6;
}

describe('squarify', () => {
  it('lays the example of Bruls et al. out with areas equal to values, inside the bounds', () => {
    const values = [6, 6, 4, 3, 2, 2, 1];
    const cells = squarify(
      values.map((value, i) => ({ value, data: i })),
      { x: 0, y: 0, width: 6, height: 4 },
    );
    expect(cells.map((c) => c.data)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const cell of cells) expect(area(cell)).toBeCloseTo(cell.value, 9);
    // The paper's first row: the two 6s stacked in a column of width 3 on the left.
    expect(cells[0]).toMatchObject({ x: 0, y: 0, width: 3, height: 2 });
    expect(cells[1]).toMatchObject({ x: 0, y: 2, width: 3, height: 2 });
  });

  it('a single item fills the bounds; zero values get no cell; nothing to lay out gives nothing', () => {
    expect(squarify([{ value: 5, data: 'a' }], { x: 10, y: 20, width: 30, height: 40 })).toEqual([
      { x: 10, y: 20, width: 30, height: 40, value: 5, data: 'a' },
    ]);
    const cells = squarify(
      [
        { value: 0, data: 'zero' },
        { value: 2, data: 'two' },
      ],
      { x: 0, y: 0, width: 4, height: 4 },
    );
    expect(cells.map((c) => c.data)).toEqual(['two']);
    expect(squarify([], { x: 0, y: 0, width: 4, height: 4 })).toEqual([]);
    expect(squarify([{ value: 1, data: 1 }], { x: 0, y: 0, width: 0, height: 4 })).toEqual([]);
  });

  it('refuses values and bounds that are not finite numbers >= 0', () => {
    const bounds = { x: 0, y: 0, width: 1, height: 1 };
    for (const value of [-1, Number.NaN, Number.POSITIVE_INFINITY, '3' as unknown as number]) {
      expect(() => squarify([{ value, data: 0 }], bounds)).toThrow(
        /treemap item 0: value = .* must be a finite/,
      );
    }
    expect(() => squarify([], { ...bounds, width: -1 })).toThrow(/bounds.width = -1/);
    expect(() => squarify([], { ...bounds, x: Number.NaN })).toThrow(/bounds.x = NaN/);
  });

  it('for any values: areas proportional to values, cells inside the bounds, no overlaps, full cover', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.integer({ min: 0, max: 1 << 30 }), fc.double({ min: 0, max: 1e9, noNaN: true })),
          {
            minLength: 1,
            maxLength: 60,
          },
        ),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 2000 }),
        (values, width, height) => {
          const bounds = { x: 5, y: 7, width, height };
          const cells = squarify(
            values.map((value, i) => ({ value, data: i })),
            bounds,
          );
          const total = values.reduce((a, b) => a + b, 0);
          expect(cells.length).toBe(total === 0 ? 0 : values.filter((v) => v > 0).length);
          if (total === 0) return;
          let covered = 0;
          for (const cell of cells) {
            const expected = (cell.value / total) * width * height;
            expect(Math.abs(area(cell) - expected)).toBeLessThanOrEqual(1e-6 * width * height + 1e-9);
            expect(cell.width).toBeGreaterThanOrEqual(0);
            expect(cell.height).toBeGreaterThanOrEqual(0);
            expect(cell.x).toBeGreaterThanOrEqual(bounds.x - 1e-4);
            expect(cell.y).toBeGreaterThanOrEqual(bounds.y - 1e-4);
            expect(cell.x + cell.width).toBeLessThanOrEqual(bounds.x + width + 1e-4);
            expect(cell.y + cell.height).toBeLessThanOrEqual(bounds.y + height + 1e-4);
            covered += area(cell);
          }
          expect(covered).toBeCloseTo(width * height, 3);
          const big = cells.filter((c) => c.width > 1e-3 && c.height > 1e-3).slice(0, 20);
          for (let i = 0; i < big.length; i++)
            for (let j = i + 1; j < big.length; j++) expect(overlap(big[i]!, big[j]!)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps equal values close to square (the point of squarifying)', () => {
    const cells = squarify(
      Array.from({ length: 16 }, (_, i) => ({ value: 1, data: i })),
      { x: 0, y: 0, width: 400, height: 400 },
    );
    for (const cell of cells) {
      const ratio = Math.max(cell.width / cell.height, cell.height / cell.width);
      expect(ratio).toBeLessThan(2);
    }
  });
});
