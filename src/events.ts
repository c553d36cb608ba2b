/**
 * A small typed event emitter. Listener lists are copied on subscribe/unsubscribe (rare), never on emit
 * (hot), and `hasListeners` lets callers skip building a payload nobody will read.
 */

/** A listener of one event. */
export type Listener<P> = (payload: P) => void;

/**
 * Typed emitter over an event map `{ name: payload }`.
 *
 * @example
 * const events = new Emitter<{ create: { label: string } }>();
 * const off = events.on('create', (e) => console.log(e.label));
 * events.emit('create', { label: 'albedo' });
 * off();
 */
export class Emitter<Events extends object> {
  private readonly listeners: { [E in keyof Events]?: readonly Listener<Events[E]>[] } = {};

  /**
   * Subscribes and returns the function that unsubscribes (calling it twice is harmless).
   *
   * @example
   * const off = events.on('destroy', onDestroy);
   */
  on<E extends keyof Events>(event: E, listener: Listener<Events[E]>): () => void {
    this.listeners[event] = [...(this.listeners[event] ?? []), listener];
    return () => {
      const list = this.listeners[event];
      if (!list) return;
      const next = list.filter((l) => l !== listener);
      if (next.length) this.listeners[event] = next;
      else delete this.listeners[event];
    };
  }

  /** True when at least one listener is subscribed to `event`. */
  hasListeners(event: keyof Events): boolean {
    return this.listeners[event] !== undefined;
  }

  /**
   * Calls every listener of `event` in subscription order. A throwing listener does not stop the others;
   * its error is rethrown asynchronously so it still reaches the console and error handlers.
   *
   * @example
   * events.emit('create', record);
   */
  emit<E extends keyof Events>(event: E, payload: Events[E]): void {
    const list = this.listeners[event];
    if (!list) return;
    for (const listener of list) {
      try {
        listener(payload);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Removes every listener. */
  clear(): void {
    for (const key of Object.keys(this.listeners)) delete this.listeners[key as keyof Events];
  }
}
