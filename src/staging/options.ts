/**
 * Options of the staging pools (upload belt and readback pool), their defaults and their validation: pure.
 */
import { ValidationError } from '../errors.ts';
import { isPowerOfTwo } from './pooling/size-classes.ts';

const MiB = 1 << 20;

/** What a caller may set; every field has a default. Sizes in bytes, times in ms. */
export interface StagingOptions {
  /**
   * Cap on upload chunk bytes (idle + filling + in flight). Past it `upload` waits for chunks the GPU has
   * finished with (back-pressure) instead of allocating more. Default 64 MiB.
   */
  maxUploadBytes?: number;
  /** Cap on readback buffer bytes; past it reads queue until a buffer comes back. Default 64 MiB. */
  maxReadbackBytes?: number;
  /** The smallest upload chunk, a power of two: small writes are packed into chunks of this size. Default 1 MiB. */
  uploadChunkBytes?: number;
  /** The smallest readback buffer, a power of two. Default 4 KiB. */
  readbackChunkBytes?: number;
  /**
   * The largest doubling size class, a power of two <= both caps. Bigger uploads are split into pieces of
   * at most this size; bigger reads take buffers in steps of it. Default min(16 MiB, caps).
   */
  maxChunkBytes?: number;
  /** Idle bytes each pool keeps however long they have been idle (the warm set). Default 4 MiB. */
  keepBytes?: number;
  /** Idle chunks beyond `keepBytes` are destroyed once idle this long (by `trim`, run on each flush). Default 2000. */
  idleMs?: number;
  /**
   * Buffer writes of at least this many bytes skip the staging chunks: they go to `queue.writeBuffer`
   * (WebGPU) or `bufferSubData` (WebGL2) in the `upload` call, which copies the bytes once where staging
   * copies them twice. Such a write lands at once, ahead of work recorded but not yet submitted, as a
   * `queue.writeBuffer` does (a write overlapping staged writes of the same buffer is staged after them
   * instead, so writes still apply in call order). `Infinity` stages every write, for uploads that must land
   * at their place in an encoder (`flush(encoder)`). Default 64 KiB.
   */
  directWriteBytes?: number;
}

/** Options with every default applied, plus the clock. */
export interface NormalizedStagingOptions {
  readonly maxUploadBytes: number;
  readonly maxReadbackBytes: number;
  readonly uploadChunkBytes: number;
  readonly readbackChunkBytes: number;
  readonly maxChunkBytes: number;
  readonly keepBytes: number;
  readonly idleMs: number;
  readonly directWriteBytes: number;
  /** Clock in ms (the manager's, injectable for tests). */
  readonly now: () => number;
}

/** Which idle chunks `trim` destroys: those beyond `keepBytes` (newest kept first) idle for `idleMs` or more. */
export interface TrimPolicy {
  keepBytes?: number;
  idleMs?: number;
}

/**
 * Applies defaults and checks the rules (positive sizes, powers of two for classes, classes within caps).
 * Throws `ValidationError` naming the option.
 *
 * @example
 * normalizeStagingOptions({ maxUploadBytes: 8 << 20 }, () => performance.now()).maxChunkBytes // 8388608
 */
export function normalizeStagingOptions(
  options: StagingOptions = {},
  now: () => number = () => performance.now(),
): NormalizedStagingOptions {
  const maxUploadBytes = positive('maxUploadBytes', options.maxUploadBytes ?? 64 * MiB);
  const maxReadbackBytes = positive('maxReadbackBytes', options.maxReadbackBytes ?? 64 * MiB);
  const cap = Math.min(maxUploadBytes, maxReadbackBytes);
  const maxChunkBytes = powerOfTwo(
    'maxChunkBytes',
    options.maxChunkBytes ?? Math.min(16 * MiB, floorPowerOfTwo(cap)),
  );
  if (maxChunkBytes > cap) {
    invalid('maxChunkBytes', maxChunkBytes, `must be <= maxUploadBytes and maxReadbackBytes (${cap})`);
  }
  const uploadChunkBytes = powerOfTwo(
    'uploadChunkBytes',
    options.uploadChunkBytes ?? Math.min(MiB, maxChunkBytes),
  );
  const readbackChunkBytes = powerOfTwo(
    'readbackChunkBytes',
    options.readbackChunkBytes ?? Math.min(4096, maxChunkBytes),
  );
  if (uploadChunkBytes > maxChunkBytes) {
    invalid('uploadChunkBytes', uploadChunkBytes, `must be <= maxChunkBytes (${maxChunkBytes})`);
  }
  if (readbackChunkBytes > maxChunkBytes) {
    invalid('readbackChunkBytes', readbackChunkBytes, `must be <= maxChunkBytes (${maxChunkBytes})`);
  }
  return {
    maxUploadBytes,
    maxReadbackBytes,
    uploadChunkBytes,
    readbackChunkBytes,
    maxChunkBytes,
    keepBytes: nonNegative('keepBytes', options.keepBytes ?? 4 * MiB),
    idleMs: nonNegative('idleMs', options.idleMs ?? 2000),
    directWriteBytes: nonNegative('directWriteBytes', options.directWriteBytes ?? 64 * 1024),
    now,
  };
}

/**
 * A trim policy with the pool's defaults filled in, checked like the options.
 *
 * @example
 * resolveTrimPolicy({ keepBytes: 0 }, options) // { keepBytes: 0, idleMs: options.idleMs }
 */
export function resolveTrimPolicy(
  policy: TrimPolicy | undefined,
  defaults: NormalizedStagingOptions,
): Required<TrimPolicy> {
  if (policy !== undefined && (typeof policy !== 'object' || policy === null)) {
    throw new ValidationError(
      'trimStaging',
      'policy',
      policy,
      'must be an object { keepBytes?, idleMs? } or omitted',
    );
  }
  const member = (key: 'keepBytes' | 'idleMs'): number | undefined => {
    try {
      return policy?.[key];
    } catch (error) {
      throw new ValidationError(
        'trimStaging',
        `policy.${key}`,
        error,
        'could not be read: its getter or Proxy trap threw',
      );
    }
  };
  return {
    keepBytes: nonNegative('keepBytes', member('keepBytes') ?? defaults.keepBytes),
    idleMs: nonNegative('idleMs', member('idleMs') ?? defaults.idleMs),
  };
}

function floorPowerOfTwo(value: number): number {
  let p = 1;
  while (p * 2 <= value) p *= 2;
  return p;
}

function invalid(field: string, value: unknown, rule: string): never {
  throw new ValidationError('staging options', field, value, rule);
}

function positive(field: string, value: number): number {
  if (!(Number.isSafeInteger(value) && value > 0))
    invalid(field, value, 'must be an integer number of bytes > 0');
  return value;
}

function nonNegative(field: string, value: number): number {
  if (!(value >= 0 && (Number.isSafeInteger(value) || value === Number.POSITIVE_INFINITY))) {
    invalid(field, value, 'must be an integer >= 0 (or Infinity)');
  }
  return value;
}

function powerOfTwo(field: string, value: number): number {
  if (!isPowerOfTwo(value)) invalid(field, value, 'must be a power of two (size classes double from it)');
  return value;
}
