import type { FreeRects } from './free-rects.ts';
import type { Skyline } from './skyline.ts';

/**
 * The indices 0..n-1 ordered tallest first, then (with `widestNext`) widest first, then by index, so the
 * order is deterministic. Sorting one Float64Array of packed keys is several times faster than sorting
 * indices with a comparator.
 */
export function tallestFirst(
  widths: ArrayLike<number>,
  heights: ArrayLike<number>,
  n: number,
  widestNext = true,
): Uint32Array {
  const keys = new Float64Array(n);
  // key = (height * 2^16 + width) * 2^20 + (2^20 - 1 - index), sizes < 2^16 and n < 2^20: exact in a double.
  for (let i = 0; i < n; i++) {
    keys[i] = (heights[i]! * 65536 + (widestNext ? widths[i]! : 0)) * 1048576 + (1048575 - i);
  }
  keys.sort();
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = 1048575 - (keys[n - 1 - i]! % 1048576);
  return order;
}

/**
 * Places rectangles in the given order on an empty skyline, writing their positions; the gaps left under
 * them go to `gaps` (cleared first). Returns false as soon as one does not fit (the outputs are then partial
 * and must be ignored).
 */
export function packInOrder(
  skyline: Skyline,
  order: ArrayLike<number>,
  widths: ArrayLike<number>,
  heights: ArrayLike<number>,
  outX: Int32Array,
  outY: Int32Array,
  gaps?: FreeRects,
): boolean {
  skyline.reset();
  gaps?.clear();
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const w = widths[i]!;
    const h = heights[i]!;
    if (!skyline.find(w, h)) return false;
    outX[i] = skyline.foundX;
    outY[i] = skyline.foundY;
    skyline.place(skyline.foundX, skyline.foundY, w, h, gaps);
  }
  return true;
}
