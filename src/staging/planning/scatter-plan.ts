/**
 * Whether the small writes of one flush into one buffer should reach it through a scatter pass (one staging
 * copy of the elements plus a table of destination offsets, then a compute pass that writes each element to
 * its place) rather than one copy command each, and which writes. Pure: no GPU.
 *
 * The choice is a cost model measured on the device class this project runs on (`npm run bench` prints the
 * fit); the scatter applies only when the writes' order cannot matter (no two of them overlap), and when the
 * destinations fit in one storage binding.
 */
import type { WriteLog } from './write-log.ts';

/** Costs in microseconds of the two ways to land N small writes (fitted by bench/staging.ts). */
export interface ScatterCost {
  /** One `copyBufferToBuffer` of a small write: encoding plus GPU execution. */
  readonly perCopyUs: number;
  /** A scatter's fixed cost: the staging copy, the table upload, the bind group and the pass. */
  readonly passUs: number;
  /** Each element in the scatter (its table entry and its invocation). */
  readonly perElementUs: number;
  /** Each KiB the scatter moves (the staging copy and the shader's writes). */
  readonly perKiBUs: number;
}

/**
 * Dawn on SwiftShader (2 cores, shared), fitted by bench/staging.ts: a copy command costs about 4.3 us, a
 * scattered 256-byte write about 1 us, a pass about 900 us, so the scatter pays from about 280 writes.
 */
export const MEASURED_SCATTER_COST: ScatterCost = {
  perCopyUs: 4.3,
  passUs: 900,
  perElementUs: 0.25,
  perKiBUs: 3,
};

/**
 * True when scattering `count` writes of `bytes` in total costs less than `count` copy commands.
 *
 * @example
 * scatterPays(10_000, 10_000 * 256, MEASURED_SCATTER_COST) // true
 * scatterPays(4, 1024, MEASURED_SCATTER_COST) // false
 */
export function scatterPays(count: number, bytes: number, cost: ScatterCost): boolean {
  const copies = count * cost.perCopyUs;
  const scatter = cost.passUs + count * cost.perElementUs + (bytes / 1024) * cost.perKiBUs;
  return copies > scatter;
}

/** What {@link planScatter} needs to know of the device and the target. */
export interface ScatterLimits {
  /** `maxStorageBufferBindingSize`. */
  readonly maxBindingBytes: number;
  /** `minStorageBufferOffsetAlignment`. */
  readonly offsetAlignment: number;
  /** Writes larger than this stay copy commands (a copy moves a big block faster than one workgroup). */
  readonly maxElementBytes: number;
  readonly cost: ScatterCost;
}

/** The writes to scatter and the part of the target to bind. */
export interface ScatterPlan {
  /** Indices (into the target's writes, ascending) of the writes the scatter lands. */
  readonly indices: readonly number[];
  /** Byte offset of the bound window in the target (a multiple of `offsetAlignment`). */
  readonly windowOffset: number;
  /** Byte size of the window (a multiple of 4). */
  readonly windowBytes: number;
  /** Bytes the scattered writes carry. */
  readonly bytes: number;
}

/**
 * Plans the scatter of one target's writes of one flush (`dstOffsets[i]`, `sizes[i]`, in call order, all
 * multiples of 4), or `undefined` when copy commands are the better or the only choice: too few small
 * writes for the cost model, two writes that overlap (then only call order gives the right bytes), or
 * destinations that do not fit in one binding. The rules are {@link scatterWindow}'s, as for a flush's
 * batch ({@link planScatterBatch}).
 *
 * @example
 * planScatter([0, 512, 1024], [256, 256, 256], limits) // undefined: three copies are cheaper
 */
