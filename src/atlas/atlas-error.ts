import { AtlasError } from '../errors.ts';

export { AtlasError };

/**
 * Reads one property of a caller's options object, turning a throwing getter (or a Proxy trap) into an
 * {@link AtlasError} so no foreign exception escapes half-way through a call.
 *
 * @example
 * const padding = readOption(options, 'padding', 'glyphs') ?? 1;
 */
export function readOption(options: unknown, name: string, label: string): unknown {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== 'object') {
    throw new AtlasError(label, 'options', options, 'must be an object or undefined');
  }
  try {
    return (options as Record<string, unknown>)[name];
  } catch (cause) {
    throw new AtlasError(label, `options.${name}`, '[getter threw]', 'must be readable', { cause });
  }
}

/**
 * Checks an integer size in [min, max]; throws {@link AtlasError} naming `field` otherwise.
 *
 * @example
 * const width = checkInteger(request.width, 'width', 'glyphs', 1, 1024);
 */
export function checkInteger(value: unknown, field: string, label: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new AtlasError(label, field, value, `must be an integer in [${min}, ${max}]`);
  }
  return value;
}

/**
 * Checks a label: a string, or `fallback` when undefined.
 *
 * @example
 * const label = checkLabel(options.label, 'atlas');
 */
export function checkLabel(value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw new AtlasError(fallback, 'label', value, 'must be a string');
  return value;
}
