/**
 * Bind group layouts: descriptor, normalization and validation against the device's binding limits. Shared by
 * descriptor (the normalized entries are the key).
 */
import type { Capabilities } from '../core/capabilities.ts';
import { ValidationError } from '../errors.ts';
import type { AnyHandle } from '../handles/handle.ts';
import { checkBindingLimits } from './binding-limits.ts';
import { getFormatInfo, isStorageCapable } from './formats.ts';
import {
  MAX_UINT32,
  readDescriptor,
  readInteger,
  readMember,
  readOptionalBoolean,
  readSequence,
} from './input.ts';
import { readLabel } from './label.ts';
import { readEnum, readOptionalObject } from './resource-lookup.ts';
import { VIEW_DIMENSIONS } from './texture-view.ts';

/** Shader stage bits (same values as `GPUShaderStage`). */
export const ShaderStage = { VERTEX: 0x1, FRAGMENT: 0x2, COMPUTE: 0x4 } as const;
const ALL_STAGES = 0x7;

/** One binding slot, as `GPUBindGroupLayoutEntry` (external textures are not supported). */
export interface BindGroupLayoutEntryInput {
  binding: number;
  /** `ShaderStage` bits. */
  visibility: number;
  buffer?: { type?: GPUBufferBindingType; hasDynamicOffset?: boolean; minBindingSize?: number };
  sampler?: { type?: GPUSamplerBindingType };
  texture?: {
    sampleType?: GPUTextureSampleType;
    viewDimension?: GPUTextureViewDimension;
    multisampled?: boolean;
  };
  storageTexture?: {
    access?: GPUStorageTextureAccess;
    format: GPUTextureFormat;
    viewDimension?: GPUTextureViewDimension;
  };
}

/** What a caller asks for. */
export interface BindGroupLayoutDescriptor {
  label?: string;
  entries: Iterable<BindGroupLayoutEntryInput>;
}

/** The binding type of a validated entry, defaults applied. */
export type LayoutBinding =
  | {
      readonly type: 'buffer';
      readonly bufferType: GPUBufferBindingType;
      readonly hasDynamicOffset: boolean;
      readonly minBindingSize: number;
    }
  | { readonly type: 'sampler'; readonly samplerType: GPUSamplerBindingType }
  | {
      readonly type: 'texture';
      readonly sampleType: GPUTextureSampleType;
      readonly viewDimension: GPUTextureViewDimension;
      readonly multisampled: boolean;
    }
  | {
      readonly type: 'storageTexture';
      readonly access: GPUStorageTextureAccess;
      readonly format: GPUTextureFormat;
      readonly viewDimension: GPUTextureViewDimension;
    };

/** A validated entry. */
export type NormalizedLayoutEntry = { readonly binding: number; readonly visibility: number } & LayoutBinding;

/**
 * A validated layout: entries sorted by binding number. A layout a pipeline made with `layout: 'auto'` names
 * that pipeline and group in `implicit`; its entries are then unknown here (empty), and bind groups made with it
 * are checked by the GPU alone for what only the shader knows.
 */
export interface NormalizedBindGroupLayoutDescriptor {
  readonly label: string;
  readonly entries: readonly NormalizedLayoutEntry[];
  readonly implicit:
    | {
        readonly pipeline: AnyHandle;
        readonly kind: 'renderPipeline' | 'computePipeline';
        readonly group: number;
      }
    | undefined;
  readonly key: string;
}

const BUFFER_TYPES: readonly GPUBufferBindingType[] = ['uniform', 'storage', 'read-only-storage'];
const SAMPLER_TYPES: readonly GPUSamplerBindingType[] = ['filtering', 'non-filtering', 'comparison'];
const SAMPLE_TYPES: readonly GPUTextureSampleType[] = [
  'float',
  'unfilterable-float',
  'depth',
  'sint',
  'uint',
];
const ACCESSES: readonly GPUStorageTextureAccess[] = ['write-only', 'read-only', 'read-write'];
/** Formats every core device can bind as 'read-write' storage textures. */
const READ_WRITE_FORMATS: ReadonlySet<string> = new Set(['r32float', 'r32uint', 'r32sint']);
const MAX_ENTRIES_READ = 65536;

