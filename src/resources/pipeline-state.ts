/**
 * Readers for the fixed-function parts of a render pipeline: vertex buffer layouts, colour targets with blend
 * state, primitive and multisample state (depth-stencil state is in depth-stencil-state.ts). Each validates what TypeScript can check before
 * the GPU (against the device's limits and the format table) and returns the state with every default applied.
 */
import type { Capabilities } from '../core/capabilities.ts';
import { ValidationError } from '../errors.ts';
import { getFormatInfo, isBlendable, isColorRenderable } from './formats.ts';
import { MAX_UINT32, readInteger, readMember, readOptionalBoolean, readSequence } from './input.ts';
import { readEnum, readOptionalObject } from './resource-lookup.ts';
import { vertexFormatBytes } from './vertex-formats.ts';

/** A validated vertex attribute. */
export interface NormalizedVertexAttribute {
  readonly format: GPUVertexFormat;
  readonly offset: number;
  readonly shaderLocation: number;
}

/** A validated vertex buffer layout. */
export interface NormalizedVertexBufferLayout {
  readonly arrayStride: number;
  readonly stepMode: GPUVertexStepMode;
  readonly attributes: readonly NormalizedVertexAttribute[];
}

/** A validated blend component. */
export interface NormalizedBlendComponent {
  readonly operation: GPUBlendOperation;
  readonly srcFactor: GPUBlendFactor;
  readonly dstFactor: GPUBlendFactor;
}

/** A validated colour target; `null` marks an empty slot. */
export interface NormalizedColorTarget {
  readonly format: GPUTextureFormat;
  readonly blend:
    | { readonly color: NormalizedBlendComponent; readonly alpha: NormalizedBlendComponent }
    | undefined;
  readonly writeMask: number;
}

/** A validated primitive state. */
export interface NormalizedPrimitiveState {
  readonly topology: GPUPrimitiveTopology;
  readonly stripIndexFormat: GPUIndexFormat | undefined;
  readonly frontFace: GPUFrontFace;
  readonly cullMode: GPUCullMode;
  readonly unclippedDepth: boolean;
}

/** A validated multisample state. */
export interface NormalizedMultisampleState {
  readonly count: number;
  readonly mask: number;
  readonly alphaToCoverageEnabled: boolean;
}

const TOPOLOGIES: readonly GPUPrimitiveTopology[] = [
  'point-list',
  'line-list',
  'line-strip',
  'triangle-list',
  'triangle-strip',
];
const BLEND_OPERATIONS: readonly GPUBlendOperation[] = ['add', 'subtract', 'reverse-subtract', 'min', 'max'];
const BLEND_FACTORS: readonly GPUBlendFactor[] = [
  'zero',
  'one',
  'src',
  'one-minus-src',
  'src-alpha',
  'one-minus-src-alpha',
  'dst',
  'one-minus-dst',
  'dst-alpha',
  'one-minus-dst-alpha',
  'src-alpha-saturated',
  'constant',
  'one-minus-constant',
];
const MAX_ITEMS_READ = 1024;

