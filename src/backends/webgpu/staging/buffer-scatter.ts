/**
 * The scatter path of the WebGPU upload belt. When a flush holds many small writes into a buffer with
 * STORAGE usage, one copy per staging chunk brings the staged bytes into a scratch storage buffer, the table
 * of (source word, destination word, word count) entries is uploaded next to them, and one dispatch writes
 * every element to its place: a few commands instead of one copy command per write. `planScatter` decides
 * per target and per flush, by the measured cost model; everything else stays a copy.
 *
 * The scratch buffer is GPU-only, so a later submission may reuse it without waiting (the queue orders the
 * copies into it after the pass that read it), except while a caller's encoder that uses it is not yet
 * submitted: then the belt uses copies until `submitted()`.
 */
import type { StagingHost } from '../../../core/backend.ts';
import { alignUp } from '../../../staging/planning/copy-layout.ts';
import {
  MEASURED_SCATTER_COST,
  planScatter,
  type ScatterCost,
  type ScatterLimits,
} from '../../../staging/planning/scatter-plan.ts';
import type { Chunk } from './chunk-pool.ts';
import type { BufferCopy, StagedCopy } from './copies.ts';
import { SCATTER_ENTRY_BYTES, SCATTER_WGSL, SCATTER_WORKGROUP_SIZE } from './scatter-shader.ts';

/** Below this many writes in a flush the belt does not even look for a scatter. */
const MIN_WRITES = 16;
/** Writes larger than this stay copies: a copy command moves a large block faster than one workgroup. */
const MAX_ELEMENT_BYTES = 4096;
const ENTRY_WORDS = SCATTER_ENTRY_BYTES / 4;

interface TargetScatter {
  readonly target: GPUBuffer;
  readonly copies: readonly BufferCopy[];
  readonly windowOffset: number;
  readonly windowBytes: number;
  /** Byte offset of this target's entries in the scratch buffer (256-aligned, a binding offset). */
  entriesOffset: number;
}

/** The scatters of one flush and the scratch layout they share. */
export interface ScatterBatch {
  /** The copies the scatter lands: the belt records every other copy as a copy command. */
  readonly scattered: ReadonlySet<StagedCopy>;
  readonly targets: readonly TargetScatter[];
  /** Where each involved chunk's staged bytes go in the scratch buffer, and how many. */
  readonly chunks: ReadonlyMap<Chunk, { readonly base: number; readonly bytes: number }>;
  readonly dataBytes: number;
  readonly totalBytes: number;
}

/**
 * Plans and records scatter passes for the upload belt.
 *
 * @example
 * const batch = scatter.select(copies, (c) => skip(c));
 * for (const copy of copies) if (!batch?.scattered.has(copy)) recordCopy(encoder, copy);
 * if (batch) scatter.record(encoder, batch, false);
 */
export class BufferScatter {
  private readonly device: GPUDevice;
  private readonly host: StagingHost;
  private readonly maxScratchBytes: number;
  private readonly limits: ScatterLimits;
  private pipeline: GPUComputePipeline | undefined;
  private layout: GPUBindGroupLayout | undefined;
  private scratch: GPUBuffer | undefined;
  private scratchBytes = 0;
  /** A caller's encoder that uses the scratch buffer has not been submitted yet. */
  private busy = false;
  private lastUsed = 0;
  private passes = 0;
  private writes = 0;

  constructor(
    device: GPUDevice,
    host: StagingHost,
    options: { maxScratchBytes: number; cost?: ScatterCost },
  ) {
    this.device = device;
    this.host = host;
    this.maxScratchBytes = options.maxScratchBytes;
    this.limits = {
      maxBindingBytes: device.limits.maxStorageBufferBindingSize,
      offsetAlignment: device.limits.minStorageBufferOffsetAlignment,
      maxElementBytes: MAX_ELEMENT_BYTES,
      cost: options.cost ?? MEASURED_SCATTER_COST,
    };
  }

