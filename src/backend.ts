/// <reference types="@webgpu/types" preserve="true" />
/// <reference lib="esnext.disposable" preserve="true" />
/**
 * `gpu-handles/backend`: the contract for backend authors. A backend receives validated, normalized
 * descriptors and is the only code that calls a GPU API; its staging can reuse the backend-neutral chunk pool,
 * read queue and staging shell that the WebGPU and WebGL2 backends are built on. Re-exports only.
 */

export type {
  Backend,
  BackendObjects,
  CompiledShader,
  RenderPassOptions,
  RenderTargetAttachments,
  Staging,
  StagingHost,
  StagingPoolStats,
  StagingStats,
} from './core/backend.ts';
export {
  type BackendName,
  type Capabilities,
  defaultCapabilities,
  type ResourceLimits,
  WEBGPU_DEFAULT_LIMITS,
} from './core/capabilities.ts';
export type { ShaderMessage } from './errors.ts';
export { ResourceManager } from './manager/resource-manager.ts';
export type { NormalizedBufferDescriptor } from './resources/buffer.ts';
export { getFormatInfo, type TextureFormatInfo } from './resources/formats.ts';
export type {
  NormalizedColorAttachment,
  NormalizedDepthStencilAttachment,
  NormalizedRenderTargetDescriptor,
} from './resources/render-target.ts';
export type { NormalizedShaderDescriptor } from './resources/shader.ts';
export type { NormalizedTextureDescriptor } from './resources/texture.ts';
export {
  type MipExtent,
  mipLevelExtent,
  type TextureSizeInput,
  textureByteSize,
} from './resources/texture-size.ts';
export type { NormalizedStagingOptions, TrimPolicy } from './staging/options.ts';
export {
  alignUp,
  type BlockFormat,
  COPY_BYTES_PER_ROW_ALIGNMENT,
  type CopyExtent,
  type CopyFootprint,
  type CopyPiece,
  splitCopy,
} from './staging/planning/copy-layout.ts';
export { copyRows, type RowLayout } from './staging/planning/copy-rows.ts';
export type { Origin3, TextureCopy, TextureUploadCopy } from './staging/planning/texture-transfer.ts';
export {
  type ChunkKind,
  ChunkPool,
  type ChunkPoolOptions,
  type ChunkTrim,
  type PoolChunk,
} from './staging/pooling/chunk-pool.ts';
export { PooledStaging, type StagingBelt, type StagingReader } from './staging/pooling/pooled-staging.ts';
export {
  type PendingRead,
  type ReadChunks,
  ReadQueue,
  type ReadSpec,
  type ReadState,
} from './staging/pooling/read-queue.ts';
export { type SizeClassPolicy, sizeClassOf } from './staging/pooling/size-classes.ts';
