/**
 * A byte budget under a Zipf workload, the manager against an `lru-cache` of the same budget, on the same trace
 * (seeded, so both see the same uses in the same order): 128 textures of 16 KiB (2 MiB) under a 1 MiB budget,
 * 8 uses a frame, 1,000 frames. Printed for each: bytes uploaded again after an eviction, evictions, and what
 * the budget figures say at frame ends. The manager's budget also covers its staging chunks; the LRU cache
 * counts textures only (the baseline is given the easier budget).
 *
 * How to read it: an LRU cache evicts at once whatever is least recent, with no notion of frames or GPU work;
 * the manager never evicts what this frame or the previous one used or what is in flight, evicts at frame ends
 * down to 70% of the budget once past it (so it does not evict a little every frame), and pays for its staging
 * chunks out of the same budget. The last two make it re-upload more than the cache on the same trace; the
 * "used this or the last frame" column counts evictions that would free something still bound or in flight.
 * No timing is claimed here.
 */
import { LRUCache } from 'lru-cache';
import type { AnyHandle } from '../src/handles/handle.ts';
import { TextureUsage } from '../src/resources/usage.ts';
import type { BenchGpu } from './gpu.ts';

const RESOURCES = 128;
const SIDE = 64;
const TEXTURE_BYTES = SIDE * SIDE * 4;
const USES_PER_FRAME = 8;
const FRAMES = 1000;
const BUDGET = (RESOURCES * TEXTURE_BYTES) / 2;

