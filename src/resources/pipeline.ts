/**
 * Render and compute pipelines: descriptors with shader modules and layouts given as handles, normalized with
 * every default applied, validated where TypeScript can check the rules (see pipeline-state.ts), and shared by
 * descriptor: the same shaders, entry points, constants, layout and state give one pipeline. A pipeline
 * depends on its shader modules and its layout.
 */
import type { Capabilities } from '../core/capabilities.ts';
import { ValidationError } from '../errors.ts';
import type { AnyHandle, Handle } from '../handles/handle.ts';
import { type NormalizedDepthStencilState, readDepthStencil } from './depth-stencil-state.ts';
import { readDescriptor, readFiniteNumber, readMember } from './input.ts';
import { readLabel } from './label.ts';
import { checkRenderPipelineParts } from './pipeline-rules.ts';
import {
  type NormalizedColorTarget,
  type NormalizedMultisampleState,
  type NormalizedPrimitiveState,
  type NormalizedVertexBufferLayout,
  readColorTargets,
  readMultisample,
  readPrimitive,
  readVertexBuffers,
} from './pipeline-state.ts';
import { type ResourceLookup, readOptionalObject } from './resource-lookup.ts';

/** A shader stage: a shader handle, an entry point (default: the module's only one), overridable constants. */
export interface ProgrammableStageInput {
  module: Handle<'shader'>;
  entryPoint?: string;
  constants?: Record<string, number>;
}

/** What a caller asks for; as `GPURenderPipelineDescriptor`, with handles for modules and the layout. */
export interface RenderPipelineDescriptor {
  label?: string;
  layout: Handle<'pipelineLayout'> | 'auto';
  vertex: ProgrammableStageInput & { buffers?: Iterable<GPUVertexBufferLayout> };
  fragment?: ProgrammableStageInput & { targets: Iterable<GPUColorTargetState | null> };
  primitive?: GPUPrimitiveState;
  depthStencil?: GPUDepthStencilState;
  multisample?: GPUMultisampleState;
}

/** What a caller asks for; as `GPUComputePipelineDescriptor`, with handles. */
export interface ComputePipelineDescriptor {
  label?: string;
  layout: Handle<'pipelineLayout'> | 'auto';
  compute: ProgrammableStageInput;
}

/** A validated stage. */
export interface NormalizedStage {
  readonly module: Handle<'shader'>;
  readonly entryPoint: string | undefined;
  readonly constants: Readonly<Record<string, number>>;
}

/** A validated render pipeline. */
export interface NormalizedRenderPipelineDescriptor {
  readonly label: string;
  readonly layout: Handle<'pipelineLayout'> | 'auto';
  readonly vertex: NormalizedStage & { readonly buffers: readonly NormalizedVertexBufferLayout[] };
  readonly fragment:
    | (NormalizedStage & { readonly targets: readonly (NormalizedColorTarget | null)[] })
    | undefined;
  readonly primitive: NormalizedPrimitiveState;
  readonly depthStencil: NormalizedDepthStencilState | undefined;
  readonly multisample: NormalizedMultisampleState;
  readonly key: string;
}

/** A validated compute pipeline. */
export interface NormalizedComputePipelineDescriptor {
  readonly label: string;
  readonly layout: Handle<'pipelineLayout'> | 'auto';
  readonly compute: NormalizedStage;
  readonly key: string;
}

function readLayout(input: object, label: string, lookup: ResourceLookup): Handle<'pipelineLayout'> | 'auto' {
  const value = readMember(input, 'layout', label, 'layout');
  if (value === 'auto') return 'auto';
  return lookup.resolve(value, 'pipelineLayout', label, 'layout').handle;
}

function readStage(value: unknown, label: string, field: string, lookup: ResourceLookup): NormalizedStage {
  const body = readOptionalObject(value, label, field);
  if (body === undefined)
    throw new ValidationError(label, field, value, 'is required: { module, entryPoint?, constants? }');
  const member = (key: string) => readMember(body, key, label, `${field}.${key}`);
  const module = lookup.resolve(member('module'), 'shader', label, `${field}.module`).handle;
  const entry = member('entryPoint');
  if (entry !== undefined && (typeof entry !== 'string' || entry === '')) {
    throw new ValidationError(label, `${field}.entryPoint`, entry, 'must be a non-empty string, or omitted');
  }
  const constantsValue = readOptionalObject(member('constants'), label, `${field}.constants`);
  const constants: Record<string, number> = {};
  if (constantsValue !== undefined) {
    let keys: string[];
    try {
      keys = Object.keys(constantsValue);
    } catch (error) {
      throw new ValidationError(
        label,
        `${field}.constants`,
        error,
        'could not be read: its Proxy trap threw',
      );
    }
    for (const key of keys.sort()) {
      constants[key] = readFiniteNumber(
        readMember(constantsValue, key, label, `${field}.constants.${key}`),
        label,
        `${field}.constants.${key}`,
      );
    }
  }
  return { module, entryPoint: entry as string | undefined, constants };
}

