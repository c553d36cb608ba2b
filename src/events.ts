/**
 * A small typed event emitter that survives its listeners. Any listener may throw or call back into whatever
 * emitted (subscribe, unsubscribe, emit again): every other listener still runs, and the error goes to the
 * emitter's error sink instead of being swallowed or thrown through `emit`.
 *
 * Costs: listener lists are copied on subscribe/unsubscribe (rare), never on emit (hot); `hasListeners` is one
 * Map lookup, so callers skip building a payload nobody will read; emitting with no listeners is that lookup.
 *
 * The rule during an emit (the DOM's EventTarget rule): the listeners that run are those subscribed when the
 * emit began, in subscription order, minus any unsubscribed before their turn. A listener added during an emit
 * first runs at the next emit. Unsubscribing is idempotent.
 */
import { describeValue, ValidationError } from './errors.ts';
import { readOption, readOptionBag } from './monitor/read-options.ts';

/** A listener of one event. */
export type Listener<P> = (payload: P) => void;

/**
 * Where errors thrown by listeners go: `error` is what the listener threw, `eventName` the event it was
 * handling (`'usage'` for usage broadcasts).
 */
export type ListenerErrorSink = (error: unknown, eventName: string) => void;

/** Options of {@link Emitter} and `UsageBroadcast`. */
export interface ListenerErrorOptions {
  /** Receives every error a listener throws. Default: {@link reportListenerError}. */
  onListenerError?: ListenerErrorSink;
}

/**
 * The default error sink: `globalThis.reportError(error)` where it exists (browsers, workers, Deno), else the
 * error is rethrown from a microtask (Node), so it reaches `window.onerror`, `process.on('uncaughtException')`
 * or the console after the emit has finished, without interrupting it.
 *
 * @example
 * new Emitter(['create'], { onListenerError: (error, event) => { log(event, error); reportListenerError(error, event); } });
 */
export function reportListenerError(error: unknown, _eventName: string): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof report === 'function') {
    try {
      report(error);
      return;
    } catch {
      // A broken reportError must not lose the error: fall back to the microtask.
    }
  }
  queueMicrotask(() => {
    throw error;
  });
}

/**
 * Validates an error sink option; `undefined` gives the default.
 *
 * @throws ValidationError when the option is neither a function nor undefined.
 * @example
 * const sink = readErrorSink('emitter', options);
 */
export function readErrorSink(owner: string, options: unknown): ListenerErrorSink {
  const bag = readOptionBag(owner, 'options', options, false, 'options.');
  const sink = readOption(bag, 'onListenerError');
  if (sink === undefined) return reportListenerError;
  if (typeof sink !== 'function') {
    throw new ValidationError(
      owner,
      'options.onListenerError',
      sink,
      'must be a function (error, eventName) => void, or undefined for reportError',
    );
  }
  return sink as ListenerErrorSink;
}

/**
 * Hands a listener's error to the sink. A sink that throws itself must not break the emit either: its error
 * (and the original) go to the default route.
 */
export function deliverListenerError(sink: ListenerErrorSink, error: unknown, eventName: string): void {
  try {
    sink(error, eventName);
  } catch (sinkError) {
    if (sink === reportListenerError) return;
    reportListenerError(error, eventName);
    reportListenerError(sinkError, eventName);
  }
}

/** One subscription. `active` turns false on unsubscribe, so an emit in progress skips it. */
interface Subscription<P> {
  readonly listener: Listener<P>;
  active: boolean;
}

/**
 * Typed emitter over an event map `{ name: payload }`. The constructor takes the event names, so a misspelt
 * name (`on('destory', fn)`) throws instead of silently never firing.
 *
 * @example
 * const events = new Emitter<{ create: { label: string } }>(['create']);
 * const off = events.on('create', (e) => console.log(e.label));
 * events.emit('create', { label: 'albedo' });
 * off();
 */