export function planScatter(
  dstOffsets: ArrayLike<number>,
  sizes: ArrayLike<number>,
  limits: ScatterLimits,
): ScatterPlan | undefined {
  const n = dstOffsets.length;
  const indices: number[] = [];
  let bytes = 0;
  let low = Number.POSITIVE_INFINITY;
  let high = 0;
  for (let i = 0; i < n; i++) {
    const size = sizes[i]!;
    if (size > 0 && size <= limits.maxElementBytes) {
      indices.push(i);
      bytes += size;
      low = Math.min(low, dstOffsets[i]!);
      high = Math.max(high, dstOffsets[i]! + size);
    }
  }
  if (indices.length < 2 || !scatterPays(indices.length, bytes, limits.cost)) return undefined;
  if (!disjoint(dstOffsets, sizes)) return undefined;
  const window = scatterWindow(low, high, limits);
  return window === undefined ? undefined : { indices, ...window, bytes };
}

/**
 * The part of a target a scatter binds, from the lowest to the highest byte its writes touch: an aligned
 * offset and a size, or `undefined` when it does not fit in one storage binding (or lies beyond 4 GiB,
 * where the table's 32-bit words cannot address it).
 *
 * @example
 * scatterWindow(1000, 2000, limits) // { windowOffset: 768, windowBytes: 1232 } with 256-byte alignment
 */
export function scatterWindow(
  low: number,
  high: number,
  limits: ScatterLimits,
): { windowOffset: number; windowBytes: number } | undefined {
  const windowOffset = low - (low % limits.offsetAlignment);
  const windowBytes = high - windowOffset;
  if (windowBytes > limits.maxBindingBytes || high > 2 ** 32) return undefined;
  return { windowOffset, windowBytes };
}

/** The staged writes of a flush, as {@link WriteLog} holds them (columns indexed by write). */
export type WriteColumns = Pick<
  WriteLog<unknown, unknown>,
  'count' | 'chunkOf' | 'targetOf' | 'srcOf' | 'dstOf' | 'sizeOf'
> & { readonly chunks: { readonly length: number }; readonly targets: { readonly length: number } };

/** One target's scatter in a batch. */
export interface BatchTarget {
  /** The target's number in the log. */
  readonly target: number;
  readonly windowOffset: number;
  readonly windowBytes: number;
  /** Writes the scatter lands. */
  readonly count: number;
  /** Every entry counts 16-byte units (all its writes are 16-byte aligned), else 4-byte words. */
  readonly wide: boolean;
  /** Byte offset of this target's entries in the scratch buffer (a binding offset: aligned). */
  readonly entriesOffset: number;
}

/** The scatters of one flush and the scratch buffer layout they share. */
export interface ScatterBatchPlan {
  readonly targets: readonly BatchTarget[];
  /**
   * Per write: 1 when the scatter lands it (the belt records every other write as a copy command). Valid
   * until the next plan: the array is reused (it may be longer than the log; read the first `count`).
   */
  readonly scattered: Uint8Array;
  /** Per chunk number: where its staged bytes go in the scratch buffer, and how many (0: none). */
  readonly chunkBase: Float64Array;
  readonly chunkBytes: Float64Array;
  /** Bytes of staged data at the start of the scratch buffer (aligned). */
  readonly dataBytes: number;
  /** Scratch bytes in all: the data, then each target's entries. */
  readonly totalBytes: number;
  /** The entries of every target, `(totalBytes - dataBytes) / 4` words, written after the data. */
  readonly table: Uint32Array;
}

/** What {@link planScatterBatch} needs besides the per-target rules. */
export interface BatchLimits extends ScatterLimits {
  /** The scratch buffer may not grow beyond this. */
  readonly maxScratchBytes: number;
  /** A target needs this many small writes before a scatter is even considered. */
  readonly minWrites: number;
}

/** Words per table entry: source, destination (in the bound window), length, unused. */
export const ENTRY_WORDS = 4;

/** Per-target flags of {@link planScatterBatch}'s first pass. */
const ASCENDING = 1;
const WIDE = 2;

