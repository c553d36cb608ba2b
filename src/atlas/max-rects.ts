/**
 * Maximal free rectangles (Jylänki's MaxRects): every free rectangle that cannot grow in any direction, kept
 * even where they overlap, so a request sees each hole at its full size in both directions. Placement is
 * best short side fit (the free rectangle whose tighter leftover side is smallest, ties by the other side,
 * then lowest), which beat bottom-left, best area and contact point on sprite-sized requests (bench/atlas.ts).
 * Every operation scans the list, so this serves pages holding a few hundred rectangles, not thousands.
 *
 * @example
 * const free = new MaxRects(); free.reset(0, 0, 256, 256);
 * if (free.find(40, 30)) free.place(free.foundX, free.foundY, 40, 30);
 */
export class MaxRects {
  /** Position of the last successful {@link MaxRects.find}. */
  foundX = 0;
  foundY = 0;
  private xs: Int32Array = new Int32Array(64);
  private ys: Int32Array = new Int32Array(64);
  private ws: Int32Array = new Int32Array(64);
  private hs: Int32Array = new Int32Array(64);
  private count = 0;
  /** Scratch for the pieces of one cut, four entries (x, y, w, h) per piece. */
  private pieces: Int32Array = new Int32Array(64);
  /** Scratch for a release: indices of the rectangles touching the one being joined. */
  private near: Int32Array = new Int32Array(64);

  /** Number of free rectangles held (they may overlap). */
  get size(): number {
    return this.count;
  }

  /** Makes one rectangle the whole free space (nothing when it is empty). */
  reset(x: number, y: number, w: number, h: number): void {
    this.count = 0;
    if (w > 0 && h > 0) this.push(x, y, w, h);
  }

  /** The free rectangles as objects (for tests and debugging views). */
  list(): { x: number; y: number; w: number; h: number }[] {
    const out: { x: number; y: number; w: number; h: number }[] = [];
    for (let i = 0; i < this.count; i++)
      out.push({ x: this.xs[i]!, y: this.ys[i]!, w: this.ws[i]!, h: this.hs[i]! });
    return out;
  }

  /** True when [x, x + w) x [y, y + h) lies inside one free rectangle (so it is free). */
  holds(x: number, y: number, w: number, h: number): boolean {
    for (let i = 0; i < this.count; i++) {
      if (this.contains(i, x, y, x + w, y + h)) {
        return true;
      }
    }
    return false;
  }

  /** Finds the best short side fit for w x h; on success stores it in foundX/foundY and returns true. */
  find(w: number, h: number): boolean {
    let bestShort = 2147483647;
    let bestLong = 2147483647;
    let bestY = 2147483647;
    let found = -1;
    for (let i = 0; i < this.count; i++) {
      const leftW = this.ws[i]! - w;
      const leftH = this.hs[i]! - h;
      if (leftW < 0 || leftH < 0) continue;
      const short = leftW < leftH ? leftW : leftH;
      const long = leftW < leftH ? leftH : leftW;
      if (
        short < bestShort ||
        (short === bestShort && (long < bestLong || (long === bestLong && this.ys[i]! < bestY)))
      ) {
        bestShort = short;
        bestLong = long;
        bestY = this.ys[i]!;
        found = i;
      }
    }
    if (found < 0) return false;
    this.foundX = this.xs[found]!;
    this.foundY = this.ys[found]!;
    return true;
  }

  /**
   * Marks [x, x + w) x [y, y + h) as used (it must be free): every free rectangle it cuts is replaced by its
   * up to four maximal pieces around it, and pieces inside another free rectangle are dropped.
   */
  place(x: number, y: number, w: number, h: number): void {
    const end = x + w;
    const top = y + h;
    const pieces = this.pieces;
    let n = 0;
    let i = 0;
    while (i < this.count) {
      const fx = this.xs[i]!;
      const fy = this.ys[i]!;
      const fw = this.ws[i]!;
      const fh = this.hs[i]!;
      if (x >= fx + fw || end <= fx || y >= fy + fh || top <= fy) {
        i++;
        continue;
      }
      if (n + 16 > pieces.length) this.pieces = growTo(pieces, pieces.length * 2);
      const p = this.pieces;
      if (x > fx) n = piece(p, n, fx, fy, x - fx, fh);
      if (end < fx + fw) n = piece(p, n, end, fy, fx + fw - end, fh);
      if (y > fy) n = piece(p, n, fx, fy, fw, y - fy);
      if (top < fy + fh) n = piece(p, n, fx, top, fw, fy + fh - top);
      // Swap-remove: the last rectangle takes slot i and is examined next.
      this.count--;
      this.xs[i] = this.xs[this.count]!;
      this.ys[i] = this.ys[this.count]!;
      this.ws[i] = this.ws[this.count]!;
      this.hs[i] = this.hs[this.count]!;
    }
    const first = this.count;
    const p = this.pieces;
    for (let k = 0; k < n; k += 4) this.push(p[k]!, p[k + 1]!, p[k + 2]!, p[k + 3]!);
    this.pruneNew(first);
  }

