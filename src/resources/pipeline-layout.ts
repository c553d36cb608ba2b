/**
 * Pipeline layouts: an ordered list of bind group layout handles, validated together against the device's
 * limits. Shared by descriptor (the layout handles are the key); a pipeline layout depends on its layouts.
 */
import type { Capabilities } from '../core/capabilities.ts';
import { ValidationError } from '../errors.ts';
import type { Handle } from '../handles/handle.ts';
import { checkBindingLimits } from './binding-limits.ts';
import { readDescriptor, readMember, readSequence } from './input.ts';
import { readLabel } from './label.ts';
import type { ResourceLookup } from './resource-lookup.ts';

/** What a caller asks for: group `i` of the pipeline uses `bindGroupLayouts[i]`. */
export interface PipelineLayoutDescriptor {
  label?: string;
  bindGroupLayouts: Iterable<Handle<'bindGroupLayout'>>;
}

/** A validated pipeline layout. */
export interface NormalizedPipelineLayoutDescriptor {
  readonly label: string;
  readonly bindGroupLayouts: readonly Handle<'bindGroupLayout'>[];
  readonly key: string;
}

/**
 * Validates a pipeline layout. Rules: `bindGroupLayouts` a sequence of at most maxBindGroups live bind group
 * layout handles of this manager, none made by a pipeline's `'auto'` layout; together their bindings fit the
 * per-stage limits and the dynamic-offset limits (see `checkBindingLimits`).
 *
 * @example
 * normalizePipelineLayoutDescriptor({ bindGroupLayouts: [frameLayout, materialLayout] }, lookup, caps);
 */
export function normalizePipelineLayoutDescriptor(
  desc: PipelineLayoutDescriptor,
  lookup: ResourceLookup,
  caps: Capabilities,
): NormalizedPipelineLayoutDescriptor {
  const input = readDescriptor(desc, 'pipeline layout');
  const label = readLabel(input);
  const value = readMember(input, 'bindGroupLayouts', label, 'bindGroupLayouts');
  const max = caps.limits.maxBindGroups;
  const items = readSequence(value, label, 'bindGroupLayouts', 1024);
  if (items === undefined) {
    throw new ValidationError(
      label,
      'bindGroupLayouts',
      value,
      'must be a sequence of bind group layout handles',
    );
  }
  if (items.length > max) {
    throw new ValidationError(
      label,
      'bindGroupLayouts.length',
      items.length,
      `must be <= maxBindGroups (${max})`,
    );
  }
  const layouts = items.map((item, i) => {
    const field = `bindGroupLayouts[${i}]`;
    const layout = lookup.resolve(item, 'bindGroupLayout', label, field);
    if (layout.descriptor.implicit) {
      throw new ValidationError(
        label,
        field,
        item,
        "must be an explicit bind group layout (one made by a pipeline's 'auto' layout belongs to that pipeline)",
      );
    }
    return layout;
  });
  checkBindingLimits(
    layouts.map((l) => l.descriptor.entries),
    caps,
    label,
    'bindGroupLayouts',
  );
  const bindGroupLayouts = Object.freeze(layouts.map((l) => l.handle));
  return Object.freeze({ label, bindGroupLayouts, key: bindGroupLayouts.join(',') });
}
