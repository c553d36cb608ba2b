/**
 * The upload belt and the readback pool against the plain WebGPU calls they replace, measured in one run on
 * Dawn. Every ratio is the median of interleaved rounds (rounds.ts), printed with the spread of the round
 * ratios. Frames include the
 * GPU's completion (`onSubmittedWorkDone`), so no cost is hidden by moving it to the GPU.
 */

import { BufferUsage } from '../src/resources/usage.ts';
import { MEASURED_SCATTER_COST } from '../src/staging/planning/scatter-plan.ts';
import { type BenchGpu, median, ms } from './gpu.ts';
import { reportCount } from './measure.ts';
import { interleaved, line } from './rounds.ts';

/** A shuffled 0..n-1 (a fixed seed: every run writes the same pattern). */
function shuffled(n: number): Uint32Array {
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1, seed = 7; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

const COUNT = 10_000;
/** Idle time after each frame in the paced lines: what a 60 fps loop leaves after a short frame. */
const FRAME_PAUSE_MS = 16;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const SIZE = 256;

/** 10,000 writes of 256 B per frame: adjacent, and scattered (every other slot, shuffled). */
async function benchSmallWrites(gpu: BenchGpu): Promise<boolean> {
  const { device } = gpu;
  const manager = gpu.manager();
  const usage = BufferUsage.COPY_DST | BufferUsage.STORAGE;
  const target = manager.createBuffer({ label: 'per-object uniforms', size: 2 * COUNT * SIZE, usage });
  const raw = manager.gpu(target);
  const data = new Uint8Array(SIZE);
  const scattered = shuffled(COUNT).map((slot) => slot * 2 * SIZE);
  const adjacent = Uint32Array.from({ length: COUNT }, (_, i) => i * SIZE);
  const writeBufferFrame = (offsets: Uint32Array) => async () => {
    for (let i = 0; i < COUNT; i++) device.queue.writeBuffer(raw, offsets[i]!, data);
    await device.queue.onSubmittedWorkDone();
  };
  const beltFrame = (offsets: Uint32Array) => async () => {
    for (let i = 0; i < COUNT; i++) manager.upload(target, offsets[i]!, data);
    manager.flush();
    await device.queue.onSubmittedWorkDone();
  };
  const inOrder = await interleaved(
    { rounds: 11, warmup: 2, samples: 6 },
    writeBufferFrame(adjacent),
    beltFrame(adjacent),
  );
  const okAdjacent = line(
    '10,000 x 256 B adjacent: belt+flush vs writeBuffer',
    `${ms(inOrder.bMs)} vs ${ms(inOrder.aMs)}`,
    inOrder,
    '>= 15x',
    inOrder.ratio >= 15,
  );
  // Back to back, each frame's JS competes on 2 cores with the threads still finishing the frame before it
  // (SwiftShader, Dawn's frees); a frame loop leaves them idle time. Both sides get the same pause.
  const paced = await interleaved(
    { rounds: 11, warmup: 2, samples: 6, pause: () => sleep(FRAME_PAUSE_MS) },
    writeBufferFrame(adjacent),
    beltFrame(adjacent),
  );
  line(
    `  the same, frames ${FRAME_PAUSE_MS} ms apart (a 60 fps loop)`,
    `${ms(paced.bMs)} vs ${ms(paced.aMs)}`,
    paced,
    'informative',
    true,
  );
  const createdBefore = manager.stagingStats().upload.created;
  const passesBefore = manager.stagingStats().upload.scatterPasses;
  const scatter = await interleaved(
    { rounds: 11, warmup: 2, samples: 6 },
    writeBufferFrame(scattered),
    beltFrame(scattered),
  );
  const passes = manager.stagingStats().upload.scatterPasses - passesBefore;
  const okScattered = line(
    '10,000 x 256 B scattered: belt+flush vs writeBuffer',
    `${ms(scatter.bMs)} vs ${ms(scatter.aMs)}`,
    scatter,
    '>= 3x',
    scatter.ratio >= 3 && passes > 0,
  );
  const steadyCreated = manager.stagingStats().upload.created - createdBefore;
  reportCount(
    'upload steady state: staging buffers created',
    `${steadyCreated} new over the scattered frames`,
    steadyCreated,
    '0 new',
    steadyCreated === 0,
  );

  // The same scattered frame into a buffer without STORAGE usage: the belt falls back to merged copies.
  const plain = manager.createBuffer({
    label: 'no storage',
    size: 2 * COUNT * SIZE,
    usage: BufferUsage.COPY_DST,
  });
  const plainRaw = manager.gpu(plain);
  const copies = await interleaved(
    { rounds: 3, warmup: 1, samples: 4 },
    async () => {
      for (let i = 0; i < COUNT; i++) device.queue.writeBuffer(plainRaw, scattered[i]!, data);
      await device.queue.onSubmittedWorkDone();
    },
    async () => {
      for (let i = 0; i < COUNT; i++) manager.upload(plain, scattered[i]!, data);
      manager.flush();
      await device.queue.onSubmittedWorkDone();
    },
  );
  line(
    '10,000 x 256 B scattered, no STORAGE (copies)',
    `${ms(copies.bMs)} vs ${ms(copies.aMs)}`,
    copies,
    'informative',
    true,
  );
  manager.dispose();
  return okAdjacent && okScattered && steadyCreated === 0;
}

/**
 * Fits the scatter cost model: per-copy cost from frames of N copies (a buffer without STORAGE), the pass
 * and per-element costs from scatter frames of two sizes; printed beside the constants the belt uses.
 */
async function benchScatterCost(gpu: BenchGpu): Promise<void> {
  const { device } = gpu;
  const manager = gpu.manager();
  const data = new Uint8Array(SIZE);
  const frameMs = async (buffer: ReturnType<typeof manager.createBuffer>, n: number) => {
    const offsets = shuffled(n).map((slot) => slot * 2 * SIZE);
    const times: number[] = [];
    for (let round = 0; round < 12; round++) {
      const start = performance.now();
      for (let i = 0; i < n; i++) manager.upload(buffer, offsets[i]!, data);
      manager.flush();
      await device.queue.onSubmittedWorkDone();
      if (round >= 2) times.push(performance.now() - start);
    }
    return median(times);
  };
  const size = 2 * COUNT * SIZE;
  const storage = manager.createBuffer({
    label: 'fit storage',
    size,
    usage: BufferUsage.COPY_DST | BufferUsage.STORAGE,
  });
  const plain = manager.createBuffer({ label: 'fit copies', size, usage: BufferUsage.COPY_DST });
  const [small, large] = [500, COUNT];
  const copySmall = await frameMs(plain, small);
  const copyLarge = await frameMs(plain, large);
  const scatterSmall = await frameMs(storage, small);
  const scatterLarge = await frameMs(storage, large);
  const perCopyUs = ((copyLarge - copySmall) / (large - small)) * 1000;
  const perScatterUs = ((scatterLarge - scatterSmall) / (large - small)) * 1000; // element + its 256 B
  const passUs = scatterSmall * 1000 - small * perScatterUs - (copySmall * 1000 - small * perCopyUs);
  const m = MEASURED_SCATTER_COST;
  const modelPerWrite = m.perElementUs + (SIZE / 1024) * m.perKiBUs;
  console.log(
    `scatter cost model (measured): copy ${perCopyUs.toFixed(2)} us/write, scatter ${perScatterUs.toFixed(2)} us/write ` +
      `+ pass ${Math.max(0, passUs).toFixed(0)} us -> scatter pays from ~${Math.ceil(Math.max(0, passUs) / Math.max(1e-3, perCopyUs - perScatterUs))} writes`,
  );
  console.log(
    `scatter cost model (in the belt): copy ${m.perCopyUs} us/write, scatter ${modelPerWrite.toFixed(2)} us/write ` +
      `+ pass ${m.passUs} us -> scatter pays from ~${Math.ceil(m.passUs / (m.perCopyUs - modelPerWrite))} writes`,
  );
  manager.dispose();
}

/** One 4 MiB upload per frame. */
async function benchLargeUpload(gpu: BenchGpu): Promise<boolean> {
  const { device } = gpu;
  const manager = gpu.manager();
  const BYTES = 4 << 20;
  const target = manager.createBuffer({ label: 'mesh', size: BYTES, usage: BufferUsage.COPY_DST });
  const raw = manager.gpu(target);
  const data = new Uint8Array(BYTES).fill(7);
  const r = await interleaved(
    { rounds: 11, warmup: 3, samples: 10 },
    async () => {
      manager.upload(target, 0, data);
      manager.flush();
      await device.queue.onSubmittedWorkDone();
    },
    async () => {
      device.queue.writeBuffer(raw, 0, data);
      await device.queue.onSubmittedWorkDone();
    },
  );
  return line(
    '4 MiB upload: belt+flush vs writeBuffer (time ratio)',
    `${ms(r.aMs)} vs ${ms(r.bMs)}`,
    r,
    '<= 1.1x',
    r.ratio <= 1.1,
  );
}

/** 64 KiB reads, 8 in flight, through the pool against a new MAP_READ buffer per read (one at a time). */
async function benchReadback(gpu: BenchGpu): Promise<boolean> {
  const { device } = gpu;
  const manager = gpu.manager();
  const BYTES = 64 << 10;
  const BATCH = 32;
  const IN_FLIGHT = 8;
  const source = manager.createBuffer({
    label: 'results',
    size: BYTES,
    usage: BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
  });
  const raw = manager.gpu(source);
  device.queue.writeBuffer(raw, 0, new Uint8Array(BYTES).fill(3));
  let sink = 0;
  const newBufferRead = async () => {
    const readback = device.createBuffer({
      size: BYTES,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(raw, 0, readback, 0, BYTES);
    device.queue.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    sink += new Uint8Array(readback.getMappedRange()).slice()[0]!;
    readback.unmap();
    readback.destroy();
  };
  const sequentialNew = async () => {
    for (let i = 0; i < BATCH; i++) await newBufferRead();
  };
  const pipelinedPooled = async () => {
    for (let i = 0; i < BATCH; i += IN_FLIGHT) {
      const reads = Array.from({ length: IN_FLIGHT }, () => manager.read(source));
      for (const bytes of await Promise.all(reads)) sink += bytes[0]!;
    }
  };
  const batchedPooled = async () => {
    const requests = Array.from({ length: IN_FLIGHT }, () => ({ buffer: source }));
    for (let i = 0; i < BATCH; i += IN_FLIGHT) {
      for (const bytes of await manager.readBuffers(requests)) sink += bytes[0]!;
    }
  };
  const plan = { rounds: 11, warmup: 2, samples: 8 };
  const r = await interleaved(plan, sequentialNew, pipelinedPooled);
  line(
    `64 KiB reads: read() x${IN_FLIGHT} in flight vs new MAP_READ per read`,
    `${ms(r.bMs / BATCH)} vs ${ms(r.aMs / BATCH)} per read`,
    r,
    'informative',
    true,
  );
  const batched = await interleaved(plan, sequentialNew, batchedPooled);
  const ok = line(
    `64 KiB reads: readBuffers of ${IN_FLIGHT} vs new MAP_READ per read`,
    `${ms(batched.bMs / BATCH)} vs ${ms(batched.aMs / BATCH)} per read`,
    batched,
    '>= 2x',
    batched.ratio >= 2,
  );
  if (sink === -1) console.log('');
  manager.dispose();
  return ok;
}

/**
 * Runs the staging benchmarks; false when a target is missed.
 *
 * @example
 * const ok = await benchStaging(await openGpu());
 */
export async function benchStaging(gpu: BenchGpu): Promise<boolean> {
  const results = [await benchSmallWrites(gpu)];
  await benchScatterCost(gpu);
  results.push(await benchLargeUpload(gpu), await benchReadback(gpu));
  return !results.includes(false);
}
