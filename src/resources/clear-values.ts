/**
 * Render target clear values, read as WebGPU's IDL types define them: `GPUColor` is a sequence of exactly
 * four `double`s or a `{ r, g, b, a }` dictionary of required `double`s (finite: `double` rejects NaN and
 * Infinity, and Dawn rejects them too); `depthClearValue` is a finite number, in 0..1 for a format with a depth aspect; `stencilClearValue` a
 * `[EnforceRange] unsigned long`. Nothing is converted: `'1'` and `true` are rejected, and so is a fractional
 * stencil value (WebIDL would truncate it).
 */
import { ValidationError } from '../errors.ts';
import { MAX_UINT32, readFiniteNumber, readInteger, readMember, readSequence } from './input.ts';

/** RGBA clear colour, components in [0, 1] for normalized formats. */
export type ClearColor = readonly [number, number, number, number];

/** A clear colour as a caller may write it: a sequence of four numbers, or `{ r, g, b, a }`. */
export type ClearColorInput = Iterable<number> | { r: number; g: number; b: number; a: number };

/** The default colour clear value: transparent black, as in WebGPU. */
export const TRANSPARENT_BLACK: ClearColor = Object.freeze([0, 0, 0, 0]) as unknown as ClearColor;

/**
 * Reads a clear colour into a frozen `[r, g, b, a]`; `undefined` gives transparent black.
 *
 * @example
 * readClearColor({ r: 1, g: 0, b: 0, a: 1 }, 'scene', 'color[0].clearValue') // [1, 0, 0, 1]
 * readClearColor([0, 0, 0], 'scene', 'color[0].clearValue') // throws: must have exactly 4 components
 */
export function readClearColor(value: unknown, label: string, field: string): ClearColor {
  if (value === undefined) return TRANSPARENT_BLACK;
  const sequence = readSequence(value, label, field, 16);
  let components: unknown[];
  if (sequence !== undefined) {
    if (sequence.length !== 4) {
      throw new ValidationError(
        label,
        field,
        value,
        `must have exactly 4 components [r, g, b, a] (has ${sequence.length})`,
      );
    }
    components = sequence;
  } else if (typeof value === 'object' && value !== null) {
    components = (['r', 'g', 'b', 'a'] as const).map((key) => {
      const component = readMember(value, key, label, `${field}.${key}`);
      if (component === undefined) {
        throw new ValidationError(
          label,
          `${field}.${key}`,
          component,
          'is required in the { r, g, b, a } form',
        );
      }
      return component;
    });
  } else {
    throw new ValidationError(
      label,
      field,
      value,
      'must be a sequence of 4 numbers [r, g, b, a] or a { r, g, b, a } object',
    );
  }
  const names = sequence !== undefined ? ['[0]', '[1]', '[2]', '[3]'] : ['.r', '.g', '.b', '.a'];
  const color = components.map((c, i) => readFiniteNumber(c, label, `${field}${names[i]}`));
  return Object.freeze(color) as unknown as ClearColor;
}

/**
 * Reads a depth clear value; `undefined` gives 1 (the far plane, the usual clear). It must be finite, and in
 * 0..1 when the attachment has a depth aspect (`hasDepth`).
 *
 * @example
 * readDepthClearValue(0, 'scene', 'depthStencil.depthClearValue', true) // 0 (reversed-Z)
 */
export function readDepthClearValue(value: unknown, label: string, field: string, hasDepth: boolean): number {
  if (value === undefined) return 1;
  const depth = readFiniteNumber(value, label, field);
  // WebGPU checks the range only where it is used: a stencil-only format ignores the depth clear value.
  if (hasDepth && (depth < 0 || depth > 1)) {
    throw new ValidationError(
      label,
      field,
      depth,
      'must be between 0 and 1 for a format with a depth aspect',
    );
  }
  return depth;
}

/**
 * Reads a stencil clear value; `undefined` gives 0. Values above the format's stencil bits are masked by
 * the GPU, as in WebGPU.
 *
 * @example
 * readStencilClearValue(255, 'scene', 'depthStencil.stencilClearValue') // 255
 */
export function readStencilClearValue(value: unknown, label: string, field: string): number {
  if (value === undefined) return 0;
  return readInteger(value, label, field, 0, MAX_UINT32);
}
