/**
 * Render and compute pipelines on WebGPU, built with `create*PipelineAsync` (no stall on the first draw). A
 * refusal (`GPUPipelineError`) becomes a `GpuValidationError` that names the pipeline and carries the GPU's
 * message.
 */
import { GpuValidationError } from '../../errors.ts';
import type {
  NormalizedComputePipelineDescriptor,
  NormalizedRenderPipelineDescriptor,
  NormalizedStage,
} from '../../resources/pipeline.ts';

function stage(module: GPUShaderModule, desc: NormalizedStage): GPUProgrammableStage {
  return {
    module,
    ...(desc.entryPoint !== undefined && { entryPoint: desc.entryPoint }),
    constants: { ...desc.constants },
  };
}

async function refusedAs<T>(label: string, operation: string, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new GpuValidationError(label, operation, message);
  }
}

/**
 * Creates a render pipeline from a validated descriptor.
 *
 * @example
 * const pipeline = await createWebGPURenderPipeline(device, desc, { layout: 'auto', vertex, fragment });
 */
export function createWebGPURenderPipeline(
  device: GPUDevice,
  desc: NormalizedRenderPipelineDescriptor,
  objects: {
    layout: GPUPipelineLayout | 'auto';
    vertex: GPUShaderModule;
    fragment: GPUShaderModule | undefined;
  },
): Promise<GPURenderPipeline> {
  const { fragment, depthStencil, primitive } = desc;
  const descriptor: GPURenderPipelineDescriptor = {
    label: desc.label,
    layout: objects.layout,
    vertex: {
      ...stage(objects.vertex, desc.vertex),
      buffers: desc.vertex.buffers.map((b) => ({
        arrayStride: b.arrayStride,
        stepMode: b.stepMode,
        attributes: b.attributes.map((a) => ({ ...a })),
      })),
    },
    primitive: {
      topology: primitive.topology,
      frontFace: primitive.frontFace,
      cullMode: primitive.cullMode,
      ...(primitive.stripIndexFormat !== undefined && { stripIndexFormat: primitive.stripIndexFormat }),
      ...(primitive.unclippedDepth && { unclippedDepth: true }),
    },
    multisample: { ...desc.multisample },
    ...(fragment &&
      objects.fragment && {
        fragment: {
          ...stage(objects.fragment, fragment),
          targets: fragment.targets.map((t) =>
            t === null
              ? null
              : {
                  format: t.format,
                  writeMask: t.writeMask,
                  ...(t.blend && { blend: { color: { ...t.blend.color }, alpha: { ...t.blend.alpha } } }),
                },
          ),
        },
      }),
    ...(depthStencil && {
      depthStencil: {
        ...depthStencil,
        stencilFront: { ...depthStencil.stencilFront },
        stencilBack: { ...depthStencil.stencilBack },
      },
    }),
  };
  return refusedAs(desc.label, 'create a render pipeline', () =>
    device.createRenderPipelineAsync(descriptor),
  );
}

/**
 * Creates a compute pipeline from a validated descriptor.
 *
 * @example
 * const pipeline = await createWebGPUComputePipeline(device, desc, { layout, compute: module });
 */
export function createWebGPUComputePipeline(
  device: GPUDevice,
  desc: NormalizedComputePipelineDescriptor,
  objects: { layout: GPUPipelineLayout | 'auto'; compute: GPUShaderModule },
): Promise<GPUComputePipeline> {
  return refusedAs(desc.label, 'create a compute pipeline', () =>
    device.createComputePipelineAsync({
      label: desc.label,
      layout: objects.layout,
      compute: stage(objects.compute, desc.compute),
    }),
  );
}
