/**
 * Draws the biggest resources first, one row each (kind colour, label, bytes, state), leak suspects in red
 * with their class.
 */
import { formatBytes } from '../../src/overlay/format.ts';
import { classifyLeak } from './dump-model.ts';
import { kindColor, LEAK, MUTED, TEXT } from './palette.ts';
import type { ViewerResource } from './parse-dump.ts';
import type { Rect } from './treemap-layout.ts';

/** Row height of the list, in canvas units. */
export const ROW_HEIGHT = 18;

/**
 * Draws `resources` (already sorted) as rows in `bounds`, as many as fit.
 *
 * @example
 * drawBiggest(ctx, biggestResources(dump, 25), { time: dump.time, thresholdMs: 30_000 }, bounds);
 */
export function drawBiggest(
  ctx: CanvasRenderingContext2D,
  resources: readonly ViewerResource[],
  leak: { readonly time: number; readonly thresholdMs: number },
  bounds: Rect,
): void {
  ctx.save();
  ctx.font = '11px ui-monospace, Menlo, Consolas, monospace';
  ctx.textBaseline = 'top';
  ctx.fillStyle = TEXT;
  ctx.fillText('biggest resources', bounds.x, bounds.y);
  const rows = Math.max(0, Math.floor((bounds.height - ROW_HEIGHT) / ROW_HEIGHT));
  for (const [i, resource] of resources.slice(0, rows).entries()) {
    const y = bounds.y + ROW_HEIGHT * (i + 1);
    const suspect = classifyLeak(resource, leak.time, leak.thresholdMs);
    ctx.fillStyle = kindColor(resource.kind);
    ctx.fillRect(bounds.x, y + 2, 10, 10);
    const bytes = formatBytes(resource.bytes);
    const tag = suspect ? (suspect === 'never-used' ? ' never used' : ' idle') : '';
    const state = resource.state === 'live' ? '' : ` [${resource.state}]`;
    ctx.fillStyle = suspect ? LEAK : resource.state === 'live' ? TEXT : MUTED;
    const right = `${bytes}${state}${tag}`;
    const rightWidth = ctx.measureText(right).width;
    ctx.fillText(right, bounds.x + bounds.width - rightWidth, y);
    ctx.fillText(
      ellipsize(ctx, resource.label || `(${resource.kind})`, bounds.width - rightWidth - 24),
      bounds.x + 16,
      y,
    );
  }
  if (resources.length === 0) {
    ctx.fillStyle = MUTED;
    ctx.fillText('no resources', bounds.x, bounds.y + ROW_HEIGHT);
  }
  ctx.restore();
}

/** Shortens `text` with an ellipsis until it fits `width`. */
function ellipsize(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}
