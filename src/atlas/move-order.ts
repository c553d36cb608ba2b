/**
 * The order in which a repack's moves can be applied one at a time. A full compaction's moves are
 * simultaneous (every source is read before any destination is written); a budgeted one promises each move's
 * destination is free when its turn comes. Among the moving regions, a move must wait for every region whose
 * current place its destination overlaps (regions that stay cannot be in the way: final places never
 * overlap). That is a topological order, which a cycle of regions taking each other's places does not have.
 */

/** Where each region is now and where the repack puts it (index i: region i), and its size. */
export interface RepackPlaces {
  readonly fromX: ArrayLike<number>;
  readonly fromY: ArrayLike<number>;
  readonly toX: ArrayLike<number>;
  readonly toY: ArrayLike<number>;
  readonly widths: ArrayLike<number>;
  readonly heights: ArrayLike<number>;
}

/** Beyond this many moving regions the quadratic check is not made (the caller moves fewer, safely). */
export const MAX_ORDERED_MOVES = 512;

/**
 * The indices of the moving regions in an order where each destination is free when applied, or `undefined`
 * when there is a cycle or more than {@link MAX_ORDERED_MOVES} moves.
 *
 * @example
 * const order = inOrderSequence(places, 3); // e.g. [1, 0]: region 1 leaves before region 0 lands on its place
 */
export function inOrderSequence(places: RepackPlaces, count: number): number[] | undefined {
  const { fromX, fromY, toX, toY, widths, heights } = places;
  const moving: number[] = [];
  for (let i = 0; i < count; i++) if (fromX[i] !== toX[i] || fromY[i] !== toY[i]) moving.push(i);
  if (moving.length > MAX_ORDERED_MOVES) return undefined;
  const m = moving.length;
  // after[a] lists the moves that must wait for move a (their destination covers a's current place).
  const after: number[][] = Array.from({ length: m }, () => []);
  const waiting = new Int32Array(m);
  for (let a = 0; a < m; a++) {
    const j = moving[a]!;
    for (let b = 0; b < m; b++) {
      const i = moving[b]!;
      if (i === j) continue;
      const overlaps =
        toX[i]! < fromX[j]! + widths[j]! &&
        fromX[j]! < toX[i]! + widths[i]! &&
        toY[i]! < fromY[j]! + heights[j]! &&
        fromY[j]! < toY[i]! + heights[i]!;
      if (overlaps) {
        after[a]!.push(b);
        waiting[b]!++;
      }
    }
  }
  const ready: number[] = [];
  for (let b = 0; b < m; b++) if (waiting[b] === 0) ready.push(b);
  const order: number[] = [];
  while (ready.length > 0) {
    const a = ready.pop()!;
    order.push(moving[a]!);
    for (const b of after[a]!) if (--waiting[b]! === 0) ready.push(b);
  }
  return order.length === m ? order : undefined;
}
