/**
 * A backend whose GPU objects are plain JS objects that record what was done to them, like luma.gl's NullDevice
 * or sokol's dummy backend. It proves bookkeeping (the registry, the tracker, the ledger, events), never GPU
 * behaviour: that is what the Dawn and Chromium suites are for.
 */

import type { AtlasRegionObject } from '../../src/atlas/region-kind.ts';
import type {
  Backend,
  BackendDestroyers,
  BackendObjects,
  CompiledShader,
  RenderTargetAttachments,
  Staging,
  StagingHost,
  StagingStats,
} from '../../src/core/backend.ts';
import { defaultCapabilities } from '../../src/core/capabilities.ts';
import type { ResourceKind } from '../../src/core/kind-types.ts';
import { RESOURCE_KINDS } from '../../src/core/kinds.ts';
import { ValidationError } from '../../src/errors.ts';
import { textureByteSize } from '../../src/resources/texture-size.ts';

/** A GPU object of the null backend. */
export interface NullObject {
  readonly kind: ResourceKind;
  readonly id: number;
  readonly label: string;
  /** How many times the backend destroyed it (exactly once is the rule). */
  destroyed: number;
}

/** A null command buffer. */
export interface NullCommands {
  readonly commands: true;
}

/** A null encoder. */
export interface NullEncoder {
  readonly encoder: true;
}

/** The object types of the null backend (an atlas region is its atlas's host object on every backend). */
export type NullObjects = { [K in Exclude<ResourceKind, 'atlasRegion'>]: NullObject } & {
  atlasRegion: AtlasRegionObject;
  commandBuffer: NullCommands;
  renderPass: { readonly pass: NullObject };
  encoder: NullEncoder;
};

/** What a test controls and observes. */
export class NullBackend implements Backend<NullObjects> {
  readonly capabilities = defaultCapabilities();
  /** Every object ever created, in order. */
  readonly created: NullObject[] = [];
  /** Command buffers submitted, in order. */
  readonly submitted: NullCommands[] = [];
  /** Set to make the GPU refuse the next creates with this message (checked in error scopes). */
  refuseWith: string | undefined;
  private nextId = 1;
  private readonly work: (() => void)[] = [];
  private readonly lostListeners = new Set<(reason: string) => void>();

  readonly destroy = {
    ...Object.fromEntries(
      RESOURCE_KINDS.map((kind) => [
        kind,
        (object: NullObject) => {
          if (object.kind !== kind) throw new Error(`destroy.${kind} got a ${object.kind}`);
          object.destroyed++;
        },
      ]),
    ),
    // A host object of its atlas: nothing to free here (the atlas frees the space through the kind's `removed`).
    atlasRegion: () => {},
  } as unknown as BackendDestroyers<NullObjects>;

  createTexture(desc: { label: string }): NullObject {
    return this.make('texture', desc.label);
  }
  createBuffer(desc: { label: string }): NullObject {
    return this.make('buffer', desc.label);
  }
  async compileShader(desc: { label: string; code: string }): Promise<CompiledShader<NullObjects>> {
    await Promise.resolve();
    if (desc.code.includes('syntax error')) {
      return {
        shader: undefined,
        messages: [{ type: 'error', message: 'bad', line: 1, column: 1, sourceLine: '' }],
      };
    }
    return { shader: this.make('shader', desc.label), messages: [] };
  }
  createRenderTarget(
    desc: { label: string },
    _attachments: RenderTargetAttachments<NullObjects>,
  ): NullObject {
    return this.make('renderTarget', desc.label);
  }
  createSampler(desc: { label: string }): NullObject {
    return this.make('sampler', desc.label);
  }
  createTextureView(desc: { label: string }): NullObject {
    return this.make('textureView', desc.label);
  }
  createBindGroupLayout(desc: { label: string }): NullObject {
    return this.make('bindGroupLayout', desc.label);
  }
  createPipelineLayout(desc: { label: string }): NullObject {
    return this.make('pipelineLayout', desc.label);
  }
  createBindGroup(desc: { label: string }): NullObject {
    return this.make('bindGroup', desc.label);
  }
  createQuerySet(desc: { label: string }): NullObject {
    return this.make('querySet', desc.label);
  }
  async createRenderPipeline(desc: { label: string }): Promise<NullObject> {
    return this.make('renderPipeline', desc.label);
  }
  async createComputePipeline(desc: { label: string }): Promise<NullObject> {
    return this.make('computePipeline', desc.label);
  }
  implicitBindGroupLayout(_pipeline: NullObject, _group: number, label: string): NullObject {
    return this.make('bindGroupLayout', label);
  }
  renderPass(renderTarget: NullObject): { pass: NullObject } {
    return { pass: renderTarget };
  }
  textureByteSize(desc: Parameters<typeof textureByteSize>[0]): number {
    return textureByteSize(desc);
  }
  checkSubmission(items: unknown): void {
    if (!Array.isArray(items))
      throw new ValidationError('submit', 'commandBuffers', items, 'must be an array');
  }
  checkEncoder(value: unknown, operation: string): void {
    if (typeof value !== 'object' || value === null || !('encoder' in value)) {
      throw new ValidationError(operation, 'encoder', value, 'must be a null encoder');
    }
  }
  submit(commandBuffers: readonly NullCommands[]): void {
    this.submitted.push(...commandBuffers);
  }
  /** Resolves when the test calls {@link completeWork}: the GPU finishes only when told to. */
  onSubmittedWorkDone(): Promise<void> {
    return new Promise((resolve) => this.work.push(resolve));
  }
  /** Completes every piece of submitted work so far; await a microtask turn afterwards. */
  completeWork(): void {
    for (const done of this.work.splice(0)) done();
  }
  captureErrors<T>(create: () => T): { value: T; error: Promise<string | undefined> } {
    const message = this.refuseWith;
    return { value: create(), error: Promise.resolve(message) };
  }
  onLost(listener: (reason: string) => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }
  /** Loses the "device": every listener hears it. */
  lose(reason = 'null device destroyed'): void {
    for (const listener of [...this.lostListeners]) listener(reason);
  }
  createStaging(_host: StagingHost): Staging<NullObjects> {
    return nullStaging();
  }
  /** Live objects (created and not destroyed). */
  live(): NullObject[] {
    return this.created.filter((o) => o.destroyed === 0);
  }

  private make(kind: ResourceKind, label: string): NullObject {
    const object: NullObject = { kind, id: this.nextId++, label, destroyed: 0 };
    this.created.push(object);
    return object;
  }
}

/** The objects type the manager sees, for annotations in tests. */
export type NullManagerObjects = NullObjects & BackendObjects;

function nullStaging(): Staging<NullObjects> {
  const pool = {
    bytes: 0,
    idleBytes: 0,
    chunks: 0,
    idleChunks: 0,
    created: 0,
    destroyed: 0,
    reused: 0,
    waiting: 0,
  };
  const stats: StagingStats = {
    upload: { ...pool, maxBytes: 0, pendingCopies: 0, copiesRecorded: 0, inFlight: 0 },
    readback: { ...pool, maxBytes: 0, inFlight: 0 },
  } as StagingStats;
  const none = () => {
    throw new Error('the null backend stages nothing');
  };
  return {
    writeBuffer: none,
    writeTexture: none,
    flush: () => {},
    submitted: () => {},
    readBuffer: none,
    readTexture: none,
    forget: () => false,
    trim: () => 0,
    stats: () => stats,
    dispose: () => {},
  };
}
