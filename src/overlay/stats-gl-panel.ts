/**
 * The memory figure in stats-gl (the FPS/CPU/GPU overlay many three.js users already run), as one of its own
 * panels. stats-gl 4.x lets a page add a panel (`stats.addPanel(new Stats.Panel(name, fg, bg))`) and feed it
 * with `panel.update(value, max, decimals, suffix)` (the text) and `panel.updateGraph(value, max)` (one graph
 * column per call). A panel is a 90x48 canvas with one number and a graph, so what fits is the manager's
 * total (MiB) against the budget or the peak, not the per-kind table: use `createStatsOverlay` for that.
 *
 * stats-gl is not a dependency: the adapter is typed by the few members it uses, so any stats-gl 4.x
 * instance fits and nothing of it is bundled unless the page imports it.
 */
import { ValidationError } from '../errors.ts';
import { readOption, readOptionBag } from '../monitor/read-options.ts';
import type { StatsSource } from './overlay-options.ts';

/** The members of a stats-gl panel the adapter uses. */
export interface StatsGlPanelLike {
  readonly canvas?: HTMLCanvasElement;
  update(value: number, maxValue: number, decimals?: number, suffix?: string): void;
  updateGraph(valueGraph: number, maxGraph: number): void;
}

/** stats-gl's `Stats.Panel` class (or one with its constructor). */
export type StatsGlPanelClass = new (name: string, fg: string, bg: string) => StatsGlPanelLike;

/** The members of a stats-gl instance the adapter uses. */
export interface StatsGlLike {
  addPanel(panel: StatsGlPanelLike): StatsGlPanelLike;
}

/** Options of {@link addStatsGlMemoryPanel}. */
export interface StatsGlMemoryPanelOptions {
  /** The panel class; default `stats.constructor.Panel` (stats-gl's `Stats.Panel`). */
  Panel?: StatsGlPanelClass;
  /** Panel name shown after the value. Default `'MB'` (the value is in MiB). */
  name?: string;
  /** The graph's top and the text's max: this budget when given, else the manager's peak. */
  budgetBytes?: number;
  /** Time between two graph columns, in ms, from 16 to 60000. Default 250. */
  intervalMs?: number;
}

/** The panel added to stats-gl; `destroy()` stops feeding it and removes its canvas. */
export interface StatsGlMemoryPanel {
  readonly panel: StatsGlPanelLike;
  /** Writes the current figures now (the timer does it every `intervalMs`). */
  update(): void;
  destroy(): void;
}

const LABEL = 'stats-gl memory panel';
const MIB = 2 ** 20;

/**
 * Adds a GPU memory panel to a stats-gl instance, fed from a manager's O(1) `stats()`.
 *
 * @throws ValidationError for a bad stats object, source or option (nothing is added then).
 * @example
 * import Stats from 'stats-gl';
 * const stats = new Stats();
 * document.body.append(stats.dom);
 * const memory = addStatsGlMemoryPanel(stats, manager, { budgetBytes: 512 * 2 ** 20 });
 */
export function addStatsGlMemoryPanel(
  stats: StatsGlLike,
  source: StatsSource,
  options?: StatsGlMemoryPanelOptions,
): StatsGlMemoryPanel {
  const bag = readOptionBag(LABEL, 'options', options, false);
  if (typeof member(stats, 'addPanel') !== 'function') {
    throw new ValidationError(LABEL, 'stats', stats, 'must be a stats-gl instance (with addPanel(panel))');
  }
  if (typeof member(source, 'stats') !== 'function') {
    throw new ValidationError(LABEL, 'source', source, 'must be a resource manager (with stats())');
  }
  const Panel = readOption(bag, 'Panel') ?? member(member(stats, 'constructor'), 'Panel');
  if (typeof Panel !== 'function') {
    throw new ValidationError(
      LABEL,
      'Panel',
      Panel,
      "must be stats-gl's Stats.Panel class (or pass options.Panel)",
    );
  }
  const name = readOption(bag, 'name') ?? 'MB';
  if (typeof name !== 'string') throw new ValidationError(LABEL, 'name', name, 'must be a string');
  const budget = readOption(bag, 'budgetBytes');
  if (budget !== undefined && !(typeof budget === 'number' && Number.isFinite(budget) && budget > 0)) {
    throw new ValidationError(LABEL, 'budgetBytes', budget, 'must be a finite number of bytes > 0');
  }
  const interval = readOption(bag, 'intervalMs') ?? 250;
  if (!(typeof interval === 'number' && interval >= 16 && interval <= 60_000)) {
    throw new ValidationError(
      LABEL,
      'intervalMs',
      interval,
      'must be a number of milliseconds from 16 to 60000',
    );
  }
  // stats-gl's own panels use these colour pairs; a purple one is not taken by FPS, CPU, GPU or compute.
  const panel = stats.addPanel(new (Panel as StatsGlPanelClass)(name, '#c8f', '#213'));
  const update = () => {
    const figures = source.stats();
    const value = figures.totalBytes / MIB;
    const max = (budget ?? Math.max(figures.peakBytes, figures.totalBytes)) / MIB;
    panel.update(value, max, 1);
    panel.updateGraph(value, max);
  };
  update();
  const timer = setInterval(update, interval);
  return {
    panel,
    update,
    destroy() {
      clearInterval(timer);
      panel.canvas?.remove();
    },
  };
}

/** Reads `object[key]`; `undefined` for a non-object or when a getter or Proxy trap throws. */
function member(object: unknown, key: string): unknown {
  if ((typeof object !== 'object' && typeof object !== 'function') || object === null) return undefined;
  try {
    return (object as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}
