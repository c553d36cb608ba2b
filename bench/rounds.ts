/**
 * Interleaved rounds for the benchmarks: each round runs a block of side A and a block of side B (which goes
 * first alternates: A B, B A, ...), each block a few unrecorded runs then recorded ones, and gives one ratio
 * of the two medians. The result is the median of the round ratios, printed with their spread, so one
 * scheduler hiccup on a shared 2-core machine moves one round, not the answer.
 */
import { median } from './gpu.ts';

/** One comparison: the median ratio of rounds, their spread, and each side's median time. */
export interface RoundRatios {
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
  readonly aMs: number;
  readonly bMs: number;
}

/** How many rounds, and per block how many unrecorded and recorded runs. */
export interface RoundPlan {
  readonly rounds: number;
  readonly warmup: number;
  readonly samples: number;
  /** Async rounds only: awaited, untimed, after every run of either side (e.g. a frame loop's idle time). */
  readonly pause?: () => Promise<void>;
  /** Sync rounds only: run, untimed, before every run of either side (e.g. the submit a frame would make). */
  readonly between?: () => void;
}

/**
 * Runs the rounds of two async sides; a run's time is one call of the side. The ratio of a round is
 * median(a) / median(b). Blocks rather than run-by-run alternation: Dawn frees the staging of many
 * writeBuffer calls on a later tick, and that cost must be charged to the side that caused it.
 *
 * @example
 * const r = await interleaved({ rounds: 5, warmup: 2, samples: 6 }, beltFrame, writeBufferFrame);
 */
export async function interleaved(
  plan: RoundPlan,
  a: () => Promise<void>,
  b: () => Promise<void>,
): Promise<RoundRatios> {
  const ratios: number[] = [];
  const all: [number[], number[]] = [[], []];
  const block = async (body: () => Promise<void>, side: 0 | 1) => {
    for (let i = 0; i < plan.warmup; i++) {
      await body();
      await plan.pause?.();
    }
    const times: number[] = [];
    for (let i = 0; i < plan.samples; i++) {
      const start = performance.now();
      await body();
      times.push(performance.now() - start);
      await plan.pause?.();
    }
    all[side].push(...times);
    return median(times);
  };
  for (let round = 0; round < plan.rounds; round++) {
    const first = round % 2 === 0 ? 0 : 1;
    const times: [number, number] = [0, 0];
    times[first] = await block(first === 0 ? a : b, first);
    times[1 - first] = await block(first === 0 ? b : a, (1 - first) as 0 | 1);
    ratios.push(times[0] / times[1]);
  }
  return summarize(ratios, all);
}

/**
 * The same for synchronous sides that each run `operations` operations per call: times are per operation,
 * and no promise sits between the timer and the work.
 *
 * @example
 * const r = interleavedSync({ rounds: 7, warmup: 2, samples: 9 }, 200, () => managerPairs(200), () => rawPairs(200));
 */
export function interleavedSync(
  plan: RoundPlan,
  operations: number,
  a: () => void,
  b: () => void,
): RoundRatios {
  const ratios: number[] = [];
  const all: [number[], number[]] = [[], []];
  const block = (body: () => void, side: 0 | 1) => {
    for (let i = 0; i < plan.warmup; i++) {
      plan.between?.();
      body();
    }
    const times: number[] = [];
    for (let i = 0; i < plan.samples; i++) {
      plan.between?.();
      const start = performance.now();
      body();
      times.push((performance.now() - start) / operations);
    }
    all[side].push(...times);
    return median(times);
  };
  for (let round = 0; round < plan.rounds; round++) {
    const first = round % 2 === 0 ? 0 : 1;
    const times: [number, number] = [0, 0];
    times[first] = block(first === 0 ? a : b, first);
    times[1 - first] = block(first === 0 ? b : a, (1 - first) as 0 | 1);
    ratios.push(times[0] / times[1]);
  }
  return summarize(ratios, all);
}

/** The result of rounds: the median of the round ratios, their spread, and each side's median time. */
export function summarize(ratios: number[], all: [number[], number[]]): RoundRatios {
  return {
    ratio: median(ratios),
    low: Math.min(...ratios),
    high: Math.max(...ratios),
    aMs: median(all[0]),
    bMs: median(all[1]),
  };
}

/**
 * Prints a line: name, the detail (usually the two times), the ratio with its spread, the target and
 * PASS/MISS; returns `pass`.
 *
 * @example
 * line('4 MiB upload: belt vs writeBuffer', `${ms(r.aMs)} vs ${ms(r.bMs)}`, r, '<= 1.1x', r.ratio <= 1.1);
 */
export function line(name: string, detail: string, r: RoundRatios, target: string, pass: boolean): boolean {
  const spread = `[${r.low.toFixed(2)}-${r.high.toFixed(2)}]`;
  console.log(
    `${name.padEnd(54)} ${detail.padEnd(30)} ratio ${r.ratio.toFixed(2)}x ${spread.padEnd(13)} (target ${target}) ${pass ? 'PASS' : 'MISS'}`,
  );
  return pass;
}
