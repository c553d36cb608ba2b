import type { AtlasRect } from './atlas-allocator.ts';
import { MAX_PAGE_SIZE } from './atlas-allocator.ts';
import { AtlasError, checkInteger, readOption } from './atlas-error.ts';
import { tallestFirst } from './offline-pack.ts';

/** Options of {@link packAtlas}. */
export interface PackAtlasOptions {
  /** Pixels added to the right and bottom of every rectangle (a gutter between neighbours). Default 0. */
  padding?: number;
  /** Names the sheet in error messages. */
  label?: string;
}

/** The result of {@link packAtlas}: the sheet size and one rectangle per input, in input order. */
export interface PackedAtlas {
  readonly width: number;
  readonly height: number;
  /** Sum of the padded rectangles' areas / (width x height). */
  readonly fill: number;
  /** Positions of the inputs (sizes without padding), in input order. */
  readonly rects: AtlasRect[];
}

/**
 * Sheet widths tried, as the side of a square of total area / factor: the best fill wins. The first is the
 * width potpack starts from (a 0.95 fill); the others trade a little width for a shorter last row.
 */
const FILL_GUESSES = [0.95, 0.985];

let spaces = {
  sx: new Int32Array(0),
  sy: new Float64Array(0),
  sw: new Int32Array(0),
  sh: new Float64Array(0),
};

/**
 * Scratch arrays for `size` spaces. Kept between calls: allocating four large typed arrays per call cost more
 * in garbage collection (their memory lives outside the JS heap) than the packing itself.
 */
function spaceBuffers(size: number): typeof spaces {
  if (spaces.sx.length < size) {
    spaces = {
      sx: new Int32Array(size),
      sy: new Float64Array(size),
      sw: new Int32Array(size),
      sh: new Float64Array(size),
    };
  }
  return spaces;
}

/**
 * One packing at a fixed width: tallest first into free spaces that start as one column of unbounded
 * height; each item takes the most recently made space it fits (the space-splitting rule potpack uses) and
 * leaves at most two smaller spaces. Returns the sheet height and width actually used.
 */
function packIntoWidth(
  width: number,
  order: Uint32Array,
  widths: Int32Array,
  heights: Int32Array,
  xs: Int32Array,
  ys: Int32Array,
): { width: number; height: number } {
  const n = order.length;
  // Spaces as parallel arrays (reused between calls); the first is the open column below everything.
  const { sx, sy, sw, sh } = spaceBuffers(2 * n + 1);
  let count = 1;
  sx[0] = 0;
  sy[0] = 0;
  sw[0] = width;
  sh[0] = Number.POSITIVE_INFINITY;
  let usedW = 0;
  let usedH = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const w = widths[i]!;
    const h = heights[i]!;
    for (let s = count - 1; s >= 0; s--) {
      const spaceW = sw[s]!;
      const spaceH = sh[s]!;
      if (w > spaceW || h > spaceH) continue;
      const x = sx[s]!;
      const y = sy[s]!;
      xs[i] = x;
      ys[i] = y;
      if (y + h > usedH) usedH = y + h;
      if (x + w > usedW) usedW = x + w;
      if (w === spaceW && h === spaceH) {
        count--;
        sx[s] = sx[count]!;
        sy[s] = sy[count]!;
        sw[s] = sw[count]!;
        sh[s] = sh[count]!;
      } else if (h === spaceH) {
        sx[s] = x + w;
        sw[s] = spaceW - w;
      } else if (w === spaceW) {
        sy[s] = y + h;
        sh[s] = spaceH - h;
      } else {
        sx[count] = x + w;
        sy[count] = y;
        sw[count] = spaceW - w;
        sh[count] = h;
        count++;
        sy[s] = y + h;
        sh[s] = spaceH - h;
      }
      break;
    }
  }
  return { width: usedW, height: usedH };
}

/**
 * Packs rectangles offline into one near-square sheet (sprite sheets built at build time): tallest first into
 * free spaces, at two candidate widths, keeping the sheet with the best fill.
 *
 * @example
 * const sheet = packAtlas([{ width: 32, height: 32 }, { width: 64, height: 16 }], { padding: 2 });
 * sheet.rects[1]; // { x, y, width: 64, height: 16 }
 */
export function packAtlas(
  sizes: readonly { readonly width: number; readonly height: number }[],
  options?: PackAtlasOptions,
): PackedAtlas {
  const label = (readOption(options, 'label', 'packAtlas') as string | undefined) ?? 'packAtlas';
  if (typeof label !== 'string') throw new AtlasError('packAtlas', 'label', label, 'must be a string');
  const paddingValue = readOption(options, 'padding', label) ?? 0;
  const padding = checkInteger(paddingValue, 'padding', label, 0, 1024);
  if (!Array.isArray(sizes))
    throw new AtlasError(label, 'sizes', sizes, 'must be an array of { width, height }');
  const n = sizes.length;
  const widths = new Int32Array(n);
  const heights = new Int32Array(n);
  let area = 0;
  let widest = 1;
  // One try around the loop (not one per property): a throwing getter or Proxy trap becomes a typed error.
  let i = 0;
  try {
    for (; i < n; i++) {
      const size = sizes[i] as { width: unknown; height: unknown } | null | undefined;
      if (typeof size !== 'object' || size === null) {
        throw new AtlasError(label, `sizes[${i}]`, size, 'must be an object { width, height }');
      }
      const w = checkInteger(size.width, `sizes[${i}].width`, label, 1, MAX_PAGE_SIZE);
      const h = checkInteger(size.height, `sizes[${i}].height`, label, 1, MAX_PAGE_SIZE);
      widths[i] = w + padding;
      heights[i] = h + padding;
      area += (w + padding) * (h + padding);
      if (w + padding > widest) widest = w + padding;
    }
  } catch (cause) {
    if (cause instanceof AtlasError) throw cause;
    throw new AtlasError(label, `sizes[${i}]`, '[unreadable]', 'must be readable', { cause });
  }
  if (n === 0) return { width: 0, height: 0, fill: 0, rects: [] };
  // Tallest first, ties in input order: the first guess then reproduces potpack's sheet exactly, so the
  // result is never worse than it.
  const order = tallestFirst(widths, heights, n, false);
  // Two position buffers: the best packing so far, and the one being tried (swapped when it wins).
  let bestX = new Int32Array(n);
  let bestY = new Int32Array(n);
  let tryX = new Int32Array(n);
  let tryY = new Int32Array(n);
  let best: { width: number; height: number } | undefined;
  for (const guess of FILL_GUESSES) {
    const columnWidth = Math.max(widest, Math.ceil(Math.sqrt(area / guess)));
    const used = packIntoWidth(columnWidth, order, widths, heights, tryX, tryY);
    if (best === undefined || used.width * used.height < best.width * best.height) {
      best = used;
      [bestX, tryX] = [tryX, bestX];
      [bestY, tryY] = [tryY, bestY];
    }
  }
  const chosen = best!;
  const rects: AtlasRect[] = new Array(n);
  for (let i = 0; i < n; i++) {
    rects[i] = {
      x: bestX[i]!,
      y: bestY[i]!,
      width: widths[i]! - padding,
      height: heights[i]! - padding,
    };
  }
  return { width: chosen.width, height: chosen.height, fill: area / (chosen.width * chosen.height), rects };
}
