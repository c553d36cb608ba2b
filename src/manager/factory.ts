import { PINNED_WITHOUT_CONTENT, type ResidencyChoice } from '../budget/content.ts';
import type { BackendObjects } from '../core/backend.ts';
import type { DescriptorOf, ResourceKind } from '../core/kind-types.ts';
import { kindSpec } from '../core/kinds.ts';
import { GpuValidationError } from '../errors.ts';
import type { AnyHandle, Handle } from '../handles/handle.ts';
import type { ResourceRegistry } from './registry.ts';

/**
 * Creates below this many bytes skip the GPU's error scopes outside debug mode: the GPU refuses small
 * allocations only when it is out of memory altogether, while scopes around every create would cost each one.
 */
export const FAILURE_CHECK_BYTES = 1 << 20;

/** What a create that owns bytes asks first: the memory budget makes room, or throws. */
export interface CreateBudget {
  beforeCreate(label: string, bytes: number): void;
}

/** No budget: every create may proceed. */
const NO_BUDGET: CreateBudget = { beforeCreate: () => {} };

/**
 * Creates resources of any kind from their validated descriptors, through the kind table: sharing, bytes,
 * the one backend call, the GPU's verdict (failed creates become `failed` entries), and the insert.
 *
 * @example
 * const handle = factory.create('buffer', normalizeBufferDescriptor(desc, backend.capabilities));
 */
export class ResourceFactory<B extends BackendObjects> {
  /** GPU verdicts not yet in (debug mode and large creates); each leaves the set when it settles. */
  private readonly checks = new Set<Promise<void>>();
  /** Extra record fields handed over by the build that runs now (a shader's diagnostics). */
  private extra: object | undefined;
  private readonly keepExtra = (fields: object): void => {
    this.extra = fields;
  };
  private readonly errors: GpuValidationError[] = [];

  constructor(
    private readonly registry: ResourceRegistry<B>,
    private readonly debug: boolean,
    /**
     * Runs before a create that owns bytes (the budget makes room, or refuses). An object with a method rather
     * than a closure: one shared call target for every manager keeps the create path monomorphic.
     */
    private readonly budget: CreateBudget = NO_BUDGET,
  ) {}

  /**
   * Creates a resource of a kind whose build is synchronous; a shared kind returns the existing handle for an
   * identical descriptor (one more owner).
   *
   * @example
   * factory.create('texture', normalized);
   */
  create<K extends ResourceKind>(
    kind: K,
    desc: DescriptorOf<K>,
    residency: ResidencyChoice = PINNED_WITHOUT_CONTENT,
  ): Handle<K> {
    const spec = kindSpec(kind);
    const shareKey = spec.shareKey?.(desc);
    if (shareKey !== undefined) {
      const shared = this.shared(kind, shareKey);
      if (shared !== undefined) return shared;
    }
    const { backend } = this.registry;
    const bytes = spec.bytes(backend, desc);
    if (bytes > 0) this.budget.beforeCreate((desc as { label: string }).label, bytes);
    this.extra = undefined;
    const check = this.debug || bytes >= FAILURE_CHECK_BYTES;
    // The common path calls build directly: no closure, no error scope.
    const captured = check
      ? backend.captureErrors(() => spec.build(backend, desc, this.dependencyObject, this.keepExtra) as B[K])
      : undefined;
    const gpu = captured
      ? captured.value
      : (spec.build(backend, desc, this.dependencyObject, this.keepExtra) as B[K]);
    const extra = this.extra;
    const handle = this.registry.insert(
      kind,
      desc as DescriptorOf<K> & { label: string },
      bytes,
      gpu,
      spec.dependencies(desc),
      shareKey,
      residency,
      extra === undefined ? undefined : { extra },
    );
    if (captured) this.watch(handle, `create ${kind}`, captured.error);
    return handle;
  }

  /**
   * Creates a resource of a kind whose build is asynchronous (shaders wait for the compiler). Identical
   * descriptors of a shared kind, even while the first is still being built, give one entry.
   *
   * @example
   * const shader = await factory.createAsync('shader', normalized, () => manager.assertUsable('create a shader'));
   */
  async createAsync<K extends ResourceKind>(
    kind: K,
    desc: DescriptorOf<K>,
    beforeInsert: () => void,
  ): Promise<Handle<K>> {
    const spec = kindSpec(kind);
    const shareKey = spec.shareKey?.(desc);
    if (shareKey !== undefined) {
      const shared = this.shared(kind, shareKey);
      if (shared !== undefined) return shared;
      const building = this.registry.sharing.inProgress(kind, shareKey);
      if (building) {
        await building.catch(() => undefined);
        return this.createAsync(kind, desc, beforeInsert);
      }
    }
    const creating = this.build(kind, desc, shareKey, beforeInsert);
    if (shareKey !== undefined) this.registry.sharing.begin(kind, shareKey, creating);
    return creating;
  }

  /**
   * Waits for every GPU verdict so far and returns what the GPU rejected that validation let through.
   *
   * @example
   * expect(await factory.gpuErrors()).toEqual([]);
   */
  async gpuErrors(): Promise<GpuValidationError[]> {
    while (this.checks.size) await Promise.all([...this.checks]);
    return [...this.errors];
  }

  private async build<K extends ResourceKind>(
    kind: K,
    desc: DescriptorOf<K>,
    shareKey: string | undefined,
    beforeInsert: () => void,
  ): Promise<Handle<K>> {
    const spec = kindSpec(kind);
    const { backend } = this.registry;
    let extra: object | undefined;
    const gpu = await spec.build(backend, desc, this.dependencyObject, (fields) => {
      extra = fields;
    });
    try {
      beforeInsert();
    } catch (error) {
      (backend.destroy[kind] as (object: unknown) => void)(gpu);
      throw error;
    }
    return this.registry.insert(
      kind,
      desc as DescriptorOf<K> & { label: string },
      spec.bytes(backend, desc),
      gpu,
      spec.dependencies(desc),
      shareKey,
      PINNED_WITHOUT_CONTENT,
      { extra },
    );
  }

  private shared<K extends ResourceKind>(kind: K, key: string): Handle<K> | undefined {
    const handle = this.registry.sharing.get(kind, key);
    const entry = handle === undefined ? undefined : this.registry.current(handle);
    if (entry?.record.state !== 'live') return undefined;
    entry.owners++;
    return handle as Handle<K>;
  }

  private readonly dependencyObject = <K extends ResourceKind>(handle: AnyHandle, _kind: K): B[K] => {
    const entry = this.registry.current(handle);
    if (!entry || entry.gpu === undefined) throw new Error(`dependency ${handle} has no GPU object`);
    return entry.gpu as B[K];
  };

  /** Turns a GPU rejection into a `failed` entry (and, in debug mode, a `gpuError`). */
  private watch(handle: AnyHandle, operation: string, verdict: Promise<string | undefined>): void {
    const check = verdict.then(
      (message) => {
        this.checks.delete(check);
        if (message === undefined) return;
        const entry = this.registry.current(handle);
        const label = entry?.record.label ?? '';
        if (this.debug) {
          const error = new GpuValidationError(label, operation, message);
          this.errors.push(error);
          this.registry.events.emit('gpuError', error);
        }
        if (entry && entry.record.state === 'live') {
          this.registry.fail(entry, message);
          if (this.registry.events.hasListeners('failed'))
            this.registry.events.emit('failed', { record: entry.record, message });
        }
      },
      () => {
        this.checks.delete(check);
      },
    );
    this.checks.add(check);
  }
}
