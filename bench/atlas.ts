/**
 * The atlas allocator against @mapbox/shelf-pack, maxrects-packer and potpack on the workloads, one
 * run, seeded: fill at the first failed allocation (static, and under churn with compaction on failure),
 * alloc+free speed at 6,000 live glyphs, compaction time, and packAtlas against potpack. Timings are
 * interleaved rounds (A B A B), medians, with the spread (min..max) printed.
 */
import { AtlasAllocator } from '../src/atlas/atlas-allocator.ts';
import { packAtlas } from '../src/atlas/pack-atlas.ts';
import { seededRandom } from '../tests/support/seeded-random.ts';
import { report } from './measure.ts';

type Size = [number, number];
type Rng = () => number;

interface ShelfBin {
  x: number;
  y: number;
}
interface ShelfPackLike {
  packOne(w: number, h: number, id?: number): ShelfBin | null;
  unref(bin: ShelfBin): number;
}
type ShelfPackCtor = new (w: number, h: number, options?: { autoResize?: boolean }) => ShelfPackLike;
interface MaxRectsLike {
  add(w: number, h: number, data: unknown): unknown;
  bins: unknown[];
}
type MaxRectsCtor = new (w: number, h: number, padding: number, options: object) => MaxRectsLike;
type Potpack = (boxes: { w: number; h: number; x?: number; y?: number }[]) => {
  w: number;
  h: number;
  fill: number;
};

// shelf-pack ships no types: a specifier in a variable keeps the import untyped instead of an implicit any error.
const shelfPackName = '@mapbox/shelf-pack';
const ShelfPack = ((await import(shelfPackName)) as { default: ShelfPackCtor }).default;
// maxrects-packer's "main" is a bundle Node cannot read named exports from; its ES module build can.
const maxRectsName = 'maxrects-packer/dist/maxrects-packer.mjs';
const { MaxRectsPacker } = (await import(maxRectsName)) as { MaxRectsPacker: MaxRectsCtor };
const potpack = ((await import('potpack')) as unknown as { default: Potpack }).default;

const GUTTER = 2;
const PAGE = 1024;

/** Glyph: width 3-26 skewed narrow (squared uniform), height 9-34; plus the gutter. */
function glyph(rng: Rng): Size {
  const u = rng();
  return [3 + Math.floor(24 * u * u) + GUTTER, 9 + Math.floor(26 * rng()) + GUTTER];
}

/** Sprite: each side log-uniform in 8-256; plus the gutter. */
function sprite(rng: Rng): Size {
  return [Math.round(8 * 32 ** rng()) + GUTTER, Math.round(8 * 32 ** rng()) + GUTTER];
}

/** A dynamic allocator under test: allocate returns a token or undefined, free takes the token. */
interface Dynamic<T> {
  alloc(w: number, h: number): T | undefined;
  free(token: T): void;
}

function shelfPack(size: number): Dynamic<ShelfBin> {
  const pack = new ShelfPack(size, size);
  return { alloc: (w, h) => pack.packOne(w, h) ?? undefined, free: (bin) => pack.unref(bin) };
}

function ours(size: number, compactOnFailure: boolean): Dynamic<number> {
  const page = new AtlasAllocator(size, size);
  return {
    alloc: (w, h) => {
      let id = page.allocate(w, h);
      if (id === undefined && compactOnFailure && page.stats().reclaimableArea >= w * h) {
        page.compact();
        id = page.allocate(w, h);
      }
      return id;
    },
    free: (id) => page.deallocate(id as Parameters<AtlasAllocator['deallocate']>[0]),
  };
}

/** Allocates fresh items until the first failure; returns the requested area placed. */
function fillUntilFailure<T>(a: Dynamic<T>, next: () => Size, live: { token: T; area: number }[]): void {
  for (;;) {
    const [w, h] = next();
    const token = a.alloc(w, h);
    if (token === undefined) return;
    live.push({ token, area: w * h });
  }
}

function staticFill<T>(make: () => Dynamic<T>, gen: (rng: Rng) => Size, seed: number): number {
  const rng = seededRandom(seed);
  const live: { token: T; area: number }[] = [];
  fillUntilFailure(make(), () => gen(rng), live);
  return live.reduce((s, l) => s + l.area, 0) / (PAGE * PAGE);
}

function maxRectsStaticFill(gen: (rng: Rng) => Size, seed: number): number {
  const rng = seededRandom(seed);
  const packer = new MaxRectsPacker(PAGE, PAGE, 0, {
    smart: false,
    pot: false,
    square: false,
    allowRotation: false,
  });
  let area = 0;
  for (;;) {
    const [w, h] = gen(rng);
    packer.add(w, h, null);
    if (packer.bins.length > 1) return area / (PAGE * PAGE);
    area += w * h;
  }
}

