/**
 * The order of uploads and reads once one of them had to wait, backend-neutral. A write stopped by the upload
 * cap, or a read stopped by the readback cap, waits here; every later write and read queues behind it, so
 * a read sees exactly the writes called before it (none after), and writes land in call order, whichever
 * cap stopped whom. The staging drains the queue whenever something it waits for comes back.
 */

/** What a waiting operation is; stats count writes and reads apart. */
export type WaitingKind = 'write' | 'read';

/** Why a waiting operation will never run. */
export type CancelReason = 'destroyed' | 'disposed' | 'device-lost';

/** An upload or read waiting its turn. */
export interface WaitingOp {
  readonly kind: WaitingKind;
  /** The resource written or read: when it is destroyed, its operations are cancelled. */
  readonly source: unknown;
  /** Makes progress; true once the operation is done (started, for a read) and leaves the queue. */
  run(): boolean;
  /** The operation will never run: a write resolves (its data has nowhere to go), a read rejects. */
  cancel(reason: CancelReason): void;
}

/**
 * A first-in first-out queue of waiting uploads and reads.
 *
 * @example
 * if (order.idle && tryStage(write)) return undefined;
 * return new Promise((resolve) => order.enqueue({ kind: 'write', source, run: () => tryStage(write) && (resolve(), true), cancel: () => resolve() }));
 */
export class CallOrder {
  private ops: (WaitingOp | undefined)[] = [];
  private head = 0;
  private writes = 0;
  private draining = false;

  /** Nothing waits: a new operation may run at once. */
  get idle(): boolean {
    return this.head === this.ops.length;
  }

  /** Waiting writes and reads. @example stats.upload.waiting = order.waiting('write'); */
  waiting(kind: WaitingKind): number {
    const total = this.ops.length - this.head;
    return kind === 'write' ? this.writes : total - this.writes;
  }

  /** Queues `op` behind everything waiting. @example order.enqueue(op); */
  enqueue(op: WaitingOp): void {
    this.ops.push(op);
    if (op.kind === 'write') this.writes++;
  }

  /**
   * Runs waiting operations in order until one cannot make progress. Safe to call from inside an
   * operation (a nested call returns at once; the outer loop goes on).
   *
   * @example chunk.returned = () => order.drain();
   */
  drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.head < this.ops.length) {
        const op = this.ops[this.head]!;
        if (!op.run()) return;
        this.ops[this.head++] = undefined;
        if (op.kind === 'write') this.writes--;
      }
      this.ops = [];
      this.head = 0;
    } finally {
      this.draining = false;
    }
  }

  /**
   * Cancels the operations of a destroyed resource (writes resolve, reads reject); the rest keep their order.
   * @example order.forget(buffer);
   */
  forget(source: unknown): void {
    if (this.idle) return;
    const kept: WaitingOp[] = [];
    const dropped: WaitingOp[] = [];
    for (let i = this.head; i < this.ops.length; i++) {
      const op = this.ops[i]!;
      (op.source === source ? dropped : kept).push(op);
    }
    if (dropped.length === 0) return;
    this.ops = kept;
    this.head = 0;
    this.writes = kept.filter((op) => op.kind === 'write').length;
    for (const op of dropped) op.cancel('destroyed');
  }

  /**
   * Cancels everything with `reason`. Idempotent.
   * @example order.dispose('device-lost');
   */
  dispose(reason: CancelReason): void {
    const ops = this.ops.slice(this.head) as WaitingOp[];
    this.ops = [];
    this.head = 0;
    this.writes = 0;
    for (const op of ops) op.cancel(reason);
  }
}
