/**
 * Bind groups: descriptor, normalization and validation against their layout, before the GPU sees them (the
 * per-entry matching to the layout is in bind-group-matching.ts).
 * Shared by descriptor (the same layout and the same resources give one bind group, reference-counted), and
 * dependent on everything they reference: while a bind group lives, its buffers, samplers, views and textures
 * cannot be destroyed (unless by cascade), and `use(bindGroup)` marks all of them used.
 */
import type { BackendObjects, BindGroupResource } from '../core/backend.ts';
import type { Capabilities } from '../core/capabilities.ts';
import type { DependencyObjects } from '../core/kinds.ts';
import { ValidationError } from '../errors.ts';
import type { AnyHandle, Handle } from '../handles/handle.ts';
import { readBindGroupEntry } from './bind-group-matching.ts';
import { MAX_UINT32, readDescriptor, readInteger, readMember, readSequence } from './input.ts';
import { readLabel } from './label.ts';
import type { ResourceLookup } from './resource-lookup.ts';

/**
 * What one binding holds: a buffer handle (all of it), a buffer range, a sampler, a texture view, or a texture
 * (its default view).
 */
export type BindingResourceInput =
  | Handle<'buffer'>
  | { buffer: Handle<'buffer'>; offset?: number; size?: number }
  | Handle<'sampler'>
  | Handle<'textureView'>
  | Handle<'texture'>;

/** What a caller asks for. */
export interface BindGroupDescriptor {
  label?: string;
  layout: Handle<'bindGroupLayout'>;
  entries: Iterable<{ binding: number; resource: BindingResourceInput }>;
}

/** A validated entry; buffer ranges are resolved (offset and size in bytes). */
export type NormalizedBindGroupEntry =
  | {
      readonly binding: number;
      readonly type: 'buffer';
      readonly buffer: Handle<'buffer'>;
      readonly offset: number;
      readonly size: number;
    }
  | { readonly binding: number; readonly type: 'sampler'; readonly sampler: Handle<'sampler'> }
  | {
      readonly binding: number;
      readonly type: 'textureView';
      readonly view: Handle<'textureView'>;
      readonly texture: Handle<'texture'>;
    }
  | { readonly binding: number; readonly type: 'texture'; readonly texture: Handle<'texture'> };

/** A validated bind group: entries sorted by binding. */
export interface NormalizedBindGroupDescriptor {
  readonly label: string;
  readonly layout: Handle<'bindGroupLayout'>;
  readonly entries: readonly NormalizedBindGroupEntry[];
  readonly key: string;
}

/**
 * Validates a bind group against its layout (a live bind group layout handle). Rules: every layout binding has
 * exactly one entry and no entry names a binding the layout lacks; each resource is a live handle of this
 * manager of the type the layout says. Buffers: UNIFORM usage for 'uniform', STORAGE for the storage types;
 * `offset` a multiple of minUniformBufferOffsetAlignment / minStorageBufferOffsetAlignment; the range
 * (default: to the end) inside the buffer, not empty, >= minBindingSize, <= maxUniformBufferBindingSize /
 * maxStorageBufferBindingSize, and a multiple of 4 for storage. Samplers: a comparison sampler exactly where
 * the layout says 'comparison'; no filtering sampler in a 'non-filtering' slot. Textures and views:
 * TEXTURE_BINDING usage, view dimension and multisampling as the layout says, one aspect of a depth-stencil
 * format, the sample type compatible with the view's format. Storage textures: STORAGE_BINDING usage, the
 * layout's format and dimension, one mip level. A layout from a pipeline's `'auto'` layout is checked by the
 * GPU for what only the shader knows; the resource, range and alignment rules still apply here.
 *
 * @example
 * normalizeBindGroupDescriptor({ layout, entries: [{ binding: 0, resource: { buffer: uniforms, size: 64 } },
 *   { binding: 1, resource: albedoTexture }, { binding: 2, resource: linearSampler }] }, lookup, caps);
 */