  /**
   * The scatters worth running for `copies` (in call order), skipping those `skip` rejects, or `undefined`
   * when copies are the better or the only choice for every target.
   *
   * @example
   * const batch = scatter.select(copies, (copy) => dead.has(copy.target));
   */
  select(copies: readonly StagedCopy[], skip: (copy: StagedCopy) => boolean): ScatterBatch | undefined {
    if (copies.length < MIN_WRITES || this.busy) return undefined;
    const byTarget = new Map<GPUBuffer, BufferCopy[]>();
    let lastTarget: GPUBuffer | undefined;
    let lastList: BufferCopy[] | undefined;
    for (const copy of copies) {
      if (copy.kind !== 'buffer') continue;
      if (copy.target !== lastTarget) {
        lastTarget = copy.target;
        lastList = byTarget.get(copy.target);
        if (lastList === undefined && (copy.target.usage & GPUBufferUsage.STORAGE) !== 0 && !skip(copy)) {
          lastList = [];
          byTarget.set(copy.target, lastList);
        }
      }
      lastList?.push(copy);
    }
    const targets: TargetScatter[] = [];
    const scattered = new Set<StagedCopy>();
    for (const [target, list] of byTarget) {
      if (list.length < MIN_WRITES) continue;
      const plan = planScatter(
        list.map((c) => c.dstOffset),
        list.map((c) => c.size),
        this.limits,
      );
      if (plan === undefined) continue;
      const chosen = plan.indices.map((i) => list[i]!);
      for (const copy of chosen) scattered.add(copy);
      targets.push({ target, copies: chosen, ...plan, entriesOffset: 0 });
    }
    if (targets.length === 0) return undefined;
    return this.layOut(targets, scattered);
  }

  /**
   * Records the batch: the staged bytes into the scratch buffer, the entry table, one dispatch per target.
   * `callerSubmits` marks the scratch busy until {@link submitted}.
   *
   * @example
   * scatter.record(encoder, batch, true);
   */
  record(encoder: GPUCommandEncoder, batch: ScatterBatch, callerSubmits: boolean): void {
    const scratch = this.scratchOf(batch.totalBytes);
    const { pipeline, layout } = this.pipelineOf();
    for (const [chunk, { base, bytes }] of batch.chunks) {
      encoder.copyBufferToBuffer(chunk.buffer, 0, scratch, base, bytes);
    }
    const table = new Uint32Array((batch.totalBytes - batch.dataBytes) / 4);
    for (const t of batch.targets) {
      let at = (t.entriesOffset - batch.dataBytes) / 4;
      for (const copy of t.copies) {
        table[at] = (batch.chunks.get(copy.chunk)!.base + copy.src) / 4;
        table[at + 1] = (copy.dstOffset - t.windowOffset) / 4;
        table[at + 2] = copy.size / 4;
        at += ENTRY_WORDS;
      }
    }
    // Written now, ahead of this encoder: safe, since no unsubmitted encoder uses the scratch buffer.
    this.device.queue.writeBuffer(scratch, batch.dataBytes, table);
    const pass = encoder.beginComputePass({ label: 'gpu-handles scatter' });
    pass.setPipeline(pipeline);
    const maxGroups = this.device.limits.maxComputeWorkgroupsPerDimension;
    for (const t of batch.targets) {
      const count = t.copies.length;
      pass.setBindGroup(
        0,
        this.device.createBindGroup({
          layout,
          entries: [
            { binding: 0, resource: { buffer: scratch, offset: 0, size: batch.dataBytes } },
            {
              binding: 1,
              resource: { buffer: scratch, offset: t.entriesOffset, size: count * SCATTER_ENTRY_BYTES },
            },
            { binding: 2, resource: { buffer: t.target, offset: t.windowOffset, size: t.windowBytes } },
          ],
        }),
      );
      const groups = Math.ceil(count / SCATTER_WORKGROUP_SIZE);
      const x = Math.min(groups, maxGroups);
      pass.dispatchWorkgroups(x, Math.ceil(groups / x));
      this.passes++;
      this.writes += count;
    }
    pass.end();
    if (callerSubmits) this.busy = true;
    this.lastUsed = performance.now();
  }

