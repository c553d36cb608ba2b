import { AtlasError } from './atlas-error.ts';
import type { AtlasRegionHandle } from './atlas-types.ts';

/** The payload of the `moved` event: regions whose position (and `uv`) changed, now at their new place. */
export interface AtlasMovedEvent {
  readonly regions: readonly AtlasRegionHandle[];
}

/**
 * The payload of the `contentLost` event: after a device loss, regions whose pixels the atlas did not keep
 * (`keepPixels: false`) came back empty. `write` them again (the atlas flushes after the listeners ran).
 */
export interface AtlasContentLostEvent {
  readonly regions: readonly AtlasRegionHandle[];
}

/** The events of an atlas and their payloads. */
export interface AtlasEventMap {
  moved: AtlasMovedEvent;
  contentLost: AtlasContentLostEvent;
}

const EVENTS: readonly (keyof AtlasEventMap)[] = ['moved', 'contentLost'];

/**
 * The listeners of one atlas. Every listener runs (the atlas's books are exact before it emits); the first
 * error is rethrown afterwards.
 *
 * @example
 * const events = new AtlasEvents('glyphs'); events.on('moved', update); events.emit('moved', { regions });
 */
export class AtlasEvents {
  private readonly listeners = new Map<keyof AtlasEventMap, Set<(payload: never) => void>>();

  constructor(private readonly label: string) {}

  /** Adds a listener; returns the unsubscribe function. @example events.on('moved', ({ regions }) => {}) */
  on<E extends keyof AtlasEventMap>(event: E, listener: (payload: AtlasEventMap[E]) => void): () => void {
    if (!EVENTS.includes(event)) {
      throw new AtlasError(this.label, 'event', event, "must be 'moved' or 'contentLost'");
    }
    if (typeof listener !== 'function')
      throw new AtlasError(this.label, 'listener', listener, 'must be a function');
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Calls the listeners of `event`, if there are any. @example events.emit('moved', { regions }) */
  emit<E extends keyof AtlasEventMap>(event: E, payload: AtlasEventMap[E]): void {
    const set = this.listeners.get(event);
    if (set === undefined || set.size === 0) return;
    let failure: unknown;
    for (const listener of [...set]) {
      try {
        (listener as (payload: AtlasEventMap[E]) => void)(payload);
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  }

  /** Drops every listener. @example events.clear() */
  clear(): void {
    this.listeners.clear();
  }
}
