/**
 * The upload belt and the readback pool against the plain WebGPU calls they replace, measured in one run on
 * Dawn. Each comparison alternates blocks of the two sides (see `compareBlocks`) and reports medians.
 * Frames include the GPU's completion (`onSubmittedWorkDone`), so no cost is hidden by moving it to the GPU.
 *
 * Targets (issue 4): 10,000 x 256 B belt + flush >= 10x faster than 10,000 queue.writeBuffer; a 4 MiB upload
 * within 1.3x of queue.writeBuffer; 64 KiB reads pooled >= 1.3x and pipelined >= 2x faster than a new
 * MAP_READ buffer per read; no staging buffer created in the steady state.
 */
import { BufferUsage } from '../src/resources/usage.ts';
import { type BenchGpu, median, ms } from './gpu.ts';
import { report, reportCount } from './measure.ts';

/**
 * Measures `a` and `b` in alternating blocks: each block first runs its side `warmup` times unrecorded, then
 * `samples` recorded times. Blocks rather than sample-by-sample alternation: the driver defers cleanup of a
 * side's work (Dawn frees the staging of 10,000 writeBuffer calls on a later tick), and that cost must be
 * charged to the side that caused it, not to whichever runs next. Alternating blocks still spreads a busy
 * moment of the shared machine over both sides. Returns both medians (ms per sample).
 */
async function compareBlocks(
  rounds: number,
  warmup: number,
  samples: number,
  a: () => Promise<void>,
  b: () => Promise<void>,
): Promise<[number, number]> {
  const times: [number[], number[]] = [[], []];
  for (let round = 0; round < rounds; round++) {
    for (const [side, body] of [a, b].entries()) {
      for (let i = 0; i < warmup; i++) await body();
      for (let i = 0; i < samples; i++) {
        const start = performance.now();
        await body();
        times[side]!.push(performance.now() - start);
      }
    }
  }
  return [median(times[0]), median(times[1])];
}

