/**
 * Draws a {@link Timeline}: total bytes as a step line over time, creates as green ticks above the axis and
 * destroys as orange ticks below it (taller for more at once), the scale and the timeline's note.
 */
import { formatBytes } from '../../src/overlay/format.ts';
import { DESTROY, MUTED, TEXT } from './palette.ts';
import type { Timeline } from './timeline.ts';
import type { Rect } from './treemap-layout.ts';

const LINE = '#8cc8ff';
const CREATE = '#4caf7a';

/**
 * Draws `timeline` in `bounds`.
 *
 * @example
 * drawTimeline(ctx, timelineFromDump(dump), { x: 0, y: 540, width: 1200, height: 200 });
 */
export function drawTimeline(ctx: CanvasRenderingContext2D, timeline: Timeline, bounds: Rect): void {
  ctx.save();
  ctx.font = '11px ui-monospace, Menlo, Consolas, monospace';
  ctx.textBaseline = 'top';
  ctx.fillStyle = TEXT;
  ctx.fillText('total bytes over time', bounds.x, bounds.y);
  const plot = { x: bounds.x + 64, y: bounds.y + 18, width: bounds.width - 72, height: bounds.height - 56 };
  ctx.strokeStyle = '#2a2e38';
  ctx.strokeRect(plot.x + 0.5, plot.y + 0.5, plot.width, plot.height);
  const top = Math.max(1, ...timeline.points.map((p) => p.bytes));
  const span = Math.max(1, timeline.end - timeline.start);
  const xOf = (t: number) => plot.x + ((t - timeline.start) / span) * plot.width;
  const yOf = (bytes: number) => plot.y + plot.height - (bytes / top) * (plot.height - 12);

  ctx.fillStyle = MUTED;
  ctx.fillText(formatBytes(top), bounds.x, plot.y);
  ctx.fillText('0 B', bounds.x, plot.y + plot.height - 12);
  ctx.fillText(`${(span / 1000).toFixed(1)} s`, plot.x + plot.width - 48, plot.y + plot.height + 4);

  const maxEvents = Math.max(
    1,
    ...timeline.creates.map((e) => e.count),
    ...timeline.destroys.map((e) => e.count),
  );
  const tick = (events: Timeline['creates'], color: string, up: boolean) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = 1;
    ctx.beginPath();
    const base = plot.y + plot.height;
    for (const event of events) {
      const x = Math.round(xOf(event.t)) + 0.5;
      const length = 3 + (event.count / maxEvents) * 10;
      ctx.moveTo(x, up ? base : base + 1);
      ctx.lineTo(x, up ? base - length : base + 1 + length);
    }
    ctx.stroke();
  };
  tick(timeline.creates, CREATE, true);
  tick(timeline.destroys, DESTROY, false);

  if (timeline.points.length > 0) {
    ctx.strokeStyle = LINE;
    ctx.lineWidth = 2;
    ctx.beginPath();
    const [first, ...rest] = timeline.points;
    ctx.moveTo(xOf(first!.t), yOf(first!.bytes));
    let previous = first!;
    for (const point of rest) {
      ctx.lineTo(xOf(point.t), yOf(previous.bytes));
      ctx.lineTo(xOf(point.t), yOf(point.bytes));
      previous = point;
    }
    ctx.stroke();
  }
  ctx.fillStyle = MUTED;
  const created = timeline.creates.reduce((sum, e) => sum + e.count, 0);
  const destroyed = timeline.destroys.reduce((sum, e) => sum + e.count, 0);
  ctx.fillText(
    `▲ ${created} creates  ▼ ${destroyed} destroys shown · ${timeline.note}`,
    bounds.x,
    bounds.y + bounds.height - 14,
  );
  ctx.restore();
}
