/**
 * The stats overlay's options and source, checked as a pure function before the overlay subscribes, starts a
 * timer or builds any DOM: a bad option can leave nothing behind. Each option is read once.
 */
import { ValidationError } from '../errors.ts';
import type { LedgerSnapshot } from '../ledger.ts';
import { readOption, readOptionBag } from '../monitor/read-options.ts';
import { MAX_TIMER_DELAY_MS } from '../pool/deadline.ts';
import type { BiggestResourcesOption } from './biggest-resources.ts';
import type { FrameTimeOption } from './frame-time-section.ts';
import type { OverlayPosition } from './panel.ts';

/**
 * What the overlay reads: a `ResourceManager` of any backend fits. Kept structural so the overlay depends on
 * no backend and can be driven by a hand-made source.
 */
export interface StatsSource {
  /** O(1) figures; read at each repaint. */
  stats(): LedgerSnapshot;
  /** Coalesced change notifications; returns the unsubscribe function. */
  onUsage(listener: (usage: LedgerSnapshot) => void): () => void;
}

/** Options of `createStatsOverlay`. */
export interface StatsOverlayOptions extends BiggestResourcesOption, FrameTimeOption {
  /** Where to mount the panel: an element. Default `document.body` (fixed to the viewport); any other parent
   * gets an absolutely positioned panel, so give it `position: relative`. */
  parent?: HTMLElement;
  /** Corner. Default `'top-right'`. */
  position?: OverlayPosition;
  /** Shows a budget bar of the page total (manager + swap chains) against this many bytes (finite, > 0). */
  budgetBytes?: number;
  /** Start collapsed (header only). Default false. */
  collapsed?: boolean;
  /** Panel title. Default `'GPU memory'`. */
  title?: string;
  /** Least time between two repaints, in ms, from 0 to 60000. Default 250 (at most 4 repaints a second). */
  minUpdateIntervalMs?: number;
  /**
   * Time between two graph samples, in ms, from {@link MIN_SAMPLE_INTERVAL_MS} (one frame) to 60000 (the
   * graph's window). Default 1000. Values outside are refused, not clamped: the graph keeps one minute of
   * samples, so the interval sets its memory (1e-3 ms would ask for 60 million samples).
   */
  sampleIntervalMs?: number;
}

/** The options after checking, with defaults filled in. */
export interface OverlayConfig {
  readonly parent: HTMLElement;
  /** Mounted on its document's body: the panel is fixed to the viewport. */
  readonly fixed: boolean;
  readonly position: OverlayPosition;
  readonly budgetBytes: number | undefined;
  readonly collapsed: boolean;
  readonly title: string;
  readonly minUpdateIntervalMs: number;
  readonly sampleIntervalMs: number;
}

export const POSITIONS: readonly OverlayPosition[] = ['top-left', 'top-right', 'bottom-left', 'bottom-right'];
/** The graph's window, in ms. */
export const HISTORY_MS = 60_000;
/** The shortest graph sample interval: one frame at 60 Hz (at most 3,752 samples, 60 KB). */
export const MIN_SAMPLE_INTERVAL_MS = 16;
export const OVERLAY_LABEL = 'stats overlay';

/**
 * Checks the source and every option; returns them normalized. Touches no DOM beyond reading `parent`'s
 * node type and document (and `document.body` when `parent` is omitted).
 *
 * @throws ValidationError naming the field, the value and the rule.
 * @example
 * const config = readOverlayOptions(manager, { position: 'bottom-left' });
 */
export function readOverlayOptions(source: unknown, options: unknown): OverlayConfig {
  checkSource(source);
  const bag = readOptionBag(OVERLAY_LABEL, 'options', options, false);
  // `undefined` means "not given"; `null` is a value, refused like any other wrong type.
  const position = orDefault(readOption(bag, 'position'), 'top-right');
  if (!POSITIONS.includes(position as OverlayPosition)) {
    throw invalid('position', position, `must be one of ${POSITIONS.join(', ')}`);
  }
  const budgetBytes = checkBudget(readOption(bag, 'budgetBytes'));
  const collapsed = orDefault(readOption(bag, 'collapsed'), false);
  if (typeof collapsed !== 'boolean') throw invalid('collapsed', collapsed, 'must be a boolean or undefined');
  const title = orDefault(readOption(bag, 'title'), 'GPU memory');
  if (typeof title !== 'string') throw invalid('title', title, 'must be a string or undefined');
  const minUpdateIntervalMs = checkRange(
    'minUpdateIntervalMs',
    readOption(bag, 'minUpdateIntervalMs'),
    250,
    0,
  );
  const sampleIntervalMs = checkRange(
    'sampleIntervalMs',
    readOption(bag, 'sampleIntervalMs'),
    1000,
    MIN_SAMPLE_INTERVAL_MS,
  );
  const [parent, fixed] = checkParent(readOption(bag, 'parent'));
  return {
    parent,
    fixed,
    position: position as OverlayPosition,
    budgetBytes,
    collapsed,
    title,
    minUpdateIntervalMs,
    sampleIntervalMs,
  };
}

/**
 * `budgetBytes`: `undefined` (no bar) or a finite number > 0.
 *
 * @throws ValidationError otherwise.
 * @example
 * overlay.budgetBytes = checkBudget(value);
 */
export function checkBudget(bytes: unknown): number | undefined {
  if (bytes === undefined) return undefined;
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes <= 0) {
    throw invalid('budgetBytes', bytes, 'must be a finite number of bytes > 0');
  }
  return bytes;
}

function orDefault(value: unknown, fallback: unknown): unknown {
  return value === undefined ? fallback : value;
}

function invalid(field: string, value: unknown, rule: string): ValidationError {
  return new ValidationError(OVERLAY_LABEL, field, value, rule);
}

function checkRange(field: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= min && value <= HISTORY_MS)) {
    throw invalid(field, value, `must be a number of milliseconds from ${min} to ${HISTORY_MS}`);
  }
  // HISTORY_MS is far below setTimeout's limit; this keeps it so if either changes.
  return Math.min(value, MAX_TIMER_DELAY_MS);
}

function checkSource(source: unknown): void {
  const rule = 'must be a resource manager or an object with stats() and onUsage(listener) methods';
  let ok: boolean;
  try {
    ok =
      typeof source === 'object' &&
      source !== null &&
      typeof (source as StatsSource).stats === 'function' &&
      typeof (source as StatsSource).onUsage === 'function';
  } catch {
    ok = false; // a Proxy whose traps throw is no source
  }
  if (!ok) throw invalid('source', source, rule);
}

/** An Element (any realm: node type 1) with a document; `undefined` means its document's body. */
function checkParent(parent: unknown): [HTMLElement, boolean] {
  if (parent === undefined) {
    const body = (globalThis as { document?: Document }).document?.body;
    if (!body) {
      throw invalid('parent', parent, 'there is no document.body to mount on: pass a parent element');
    }
    return [body, true];
  }
  let doc: Document | null | undefined;
  try {
    const node = parent as Partial<HTMLElement> | null;
    const isElement =
      typeof node === 'object' && node !== null && node.nodeType === 1 && typeof node.append === 'function';
    doc = isElement ? node.ownerDocument : undefined;
  } catch {
    doc = undefined; // a Proxy whose traps throw is no element
  }
  if (!doc || typeof doc.createElement !== 'function') {
    throw invalid('parent', parent, 'must be an HTML element in a document (node type 1)');
  }
  return [parent as HTMLElement, parent === doc.body];
}
