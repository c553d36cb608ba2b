// gpu-handles public API: re-exports only.

export {
  WebGPUBackend,
  type WebGPUObjects,
  type WebGPURenderTarget,
  webgpuCapabilities,
} from './backends/webgpu/webgpu-backend.ts';
export type { Backend, BackendObjects, RenderPassOptions } from './core/backend.ts';
export { type Capabilities, defaultCapabilities, type ResourceLimits } from './core/capabilities.ts';
export { createResourceManager, type WebGPUManagerOptions, type WebGPUResourceManager } from './create.ts';
export * from './errors.ts';
export { Emitter } from './events.ts';
export { type AnyHandle, formatHandle, type Handle, isHandleShaped, unpackHandle } from './handles/handle.ts';
export { ResourceTable, type ResourceTableOptions } from './handles/resource-table.ts';
export {
  type KindUsage,
  LEDGER_KINDS,
  type LedgerKind,
  type LedgerSnapshot,
  MemoryLedger,
} from './ledger.ts';
export { ResourceScope } from './lifetimes/scope.ts';
export { WeakHandle } from './lifetimes/weak-handle.ts';
export { ManagerCore } from './manager/manager-core.ts';
export type { LeakReport, ManagerDump, ResourceDump } from './manager/report.ts';
export {
  type DestroyOptions,
  type ManagerEvents,
  type ManagerOptions,
  type ManagerStats,
  ResourceManager,
} from './manager/resource-manager.ts';
export { formatBytes, formatCount, formatExactBytes, formatPercent } from './overlay/format.ts';
export { HistoryRing } from './overlay/history.ts';
export type { OverlayPosition, PanelStat } from './overlay/panel.ts';
export {
  createStatsOverlay,
  StatsOverlay,
  type StatsOverlayOptions,
  type StatsSource,
} from './overlay/stats-overlay.ts';
export {
  type CanvasLike,
  DEFAULT_SWAP_CHAIN_BUFFERS,
  type SwapChainEntry,
  type SwapChainOptions,
  SwapChainRegistry,
  type SwapChainSource,
  swapChainBytes,
} from './overlay/swap-chain.ts';
export type { BufferDescriptor, NormalizedBufferDescriptor } from './resources/buffer.ts';
export { getFormatInfo, type TextureFormatInfo } from './resources/formats.ts';
export type {
  BufferRecord,
  GraphicsResource,
  RecordOf,
  RenderTargetRecord,
  ResourceKind,
  ResourceMetrics,
  ShaderRecord,
  TextureRecord,
} from './resources/records.ts';
export type { NormalizedRenderTargetDescriptor, RenderTargetDescriptor } from './resources/render-target.ts';
export type { ShaderDescriptor } from './resources/shader.ts';
export type { NormalizedTextureDescriptor, TextureDescriptor } from './resources/texture.ts';
export { textureByteSize } from './resources/texture-size.ts';
export { BufferUsage, TextureUsage } from './resources/usage.ts';

// Staging (issue 4): upload belt, readback pool, render-target pool, copy layout math.

export { WebGPUStaging } from './backends/webgpu/staging/webgpu-staging.ts';
export {
  type Staging,
  type StagingHost,
  type StagingPoolStats,
  type StagingStats,
  unsupportedStaging,
} from './core/backend.ts';
export {
  RenderTargetPool,
  type RenderTargetPoolHost,
  type RenderTargetPoolOptions,
  type RenderTargetPoolStats,
  type TransientTarget,
  type TransientTargetDescriptor,
  transientTargetKey,
} from './pool/render-target-pool.ts';
export {
  type NormalizedStagingOptions,
  normalizeStagingOptions,
  type StagingOptions,
  type TrimPolicy,
} from './staging/options.ts';
export {
  type BufferReadPlan,
  checkBufferUpload,
  planBufferRead,
} from './staging/planning/buffer-transfer.ts';
export {
  alignUp,
  type BlockFormat,
  COPY_BYTES_PER_ROW_ALIGNMENT,
  type CopyExtent,
  type CopyFootprint,
  type CopyPiece,
  copyFootprint,
  requiredBytesInCopy,
  splitCopy,
} from './staging/planning/copy-layout.ts';
export {
  type Origin3,
  planTextureRead,
  planTextureUpload,
  type TextureCopy,
  type TextureDataLayout,
  type TextureExtentInput,
  type TextureLocation,
  type TextureOriginInput,
  type TextureReadRegion,
  type TextureUploadCopy,
  type TextureUploadPlan,
} from './staging/planning/texture-transfer.ts';
export { type SizeClassPolicy, sizeClassOf } from './staging/pooling/size-classes.ts';

// WebGL2 backend (issue 6): createResourceManager({ gl }), its object types, GL format table and rules.

export { type GLFormatInfo, getGLFormat } from './backends/webgl2/gl-formats.ts';
export { glTextureByteSize } from './backends/webgl2/gl-texture-size.ts';
export {
  WebGL2Backend,
  type WebGL2Commands,
  type WebGL2Objects,
} from './backends/webgl2/webgl2-backend.ts';
export type { WebGL2Buffer } from './backends/webgl2/webgl2-buffers.ts';
export { glUnsupportedFormatReason, webgl2Capabilities } from './backends/webgl2/webgl2-capabilities.ts';
export type { WebGL2RenderPass } from './backends/webgl2/webgl2-render-pass.ts';
export type { WebGL2RenderTarget } from './backends/webgl2/webgl2-render-targets.ts';
export type { WebGL2Program } from './backends/webgl2/webgl2-shaders.ts';
export type {
  WebGL2RenderbufferStorage,
  WebGL2Texture,
  WebGL2TextureStorage,
} from './backends/webgl2/webgl2-textures.ts';
export type { WebGL2ManagerOptions, WebGL2ResourceManager } from './create.ts';

// Generic pool and cache (issue 4, sections 1 and 2).

export {
  type DisposeReason,
  TtlCache,
  type TtlCacheOptions,
  type TtlCacheStats,
} from './cache/ttl-cache.ts';
export {
  type AcquireOptions,
  ResourcePool,
  type ResourcePoolOptions,
  type ResourcePoolStats,
} from './pool/resource-pool.ts';
