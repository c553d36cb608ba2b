/**
 * Reading an options bag that may be any JS value: `null`, a number, a Proxy whose traps throw, an object with
 * throwing getters. Each field is read once (a getter cannot answer differently to the check and to the use),
 * and every failure becomes a ValidationError naming the owner, the field and the rule, before the caller has
 * created, subscribed or scheduled anything.
 */
import { describeValue, ValidationError } from '../errors.ts';

/** An options bag after {@link readOptionBag}: its fields can only be read through {@link readOption}. */
export interface OptionBag {
  /** Who owns the options, for messages (`'resource pool'`, `'ttl cache'`...). */
  readonly owner: string;
  /** Prefixed to every field's name in messages (`'options.'`, or `''` for top-level names). */
  readonly prefix: string;
  readonly value: object | undefined;
}

/**
 * Checks that `value` (the argument called `name`) is an options object; `undefined` is allowed unless
 * `required`. Functions are refused: an options bag is a plain record.
 *
 * @throws ValidationError when `value` is `null`, a primitive, a function, or `undefined` while required.
 * @example
 * const bag = readOptionBag('ttl cache', 'options', options, true);
 * const ttlMs = readOption(bag, 'ttlMs'); // messages name it 'ttlMs'; pass prefix 'options.' for 'options.ttlMs'
 */
export function readOptionBag(
  owner: string,
  name: string,
  value: unknown,
  required: boolean,
  prefix = '',
): OptionBag {
  if (value === undefined && !required) return { owner, prefix, value: undefined };
  if (typeof value !== 'object' || value === null) {
    throw new ValidationError(
      owner,
      name,
      value,
      required ? 'must be an options object' : 'must be an options object or undefined',
    );
  }
  return { owner, prefix, value };
}

/**
 * Reads one field of a bag. A getter or Proxy trap that throws becomes a ValidationError (its error is the
 * `cause`); a missing bag reads as `undefined`.
 *
 * @example
 * const label = readOption(bag, 'label'); // unknown: check it before use
 */
export function readOption(bag: OptionBag, key: string): unknown {
  if (bag.value === undefined) return undefined;
  return readField(bag.owner, bag.value, key, bag.prefix);
}

/**
 * {@link readOption} without a bag, for hot paths: reads `value[key]` once; a getter or Proxy trap that throws
 * becomes the same ValidationError, naming `owner` and `prefix + key`.
 *
 * @example
 * const content = readField('albedo', descriptor, 'content');
 */
export function readField(owner: string, value: object, key: string, prefix = ''): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch (error) {
    const failure = new ValidationError(
      owner,
      `${prefix}${key}`,
      undefined,
      `reading it threw ${describeThrown(error)}; options must be plain data`,
    );
    (failure as { cause?: unknown }).cause = error;
    throw failure;
  }
}

/** The field name used in messages: `ttlMs`, or `options.ttlMs` with a prefix. @example fieldName(bag, 'ttlMs') */
export function fieldName(bag: OptionBag, key: string): string {
  return `${bag.prefix}${key}`;
}

/** A thrown value, described without ever throwing itself. */
function describeThrown(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${describeValue(error.message)}`;
  } catch {
    // A hostile error object: fall through to the generic description.
  }
  return describeValue(error);
}
