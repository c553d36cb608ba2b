import type { BackendObjects } from '../core/backend.ts';
import type { ResourceKind } from '../core/kind-types.ts';
import { DisposedError, RefCountError, ValidationError } from '../errors.ts';
import type { AnyHandle, Handle } from '../handles/handle.ts';
import { ResourceScope } from '../lifetimes/scope.ts';
import { WeakHandle } from '../lifetimes/weak-handle.ts';
import type { GraphicsResource, RecordOf } from '../resources/records.ts';
import { ManagerCreation } from './manager-creation.ts';
import type { DestroyOptions } from './types.ts';

export type { DestroyOptions, ManagerEvents, ManagerOptions, ManagerStats } from './types.ts';

/**
 * Looking resources up (records, GPU objects, weak handles) and their lifetimes: destroy with dependencies,
 * shared ownership, holders, scopes, and submission-safe frees.
 *
 * @example
 * manager.use(vbo, texture); manager.submit([encoder.finish()]); manager.destroy(vbo); // freed after the GPU
 */
export abstract class ManagerLifetimes<B extends BackendObjects = BackendObjects> extends ManagerCreation<B> {
  // ---- lookup ---------------------------------------------------------------------------------------------

  /**
   * The record of a handle (in any state: see `record.state`), `undefined` when stale. Not counted as a use.
   *
   * @example
   * const record = manager.get(tex); if (record?.state === 'live') console.log(record.bytes);
   */
  get<K extends ResourceKind>(handle: Handle<K>): RecordOf<K> | undefined {
    return this.registry.current(handle)?.record as RecordOf<K> | undefined;
  }

  /**
   * The record of a handle; throws `StaleHandleError` / `ForeignHandleError` when it does not resolve.
   *
   * @example
   * const { descriptor } = manager.resolve(tex);
   */
  resolve<K extends ResourceKind>(handle: Handle<K>): RecordOf<K> {
    return this.entryOf(handle).record as RecordOf<K>;
  }

  /**
   * The GPU object of a live handle (a `GPUTexture`, `GPUBuffer`, ...), counted as a use. Throws when stale,
   * and `ResourceStateError` (naming the label and the state) when the resource is lost or failed. An evicted
   * resource whose contents are kept comes back at once (its contents are uploaded with the next `submit`,
   * `flush` or `frame`, before that work); other evicted resources throw `NotResidentError`.
   *
   * @example
   * device.queue.writeBuffer(manager.gpu(vbo), 0, vertices);
   */
  gpu<K extends ResourceKind>(handle: Handle<K>): B[K] {
    const entry = this.entryOf(handle);
    if (entry.record.state !== 'live') this.bringBack(entry, 'hand out its GPU object');
    this.touch(entry);
    return entry.gpu as B[K];
  }

  /**
   * True while the handle names a resource of this manager (in any state).
   *
   * @example
   * if (manager.has(tex)) draw(tex);
   */
  has(handle: AnyHandle): boolean {
    return this.registry.current(handle) !== undefined;
  }

  /**
   * Resolves a handle and counts a use (updates `lastAccess` and `accessCount`, used by stale detection).
   *
   * @example
   * const record = manager.access(tex); // each frame it is drawn
   */
  access<K extends ResourceKind>(handle: Handle<K>): RecordOf<K> {
    const entry = this.entryOf(handle);
    this.touch(entry);
    return entry.record as RecordOf<K>;
  }

  /**
   * Every resource's record (any state), in slot order.
   *
   * @example
   * for (const record of manager.resources()) console.log(record.label, record.state, record.bytes);
   */
  *resources(): IterableIterator<GraphicsResource> {
    for (const [, entry] of this.registry.table) if (!entry.leaving) yield entry.record;
  }

  // ---- lifetimes ------------------------------------------------------------------------------------------

