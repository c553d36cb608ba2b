/**
 * Readers for untrusted descriptor input, shared by every kind's normalization. Any JavaScript value may
 * arrive (null, NaN, Symbols, Proxies, throwing getters, endless iterators); each reader reads a member or
 * element exactly once, never converts (no `toString`, no `valueOf`), and turns every problem into a
 * `ValidationError` that names the field, the value and the rule.
 *
 * Where WebIDL would convert (a numeric string or a boolean to a number, a fraction truncated, any value to
 * a boolean) these readers reject with a typed error instead: a value of the wrong JavaScript type is almost
 * always a bug, and Dawn's Node binding does not convert either.
 */
import { describeValue, ValidationError } from '../errors.ts';

/**
 * Checks that a create call received a descriptor object. WebIDL would turn `undefined`/`null` into an empty
 * dictionary and then fail on its first required member; this names the real problem instead.
 *
 * @example
 * const desc = readDescriptor(input, 'texture'); // throws for null, 4, 'x'
 */
export function readDescriptor(value: unknown, kind: string): object {
  if (typeof value === 'object' && value !== null) return value;
  throw new ValidationError('', 'descriptor', value, `must be a ${kind} descriptor object`);
}

/**
 * Reads `owner[key]` once; a throwing getter or Proxy trap becomes a `ValidationError` for `field`.
 *
 * @example
 * const size = readMember(desc, 'size', label, 'size');
 */
export function readMember(owner: object, key: string, label: string, field: string): unknown {
  try {
    return (owner as Record<string, unknown>)[key];
  } catch (error) {
    throw new ValidationError(label, field, error, 'could not be read: its getter or Proxy trap threw');
  }
}

/**
 * Reads a WebIDL-like `sequence<T>`: an array, or any other iterable object (a typed array, a Set), into a
 * plain array of at most `maxLength` elements. Returns `undefined` when the value is not iterable (strings are
 * not sequences), so the caller can try another form or report its own rule. An array's holes read as
 * `undefined`. Iteration stops after `maxLength + 1` elements, so an endless iterator cannot hang.
 *
 * @example
 * readSequence(new Uint32Array([4, 4]), label, 'size', 3) // [4, 4]
 * readSequence(new Set(['rgba8unorm']), label, 'viewFormats', 64) // ['rgba8unorm']
 * readSequence({ width: 4 }, label, 'size', 3) // undefined
 */
export function readSequence(
  value: unknown,
  label: string,
  field: string,
  maxLength: number,
): unknown[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  // Our own errors pass through the catch below; anything else thrown while reading is the value's fault.
  // (`instanceof` is avoided there: a thrown Proxy can make it throw.) No closure is made here: this runs on
  // every texture create.
  let own: ValidationError | undefined;
  try {
    if (Array.isArray(value)) {
      const array = value as readonly unknown[];
      const length = array.length;
      if (length > maxLength) {
        own = sequenceTooLong(label, field, maxLength, length);
        throw own;
      }
      const items = new Array<unknown>(length);
      for (let i = 0; i < length; i++) items[i] = array[i];
      return items;
    }
    const iterate = (value as { [Symbol.iterator]?: unknown })[Symbol.iterator];
    if (iterate === undefined || iterate === null) return undefined;
    if (typeof iterate !== 'function') {
      own = new ValidationError(label, field, value, 'must be an array or an iterable object');
      throw own;
    }
    const items: unknown[] = [];
    for (const item of value as Iterable<unknown>) {
      if (items.length === maxLength) {
        own = sequenceTooLong(label, field, maxLength, `more than ${maxLength}`);
        throw own;
      }
      items.push(item);
    }
    return items;
  } catch (error) {
    if (error === own) throw error;
    // describeValue never throws, even for an error object with hostile getters.
    const rule = `could not be read as a sequence (reading it threw ${describeValue(error)})`;
    throw new ValidationError(label, field, value, rule);
  }
}

function sequenceTooLong(
  label: string,
  field: string,
  maxLength: number,
  length: number | string,
): ValidationError {
  return new ValidationError(label, `${field}.length`, length, `must be <= ${maxLength}`);
}

/**
 * Reads an integer member: a `number` that is an integer in `[min, max]`. Nothing is converted: `'4'`, `true`,
 * `null`, `4.5`, `NaN` and `Infinity` are rejected (WebIDL would convert the first three and truncate the
 * fourth; `[EnforceRange]` rejects the rest).
 *
 * @example
 * readInteger(desc.width, label, 'size.width', 1, 2 ** 32 - 1) // desc.width, or throws
 */
export function readInteger(value: unknown, label: string, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `>= ${min} and <= ${max}`;
    throw new ValidationError(label, field, value, `must be an integer ${range}`);
  }
  return value;
}

/**
 * Reads an optional boolean member: `undefined` gives `fallback`; anything but `true`/`false` is rejected
 * (WebIDL would convert any value to a boolean, so `'false'` would mean true).
 *
 * @example
 * readOptionalBoolean(desc.mappedAtCreation, label, 'mappedAtCreation', false)
 */
export function readOptionalBoolean(
  value: unknown,
  label: string,
  field: string,
  fallback: boolean,
): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw new ValidationError(label, field, value, 'must be true, false or undefined');
}

/**
 * Reads a finite number (WebIDL `double`, which rejects NaN and Infinity); nothing is converted.
 *
 * @example
 * readFiniteNumber(color.r, label, 'color[0].clearValue.r')
 */
export function readFiniteNumber(value: unknown, label: string, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(label, field, value, 'must be a finite number');
  }
  return value;
}

/** Largest value of a WebIDL `unsigned long` (GPUSize32, GPUIntegerCoordinate, GPUFlagsConstant). */
export const MAX_UINT32 = 2 ** 32 - 1;