export function normalizeBindGroupDescriptor(
  desc: BindGroupDescriptor,
  lookup: ResourceLookup,
  caps: Capabilities,
): NormalizedBindGroupDescriptor {
  const input = readDescriptor(desc, 'bind group');
  const label = readLabel(input);
  const layout = lookup.resolve(
    readMember(input, 'layout', label, 'layout'),
    'bindGroupLayout',
    label,
    'layout',
  );
  const implicit = layout.descriptor.implicit !== undefined;
  const slots = new Map(layout.descriptor.entries.map((e) => [e.binding, e]));
  const value = readMember(input, 'entries', label, 'entries');
  const items = readSequence(value, label, 'entries', 65536);
  if (items === undefined) {
    throw new ValidationError(
      label,
      'entries',
      value,
      'must be a sequence (an array or iterable) of { binding, resource }',
    );
  }
  const seen = new Map<number, number>();
  const entries = items.map((item, i) => {
    const field = `entries[${i}]`;
    if (typeof item !== 'object' || item === null) {
      throw new ValidationError(label, field, item, 'must be a { binding, resource } object');
    }
    const binding = readInteger(
      readMember(item, 'binding', label, `${field}.binding`),
      label,
      `${field}.binding`,
      0,
      MAX_UINT32,
    );
    const first = seen.get(binding);
    if (first !== undefined) {
      throw new ValidationError(
        label,
        `${field}.binding`,
        binding,
        `must be unique (entries[${first}] has it too)`,
      );
    }
    seen.set(binding, i);
    const slot = slots.get(binding);
    if (!slot && !implicit) {
      const known = [...slots.keys()].join(', ') || 'none';
      throw new ValidationError(
        label,
        `${field}.binding`,
        binding,
        `must be a binding of layout '${layout.label}' (it has ${known})`,
      );
    }
    const resource = readMember(item, 'resource', label, `${field}.resource`);
    return readBindGroupEntry(binding, resource, slot, `${field}.resource`, label, lookup, caps);
  });
  if (!implicit) {
    for (const slot of layout.descriptor.entries) {
      if (!seen.has(slot.binding)) {
        throw new ValidationError(
          label,
          'entries',
          `no entry for binding ${slot.binding}`,
          `must have one entry per binding of layout '${layout.label}' (binding ${slot.binding}, a ${slot.type}, is missing)`,
        );
      }
    }
  }
  entries.sort((a, b) => a.binding - b.binding);
  return Object.freeze({
    label,
    layout: layout.handle,
    entries: Object.freeze(entries),
    key: `${layout.handle}:${JSON.stringify(entries)}`,
  });
}

/**
 * Every handle a bind group references (its layout, buffers, samplers, views and the views' textures), each
 * once: the bind group's dependencies.
 *
 * @example
 * bindGroupDependencies(normalized) // [layout, uniforms, sampler, view, texture]
 */
export function bindGroupDependencies(desc: NormalizedBindGroupDescriptor): AnyHandle[] {
  const handles = new Set<AnyHandle>([desc.layout]);
  for (const entry of desc.entries) {
    if (entry.type === 'buffer') handles.add(entry.buffer);
    else if (entry.type === 'sampler') handles.add(entry.sampler);
    else if (entry.type === 'textureView') {
      handles.add(entry.view);
      handles.add(entry.texture);
    } else handles.add(entry.texture);
  }
  return [...handles];
}

/**
 * The GPU objects a bind group binds, in entry order, from its dependencies' objects.
 *
 * @example
 * backend.createBindGroup(desc, layoutObject, bindGroupResources(desc, dependency));
 */
export function bindGroupResources<B extends BackendObjects>(
  desc: NormalizedBindGroupDescriptor,
  dependency: DependencyObjects<B>,
): BindGroupResource<B>[] {
  return desc.entries.map((e): BindGroupResource<B> => {
    if (e.type === 'buffer') {
      return { binding: e.binding, buffer: dependency(e.buffer, 'buffer'), offset: e.offset, size: e.size };
    }
    if (e.type === 'sampler') return { binding: e.binding, sampler: dependency(e.sampler, 'sampler') };
    if (e.type === 'textureView') return { binding: e.binding, view: dependency(e.view, 'textureView') };
    return { binding: e.binding, texture: dependency(e.texture, 'texture') };
  });
}
