/**
 * The public surface of each entry point, as sorted lists: a change to what the package exports is a visible
 * diff here. Runtime values are compared with the module's real keys; type-only names are read from the entry
 * file (tests/public-api/export-names.ts). To change the surface, edit the entry file and the list together.
 */
import { describe, expect, it } from 'vitest';
import * as backendEntry from '../src/backend.ts';
import * as errors from '../src/errors.ts';
import * as root from '../src/index.ts';
import * as webgl2Entry from '../src/webgl2.ts';
import * as webgpuEntry from '../src/webgpu.ts';
import { exportNames } from './public-api/export-names.ts';

const ROOT_VALUES = [
  'AbortError',
  'AtlasAllocator',
  'AtlasError',
  'BudgetExceededError',
  'BufferUsage',
  'DEFAULT_SWAP_CHAIN_BUFFERS',
  'DeviceLostError',
  'DisposedError',
  'ForeignHandleError',
  'FrameTimer',
  'FramebufferIncompleteError',
  'GpuHandlesError',
  'GpuValidationError',
  'KINDS',
  'LEDGER_KINDS',
  'NotResidentError',
  'PoolReleaseError',
  'RESOURCE_KINDS',
  'ReadbackCancelledError',
  'RefCountError',
  'RenderTargetPool',
  'ResourceInUseError',
  'ResourceManager',
  'ResourcePool',
  'ResourceScope',
  'ResourceStateError',
  'ResourceTable',
  'ShaderCompileError',
  'ShaderStage',
  'StaleHandleError',
  'StatsOverlay',
  'TableFullError',
  'TextureAtlas',
  'TextureUsage',
  'TimeoutError',
  'TrackingManager',
  'TtlCache',
  'ValidationError',
  'WeakHandle',
  'WrongKindError',
  'addStatsGlMemoryPanel',
  'createAtlas',
  'createFrameTimer',
  'createResourceManager',
  'createStatsOverlay',
  'defaultCapabilities',
  'formatHandle',
  'getFormatInfo',
  'isHandleShaped',
  'normalizeBufferDescriptor',
  'normalizeTextureDescriptor',
  'packAtlas',
  'swapChainBytes',
  'textureByteSize',
  'textureDescriptorBytes',
  'trackCanvasContext',
  'trackContext',
  'trackDevice',
  'unpackHandle',
];

