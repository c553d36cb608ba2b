import { ValidationError } from '../errors.ts';
import { readOption, readOptionBag } from '../monitor/read-options.ts';

/** `createResourceManager({ budget })`: keep GPU bytes within `bytes` by evicting `evictable` resources. */
export interface BudgetOptions {
  /** The byte budget for everything the manager holds on the GPU (resources, staging, pending frees). */
  bytes: number;
  /**
   * A create that cannot fit after evicting throws `BudgetExceededError` (like VMA's `WITHIN_BUDGET`); by
   * default it succeeds and emits `overBudget`.
   */
  strict?: boolean;
  /** Most evictions in one frame (default 32, as WebRender's texture cache). */
  maxEvictionsPerFrame?: number;
  /**
   * Idle frames a resource needs before it may be evicted at low pressure (default 400). The need falls to 2
   * frames (never what this or the previous frame used) as usage rises from 70% to 100% of the budget.
   */
  maxIdleFrames?: number;
}

/** Budget options after validation. */
export interface BudgetPolicy {
  readonly bytes: number;
  readonly strict: boolean;
  readonly maxEvictionsPerFrame: number;
  readonly maxIdleFrames: number;
}

/** Usage below this share of the budget never evicts at frame ends. */
export const PRESSURE_START = 0.7;
/** What a create may take from the current or previous frame: nothing. */
export const MIN_IDLE_FRAMES = 2;

/**
 * Reads `budget` options (any JS value).
 *
 * @example
 * readBudgetOptions({ bytes: 256 * 2 ** 20 }) // { bytes: 268435456, strict: false, maxEvictionsPerFrame: 32, ... }
 */
export function readBudgetOptions(options: unknown): BudgetPolicy | undefined {
  if (options === undefined) return undefined;
  const bag = readOptionBag('resource manager', 'options.budget', options, true, 'options.budget.');
  const bytes = readOption(bag, 'bytes');
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 1) {
    throw new ValidationError('resource manager', 'options.budget.bytes', bytes, 'must be an integer >= 1');
  }
  const strict = readOption(bag, 'strict') ?? false;
  if (typeof strict !== 'boolean') {
    throw new ValidationError('resource manager', 'options.budget.strict', strict, 'must be a boolean');
  }
  const count = (key: string, fallback: number, min: number): number => {
    const value = readOption(bag, key) ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 1_000_000) {
      throw new ValidationError(
        'resource manager',
        `options.budget.${key}`,
        value,
        `must be an integer ${min}..1000000`,
      );
    }
    return value;
  };
  return {
    bytes,
    strict,
    maxEvictionsPerFrame: count('maxEvictionsPerFrame', 32, 1),
    maxIdleFrames: count('maxIdleFrames', 400, MIN_IDLE_FRAMES),
  };
}

/**
 * Idle frames needed to evict at `pressure` (resident / budget): `maxIdleFrames` at 70% and below (frame ends
 * evict nothing there), falling linearly to {@link MIN_IDLE_FRAMES} at 100% and above.
 *
 * @example
 * requiredIdleFrames(1.2, policy) // 2
 */
export function requiredIdleFrames(pressure: number, policy: BudgetPolicy): number {
  if (pressure >= 1) return MIN_IDLE_FRAMES;
  if (pressure <= PRESSURE_START) return policy.maxIdleFrames;
  const t = (pressure - PRESSURE_START) / (1 - PRESSURE_START);
  return Math.max(
    MIN_IDLE_FRAMES,
    Math.round(policy.maxIdleFrames + (MIN_IDLE_FRAMES - policy.maxIdleFrames) * t),
  );
}
