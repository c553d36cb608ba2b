/**
 * Submission epochs, so that destroying a resource never breaks GPU work that uses it.
 *
 * Work is recorded in the current epoch; `submit` closes it and opens the next; when the GPU reports the
 * submitted work done, every epoch up to it is complete. A resource remembers the last epoch that used it
 * (`markUsed`). Destroying it while that epoch is not complete defers the real GPU destroy until it is:
 * the handle goes stale at once, the GPU object lives until the GPU is done with it (wgpu tracks the
 * "last submission index" the same way).
 *
 * Several encoders may be recorded at once and submitted apart: uses tied to an encoder (`useIn`) belong to the
 * submit that carries that encoder, not to whichever submit comes first.
 */

/** What the tracker stamps: a resource's last use, and how many unsubmitted encoders use it. */
export interface TrackedUse {
  lastUseEpoch: number;
  openEncoders: number;
}

export class SubmissionTracker {
  /** The epoch of work being recorded now (not yet submitted). */
  private recording = 1;
  /** Every epoch <= this one has completed on the GPU. */
  private completed = 0;
  private pending: { epoch: number; free: () => void }[] = [];
  private readonly encoderUses = new WeakMap<object, Set<TrackedUse>>();
  private readonly waitingForSubmit = new Map<TrackedUse, () => void>();

  /**
   * The epoch to stamp on a resource used by work being recorded now.
   *
   * @example
   * entry.lastUseEpoch = tracker.currentEpoch;
   */
  get currentEpoch(): number {
    return this.recording;
  }

  /** Resources whose GPU destroy is waiting for the GPU. */
  get pendingCount(): number {
    return this.pending.length + this.waitingForSubmit.size;
  }

  /**
   * True when work of `epoch` may still be recorded or running (so a resource it used must not be freed).
   *
   * @example
   * if (tracker.isBusy(entry.lastUseEpoch)) tracker.defer(entry.lastUseEpoch, free); else free();
   */
  isBusy(epoch: number): boolean {
    return epoch > this.completed;
  }

  /**
   * Runs `free` once `epoch` has completed.
   *
   * @example
   * tracker.defer(epoch, () => texture.destroy());
   */
  defer(epoch: number, free: () => void): void {
    this.pending.push({ epoch, free });
  }

  /**
   * Closes the recording epoch (its work was just submitted) and returns it; the caller reports its
   * completion with {@link complete}.
   *
   * @example
   * const epoch = tracker.close(); queue.submit(buffers); queue.onSubmittedWorkDone().then(() => tracker.complete(epoch));
   */
  close(): number {
    return this.recording++;
  }

  /**
   * Marks every epoch up to `epoch` complete and runs the frees that waited for them, in deferral order.
   *
   * @example
   * tracker.complete(epoch);
   */
  complete(epoch: number): void {
    if (epoch <= this.completed) return;
    this.completed = epoch;
    const ready = this.pending.filter((p) => p.epoch <= epoch);
    if (!ready.length) return;
    this.pending = this.pending.filter((p) => p.epoch > epoch);
    for (const p of ready) p.free();
  }

  /**
   * Runs every pending free now (the manager is being disposed or the device is gone).
   *
   * @example
   * tracker.flushAll();
   */
  flushAll(): void {
    const all = this.pending;
    this.pending = [];
    for (const free of this.waitingForSubmit.values()) all.push({ epoch: 0, free });
    this.waitingForSubmit.clear();
    this.completed = this.recording;
    for (const p of all) p.free();
  }

  /**
   * Ties a use to an encoder: the resource stays busy until the submit that carries the encoder completes.
   *
   * @example
   * tracker.useIn(encoder, entry);
   */
  useIn(encoder: object, use: TrackedUse): void {
    let uses = this.encoderUses.get(encoder);
    if (!uses) {
      uses = new Set();
      this.encoderUses.set(encoder, uses);
    }
    if (uses.has(use)) return;
    uses.add(use);
    use.openEncoders++;
  }

  /**
   * The encoders were submitted in `epoch` (already closed): their uses now wait for that epoch, and frees
   * that waited for the submit are scheduled behind it.
   *
   * @example
   * const epoch = tracker.close(); queue.submit(buffers); tracker.encodersSubmitted([encoder], epoch);
   */
  encodersSubmitted(encoders: Iterable<object>, epoch: number): void {
    for (const encoder of encoders) {
      const uses = this.encoderUses.get(encoder);
      if (!uses) continue;
      this.encoderUses.delete(encoder);
      for (const use of uses) {
        use.openEncoders--;
        if (use.lastUseEpoch < epoch) use.lastUseEpoch = epoch;
        const free = this.waitingForSubmit.get(use);
        if (free && use.openEncoders === 0) {
          this.waitingForSubmit.delete(use);
          this.defer(use.lastUseEpoch, free);
        }
      }
    }
  }

  /**
   * Defers a free until every encoder that uses the resource is submitted, then until that work completes.
   *
   * @example
   * tracker.deferUntilSubmitted(entry, () => texture.destroy());
   */
  deferUntilSubmitted(use: TrackedUse, free: () => void): void {
    this.waitingForSubmit.set(use, free);
  }
}
