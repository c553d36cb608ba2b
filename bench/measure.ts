/** Tiny measurement helpers shared by the benchmarks: best-of-N throughput, ratios, aligned printing. */

/** Keeps benchmark results observable so the optimizer cannot drop the measured work. */
export let benchSink = 0;

/**
 * Runs `body` (which performs `operations` operations) `rounds` times and returns the best ops/second. A body
 * that computes something returns it: it is folded into {@link benchSink} once per round, so loops sum into a
 * local (kept unboxed in a register) instead of a captured variable that would box a number per iteration.
 */
export function bestThroughput(operations: number, rounds: number, body: () => number | undefined): number {
  let best = 0;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    const result = body();
    const seconds = (performance.now() - start) / 1000;
    benchSink = (benchSink + (result ?? 0)) % 1_000_003;
    best = Math.max(best, operations / Math.max(seconds, 1e-9));
  }
  return best;
}

/** Best (lowest) milliseconds of `rounds` runs of an async body. */
export async function bestMs(rounds: number, body: () => Promise<void> | void): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    await body();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** Formats ops/second as M/s. */
export function perSecond(value: number): string {
  return `${(value / 1e6).toFixed(1)} M/s`;
}

/** Prints one result line: name, value, and a ratio against a target with PASS/MISS. */
export function report(name: string, detail: string, ratio: number, target: string, pass: boolean): void {
  console.log(
    `${name.padEnd(46)} ${detail.padEnd(44)} ratio ${ratio.toFixed(2)}x  (target ${target}) ${pass ? 'PASS' : 'MISS'}`,
  );
}

/** Prints one result line for a count (not a ratio): name, detail, the count and its target with PASS/MISS. */
export function reportCount(
  name: string,
  detail: string,
  count: number,
  target: string,
  pass: boolean,
): void {
  console.log(
    `${name.padEnd(46)} ${detail.padEnd(44)} count ${count}  (target ${target}) ${pass ? 'PASS' : 'MISS'}`,
  );
}