/**
 * Validates a render pipeline. Rules: `layout` a live pipeline layout handle or 'auto'; `vertex.module` and
 * `fragment.module` live shader handles, entry points non-empty strings, constants finite numbers; vertex
 * buffers within maxVertexBuffers, strides multiples of 4 within maxVertexBufferArrayStride, attributes of
 * known formats at aligned offsets inside the stride, unique shader locations below maxVertexAttributes;
 * colour targets within maxColorAttachments, colour-renderable, blend only on blendable formats (min/max with
 * factors 'one'), writeMask 0..15, together within maxColorAttachmentBytesPerSample; depthStencil as
 * depth-stencil-state.ts says, no depth bias for point and line topologies; topology, strip index format only
 * for strip topologies; sample count 1 or 4, alpha-to-coverage only with 4 and a first target that blends and
 * has alpha.
 *
 * @example
 * normalizeRenderPipelineDescriptor({ layout: 'auto', vertex: { module: shader },
 *   fragment: { module: shader, targets: [{ format: 'rgba8unorm' }] } }, lookup, caps);
 */
export function normalizeRenderPipelineDescriptor(
  desc: RenderPipelineDescriptor,
  lookup: ResourceLookup,
  caps: Capabilities,
): NormalizedRenderPipelineDescriptor {
  const input = readDescriptor(desc, 'render pipeline');
  const label = readLabel(input);
  const layout = readLayout(input, label, lookup);
  const vertexValue = readMember(input, 'vertex', label, 'vertex');
  const vertexStage = readStage(vertexValue, label, 'vertex', lookup);
  const buffers = readVertexBuffers(
    readMember(vertexValue as object, 'buffers', label, 'vertex.buffers'),
    label,
    caps,
  );
  const fragmentValue = readMember(input, 'fragment', label, 'fragment');
  const fragment =
    fragmentValue === undefined
      ? undefined
      : {
          ...readStage(fragmentValue, label, 'fragment', lookup),
          targets: readColorTargets(
            readMember(fragmentValue as object, 'targets', label, 'fragment.targets'),
            label,
            caps,
          ),
        };
  const depthStencil = readDepthStencil(
    readMember(input, 'depthStencil', label, 'depthStencil'),
    label,
    caps,
  );
  if (!fragment?.targets.some((t) => t !== null) && depthStencil === undefined && fragment !== undefined) {
    throw new ValidationError(
      label,
      'fragment.targets',
      [],
      'must hold at least one colour target unless depthStencil is given',
    );
  }
  const primitive = readPrimitive(readMember(input, 'primitive', label, 'primitive'), label, caps);
  const multisample = readMultisample(readMember(input, 'multisample', label, 'multisample'), label);
  checkRenderPipelineParts({ targets: fragment?.targets, depthStencil, primitive, multisample }, label, caps);
  const fields = {
    layout,
    vertex: { ...vertexStage, buffers },
    fragment,
    primitive,
    depthStencil,
    multisample,
  };
  return Object.freeze({ label, ...fields, key: JSON.stringify(fields) });
}

/**
 * Validates a compute pipeline: `layout` a live pipeline layout handle or 'auto', `compute` a stage with a live
 * shader handle, an optional non-empty entry point and finite constants.
 *
 * @example
 * normalizeComputePipelineDescriptor({ layout: 'auto', compute: { module: shader } }, lookup, caps);
 */
export function normalizeComputePipelineDescriptor(
  desc: ComputePipelineDescriptor,
  lookup: ResourceLookup,
  _caps: Capabilities,
): NormalizedComputePipelineDescriptor {
  const input = readDescriptor(desc, 'compute pipeline');
  const label = readLabel(input);
  const layout = readLayout(input, label, lookup);
  const compute = readStage(readMember(input, 'compute', label, 'compute'), label, 'compute', lookup);
  return Object.freeze({ label, layout, compute, key: JSON.stringify({ layout, compute }) });
}

/**
 * The handles a render pipeline depends on: its shader modules and its layout (unless 'auto').
 *
 * @example
 * renderPipelineDependencies(desc) // [vertexShader, fragmentShader, layout]
 */
export function renderPipelineDependencies(desc: NormalizedRenderPipelineDescriptor): AnyHandle[] {
  const handles = new Set<AnyHandle>([desc.vertex.module]);
  if (desc.fragment) handles.add(desc.fragment.module);
  if (desc.layout !== 'auto') handles.add(desc.layout);
  return [...handles];
}

/**
 * The handles a compute pipeline depends on: its shader module and its layout (unless 'auto').
 *
 * @example
 * computePipelineDependencies(desc) // [shader, layout]
 */
export function computePipelineDependencies(desc: NormalizedComputePipelineDescriptor): AnyHandle[] {
  return desc.layout === 'auto' ? [desc.compute.module] : [desc.compute.module, desc.layout];
}