/**
 * Chooses, for every target of a flush that `mayScatter[t]` allows, whether its small writes go through a
 * scatter (the cost model, disjoint writes, one binding: {@link planScatter}'s rules), and lays out the
 * scratch buffer and the entry table, all in two passes over the log's columns and without an object per
 * write. `undefined` when no target scatters. `table` is reused when it is large enough.
 *
 * @example
 * const plan = planScatterBatch(log, mayScatter, limits, table);
 * for (let i = 0; i < log.count; i++) if (!plan?.scattered[i]) recordCopy(i);
 */
export function planScatterBatch(
  log: WriteColumns,
  mayScatter: Uint8Array,
  limits: BatchLimits,
  table?: Uint32Array,
): ScatterBatchPlan | undefined {
  const n = log.count;
  const targetCount = log.targets.length;
  const { chunkOf, targetOf, srcOf, dstOf, sizeOf } = log;
  const maxElement = limits.maxElementBytes;
  // Per target: small writes and their bytes, the range they touch, whether every write (small or not)
  // comes after the previous one's end (then no two overlap), and whether all small ones are 16-aligned.
  const small = new Float64Array(targetCount);
  const bytes = new Float64Array(targetCount);
  const low = new Float64Array(targetCount).fill(Number.POSITIVE_INFINITY);
  const high = new Float64Array(targetCount);
  const lastEnd = new Float64Array(targetCount);
  const flags = new Uint8Array(targetCount).fill(ASCENDING | WIDE);
  for (let i = 0; i < n; i++) {
    const t = targetOf[i]!;
    if (mayScatter[t] === 0) continue;
    const dst = dstOf[i]!;
    const size = sizeOf[i]!;
    if (dst < lastEnd[t]!) flags[t] = flags[t]! & ~ASCENDING;
    lastEnd[t] = dst + size;
    if (size > maxElement) continue;
    small[t] = small[t]! + 1;
    bytes[t] = bytes[t]! + size;
    if (dst < low[t]!) low[t] = dst;
    if (dst + size > high[t]!) high[t] = dst + size;
    // `|` keeps the low bits of any offset below 2^53 (ToInt32 is modulo 2^32); `%` on a double calls fmod.
    if (((srcOf[i]! | dst | size) & 15) !== 0) flags[t] = flags[t]! & ~WIDE;
  }
  const chosen: { target: number; windowOffset: number; windowBytes: number; wide: boolean }[] = [];
  for (let t = 0; t < targetCount; t++) {
    const count = small[t]!;
    if (mayScatter[t] === 0 || count < Math.max(2, limits.minWrites)) continue;
    if (!scatterPays(count, bytes[t]!, limits.cost)) continue;
    const window = scatterWindow(low[t]!, high[t]!, limits);
    if (window === undefined) continue;
    if ((flags[t]! & ASCENDING) === 0 && !targetDisjoint(log, t)) continue;
    chosen.push({ target: t, ...window, wide: (flags[t]! & WIDE) !== 0 });
  }
  if (chosen.length === 0) return undefined;

  // Which writes the scatter lands, and how far into each chunk they reach.
  const scatters = new Uint8Array(targetCount);
  for (const c of chosen) scatters[c.target] = 1;
  // Reused: the belt reads it while recording this flush, before it plans the next one.
  const scattered = scratchFlags(n);
  const chunkCount = log.chunks.length;
  const chunkBytes = new Float64Array(chunkCount);
  for (let i = 0; i < n; i++) {
    if (scatters[targetOf[i]!] === 0 || sizeOf[i]! > maxElement) continue;
    scattered[i] = 1;
    const chunk = chunkOf[i]!;
    const end = srcOf[i]! + sizeOf[i]!;
    if (end > chunkBytes[chunk]!) chunkBytes[chunk] = end;
  }
  const align = limits.offsetAlignment;
  const chunkBase = new Float64Array(chunkCount);
  let at = 0;
  for (let chunk = 0; chunk < chunkCount; chunk++) {
    if (chunkBytes[chunk] === 0) continue;
    chunkBase[chunk] = at;
    at = alignTo(at + chunkBytes[chunk]!, align);
  }
  const dataBytes = at;
  const entryAt = new Float64Array(targetCount); // next entry's word in the table, per target
  const targets: BatchTarget[] = [];
  for (const c of chosen) {
    const count = small[c.target]!;
    targets.push({ ...c, count, entriesOffset: at });
    entryAt[c.target] = (at - dataBytes) / 4;
    at = alignTo(at + count * ENTRY_WORDS * 4, align);
  }
  const totalBytes = at;
  if (totalBytes > limits.maxScratchBytes || dataBytes > limits.maxBindingBytes) return undefined;
  const words = (totalBytes - dataBytes) / 4;
  const entries = table !== undefined && table.length >= words ? table : new Uint32Array(words);
  const windowOf = new Float64Array(targetCount);
  const unitOf = new Float64Array(targetCount);
  for (const t of targets) {
    windowOf[t.target] = t.windowOffset;
    unitOf[t.target] = t.wide ? 16 : 4;
  }
  for (let i = 0; i < n; i++) {
    if (scattered[i] === 0) continue;
    const t = targetOf[i]!;
    const unit = unitOf[t]!;
    const e = entryAt[t]!;
    entries[e] = (chunkBase[chunkOf[i]!]! + srcOf[i]!) / unit;
    entries[e + 1] = (dstOf[i]! - windowOf[t]!) / unit;
    entries[e + 2] = sizeOf[i]! / unit;
    entryAt[t] = e + ENTRY_WORDS;
  }
  return { targets, scattered, chunkBase, chunkBytes, dataBytes, totalBytes, table: entries };
}

