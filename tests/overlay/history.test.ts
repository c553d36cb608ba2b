import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.ts';
import { HistoryRing } from '../../src/overlay/history.ts';

describe('HistoryRing', () => {
  it('keeps samples oldest first until full', () => {
    const ring = new HistoryRing(3);
    expect(ring.length).toBe(0);
    expect(ring.toArray()).toEqual([]);
    ring.push(0, 10);
    ring.push(1, 20);
    expect(ring.length).toBe(2);
    expect(ring.toArray()).toEqual([
      [0, 10],
      [1, 20],
    ]);
  });

  it('overwrites the oldest sample once full and never grows', () => {
    const ring = new HistoryRing(3);
    for (let t = 0; t < 10; t++) ring.push(t, t * 100);
    expect(ring.length).toBe(3);
    expect(ring.toArray()).toEqual([
      [7, 700],
      [8, 800],
      [9, 900],
    ]);
  });

  it('agrees with a plain array model for every push count around the capacity', () => {
    for (let capacity = 1; capacity <= 5; capacity++) {
      for (let pushes = 0; pushes <= 12; pushes++) {
        const ring = new HistoryRing(capacity);
        const model: [number, number][] = [];
        for (let i = 0; i < pushes; i++) {
          ring.push(i, i * 3 + 1);
          model.push([i, i * 3 + 1]);
        }
        expect(ring.toArray()).toEqual(model.slice(-capacity));
      }
    }
  });

  it('filters by time and takes the max of the window only', () => {
    const ring = new HistoryRing(10);
    ring.push(0, 500); // outside the window below
    ring.push(1000, 40);
    ring.push(2000, 70);
    ring.push(3000, 10);
    expect(ring.toArray(1000)).toEqual([
      [1000, 40],
      [2000, 70],
      [3000, 10],
    ]);
    expect(ring.max(1000)).toBe(70);
    expect(ring.max()).toBe(500);
    expect(ring.max(5000)).toBe(0);
  });

  it('clears, and rejects a capacity that is not a positive integer', () => {
    const ring = new HistoryRing(2);
    ring.push(0, 1);
    ring.clear();
    expect(ring.length).toBe(0);
    expect(ring.toArray()).toEqual([]);
    ring.push(5, 6);
    expect(ring.toArray()).toEqual([[5, 6]]);
    expect(() => new HistoryRing(0)).toThrow(/capacity = 0 is invalid/);
    for (const capacity of [1.5, Number.NaN, -1, '4', 2 ** 20 + 1, 2 ** 53, Number.POSITIVE_INFINITY]) {
      expect(() => new HistoryRing(capacity as number)).toThrow(ValidationError);
    }
    expect(() => new HistoryRing(2 ** 53)).toThrow(
      /capacity = 9007199254740992 is invalid: must be an integer from 1/,
    );
  });
});
