/**
 * Handles: plain numbers, branded by resource kind at the type level.
 *
 * Bit layout of a handle (an integer below 2^53, so it is exact in a double, a `Float64Array`, JSON and
 * `postMessage`):
 *
 * ```
 *   bits 45..52  table tag   (8 bits)  which table issued it: a handle from another manager is rejected
 *   bits 20..44  generation  (25 bits) bumped each time the slot is reused; starts at 1, so 0 is never a handle
 *   bits  0..19  slot index  (20 bits) up to 1,048,576 live entries per table
 * ```
 *
 * The low 20 bits are read with one `&` (JS bitwise ops take the low 32 bits of any integer), so a lookup is
 * one mask, one load and one compare against the handle stored for that slot.
 */

declare const handleKind: unique symbol;

/**
 * A resource handle: a plain number whose type remembers the kind it names.
 * `Handle<'texture'>` is not assignable to `Handle<'buffer'>`.
 *
 * @example
 * const tex: Handle<'texture'> = manager.createTexture({ size: [4, 4], format: 'rgba8unorm', usage });
 * const ids = new Float64Array([tex]); // handles are numbers: store them anywhere
 */
export type Handle<K extends string = string> = number & { readonly [handleKind]: K };

/** Any handle, whatever its kind. */
export type AnyHandle = Handle<string>;

/** Number of bits of the slot index. */
export const INDEX_BITS = 20;
/** Number of bits of the generation. */
export const GENERATION_BITS = 25;
/** Number of bits of the table tag. */
export const TAG_BITS = 8;

/** Mask of the slot index (the low bits). */
export const INDEX_MASK = 2 ** INDEX_BITS - 1;
/** Largest number of slots one table can hold. */
export const MAX_SLOTS = 2 ** INDEX_BITS;
/** Largest generation; a slot whose generation reaches it is retired, never reused. */
export const MAX_GENERATION = 2 ** GENERATION_BITS - 1;
/** Largest table tag. Tag 0 is never issued. */
export const MAX_TAG = 2 ** TAG_BITS - 1;

const GENERATION_SHIFT = 2 ** INDEX_BITS;
const TAG_SHIFT = 2 ** (INDEX_BITS + GENERATION_BITS);

/**
 * Packs a handle from its parts. Callers are the table and tests; users receive handles from the manager.
 *
 * @example
 * packHandle(3, 1, 0) // tag 3, generation 1, slot 0
 */
export function packHandle(tag: number, generation: number, index: number): number {
  return tag * TAG_SHIFT + generation * GENERATION_SHIFT + index;
}

/**
 * Unpacks a handle into its parts, for messages and debugging tools.
 *
 * @example
 * const { tag, generation, index } = unpackHandle(handle);
 */
export function unpackHandle(handle: number): { tag: number; generation: number; index: number } {
  return {
    tag: Math.floor(handle / TAG_SHIFT),
    generation: Math.floor(handle / GENERATION_SHIFT) % (MAX_GENERATION + 1),
    index: handle & INDEX_MASK,
  };
}

/**
 * True when `value` has the shape of a handle (a non-negative safe integer with a non-zero generation).
 * It does not say the handle is live: ask the table.
 *
 * @example
 * isHandleShaped(JSON.parse(message).texture) // validate a handle received from a worker
 */
export function isHandleShaped(value: unknown): value is AnyHandle {
  return (
    typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    value > 0 &&
    unpackHandle(value).generation > 0
  );
}

/**
 * Formats a handle as `#index.vgeneration@tag`, the form used in error messages and dumps.
 *
 * @example
 * formatHandle(handle) // '#12v3@1'
 */
export function formatHandle(handle: number): string {
  if (!isHandleShaped(handle)) return String(handle);
  const { tag, generation, index } = unpackHandle(handle);
  return `#${index}v${generation}@${tag}`;
}