/** The seeded Zipf (s = 1) trace of texture indices, frame by frame. */
function zipfTrace(): number[][] {
  let seed = 0x2545f491;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const weights = Array.from({ length: RESOURCES }, (_, k) => 1 / (k + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const cdf: number[] = [];
  let running = 0;
  for (const w of weights) {
    running += w;
    cdf.push(running / total);
  }
  const byRank = Array.from({ length: RESOURCES }, (_, i) => i);
  for (let i = RESOURCES - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [byRank[i], byRank[j]] = [byRank[j]!, byRank[i]!];
  }
  return Array.from({ length: FRAMES }, () =>
    Array.from({ length: USES_PER_FRAME }, () => {
      const u = random();
      const rank = cdf.findIndex((c) => c >= u);
      return byRank[rank < 0 ? RESOURCES - 1 : rank]!;
    }),
  );
}

interface Outcome {
  readonly reuploadedBytes: number;
  readonly evictions: number;
  /** Evictions of a texture that this frame or the previous one used. */
  readonly evictedInUse: number;
  readonly framesOverBudget: number;
  readonly worstFrameEnd: number;
}

async function runManager(gpu: BenchGpu, trace: number[][]): Promise<Outcome> {
  const staging = {
    uploadChunkBytes: TEXTURE_BYTES,
    maxChunkBytes: TEXTURE_BYTES,
    keepBytes: TEXTURE_BYTES,
    idleMs: 0,
  };
  const manager = gpu.manager({ budget: { bytes: BUDGET }, staging });
  const { device } = gpu;
  const lastUse = new Array<number>(RESOURCES).fill(-10);
  let evictedInUse = 0;
  const textures: AnyHandle[] = [];
  const indexOf = new Map<AnyHandle, number>();
  let frame = 0;
  manager.on('evicted', ({ record }) => {
    const i = indexOf.get(record.handle);
    if (i !== undefined && lastUse[i]! >= frame - 1) evictedInUse++;
  });
  const texels = new Uint8Array(TEXTURE_BYTES);
  for (let i = 0; i < RESOURCES; i++) {
    const texture = manager.createTexture({
      label: `tile${i}`,
      size: [SIDE, SIDE],
      format: 'rgba8unorm',
      usage: TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST,
      content: 'keep',
      residency: 'evictable',
    });
    manager.uploadTexture(texture, texels.fill(i), {}, [SIDE, SIDE]);
    manager.flush();
    manager.frame();
    await device.queue.onSubmittedWorkDone();
    textures.push(texture);
    indexOf.set(texture, i);
  }
  let framesOverBudget = 0;
  let worstFrameEnd = 0;
  let previous: Promise<undefined> = Promise.resolve(undefined);
  for (; frame < FRAMES; frame++) {
    await previous; // one frame in flight
    const used = trace[frame]!;
    for (const i of used) {
      manager.gpu(textures[i] as never);
      lastUse[i] = frame;
    }
    manager.use(...used.map((i) => textures[i]!));
    manager.flush();
    manager.submit([device.createCommandEncoder().finish()]);
    previous = device.queue.onSubmittedWorkDone() as Promise<undefined>;
    manager.frame();
    const resident = manager.counters.residentBytes;
    worstFrameEnd = Math.max(worstFrameEnd, resident);
    if (resident > BUDGET) framesOverBudget++;
  }
  await previous;
  const stats = manager.residencyStats();
  manager.dispose();
  return {
    reuploadedBytes: stats.reuploadedBytes,
    evictions: stats.evictions,
    evictedInUse,
    framesOverBudget,
    worstFrameEnd,
  };
}

function runLruCache(trace: number[][]): Outcome {
  const lastUse = new Array<number>(RESOURCES).fill(-10);
  const seen = new Set<number>();
  let frame = 0;
  let evictions = 0;
  let evictedInUse = 0;
  const cache = new LRUCache<number, { readonly bytes: number }>({
    maxSize: BUDGET,
    sizeCalculation: (value) => value.bytes,
    dispose: (_value, key, reason) => {
      if (reason !== 'evict') return;
      evictions++;
      if (lastUse[key]! >= frame - 1) evictedInUse++;
    },
  });
  let reuploadedBytes = 0;
  const use = (i: number) => {
    if (cache.get(i)) return;
    if (seen.has(i)) reuploadedBytes += TEXTURE_BYTES;
    seen.add(i);
    cache.set(i, { bytes: TEXTURE_BYTES });
  };
  for (let i = 0; i < RESOURCES; i++) use(i); // the same loading order as the manager's
  let worstFrameEnd = 0;
  let framesOverBudget = 0;
  for (; frame < FRAMES; frame++) {
    for (const i of trace[frame]!) {
      use(i);
      lastUse[i] = frame;
    }
    worstFrameEnd = Math.max(worstFrameEnd, cache.calculatedSize);
    if (cache.calculatedSize > BUDGET) framesOverBudget++;
  }
  return { reuploadedBytes, evictions, evictedInUse, framesOverBudget, worstFrameEnd };
}

function line(name: string, o: Outcome): string {
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
  return (
    `${name.padEnd(10)} re-uploaded ${kib(o.reuploadedBytes).padStart(9)}, ${String(o.evictions).padStart(5)} evictions, ` +
    `${String(o.evictedInUse).padStart(5)} of them used this or the last frame; worst frame end ${kib(o.worstFrameEnd)}` +
    ` of ${kib(BUDGET)}, frames over budget ${o.framesOverBudget}`
  );
}

/**
 * Runs the comparison on Dawn and prints it; true when the manager kept every frame end within the budget and
 * never evicted what this or the last frame used.
 *
 * @example
 * ok.push(await benchBudget(gpu));
 */
export async function benchBudget(gpu: BenchGpu): Promise<boolean> {
  console.log(
    `== Budget: Zipf trace, ${RESOURCES} x ${TEXTURE_BYTES / 1024} KiB textures, ${USES_PER_FRAME} uses a frame, ${FRAMES} frames, budget ${BUDGET / 1024} KiB ==`,
  );
  const trace = zipfTrace();
  const lru = runLruCache(trace);
  const managed = await runManager(gpu, trace);
  console.log(line('lru-cache', lru));
  console.log(line('manager', managed));
  console.log(
    `re-uploaded bytes, manager / lru-cache: ${(managed.reuploadedBytes / lru.reuploadedBytes).toFixed(2)}x`,
  );
  const met = managed.framesOverBudget === 0 && managed.evictedInUse === 0;
  console.log(
    `${met ? 'MET ' : 'MISS'} the manager stays within the budget at every frame end and evicts nothing in use`,
  );
  return met;
}
