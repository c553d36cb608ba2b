/**
 * GPU time per frame, for the stats overlay. With the 'timestamp-query' feature, the passes of a frame write
 * two timestamps (the start of the first pass, the end of the last) into a query set the manager owns; the
 * frame's encoder resolves them into a buffer, and a pooled readback (`manager.read`) brings the two values
 * back a frame or more later. A ring of slots lets several frames be in flight; a frame whose slot is still
 * being read is simply not timed. CPU frame time is the time between `endFrame` calls. Without the feature
 * the timer says so (`supported` false, `unsupportedReason`) and times the CPU only.
 */
import type { Handle } from '../handles/handle.ts';
import { BufferUsage } from '../resources/usage.ts';
import { formatMs } from './format.ts';

/** What the timer needs of a WebGPU manager (its own create, read and destroy). */
export interface FrameTimerManager {
  createQuerySet(desc: { label?: string; type: GPUQueryType; count: number }): Handle<'querySet'>;
  createBuffer(desc: { label?: string; size: number; usage: number }): Handle<'buffer'>;
  gpu(handle: Handle<'querySet'>): GPUQuerySet;
  gpu(handle: Handle<'buffer'>): GPUBuffer;
  read(buffer: Handle<'buffer'>, offset?: number, size?: number): Promise<Uint8Array>;
  destroy(handle: Handle<'querySet'> | Handle<'buffer'>): void;
  has(handle: number): boolean;
}

/** One frame's timestamp writes: give `first` to the frame's first pass and `last` to its last one. */
export interface TimedFrame {
  readonly slot: number;
  /** For the first pass (the frame's start); when one pass is the whole frame, use `both`. */
  readonly first: GPURenderPassTimestampWrites;
  /** For the last pass (the frame's end). */
  readonly last: GPURenderPassTimestampWrites;
  /** Start and end on one pass. */
  readonly both: GPURenderPassTimestampWrites;
}

/**
 * Frame time figures, milliseconds; `undefined` until measured. The totals let a reader average over any span
 * (the overlay: per graph sample) by differencing two readings, without listening to every frame.
 */
export interface FrameTimes {
  /** The last frame's CPU time (between the last two `endFrame` calls). */
  readonly cpuMs: number | undefined;
  /** The last GPU time that came back. */
  readonly gpuMs: number | undefined;
  /** Frames whose CPU time was measured, and the sum of those times. */
  readonly cpuFrames: number;
  readonly cpuTotalMs: number;
  /** Frames whose GPU time came back, and the sum of those times. */
  readonly gpuSamples: number;
  readonly gpuTotalMs: number;
  /** Frames not GPU-timed because their slot was still being read. */
  readonly skipped: number;
}

const SLOT_BYTES = 16; // two 64-bit timestamps
// resolveQuerySet's destination offset must be a multiple of 256, so each slot starts 256 bytes apart.
const SLOT_STRIDE = 256;
const DEFAULT_SLOTS = 4;

/**
 * Times frames on the CPU, and on the GPU where the device has 'timestamp-query'.
 *
 * @example
 * const timer = createFrameTimer(manager, device);
 * // per frame:
 * const frame = timer.beginFrame();
 * const pass = encoder.beginRenderPass({ ...desc, timestampWrites: frame?.both });
 * // ... draw, end the pass ...
 * timer.endFrame(encoder, frame);
 * manager.submit([encoder.finish()]);
 * timer.submitted(frame); // starts the readback; timer.times().gpuMs follows a frame or two later
 */
export class FrameTimer {
  readonly supported: boolean;
  readonly unsupportedReason: string | undefined;
  private readonly querySet: Handle<'querySet'> | undefined;
  private readonly resolveBuffer: Handle<'buffer'> | undefined;
  private readonly busy: boolean[];
  private readonly frames: (TimedFrame | undefined)[] = [];
  private next = 0;
  private lastEnd: number | undefined;
  private cpuMs: number | undefined;
  private gpuMs: number | undefined;
  private cpuFrames = 0;
  private cpuTotalMs = 0;
  private gpuSamples = 0;
  private gpuTotalMs = 0;
  private skipped = 0;
  private disposed = false;
  private readonly listeners = new Set<(times: FrameTimes) => void>();

  constructor(
    private readonly manager: FrameTimerManager,
    features: ReadonlySet<string>,
    private readonly now: () => number = () => performance.now(),
    readonly slots = DEFAULT_SLOTS,
  ) {
    this.supported = features.has('timestamp-query');
    this.unsupportedReason = this.supported
      ? undefined
      : "GPU time needs the device feature 'timestamp-query', which is not enabled";
    this.busy = Array.from({ length: slots }, () => false);
    if (this.supported) {
      this.querySet = manager.createQuerySet({ label: 'frame timer', type: 'timestamp', count: 2 * slots });
      this.resolveBuffer = manager.createBuffer({
        label: 'frame timer resolve',
        size: SLOT_STRIDE * (slots - 1) + SLOT_BYTES,
        usage: BufferUsage.QUERY_RESOLVE | BufferUsage.COPY_SRC,
      });
    }
  }

