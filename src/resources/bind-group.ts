/**
 * Bind groups: descriptor, normalization and validation against their layout, before the GPU sees them.
 * Shared by descriptor (the same layout and the same resources give one bind group, reference-counted), and
 * dependent on everything they reference: while a bind group lives, its buffers, samplers, views and textures
 * cannot be destroyed (unless by cascade), and `use(bindGroup)` marks all of them used.
 */
import type { BackendObjects, BindGroupResource } from '../core/backend.ts';
import type { Capabilities } from '../core/capabilities.ts';
import type { DependencyObjects } from '../core/kinds.ts';
import { ValidationError } from '../errors.ts';
import type { AnyHandle, Handle } from '../handles/handle.ts';
import type { NormalizedLayoutEntry } from './bind-group-layout.ts';
import type { NormalizedBufferDescriptor } from './buffer.ts';
import { getFormatInfo, isFilterable } from './formats.ts';
import { MAX_UINT32, readDescriptor, readInteger, readMember, readSequence } from './input.ts';
import { readLabel } from './label.ts';
import type { ResourceLookup } from './resource-lookup.ts';
import { isFilteringSampler } from './sampler.ts';
import type { NormalizedTextureDescriptor } from './texture.ts';
import { type NormalizedTextureViewDescriptor, normalizeTextureViewDescriptor } from './texture-view.ts';
import { BufferUsage, TextureUsage } from './usage.ts';

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

const RESOURCE_KINDS = ['buffer', 'sampler', 'textureView', 'texture'] as const;

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
    return readEntry(binding, resource, slot, `${field}.resource`, label, lookup, caps);
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

function readEntry(
  binding: number,
  resource: unknown,
  slot: NormalizedLayoutEntry | undefined,
  field: string,
  label: string,
  lookup: ResourceLookup,
  caps: Capabilities,
): NormalizedBindGroupEntry {
  const fail = (f: string, value: unknown, rule: string): never => {
    throw new ValidationError(label, f, value, rule);
  };
  const wants = slot?.type;
  if (typeof resource === 'object' && resource !== null) {
    const member = (key: string) => readMember(resource, key, label, `${field}.${key}`);
    const buffer = lookup.resolve(member('buffer'), 'buffer', label, `${field}.buffer`);
    return bufferEntry(binding, buffer, member('offset'), member('size'), slot, field, label, caps);
  }
  const found = lookup.resolveAny(resource, RESOURCE_KINDS, label, field);
  if (wants !== undefined) {
    const expected = {
      buffer: ['buffer'],
      sampler: ['sampler'],
      texture: ['texture', 'textureView'],
      storageTexture: ['texture', 'textureView'],
    }[wants];
    if (!expected.includes(found.kind)) {
      fail(
        field,
        resource,
        `must be a ${expected.join(' or ')} for binding ${binding} (the layout has a ${wants} there; '${found.label}' is a ${found.kind})`,
      );
    }
  }
  switch (found.kind) {
    case 'buffer':
      return bufferEntry(binding, found, undefined, undefined, slot, field, label, caps);
    case 'sampler': {
      const sampler = found.descriptor;
      if (slot?.type === 'sampler') {
        const comparison = sampler.compare !== undefined;
        if (slot.samplerType === 'comparison' && !comparison) {
          fail(
            field,
            resource,
            `must be a comparison sampler (with compare) for binding ${binding}, whose layout type is 'comparison'`,
          );
        }
        if (slot.samplerType !== 'comparison' && comparison) {
          fail(
            field,
            resource,
            `must not be a comparison sampler for binding ${binding} (layout type '${slot.samplerType}')`,
          );
        }
        if (slot.samplerType === 'non-filtering' && isFilteringSampler(sampler)) {
          fail(
            field,
            resource,
            `must not filter (no 'linear' filter) for binding ${binding}, whose layout type is 'non-filtering'`,
          );
        }
      }
      return { binding, type: 'sampler', sampler: found.handle };
    }
    case 'textureView': {
      const view = found.descriptor;
      const texture = lookup.resolve(view.texture, 'texture', label, `${field} (its texture)`);
      if (slot) checkTexture(slot, view, texture.descriptor, `view '${found.label}'`, field, label, caps);
      return { binding, type: 'textureView', view: found.handle, texture: view.texture };
    }
    case 'texture': {
      const view = normalizeTextureViewDescriptor(found.handle, undefined, lookup, caps);
      if (slot)
        checkTexture(
          slot,
          view,
          found.descriptor,
          `the default view of texture '${found.label}'`,
          field,
          label,
          caps,
        );
      return { binding, type: 'texture', texture: found.handle };
    }
  }
}

