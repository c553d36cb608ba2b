/**
 * Groups the ranges of a multi-buffer read so each group fits one readback buffer: a group's ranges are laid
 * back to back (each a multiple of 4 bytes, as copies require), and a new group starts where the next range
 * would pass `maxBytes`. A range larger than `maxBytes` is a group of its own (the read then fails on the cap
 * rule, as a single read would).
 */

/** One group: the indices `[start, end)` of its ranges, where each range lands, and its total bytes. */
export interface ReadGroup {
  readonly start: number;
  readonly end: number;
  /** Byte offset of each range of the group in the group's readback buffer. */
  readonly offsets: readonly number[];
  readonly bytes: number;
}

/**
 * Splits ranges of `sizes[i]` bytes, in order, into groups of at most `maxBytes`.
 *
 * @example
 * groupReads([64, 64, 64], 128) // [{ start: 0, end: 2, offsets: [0, 64], bytes: 128 }, { start: 2, end: 3, offsets: [0], bytes: 64 }]
 */
export function groupReads(sizes: readonly number[], maxBytes: number): ReadGroup[] {
  const groups: ReadGroup[] = [];
  let start = 0;
  let offsets: number[] = [];
  let bytes = 0;
  for (let i = 0; i < sizes.length; i++) {
    const size = sizes[i]!;
    if (offsets.length > 0 && bytes + size > maxBytes) {
      groups.push({ start, end: i, offsets, bytes });
      start = i;
      offsets = [];
      bytes = 0;
    }
    offsets.push(bytes);
    bytes += size;
  }
  if (offsets.length > 0) groups.push({ start, end: sizes.length, offsets, bytes });
  return groups;
}
