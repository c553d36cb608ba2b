import type { NormalizedAtlasRegionDescriptor } from '../atlas/region-kind.ts';
import type { ShaderMessage } from '../errors.ts';
import type { NormalizedBindGroupDescriptor } from '../resources/bind-group.ts';
import type { NormalizedBindGroupLayoutDescriptor } from '../resources/bind-group-layout.ts';
import type { NormalizedBufferDescriptor } from '../resources/buffer.ts';
import type {
  NormalizedComputePipelineDescriptor,
  NormalizedRenderPipelineDescriptor,
} from '../resources/pipeline.ts';
import type { NormalizedPipelineLayoutDescriptor } from '../resources/pipeline-layout.ts';
import type { NormalizedQuerySetDescriptor } from '../resources/query-set.ts';
import type { NormalizedRenderTargetDescriptor } from '../resources/render-target.ts';
import type { NormalizedSamplerDescriptor } from '../resources/sampler.ts';
import type { NormalizedShaderDescriptor } from '../resources/shader.ts';
import type { NormalizedTextureDescriptor } from '../resources/texture.ts';
import type { NormalizedTextureViewDescriptor } from '../resources/texture-view.ts';

/**
 * The type-level facts of every kind: its normalized descriptor and the fields its record adds. This map is the
 * source of `ResourceKind`; the kind table (`KINDS`) must then cover every key, and so must every backend's
 * object types and destroy table, or the project does not compile.
 */
export interface KindTypes {
  texture: { descriptor: NormalizedTextureDescriptor; extra: object };
  buffer: { descriptor: NormalizedBufferDescriptor; extra: object };
  shader: {
    descriptor: NormalizedShaderDescriptor;
    /** The compiler's warnings and infos. */
    extra: { readonly diagnostics: readonly ShaderMessage[] };
  };
  renderTarget: { descriptor: NormalizedRenderTargetDescriptor; extra: object };
  sampler: { descriptor: NormalizedSamplerDescriptor; extra: object };
  textureView: { descriptor: NormalizedTextureViewDescriptor; extra: object };
  bindGroupLayout: { descriptor: NormalizedBindGroupLayoutDescriptor; extra: object };
  pipelineLayout: { descriptor: NormalizedPipelineLayoutDescriptor; extra: object };
  bindGroup: { descriptor: NormalizedBindGroupDescriptor; extra: object };
  renderPipeline: { descriptor: NormalizedRenderPipelineDescriptor; extra: object };
  computePipeline: { descriptor: NormalizedComputePipelineDescriptor; extra: object };
  querySet: { descriptor: NormalizedQuerySetDescriptor; extra: object };
  /** A texture atlas's region: 0 bytes of its own, a host object of the atlas in place of a GPU object. */
  atlasRegion: { descriptor: NormalizedAtlasRegionDescriptor; extra: object };
}

/** The kinds of resource the manager owns. */
export type ResourceKind = keyof KindTypes;

/** The normalized descriptor of a kind. */
export type DescriptorOf<K extends ResourceKind> = KindTypes[K]['descriptor'];
