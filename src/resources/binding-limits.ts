/**
 * The device's binding limits over one bind group layout, or over every layout of a pipeline layout together:
 * bindings of each type visible to each shader stage, and buffers with dynamic offsets.
 */
import type { Capabilities } from '../core/capabilities.ts';
import { ValidationError } from '../errors.ts';
import type { NormalizedLayoutEntry } from './bind-group-layout.ts';

// ShaderStage's bits, written out: bind-group-layout.ts imports this module, so a value import back from it
// would read ShaderStage before that module has run.
const STAGES = [
  ['vertex', 0x1],
  ['fragment', 0x2],
  ['compute', 0x4],
] as const;

type StageLimit =
  | 'maxSampledTexturesPerShaderStage'
  | 'maxSamplersPerShaderStage'
  | 'maxStorageBuffersPerShaderStage'
  | 'maxStorageTexturesPerShaderStage'
  | 'maxUniformBuffersPerShaderStage';

const STAGE_LIMIT_NAMES: Readonly<Record<StageLimit, string>> = {
  maxSampledTexturesPerShaderStage: 'sampled textures',
  maxSamplersPerShaderStage: 'samplers',
  maxStorageBuffersPerShaderStage: 'storage buffers (it has none)',
  maxStorageTexturesPerShaderStage: 'storage textures (it has none)',
  maxUniformBuffersPerShaderStage: 'uniform buffers',
};

function stageLimitOf(entry: NormalizedLayoutEntry): StageLimit {
  switch (entry.type) {
    case 'buffer':
      return entry.bufferType === 'uniform'
        ? 'maxUniformBuffersPerShaderStage'
        : 'maxStorageBuffersPerShaderStage';
    case 'sampler':
      return 'maxSamplersPerShaderStage';
    case 'texture':
      return 'maxSampledTexturesPerShaderStage';
    case 'storageTexture':
      return 'maxStorageTexturesPerShaderStage';
  }
}

/**
 * Checks the binding counts of one layout, or of every layout of a pipeline layout together, against the
 * device: per stage, the sampled textures, samplers, storage buffers, storage textures and uniform buffers
 * visible to it; per layout, the buffers with dynamic offsets. Throws `ValidationError` naming the stage,
 * the count and the limit.
 *
 * @example
 * checkBindingLimits([layoutA.entries, layoutB.entries], caps, label, 'bindGroupLayouts');
 */
export function checkBindingLimits(
  layouts: readonly (readonly NormalizedLayoutEntry[])[],
  caps: Capabilities,
  label: string,
  field: string,
): void {
  const counts = new Map<string, number>();
  let dynamicUniform = 0;
  let dynamicStorage = 0;
  for (const entries of layouts) {
    for (const entry of entries) {
      const limit = stageLimitOf(entry);
      for (const [stage, bit] of STAGES) {
        if (entry.visibility & bit) {
          const key = `${stage} ${limit}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
      }
      if (entry.type === 'buffer' && entry.hasDynamicOffset) {
        if (entry.bufferType === 'uniform') dynamicUniform++;
        else dynamicStorage++;
      }
    }
  }
  const { limits } = caps;
  for (const [key, count] of counts) {
    const [stage, limit] = key.split(' ') as [string, StageLimit];
    if (count > limits[limit]) {
      // A limit of 0 means the device has no such bindings at all (WebGL2 has no storage buffers or textures).
      const none =
        limits[limit] === 0
          ? `: ${caps.backend === 'webgl2' ? 'WebGL2 cannot bind' : 'this device cannot bind'} ${STAGE_LIMIT_NAMES[limit]}`
          : '';
      throw new ValidationError(
        label,
        field,
        count,
        `has ${count} bindings of that type visible to the ${stage} stage: must be <= ${limit} (${limits[limit]})${none}`,
      );
    }
  }
  if (dynamicUniform > limits.maxDynamicUniformBuffersPerPipelineLayout) {
    throw new ValidationError(
      label,
      field,
      dynamicUniform,
      `has ${dynamicUniform} uniform buffers with dynamic offsets: must be <= maxDynamicUniformBuffersPerPipelineLayout (${limits.maxDynamicUniformBuffersPerPipelineLayout})`,
    );
  }
  if (dynamicStorage > limits.maxDynamicStorageBuffersPerPipelineLayout) {
    throw new ValidationError(
      label,
      field,
      dynamicStorage,
      `has ${dynamicStorage} storage buffers with dynamic offsets: must be <= maxDynamicStorageBuffersPerPipelineLayout (${limits.maxDynamicStorageBuffersPerPipelineLayout})`,
    );
  }
}
