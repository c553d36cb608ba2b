/**
 * Whether the small writes of one flush into one buffer should reach it through a scatter pass (one staging
 * copy of the elements plus a table of destination offsets, then a compute pass that writes each element to
 * its place) rather than one copy command each, and which writes. Pure: no GPU.
 *
 * The choice is a cost model measured on the device class this project runs on (`npm run bench` prints the
 * fit); the scatter applies only when the writes' order cannot matter (no two of them overlap), and when the
 * destinations fit in one storage binding.
 */

/** Costs in microseconds of the two ways to land N small writes (fitted by bench/scatter-cost.ts). */
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
 * destinations that do not fit in one binding.
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
  for (let i = 0; i < n; i++) {
    const size = sizes[i]!;
    if (size > 0 && size <= limits.maxElementBytes) {
      indices.push(i);
      bytes += size;
    }
  }
  if (indices.length < 2 || !scatterPays(indices.length, bytes, limits.cost)) return undefined;
  if (!disjoint(dstOffsets, sizes)) return undefined;
  let low = Number.POSITIVE_INFINITY;
  let high = 0;
  for (const i of indices) {
    low = Math.min(low, dstOffsets[i]!);
    high = Math.max(high, dstOffsets[i]! + sizes[i]!);
  }
  const windowOffset = low - (low % limits.offsetAlignment);
  const windowBytes = high - windowOffset;
  if (windowBytes > limits.maxBindingBytes) return undefined;
  return { indices, windowOffset, windowBytes, bytes };
}

/**
 * True when no two ranges `[offset, offset + size)` overlap. Linear when the offsets ascend (writes made in
 * buffer order, the common case); otherwise a sort of packed keys.
 *
 * @example
 * disjoint([0, 8], [8, 8]) // true
 * disjoint([0, 4], [8, 8]) // false
 */
export function disjoint(offsets: ArrayLike<number>, sizes: ArrayLike<number>): boolean {
  const n = offsets.length;
  let end = 0;
  let ascending = true;
  for (let i = 0; i < n; i++) {
    if (offsets[i]! < end) {
      ascending = false;
      break;
    }
    end = offsets[i]! + sizes[i]!;
  }
  if (ascending) return true;
  // Sort (offset, index) pairs packed in doubles: a typed-array sort, no comparator calls. Exact while
  // offset * 2^21 + index < 2^53, i.e. offsets below 4 GiB and fewer than 2^21 writes.
  const SHIFT = 2 ** 21;
  if (n >= SHIFT) return false;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = offsets[i]! * SHIFT + i;
  keys.sort();
  end = 0;
  for (let k = 0; k < n; k++) {
    const i = keys[k]! % SHIFT;
    if (offsets[i]! < end && sizes[i]! > 0) return false;
    end = Math.max(end, offsets[i]! + sizes[i]!);
  }
  return true;
}