/** Churn: 40 rounds, each frees 25% of the live items at random then allocates until the first failure. */
function churnFill<T>(make: () => Dynamic<T>, gen: (rng: Rng) => Size, seed: number): number {
  const rng = seededRandom(seed);
  const a = make();
  const live: { token: T; area: number }[] = [];
  let sum = 0;
  let rounds = 0;
  for (let round = 1; round <= 40; round++) {
    const frees = Math.floor(live.length / 4);
    for (let f = 0; f < frees; f++) {
      const at = Math.floor(rng() * live.length);
      a.free(live[at]!.token);
      live[at] = live[live.length - 1]!;
      live.pop();
    }
    fillUntilFailure(a, () => gen(rng), live);
    if (round >= 10) {
      sum += live.reduce((s, l) => s + l.area, 0) / (PAGE * PAGE);
      rounds++;
    }
  }
  return sum / rounds;
}

/** potpack repacking the live set offline: the fill of its own bounding box (an upper reference). */
function potpackFill(gen: (rng: Rng) => Size, seed: number, count: number): number {
  const rng = seededRandom(seed);
  const boxes = Array.from({ length: count }, () => {
    const [w, h] = gen(rng);
    return { w, h };
  });
  return potpack(boxes).fill;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function spread(values: number[], digits = 2): string {
  return `${Math.min(...values).toFixed(digits)}..${Math.max(...values).toFixed(digits)}`;
}

/** Fills a 2048 page to `liveCount` glyphs, then times `pairs` free+alloc pairs; returns us per pair. */
function pairSpeed<T>(make: () => Dynamic<T>, seed: number, liveCount: number, pairs: number): number {
  const rng = seededRandom(seed);
  const a = make();
  const live: T[] = [];
  while (live.length < liveCount) {
    const [w, h] = glyph(rng);
    const t = a.alloc(w, h);
    if (t === undefined) throw new Error('the speed setup did not fit');
    live.push(t);
  }
  // Random choices drawn before timing, the same for every allocator.
  const picks = new Uint32Array(pairs);
  const sizes = new Int32Array(pairs * 2);
  for (let i = 0; i < pairs; i++) {
    picks[i] = Math.floor(rng() * liveCount);
    const [w, h] = glyph(rng);
    sizes[2 * i] = w;
    sizes[2 * i + 1] = h;
  }
  const start = performance.now();
  for (let i = 0; i < pairs; i++) {
    const at = picks[i]!;
    a.free(live[at]!);
    const t = a.alloc(sizes[2 * i]!, sizes[2 * i + 1]!);
    if (t === undefined) throw new Error('the speed loop ran out of room');
    live[at] = t;
  }
  return ((performance.now() - start) * 1000) / pairs;
}

function fills(): boolean {
  const seeds = [1, 2, 3, 4, 5];
  const mean = (f: (seed: number) => number): number =>
    seeds.reduce((s, seed) => s + f(seed), 0) / seeds.length;
  let ok = true;
  for (const [name, gen, staticTarget, churnTarget] of [
    ['glyphs', glyph, 0.9, 0.88],
    ['sprites', sprite, 0.85, 0.75],
  ] as const) {
    const shelfStatic = mean((s) => staticFill(() => shelfPack(PAGE), gen, s));
    const maxrects = mean((s) => maxRectsStaticFill(gen, s));
    const mine = mean((s) => staticFill(() => ours(PAGE, false), gen, s));
    const mineCompacting = mean((s) => staticFill(() => ours(PAGE, true), gen, s));
    const shelfChurn = mean((s) => churnFill(() => shelfPack(PAGE), gen, s));
    const mineChurn = mean((s) => churnFill(() => ours(PAGE, true), gen, s));
    const mineNoCompact = mean((s) => churnFill(() => ours(PAGE, false), gen, s));
    const pot = mean((s) => potpackFill(gen, s, name === 'glyphs' ? 3000 : 60));
    console.log(
      `${name}: static fill shelf-pack ${shelfStatic.toFixed(3)}, maxrects-packer ${maxrects.toFixed(3)}, ` +
        `potpack (offline, own box) ${pot.toFixed(3)}; churn (mean rounds 10-40) shelf-pack ${shelfChurn.toFixed(3)}, ` +
        `ours without compaction ${mineNoCompact.toFixed(3)}; static, ours with compaction on failure ` +
        `${mineCompacting.toFixed(3)}`,
    );
    // The target is the mean of seeds 1-5; forty seeds show the spread behind it where it is wide (sprites:
    // one large sprite arriving late decides a page; glyph fills vary by +-0.01, and maxrects-packer takes
    // minutes on forty glyph pages).
    if (name === 'sprites') {
      const many = Array.from({ length: 40 }, (_, i) => i + 1);
      const mineMany = many.map((s) => staticFill(() => ours(PAGE, false), gen, s));
      const maxrectsMany = many.map((s) => maxRectsStaticFill(gen, s));
      const meanOf = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
      console.log(
        `${name}: static fill over seeds 1-40: ours mean ${meanOf(mineMany).toFixed(3)} (${spread(mineMany, 3)}), ` +
          `maxrects-packer mean ${meanOf(maxrectsMany).toFixed(3)} (${spread(maxrectsMany, 3)})`,
      );
    }
    const staticPass = mine >= staticTarget;
    const churnPass = mineChurn >= churnTarget;
    report(
      `static ${name} fill (vs maxrects-packer)`,
      `fill ${mine.toFixed(3)}`,
      mine / maxrects,
      `fill >= ${staticTarget}`,
      staticPass,
    );
    report(
      `churn ${name} fill, compact on failure (vs shelf-pack)`,
      `fill ${mineChurn.toFixed(3)}`,
      mineChurn / shelfChurn,
      `fill >= ${churnTarget}`,
      churnPass,
    );
    ok &&= staticPass && churnPass;
  }
  return ok;
}

function speed(): boolean {
  const ROUNDS = 11;
  const LIVE = 6000;
  const PAIRS = 20_000;
  const shelf: number[] = [];
  const mine: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    shelf.push(pairSpeed(() => shelfPack(2048), 100 + r, LIVE, PAIRS));
    mine.push(pairSpeed(() => ours(2048, true), 100 + r, LIVE, PAIRS));
  }
  const ratio = median(shelf) / median(mine);
  console.log(
    `alloc+free at ${LIVE} live glyphs, 2048 page, ${PAIRS} pairs x ${ROUNDS} rounds: shelf-pack ` +
      `${median(shelf).toFixed(2)} us (${spread(shelf)}), ours ${median(mine).toFixed(2)} us (${spread(mine)}), compaction on failure included`,
  );
  report(
    'alloc+free pair vs shelf-pack (6000 live)',
    `${median(mine).toFixed(2)} us/pair`,
    ratio,
    '>= 5x',
    ratio >= 5,
  );
  return ratio >= 5;
}

