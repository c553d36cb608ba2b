/**
 * Coalesced usage notifications: any number of changes within one synchronous burst (a loop of creates, a
 * dispose) send subscribers one snapshot, on the next microtask. No subscribers, no work.
 */
export class UsageBroadcast<S> {
  private listeners: readonly ((snapshot: S) => void)[] = [];
  private scheduled = false;

  constructor(private readonly snapshot: () => S) {}

  /**
   * Subscribes to snapshots; returns the unsubscribe function.
   *
   * @example
   * const off = broadcast.subscribe((usage) => render(usage));
   */
  subscribe(listener: (snapshot: S) => void): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Number of subscribers. */
  get subscriberCount(): number {
    return this.listeners.length;
  }

  /**
   * Signals a change; subscribers get one snapshot per burst.
   *
   * @example
   * ledger.add('texture', bytes); broadcast.changed();
   */
  changed(): void {
    if (this.scheduled || this.listeners.length === 0) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      if (this.listeners.length === 0) return;
      const snapshot = this.snapshot();
      for (const listener of this.listeners) listener(snapshot);
    });
  }
}
