import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MaxRects } from '../../src/atlas/max-rects.ts';

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

function overlap(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function inside(a: Rect, b: Rect): boolean {
  return a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;
}

/** The free rectangles and the live ones together cover every pixel: no free space is ever lost. */
function expectFreeSpaceCovered(free: MaxRects, live: Rect[], width: number, height: number): void {
  const covered = new Uint8Array(width * height);
  for (const r of [...free.list(), ...live]) {
    for (let py = r.y; py < r.y + r.h; py++) covered.fill(1, py * width + r.x, py * width + r.x + r.w);
  }
  expect(covered.indexOf(0)).toBe(-1);
}

describe('MaxRects', () => {
  it('placements stay inside free space; free rectangles cover all free space, never a live one, never each other', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 96 }),
        fc.integer({ min: 8, max: 96 }),
        fc.array(
          fc.oneof(
            fc.record({ w: fc.integer({ min: 1, max: 40 }), h: fc.integer({ min: 1, max: 40 }) }),
            fc.record({ free: fc.nat() }),
          ),
          { maxLength: 80 },
        ),
        (width, height, ops) => {
          const page = { x: 0, y: 0, w: width, h: height };
          const free = new MaxRects();
          free.reset(0, 0, width, height);
          const live: Rect[] = [];
          for (const o of ops) {
            if ('w' in o) {
              if (!free.find(o.w, o.h)) {
                // Nothing fits: no free rectangle is that large.
                for (const f of free.list()) expect(f.w >= o.w && f.h >= o.h).toBe(false);
                continue;
              }
              const r = { x: free.foundX, y: free.foundY, w: o.w, h: o.h };
              expect(free.holds(r.x, r.y, r.w, r.h)).toBe(true);
              for (const l of live) expect(overlap(r, l)).toBe(false);
              free.place(r.x, r.y, r.w, r.h);
              live.push(r);
            } else if (live.length > 0) {
              const [r] = live.splice(o.free % live.length, 1);
              free.release(r!.x, r!.y, r!.w, r!.h);
              expect(free.holds(r!.x, r!.y, r!.w, r!.h)).toBe(true);
            }
            const list = free.list();
            expect(list.length).toBe(free.size);
            expectFreeSpaceCovered(free, live, width, height);
            for (const [i, f] of list.entries()) {
              expect(f.w > 0 && f.h > 0 && inside(f, page)).toBe(true);
              for (const l of live) expect(overlap(f, l)).toBe(false);
              for (const [j, g] of list.entries()) if (i !== j) expect(inside(f, g)).toBe(false);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('one placement cutting dozens of free rectangles keeps every piece', () => {
    const free = new MaxRects();
    free.reset(0, 0, 64, 64);
    // A comb of 1 x 1 teeth along the bottom: a tall free strip between each pair, one wide strip above.
    const live: Rect[] = [];
    for (let x = 0; x < 64; x += 2) {
      free.place(x, 0, 1, 1);
      live.push({ x, y: 0, w: 1, h: 1 });
    }
    expect(free.size).toBe(33);
    // A bar across all of them cuts every strip in two: 66 pieces from one cut. Left: the 32 strips below
    // it, and the wide strips below and above it (which hold the 32 pieces above it).
    free.place(0, 10, 64, 1);
    live.push({ x: 0, y: 10, w: 64, h: 1 });
    expectFreeSpaceCovered(free, live, 64, 64);
    expect(free.size).toBe(34);
    expect(free.holds(1, 0, 1, 10)).toBe(true);
  });

  it('keeps a hole at its full size both ways, and joins freed neighbours', () => {
    const free = new MaxRects();
    free.reset(0, 0, 100, 100);
    free.place(0, 0, 60, 40);
    // Right of it and above it overlap in the corner: both are kept whole.
    expect(free.holds(60, 0, 40, 100)).toBe(true);
    expect(free.holds(0, 40, 100, 60)).toBe(true);
    free.place(60, 0, 40, 40);
    expect(free.holds(0, 0, 1, 1)).toBe(false);
    free.release(0, 0, 60, 40);
    free.release(60, 0, 40, 40);
    expect(free.holds(0, 0, 100, 40)).toBe(true);
    expect(free.find(100, 100)).toBe(true);
  });
});
