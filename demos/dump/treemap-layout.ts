/**
 * Squarified treemap layout (Bruls, Huizing and van Wijk, 2000), as a pure function: values in, rectangles
 * out, nothing drawn. Each rectangle's area is exactly its share of the bounds' area (up to floating point):
 * the viewer's picture is only honest if area means bytes, and the browser test checks that it does.
 *
 * The algorithm lays the values, largest first, in rows along the shorter side of the space left; a value
 * joins the current row while that does not make the row's worst aspect ratio worse, so rectangles stay
 * close to squares and labels fit.
 */

/** An axis-aligned rectangle in canvas units. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** One value to lay out, with what it stands for. */
export interface TreemapItem<T> {
  /** A finite number >= 0; zero (and only zero) gets no rectangle. */
  readonly value: number;
  readonly data: T;
}

/** A laid-out item. */
export interface TreemapCell<T> extends Rect {
  readonly value: number;
  readonly data: T;
}

/**
 * Lays `items` out in `bounds`: one cell per item with a value > 0, largest first, each with an area of
 * `value / sum(values) * bounds area`.
 *
 * @throws RangeError when a value is not a finite number >= 0 or the bounds are not finite and >= 0.
 * @example
 * const cells = squarify([{ value: 6, data: 'a' }, { value: 3, data: 'b' }], { x: 0, y: 0, width: 9, height: 1 });
 * cells[0]; // { x: 0, y: 0, width: 6, height: 1, value: 6, data: 'a' }
 */
export function squarify<T>(items: readonly TreemapItem<T>[], bounds: Rect): TreemapCell<T>[] {
  checkBounds(bounds);
  for (const [i, item] of items.entries()) {
    if (!(Number.isFinite(item.value) && item.value >= 0)) {
      throw new RangeError(`treemap item ${i}: value = ${String(item.value)} must be a finite number >= 0`);
    }
  }
  const sorted = items.filter((item) => item.value > 0).sort((a, b) => b.value - a.value);
  const total = sorted.reduce((sum, item) => sum + item.value, 0);
  const area = bounds.width * bounds.height;
  if (total === 0 || area === 0) return [];
  // Work in areas: each item's share of the total times the canvas area it must cover (share first, so tiny
  // or huge values neither underflow nor overflow).
  const cells: TreemapCell<T>[] = [];
  let space: Rect = bounds;
  let row: Sized<T>[] = [];
  let rowArea = 0;
  for (const item of sorted) {
    const sized = { ...item, area: (item.value / total) * area };
    const side = Math.min(space.width, space.height);
    if (
      row.length === 0 ||
      worstRatio(row, rowArea, side) >= worstRatio([...row, sized], rowArea + sized.area, side)
    ) {
      row.push(sized);
      rowArea += sized.area;
      continue;
    }
    space = placeRow(row, rowArea, space, cells);
    row = [sized];
    rowArea = sized.area;
  }
  if (row.length > 0) placeRow(row, rowArea, space, cells, true);
  return cells;
}

/** An item with the canvas area it must cover. */
interface Sized<T> extends TreemapItem<T> {
  readonly area: number;
}

/** The worst (largest) aspect ratio of a row of items laid along a side of length `side`. */
function worstRatio<T>(row: readonly Sized<T>[], rowArea: number, side: number): number {
  if (side === 0 || rowArea === 0) return Number.POSITIVE_INFINITY;
  const thickness = rowArea / side;
  let worst = 0;
  for (const item of row) {
    const length = item.area / thickness;
    worst = Math.max(worst, length / thickness, thickness / length);
  }
  return worst;
}

/**
 * Places a row along the shorter side of `space` and returns the space left. The last row takes all that is
 * left, so rounding never leaves a sliver of uncovered canvas.
 */
function placeRow<T>(
  row: readonly Sized<T>[],
  rowArea: number,
  space: Rect,
  cells: TreemapCell<T>[],
  last = false,
): Rect {
  const horizontal = space.width >= space.height; // the row is a column on the left when the space is wide
  const side = horizontal ? space.height : space.width;
  // Never thicker than the space left: with extreme value ratios the space's short side is only known to a
  // few digits, and rowArea / side could then reach past the bounds.
  const depth = horizontal ? space.width : space.height;
  const thickness = last ? depth : side > 0 ? Math.min(depth, rowArea / side) : 0;
  let offset = 0;
  for (const [i, item] of row.entries()) {
    const length =
      i === row.length - 1 ? Math.max(0, side - offset) : rowArea > 0 ? (item.area / rowArea) * side : 0;
    cells.push(
      horizontal
        ? {
            x: space.x,
            y: space.y + offset,
            width: thickness,
            height: length,
            value: item.value,
            data: item.data,
          }
        : {
            x: space.x + offset,
            y: space.y,
            width: length,
            height: thickness,
            value: item.value,
            data: item.data,
          },
    );
    offset += length;
  }
  return horizontal
    ? {
        x: space.x + thickness,
        y: space.y,
        width: Math.max(0, space.width - thickness),
        height: space.height,
      }
    : {
        x: space.x,
        y: space.y + thickness,
        width: space.width,
        height: Math.max(0, space.height - thickness),
      };
}

function checkBounds(bounds: Rect): void {
  for (const key of ['x', 'y', 'width', 'height'] as const) {
    const value = bounds[key];
    const ok = Number.isFinite(value) && (key === 'x' || key === 'y' || value >= 0);
    if (!ok) throw new RangeError(`treemap bounds.${key} = ${String(value)} must be a finite number >= 0`);
  }
}
