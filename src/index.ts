// gpu-handles public API: re-exports only.
export type { Backend, BackendObjects, RenderPassOptions } from './backends/backend.ts';
export { type Capabilities, defaultCapabilities, type ResourceLimits } from './backends/capabilities.ts';
export {
  WebGPUBackend,
  type WebGPUObjects,
  type WebGPURenderTarget,
  webgpuCapabilities,
} from './backends/webgpu/webgpu-backend.ts';
export { createResourceManager, type WebGPUManagerOptions, type WebGPUResourceManager } from './create.ts';
export * from './errors.ts';
export { Emitter } from './events.ts';
export { type AnyHandle, formatHandle, type Handle, isHandleShaped, unpackHandle } from './handles/handle.ts';
export { ResourceTable, type ResourceTableOptions } from './handles/resource-table.ts';
export { type KindUsage, LEDGER_KINDS, type LedgerKind, type LedgerSnapshot, MemoryLedger } from './ledger.ts';
export { ResourceScope } from './lifetimes/scope.ts';
export { WeakHandle } from './lifetimes/weak-handle.ts';
export type { LeakReport, ManagerDump, ResourceDump } from './manager/report.ts';
export {
  type DestroyOptions,
  type ManagerEvents,
  type ManagerOptions,
  type ManagerStats,
  ResourceManager,
} from './manager/resource-manager.ts';
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