function compactTime(): boolean {
  const times: number[] = [];
  let moved = 0;
  for (let r = 0; r < 11; r++) {
    const rng = seededRandom(200 + r);
    const page = new AtlasAllocator(2048, 2048);
    const live: ReturnType<AtlasAllocator['allocate']>[] = [];
    while (live.length < 6000) live.push(page.allocate(...glyph(rng)));
    // Churn a third of the set so the compaction has real work.
    for (let i = 0; i < 2000; i++) {
      const at = Math.floor(rng() * live.length);
      page.deallocate(live[at]!);
      live[at] = page.allocate(...glyph(rng));
      if (live[at] === undefined) throw new Error('compaction setup ran out of room');
    }
    const start = performance.now();
    moved = page.compact().length;
    times.push(performance.now() - start);
  }
  const ms = median(times);
  report(
    'compact() of 6000 glyphs (2048 page)',
    `${ms.toFixed(2)} ms (${spread(times)}), ${moved} moves`,
    5 / ms,
    '< 5 ms',
    ms < 5,
  );
  return ms < 5;
}

function offline(): boolean {
  let ok = true;
  for (const [name, gen, count] of [
    ['glyphs', glyph, 6000],
    ['sprites', sprite, 500],
  ] as const) {
    const rng = seededRandom(300);
    const sizes = Array.from({ length: count }, () => gen(rng));
    const potTimes: number[] = [];
    const ourTimes: number[] = [];
    let potFill = 0;
    let ourFill = 0;
    // Five untimed rounds each first: both packers are timed once the JIT has settled.
    for (let r = 0; r < 5; r++) {
      potpack(sizes.map(([w, h]) => ({ w, h })));
      packAtlas(sizes.map(([width, height]) => ({ width, height })));
    }
    for (let r = 0; r < 21; r++) {
      const boxes = sizes.map(([w, h]) => ({ w, h }));
      let start = performance.now();
      potFill = potpack(boxes).fill;
      potTimes.push(performance.now() - start);
      const input = sizes.map(([width, height]) => ({ width, height }));
      start = performance.now();
      ourFill = packAtlas(input).fill;
      ourTimes.push(performance.now() - start);
    }
    const timeRatio = median(ourTimes) / median(potTimes);
    console.log(
      `packAtlas ${count} ${name}: potpack fill ${potFill.toFixed(3)} in ${median(potTimes).toFixed(2)} ms ` +
        `(${spread(potTimes)}), ours ${ourFill.toFixed(3)} in ${median(ourTimes).toFixed(2)} ms (${spread(ourTimes)})`,
    );
    const pass = ourFill >= potFill && timeRatio <= 2;
    report(
      `packAtlas ${name} fill vs potpack`,
      `time ${timeRatio.toFixed(2)}x potpack's`,
      ourFill / potFill,
      'fill >= 1x, time <= 2x',
      pass,
    );
    ok &&= pass;
  }
  return ok;
}

/** Runs the atlas benchmark and returns false when a target is missed. */
export function benchAtlas(): boolean {
  console.log('== Atlas allocator (seeded; 2 px gutter; 1024 x 1024 page unless stated) ==');
  const results = [fills(), speed(), compactTime(), offline()];
  return !results.includes(false);
}