const ROOT_TYPES = [
  'AcquireOptions',
  'AllocationId',
  'AnyHandle',
  'AtlasAllocatorOptions',
  'AtlasAllocatorStats',
  'AtlasContentLostEvent',
  'AtlasEventMap',
  'AtlasManager',
  'AtlasMove',
  'AtlasMovedEvent',
  'AtlasOptions',
  'AtlasRect',
  'AtlasRegion',
  'AtlasRegionDescriptor',
  'AtlasRegionHandle',
  'AtlasRegionObject',
  'AtlasRegionPlace',
  'AtlasStats',
  'BackendObjects',
  'BindGroupDescriptor',
  'BindGroupLayoutDescriptor',
  'BindGroupLayoutEntryInput',
  'BindingResourceInput',
  'BudgetOptions',
  'BufferDescriptor',
  'BufferReadRequest',
  'BufferRecord',
  'CanvasLike',
  'Capabilities',
  'ClearColor',
  'CollectedLeak',
  'CollectionWatcher',
  'CollectionWatcherFactory',
  'ColorAttachmentInput',
  'ComputePipelineDescriptor',
  'ContentOutcome',
  'ContentSource',
  'DepthStencilInput',
  'DestroyOptions',
  'DisposeReason',
  'FrameTimeSource',
  'FrameTimerManager',
  'FrameTimes',
  'GraphicsResource',
  'Handle',
  'KindSpec',
  'KindUsage',
  'LeakReport',
  'LedgerKind',
  'LedgerSnapshot',
  'ListenerErrorSink',
  'ManagerDump',
  'ManagerEvents',
  'ManagerOptions',
  'ManagerStats',
  'NormalizedBufferDescriptor',
  'NormalizedColorAttachment',
  'NormalizedDepthStencilAttachment',
  'NormalizedRenderTargetDescriptor',
  'NormalizedTextureDescriptor',
  'OverlayPosition',
  'PackAtlasOptions',
  'PackedAtlas',
  'PanelStat',
  'PipelineLayoutDescriptor',
  'QuerySetDescriptor',
  'RecordOf',
  'RenderPassOptions',
  'RenderPipelineDescriptor',
  'RenderTargetDescriptor',
  'RenderTargetPoolHost',
  'RenderTargetPoolOptions',
  'RenderTargetPoolStats',
  'RenderTargetRecord',
  'ResidencyClass',
  'ResidencyOptions',
  'ResidencyStats',
  'ResourceDump',
  'ResourceKind',
  'ResourceLimits',
  'ResourceMetrics',
  'ResourcePoolOptions',
  'ResourcePoolStats',
  'ResourceRecord',
  'ResourceState',
  'ResourceTableOptions',
  'RestoreReport',
  'RestoredResource',
  'SamplerDescriptor',
  'ShaderDescriptor',
  'ShaderMessage',
  'ShaderRecord',
  'StagingOptions',
  'StagingPoolStats',
  'StagingStats',
  'StateUsage',
  'StatsGlLike',
  'StatsGlMemoryPanel',
  'StatsGlMemoryPanelOptions',
  'StatsGlPanelLike',
  'StatsOverlayOptions',
  'StatsSource',
  'SwapChainEntry',
  'SwapChainOptions',
  'SwapChainSource',
  'TextureDataLayout',
  'TextureDescriptor',
  'TextureDimension',
  'TextureExtentInput',
  'TextureFormatInfo',
  'TextureLocation',
  'TextureOriginInput',
  'TextureReadRegion',
  'TextureRecord',
  'TextureSizeInput',
  'TextureViewDescriptor',
  'TimedFrame',
  'TrackDeviceOptions',
  'TrackingNotes',
  'TrackingOptions',
  'TransientTarget',
  'TransientTargetDescriptor',
  'TrimPolicy',
  'TtlCacheOptions',
  'TtlCacheStats',
  'WebGL2ManagerOptions',
  'WebGL2ResourceManager',
  'WebGL2TrackingManager',
  'WebGPUManagerOptions',
  'WebGPUResourceManager',
  'WebGPUTrackingManager',
];

const WEBGPU_VALUES = ['WebGPUBackend', 'createResourceManager', 'webgpuCapabilities'];
const WEBGPU_TYPES = ['WebGPUManagerOptions', 'WebGPUObjects', 'WebGPURenderTarget', 'WebGPUResourceManager'];

const WEBGL2_VALUES = [
  'WebGL2Backend',
  'applyGLBindGroup',
  'applyGLPipeline',
  'createResourceManager',
  'glTextureByteSize',
  'webgl2Capabilities',
];
const WEBGL2_TYPES = [
  'WebGL2Buffer',
  'WebGL2Commands',
  'WebGL2Info',
  'WebGL2ManagerOptions',
  'WebGL2Objects',
  'WebGL2Program',
  'WebGL2RenderPass',
  'WebGL2RenderTarget',
  'WebGL2RenderbufferStorage',
  'WebGL2ResourceManager',
  'WebGL2Texture',
  'WebGL2TextureStorage',
];

const BACKEND_VALUES = [
  'COPY_BYTES_PER_ROW_ALIGNMENT',
  'ChunkPool',
  'PooledStaging',
  'ReadQueue',
  'ResourceManager',
  'WEBGPU_DEFAULT_LIMITS',
  'alignUp',
  'copyRows',
  'defaultCapabilities',
  'getFormatInfo',
  'mipLevelExtent',
  'sizeClassOf',
  'splitCopy',
  'textureByteSize',
];
const BACKEND_TYPES = [
  'Backend',
  'BackendName',
  'BackendObjects',
  'BlockFormat',
  'Capabilities',
  'ChunkKind',
  'ChunkPoolOptions',
  'ChunkTrim',
  'CompiledShader',
  'CopyExtent',
  'CopyFootprint',
  'CopyPiece',
  'MipExtent',
  'NormalizedBufferDescriptor',
  'NormalizedColorAttachment',
  'NormalizedDepthStencilAttachment',
  'NormalizedRenderTargetDescriptor',
  'NormalizedShaderDescriptor',
  'NormalizedStagingOptions',
  'NormalizedTextureDescriptor',
  'Origin3',
  'PendingRead',
  'PoolChunk',
  'ReadChunks',
  'ReadSpec',
  'ReadState',
  'RenderPassOptions',
  'RenderTargetAttachments',
  'ResourceLimits',
  'RowLayout',
  'ShaderMessage',
  'SizeClassPolicy',
  'Staging',
  'StagingBelt',
  'StagingHost',
  'StagingPoolStats',
  'StagingReader',
  'StagingStats',
  'TextureCopy',
  'TextureFormatInfo',
  'TextureSizeInput',
  'TextureUploadCopy',
  'TrimPolicy',
];

