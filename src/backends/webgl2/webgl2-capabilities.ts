/**
 * WebGL2 capabilities in the library's neutral (WebGPU) terms: limits from `gl.getParameter`, WebGPU feature
 * names for the GL extensions that provide the same thing, and `unsupportedFormatReason` for what GL cannot
 * do with a format at all. The format rule is a pure function of (format, usage, enabled extensions), so it is
 * tested in Node; `webgl2Capabilities` is the only part that talks to GL.
 */

import type { Capabilities, ResourceLimits } from '../../core/capabilities.ts';
import { WEBGPU_DEFAULT_LIMITS } from '../../core/capabilities.ts';
import { TextureUsage, usageNames } from '../../resources/usage.ts';
import { getGLFormat, isGLColorRenderable } from './gl-formats.ts';

/**
 * The GL extensions the backend enables (`gl.getExtension`) when the context offers them, and the WebGPU
 * feature each one provides. A feature is reported when any of its extensions is there; formats of a missing
 * sibling extension (e.g. BC7 without EXT_texture_compression_bptc) are refused by `unsupportedFormatReason`.
 */
export const EXTENSION_FEATURES: Readonly<Record<string, string | undefined>> = {
  WEBGL_compressed_texture_s3tc: 'texture-compression-bc',
  WEBGL_compressed_texture_s3tc_srgb: 'texture-compression-bc',
  EXT_texture_compression_rgtc: 'texture-compression-bc',
  EXT_texture_compression_bptc: 'texture-compression-bc',
  WEBGL_compressed_texture_etc: 'texture-compression-etc2',
  WEBGL_compressed_texture_astc: 'texture-compression-astc',
  OES_texture_float_linear: 'float32-filterable',
  EXT_float_blend: 'float32-blendable',
  // R11F_G11F_B10F becomes colour-renderable with EXT_color_buffer_float.
  EXT_color_buffer_float: 'rg11b10ufloat-renderable',
  // Enabled for the 16-bit float render targets it allows; no WebGPU feature corresponds.
  EXT_color_buffer_half_float: undefined,
  // The non-blocking shader compile status query; no WebGPU feature corresponds.
  KHR_parallel_shader_compile: undefined,
  // GPU timer queries: timestamp query sets (TIME_ELAPSED_EXT queries) where the context offers them.
  EXT_disjoint_timer_query_webgl2: 'timestamp-query',
};

/**
 * WebGL2 has no buffer size query. The limit is WebGPU's default maxBufferSize (256 MiB), a documented choice so
 * that the same buffer descriptor validates the same way on both backends.
 */
export const WEBGL2_MAX_BUFFER_SIZE = WEBGPU_DEFAULT_LIMITS.maxBufferSize;

/** What the WebGL2 backend knows about its context beyond the neutral capabilities. */
export interface WebGL2Info {
  readonly capabilities: Capabilities;
  /** Extensions the backend enabled. */
  readonly extensions: ReadonlySet<string>;
  /** `MAX_SAMPLES`. */
  readonly maxSamples: number;
  /** `MAX_RENDERBUFFER_SIZE`: multisampled and stencil-only textures are renderbuffers. */
  readonly maxRenderbufferSize: number;
}

/**
 * Why WebGL2 cannot hold `format` with `usage`, or `undefined` when it can. Pure: the enabled extensions are
 * an argument. The neutral validation calls this (through `Capabilities.unsupportedFormatReason`) after its
 * own feature check, so formats whose WebGPU feature is missing never get here.
 *
 * @example
 * glUnsupportedFormatReason('bgra8unorm', TextureUsage.TEXTURE_BINDING, new Set()) // 'has no WebGL2 equivalent: ...'
 * glUnsupportedFormatReason('rgba8unorm', TextureUsage.TEXTURE_BINDING, new Set()) // undefined
 */
export function glUnsupportedFormatReason(
  format: string,
  usage: number,
  extensions: ReadonlySet<string>,
): string | undefined {
  const info = getGLFormat(format);
  if (!info) {
    const hint = format.startsWith('bgra8')
      ? "WebGL2 has no BGRA texture formats; use 'rgba8unorm'"
      : 'no GL sized internal format';
    return `has no WebGL2 equivalent (${hint})`;
  }
  if (info.extension !== undefined && !extensions.has(info.extension)) {
    return `needs the WebGL extension ${info.extension}, which this context does not offer`;
  }
  const got = () => `(got ${usageNames(usage, TextureUsage)})`;
  if (usage & TextureUsage.STORAGE_BINDING) {
    return `cannot have STORAGE_BINDING usage on WebGL2, which has no storage textures ${got()}`;
  }
  // A transient attachment is a renderbuffer too: its TRANSIENT_ATTACHMENT bit says it is never kept.
  if (
    info.renderbufferOnly &&
    (usage & ~TextureUsage.TRANSIENT_ATTACHMENT) !== TextureUsage.RENDER_ATTACHMENT
  ) {
    return `exists on WebGL2 only as a renderbuffer (no stencil-only textures): usage must be exactly RENDER_ATTACHMENT ${got()}`;
  }
  // Only the extension-dependent formats are reported here; formats GL never renders to (snorm, rgb9e5) are
  // also unrenderable on core WebGPU, so the neutral rule reports them the same way on both backends.
  if (usage & TextureUsage.RENDER_ATTACHMENT && Array.isArray(info.renderable)) {
    if (!isGLColorRenderable(info, extensions)) {
      const needed = (info.renderable as readonly string[]).join(' or ');
      return `is not colour-renderable on WebGL2 without ${needed}, which this context does not offer ${got()}`;
    }
  }
  return undefined;
}

