import type { FreeRects } from './free-rects.ts';
import type { Skyline } from './skyline.ts';

/**
 * The indices 0..n-1 ordered tallest first, then (with `widestNext`) widest first, then by index, so the
 * order is deterministic. Sizes are small integers, so this is a stable counting sort (one pass per key,
 * least significant first): O(n + largest size), several times faster than a comparison sort here.
 *
 * @example
 * const order = tallestFirst(widths, heights, widths.length); // indices, tallest first
 */
export function tallestFirst(
  widths: ArrayLike<number>,
  heights: ArrayLike<number>,
  n: number,
  widestNext = true,
): Uint32Array {
  let order: Uint32Array = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (widestNext) order = countingSortDescending(order, widths);
  return countingSortDescending(order, heights);
}

/** Stable counting sort of `order` by `keys[order[i]]`, largest key first. */
function countingSortDescending(order: Uint32Array, keys: ArrayLike<number>): Uint32Array {
  const n = order.length;
  let largest = 0;
  for (let i = 0; i < n; i++) if (keys[order[i]!]! > largest) largest = keys[order[i]!]!;
  // starts[k] = where key k begins in the output, counting from the largest key down.
  const starts = new Uint32Array(largest + 2);
  for (let i = 0; i < n; i++) starts[largest - keys[order[i]!]! + 1]!++;
  for (let k = 1; k <= largest + 1; k++) starts[k] = starts[k]! + starts[k - 1]!;
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const index = order[i]!;
    out[starts[largest - keys[index]!]!++] = index;
  }
  return out;
}

/**
 * Places rectangles in the given order on an empty skyline, writing their positions; the gaps left under
 * them go to `gaps` (cleared first). Returns false as soon as one does not fit (the outputs are then partial
 * and must be ignored).
 *
 * @example
 * const ok = packInOrder(new Skyline(1024, 1024), order, widths, heights, xs, ys);
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

/**
 * Places rectangles (tallest first) in shelves: left to right along a row as high as its first rectangle,
 * then the next row on top. O(n); the skyline and its gaps are then built by placing each rectangle, so the
 * allocator continues online from the packed state. Returns false when the rows overflow the page.
 *
 * @example
 * const ok = packShelves(new Skyline(1024, 1024), order, widths, heights, xs, ys, gaps);
 */
export function packShelves(
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
  let x = 0;
  let rowY = 0;
  let rowH = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const w = widths[i]!;
    const h = heights[i]!;
    if (w > skyline.width) return false;
    if (x + w > skyline.width) {
      rowY += rowH;
      x = 0;
      rowH = 0;
    }
    if (rowH === 0) rowH = h;
    if (rowY + h > skyline.height) return false;
    outX[i] = x;
    outY[i] = rowY;
    skyline.place(x, rowY, w, h, gaps);
    x += w;
  }
  return true;
}
