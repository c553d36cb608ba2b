/**
 * The whole picture on one canvas (so one PNG holds it all): a header line, the treemap, the biggest
 * resources beside it, and the timeline underneath. Regions are fixed, in canvas units (CSS pixels; the
 * backing store follows devicePixelRatio).
 */
import { formatBytes } from '../../src/overlay/format.ts';
import { drawBiggest, ROW_HEIGHT } from './draw-biggest.ts';
import { drawTimeline } from './draw-timeline.ts';
import { drawTreemap } from './draw-treemap.ts';
import {
  biggestResources,
  groupByLabel,
  type KindCell,
  layoutDumpTreemap,
  leakSuspects,
} from './dump-model.ts';
import { BACKGROUND, LEAK, TEXT } from './palette.ts';
import type { ViewerDump } from './parse-dump.ts';
import type { Timeline } from './timeline.ts';
import type { Rect } from './treemap-layout.ts';

/** Size of the picture, in canvas units. */
export const VIEW_WIDTH = 1200;
export const VIEW_HEIGHT = 760;

/** Where each panel goes. */
export const REGIONS = {
  header: { x: 12, y: 10, width: VIEW_WIDTH - 24, height: 28 },
  treemap: { x: 12, y: 44, width: 780, height: 480 },
  biggest: { x: 808, y: 44, width: VIEW_WIDTH - 820, height: 480 },
  timeline: { x: 12, y: 540, width: VIEW_WIDTH - 24, height: 210 },
} as const satisfies Record<string, Rect>;

/** What was drawn, for the page's hook and the tests. */
export interface DrawnView {
  readonly kinds: readonly KindCell[];
  readonly suspects: number;
}

/** What to draw. */
export interface ViewInput {
  readonly dump: ViewerDump;
  readonly timeline: Timeline;
  /** Leak threshold in ms (see dump-model.ts). */
  readonly thresholdMs: number;
  /** Where the dump came from, for the header ("file gpu.json", "following stress"...). */
  readonly source: string;
}

/**
 * Sizes `canvas` and draws the view of `input` into it.
 *
 * @example
 * const drawn = drawDumpView(canvas, { dump, timeline: timelineFromDump(dump), thresholdMs: 30_000, source: 'paste' });
 */
export function drawDumpView(canvas: HTMLCanvasElement, input: ViewInput): DrawnView {
  const ratio = globalThis.devicePixelRatio || 1;
  const [width, height] = [Math.round(VIEW_WIDTH * ratio), Math.round(VIEW_HEIGHT * ratio)];
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('the dump viewer needs a 2D canvas context, and this canvas gave none');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.fillStyle = BACKGROUND;
  ctx.fillRect(0, 0, VIEW_WIDTH, VIEW_HEIGHT);

  const { dump, thresholdMs } = input;
  const kinds = layoutDumpTreemap(groupByLabel(dump, thresholdMs), REGIONS.treemap);
  const suspects = leakSuspects(dump, thresholdMs);
  drawHeader(ctx, input, suspects.length);
  drawTreemap(ctx, kinds, REGIONS.treemap);
  const rows = Math.floor(REGIONS.biggest.height / ROW_HEIGHT);
  drawBiggest(ctx, biggestResources(dump, rows), { time: dump.time, thresholdMs }, REGIONS.biggest);
  drawTimeline(ctx, input.timeline, REGIONS.timeline);
  return { kinds, suspects: suspects.length };
}

function drawHeader(ctx: CanvasRenderingContext2D, input: ViewInput, suspects: number): void {
  const { dump, thresholdMs, source } = input;
  const { header } = REGIONS;
  ctx.save();
  ctx.font = '13px ui-monospace, Menlo, Consolas, monospace';
  ctx.textBaseline = 'top';
  ctx.fillStyle = TEXT;
  const line =
    `${source} · ${dump.backend} · ${formatBytes(dump.total.bytes)} in ${dump.total.count} resources · ` +
    `peak ${formatBytes(dump.total.peakBytes)} · pending free ${formatBytes(dump.total.pendingFreeBytes)}`;
  ctx.fillText(line, header.x, header.y);
  ctx.fillStyle = suspects > 0 ? LEAK : TEXT;
  const leaks = `${suspects} leak suspects (live, unused for ${(thresholdMs / 1000).toFixed(0)} s or more)`;
  ctx.fillText(leaks, header.x, header.y + 16);
  ctx.restore();
}
