import type { ShaderMessage } from '../errors.ts';
import type { NormalizedBindGroupDescriptor } from '../resources/bind-group.ts';
import type { NormalizedBindGroupLayoutDescriptor } from '../resources/bind-group-layout.ts';
import type { NormalizedBufferDescriptor } from '../resources/buffer.ts';
import type {
  NormalizedComputePipelineDescriptor,
  NormalizedRenderPipelineDescriptor,
} from '../resources/pipeline.ts';
import type { NormalizedPipelineLayoutDescriptor } from '../resources/pipeline-layout.ts';
import type { NormalizedQuerySetDescriptor } from '../resources/query-set.ts';
import type { NormalizedRenderTargetDescriptor } from '../resources/render-target.ts';
import type { NormalizedSamplerDescriptor } from '../resources/sampler.ts';
import type { NormalizedShaderDescriptor } from '../resources/shader.ts';
import type { NormalizedTextureDescriptor } from '../resources/texture.ts';
import type { NormalizedTextureViewDescriptor } from '../resources/texture-view.ts';
import type { NormalizedStagingOptions, TrimPolicy } from '../staging/options.ts';
import type { TextureCopy, TextureUploadCopy } from '../staging/planning/texture-transfer.ts';
import type { Capabilities } from './capabilities.ts';
import type { ResourceKind } from './kind-types.ts';

/**
 * The object types of one backend: one per resource kind (a missing kind does not compile), plus what
 * `submit`, `renderPass` and `flush` exchange. The core only sees these as type parameters, which is what lets
 * WebGL2 slot in beside WebGPU without touching it.
 */
export type BackendObjects = { [K in ResourceKind]: unknown } & {
  /** What `manager.submit` accepts (`GPUCommandBuffer` on WebGPU). */
  commandBuffer: unknown;
  /** What `manager.renderPass(rt)` returns (`GPURenderPassDescriptor` on WebGPU). */
  renderPass: unknown;
  /** What `manager.flush(encoder)` records upload copies into (`GPUCommandEncoder` on WebGPU). */
  encoder: unknown;
};

/**
 * How a backend really frees the GPU object of each kind (`GPUTexture.destroy()`, `gl.deleteTexture`, or
 * nothing where dropping the reference is the free). The registry calls these exactly once per object.
 */
export type BackendDestroyers<B extends BackendObjects> = {
  readonly [K in ResourceKind]: (object: B[K]) => void;
};

/** Per-pass choices when building a render pass from a render target. */
export interface RenderPassOptions {
  /** Clear the attachments (default) or load their contents. */
  load?: 'clear' | 'load';
  /** Store the results (default) or discard them. */
  store?: 'store' | 'discard';
}

/** The backend objects of a render target's attachments, in descriptor order. */
export interface RenderTargetAttachments<B extends BackendObjects> {
  /** One per colour slot; null for an empty slot. */
  readonly color: readonly ({ texture: B['texture']; resolveTarget: B['texture'] | undefined } | null)[];
  readonly depthStencil: B['texture'] | undefined;
}

/** The backend object bound at one binding of a bind group (a texture stands for its default view). */
export type BindGroupResource<B extends BackendObjects> =
  | { readonly binding: number; readonly buffer: B['buffer']; readonly offset: number; readonly size: number }
  | { readonly binding: number; readonly sampler: B['sampler'] }
  | { readonly binding: number; readonly view: B['textureView'] }
  | { readonly binding: number; readonly texture: B['texture'] };

/** The layout a pipeline is built with: a pipeline layout's object, or 'auto'. */
export interface PipelineObjects<B extends BackendObjects> {
  readonly layout: B['pipelineLayout'] | 'auto';
}

/** The result of compiling a shader: the module and every compiler message (errors make it unusable). */
export interface CompiledShader<B extends BackendObjects> {
  readonly shader: B['shader'] | undefined;
  readonly messages: readonly ShaderMessage[];
}

/**
 * The only place that calls a GPU API. Descriptors arrive validated and normalized; a backend never
 * validates what the core already did, and never touches the table or the ledger.
 */
