/**
 * The scatter path of the WebGPU upload belt. When a flush holds many small writes into a buffer with
 * STORAGE usage, one copy per staging chunk brings the staged bytes into a scratch storage buffer, the table
 * of (source, destination, length) entries is uploaded next to them, and one dispatch writes every element
 * to its place: a few commands instead of one copy command per write. `planScatterBatch` decides per target
 * and per flush, by the measured cost model; everything else stays a copy. Entries count 16-byte vectors
 * when every write of the target is 16-byte aligned (the common case: uniforms, transforms), else 4-byte
 * words: on SwiftShader a vector load and store costs about what a word does, so aligned writes move four
 * times the bytes per operation.
 *
 * The scratch buffer is GPU-only, so a later submission may reuse it without waiting (the queue orders the
 * copies into it after the pass that read it), except while a caller's encoder that uses it is not yet
 * submitted: then the belt uses copies until `submitted()`.
 */
import type { StagingHost } from '../../../core/backend.ts';
import {
  type BatchLimits,
  MEASURED_SCATTER_COST,
  planScatterBatch,
  type ScatterBatchPlan,
  type ScatterCost,
} from '../../../staging/planning/scatter-plan.ts';
import type { WriteLog } from '../../../staging/planning/write-log.ts';
import type { Chunk } from './chunk-pool.ts';
import { SCATTER_ENTRY_BYTES, SCATTER_WORKGROUP_SIZE, scatterWgsl } from './scatter-shader.ts';

/** Below this many writes into one target in a flush the belt does not even look for a scatter. */
const MIN_WRITES = 16;
/** Writes larger than this stay copies: a copy command moves a large block faster than one invocation. */
const MAX_ELEMENT_BYTES = 4096;

/** The belt's staged buffer writes. */
export type BeltLog = WriteLog<Chunk, GPUBuffer>;

/** The compute pipeline of one entry unit (4-byte words, or 16-byte vectors when everything is aligned). */
interface ScatterPipeline {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

/**
 * Plans and records scatter passes for the upload belt.
 *
 * @example
 * const plan = scatter.plan(log, usable);
 * for (let i = 0; i < log.count; i++) if (!plan?.scattered[i]) recordCopy(encoder, log, i);
 * if (plan) scatter.record(encoder, log, plan, false);
 */
export class BufferScatter {
  private readonly device: GPUDevice;
  private readonly host: StagingHost;
  private readonly limits: BatchLimits;
  private readonly pipelines: (ScatterPipeline | undefined)[] = [undefined, undefined];
  private scratch: GPUBuffer | undefined;
  private scratchBytes = 0;
  /** The entry table, reused from flush to flush. */
  private table: Uint32Array | undefined;
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
    this.limits = {
      maxBindingBytes: device.limits.maxStorageBufferBindingSize,
      offsetAlignment: device.limits.minStorageBufferOffsetAlignment,
      maxElementBytes: MAX_ELEMENT_BYTES,
      cost: options.cost ?? MEASURED_SCATTER_COST,
      maxScratchBytes: options.maxScratchBytes,
      minWrites: MIN_WRITES,
    };
  }

  /**
   * The scatters worth running for the logged writes, or `undefined` when copies are the better or the only
   * choice for every target. `usable[t]` is 0 for a target number whose copies are skipped.
   *
   * @example
   * const plan = scatter.plan(log, usable);
   */
  plan(log: BeltLog, usable: Uint8Array): ScatterBatchPlan | undefined {
    if (log.count < MIN_WRITES || this.busy) return undefined;
    const targets = log.targets;
    const may = new Uint8Array(targets.length);
    let any = false;
    for (let t = 0; t < targets.length; t++) {
      if (usable[t] !== 0 && (targets[t]!.usage & GPUBufferUsage.STORAGE) !== 0) {
        may[t] = 1;
        any = true;
      }
    }
    if (!any) return undefined;
    const plan = planScatterBatch(log, may, this.limits, this.table);
    if (plan !== undefined) this.table = plan.table;
    return plan;
  }

  /**
   * Records the batch: the staged bytes into the scratch buffer, the entry table, one dispatch per target.
   * `callerSubmits` marks the scratch busy until {@link submitted}.
   *
   * @example
   * scatter.record(encoder, log, plan, true);
   */
  record(encoder: GPUCommandEncoder, log: BeltLog, plan: ScatterBatchPlan, callerSubmits: boolean): void {
    const scratch = this.scratchOf(plan.totalBytes);
    for (let chunk = 0; chunk < log.chunks.length; chunk++) {
      const bytes = plan.chunkBytes[chunk]!;
      if (bytes > 0) {
        encoder.copyBufferToBuffer(log.chunks[chunk]!.buffer, 0, scratch, plan.chunkBase[chunk]!, bytes);
      }
    }
    // Written now, ahead of this encoder: safe, since no unsubmitted encoder uses the scratch buffer.
    this.device.queue.writeBuffer(
      scratch,
      plan.dataBytes,
      plan.table,
      0,
      (plan.totalBytes - plan.dataBytes) / 4,
    );
    const pass = encoder.beginComputePass({ label: 'gpu-handles scatter' });
    const maxGroups = this.device.limits.maxComputeWorkgroupsPerDimension;
    let current: ScatterPipeline | undefined;
    for (const t of plan.targets) {
      const { pipeline, layout } = this.pipelineOf(t.wide);
      if (pipeline !== current?.pipeline) pass.setPipeline(pipeline);
      current = { pipeline, layout };
      pass.setBindGroup(
        0,
        this.device.createBindGroup({
          layout,
          entries: [
            { binding: 0, resource: { buffer: scratch, offset: 0, size: plan.dataBytes } },
            {
              binding: 1,
              resource: { buffer: scratch, offset: t.entriesOffset, size: t.count * SCATTER_ENTRY_BYTES },
            },
            {
              binding: 2,
              resource: { buffer: log.targets[t.target]!, offset: t.windowOffset, size: t.windowBytes },
            },
          ],
        }),
      );
      const groups = Math.ceil(t.count / SCATTER_WORKGROUP_SIZE);
      const x = Math.min(groups, maxGroups);
      pass.dispatchWorkgroups(x, Math.ceil(groups / x));
      this.passes++;
      this.writes += t.count;
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

  private pipelineOf(wide: boolean): ScatterPipeline {
    const index = wide ? 1 : 0;
    let built = this.pipelines[index];
    if (built === undefined) {
      const storage = (type: GPUBufferBindingType): GPUBindGroupLayoutEntry['buffer'] => ({ type });
      const label = `gpu-handles scatter (${wide ? '16-byte' : '4-byte'} units)`;
      const layout = this.device.createBindGroupLayout({
        label,
        entries: [
          { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: storage('read-only-storage') },
          { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: storage('read-only-storage') },
          { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: storage('storage') },
        ],
      });
      const pipeline = this.device.createComputePipeline({
        label,
        layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
        compute: {
          module: this.device.createShaderModule({ label, code: scatterWgsl(wide) }),
          entryPoint: 'scatter',
        },
      });
      built = { pipeline, layout };
      this.pipelines[index] = built;
    }
    return built;
  }
}
