/**
 * The one rule for resource labels, shared by every kind's normalization.
 *
 * A label travels to the GPU API (`GPUObjectBase.label`), into error messages, dumps and the overlay. Dawn's
 * Node binding aborts the whole process on a label it cannot convert (a Symbol, a throwing Proxy, an object
 * whose `toString` throws), and a browser would silently call `toString()` on an object. So gpu-handles takes
 * exactly what WebGPU's `USVString` means without conversions: a label is a string, or not given.
 */
import { ValidationError } from '../errors.ts';
import { readMember } from './input.ts';

/**
 * Normalizes a label value: `undefined` becomes `''` (unlabelled); a string is kept as it is; anything else
 * (a number, `null`, an object, a Symbol, a Proxy) throws `ValidationError` with field `label`, and nothing
 * is converted, so no user code (`toString`, getters, Proxy traps) ever runs.
 *
 * @example
 * normalizeLabel(undefined) // ''
 * normalizeLabel('albedo') // 'albedo'
 * normalizeLabel(42) // throws ValidationError: (unlabelled resource): label = 42 is invalid: must be a string ...
 */
export function normalizeLabel(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  throw new ValidationError('', 'label', value, 'must be a string or undefined');
}

/**
 * Reads `descriptor.label` once (a throwing getter becomes a `ValidationError`) and normalizes it with
 * {@link normalizeLabel}. Every `normalize*Descriptor` calls it first, so later errors can name the label.
 *
 * @example
 * const label = readLabel(desc); // '' when desc.label is undefined
 */
export function readLabel(descriptor: object): string {
  return normalizeLabel(readMember(descriptor, 'label', '', 'label'));
}