export interface Backend<B extends BackendObjects> {
  readonly capabilities: Capabilities;
  createTexture(desc: NormalizedTextureDescriptor): B['texture'];
  createBuffer(desc: NormalizedBufferDescriptor): B['buffer'];
  /** Compiles; resolves with the messages instead of throwing, the manager decides what is an error. */
  compileShader(desc: NormalizedShaderDescriptor): Promise<CompiledShader<B>>;
  createRenderTarget(
    desc: NormalizedRenderTargetDescriptor,
    attachments: RenderTargetAttachments<B>,
  ): B['renderTarget'];
  createSampler(desc: NormalizedSamplerDescriptor): B['sampler'];
  createTextureView(desc: NormalizedTextureViewDescriptor, texture: B['texture']): B['textureView'];
  createBindGroupLayout(desc: NormalizedBindGroupLayoutDescriptor): B['bindGroupLayout'];
  createPipelineLayout(
    desc: NormalizedPipelineLayoutDescriptor,
    layouts: readonly B['bindGroupLayout'][],
  ): B['pipelineLayout'];
  /** `resources` are in the order of `desc.entries`. */
  createBindGroup(
    desc: NormalizedBindGroupDescriptor,
    layout: B['bindGroupLayout'],
    resources: readonly BindGroupResource<B>[],
  ): B['bindGroup'];
  createQuerySet(desc: NormalizedQuerySetDescriptor): B['querySet'];
  /**
   * Builds a render pipeline (`createRenderPipelineAsync`); rejects with `GpuValidationError` carrying the
   * GPU's message and the label when the GPU refuses it.
   */
  createRenderPipeline(
    desc: NormalizedRenderPipelineDescriptor,
    objects: PipelineObjects<B> & {
      readonly vertex: B['shader'];
      readonly fragment: B['shader'] | undefined;
    },
  ): Promise<B['renderPipeline']>;
  /** Builds a compute pipeline (`createComputePipelineAsync`); rejects like {@link createRenderPipeline}. */
  createComputePipeline(
    desc: NormalizedComputePipelineDescriptor,
    objects: PipelineObjects<B> & { readonly compute: B['shader'] },
  ): Promise<B['computePipeline']>;
  /** The bind group layout a pipeline made with `layout: 'auto'` implies for `group`. */
  implicitBindGroupLayout(
    pipeline: B['renderPipeline'] | B['computePipeline'],
    group: number,
    label: string,
  ): B['bindGroupLayout'];
  /** Really frees GPU objects, one function per kind; called exactly once per object. */
  readonly destroy: BackendDestroyers<B>;
  /** Builds what a render pass needs to draw into `renderTarget`. */
  renderPass(
    renderTarget: B['renderTarget'],
    desc: NormalizedRenderTargetDescriptor,
    options: RenderPassOptions,
  ): B['renderPass'];
  /** Exact bytes of a texture as this backend allocates it (the ledger's source of truth). */
  textureByteSize(desc: NormalizedTextureDescriptor): number;
  /**
   * Throws a `ValidationError` unless `items` is an array of this backend's command buffers: nothing a caller
   * made up may reach the GPU API (a Proxy in `queue.submit` aborts Dawn's process).
   */
  checkSubmission(items: unknown): void;
  /** Throws a `ValidationError` unless `value` is one of this backend's encoders; `operation` names the call. */
  checkEncoder(value: unknown, operation: string): void;
  /** Submits recorded work (`queue.submit`). */
  submit(commandBuffers: readonly B['commandBuffer'][]): void;
  /** Resolves when all work submitted so far has completed on the GPU. */
  onSubmittedWorkDone(): Promise<void>;
  /**
   * Debug mode: runs `create` inside the backend's error capture (WebGPU error scopes) and resolves with
   * the first GPU error message, or undefined.
   */
  captureErrors<T>(create: () => T): { value: T; error: Promise<string | undefined> };
  /**
   * Subscribes to a lost context coming back by itself (WebGL2's `webglcontextrestored`), with the backend to
   * restore onto. Backends whose devices never come back (WebGPU: request a new device) omit it.
   */
  onRestored?(listener: (backend: Backend<B>) => void): () => void;
  /** Subscribes to device/context loss. Returns the unsubscribe function. */
  onLost(listener: (reason: string) => void): () => void;
  /**
   * Creates this device's staging: the upload belt and the readback pool. Called once by the manager, which
   * counts what the staging reports through `host` in the ledger's `staging` kind.
   */
  createStaging(host: StagingHost, options: NormalizedStagingOptions): Staging<B>;
}

// ---- staging contract -----------------------------------------------------------------------------------

/** Where staging memory lives: GPU buffers (the ledger's `staging` kind) or CPU arrays (host bytes). */
export type StagingMemory = 'gpu' | 'host';

/** How a staging reports its memory: every chunk it allocates and really frees, in bytes (default 'gpu'). */
export interface StagingHost {
  allocated(bytes: number, where?: StagingMemory): void;
  freed(bytes: number, where?: StagingMemory): void;
}