  /**
   * Gives [x, x + w) x [y, y + h) back (it must not overlap a live rectangle). The freed rectangle joins its
   * neighbours: any two free rectangles side by side (or stacked) over a shared stretch make the strip across
   * both free, and each new strip is joined again, up to {@link JOIN_LIMIT} rounds, so a hole freed between
   * free space grows back to the maximal rectangles through it (not always all of them: a later place or
   * release never relies on that).
   */
  release(x: number, y: number, w: number, h: number): void {
    const first = this.count;
    this.push(x, y, w, h);
    let next = first;
    for (let round = 0; round < JOIN_LIMIT && next < this.count; round++) {
      const q = next++;
      const qx = this.xs[q]!;
      const qy = this.ys[q]!;
      const qEnd = qx + this.ws[q]!;
      const qTop = qy + this.hs[q]!;
      // Rectangles touching q: the only ones to join with, and (a strip holds part of q) the only ones
      // that can already contain a strip. Strips made now are added to them as they come.
      let near = 0;
      for (let i = 0; i < this.count; i++) {
        if (i === q || this.xs[i]! > qEnd || qx > this.xs[i]! + this.ws[i]!) continue;
        if (this.ys[i]! > qTop || qy > this.ys[i]! + this.hs[i]!) continue;
        near = this.note(near, i);
      }
      const touching = near;
      for (let k = 0; k < touching; k++) {
        const i = this.near[k]!;
        const fx = this.xs[i]!;
        const fy = this.ys[i]!;
        const fEnd = fx + this.ws[i]!;
        const fTop = fy + this.hs[i]!;
        // Side by side: the shared y stretch across both (worth a look only when neither spans the other).
        const lowY = fy > qy ? fy : qy;
        const highY = fTop < qTop ? fTop : qTop;
        if (highY > lowY && (fx < qx ? fEnd < qEnd : fx > qx && fEnd > qEnd)) {
          const leftX = fx < qx ? fx : qx;
          near = this.joinStrip(near, leftX, lowY, (fEnd > qEnd ? fEnd : qEnd) - leftX, highY - lowY);
        }
        // Stacked: the shared x stretch across both.
        const lowX = fx > qx ? fx : qx;
        const highX = fEnd < qEnd ? fEnd : qEnd;
        if (highX > lowX && (fy < qy ? fTop < qTop : fy > qy && fTop > qTop)) {
          const bottomY = fy < qy ? fy : qy;
          near = this.joinStrip(near, lowX, bottomY, highX - lowX, (fTop > qTop ? fTop : qTop) - bottomY);
        }
      }
    }
    this.pruneNew(first);
    this.pruneOld(first);
  }

  /** Adds a strip unless one of the `near` rectangles contains it; returns the new `near` count. */
  private joinStrip(near: number, x: number, y: number, w: number, h: number): number {
    const end = x + w;
    const top = y + h;
    for (let k = 0; k < near; k++) {
      const j = this.near[k]!;
      if (this.contains(j, x, y, end, top)) {
        return near;
      }
    }
    this.push(x, y, w, h);
    return this.note(near, this.count - 1);
  }

  /** Appends index i to the `near` scratch list; returns the new count. */
  private note(near: number, i: number): number {
    if (near === this.near.length) this.near = growTo(this.near, near * 2);
    this.near[near] = i;
    return near + 1;
  }

  /** Drops every rectangle at or after `first` that lies inside another rectangle (earlier ones win ties). */
  private pruneNew(first: number): void {
    for (let i = first; i < this.count; i++) {
      if (this.containedElsewhere(i, 0, this.count)) {
        this.removeAt(i);
        i--;
      }
    }
  }

  /** Drops every rectangle before `end` that lies inside one of the rectangles from `end` on. */
  private pruneOld(end: number): void {
    let limit = end;
    for (let i = 0; i < limit; i++) {
      if (this.containedElsewhere(i, limit, this.count)) {
        this.removeAt(i);
        i--;
        limit--;
      }
    }
  }

  /** True when rectangle i lies inside some rectangle j in [from, to), j !== i. */
  private containedElsewhere(i: number, from: number, to: number): boolean {
    const x = this.xs[i]!;
    const y = this.ys[i]!;
    const end = x + this.ws[i]!;
    const top = y + this.hs[i]!;
    for (let j = from; j < to; j++) {
      if (j === i) continue;
      if (this.contains(j, x, y, end, top)) {
        return true;
      }
    }
    return false;
  }

  /** True when rectangle j contains [x, end) x [y, top). */
  private contains(j: number, x: number, y: number, end: number, top: number): boolean {
    return (
      this.xs[j]! <= x &&
      this.ys[j]! <= y &&
      this.xs[j]! + this.ws[j]! >= end &&
      this.ys[j]! + this.hs[j]! >= top
    );
  }

  /** Removes slot i keeping the order of the others (pruning relies on old rectangles staying first). */
  private removeAt(i: number): void {
    this.xs.copyWithin(i, i + 1, this.count);
    this.ys.copyWithin(i, i + 1, this.count);
    this.ws.copyWithin(i, i + 1, this.count);
    this.hs.copyWithin(i, i + 1, this.count);
    this.count--;
  }

  private push(x: number, y: number, w: number, h: number): void {
    if (this.count === this.xs.length) {
      const size = this.xs.length * 2;
      this.xs = growTo(this.xs, size);
      this.ys = growTo(this.ys, size);
      this.ws = growTo(this.ws, size);
      this.hs = growTo(this.hs, size);
    }
    this.xs[this.count] = x;
    this.ys[this.count] = y;
    this.ws[this.count] = w;
    this.hs[this.count] = h;
    this.count++;
  }
}

/** Rectangles joined with their neighbours per release (the freed one, then the strips it made, ...). */
const JOIN_LIMIT = 16;

function growTo(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/** Writes one piece at n; returns the next free index. */
function piece(p: Int32Array, n: number, x: number, y: number, w: number, h: number): number {
  p[n] = x;
  p[n + 1] = y;
  p[n + 2] = w;
  p[n + 3] = h;
  return n + 4;
}