/**
 * Validates a bind group layout. Rules: `entries` a sequence; each entry an object with `binding` an integer
 * < maxBindingsPerBindGroup (unique), `visibility` `ShaderStage` bits, and exactly one of `buffer`, `sampler`,
 * `texture`, `storageTexture`. Buffers: type 'uniform' | 'storage' | 'read-only-storage', no writable
 * 'storage' visible to the vertex stage, `minBindingSize` an integer >= 0. Textures: a multisampled texture
 * is '2d' and not 'float'. Storage textures: a storage-capable format, 'read-write' only for r32float/uint/sint,
 * 'write-only' for bgra8unorm,
 * no cube views, writable ones not visible to the vertex stage. Then the per-stage counts and dynamic-offset
 * counts fit the device limits (see `checkBindingLimits` in binding-limits.ts).
 *
 * @example
 * normalizeBindGroupLayoutDescriptor({ entries: [
 *   { binding: 0, visibility: ShaderStage.FRAGMENT, texture: {} },
 *   { binding: 1, visibility: ShaderStage.FRAGMENT, sampler: {} },
 * ] }, caps);
 */
export function normalizeBindGroupLayoutDescriptor(
  desc: BindGroupLayoutDescriptor,
  caps: Capabilities,
): NormalizedBindGroupLayoutDescriptor {
  const input = readDescriptor(desc, 'bind group layout');
  const label = readLabel(input);
  const entriesValue = readMember(input, 'entries', label, 'entries');
  const items = readSequence(entriesValue, label, 'entries', MAX_ENTRIES_READ);
  if (items === undefined) {
    throw new ValidationError(
      label,
      'entries',
      entriesValue,
      'must be a sequence (an array or iterable) of entries',
    );
  }
  const seen = new Map<number, number>();
  const entries = items.map((item, i) => {
    const entry = readEntry(item, `entries[${i}]`, label, caps);
    const first = seen.get(entry.binding);
    if (first !== undefined) {
      throw new ValidationError(
        label,
        `entries[${i}].binding`,
        entry.binding,
        `must be unique (entries[${first}] has it too)`,
      );
    }
    seen.set(entry.binding, i);
    return entry;
  });
  entries.sort((a, b) => a.binding - b.binding);
  checkBindingLimits([entries], caps, label, 'entries');
  return Object.freeze({
    label,
    entries: Object.freeze(entries),
    implicit: undefined,
    key: JSON.stringify(entries),
  });
}