/** Reads the vertex buffer layouts of a render pipeline's vertex stage. */
export function readVertexBuffers(
  value: unknown,
  label: string,
  caps: Capabilities,
): NormalizedVertexBufferLayout[] {
  if (value === undefined) return [];
  const items = readSequence(value, label, 'vertex.buffers', MAX_ITEMS_READ);
  if (items === undefined)
    throw new ValidationError(label, 'vertex.buffers', value, 'must be a sequence of vertex buffer layouts');
  const { limits } = caps;
  if (items.length > limits.maxVertexBuffers) {
    throw new ValidationError(
      label,
      'vertex.buffers.length',
      items.length,
      `must be <= maxVertexBuffers (${limits.maxVertexBuffers})`,
    );
  }
  const locations = new Map<number, string>();
  let total = 0;
  return items.map((item, i) => {
    const field = `vertex.buffers[${i}]`;
    if (typeof item !== 'object' || item === null)
      throw new ValidationError(label, field, item, 'must be a vertex buffer layout object');
    const member = (key: string) => readMember(item, key, label, `${field}.${key}`);
    const arrayStride = readInteger(member('arrayStride'), label, `${field}.arrayStride`, 0, MAX_UINT32);
    if (arrayStride > limits.maxVertexBufferArrayStride) {
      throw new ValidationError(
        label,
        `${field}.arrayStride`,
        arrayStride,
        `must be <= maxVertexBufferArrayStride (${limits.maxVertexBufferArrayStride})`,
      );
    }
    if (arrayStride % 4 !== 0)
      throw new ValidationError(label, `${field}.arrayStride`, arrayStride, 'must be a multiple of 4');
    const stepMode = readEnum(
      member('stepMode'),
      ['vertex', 'instance'] as const,
      'vertex',
      label,
      `${field}.stepMode`,
    );
    const attrs = readSequence(member('attributes'), label, `${field}.attributes`, MAX_ITEMS_READ);
    if (attrs === undefined)
      throw new ValidationError(
        label,
        `${field}.attributes`,
        member('attributes'),
        'must be a sequence of attributes',
      );
    total += attrs.length;
    if (total > limits.maxVertexAttributes) {
      throw new ValidationError(
        label,
        `${field}.attributes`,
        total,
        `brings the attribute count to ${total}: must be <= maxVertexAttributes (${limits.maxVertexAttributes})`,
      );
    }
    const attributes = attrs.map((attr, j) => {
      const at = `${field}.attributes[${j}]`;
      if (typeof attr !== 'object' || attr === null)
        throw new ValidationError(label, at, attr, 'must be a vertex attribute object');
      const read = (key: string) => readMember(attr, key, label, `${at}.${key}`);
      const format = read('format');
      const size = typeof format === 'string' ? vertexFormatBytes(format) : undefined;
      if (size === undefined)
        throw new ValidationError(label, `${at}.format`, format, 'must be a GPUVertexFormat');
      const offset = readInteger(read('offset'), label, `${at}.offset`, 0, MAX_UINT32);
      const alignment = Math.min(4, size);
      if (offset % alignment !== 0)
        throw new ValidationError(
          label,
          `${at}.offset`,
          offset,
          `must be a multiple of ${alignment} for '${format}'`,
        );
      const extent = arrayStride === 0 ? limits.maxVertexBufferArrayStride : arrayStride;
      if (offset + size > extent) {
        throw new ValidationError(
          label,
          `${at}.offset`,
          offset,
          `+ the ${size} bytes of '${format}' must be <= ${arrayStride === 0 ? `maxVertexBufferArrayStride (${extent}) for a stride of 0` : `the arrayStride (${arrayStride})`}`,
        );
      }
      const shaderLocation = readInteger(
        read('shaderLocation'),
        label,
        `${at}.shaderLocation`,
        0,
        MAX_UINT32,
      );
      if (shaderLocation >= limits.maxVertexAttributes) {
        throw new ValidationError(
          label,
          `${at}.shaderLocation`,
          shaderLocation,
          `must be < maxVertexAttributes (${limits.maxVertexAttributes})`,
        );
      }
      const first = locations.get(shaderLocation);
      if (first !== undefined)
        throw new ValidationError(
          label,
          `${at}.shaderLocation`,
          shaderLocation,
          `must be unique (${first} uses it too)`,
        );
      locations.set(shaderLocation, at);
      return { format: format as GPUVertexFormat, offset, shaderLocation };
    });
    return { arrayStride, stepMode, attributes };
  });
}

function readBlendComponent(value: unknown, label: string, field: string): NormalizedBlendComponent {
  const body = readOptionalObject(value, label, field) ?? {};
  const member = (key: string) => readMember(body, key, label, `${field}.${key}`);
  const operation = readEnum(member('operation'), BLEND_OPERATIONS, 'add', label, `${field}.operation`);
  const srcFactor = readEnum(member('srcFactor'), BLEND_FACTORS, 'one', label, `${field}.srcFactor`);
  const dstFactor = readEnum(member('dstFactor'), BLEND_FACTORS, 'zero', label, `${field}.dstFactor`);
  if ((operation === 'min' || operation === 'max') && (srcFactor !== 'one' || dstFactor !== 'one')) {
    throw new ValidationError(
      label,
      `${field}.operation`,
      operation,
      `needs srcFactor and dstFactor 'one' (got '${srcFactor}', '${dstFactor}')`,
    );
  }
  return { operation, srcFactor, dstFactor };
}