  /** The timestamp writes of the next frame, or `undefined` (no feature, or every slot still being read). */
  beginFrame(): TimedFrame | undefined {
    if (!this.querySet || this.disposed) return undefined;
    const slot = this.next;
    if (this.busy[slot]) {
      this.skipped++;
      return undefined;
    }
    this.next = (slot + 1) % this.slots;
    this.busy[slot] = true;
    // Built once per slot (and again if the query set's GPU object was rebuilt): a frame loop allocates nothing.
    const querySet = this.manager.gpu(this.querySet);
    let frame = this.frames[slot];
    if (frame?.both.querySet !== querySet) {
      const begin = 2 * slot;
      frame = {
        slot,
        first: { querySet, beginningOfPassWriteIndex: begin },
        last: { querySet, endOfPassWriteIndex: begin + 1 },
        both: { querySet, beginningOfPassWriteIndex: begin, endOfPassWriteIndex: begin + 1 },
      };
      this.frames[slot] = frame;
    }
    return frame;
  }

  /** Ends the frame: CPU time since the last `endFrame`; resolves the frame's timestamps into the buffer. */
  endFrame(encoder: GPUCommandEncoder | undefined, frame: TimedFrame | undefined): void {
    const now = this.now();
    if (this.lastEnd !== undefined) {
      this.cpuMs = now - this.lastEnd;
      this.cpuFrames++;
      this.cpuTotalMs += this.cpuMs;
    }
    this.lastEnd = now;
    if (frame && encoder && this.querySet && this.resolveBuffer) {
      encoder.resolveQuerySet(
        this.manager.gpu(this.querySet),
        2 * frame.slot,
        2,
        this.manager.gpu(this.resolveBuffer),
        SLOT_STRIDE * frame.slot,
      );
    }
    if (!frame) this.emit();
  }

  /**
   * Starts the pooled readback of a submitted frame's timestamps (call after the submit that carried
   * `endFrame`'s encoder). Resolves when the GPU time of that frame is known.
   */
  async submitted(frame: TimedFrame | undefined): Promise<number | undefined> {
    if (!frame || !this.resolveBuffer) return undefined;
    try {
      const bytes = await this.manager.read(this.resolveBuffer, SLOT_STRIDE * frame.slot, SLOT_BYTES);
      const [start, end] = new BigUint64Array(bytes.buffer, bytes.byteOffset, 2);
      // A zero or reversed pair means the GPU wrote nothing usable (a pass without the writes, a reset).
      if (start !== undefined && end !== undefined && end > start && start > 0n) {
        this.gpuMs = Number(end - start) / 1e6;
        this.gpuSamples++;
        this.gpuTotalMs += this.gpuMs;
      }
    } finally {
      this.busy[frame.slot] = false;
    }
    this.emit();
    return this.gpuMs;
  }

  /** The latest figures. */
  times(): FrameTimes {
    return {
      cpuMs: this.cpuMs,
      gpuMs: this.gpuMs,
      cpuFrames: this.cpuFrames,
      cpuTotalMs: this.cpuTotalMs,
      gpuSamples: this.gpuSamples,
      gpuTotalMs: this.gpuTotalMs,
      skipped: this.skipped,
    };
  }

  /** Calls `listener` whenever a figure changes; returns the unsubscribe function. */
  onTimes(listener: (times: FrameTimes) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Destroys the query set and the resolve buffer through the manager. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const handle of [this.querySet, this.resolveBuffer]) {
      if (handle !== undefined && this.manager.has(handle)) this.manager.destroy(handle);
    }
    this.listeners.clear();
  }

  private emit(): void {
    if (this.listeners.size === 0) return;
    const times = this.times();
    for (const listener of this.listeners) listener(times);
  }
}

/**
 * A frame timer for `manager` on `device` (GPU time where the device has 'timestamp-query').
 *
 * @example
 * const timer = createFrameTimer(manager, device);
 * if (!timer.supported) console.log(timer.unsupportedReason);
 */
export function createFrameTimer(
  manager: FrameTimerManager,
  device: { readonly features: ReadonlySet<string> },
  options: { now?: () => number; slots?: number } = {},
): FrameTimer {
  return new FrameTimer(manager, device.features, options.now, options.slots);
}

/**
 * The overlay's line for frame times: "CPU 4.2 ms · GPU 1.3 ms", or says why GPU time is missing.
 *
 * @example
 * formatFrameTimes(timer.times(), timer.unsupportedReason) // 'CPU 16.7 ms · GPU 0.420 ms'
 */
export function formatFrameTimes(times: FrameTimes, unsupportedReason?: string): string {
  const gpu =
    unsupportedReason !== undefined ? "GPU n/a (no 'timestamp-query')" : `GPU ${formatMs(times.gpuMs)}`;
  return `CPU ${formatMs(times.cpuMs)} · ${gpu}`;
}