function bufferEntry(
  binding: number,
  buffer: { handle: Handle<'buffer'>; descriptor: NormalizedBufferDescriptor; label: string },
  offsetInput: unknown,
  sizeInput: unknown,
  slot: NormalizedLayoutEntry | undefined,
  field: string,
  label: string,
  caps: Capabilities,
): NormalizedBindGroupEntry {
  const fail = (f: string, value: unknown, rule: string): never => {
    throw new ValidationError(label, f, value, rule);
  };
  const b = buffer.descriptor;
  const named = `buffer '${buffer.label}'`;
  if (slot && slot.type !== 'buffer') {
    fail(
      field,
      buffer.handle,
      `must not be a buffer for binding ${binding} (the layout has a ${slot.type} there)`,
    );
  }
  const type = slot?.type === 'buffer' ? slot.bufferType : undefined;
  const uniform = type === 'uniform';
  const { limits } = caps;
  const offset =
    offsetInput === undefined
      ? 0
      : readInteger(offsetInput, label, `${field}.offset`, 0, Number.MAX_SAFE_INTEGER);
  const alignment = uniform ? limits.minUniformBufferOffsetAlignment : limits.minStorageBufferOffsetAlignment;
  const alignmentName = uniform ? 'minUniformBufferOffsetAlignment' : 'minStorageBufferOffsetAlignment';
  if (type !== undefined && offset % alignment !== 0) {
    fail(`${field}.offset`, offset, `must be a multiple of ${alignmentName} (${alignment})`);
  }
  if (offset > b.size) fail(`${field}.offset`, offset, `must be <= the size of ${named} (${b.size})`);
  const size =
    sizeInput === undefined
      ? b.size - offset
      : readInteger(sizeInput, label, `${field}.size`, 0, Number.MAX_SAFE_INTEGER);
  if (size === 0) fail(`${field}.size`, size, `must be >= 1: the bound range of ${named} is empty`);
  if (offset + size > b.size) {
    fail(`${field}.size`, size, `must fit ${named}: offset (${offset}) + size must be <= ${b.size}`);
  }
  if (type !== undefined) {
    const usage = uniform ? BufferUsage.UNIFORM : BufferUsage.STORAGE;
    if (!(b.usage & usage)) {
      fail(
        field,
        buffer.handle,
        `${named} must have ${uniform ? 'UNIFORM' : 'STORAGE'} usage for binding ${binding} (layout type '${type}')`,
      );
    }
    const maxName = uniform ? 'maxUniformBufferBindingSize' : 'maxStorageBufferBindingSize';
    if (size > limits[maxName]) fail(`${field}.size`, size, `must be <= ${maxName} (${limits[maxName]})`);
    if (!uniform && size % 4 !== 0)
      fail(`${field}.size`, size, 'must be a multiple of 4 for a storage buffer binding');
    if (slot?.type === 'buffer' && size < slot.minBindingSize) {
      fail(
        `${field}.size`,
        size,
        `must be >= the layout's minBindingSize (${slot.minBindingSize}) for binding ${binding}`,
      );
    }
  } else if (!(b.usage & (BufferUsage.UNIFORM | BufferUsage.STORAGE))) {
    fail(field, buffer.handle, `${named} must have UNIFORM or STORAGE usage to be bound`);
  }
  return { binding, type: 'buffer', buffer: buffer.handle, offset, size };
}

/** Sample types a layout may declare for a view of `format` seen through `aspect`. */
function compatibleSampleTypes(
  view: NormalizedTextureViewDescriptor,
  features: ReadonlySet<string>,
): readonly GPUTextureSampleType[] | undefined {
  const info = getFormatInfo(view.format);
  if (!info) return undefined;
  if (info.aspect === 'depth-stencil') return undefined; // one aspect must be chosen
  if (info.aspect === 'stencil') return ['uint'];
  if (info.aspect === 'depth') return ['depth', 'unfilterable-float'];
  if (info.sampleType === 'float') return ['float', 'unfilterable-float'];
  if (info.sampleType === 'unfilterable-float') {
    return isFilterable(info, features) ? ['float', 'unfilterable-float'] : ['unfilterable-float'];
  }
  return [info.sampleType];
}

function checkTexture(
  slot: NormalizedLayoutEntry,
  view: NormalizedTextureViewDescriptor,
  texture: NormalizedTextureDescriptor,
  what: string,
  field: string,
  label: string,
  caps: Capabilities,
): void {
  const fail = (rule: string): never => {
    throw new ValidationError(label, field, view.texture, `${what} ${rule}`);
  };
  const binding = `binding ${slot.binding}`;
  if (slot.type === 'texture') {
    if (!(view.usage & TextureUsage.TEXTURE_BINDING)) fail(`must have TEXTURE_BINDING usage for ${binding}`);
    if (view.dimension !== slot.viewDimension) {
      fail(`has dimension '${view.dimension}': ${binding} needs '${slot.viewDimension}'`);
    }
    const multisampled = texture.sampleCount > 1;
    if (multisampled !== slot.multisampled) {
      fail(
        `is ${multisampled ? '' : 'not '}multisampled: ${binding} is declared multisampled: ${slot.multisampled}`,
      );
    }
    const types = compatibleSampleTypes(view, caps.features);
    if (types === undefined) {
      fail(
        `has format '${view.format}' with aspect '${view.aspect}': a depth-stencil view must select 'depth-only' or 'stencil-only' to be sampled`,
      );
    }
    if (!types!.includes(slot.sampleType)) {
      fail(
        `has format '${view.format}' (sample types ${types!.map((t) => `'${t}'`).join(', ')}): ${binding} declares sampleType '${slot.sampleType}'`,
      );
    }
  } else if (slot.type === 'storageTexture') {
    if (!(view.usage & TextureUsage.STORAGE_BINDING)) fail(`must have STORAGE_BINDING usage for ${binding}`);
    if (view.format !== slot.format) fail(`has format '${view.format}': ${binding} needs '${slot.format}'`);
    if (view.dimension !== slot.viewDimension) {
      fail(`has dimension '${view.dimension}': ${binding} needs '${slot.viewDimension}'`);
    }
    if (view.mipLevelCount !== 1)
      fail(`has ${view.mipLevelCount} mip levels: a storage texture binding needs exactly 1`);
  }
}
