/**
 * Records of the WebGPU objects that own no memory but hold other objects: samplers, texture views, bind
 * group layouts, pipeline layouts, bind groups, and query sets (which do own memory: 8 bytes a query). Their
 * descriptors name GPU objects, not handles, so each record is built directly from the engine's descriptor
 * (read after the create, never throwing): the objects it names become handles through `handleOf`, and
 * those handles are the record's dependencies, so leaks and dumps show what holds what. An object the tracker
 * does not know (a pipeline's implicit layout, a swap-chain texture's view) is left out of the dependencies.
 */
import type { AnyHandle, Handle } from '../handles/handle.ts';
import type { NormalizedBindGroupDescriptor } from '../resources/bind-group.ts';
import type { NormalizedBindGroupLayoutDescriptor } from '../resources/bind-group-layout.ts';
import type { NormalizedPipelineLayoutDescriptor } from '../resources/pipeline-layout.ts';
import { type NormalizedQuerySetDescriptor, QUERY_RESULT_BYTES } from '../resources/query-set.ts';
import { type NormalizedSamplerDescriptor, normalizeSamplerDescriptor } from '../resources/sampler.ts';
import type { NormalizedTextureViewDescriptor } from '../resources/texture-view.ts';
import { safeMember } from './webgpu-records.ts';

/** A record with its dependencies. */
export interface LinkedRecord<D> {
  readonly descriptor: D;
  readonly bytes: number;
  readonly dependencies: readonly AnyHandle[];
  readonly bestEffort: boolean;
}

type HandleOf = (object: unknown) => AnyHandle | undefined;
const NO_HANDLE = 0 as Handle<never>; // 0 is never a handle: "not tracked"

function labelOf(object: unknown, fallback: string): string {
  const label = safeMember(object, 'label');
  return typeof label === 'string' && label !== '' ? label : fallback;
}

function integer(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : fallback;
}

/**
 * A sampler: normalized by the sampler validator when it accepts the engine's descriptor.
 *
 * @example
 * engineSamplerRecord(device.createSampler(desc), desc)
 */
export function engineSamplerRecord(
  sampler: GPUSampler,
  descriptor: unknown,
): LinkedRecord<NormalizedSamplerDescriptor> {
  const label = labelOf(sampler, 'sampler');
  try {
    const base = typeof descriptor === 'object' && descriptor !== null ? descriptor : {};
    const normalized = normalizeSamplerDescriptor({ ...(base as object), label });
    return { descriptor: normalized, bytes: 0, dependencies: [], bestEffort: false };
  } catch {
    const fallback = normalizeSamplerDescriptor({ label });
    return { descriptor: fallback, bytes: 0, dependencies: [], bestEffort: true };
  }
}

/**
 * A view of a tracked texture; its texture is its dependency. Defaults follow `GPUTexture.createView`.
 *
 * @example
 * engineTextureViewRecord(texture.createView(desc), texture, desc, handle)
 */
export function engineTextureViewRecord(
  view: GPUTextureView,
  texture: GPUTexture,
  descriptor: unknown,
  textureHandle: AnyHandle,
): LinkedRecord<NormalizedTextureViewDescriptor> {
  const member = (key: string) => safeMember(descriptor, key);
  const layers = texture.depthOrArrayLayers;
  const baseMipLevel = integer(member('baseMipLevel'), 0);
  const baseArrayLayer = integer(member('baseArrayLayer'), 0);
  const dimension = member('dimension');
  const defaultDimension: GPUTextureViewDimension =
    texture.dimension === '2d'
      ? layers > 1 && member('arrayLayerCount') !== 1
        ? '2d-array'
        : '2d'
      : texture.dimension;
  const viewDimension =
    typeof dimension === 'string' ? (dimension as GPUTextureViewDimension) : defaultDimension;
  const singleLayer = viewDimension === '2d' || viewDimension === '1d' || viewDimension === '3d';
  const format = member('format');
  const aspect = member('aspect');
  const result: NormalizedTextureViewDescriptor = {
    label: labelOf(view, `view of ${labelOf(texture, 'texture')}`),
    texture: textureHandle as Handle<'texture'>,
    format: typeof format === 'string' ? (format as GPUTextureFormat) : texture.format,
    dimension: viewDimension,
    aspect: typeof aspect === 'string' ? (aspect as GPUTextureAspect) : 'all',
    baseMipLevel,
    mipLevelCount: integer(member('mipLevelCount'), Math.max(1, texture.mipLevelCount - baseMipLevel)),
    baseArrayLayer,
    arrayLayerCount: integer(
      member('arrayLayerCount'),
      singleLayer ? 1 : Math.max(1, layers - baseArrayLayer),
    ),
    usage: integer(member('usage'), 0) || texture.usage,
    key: '',
  };
  return { descriptor: result, bytes: 0, dependencies: [textureHandle], bestEffort: false };
}

