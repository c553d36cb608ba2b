/**
 * The memory graph: the page's GPU bytes over the last minute, drawn on a small 2D canvas. Samples are placed
 * by time (see HistoryRing), the scale fits the largest value in the window (or the budget, so the budget line
 * stays visible), and the drawing is a few dozen path segments: cheap enough to redraw on every update. The
 * frame-time section draws its GPU milliseconds with the same function (values need not be bytes).
 */
import type { HistoryRing } from './history.ts';

/** What one drawing needs. */
export interface GraphInput {
  readonly history: HistoryRing;
  /** The time of the right edge (ms, same clock as the samples). */
  readonly now: number;
  /** The current value, drawn as the right-most point so the graph never lags the figures. */
  readonly current: number;
  /** Width of the window in ms (one minute in the overlay). */
  readonly windowMs: number;
  readonly budgetBytes: number | undefined;
  /** The least top of the vertical scale, so a flat zero still has a scale. Default 1 (one byte). */
  readonly floor?: number;
}

/**
 * Draws the graph on `canvas` (its backing-store size is used as is) and returns the vertical scale's top
 * in bytes, for the caption.
 *
 * @example
 * const top = drawMemoryGraph(canvas, { history, now: performance.now(), current, windowMs: 60_000,
 *   budgetBytes: undefined });
 */
export function drawMemoryGraph(canvas: HTMLCanvasElement, input: GraphInput): number {
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  const since = input.now - input.windowMs;
  const top = Math.max(input.history.max(since), input.current, input.budgetBytes ?? 0, input.floor ?? 1);
  if (!ctx) return top;
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = '#1f232c';
  ctx.fillRect(0, 0, width, height);

  const x = (time: number) => ((time - since) / input.windowMs) * width;
  // Leave one pixel at the top so a flat line at the maximum is still visible.
  const y = (value: number) => height - 1 - (value / top) * (height - 2);

  // At most one point per sample in the window plus the current value: a few dozen at one sample a second.
  const points: number[] = [];
  input.history.forEach((time, value) => {
    points.push(x(time), y(value));
  }, since);
  points.push(width, y(input.current));
  if (points.length === 2) points.unshift(0, y(input.current));

  ctx.beginPath();
  ctx.moveTo(points[0]!, height);
  for (let i = 0; i < points.length; i += 2) ctx.lineTo(points[i]!, points[i + 1]!);
  ctx.lineTo(width, height);
  ctx.closePath();
  ctx.fillStyle = 'rgba(90, 170, 255, 0.35)';
  ctx.fill();

  ctx.beginPath();
  ctx.moveTo(points[0]!, points[1]!);
  for (let i = 2; i < points.length; i += 2) ctx.lineTo(points[i]!, points[i + 1]!);
  ctx.strokeStyle = '#5aaaff';
  ctx.lineWidth = 1;
  ctx.stroke();

  if (input.budgetBytes !== undefined) {
    const by = Math.round(y(input.budgetBytes)) + 0.5;
    ctx.setLineDash([3, 3]);
    ctx.strokeStyle = '#e0564f';
    ctx.beginPath();
    ctx.moveTo(0, by);
    ctx.lineTo(width, by);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  return top;
}

/**
 * Sizes `canvas`'s backing store to `cssWidth` x `cssHeight` CSS pixels at the current devicePixelRatio (sharp
 * on high-DPI screens; checked at each draw rather than by a listener), touching it only when it changed.
 *
 * @example
 * fitGraphCanvas(canvas, 224, 56);
 * drawMemoryGraph(canvas, input);
 */
export function fitGraphCanvas(canvas: HTMLCanvasElement, cssWidth: number, cssHeight: number): void {
  const ratio = globalThis.devicePixelRatio || 1;
  const width = Math.round(cssWidth * ratio);
  const height = Math.round(cssHeight * ratio);
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
}
