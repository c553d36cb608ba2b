import type { ResourceKind } from '../core/kind-types.ts';
import type { AnyHandle } from '../handles/handle.ts';

/**
 * Sharing by descriptor: kinds whose table entry has a `shareKey` get one entry per normalized descriptor.
 * Creates in progress are shared too (two `createShader` calls with the same source compile once).
 *
 * @example
 * const sharing = new SharingService();
 * sharing.set('shader', key, handle);
 * sharing.get('shader', key) // handle
 */
export class SharingService {
  private readonly live = new Map<string, AnyHandle>();
  private readonly pending = new Map<string, Promise<AnyHandle>>();

  /** The live handle shared under `key`, if any. */
  get(kind: ResourceKind, key: string): AnyHandle | undefined {
    return this.live.get(slotKey(kind, key));
  }

  /** A create in progress under `key`, if any. */
  inProgress(kind: ResourceKind, key: string): Promise<AnyHandle> | undefined {
    return this.pending.get(slotKey(kind, key));
  }

  /** Records a create in progress; it is forgotten when it settles. */
  begin(kind: ResourceKind, key: string, creating: Promise<AnyHandle>): void {
    const slot = slotKey(kind, key);
    this.pending.set(slot, creating);
    const done = () => {
      if (this.pending.get(slot) === creating) this.pending.delete(slot);
    };
    creating.then(done, done);
  }

  /** Shares `handle` under `key`. */
  set(kind: ResourceKind, key: string, handle: AnyHandle): void {
    this.live.set(slotKey(kind, key), handle);
  }

  /** The entry shared under `key` left the table. */
  delete(kind: ResourceKind, key: string, handle: AnyHandle): void {
    const slot = slotKey(kind, key);
    if (this.live.get(slot) === handle) this.live.delete(slot);
  }

  /** Forgets everything (the manager was disposed or its device lost). */
  clear(): void {
    this.live.clear();
    this.pending.clear();
  }
}

function slotKey(kind: ResourceKind, key: string): string {
  return `${kind}\u0000${key}`;
}
