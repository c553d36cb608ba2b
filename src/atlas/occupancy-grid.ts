/**
 * A uniform grid over a page listing which rectangles touch each cell, so "is this destination free?" during
 * a budgeted compaction looks at a few neighbours instead of every region.
 *
 * @example
 * const grid = new OccupancyGrid(256, 256, xs, ys, ws, hs); grid.insert(0); grid.overlaps(0, 0, 8, 8, 1);
 */
export class OccupancyGrid {
  private readonly cell: number;
  private readonly columns: number;
  private readonly cells: number[][];

  constructor(
    width: number,
    height: number,
    private readonly xs: Int32Array,
    private readonly ys: Int32Array,
    private readonly widths: Int32Array,
    private readonly heights: Int32Array,
    cell = 32,
  ) {
    this.cell = cell;
    this.columns = Math.ceil(width / cell);
    const rows = Math.ceil(height / cell);
    this.cells = Array.from({ length: this.columns * rows }, () => []);
  }

  /** Registers rectangle i at its current position. */
  insert(i: number): void {
    this.visit(i, (list) => list.push(i));
  }

  /** Unregisters rectangle i from its current position. */
  remove(i: number): void {
    this.visit(i, (list) => {
      const at = list.indexOf(i);
      if (at >= 0) {
        list[at] = list[list.length - 1]!;
        list.pop();
      }
    });
  }

  /** True when [x, x + w) x [y, y + h) intersects any registered rectangle other than `self`. */
  overlaps(x: number, y: number, w: number, h: number, self: number): boolean {
    const c0 = Math.floor(x / this.cell);
    const c1 = Math.floor((x + w - 1) / this.cell);
    const r0 = Math.floor(y / this.cell);
    const r1 = Math.floor((y + h - 1) / this.cell);
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        for (const j of this.cells[r * this.columns + c]!) {
          if (j === self) continue;
          const jx = this.xs[j]!;
          const jy = this.ys[j]!;
          if (jx < x + w && x < jx + this.widths[j]! && jy < y + h && y < jy + this.heights[j]!) return true;
        }
      }
    }
    return false;
  }

  private visit(i: number, fn: (list: number[]) => void): void {
    const c0 = Math.floor(this.xs[i]! / this.cell);
    const c1 = Math.floor((this.xs[i]! + this.widths[i]! - 1) / this.cell);
    const r0 = Math.floor(this.ys[i]! / this.cell);
    const r1 = Math.floor((this.ys[i]! + this.heights[i]! - 1) / this.cell);
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) fn(this.cells[r * this.columns + c]!);
  }
}
