/**
 * GPU completion on WebGL2 without blocking: `fenceSync` after the work, then `clientWaitSync(sync, 0, 0)`
 * (a zero timeout only asks) polled on a timer. WebGL only updates a sync object's status between tasks, so a
 * poll inside the same task would never see it signal; one shared timer serves every pending fence.
 */

/** How often pending fences are polled (ms). */
const POLL_MS = 1;

interface PendingFence {
  readonly sync: WebGLSync;
  readonly resolve: () => void;
}

/**
 * Inserts fences and resolves a promise per fence once the GPU has passed it.
 *
 * @example
 * const fences = new FencePoller(gl);
 * gl.drawArrays(gl.TRIANGLES, 0, 3);
 * await fences.fence(); // the draw has completed on the GPU
 */
export class FencePoller {
  private pending: PendingFence[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly gl: WebGL2RenderingContext) {}

  /** Fences waiting for the GPU. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * Fences everything issued so far, flushes it to the GPU, and resolves when the GPU has completed it.
   * Resolves at once on a lost context: that work will never complete, and nothing waits on it any more.
   *
   * @example
   * await fences.fence();
   */
  fence(): Promise<void> {
    const { gl } = this;
    if (gl.isContextLost()) return Promise.resolve();
    const sync = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
    gl.flush();
    if (!sync) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.pending.push({ sync, resolve });
      this.schedule();
    });
  }

  /**
   * Resolves every pending fence now (context lost or backend disposed) and stops polling.
   *
   * @example
   * fences.releaseAll();
   */
  releaseAll(): void {
    const all = this.pending;
    this.pending = [];
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const lost = this.gl.isContextLost();
    for (const fence of all) {
      if (!lost) this.gl.deleteSync(fence.sync);
      fence.resolve();
    }
  }

  private schedule(): void {
    if (this.timer !== undefined || this.pending.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.poll();
    }, POLL_MS);
  }

  private poll(): void {
    const { gl } = this;
    if (gl.isContextLost()) {
      this.releaseAll();
      return;
    }
    const still: PendingFence[] = [];
    for (const fence of this.pending) {
      const status = gl.clientWaitSync(fence.sync, 0, 0);
      if (status === gl.TIMEOUT_EXPIRED) {
        still.push(fence);
        continue;
      }
      // ALREADY_SIGNALED, CONDITION_SATISFIED, or WAIT_FAILED (nothing more will come from this fence).
      gl.deleteSync(fence.sync);
      fence.resolve();
    }
    this.pending = still;
    this.schedule();
  }
}