/** Counters of one staging pool (upload chunks or readback buffers). O(1) to read. */
export interface StagingPoolStats {
  /** GPU bytes held: idle + in use. Equals what the ledger counts for this pool. */
  readonly bytes: number;
  readonly idleBytes: number;
  /** Chunks (buffers) alive, and how many of them are idle. */
  readonly chunks: number;
  readonly idleChunks: number;
  /** Chunks ever created / destroyed; `created` stops growing once the pool is warm. */
  readonly created: number;
  readonly destroyed: number;
  /** Requests served by an idle chunk. */
  readonly reused: number;
  /** Writes (upload) or reads (readback) queued behind the byte cap. */
  readonly waiting: number;
  /** The byte cap. */
  readonly maxBytes: number;
}

/** `manager.stagingStats()`. */
export interface StagingStats {
  readonly upload: StagingPoolStats & {
    /** Copy commands waiting for the next flush (adjacent writes are merged into one). */
    readonly pendingCopies: number;
    /** Copy commands recorded by flushes so far. */
    readonly copiesRecorded: number;
    /** Chunks the GPU has not handed back yet. */
    readonly inFlight: number;
    /** Scatter passes recorded (WebGPU: many small writes into a STORAGE buffer in one dispatch). */
    readonly scatterPasses: number;
    /** Writes those passes landed (each would otherwise have been a copy command). */
    readonly scatteredWrites: number;
    /** Buffer writes of at least `staging.directWriteBytes` that went to the API at once, unstaged. */
    readonly directWrites: number;
  };
  readonly readback: StagingPoolStats & {
    /** Reads whose data the GPU has not returned yet. */
    readonly inFlight: number;
  };
}

/** One range of a grouped buffer read: `size` bytes (4-byte aligned) of `buffer` at `offset`. */
export interface BufferReadPart<B extends BackendObjects> {
  readonly buffer: B['buffer'];
  readonly offset: number;
  readonly size: number;
  /** Names the buffer in errors. */
  readonly label: string;
}

/**
 * A device's upload belt and readback pool. Arguments arrive validated by the core (`src/staging/`); a
 * staging checks only its own capacity rules. Backend objects are those of live resources.
 *
 * Uploads: data is copied into pooled, persistently mapped staging memory at once (the caller may reuse its
 * array when the call returns); `flush` turns everything staged into copy commands. When the byte cap is
 * reached, the write is queued (the data snapshotted), what is staged is flushed on the staging's own, and
 * a promise is returned that resolves once the write is staged. Promises of writes never reject.
 *
 * Reads: submitted at once, several in flight, rows unpadded; `forget` cancels those of a destroyed source.
 */
export interface Staging<B extends BackendObjects> {
  /** Stages `data` for `buffer` at `offset`; `undefined` when staged now, a promise when it had to wait. */
  writeBuffer(buffer: B['buffer'], offset: number, data: Uint8Array): Promise<void> | undefined;
  /** Stages texel `data` (starting at the first block, laid out as `copy` says) for a texture region. */
  writeTexture(texture: B['texture'], data: Uint8Array, copy: TextureUploadCopy): Promise<void> | undefined;
  /**
   * Records the staged copies into `encoder` (the caller submits it through `manager.submit`), or without
   * one, submits them on the staging's own.
   */
  flush(encoder?: B['encoder']): void;
  /** The manager submitted work: copies recorded into a caller's encoder may now be reclaimed. */
  submitted(): void;
  /** Reads `size` bytes of `buffer` at `offset` (4-byte aligned). `label` names the source in errors. */
  readBuffer(buffer: B['buffer'], offset: number, size: number, label: string): Promise<Uint8Array>;
  /** Reads a texture region; rows of blocks come back tight, images back to back. */
  readTexture(texture: B['texture'], copy: TextureCopy, label: string): Promise<Uint8Array>;
  /**
   * Reads several buffer ranges (each as {@link readBuffer} would) as one read where that is cheaper (WebGPU:
   * one command buffer of copies into one readback buffer, one map), submitted before it returns, so each sees
   * exactly the work submitted before the call. A staging without it reads each on its own.
   */
  readBuffers?(reads: readonly BufferReadPart<B>[]): Promise<Uint8Array[]>;
  /**
   * A buffer or texture was destroyed: pending reads of it reject with `ReadbackCancelledError`, writes to it
   * not yet recorded are dropped. Returns true when copies into it were recorded into a caller's encoder
   * that was not submitted yet (the manager then defers the GPU destroy past the next submit).
   */
  forget(resource: B['buffer'] | B['texture']): boolean;
  /** Destroys idle chunks per `policy` (default: the options' keepBytes and idleMs). Returns bytes freed. */
  trim(policy?: TrimPolicy): number;
  stats(): StagingStats;
  /** Rejects every pending read (`ReadbackCancelledError` with `reason`), drops queued writes, frees everything. */
  dispose(reason: 'disposed' | 'device-lost'): void;
}
