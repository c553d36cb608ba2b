/**
 * Who tells the tracker that an engine object was garbage-collected. In a page this is a
 * `FinalizationRegistry`; tests inject a watcher they can drive (a collection cannot be forced without
 * `--expose-gc`, and even then its timing is the engine's).
 */

/** Watches objects and calls back with the token of each one that was collected. */
export interface CollectionWatcher {
  /** Starts watching `object`; `token` comes back when it is collected. */
  watch(object: object, token: number): void;
  /** Stops watching (the object was destroyed properly, or tracking stopped). */
  unwatch(token: number): void;
}

/** Builds a watcher that calls `collected(token)` for each watched object the garbage collector reclaimed. */
export type CollectionWatcherFactory = (collected: (token: number) => void) => CollectionWatcher;

/**
 * The default watcher: a `FinalizationRegistry`. Where the runtime has none, nothing is reported (the books
 * stay as they are until the engine destroys the object).
 *
 * @example
 * const watcher = finalizationWatcher((token) => console.log('collected', token));
 * watcher.watch(texture, 7);
 */
export function finalizationWatcher(collected: (token: number) => void): CollectionWatcher {
  if (typeof FinalizationRegistry !== 'function') return { watch() {}, unwatch() {} };
  // The unregister token must be an object; one per watched object, found again by its number.
  const tokens = new Map<number, object>();
  const registry = new FinalizationRegistry<number>((token) => {
    tokens.delete(token);
    collected(token);
  });
  return {
    watch(object, token) {
      const key = {};
      tokens.set(token, key);
      registry.register(object, token, key);
    },
    unwatch(token) {
      const key = tokens.get(token);
      if (key === undefined) return;
      tokens.delete(token);
      registry.unregister(key);
    },
  };
}