/** Reads the colour targets of a render pipeline's fragment stage. */
export function readColorTargets(
  value: unknown,
  label: string,
  caps: Capabilities,
): (NormalizedColorTarget | null)[] {
  const items = readSequence(value, label, 'fragment.targets', MAX_ITEMS_READ);
  if (items === undefined)
    throw new ValidationError(
      label,
      'fragment.targets',
      value,
      'must be a sequence of colour targets (or null)',
    );
  const max = caps.limits.maxColorAttachments;
  if (items.length > max)
    throw new ValidationError(
      label,
      'fragment.targets.length',
      items.length,
      `must be <= maxColorAttachments (${max})`,
    );
  return items.map((item, i) => {
    const field = `fragment.targets[${i}]`;
    if (item === null) return null;
    if (typeof item !== 'object')
      throw new ValidationError(label, field, item, 'must be a colour target object or null');
    const member = (key: string) => readMember(item, key, label, `${field}.${key}`);
    const format = member('format');
    const info = typeof format === 'string' ? getFormatInfo(format) : undefined;
    if (!info)
      throw new ValidationError(label, `${field}.format`, format, 'must be a GPUTextureFormat string');
    if (info.aspect !== 'color' || info.compressed || !isColorRenderable(info, caps.features)) {
      throw new ValidationError(
        label,
        `${field}.format`,
        format,
        'must be a colour-renderable format with the enabled features',
      );
    }
    const blendValue = readOptionalObject(member('blend'), label, `${field}.blend`);
    let blend: NormalizedColorTarget['blend'];
    if (blendValue !== undefined) {
      if (!isBlendable(info, caps.features)) {
        throw new ValidationError(
          label,
          `${field}.blend`,
          format,
          `must be omitted: '${info.format}' is not blendable with the enabled features`,
        );
      }
      blend = {
        color: readBlendComponent(
          readMember(blendValue, 'color', label, `${field}.blend.color`),
          label,
          `${field}.blend.color`,
        ),
        alpha: readBlendComponent(
          readMember(blendValue, 'alpha', label, `${field}.blend.alpha`),
          label,
          `${field}.blend.alpha`,
        ),
      };
    }
    const maskValue = member('writeMask');
    const writeMask =
      maskValue === undefined ? 0xf : readInteger(maskValue, label, `${field}.writeMask`, 0, 0xf);
    return { format: info.format, blend, writeMask };
  });
}

/** Reads a render pipeline's primitive state. */
export function readPrimitive(value: unknown, label: string, caps: Capabilities): NormalizedPrimitiveState {
  const body = readOptionalObject(value, label, 'primitive') ?? {};
  const member = (key: string) => readMember(body, key, label, `primitive.${key}`);
  const topology = readEnum(member('topology'), TOPOLOGIES, 'triangle-list', label, 'primitive.topology');
  const stripValue = member('stripIndexFormat');
  const stripIndexFormat =
    stripValue === undefined
      ? undefined
      : readEnum(stripValue, ['uint16', 'uint32'] as const, undefined, label, 'primitive.stripIndexFormat');
  if (stripIndexFormat !== undefined && topology !== 'line-strip' && topology !== 'triangle-strip') {
    throw new ValidationError(
      label,
      'primitive.stripIndexFormat',
      stripIndexFormat,
      `must be omitted for topology '${topology}' (strip topologies only)`,
    );
  }
  const unclippedDepth = readOptionalBoolean(
    member('unclippedDepth'),
    label,
    'primitive.unclippedDepth',
    false,
  );
  if (unclippedDepth && !caps.features.has('depth-clip-control')) {
    throw new ValidationError(
      label,
      'primitive.unclippedDepth',
      true,
      "requires device feature 'depth-clip-control', which is not enabled",
    );
  }
  return {
    topology,
    stripIndexFormat,
    frontFace: readEnum(member('frontFace'), ['ccw', 'cw'] as const, 'ccw', label, 'primitive.frontFace'),
    cullMode: readEnum(
      member('cullMode'),
      ['none', 'front', 'back'] as const,
      'none',
      label,
      'primitive.cullMode',
    ),
    unclippedDepth,
  };
}

/** Reads a render pipeline's multisample state. */
export function readMultisample(value: unknown, label: string): NormalizedMultisampleState {
  const body = readOptionalObject(value, label, 'multisample') ?? {};
  const member = (key: string) => readMember(body, key, label, `multisample.${key}`);
  const countValue = member('count');
  const count = countValue === undefined ? 1 : readInteger(countValue, label, 'multisample.count', 1, 4);
  if (count !== 1 && count !== 4)
    throw new ValidationError(label, 'multisample.count', count, 'must be 1 or 4');
  const maskValue = member('mask');
  const mask =
    maskValue === undefined ? 0xffffffff : readInteger(maskValue, label, 'multisample.mask', 0, MAX_UINT32);
  const alphaToCoverageEnabled = readOptionalBoolean(
    member('alphaToCoverageEnabled'),
    label,
    'multisample.alphaToCoverageEnabled',
    false,
  );
  if (alphaToCoverageEnabled && count === 1) {
    throw new ValidationError(label, 'multisample.alphaToCoverageEnabled', true, 'needs multisample.count 4');
  }
  return { count, mask, alphaToCoverageEnabled };
}
