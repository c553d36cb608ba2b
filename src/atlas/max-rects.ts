/**
 * Maximal free rectangles (Jylänki's MaxRects): every free rectangle that cannot grow in any direction, kept
 * even where they overlap, so a request sees each hole at its full size in both directions. Placement is
 * best short side fit (the free rectangle whose tighter leftover side is smallest, ties by the other side,
 * then lowest), which beat bottom-left, best area and contact point on sprite-sized requests (bench/atlas.ts).
 * Every operation scans the list, so this serves pages holding a few hundred rectangles, not thousands.
 * Rectangles are stored as edges (left, bottom, right, top), four entries each in one array.
 *
 * @example
 * const free = new MaxRects(); free.reset(0, 0, 256, 256);
 * if (free.find(40, 30)) free.place(free.foundX, free.foundY, 40, 30);
 */
export class MaxRects {
  /** Position of the last successful {@link MaxRects.find}. */
  foundX = 0;
  foundY = 0;
  private edges: Int32Array = new Int32Array(256);
  /** Entries in use in `edges` (four per rectangle). */
  private end = 0;
  /** Scratch for the pieces of one cut, as edges. */
  private pieces: Int32Array = new Int32Array(64);
  /** Scratch for a release: offsets of rectangles next to the one being joined. */
  private near: Int32Array = new Int32Array(64);
  /** Scratch for a release: offsets of the rectangles touching the freed one. */
  private pool: Int32Array = new Int32Array(64);

  /** Number of free rectangles held (they may overlap). */
  get size(): number {
    return this.end >> 2;
  }

  /** Makes one rectangle the whole free space (nothing when it is empty). */
  reset(x: number, y: number, w: number, h: number): void {
    this.end = 0;
    if (w > 0 && h > 0) this.push(x, y, x + w, y + h);
  }

  /** The free rectangles as objects (for tests and debugging views). */
  list(): { x: number; y: number; w: number; h: number }[] {
    const e = this.edges;
    const out: { x: number; y: number; w: number; h: number }[] = [];
    for (let i = 0; i < this.end; i += 4) {
      out.push({ x: e[i]!, y: e[i + 1]!, w: e[i + 2]! - e[i]!, h: e[i + 3]! - e[i + 1]! });
    }
    return out;
  }

  /** True when [x, x + w) x [y, y + h) lies inside one free rectangle (so it is free). */
  holds(x: number, y: number, w: number, h: number): boolean {
    return this.containerIn(0, this.end, -1, x, y, x + w, y + h);
  }

  /** Finds the best short side fit for w x h; on success stores it in foundX/foundY and returns true. */
  find(w: number, h: number): boolean {
    const e = this.edges;
    let bestShort = 2147483647;
    let bestLong = 2147483647;
    let bestY = 2147483647;
    let found = -1;
    for (let i = 0; i < this.end; i += 4) {
      const leftW = e[i + 2]! - e[i]! - w;
      const leftH = e[i + 3]! - e[i + 1]! - h;
      if (leftW < 0 || leftH < 0) continue;
      const short = leftW < leftH ? leftW : leftH;
      const long = leftW < leftH ? leftH : leftW;
      if (
        short < bestShort ||
        (short === bestShort && (long < bestLong || (long === bestLong && e[i + 1]! < bestY)))
      ) {
        bestShort = short;
        bestLong = long;
        bestY = e[i + 1]!;
        found = i;
      }
    }
    if (found < 0) return false;
    this.foundX = e[found]!;
    this.foundY = e[found + 1]!;
    return true;
  }

  /**
   * Marks [x, x + w) x [y, y + h) as used (it must be free): every free rectangle it cuts is replaced by its
   * up to four maximal pieces around it, and pieces inside another free rectangle are dropped.
   */
  place(x: number, y: number, w: number, h: number): void {
    const right = x + w;
    const top = y + h;
    let n = 0;
    let i = 0;
    while (i < this.end) {
      const e = this.edges;
      const x0 = e[i]!;
      const y0 = e[i + 1]!;
      const x1 = e[i + 2]!;
      const y1 = e[i + 3]!;
      if (x >= x1 || right <= x0 || y >= y1 || top <= y0) {
        i += 4;
        continue;
      }
      if (n + 16 > this.pieces.length) this.pieces = growTo(this.pieces, this.pieces.length * 2);
      const p = this.pieces;
      if (x > x0) n = put(p, n, x0, y0, x, y1);
      if (right < x1) n = put(p, n, right, y0, x1, y1);
      if (y > y0) n = put(p, n, x0, y0, x1, y);
      if (top < y1) n = put(p, n, x0, top, x1, y1);
      // Swap-remove: the last rectangle takes slot i and is examined next.
      this.end -= 4;
      e.copyWithin(i, this.end, this.end + 4);
    }
    const first = this.end;
    const p = this.pieces;
    for (let k = 0; k < n; k += 4) this.push(p[k]!, p[k + 1]!, p[k + 2]!, p[k + 3]!);
    this.pruneNew(first);
  }

