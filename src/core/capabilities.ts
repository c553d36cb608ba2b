/**
 * What a backend's device can do, in backend-neutral terms. Validation is a pure function of a descriptor and
 * these capabilities, so it is testable without a GPU (build one with `defaultCapabilities()`).
 */

/** The subset of device limits that resource validation depends on (WebGPU names). */
export interface ResourceLimits {
  readonly maxTextureDimension1D: number;
  readonly maxTextureDimension2D: number;
  readonly maxTextureDimension3D: number;
  readonly maxTextureArrayLayers: number;
  readonly maxBufferSize: number;
  readonly maxColorAttachments: number;
  readonly maxColorAttachmentBytesPerSample: number;
  readonly maxBindGroups: number;
  readonly maxBindingsPerBindGroup: number;
  readonly maxDynamicUniformBuffersPerPipelineLayout: number;
  readonly maxDynamicStorageBuffersPerPipelineLayout: number;
  readonly maxSampledTexturesPerShaderStage: number;
  readonly maxSamplersPerShaderStage: number;
  readonly maxStorageBuffersPerShaderStage: number;
  readonly maxStorageTexturesPerShaderStage: number;
  readonly maxUniformBuffersPerShaderStage: number;
  readonly maxUniformBufferBindingSize: number;
  readonly maxStorageBufferBindingSize: number;
  readonly minUniformBufferOffsetAlignment: number;
  readonly minStorageBufferOffsetAlignment: number;
  readonly maxVertexBuffers: number;
  readonly maxVertexAttributes: number;
  readonly maxVertexBufferArrayStride: number;
}

/** Which backend produced the capabilities. */
export type BackendName = 'webgpu' | 'webgl2';

/** Device capabilities as validation sees them. */
export interface Capabilities {
  readonly backend: BackendName;
  readonly limits: ResourceLimits;
  /** Enabled device features by WebGPU name, e.g. `'texture-compression-bc'`, `'float32-filterable'`. */
  readonly features: ReadonlySet<string>;
  /**
   * Backend-specific format support beyond features (WebGL2 lacks some formats); `undefined` means every
   * format whose required feature is enabled. Returns a rule text when unsupported, `undefined` when fine.
   */
  readonly unsupportedFormatReason?: (format: string, usage: number) => string | undefined;
}

/** The WebGPU spec's default limits: the floor every conformant device meets. */
export const WEBGPU_DEFAULT_LIMITS: ResourceLimits = {
  maxTextureDimension1D: 8192,
  maxTextureDimension2D: 8192,
  maxTextureDimension3D: 2048,
  maxTextureArrayLayers: 256,
  maxBufferSize: 268435456,
  maxColorAttachments: 8,
  maxColorAttachmentBytesPerSample: 32,
  maxBindGroups: 4,
  maxBindingsPerBindGroup: 1000,
  maxDynamicUniformBuffersPerPipelineLayout: 8,
  maxDynamicStorageBuffersPerPipelineLayout: 4,
  maxSampledTexturesPerShaderStage: 16,
  maxSamplersPerShaderStage: 16,
  maxStorageBuffersPerShaderStage: 8,
  maxStorageTexturesPerShaderStage: 4,
  maxUniformBuffersPerShaderStage: 12,
  maxUniformBufferBindingSize: 65536,
  maxStorageBufferBindingSize: 134217728,
  minUniformBufferOffsetAlignment: 256,
  minStorageBufferOffsetAlignment: 256,
  maxVertexBuffers: 8,
  maxVertexAttributes: 16,
  maxVertexBufferArrayStride: 2048,
};

/**
 * Capabilities for pure validation tests and tools: WebGPU default limits, the given features.
 *
 * @example
 * const caps = defaultCapabilities(['texture-compression-bc']);
 * normalizeTextureDescriptor({ size: [8, 8], format: 'bc1-rgba-unorm', usage: 4 }, caps);
 */
export function defaultCapabilities(
  features: Iterable<string> = [],
  limits: Partial<ResourceLimits> = {},
): Capabilities {
  return {
    backend: 'webgpu',
    limits: { ...WEBGPU_DEFAULT_LIMITS, ...limits },
    features: new Set(features),
  };
}
