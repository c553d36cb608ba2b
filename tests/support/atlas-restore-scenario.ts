/**
 * The atlas restore scenario both backends run (tests/gpu/atlas-restore.test.ts on Dawn, and
 * tests/browser/atlas-webgl2-restore.test.ts in Chromium, which imports this module into the page): what the
 * atlas holds before the loss, and what must come back. Only the atlas's public API is used, so the same code
 * runs on either manager.
 */
import type { AtlasRegion, AtlasRegionHandle, TextureAtlas } from '../../src/atlas/texture-atlas.ts';

/** Mip levels of the scenario's pages. */
export const RESTORE_LEVELS = 3;
/** The gutter of the scenario's regions: padding 2 raised to 2^(levels - 1), so every level keeps them apart. */
export const RESTORE_GUTTER = 4;
/** Options for `createAtlas` (add `label` and `pages`): small pages so the regions fill several. */
export const RESTORE_ATLAS = {
  pageSize: 64,
  padding: 2,
  mipLevelCount: RESTORE_LEVELS,
  maxPages: 3,
  autoCompact: false,
} as const;

/**
 * rgba8 texels where every texel differs.
 *
 * @example
 * atlas.add({ width: 8, height: 9, data: pattern(8, 9, 1) });
 */
export function pattern(width: number, height: number, seed: number): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++)
    out.set([seed & 255, (i * 7) & 255, (i * 13 + seed) & 255, 255], i * 4);
  return out;
}

/** What the atlas holds before the loss. */
export interface RestoreScenario {
  /** The pixels each written region must hold (cleared regions are absent: they hold zeros). */
  readonly pixels: Map<AtlasRegionHandle, Uint8Array>;
  /** Every live region. */
  readonly handles: AtlasRegionHandle[];
  /** The regions whose whole allocations (every level) must read back as before the loss. */
  readonly compared: readonly AtlasRegionHandle[];
  /** Regions moved by the compaction (kept pixels must follow the moves). */
  readonly moved: number;
}

/**
 * Fills the atlas: 24 written regions and a cleared one, every fourth written one removed, one rewritten,
 * then a flush, a compaction and a flush. Read the `compared` allocations next, then call
 * {@link stageWithoutFlush}.
 *
 * @example
 * const scenario = buildRestoreScenario(atlas); const before = await readAll(scenario.compared);
 */
export function buildRestoreScenario(atlas: TextureAtlas): RestoreScenario {
  const pixels = new Map<AtlasRegionHandle, Uint8Array>();
  for (let i = 0; i < 24; i++) {
    const w = 5 + ((i * 3) % 9);
    const h = 4 + ((i * 5) % 7);
    const data = pattern(w, h, i + 1);
    pixels.set(atlas.add({ width: w, height: h, data }), data);
  }
  const cleared = atlas.add({ width: 6, height: 6 });
  for (const [h] of [...pixels].filter((_, i) => i % 4 === 1)) {
    atlas.remove(h);
    pixels.delete(h);
  }
  const rewritten = [...pixels.keys()][2]!;
  const { width: rw, height: rh } = atlas.region(rewritten);
  pixels.set(rewritten, pattern(rw, rh, 99));
  atlas.write(rewritten, pixels.get(rewritten)!);
  atlas.flush();
  const moved = atlas.compact().length;
  atlas.flush();
  const handles = [...pixels.keys(), cleared];
  // The region stageWithoutFlush writes again: its old texels are not what must come back.
  const compared = handles.filter((h) => h !== handles[4]);
  return { pixels, handles, compared, moved };
}

/**
 * Just before the loss: writes one region again and adds one, neither flushed. The kept pixels must win
 * over the lost staging, and the page refilled first must not touch a page whose texture is not back yet.
 *
 * @example
 * stageWithoutFlush(atlas, scenario); device.destroy();
 */
export function stageWithoutFlush(atlas: TextureAtlas, { pixels, handles }: RestoreScenario): void {
  const unflushed = handles[4]!;
  const { width, height } = atlas.region(unflushed);
  pixels.set(unflushed, pattern(width, height, 77));
  atlas.write(unflushed, pixels.get(unflushed)!);
  const staged = atlas.add({ width: 9, height: 7, data: pattern(9, 7, 78) });
  pixels.set(staged, pattern(9, 7, 78));
  handles.push(staged);
}

/**
 * The `readTexture` options that read a region's whole allocation (content and gutter) at each level.
 *
 * @example
 * for (const read of allocationReads(atlas.region(h))) out.push(await manager.readTexture(region.texture, read));
 */
export function allocationReads(
  region: AtlasRegion,
): { mipLevel: number; origin: [number, number, number]; size: [number, number] }[] {
  return Array.from({ length: RESTORE_LEVELS }, (_, level) => ({
    mipLevel: level,
    origin: [(region.x - RESTORE_GUTTER) >> level, (region.y - RESTORE_GUTTER) >> level, region.layer],
    size: [
      Math.max(1, (region.width + 2 * RESTORE_GUTTER) >> level),
      Math.max(1, (region.height + 2 * RESTORE_GUTTER) >> level),
    ],
  }));
}

/**
 * The `keepPixels: false` scenario: two written regions and a cleared one between them, flushed; a
 * `contentLost` listener writes every reported region again (`pattern(w, h, 50 + event number)`). Returns
 * the regions, what each must hold after the restore, and the reported lists.
 *
 * @example
 * const { expected, reported, lostRegions } = buildLostContentScenario(atlas);
 */
export function buildLostContentScenario(atlas: TextureAtlas): {
  readonly expected: readonly (readonly [AtlasRegionHandle, Uint8Array])[];
  readonly lostRegions: readonly AtlasRegionHandle[];
  readonly reported: AtlasRegionHandle[][];
} {
  const a = atlas.add({ width: 8, height: 9, data: pattern(8, 9, 1) });
  const b = atlas.add({ width: 5, height: 5 }); // cleared: comes back as it was, nothing to report
  const c = atlas.add({ width: 6, height: 3, data: pattern(6, 3, 2) });
  atlas.flush();
  const reported: AtlasRegionHandle[][] = [];
  atlas.on('contentLost', ({ regions }) => {
    reported.push([...regions]);
    for (const h of regions) {
      const { width, height } = atlas.region(h);
      atlas.write(h, pattern(width, height, 50 + reported.length));
    }
  });
  const expected = [
    [a, pattern(8, 9, 51)],
    [b, new Uint8Array(5 * 5 * 4)],
    [c, pattern(6, 3, 51)],
  ] as const;
  return { expected, lostRegions: [a, c], reported };
}
