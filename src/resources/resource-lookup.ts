/**
 * How validation of a descriptor that names other resources (a view's texture, a bind group's buffers) sees
 * them: through a lookup the manager builds over its table. Validation stays a pure function of the
 * descriptor, the capabilities and this lookup; nothing here touches a GPU object.
 */
import type { DescriptorOf, ResourceKind } from '../core/kind-types.ts';
import { ValidationError } from '../errors.ts';
import type { Handle } from '../handles/handle.ts';

/** What the lookup knows of a resource: its kind, its normalized descriptor, and whether it is live. */
export interface LookedUpResource {
  readonly kind: ResourceKind;
  readonly descriptor: unknown;
  readonly label: string;
  readonly state: string;
}

/** A resolved reference: the handle and the descriptor of a live resource of the expected kind. */
export interface Resolved<K extends ResourceKind> {
  readonly handle: Handle<K>;
  readonly descriptor: DescriptorOf<K>;
  readonly label: string;
}

/**
 * Resolves handles named in descriptors. `resolve` demands one kind; `resolveAny` accepts any of `kinds` and
 * says which it was. Both throw `ValidationError` (naming the descriptor's label and the field) for a value
 * that is not a handle, a stale handle, a resource that is not live, or a handle of another kind.
 */
export interface ResourceLookup {
  resolve<K extends ResourceKind>(value: unknown, kind: K, label: string, field: string): Resolved<K>;
  resolveAny<K extends ResourceKind>(
    value: unknown,
    kinds: readonly K[],
    label: string,
    field: string,
  ): { [P in K]: Resolved<P> & { readonly kind: P } }[K];
}

/**
 * Builds a lookup over `find`, which returns the resource a number names (or undefined when it names none).
 *
 * @example
 * const lookup = resourceLookup((h) => registry.current(h)?.record);
 * lookup.resolve(desc.texture, 'texture', label, 'texture').descriptor.format
 */
export function resourceLookup(find: (handle: number) => LookedUpResource | undefined): ResourceLookup {
  const find1 = (value: unknown, expected: string, label: string, field: string) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      throw new ValidationError(label, field, value, `must be a handle of a ${expected} (a number)`);
    }
    let found: LookedUpResource | undefined;
    try {
      found = find(value);
    } catch {
      found = undefined; // a foreign or malformed handle: reported like a stale one, with the rule
    }
    if (!found) {
      throw new ValidationError(
        label,
        field,
        value,
        `must be a live ${expected} of this manager (stale handle)`,
      );
    }
    if (found.state !== 'live') {
      throw new ValidationError(
        label,
        field,
        value,
        `must be a live ${expected} ('${found.label}' is ${found.state})`,
      );
    }
    return found;
  };
  return {
    resolve(value, kind, label, field) {
      const found = find1(value, kind, label, field);
      if (found.kind !== kind) {
        throw new ValidationError(
          label,
          field,
          value,
          `must be a ${kind} ('${found.label}' is a ${found.kind})`,
        );
      }
      return { handle: value as never, descriptor: found.descriptor as never, label: found.label };
    },
    resolveAny(value, kinds, label, field) {
      const expected = kinds.join(' or ');
      const found = find1(value, expected, label, field);
      if (!(kinds as readonly string[]).includes(found.kind)) {
        throw new ValidationError(
          label,
          field,
          value,
          `must be a ${expected} ('${found.label}' is a ${found.kind})`,
        );
      }
      return {
        kind: found.kind,
        handle: value,
        descriptor: found.descriptor,
        label: found.label,
      } as never;
    },
  };
}

/**
 * Reads an optional enum member: `undefined` gives `fallback`; anything but one of `values` is rejected.
 *
 * @example
 * readEnum(desc.magFilter, ['nearest', 'linear'], 'nearest', label, 'magFilter')
 */
export function readEnum<T extends string>(
  value: unknown,
  values: readonly T[],
  fallback: T | undefined,
  label: string,
  field: string,
): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
  const allowed = values.map((v) => `'${v}'`).join(', ');
  throw new ValidationError(
    label,
    field,
    value,
    `must be one of ${allowed}${fallback === undefined ? '' : ` (or omitted for '${fallback}')`}`,
  );
}

/**
 * Reads an optional dictionary member: `undefined` gives `undefined`, an object is returned, anything else
 * (null, a number) is rejected.
 *
 * @example
 * const buffer = readOptionalObject(readMember(entry, 'buffer', label, 'entries[0].buffer'), label, 'entries[0].buffer');
 */
export function readOptionalObject(value: unknown, label: string, field: string): object | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'object' && value !== null) return value;
  throw new ValidationError(label, field, value, 'must be an object, or omitted');
}