function readEntry(item: unknown, field: string, label: string, caps: Capabilities): NormalizedLayoutEntry {
  if (typeof item !== 'object' || item === null) {
    throw new ValidationError(label, field, item, 'must be a bind group layout entry object');
  }
  const member = (key: string) => readMember(item, key, label, `${field}.${key}`);
  const max = caps.limits.maxBindingsPerBindGroup;
  const binding = readInteger(member('binding'), label, `${field}.binding`, 0, MAX_UINT32);
  if (binding >= max) {
    throw new ValidationError(
      label,
      `${field}.binding`,
      binding,
      `must be < maxBindingsPerBindGroup (${max})`,
    );
  }
  const visibility = readInteger(member('visibility'), label, `${field}.visibility`, 0, MAX_UINT32);
  if (visibility & ~ALL_STAGES) {
    throw new ValidationError(
      label,
      `${field}.visibility`,
      visibility,
      'must combine ShaderStage bits VERTEX (1), FRAGMENT (2), COMPUTE (4)',
    );
  }
  const kinds = ['buffer', 'sampler', 'texture', 'storageTexture', 'externalTexture'] as const;
  const given = kinds
    .map((key) => [key, readOptionalObject(member(key), label, `${field}.${key}`)] as const)
    .filter(([, value]) => value !== undefined);
  if (given.length !== 1) {
    throw new ValidationError(
      label,
      field,
      given.map(([key]) => key).join(', ') || 'none',
      'must have exactly one of buffer, sampler, texture, storageTexture',
    );
  }
  const [kind, body] = given[0]!;
  const sub = (key: string) => readMember(body!, key, label, `${field}.${kind}.${key}`);
  const at = (key: string) => `${field}.${kind}.${key}`;
  const vertex = (visibility & ShaderStage.VERTEX) !== 0;
  switch (kind) {
    case 'buffer': {
      const bufferType = readEnum(sub('type'), BUFFER_TYPES, 'uniform', label, at('type'));
      if (bufferType === 'storage' && vertex) {
        throw new ValidationError(
          label,
          at('type'),
          bufferType,
          "must not be writable 'storage' when visible to the VERTEX stage (use 'read-only-storage')",
        );
      }
      const hasDynamicOffset = readOptionalBoolean(
        sub('hasDynamicOffset'),
        label,
        at('hasDynamicOffset'),
        false,
      );
      const size = sub('minBindingSize');
      const minBindingSize =
        size === undefined ? 0 : readInteger(size, label, at('minBindingSize'), 0, Number.MAX_SAFE_INTEGER);
      return { binding, visibility, type: 'buffer', bufferType, hasDynamicOffset, minBindingSize };
    }
    case 'sampler':
      return {
        binding,
        visibility,
        type: 'sampler',
        samplerType: readEnum(sub('type'), SAMPLER_TYPES, 'filtering', label, at('type')),
      };
    case 'texture': {
      const sampleType = readEnum(sub('sampleType'), SAMPLE_TYPES, 'float', label, at('sampleType'));
      const viewDimension = readEnum(sub('viewDimension'), VIEW_DIMENSIONS, '2d', label, at('viewDimension'));
      const multisampled = readOptionalBoolean(sub('multisampled'), label, at('multisampled'), false);
      if (multisampled && viewDimension !== '2d') {
        throw new ValidationError(
          label,
          at('viewDimension'),
          viewDimension,
          "must be '2d' when multisampled",
        );
      }
      if (multisampled && sampleType === 'float') {
        throw new ValidationError(
          label,
          at('sampleType'),
          sampleType,
          "must not be 'float' when multisampled (multisampled textures cannot be filtered)",
        );
      }
      return { binding, visibility, type: 'texture', sampleType, viewDimension, multisampled };
    }
    case 'storageTexture': {
      const access = readEnum(sub('access'), ACCESSES, 'write-only', label, at('access'));
      const format = sub('format');
      const info = typeof format === 'string' ? getFormatInfo(format) : undefined;
      if (!info) throw new ValidationError(label, at('format'), format, 'must be a GPUTextureFormat string');
      if (!isStorageCapable(info, caps.features)) {
        throw new ValidationError(
          label,
          at('format'),
          format,
          'must be a storage-capable format with the enabled features',
        );
      }
      // 'bgra8unorm-storage' makes bgra8unorm a storage format for writes only (WebGPU's format table).
      if (info.format === 'bgra8unorm' && access !== 'write-only') {
        throw new ValidationError(
          label,
          at('access'),
          access,
          "must be 'write-only' for format 'bgra8unorm' ('bgra8unorm-storage' allows writes only)",
        );
      }
      if (
        access === 'read-write' &&
        !READ_WRITE_FORMATS.has(info.format) &&
        !caps.features.has('texture-formats-tier2')
      ) {
        throw new ValidationError(
          label,
          at('format'),
          format,
          "must be 'r32float', 'r32uint' or 'r32sint' for access 'read-write' (without 'texture-formats-tier2')",
        );
      }
      const viewDimension = readEnum(sub('viewDimension'), VIEW_DIMENSIONS, '2d', label, at('viewDimension'));
      if (viewDimension === 'cube' || viewDimension === 'cube-array') {
        throw new ValidationError(
          label,
          at('viewDimension'),
          viewDimension,
          'must not be a cube dimension for storage textures',
        );
      }
      if (access !== 'read-only' && vertex) {
        throw new ValidationError(
          label,
          at('access'),
          access,
          "must be 'read-only' when visible to the VERTEX stage (vertex shaders cannot write storage textures)",
        );
      }
      return { binding, visibility, type: 'storageTexture', access, format: info.format, viewDimension };
    }
    default:
      throw new ValidationError(
        label,
        `${field}.externalTexture`,
        body,
        'is not supported by gpu-handles (external textures are not managed)',
      );
  }
}

/**
 * The descriptor of the layout a pipeline made with `layout: 'auto'` implies for `group`. Rules: the pipeline
 * was made with `layout: 'auto'`, and `group` is an integer below maxBindGroups.
 *
 * @example
 * implicitBindGroupLayout(lookup.resolveAny(pipeline, ['renderPipeline'], label, 'pipeline'), 0, caps)
 */
export function implicitBindGroupLayout(
  pipeline: {
    kind: 'renderPipeline' | 'computePipeline';
    handle: AnyHandle;
    label: string;
    descriptor: { layout: unknown };
  },
  group: unknown,
  caps: Capabilities,
): NormalizedBindGroupLayoutDescriptor {
  const label = `${pipeline.label} group ${String(typeof group === 'number' ? group : '?')}`;
  if (pipeline.descriptor.layout !== 'auto') {
    throw new ValidationError(
      pipeline.label,
      'layout',
      pipeline.descriptor.layout,
      "must be 'auto' to get its bind group layouts (an explicit layout's bind group layouts are already handles)",
    );
  }
  const index = readInteger(group, pipeline.label, 'group', 0, caps.limits.maxBindGroups - 1);
  return Object.freeze({
    label,
    entries: Object.freeze([]),
    implicit: { pipeline: pipeline.handle, kind: pipeline.kind, group: index },
    key: `auto:${pipeline.handle}:${index}`,
  });
}
