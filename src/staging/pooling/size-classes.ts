/**
 * Size classes of staging chunks: pure math, no GPU.
 *
 * A pool that created a buffer of every requested size would never reuse anything (a 260 KiB upload cannot
 * take a released 256 KiB buffer). Rounding up to a few classes makes released chunks fit later requests:
 * classes double from `minBytes` up to `maxBytes` (at most 2x waste), and above `maxBytes` they grow in
 * steps of `maxBytes` so that a 17 MiB readback does not take 32 MiB.
 */
import { ValidationError } from '../../errors.ts';

/** The class boundaries of one pool. */
export interface SizeClassPolicy {
  /** The smallest chunk, in bytes: a power of two. */
  readonly minBytes: number;
  /** The largest doubling class, in bytes: a power of two >= minBytes. Larger requests step by this size. */
  readonly maxBytes: number;
}

/**
 * True for 1, 2, 4, 8, ... (exact for any safe integer).
 *
 * @example
 * isPowerOfTwo(65536) // true
 * isPowerOfTwo(96) // false
 */
export function isPowerOfTwo(value: number): boolean {
  if (!Number.isSafeInteger(value) || value < 1) return false;
  let v = value;
  while (v % 2 === 0) v /= 2;
  return v === 1;
}

/**
 * The chunk size a request of `bytes` is served with: `minBytes` for small requests, the next power of two
 * up to `maxBytes`, then the next multiple of `maxBytes`.
 *
 * @example
 * const policy = { minBytes: 65536, maxBytes: 1 << 24 };
 * sizeClassOf(256, policy) // 65536
 * sizeClassOf(70_000, policy) // 131072
 * sizeClassOf((1 << 24) + 1, policy) // 33554432 (two steps of 16 MiB)
 */
export function sizeClassOf(bytes: number, policy: SizeClassPolicy): number {
  const { minBytes, maxBytes } = policy;
  if (!(Number.isSafeInteger(bytes) && bytes >= 0)) {
    throw new ValidationError('staging', 'bytes', bytes, 'a chunk request is a safe integer >= 0');
  }
  if (bytes <= minBytes) return minBytes;
  if (bytes > maxBytes) return Math.ceil(bytes / maxBytes) * maxBytes;
  let size = minBytes;
  while (size < bytes) size *= 2;
  return size;
}
