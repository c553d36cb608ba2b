/**
 * Matching bind group entries to their layout: what each binding type of a bind group layout accepts, checked
 * before the GPU (WebGPU's createBindGroup rules, one entry at a time). bind-group.ts reads the descriptor and
 * calls {@link readBindGroupEntry} for each entry.
 */
import type { Capabilities } from '../core/capabilities.ts';
import { ValidationError } from '../errors.ts';
import type { Handle } from '../handles/handle.ts';
import type { NormalizedBindGroupEntry } from './bind-group.ts';
import type { NormalizedLayoutEntry } from './bind-group-layout.ts';
import type { NormalizedBufferDescriptor } from './buffer.ts';
import { getFormatInfo, isFilterable } from './formats.ts';
import { readInteger, readMember } from './input.ts';
import type { ResourceLookup } from './resource-lookup.ts';
import { isFilteringSampler } from './sampler.ts';
import type { NormalizedTextureDescriptor } from './texture.ts';
import { type NormalizedTextureViewDescriptor, normalizeTextureViewDescriptor } from './texture-view.ts';
import { BufferUsage, TextureUsage } from './usage.ts';

const RESOURCE_KINDS = ['buffer', 'sampler', 'textureView', 'texture'] as const;

/**
 * Reads one bind group entry's resource and matches it to its layout slot: the resource kind the slot takes;
 * for buffers the usage, offset alignment, range and binding-size limits; for samplers comparison and
 * filtering; for textures and views the usage, dimension, multisampling, aspect and sample type; for storage
 * textures the format, dimension and single mip level. `slot` is undefined for a layout a pipeline's 'auto'
 * layout implies (only the GPU knows its entries): then only the resource and range rules apply.
 *
 * @example
 * readBindGroupEntry(0, { buffer: uniforms, size: 64 }, slot, 'entries[0].resource', label, lookup, caps)
 */
export function readBindGroupEntry(
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
