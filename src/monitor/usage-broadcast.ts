/**
 * Coalesced usage notifications: any number of changes within one synchronous burst (a loop of creates, a
 * dispose) send subscribers one snapshot, on the next microtask. No subscribers, no work.
 *
 * Subscribers are untrusted: one that throws does not stop the others (its error goes to the error sink,
 * `onListenerError(error, 'usage')`), and one that changes usage while it is called (creates a resource) gets
 * a fresh snapshot in the next burst. Delivery follows the emitter's rule: the subscribers when delivery began,
 * minus those unsubscribed before their turn; a subscriber added during delivery first hears the next burst.
 */
import { ValidationError } from '../errors.ts';
import {
  deliverListenerError,
  type ListenerErrorOptions,
  type ListenerErrorSink,
  readErrorSink,
} from '../events.ts';

/** One subscription; `active` turns false on unsubscribe, so a delivery in progress skips it. */
interface Subscription<S> {
  readonly listener: (snapshot: S) => void;
  active: boolean;
}

/** The event name usage errors are reported under. */
export const USAGE_EVENT = 'usage';

/**
 * @example
 * const usage = new UsageBroadcast(() => ledger.snapshot(), { onListenerError: (error) => log(error) });
 * const off = usage.subscribe((snapshot) => overlay.update(snapshot));
 */
export class UsageBroadcast<S> {
  private subscriptions: readonly Subscription<S>[] = [];
  private scheduled = false;
  private readonly snapshot: () => S;
  private readonly onListenerError: ListenerErrorSink;

  /**
   * @param snapshot builds what subscribers receive; called once per burst, only when someone listens.
   * @param options `onListenerError(error, 'usage')` receives subscriber errors (default: `reportError`).
   * @throws ValidationError when `snapshot` is not a function or `onListenerError` is neither a function nor
   *   undefined.
   * @example
   * const usage = new UsageBroadcast(() => ledger.snapshot());
   */
  constructor(snapshot: () => S, options?: ListenerErrorOptions) {
    if (typeof snapshot !== 'function') {
      throw new ValidationError('usage broadcast', 'snapshot', snapshot, 'must be a function');
    }
    this.snapshot = snapshot;
    this.onListenerError = readErrorSink('usage broadcast', options);
  }

  /**
   * Subscribes to snapshots; returns the unsubscribe function (idempotent). The same function subscribed
   * twice is two subscriptions, each removed by its own unsubscribe.
   *
   * @throws ValidationError when `listener` is not a function; nothing is subscribed then.
   * @example
   * const off = broadcast.subscribe((usage) => render(usage));
   */
  subscribe(listener: (snapshot: S) => void): () => void {
    if (typeof listener !== 'function') {
      throw new ValidationError('usage broadcast', 'listener', listener, 'must be a function');
    }
    const subscription: Subscription<S> = { listener, active: true };
    this.subscriptions = [...this.subscriptions, subscription];
    return () => {
      if (!subscription.active) return;
      subscription.active = false;
      this.subscriptions = this.subscriptions.filter((s) => s !== subscription);
    };
  }

  /** Number of subscribers. @example if (usage.subscriberCount === 0) stopSampling(); */
  get subscriberCount(): number {
    return this.subscriptions.length;
  }

  /**
   * Signals a change; subscribers get one snapshot per burst.
   *
   * @example
   * ledger.add('texture', bytes); broadcast.changed();
   */
  changed(): void {
    if (this.scheduled || this.subscriptions.length === 0) return;
    this.scheduled = true;
    queueMicrotask(() => this.deliver());
  }

  private deliver(): void {
    // Cleared first: a change made by a subscriber below schedules the next burst instead of being lost.
    this.scheduled = false;
    const subscriptions = this.subscriptions;
    if (subscriptions.length === 0) return;
    let snapshot: S;
    try {
      snapshot = this.snapshot();
    } catch (error) {
      deliverListenerError(this.onListenerError, error, USAGE_EVENT);
      return;
    }
    for (const subscription of subscriptions) {
      if (!subscription.active) continue;
      try {
        subscription.listener(snapshot);
      } catch (error) {
        deliverListenerError(this.onListenerError, error, USAGE_EVENT);
      }
    }
  }
}
