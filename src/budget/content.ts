import { ValidationError } from '../errors.ts';
import type { AnyHandle } from '../handles/handle.ts';
import { readField, readOption, readOptionBag } from '../monitor/read-options.ts';

/**
 * How a resource's contents come back after its GPU object was freed (eviction) or lost with its device:
 * - `'keep'`: the manager keeps a CPU copy of what was uploaded through it (counted in host bytes, never in
 *   GPU totals) and uploads it again;
 * - `{ restore }`: a loader called with the handle resolves with the data (a buffer's bytes from offset 0; a
 *   texture's mip level 0, tight rows, layers back to back) and the manager uploads it;
 * - `{ regenerate }`: the owner re-renders or re-computes it (render targets, GPU-written buffers) once the
 *   GPU object exists again;
 * - omitted: the resource comes back empty and is listed as such.
 */
export type ContentSource =
  | 'keep'
  | { readonly restore: (handle: AnyHandle) => Promise<ArrayBufferView | ArrayBufferLike> }
  | { readonly regenerate: (handle: AnyHandle) => void | Promise<void> };

/** Whether a resource may be evicted to keep the manager within its budget. */
export type ResidencyClass = 'pinned' | 'evictable';

/** Residency fields a texture or buffer descriptor may carry. */
export interface ResidencyOptions {
  /** How its contents come back (see {@link ContentSource}); needed for `residency: 'evictable'`. */
  content?: ContentSource;
  /** `'pinned'` (default: never evicted) or `'evictable'` (needs `content`). */
  residency?: ResidencyClass;
}

/** What a create call said about residency, validated. */
export interface ResidencyChoice {
  readonly content: ContentSource | undefined;
  readonly evictable: boolean;
}

/** No content source and pinned: what most resources are (shared, never allocated per create). */
export const PINNED_WITHOUT_CONTENT: ResidencyChoice = Object.freeze({
  content: undefined,
  evictable: false,
});

/**
 * Reads `content` and `residency` from a create descriptor (any JS value; each field read once).
 *
 * @example
 * readResidency('albedo', { content: 'keep', residency: 'evictable' }) // { content: 'keep', evictable: true }
 */
export function readResidency(label: string, desc: unknown): ResidencyChoice {
  if (typeof desc !== 'object' || desc === null) return PINNED_WITHOUT_CONTENT;
  // Read without an options bag: most creates name neither field, and this runs on every one.
  const content = readField(label, desc, 'content');
  const residency = readField(label, desc, 'residency');
  if (content === undefined && residency === undefined) return PINNED_WITHOUT_CONTENT;
  const source = readContent(label, content);
  if (residency !== undefined && residency !== 'pinned' && residency !== 'evictable') {
    throw new ValidationError(label, 'residency', residency, "must be 'pinned' or 'evictable'");
  }
  if (residency === 'evictable' && source === undefined) {
    throw new ValidationError(
      label,
      'residency',
      residency,
      "an evictable resource needs a content source ('keep', { restore }, or { regenerate })",
    );
  }
  return { content: source, evictable: residency === 'evictable' };
}

function readContent(label: string, content: unknown): ContentSource | undefined {
  if (content === undefined || content === 'keep') return content;
  const rule = "must be 'keep', { restore: async (handle) => data }, or { regenerate: (handle) => void }";
  if (typeof content !== 'object' || content === null)
    throw new ValidationError(label, 'content', content, rule);
  const bag = readOptionBag(label, 'content', content, true, 'content.');
  const restore = readOption(bag, 'restore');
  const regenerate = readOption(bag, 'regenerate');
  if (typeof restore === 'function' && regenerate === undefined) {
    return { restore: restore as (handle: AnyHandle) => Promise<ArrayBufferView> };
  }
  if (typeof regenerate === 'function' && restore === undefined) {
    return { regenerate: regenerate as (handle: AnyHandle) => void };
  }
  throw new ValidationError(label, 'content', content, rule);
}