export class Emitter<Events extends object> {
  /** The known event names, in the order given. */
  readonly eventNames: readonly (keyof Events & string)[];
  private readonly known: ReadonlySet<unknown>;
  private readonly listeners = new Map<keyof Events, readonly Subscription<never>[]>();
  private readonly onListenerError: ListenerErrorSink;

  /**
   * @param eventNames every event this emitter can emit (strings, no duplicates).
   * @param options `onListenerError(error, eventName)` receives listener errors (default: `reportError`).
   * @throws ValidationError for an event list that is not an array of distinct non-empty strings, or a bad
   *   `onListenerError`.
   * @example
   * const events = new Emitter<{ lost: string }>(['lost'], { onListenerError: (e) => console.error(e) });
   */
  constructor(eventNames: readonly (keyof Events & string)[], options?: ListenerErrorOptions) {
    let names: unknown[];
    try {
      if (!Array.isArray(eventNames)) throw new TypeError('not an array');
      names = [...(eventNames as readonly unknown[])];
    } catch {
      // Not an array, or a (revoked) Proxy whose traps throw while it is read.
      throw new ValidationError('emitter', 'eventNames', eventNames, 'must be an array of event names');
    }
    names.forEach((name, index) => {
      if (typeof name !== 'string' || name === '' || names.indexOf(name) !== index) {
        throw new ValidationError(
          'emitter',
          `eventNames[${index}]`,
          name,
          'must be a non-empty string, given once',
        );
      }
    });
    this.eventNames = Object.freeze(names as (keyof Events & string)[]);
    this.known = new Set(names);
    this.onListenerError = readErrorSink('emitter', options);
  }

  /**
   * Subscribes and returns the function that unsubscribes. Subscribing the same function twice makes two
   * subscriptions, each removed by its own unsubscribe; calling an unsubscribe again does nothing.
   *
   * @throws ValidationError for an unknown event name (the message lists the known ones) or a listener that
   *   is not a function; nothing is subscribed then.
   * @example
   * const off = events.on('destroy', onDestroy);
   */
  on<E extends keyof Events>(event: E, listener: Listener<Events[E]>): () => void {
    if (!this.known.has(event)) {
      throw new ValidationError(
        'emitter',
        'event',
        event,
        `must be one of ${this.eventNames.map((name) => describeValue(name)).join(', ')}`,
      );
    }
    if (typeof listener !== 'function') {
      throw new ValidationError(
        'emitter',
        `listener of ${describeValue(event)}`,
        listener,
        'must be a function',
      );
    }
    const subscription: Subscription<Events[E]> = { listener, active: true };
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), subscription as Subscription<never>]);
    return () => {
      if (!subscription.active) return;
      subscription.active = false;
      const list = this.listeners.get(event);
      if (!list) return;
      const next = list.filter((s) => s !== subscription);
      if (next.length) this.listeners.set(event, next);
      else this.listeners.delete(event);
    };
  }

  /** True when at least one listener is subscribed to `event`; O(1). @example if (events.hasListeners('create')) events.emit('create', build()); */
  hasListeners(event: keyof Events): boolean {
    return this.listeners.has(event);
  }

  /**
   * Calls the listeners of `event` (see the rule at the top of this file). A listener that throws does not
   * stop the others; its error goes to `onListenerError(error, eventName)`, never out of `emit`.
   *
   * @example
   * events.emit('create', record);
   */
  emit<E extends keyof Events>(event: E, payload: Events[E]): void {
    const list = this.listeners.get(event) as readonly Subscription<Events[E]>[] | undefined;
    if (list === undefined) return;
    // `list` is never mutated (subscribe and unsubscribe replace it), so this loop sees the emit-time list.
    for (const subscription of list) {
      if (!subscription.active) continue;
      try {
        subscription.listener(payload);
      } catch (error) {
        deliverListenerError(this.onListenerError, error, String(event));
      }
    }
  }

  /** Removes every listener (an emit in progress calls no further listener). @example events.clear(); */
  clear(): void {
    for (const list of this.listeners.values()) for (const subscription of list) subscription.active = false;
    this.listeners.clear();
  }
}