/** 10,000 small writes per frame, in order and scattered, plus the steady-state chunk count. */
async function benchSmallWrites(gpu: BenchGpu): Promise<boolean> {
  const { device } = gpu;
  const manager = gpu.manager();
  const COUNT = 10_000;
  const SIZE = 256;
  const target = manager.createBuffer({
    label: 'per-object uniforms',
    size: COUNT * SIZE,
    usage: BufferUsage.COPY_DST,
  });
  const raw = manager.gpu(target);
  const data = new Uint8Array(SIZE);
  const order = Uint32Array.from({ length: COUNT }, (_, i) => i);
  for (let i = COUNT - 1, seed = 7; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const writeBufferFrame = async (slots: Uint32Array | undefined) => {
    for (let i = 0; i < COUNT; i++) device.queue.writeBuffer(raw, (slots ? slots[i]! : i) * SIZE, data);
    await device.queue.onSubmittedWorkDone();
  };
  const beltFrame = async (slots: Uint32Array | undefined) => {
    for (let i = 0; i < COUNT; i++) manager.upload(target, (slots ? slots[i]! : i) * SIZE, data);
    manager.flush();
    await device.queue.onSubmittedWorkDone();
  };

  const [writeMs, beltMs] = await compareBlocks(
    3,
    3,
    8,
    () => writeBufferFrame(undefined),
    () => beltFrame(undefined),
  );
  const createdAfterWarmup = manager.stagingStats().upload.created;
  const inOrder = writeMs / beltMs;
  report(
    '10,000 x 256 B in order: belt+flush vs writeBuffer',
    `${ms(beltMs)} vs ${ms(writeMs)} per frame`,
    inOrder,
    '>= 10x',
    inOrder >= 10,
  );
  const steadyFrames = 50;
  for (let i = 0; i < steadyFrames; i++) await beltFrame(undefined);
  const steadyCreated = manager.stagingStats().upload.created - createdAfterWarmup;

  const [scatterWriteMs, scatterBeltMs] = await compareBlocks(
    2,
    2,
    5,
    () => writeBufferFrame(order),
    () => beltFrame(order),
  );
  report(
    '10,000 x 256 B scattered: belt+flush vs writeBuffer',
    `${ms(scatterBeltMs)} vs ${ms(scatterWriteMs)} per frame`,
    scatterWriteMs / scatterBeltMs,
    'informative: 10,000 copies',
    true,
  );
  const { upload } = manager.stagingStats();
  reportCount(
    'upload steady state: staging buffers created',
    `${steadyCreated} new over ${steadyFrames} frames (${upload.chunks} chunks, ${upload.bytes >> 20} MiB)`,
    steadyCreated,
    '0 new',
    steadyCreated === 0,
  );
  manager.dispose();
  return inOrder >= 10 && steadyCreated === 0;
}

/** One 4 MiB upload per frame. */
async function benchLargeUpload(gpu: BenchGpu): Promise<boolean> {
  const { device } = gpu;
  const manager = gpu.manager();
  const SIZE = 4 << 20;
  const target = manager.createBuffer({ label: 'mesh', size: SIZE, usage: BufferUsage.COPY_DST });
  const raw = manager.gpu(target);
  const data = new Uint8Array(SIZE).fill(7);
  const [writeMs, beltMs] = await compareBlocks(
    3,
    5,
    20,
    async () => {
      device.queue.writeBuffer(raw, 0, data);
      await device.queue.onSubmittedWorkDone();
    },
    async () => {
      manager.upload(target, 0, data);
      manager.flush();
      await device.queue.onSubmittedWorkDone();
    },
  );
  const slower = beltMs / writeMs;
  report(
    '4 MiB upload: belt+flush vs writeBuffer (time ratio)',
    `${ms(beltMs)} vs ${ms(writeMs)} (${((SIZE / beltMs) * 1e-6).toFixed(1)} GB/s)`,
    slower,
    '<= 1.3x',
    slower <= 1.3,
  );
  manager.dispose();
  return slower <= 1.3;
}

/** 64 KiB reads: a new MAP_READ buffer per read, the pool one at a time, and the pool with reads in flight. */
async function benchReadback(gpu: BenchGpu): Promise<boolean> {
  const { device } = gpu;
  const manager = gpu.manager();
  const SIZE = 64 << 10;
  const BATCH = 32;
  const IN_FLIGHT = 8;
  const source = manager.createBuffer({
    label: 'results',
    size: SIZE,
    usage: BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
  });
  const raw = manager.gpu(source);
  device.queue.writeBuffer(raw, 0, new Uint8Array(SIZE).fill(3));
  let sink = 0;
  const newBufferRead = async () => {
    const readback = device.createBuffer({
      size: SIZE,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(raw, 0, readback, 0, SIZE);
    device.queue.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    sink += new Uint8Array(readback.getMappedRange()).slice()[0]!;
    readback.unmap();
    readback.destroy();
  };
  const sequential = (read: () => Promise<unknown>) => async () => {
    for (let i = 0; i < BATCH; i++) await read();
  };
  const pipelined = (read: () => Promise<unknown>) => async () => {
    for (let i = 0; i < BATCH; i += IN_FLIGHT) await Promise.all(Array.from({ length: IN_FLIGHT }, read));
  };
  const pooledRead = async () => {
    sink += (await manager.read(source))[0]!;
  };

  // Warm both pooled patterns first: the steady-state count starts once the pool has what it needs.
  for (let i = 0; i < 3; i++) {
    await sequential(pooledRead)();
    await pipelined(pooledRead)();
  }
  const createdAfterWarmup = manager.stagingStats().readback.created;
  const [newMs, pooledMs] = await compareBlocks(4, 2, 12, sequential(newBufferRead), sequential(pooledRead));
  const [newPipelinedMs, pipelinedMs] = await compareBlocks(
    4,
    2,
    12,
    pipelined(newBufferRead),
    pipelined(pooledRead),
  );
  const steadyCreated = manager.stagingStats().readback.created - createdAfterWarmup;
  const steadyReads = 4 * 14 * BATCH * 2;
  const perRead = (batchMs: number) => batchMs / BATCH;
  const pooledRatio = newMs / pooledMs;
  const pipelinedRatio = newMs / pipelinedMs;
  report(
    '64 KiB read: pooled vs new MAP_READ per read',
    `${ms(perRead(pooledMs))} vs ${ms(perRead(newMs))} per read`,
    pooledRatio,
    '>= 1.3x',
    pooledRatio >= 1.3,
  );
  report(
    `64 KiB read: pooled, ${IN_FLIGHT} in flight vs new per read`,
    `${ms(perRead(pipelinedMs))} vs ${ms(perRead(newMs))} per read`,
    pipelinedRatio,
    '>= 2x',
    pipelinedRatio >= 2,
  );
  report(
    `64 KiB read: both ${IN_FLIGHT} in flight, pooled vs new`,
    `${ms(perRead(pipelinedMs))} vs ${ms(perRead(newPipelinedMs))} per read`,
    newPipelinedMs / pipelinedMs,
    'informative',
    true,
  );
  reportCount(
    'readback steady state: staging buffers created',
    `${steadyCreated} new over ${steadyReads} reads (${manager.stagingStats().readback.chunks} buffers)`,
    steadyCreated,
    '0 new',
    steadyCreated === 0,
  );
  if (sink === -1) console.log('');
  manager.dispose();
  return pooledRatio >= 1.3 && pipelinedRatio >= 2 && steadyCreated === 0;
}

/**
 * Runs the staging benchmarks; false when a target is missed.
 *
 * @example
 * const ok = await benchStaging(await openGpu());
 */
export async function benchStaging(gpu: BenchGpu): Promise<boolean> {
  const results = [await benchSmallWrites(gpu), await benchLargeUpload(gpu), await benchReadback(gpu)];
  return !results.includes(false);
}