/**
 * A bind group layout (its entries are not copied: an adopted layout is never rebuilt).
 *
 * @example
 * engineBindGroupLayoutRecord(device.createBindGroupLayout(desc))
 */
export function engineBindGroupLayoutRecord(
  layout: GPUBindGroupLayout,
): LinkedRecord<NormalizedBindGroupLayoutDescriptor> {
  const descriptor = {
    label: labelOf(layout, 'bind group layout'),
    entries: [],
    implicit: undefined,
    key: '',
  };
  return { descriptor, bytes: 0, dependencies: [], bestEffort: false };
}

/**
 * A pipeline layout; its tracked bind group layouts are its dependencies.
 *
 * @example
 * enginePipelineLayoutRecord(device.createPipelineLayout(desc), desc, (o) => manager.handleOf(o))
 */
export function enginePipelineLayoutRecord(
  layout: GPUPipelineLayout,
  descriptor: unknown,
  handleOf: HandleOf,
): LinkedRecord<NormalizedPipelineLayoutDescriptor> {
  const layouts = safeMember(descriptor, 'bindGroupLayouts');
  const handles = Array.isArray(layouts) ? layouts.map((l) => handleOf(l) ?? NO_HANDLE) : [];
  const result = {
    label: labelOf(layout, 'pipeline layout'),
    bindGroupLayouts: handles as Handle<'bindGroupLayout'>[],
    key: '',
  };
  return {
    descriptor: result,
    bytes: 0,
    dependencies: handles.filter((h) => h !== NO_HANDLE),
    bestEffort: false,
  };
}

/**
 * A bind group; its layout and every tracked buffer, view, texture and sampler it binds are its dependencies.
 *
 * @example
 * engineBindGroupRecord(device.createBindGroup(desc), desc, (o) => manager.handleOf(o))
 */
export function engineBindGroupRecord(
  group: GPUBindGroup,
  descriptor: unknown,
  handleOf: HandleOf,
): LinkedRecord<NormalizedBindGroupDescriptor> {
  const layout = handleOf(safeMember(descriptor, 'layout'));
  const dependencies = new Set<AnyHandle>();
  if (layout !== undefined) dependencies.add(layout);
  const entries = safeMember(descriptor, 'entries');
  if (Array.isArray(entries)) {
    for (const entry of entries) {
      const resource = safeMember(entry, 'resource');
      const handle = handleOf(resource) ?? handleOf(safeMember(resource, 'buffer'));
      if (handle !== undefined) dependencies.add(handle);
    }
  }
  const result = {
    label: labelOf(group, 'bind group'),
    layout: (layout ?? NO_HANDLE) as Handle<'bindGroupLayout'>,
    entries: [],
    key: '',
  };
  return { descriptor: result, bytes: 0, dependencies: [...dependencies], bestEffort: false };
}

/**
 * A query set: `type` and `count` from the object, 8 bytes a query.
 *
 * @example
 * engineQuerySetRecord(device.createQuerySet({ type: 'timestamp', count: 2 }))
 */
export function engineQuerySetRecord(querySet: GPUQuerySet): LinkedRecord<NormalizedQuerySetDescriptor> {
  const count = integer(safeMember(querySet, 'count'), 0);
  const type = safeMember(querySet, 'type') === 'timestamp' ? 'timestamp' : 'occlusion';
  const descriptor = { label: labelOf(querySet, `${type} queries`), type, count } as const;
  return { descriptor, bytes: count * QUERY_RESULT_BYTES, dependencies: [], bestEffort: false };
}