/**
 * Enables the extensions the backend uses and reads the limits validation needs.
 *
 * Limits: maxTextureDimension1D/2D = MAX_TEXTURE_SIZE (1D textures are 2D textures of height 1 on WebGL2),
 * maxTextureDimension3D = MAX_3D_TEXTURE_SIZE, maxTextureArrayLayers = MAX_ARRAY_TEXTURE_LAYERS,
 * maxColorAttachments = min(MAX_COLOR_ATTACHMENTS, MAX_DRAW_BUFFERS), maxBufferSize = 256 MiB (see
 * {@link WEBGL2_MAX_BUFFER_SIZE}), maxColorAttachmentBytesPerSample = 16 bytes x attachments: GL has no such
 * budget, so that WebGPU rule never fires on WebGL2.
 *
 * @example
 * const { capabilities, extensions } = webgl2Capabilities(gl);
 * capabilities.features.has('texture-compression-bc') // true where S3TC/RGTC/BPTC exist
 */
export function webgl2Capabilities(gl: WebGL2RenderingContext): WebGL2Info {
  const extensions = new Set<string>();
  const features = new Set<string>(['depth32float-stencil8']); // DEPTH32F_STENCIL8 is core GLES 3.0
  for (const [name, feature] of Object.entries(EXTENSION_FEATURES)) {
    if (!gl.getExtension(name)) continue;
    extensions.add(name);
    if (feature !== undefined) features.add(feature);
  }
  const int = (pname: number) => Number(gl.getParameter(pname));
  const maxTexture = int(gl.MAX_TEXTURE_SIZE);
  const maxColorAttachments = Math.min(int(gl.MAX_COLOR_ATTACHMENTS), int(gl.MAX_DRAW_BUFFERS));
  const limits: ResourceLimits = {
    maxTextureDimension1D: maxTexture,
    maxTextureDimension2D: maxTexture,
    maxTextureDimension3D: int(gl.MAX_3D_TEXTURE_SIZE),
    maxTextureArrayLayers: int(gl.MAX_ARRAY_TEXTURE_LAYERS),
    maxBufferSize: WEBGL2_MAX_BUFFER_SIZE,
    maxColorAttachments,
    maxColorAttachmentBytesPerSample: 16 * maxColorAttachments,
    ...webgl2BindingLimits(int, gl),
  };
  const capabilities: Capabilities = {
    backend: 'webgl2',
    limits,
    features,
    unsupportedFormatReason: (format, usage) => glUnsupportedFormatReason(format, usage, extensions),
  };
  return {
    capabilities,
    extensions,
    maxSamples: int(gl.MAX_SAMPLES),
    maxRenderbufferSize: int(gl.MAX_RENDERBUFFER_SIZE),
  };
}

/**
 * The binding limits of a GL context in WebGPU terms. GL has no bind groups (the backend records them and
 * applies them at draw time), so `maxBindGroups` and `maxBindingsPerBindGroup` are WebGPU's defaults; it has no
 * storage buffers or storage textures (0); uniform blocks, texture units and vertex attributes come from GL.
 * GL caps a vertex attribute stride at 255 bytes (WebGL's rule).
 */
function webgl2BindingLimits(
  int: (pname: number) => number,
  gl: WebGL2RenderingContext,
): Omit<
  ResourceLimits,
  | 'maxTextureDimension1D'
  | 'maxTextureDimension2D'
  | 'maxTextureDimension3D'
  | 'maxTextureArrayLayers'
  | 'maxBufferSize'
  | 'maxColorAttachments'
  | 'maxColorAttachmentBytesPerSample'
> {
  const units = Math.min(int(gl.MAX_TEXTURE_IMAGE_UNITS), int(gl.MAX_VERTEX_TEXTURE_IMAGE_UNITS));
  const blocks = Math.min(int(gl.MAX_VERTEX_UNIFORM_BLOCKS), int(gl.MAX_FRAGMENT_UNIFORM_BLOCKS));
  const attributes = int(gl.MAX_VERTEX_ATTRIBS);
  return {
    maxBindGroups: WEBGPU_DEFAULT_LIMITS.maxBindGroups,
    maxBindingsPerBindGroup: WEBGPU_DEFAULT_LIMITS.maxBindingsPerBindGroup,
    maxDynamicUniformBuffersPerPipelineLayout:
      WEBGPU_DEFAULT_LIMITS.maxDynamicUniformBuffersPerPipelineLayout,
    maxDynamicStorageBuffersPerPipelineLayout: 0,
    // A GL texture unit holds a texture and a sampler together.
    maxSampledTexturesPerShaderStage: units,
    maxSamplersPerShaderStage: units,
    maxStorageBuffersPerShaderStage: 0,
    maxStorageTexturesPerShaderStage: 0,
    maxUniformBuffersPerShaderStage: blocks,
    maxUniformBufferBindingSize: int(gl.MAX_UNIFORM_BLOCK_SIZE),
    maxStorageBufferBindingSize: 0,
    minUniformBufferOffsetAlignment: int(gl.UNIFORM_BUFFER_OFFSET_ALIGNMENT),
    minStorageBufferOffsetAlignment: WEBGPU_DEFAULT_LIMITS.minStorageBufferOffsetAlignment,
    maxVertexBuffers: Math.min(WEBGPU_DEFAULT_LIMITS.maxVertexBuffers, attributes),
    maxVertexAttributes: attributes,
    maxVertexBufferArrayStride: 255,
  };
}