  /**
   * Destroys a resource: the handle goes stale at once, the GPU object is destroyed exactly once (now, or when
   * in-flight work that uses it completes), and the ledger drops its bytes. A stale handle throws
   * `StaleHandleError` and changes nothing. A texture that a live render target uses throws
   * `ResourceInUseError` unless `{ cascade: true }`; a cascade that would destroy a retained dependent throws
   * `ResourceInUseError` before anything is destroyed. A retained (shared) resource is freed by its last release.
   *
   * @example
   * manager.destroy(rt);
   * manager.destroy(colorTex);
   */
  destroy(handle: AnyHandle, options?: DestroyOptions): void {
    const cascade = readCascade(options);
    const entry = this.entryOf(handle);
    if (entry.owners === 0) {
      throw new RefCountError(
        entry.record.label,
        `already destroyed by its owner; it lives on through ${entry.retains} retain(s): call release`,
      );
    }
    if (entry.owners + entry.retains > 1) {
      entry.owners--;
      return;
    }
    this.registry.destroy(entry, cascade);
  }

  /**
   * Ends one owner reference if the resource still has one, and does nothing otherwise (already destroyed by
   * hand, or stale). What scopes call on dispose.
   *
   * @example
   * manager.destroyIfOwned(tex);
   */
  destroyIfOwned(handle: AnyHandle): void {
    const entry = this.registry.current(handle);
    if (entry && entry.owners > 0) this.destroy(handle);
  }

  /**
   * Holds a resource for a component that owns it by other means (a texture atlas holds its page textures):
   * until the returned function is called, destroying it (or anything it depends on) throws
   * `ResourceInUseError` naming the holder, cascade or not. `dispose()` still frees it.
   *
   * @example
   * const letGo = manager.hold(pageTexture, "atlas 'glyphs'");
   * letGo(); manager.destroy(pageTexture);
   */
  hold(handle: AnyHandle, holder: string): () => void {
    const entry = this.entryOf(handle);
    if (typeof holder !== 'string' || holder === '') {
      throw new ValidationError(
        entry.record.label,
        'holder',
        holder,
        'must be a non-empty string naming the holder',
      );
    }
    entry.holders ??= [];
    entry.holders.push(holder);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const index = entry.holders?.indexOf(holder) ?? -1;
      if (index >= 0) entry.holders!.splice(index, 1);
    };
  }

  /**
   * Adds a reference for a component that shares the resource; each `retain` needs one `release`.
   *
   * @example
   * const shared = manager.retain(atlasTexture);
   */
  retain<K extends ResourceKind>(handle: Handle<K>): Handle<K> {
    this.entryOf(handle).retains++;
    return handle;
  }

  /**
   * Drops a reference taken by `retain`; the last reference (owner's destroy included) frees the resource.
   * Releasing more than was retained throws `RefCountError` and changes nothing.
   *
   * @example
   * manager.release(shared);
   */
  release(handle: AnyHandle): void {
    const entry = this.entryOf(handle);
    if (entry.retains === 0) {
      throw new RefCountError(entry.record.label, 'released more times than retained (retain count is 0)');
    }
    if (entry.owners + entry.retains > 1) {
      entry.retains--;
      return;
    }
    this.registry.destroy(entry, false);
  }

  /**
   * A weak handle: never keeps the resource alive, `upgrade()` gives `undefined` once it is gone.
   *
   * @example
   * const weak = manager.weak(tex);
   */
  weak<K extends ResourceKind>(handle: Handle<K>): WeakHandle<K, RecordOf<K>> {
    this.entryOf(handle);
    return new WeakHandle(handle, (h) => this.get(h));
  }

  /**
   * Marks resources, and everything they depend on, as used by the work being recorded now: destroying them
   * defers the real GPU destroy until that work, submitted through {@link submit}, has completed. With several
   * encoders recorded at once and submitted apart, use {@link useIn} so each use waits for its own submit.
   *
   * @example
   * pass.setVertexBuffer(0, manager.gpu(vbo)); manager.use(vbo, texture);
   */
  use(...handles: AnyHandle[]): void {
    const epoch = this.registry.tracker.currentEpoch;
    for (const entry of this.usedEntries(handles)) {
      if (entry.lastUseEpoch < epoch) entry.lastUseEpoch = epoch;
      this.touch(entry);
    }
  }

  /**
   * Like {@link use}, for work recorded into `encoder`: the resources stay busy until the {@link submit} that
   * carries this encoder (pass it in `submit(commandBuffers, { encoders: [encoder] })`) has completed.
   *
   * @example
   * manager.useIn(encoderB, shadowMap);
   * manager.submit([encoderA.finish()], { encoders: [encoderA] });
   * manager.submit([encoderB.finish()], { encoders: [encoderB] }); // shadowMap waits for this one
   */
  useIn(encoder: B['encoder'], ...handles: AnyHandle[]): void {
    this.backend.checkEncoder(encoder, 'useIn');
    for (const entry of this.usedEntries(handles)) {
      this.registry.tracker.useIn(encoder as object, entry);
      this.touch(entry);
    }
  }

  /**
   * Submits command buffers (`queue.submit`) and tracks their completion for deferred destroys. `encoders`
   * names the encoders these command buffers were finished from, for uses recorded with {@link useIn}.
   *
   * @example
   * manager.submit([encoder.finish()], { encoders: [encoder] });
   */
  submit(
    commandBuffers: readonly B['commandBuffer'][],
    options?: { encoders?: readonly B['encoder'][] },
  ): void {
    this.assertUsable('submit work');
    this.backend.checkSubmission(commandBuffers);
    const encoders = readEncoders(options, (encoder) => this.backend.checkEncoder(encoder, 'submit'));
    this.residency.flushReuploads(); // contents of resources brought back by gpu() land before this work
    const epoch = this.registry.tracker.close();
    this.backend.submit(commandBuffers);
    this.registry.tracker.encodersSubmitted(encoders as object[], epoch);
    this.staging.current.submitted(); // encoders that flush(encoder) recorded into are submitted now (or never)
    void this.backend.onSubmittedWorkDone().then(
      () => this.registry.tracker.complete(epoch),
      () => this.registry.tracker.complete(epoch),
    );
  }

  /**
   * Resolves when every submitted piece of work has completed and the destroys that waited for it ran.
   *
   * @example
   * await manager.idle();
   */
  async idle(): Promise<void> {
    const epoch = this.registry.tracker.close();
    await this.backend.onSubmittedWorkDone().catch(() => undefined);
    this.registry.tracker.complete(epoch);
  }

  /**
   * A scope: creates resources through the same API and destroys them all when disposed. Scopes nest; each
   * scope owns only what it created.
   *
   * @example
   * { using frame = manager.scope(); const tmp = frame.createBuffer({ size: 256, usage }); }
   */
  scope(): ResourceScope {
    if (this.disposed) throw new DisposedError('the resource manager', 'open a scope');
    return new ResourceScope(this);
  }
}