const ENTRIES = [
  { entry: 'gpu-handles', file: 'index', module: root, values: ROOT_VALUES, types: ROOT_TYPES },
  {
    entry: 'gpu-handles/webgpu',
    file: 'webgpu',
    module: webgpuEntry,
    values: WEBGPU_VALUES,
    types: WEBGPU_TYPES,
  },
  {
    entry: 'gpu-handles/webgl2',
    file: 'webgl2',
    module: webgl2Entry,
    values: WEBGL2_VALUES,
    types: WEBGL2_TYPES,
  },
  {
    entry: 'gpu-handles/backend',
    file: 'backend',
    module: backendEntry,
    values: BACKEND_VALUES,
    types: BACKEND_TYPES,
  },
];

const sorted = (names: readonly string[]) => [...names].sort();

describe('public API', () => {
  for (const { entry, file, module, values, types } of ENTRIES) {
    describe(entry, () => {
      it('exports exactly the listed runtime values (lists kept sorted)', () => {
        expect(values).toEqual(sorted(values));
        expect(Object.keys(module).sort()).toEqual(values);
      });

      it('exports exactly the listed type-only names (lists kept sorted)', () => {
        expect(types).toEqual(sorted(types));
        const names = exportNames(new URL(`../src/${file}.ts`, import.meta.url));
        // The reader's values agree with the module: its type list is read the same way.
        expect(names.values).toEqual(values);
        expect(names.types).toEqual(types);
      });
    });
  }

  it('the root exports every error class and nothing else of errors.ts at runtime', () => {
    const classes = new Map(
      Object.entries(errors).filter(([, value]) => value === errors.GpuHandlesError || isErrorClass(value)),
    );
    expect(classes.size).toBeGreaterThan(10);
    const exported = ROOT_VALUES.filter((name) => name.endsWith('Error'));
    expect(exported).toEqual([...classes.keys()].sort());
    const rootValues = new Map(Object.entries(root));
    for (const [name, value] of classes) expect(rootValues.get(name), name).toBe(value);
  });

  it('internals stay out of the root', () => {
    const internals = [
      'ManagerCore',
      'WebGPUStaging',
      'unsupportedStaging',
      'MemoryLedger',
      'Emitter',
      'HistoryRing',
      'formatBytes',
      'formatCount',
      'formatExactBytes',
      'formatPercent',
      'getGLFormat',
      'glUnsupportedFormatReason',
      'glTextureByteSize',
      'transientTargetKey',
      'planTextureUpload',
      'planTextureRead',
      'planBufferRead',
      'checkBufferUpload',
      'splitCopy',
      'copyFootprint',
      'requiredBytesInCopy',
      'describeValue',
      'WebGPUBackend',
      'WebGL2Backend',
    ];
    expect(internals.filter((name) => name in root)).toEqual([]);
  });

  it('the WebGPU and WebGL2 entries create a manager for their own backend only', () => {
    expect(typeof webgpuEntry.createResourceManager).toBe('function');
    expect(typeof webgl2Entry.createResourceManager).toBe('function');
    expect(webgpuEntry.createResourceManager).not.toBe(webgl2Entry.createResourceManager);
    expect(backendEntry.ResourceManager).toBe(root.ResourceManager);
  });
});

function isErrorClass(value: unknown): boolean {
  return typeof value === 'function' && value.prototype instanceof errors.GpuHandlesError;
}
