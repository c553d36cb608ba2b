/**
 * The GPU atlas's add + remove on Dawn against the pure allocator's allocate + deallocate of the same glyph
 * sizes, measured in the same run (interleaved rounds, medians, spread): the ratio is what the atlas adds on
 * top of finding space (padding the texels, staging the upload, the region's manager entry). Each side runs
 * 200 pairs on a page holding 2,000 glyphs. The atlas's staged uploads are flushed once per 200 pairs, as a
 * frame would, but outside the timed part: the GPU copies would otherwise drown the host cost in SwiftShader's
 * noise. Alone: `npx tsc -p bench/tsconfig.json && node .bench-out/bench/atlas-gpu.js`.
 */
import { type AllocationId, AtlasAllocator } from '../src/atlas/atlas-allocator.ts';
import { createAtlas } from '../src/atlas/create-atlas.ts';
import type { AtlasRegionHandle } from '../src/atlas/texture-atlas.ts';
import { type BenchGpu, median, openGpu } from './gpu.ts';
import { line, type RoundRatios, summarize } from './rounds.ts';

const PAIRS = 200;
const LIVE = 2_000;

/** Glyph-like sizes (3-26 x 9-34), the same list on both sides. */
function glyphSizes(count: number): [number, number][] {
  let seed = 7;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return Array.from({ length: count }, () => [3 + Math.floor(next() ** 2 * 24), 9 + Math.floor(next() * 26)]);
}

/**
 * Prints the add + remove pair time of the atlas and of the allocator, and their ratio.
 *
 * @example
 * await benchAtlasGpu(await openGpu());
 */
export async function benchAtlasGpu(gpu: BenchGpu): Promise<boolean> {
  const manager = gpu.manager();
  const sizes = glyphSizes(LIVE + PAIRS);
  const atlas = createAtlas(manager, {
    label: 'bench glyphs',
    format: 'r8unorm',
    pageSize: 1024,
    padding: 1,
  });
  const allocator = new AtlasAllocator(1024, 1024);
  // Both start with the same live set, so every pair allocates among the same neighbours.
  for (const [w, h] of sizes.slice(0, LIVE)) {
    atlas.add({ width: w, height: h });
    allocator.allocate(w + 2, h + 2);
  }
  atlas.flush();
  await manager.idle();
  const churn = sizes.slice(LIVE);
  const handles: AtlasRegionHandle[] = new Array(PAIRS);
  const ids: AllocationId[] = new Array(PAIRS);
  const atlasPairs = () => {
    const start = performance.now();
    for (let i = 0; i < PAIRS; i++) {
      const [w, h] = churn[i]!;
      handles[i] = atlas.add({ width: w, height: h });
    }
    for (let i = 0; i < PAIRS; i++) atlas.remove(handles[i]!);
    const elapsed = performance.now() - start;
    atlas.flush();
    return elapsed;
  };
  const allocatorPairs = () => {
    const start = performance.now();
    for (let i = 0; i < PAIRS; i++) {
      const [w, h] = churn[i]!;
      ids[i] = allocator.allocate(w + 2, h + 2)!;
    }
    for (let i = 0; i < PAIRS; i++) allocator.deallocate(ids[i]!);
    return performance.now() - start;
  };
  const r = await rounds(atlasPairs, allocatorPairs, () => manager.idle());
  const us = (ms: number) => `${(ms * 1000).toFixed(2)} us`;
  line(
    'atlas add+remove pair vs allocator pair (2000 live)',
    `${us(r.aMs)} vs ${us(r.bMs)}`,
    r,
    'reported',
    true,
  );
  atlas.destroy();
  await manager.idle();
  manager.dispose();
  return true;
}

/**
 * Interleaved rounds (A B, B A, ...) of sides that time themselves (so the atlas's flush stays untimed): per
 * round, 3 unrecorded and 15 recorded runs a side; the ratio is the median of the round ratios.
 */
async function rounds(a: () => number, b: () => number, settle: () => Promise<void>): Promise<RoundRatios> {
  const ratios: number[] = [];
  const all: [number[], number[]] = [[], []];
  const block = async (side: 0 | 1) => {
    const body = side === 0 ? a : b;
    for (let i = 0; i < 3; i++) body();
    const times: number[] = [];
    for (let i = 0; i < 15; i++) times.push(body() / PAIRS);
    await settle();
    all[side].push(...times);
    return median(times);
  };
  for (let round = 0; round < 7; round++) {
    const first = round % 2 === 0 ? 0 : 1;
    const times: [number, number] = [0, 0];
    times[first] = await block(first);
    times[1 - first] = await block((1 - first) as 0 | 1);
    ratios.push(times[0] / times[1]);
  }
  return summarize(ratios, all);
}

if (process.argv[1]?.endsWith('atlas-gpu.js')) {
  console.log('== Atlas on the GPU (Dawn on SwiftShader) ==');
  const gpu = await openGpu();
  try {
    await benchAtlasGpu(gpu);
  } finally {
    gpu.close();
  }
  process.exit(0);
}