function alignTo(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

/** {@link disjoint} over the writes of target number `t` only. */
function targetDisjoint(log: WriteColumns, t: number): boolean {
  const { count, targetOf, dstOf, sizeOf } = log;
  let writes = 0;
  for (let i = 0; i < count; i++) if (targetOf[i] === t) writes++;
  if (writes === count) return disjoint(dstOf.subarray(0, count), sizeOf.subarray(0, count));
  const offsets = new Float64Array(writes);
  const sizes = new Float64Array(writes);
  for (let i = 0, k = 0; i < count; i++) {
    if (targetOf[i] !== t) continue;
    offsets[k] = dstOf[i]!;
    sizes[k++] = sizeOf[i]!;
  }
  return disjoint(offsets, sizes);
}

/**
 * True when no two ranges `[offset, offset + size)` overlap. Linear when the offsets ascend (writes made in
 * buffer order, the common case); otherwise a bucket sort of the starts over their span (linear for the
 * spread-out writes of a scattered update), falling back to a sort when the starts bunch up.
 *
 * @example
 * disjoint([0, 8], [8, 8]) // true
 * disjoint([0, 4], [8, 8]) // false
 */
export function disjoint(offsets: ArrayLike<number>, sizes: ArrayLike<number>): boolean {
  const n = offsets.length;
  let end = 0;
  let ascending = true;
  let low = Number.POSITIVE_INFINITY;
  let high = 0;
  for (let i = 0; i < n; i++) {
    const offset = offsets[i]!;
    if (offset < end) ascending = false;
    end = offset + sizes[i]!;
    if (offset < low) low = offset;
    if (offset > high) high = offset;
  }
  if (ascending) return true;
  return bucketDisjoint(offsets, sizes, low, high) ?? sortedDisjoint(offsets, sizes);
}

/** Starts in one bucket beyond this: the starts bunch up, and a sort is the safer bet. */
const MAX_BUCKET = 16;

/**
 * Typed arrays the planner reuses from one flush to the next: a large typed array is allocated outside the
 * JS heap (zeroed, then tracked by the GC), which cost more than the passes that fill it (about 0.5 ms of a
 * 10,000-write plan). Planning is synchronous and runs no caller code, so one set serves every call.
 */
const scratch = {
  starts: new Uint32Array(0),
  next: new Uint32Array(0),
  order: new Uint32Array(0),
  flags: new Uint8Array(0),
};

/** The scratch word array `key` with room for `length` (grown by doubling, so growth is rare). */
function scratchWords(key: 'starts' | 'next' | 'order', length: number): Uint32Array {
  if (scratch[key].length < length) scratch[key] = new Uint32Array(Math.max(length, scratch[key].length * 2));
  return scratch[key];
}

/** The scratch byte array with room for `length`, its first `length` bytes zeroed. */
function scratchFlags(length: number): Uint8Array {
  if (scratch.flags.length < length)
    scratch.flags = new Uint8Array(Math.max(length, scratch.flags.length * 2));
  scratch.flags.fill(0, 0, length);
  return scratch.flags;
}

/**
 * {@link disjoint} by a counting sort of the starts into `n` buckets over `[low, high]`, then an insertion
 * sort inside each bucket; `undefined` when a bucket holds more than {@link MAX_BUCKET} starts.
 */
function bucketDisjoint(
  offsets: ArrayLike<number>,
  sizes: ArrayLike<number>,
  low: number,
  high: number,
): boolean | undefined {
  const n = offsets.length;
  const scale = n / (high - low + 1); // n buckets over the span of the starts
  const starts = scratchWords('starts', n + 1);
  starts.fill(0, 0, n + 1);
  for (let i = 0; i < n; i++) {
    const b = Math.floor((offsets[i]! - low) * scale) + 1;
    starts[b] = starts[b]! + 1;
  }
  for (let b = 0; b < n; b++) {
    if (starts[b + 1]! > MAX_BUCKET) return undefined;
    starts[b + 1] = starts[b + 1]! + starts[b]!;
  }
  const next = scratchWords('next', n);
  for (let b = 0; b < n; b++) next[b] = starts[b]!;
  const order = scratchWords('order', n);
  for (let i = 0; i < n; i++) {
    const b = Math.floor((offsets[i]! - low) * scale);
    order[next[b]!] = i;
    next[b] = next[b]! + 1;
  }
  let end = 0;
  for (let b = 0; b < n; b++) {
    const first = starts[b]!;
    const last = starts[b + 1]!;
    for (let k = first + 1; k < last; k++) {
      const i = order[k]!;
      let j = k - 1;
      while (j >= first && offsets[order[j]!]! > offsets[i]!) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = i;
    }
    for (let k = first; k < last; k++) {
      const i = order[k]!;
      if (offsets[i]! < end && sizes[i]! > 0) return false;
      end = Math.max(end, offsets[i]! + sizes[i]!);
    }
  }
  return true;
}

/** {@link disjoint} by a sort of (offset, index) pairs packed in doubles: a typed-array sort, no comparator. */
function sortedDisjoint(offsets: ArrayLike<number>, sizes: ArrayLike<number>): boolean {
  // Exact while offset * 2^21 + index < 2^53, i.e. offsets below 4 GiB and fewer than 2^21 writes.
  const n = offsets.length;
  const SHIFT = 2 ** 21;
  if (n >= SHIFT) return false;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (offsets[i]! >= 2 ** 32) return false; // not exact any more: say they may overlap
    keys[i] = offsets[i]! * SHIFT + i;
  }
  keys.sort();
  let end = 0;
  for (let k = 0; k < n; k++) {
    const key = keys[k]!;
    const i = key - Math.floor(key / SHIFT) * SHIFT; // exact (SHIFT is a power of two), and no fmod call
    if (offsets[i]! < end && sizes[i]! > 0) return false;
    end = Math.max(end, offsets[i]! + sizes[i]!);
  }
  return true;
}
