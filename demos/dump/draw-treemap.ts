/**
 * Draws the treemap cells laid out by dump-model.ts: one rectangle per kind and label, coloured by kind, its
 * label and bytes written inside when they fit, leak suspects outlined and hatched, kinds outlined.
 */
import { formatBytes } from '../../src/overlay/format.ts';
import type { KindCell } from './dump-model.ts';
import { BACKGROUND, kindColor, LEAK, TEXT } from './palette.ts';
import type { Rect } from './treemap-layout.ts';

/**
 * Draws `kinds` (from `layoutDumpTreemap`) into `ctx`; an empty treemap gets a line of text in `bounds`.
 *
 * @example
 * drawTreemap(ctx, layoutDumpTreemap(groups, bounds), bounds);
 */
export function drawTreemap(ctx: CanvasRenderingContext2D, kinds: readonly KindCell[], bounds: Rect): void {
  ctx.save();
  ctx.font = '12px ui-monospace, Menlo, Consolas, monospace';
  ctx.textBaseline = 'top';
  if (kinds.length === 0) {
    ctx.fillStyle = TEXT;
    ctx.fillText('no GPU bytes in this dump', bounds.x + 8, bounds.y + 8);
  }
  for (const kind of kinds) {
    for (const cell of kind.labels) {
      ctx.fillStyle = kindColor(cell.data.kind);
      ctx.fillRect(cell.x, cell.y, cell.width, cell.height);
      if (cell.data.suspects > 0) hatch(ctx, cell);
      // A thin line in the background colour separates neighbours without moving any edge.
      ctx.strokeStyle = BACKGROUND;
      ctx.lineWidth = 1;
      ctx.strokeRect(cell.x + 0.5, cell.y + 0.5, Math.max(0, cell.width - 1), Math.max(0, cell.height - 1));
      if (cell.data.suspects > 0) {
        ctx.strokeStyle = LEAK;
        ctx.lineWidth = 2;
        ctx.strokeRect(cell.x + 1, cell.y + 1, Math.max(0, cell.width - 2), Math.max(0, cell.height - 2));
      }
      const count = cell.data.count > 1 ? ` ×${cell.data.count}` : '';
      writeInside(ctx, cell, [
        `${cell.data.label || '(no label)'}${count}`,
        `${formatBytes(cell.data.bytes)}${cell.data.suspects > 0 ? ` · ${cell.data.suspects} suspect` : ''}`,
      ]);
    }
    ctx.strokeStyle = BACKGROUND;
    ctx.lineWidth = 3;
    ctx.strokeRect(kind.x, kind.y, kind.width, kind.height);
  }
  ctx.restore();
}

/** Diagonal red lines over a leak suspect's cell. */
function hatch(ctx: CanvasRenderingContext2D, cell: Rect): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(cell.x, cell.y, cell.width, cell.height);
  ctx.clip();
  ctx.strokeStyle = 'rgba(255, 92, 92, 0.45)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let d = -cell.height; d < cell.width; d += 8) {
    ctx.moveTo(cell.x + d, cell.y + cell.height);
    ctx.lineTo(cell.x + d + cell.height, cell.y);
  }
  ctx.stroke();
  ctx.restore();
}

/** Writes lines at a cell's top left, each only if it fits (a clipped half-label helps nobody). */
function writeInside(ctx: CanvasRenderingContext2D, cell: Rect, lines: readonly string[]): void {
  const lineHeight = 14;
  ctx.fillStyle = TEXT;
  for (const [i, line] of lines.entries()) {
    const top = cell.y + 4 + i * lineHeight;
    if (top + lineHeight > cell.y + cell.height) return;
    if (ctx.measureText(line).width + 8 > cell.width) return;
    ctx.fillText(line, cell.x + 4, top);
  }
}