  /** Encoders recorded into were submitted: the scratch buffer is free to reuse. @example scatter.submitted(); */
  submitted(): void {
    this.busy = false;
  }

  /** Scatter passes and the writes they landed. @example scatter.counters().scatteredWrites */
  counters(): { scatterPasses: number; scatteredWrites: number } {
    return { scatterPasses: this.passes, scatteredWrites: this.writes };
  }

  /**
   * Frees the scratch buffer when unused for `idleMs` (and not held by an unsubmitted encoder). Returns the
   * bytes freed.
   *
   * @example scatter.trim(2000);
   */
  trim(idleMs: number): number {
    if (this.scratch === undefined || this.busy || performance.now() - this.lastUsed < idleMs) return 0;
    const bytes = this.scratchBytes;
    this.freeScratch();
    return bytes;
  }

  /** Frees the scratch buffer. @example scatter.dispose(); */
  dispose(): void {
    this.freeScratch();
    this.busy = false;
  }

  /** Chunk regions first, then each target's entries at a binding-aligned offset; undefined if too big. */
  private layOut(targets: TargetScatter[], scattered: Set<StagedCopy>): ScatterBatch | undefined {
    const ends = new Map<Chunk, number>();
    for (const t of targets) {
      for (const copy of t.copies) {
        ends.set(copy.chunk, Math.max(ends.get(copy.chunk) ?? 0, copy.src + copy.size));
      }
    }
    const align = this.limits.offsetAlignment;
    const chunks = new Map<Chunk, { base: number; bytes: number }>();
    let at = 0;
    for (const [chunk, end] of ends) {
      chunks.set(chunk, { base: at, bytes: end });
      at = alignUp(at + end, align);
    }
    const dataBytes = at;
    for (const t of targets) {
      t.entriesOffset = at;
      at = alignUp(at + t.copies.length * SCATTER_ENTRY_BYTES, align);
    }
    if (at > this.maxScratchBytes || dataBytes > this.limits.maxBindingBytes) return undefined;
    return { scattered, targets, chunks, dataBytes, totalBytes: at };
  }

  private scratchOf(bytes: number): GPUBuffer {
    if (this.scratch !== undefined && this.scratchBytes >= bytes) return this.scratch;
    this.freeScratch();
    let size = 1 << 16;
    while (size < bytes) size *= 2;
    this.scratch = this.device.createBuffer({
      label: `gpu-handles scatter scratch (${size} B)`,
      size,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    });
    this.scratchBytes = size;
    this.host.allocated(size, 'gpu');
    return this.scratch;
  }

  private freeScratch(): void {
    if (this.scratch === undefined) return;
    this.scratch.destroy(); // WebGPU keeps it alive for submitted work that still uses it
    this.host.freed(this.scratchBytes, 'gpu');
    this.scratch = undefined;
    this.scratchBytes = 0;
  }

  private pipelineOf(): { pipeline: GPUComputePipeline; layout: GPUBindGroupLayout } {
    if (this.pipeline === undefined || this.layout === undefined) {
      const storage = (type: GPUBufferBindingType): GPUBindGroupLayoutEntry['buffer'] => ({ type });
      this.layout = this.device.createBindGroupLayout({
        label: 'gpu-handles scatter',
        entries: [
          { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: storage('read-only-storage') },
          { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: storage('read-only-storage') },
          { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: storage('storage') },
        ],
      });
      this.pipeline = this.device.createComputePipeline({
        label: 'gpu-handles scatter',
        layout: this.device.createPipelineLayout({ bindGroupLayouts: [this.layout] }),
        compute: {
          module: this.device.createShaderModule({ label: 'gpu-handles scatter', code: SCATTER_WGSL }),
          entryPoint: 'scatter',
        },
      });
    }
    return { pipeline: this.pipeline, layout: this.layout };
  }
}