  /**
   * Gives [x, x + w) x [y, y + h) back (it must not overlap a live rectangle). The freed rectangle joins its
   * neighbours: any two free rectangles side by side (or stacked) over a shared stretch make the strip across
   * both free, and each new strip is joined again, up to {@link JOIN_LIMIT} rounds, with the rectangles that
   * touch the freed one and the strips made since (a maximal neighbour further out mostly touches the freed
   * one too). So a hole freed between free space grows back to the maximal rectangles through it, though not
   * always all of them: nothing relies on that.
   */
  release(x: number, y: number, w: number, h: number): void {
    const first = this.end;
    this.push(x, y, x + w, y + h);
    // The rectangles touching the freed one: the candidates for every round.
    let pooled = 0;
    for (let i = 0; i < first; i += 4) {
      if (this.touches(i, first)) pooled = this.note('pool', pooled, i);
    }
    let next = first;
    for (let round = 0; round < JOIN_LIMIT && next < this.end; round++, next += 4) {
      const q = next;
      let near = 0;
      for (let k = 0; k < pooled; k++)
        if (this.touches(this.pool[k]!, q)) near = this.note('near', near, this.pool[k]!);
      for (let i = first; i < this.end; i += 4)
        if (i !== q && this.touches(i, q)) near = this.note('near', near, i);
      const e = this.edges;
      const qx0 = e[q]!;
      const qy0 = e[q + 1]!;
      const qx1 = e[q + 2]!;
      const qy1 = e[q + 3]!;
      const touching = near;
      for (let k = 0; k < touching; k++) {
        const i = this.near[k]!;
        const x0 = this.edges[i]!;
        const y0 = this.edges[i + 1]!;
        const x1 = this.edges[i + 2]!;
        const y1 = this.edges[i + 3]!;
        // Side by side: the shared y stretch across both (worth a look only when neither spans the other).
        const low = y0 > qy0 ? y0 : qy0;
        const high = y1 < qy1 ? y1 : qy1;
        if (high > low && (x0 < qx0 ? x1 < qx1 : x0 > qx0 && x1 > qx1)) {
          near = this.joinStrip(near, x0 < qx0 ? x0 : qx0, low, x1 > qx1 ? x1 : qx1, high);
        }
        // Stacked: the shared x stretch across both.
        const left = x0 > qx0 ? x0 : qx0;
        const right = x1 < qx1 ? x1 : qx1;
        if (right > left && (y0 < qy0 ? y1 < qy1 : y0 > qy0 && y1 > qy1)) {
          near = this.joinStrip(near, left, y0 < qy0 ? y0 : qy0, right, y1 > qy1 ? y1 : qy1);
        }
      }
    }
    this.pruneNew(first);
    this.pruneOld(first);
  }

  /** True when the rectangles at offsets a and b overlap or share an edge stretch or corner. */
  private touches(a: number, b: number): boolean {
    const e = this.edges;
    return e[a]! <= e[b + 2]! && e[b]! <= e[a + 2]! && e[a + 1]! <= e[b + 3]! && e[b + 1]! <= e[a + 3]!;
  }

  /** Adds a strip unless one of the `near` rectangles contains it; returns the new `near` count. */
  private joinStrip(near: number, x0: number, y0: number, x1: number, y1: number): number {
    const e = this.edges;
    for (let k = 0; k < near; k++) {
      const j = this.near[k]!;
      if (e[j]! <= x0 && e[j + 1]! <= y0 && e[j + 2]! >= x1 && e[j + 3]! >= y1) return near;
    }
    this.push(x0, y0, x1, y1);
    return this.note('near', near, this.end - 4);
  }

  /** Appends an offset to a scratch list; returns its new length. */
  private note(list: 'near' | 'pool', length: number, offset: number): number {
    if (length === this[list].length) this[list] = growTo(this[list], length * 2);
    this[list][length] = offset;
    return length + 1;
  }

  /** Drops every rectangle from offset `first` on that lies inside another one (earlier ones win ties). */
  private pruneNew(first: number): void {
    const e = this.edges;
    for (let i = first; i < this.end; ) {
      if (this.containerIn(0, this.end, i, e[i]!, e[i + 1]!, e[i + 2]!, e[i + 3]!)) this.removeAt(i);
      else i += 4;
    }
  }

  /** Drops every rectangle before offset `limit` that lies inside one of those from `limit` on. */
  private pruneOld(limit: number): void {
    const e = this.edges;
    for (let i = 0; i < limit; ) {
      if (this.containerIn(limit, this.end, i, e[i]!, e[i + 1]!, e[i + 2]!, e[i + 3]!)) {
        this.removeAt(i);
        limit -= 4;
      } else {
        i += 4;
      }
    }
  }

  /** True when a rectangle at an offset in [from, to), other than `self`, contains [x0, x1) x [y0, y1). */
  private containerIn(
    from: number,
    to: number,
    self: number,
    x0: number,
    y0: number,
    x1: number,
    y1: number,
  ): boolean {
    const e = this.edges;
    for (let j = from; j < to; j += 4) {
      if (e[j]! <= x0 && e[j + 1]! <= y0 && e[j + 2]! >= x1 && e[j + 3]! >= y1 && j !== self) return true;
    }
    return false;
  }

  /** Removes the rectangle at offset i keeping the order of the others (pruning relies on it). */
  private removeAt(i: number): void {
    this.edges.copyWithin(i, i + 4, this.end);
    this.end -= 4;
  }

  private push(x0: number, y0: number, x1: number, y1: number): void {
    if (this.end === this.edges.length) this.edges = growTo(this.edges, this.edges.length * 2);
    this.end = put(this.edges, this.end, x0, y0, x1, y1);
  }
}

/** Rectangles joined with their neighbours per release (the freed one, then the strips it made, ...). */
const JOIN_LIMIT = 16;

function growTo(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/** Writes one rectangle's edges at n; returns the next free index. */
function put(p: Int32Array, n: number, x0: number, y0: number, x1: number, y1: number): number {
  p[n] = x0;
  p[n + 1] = y0;
  p[n + 2] = x1;
  p[n + 3] = y1;
  return n + 4;
}