/** `options[key]`, read once; a getter or Proxy trap that throws becomes a `ValidationError`. */
function readOption(options: object, key: string, operation: string): unknown {
  try {
    return (options as Record<string, unknown>)[key];
  } catch (error) {
    throw new ValidationError(
      operation,
      `options.${key}`,
      error,
      'could not be read: its getter or Proxy trap threw',
    );
  }
}

function readCascade(options: unknown): boolean {
  if (options === undefined) return false;
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(
      'destroy',
      'options',
      options,
      'must be an object like { cascade: true }, or omitted',
    );
  }
  const cascade = readOption(options, 'cascade', 'destroy');
  if (cascade === undefined) return false;
  if (typeof cascade !== 'boolean') {
    throw new ValidationError('destroy', 'options.cascade', cascade, 'must be a boolean');
  }
  return cascade;
}

function readEncoders(options: unknown, check: (encoder: unknown) => void): readonly unknown[] {
  if (options === undefined) return [];
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(
      'submit',
      'options',
      options,
      'must be an object like { encoders }, or omitted',
    );
  }
  const encoders = readOption(options, 'encoders', 'submit');
  if (encoders === undefined) return [];
  if (!Array.isArray(encoders)) {
    throw new ValidationError('submit', 'options.encoders', encoders, 'must be an array of encoders');
  }
  for (const encoder of encoders) check(encoder);
  return encoders;
}
