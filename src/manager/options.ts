import { type BudgetPolicy, readBudgetOptions } from '../budget/budget-policy.ts';
import { ValidationError } from '../errors.ts';
import type { ListenerErrorSink } from '../events.ts';
import { readOption, readOptionBag } from '../monitor/read-options.ts';
import type { StagingOptions } from '../staging/options.ts';
import { sharedTaskClock } from './task-clock.ts';
import type { ManagerConstruction } from './types.ts';

/** Manager options after validation, with defaults applied. */
export interface ReadManagerOptions {
  readonly capacity: number | undefined;
  readonly debug: boolean;
  readonly now: () => number;
  readonly staging: StagingOptions | undefined;
  readonly onListenerError: ListenerErrorSink | undefined;
  readonly budget: BudgetPolicy | undefined;
  readonly restore: (() => Promise<unknown>) | undefined;
}

const OWNER = 'resource manager';

/**
 * Reads and checks a manager's options (any JS value may arrive): each field once, typed errors naming it.
 *
 * @example
 * const { debug, now } = readManagerOptions({ debug: true });
 */
export function readManagerOptions(options: ManagerConstruction | undefined): ReadManagerOptions {
  const bag = readOptionBag(OWNER, 'options', options, false, 'options.');
  const capacity = readOption(bag, 'capacity');
  if (
    capacity !== undefined &&
    (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 1)
  ) {
    throw new ValidationError(OWNER, 'options.capacity', capacity, 'must be an integer >= 1, or omitted');
  }
  const debug = readOption(bag, 'debug') ?? false;
  if (typeof debug !== 'boolean') {
    throw new ValidationError(OWNER, 'options.debug', debug, 'must be a boolean, or omitted');
  }
  const now = readOption(bag, 'now');
  if (now !== undefined && typeof now !== 'function') {
    throw new ValidationError(OWNER, 'options.now', now, 'must be a function returning milliseconds');
  }
  const sink = readOption(bag, 'onListenerError');
  if (sink !== undefined && typeof sink !== 'function') {
    throw new ValidationError(
      OWNER,
      'options.onListenerError',
      sink,
      'must be a function (error, eventName)',
    );
  }
  const restore = readOption(bag, 'restore');
  if (restore !== undefined && typeof restore !== 'function') {
    throw new ValidationError(OWNER, 'options.restore', restore, 'must be a function returning a promise');
  }
  return {
    budget: readBudgetOptions(readOption(bag, 'budget')),
    restore: restore as (() => Promise<unknown>) | undefined,
    capacity,
    debug,
    now: (now as (() => number) | undefined) ?? sharedTaskClock,
    staging: readOption(bag, 'staging') as StagingOptions | undefined,
    onListenerError: sink as ListenerErrorSink | undefined,
  };
}
