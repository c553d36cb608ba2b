/// <reference types="@webgpu/types" preserve="true" />
/// <reference lib="esnext.disposable" preserve="true" />
// gpu-handles: the user API. Re-exports only. One backend alone: `gpu-handles/webgpu`, `gpu-handles/webgl2`;
// writing a backend: `gpu-handles/backend`.

// The texture atlas: the pure allocator, the offline packer, and the GPU atlas over a manager.
export {
  type AllocationId,
  AtlasAllocator,
  type AtlasAllocatorOptions,
  type AtlasAllocatorStats,
  type AtlasContentLostEvent,
  type AtlasEventMap,
  type AtlasManager,
  type AtlasMove,
  type AtlasMovedEvent,
  type AtlasOptions,
  type AtlasRect,
  type AtlasRegion,
  type AtlasRegionDescriptor,
  type AtlasRegionHandle,
  type AtlasRegionObject,
  type AtlasRegionPlace,
  type AtlasStats,
  createAtlas,
  type PackAtlasOptions,
  type PackedAtlas,
  packAtlas,
  TextureAtlas,
} from './atlas/index.ts';
export type { BudgetOptions } from './budget/budget-policy.ts';
export type { ContentSource, ResidencyClass, ResidencyOptions } from './budget/content.ts';
export { type DisposeReason, TtlCache, type TtlCacheOptions, type TtlCacheStats } from './cache/ttl-cache.ts';
export type { BackendObjects, RenderPassOptions, StagingPoolStats, StagingStats } from './core/backend.ts';
export { type Capabilities, defaultCapabilities, type ResourceLimits } from './core/capabilities.ts';
export { KINDS, type KindSpec, RESOURCE_KINDS } from './core/kinds.ts';
export {
  createResourceManager,
  type WebGL2ManagerOptions,
  type WebGL2ResourceManager,
  type WebGPUManagerOptions,
  type WebGPUResourceManager,
} from './create.ts';
export {
  AbortError,
  AtlasError,
  BudgetExceededError,
  DeviceLostError,
  DisposedError,
  ForeignHandleError,
  FramebufferIncompleteError,
  GpuHandlesError,
  GpuValidationError,
  NotResidentError,
  PoolReleaseError,
  ReadbackCancelledError,
  RefCountError,
  ResourceInUseError,
  ResourceStateError,
  ShaderCompileError,
  type ShaderMessage,
  StaleHandleError,
  TableFullError,
  TimeoutError,
  ValidationError,
  WrongKindError,
} from './errors.ts';
export type { ListenerErrorSink } from './events.ts';
export { type AnyHandle, formatHandle, type Handle, isHandleShaped, unpackHandle } from './handles/handle.ts';
export { ResourceTable, type ResourceTableOptions } from './handles/resource-table.ts';
export {
  type KindUsage,
  LEDGER_KINDS,
  type LedgerKind,
  type LedgerSnapshot,
  type StateUsage,
} from './ledger.ts';
export { ResourceScope } from './lifetimes/scope.ts';
export { WeakHandle } from './lifetimes/weak-handle.ts';
export type { LeakReport, ManagerDump, ResourceDump } from './manager/report.ts';
export type { ContentOutcome, ResidencyStats } from './manager/residency.ts';
export {
  type DestroyOptions,
  type ManagerEvents,
  type ManagerOptions,
  type ManagerStats,
  ResourceManager,
} from './manager/resource-manager.ts';
export type { RestoredResource, RestoreReport } from './manager/restore.ts';
export type { FrameTimeSource } from './overlay/frame-time-section.ts';
export {
  createFrameTimer,
  FrameTimer,
  type FrameTimerManager,
  type FrameTimes,
  type TimedFrame,
} from './overlay/gpu-timer.ts';
export type { OverlayPosition, PanelStat } from './overlay/panel.ts';
export {
  addStatsGlMemoryPanel,
  type StatsGlLike,
  type StatsGlMemoryPanel,
  type StatsGlMemoryPanelOptions,
  type StatsGlPanelLike,
} from './overlay/stats-gl-panel.ts';
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
  type SwapChainSource,
  swapChainBytes,
} from './overlay/swap-chain.ts';
export {
  RenderTargetPool,
  type RenderTargetPoolHost,
  type RenderTargetPoolOptions,
  type RenderTargetPoolStats,
  type TransientTarget,
  type TransientTargetDescriptor,
} from './pool/render-target-pool.ts';
export {
  type AcquireOptions,
  ResourcePool,
  type ResourcePoolOptions,
  type ResourcePoolStats,
} from './pool/resource-pool.ts';
export type { BindGroupDescriptor, BindingResourceInput } from './resources/bind-group.ts';
export {
  type BindGroupLayoutDescriptor,
  type BindGroupLayoutEntryInput,
  ShaderStage,
} from './resources/bind-group-layout.ts';
export {
  type BufferDescriptor,
  type NormalizedBufferDescriptor,
  normalizeBufferDescriptor,
} from './resources/buffer.ts';
export { textureDescriptorBytes } from './resources/descriptor-bytes.ts';
export { getFormatInfo, type TextureFormatInfo } from './resources/formats.ts';
export type { ComputePipelineDescriptor, RenderPipelineDescriptor } from './resources/pipeline.ts';
export type { PipelineLayoutDescriptor } from './resources/pipeline-layout.ts';
export type { QuerySetDescriptor } from './resources/query-set.ts';
export type {
  BufferRecord,
  GraphicsResource,
  RecordOf,
  RenderTargetRecord,
  ResourceKind,
  ResourceMetrics,
  ResourceRecord,
  ResourceState,
  ShaderRecord,
  TextureRecord,
} from './resources/records.ts';
export type {
  ClearColor,
  ColorAttachmentInput,
  DepthStencilInput,
  NormalizedColorAttachment,
  NormalizedDepthStencilAttachment,
  NormalizedRenderTargetDescriptor,
  RenderTargetDescriptor,
} from './resources/render-target.ts';
export type { SamplerDescriptor } from './resources/sampler.ts';
export type { ShaderDescriptor } from './resources/shader.ts';
export {
  type NormalizedTextureDescriptor,
  normalizeTextureDescriptor,
  type TextureDescriptor,
} from './resources/texture.ts';
export { type TextureDimension, type TextureSizeInput, textureByteSize } from './resources/texture-size.ts';
export type { TextureViewDescriptor } from './resources/texture-view.ts';
export { BufferUsage, TextureUsage } from './resources/usage.ts';
export type { StagingOptions, TrimPolicy } from './staging/options.ts';
export type { BufferReadRequest } from './staging/planning/buffer-transfer.ts';
export type {
  TextureDataLayout,
  TextureExtentInput,
  TextureLocation,
  TextureOriginInput,
  TextureReadRegion,
} from './staging/planning/texture-transfer.ts';
export { trackCanvasContext } from './tracking/canvas-context.ts';
export type { CollectionWatcher, CollectionWatcherFactory } from './tracking/collection-watcher.ts';
export { trackContext, type WebGL2TrackingManager } from './tracking/track-context.ts';
export { type TrackDeviceOptions, trackDevice, type WebGPUTrackingManager } from './tracking/track-device.ts';
export {
  type CollectedLeak,
  TrackingManager,
  type TrackingNotes,
  type TrackingOptions,
} from './tracking/tracking-manager.ts';
