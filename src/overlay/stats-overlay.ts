/**
 * The live stats overlay: a small panel over the page with the manager's GPU memory (total, per kind, counts,
 * peak, pending frees), the registered canvases' swap chains, a budget bar and a one-minute graph; with a
 * frame timer, CPU and GPU time per frame and a graph of the GPU time (frame-time-section.ts).
 *
 * How it stays cheap: it subscribes to the manager's coalesced usage notifications and repaints through a
 * throttle (at most one repaint per `minUpdateIntervalMs`, 250 ms by default); a repaint reads O(1) counters and
 * writes changed Text nodes only; a once-a-second timer samples the graph (and the eviction rates). It owns
 * exactly three kinds of subscriptions, all released by `destroy()`: the manager's `onUsage` (and, on a
 * manager, its `restored` event), its timers, and DOM listeners on its own elements (with an AbortSignal).
 */
import { DisposedError, ValidationError } from '../errors.ts';
import {
  BIGGEST_STYLE,
  BiggestResourcesList,
  biggestByLabel,
  type ResourceListSource,
  readBiggestOption,
} from './biggest-resources.ts';
import { FRAME_TIME_STYLE, FrameTimeSection, readFrameTimerOption } from './frame-time-section.ts';
import { drawMemoryGraph, fitGraphCanvas } from './graph.ts';
import { HistoryRing } from './history.ts';
import {
  checkBudget,
  HISTORY_MS,
  OVERLAY_LABEL,
  readOverlayOptions,
  type StatsOverlayOptions,
  type StatsSource,
} from './overlay-options.ts';
import {
  GRAPH_HEIGHT,
  GRAPH_WIDTH,
  OverlayPanel,
  type ResidencyFigures,
  type RestoreFigures,
} from './panel.ts';
import { type SwapChainOptions, SwapChainRegistry, type SwapChainSource } from './swap-chain.ts';
import { Throttle } from './throttle.ts';

export type { StatsOverlayOptions, StatsSource } from './overlay-options.ts';

/** What a manager adds to a {@link StatsSource} for the budget and restore rows (read when present). */
interface ResidencySource {
  residencyStats(): {
    readonly budgetBytes: number | undefined;
    readonly evictions: number;
    readonly reuploadedBytes: number;
  };
  on(
    event: 'restored',
    listener: (report: {
      readonly restored: number;
      readonly durationMs: number;
      readonly empty: readonly unknown[];
      readonly failed: readonly unknown[];
    }) => void,
  ): () => void;
}

/** The source's residency methods, or undefined when it has none (a hand-made source, a Proxy that throws). */
function residencyOf(source: StatsSource): ResidencySource | undefined {
  try {
    const candidate = source as unknown as Partial<ResidencySource>;
    return typeof candidate.residencyStats === 'function' && typeof candidate.on === 'function'
      ? (source as unknown as ResidencySource)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The span the eviction and re-upload rates are averaged over. */
const RATE_WINDOW_MS = 1000;

/** Evictions and re-uploaded bytes at one sample, for the per-second rates. */
interface ResidencySample {
  readonly at: number;
  readonly evictions: number;
  readonly reuploadedBytes: number;
}

/**
 * A mounted stats overlay. Build one with {@link createStatsOverlay}.
 *
 * @example
 * const overlay = createStatsOverlay(manager, { budgetBytes: 256 * 2 ** 20 });
 * overlay.registerCanvas(context, { format: navigator.gpu.getPreferredCanvasFormat() });
 * overlay.collapsed = true;
 * overlay.destroy();
 */
export class StatsOverlay {
  /** The element mounted into the page (the panel lives in its open shadow root). */
  readonly element: HTMLElement;
  private readonly panel: OverlayPanel;
  private readonly source: StatsSource;
  private readonly swapChains = new SwapChainRegistry();
  private readonly history: HistoryRing;
  private readonly repaint: Throttle;
  private readonly listeners = new AbortController();
  private readonly unsubscribeUsage: () => void;
  private readonly sampleTimer: ReturnType<typeof setInterval>;
  private budget: number | undefined;
  private readonly biggest: { readonly list: BiggestResourcesList; readonly n: number } | undefined;
  private readonly frameTime: FrameTimeSection | undefined;
  private isDestroyed = false;
  private readonly residency: ResidencySource | undefined;
  private readonly unsubscribeRestored: () => void;
  /** Samples of the last {@link RATE_WINDOW_MS} (and the one just before), oldest first. */
  private readonly residencySamples: ResidencySample[] = [];
  private rates = { evictionsPerSecond: 0, reuploadedBytesPerSecond: 0 };
  private lastRestore: RestoreFigures | undefined;

  /**
   * Checks the source and every option first (see {@link StatsOverlayOptions}): a bad one throws before the
   * overlay subscribes, starts a timer or mounts anything. If a later step fails (the source's `stats()` or
   * `onUsage` throws, the parent refuses the panel), every step already taken is undone before the error
   * propagates.
   *
   * @throws ValidationError naming the bad option, its value and the rule.
   * @example
   * const overlay = new StatsOverlay(manager, { position: 'bottom-right' });
   */
  constructor(source: StatsSource, options?: StatsOverlayOptions) {
    const config = readOverlayOptions(source, options);
    const biggest = readBiggestOption(source, options);
    const frameTimer = readFrameTimerOption(options);
    this.source = source;
    this.residency = residencyOf(source);
    this.budget = config.budgetBytes;
    const historyCapacity = Math.ceil(HISTORY_MS / config.sampleIntervalMs) + 2;
    this.history = new HistoryRing(historyCapacity);
    // Built detached: until it is appended, a failure leaves only garbage for the collector.
    this.panel = new OverlayPanel(config.parent.ownerDocument, {
      title: config.title,
      position: config.position,
      fixed: config.fixed,
    });
    this.element = this.panel.host;
    this.panel.setCollapsed(config.collapsed);
    this.biggest =
      biggest === undefined
        ? undefined
        : { list: new BiggestResourcesList(config.parent.ownerDocument, biggest), n: biggest };
    if (this.biggest) this.panel.addSection(this.biggest.list.element, BIGGEST_STYLE);
    this.frameTime =
      frameTimer && new FrameTimeSection(config.parent.ownerDocument, frameTimer, historyCapacity);
    if (this.frameTime) this.panel.addSection(this.frameTime.element, FRAME_TIME_STYLE, 'end');
    this.repaint = new Throttle(() => this.render(), config.minUpdateIntervalMs);
    const initialBytes = source.stats().totalBytes;

    let unsubscribe: (() => void) | undefined;
    let unsubscribeRestored: (() => void) | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    try {
      config.parent.append(this.element);
      if (this.residency) {
        this.residencySamples.push(this.readResidencySample());
        const off = this.residency.on('restored', (report) => {
          this.lastRestore = {
            restored: report.restored,
            durationMs: report.durationMs,
            empty: report.empty.length,
            failed: report.failed.length,
          };
          this.repaint.request();
        });
        if (typeof off !== 'function') {
          throw new ValidationError(
            OVERLAY_LABEL,
            "source.on('restored', listener)",
            off,
            'must return the unsubscribe function',
          );
        }
        unsubscribeRestored = off;
      }
      unsubscribe = source.onUsage(() => this.repaint.request());
      if (typeof unsubscribe !== 'function') {
        throw new ValidationError(
          OVERLAY_LABEL,
          'source.onUsage(listener)',
          unsubscribe,
          'must return the unsubscribe function',
        );
      }
      timer = setInterval(() => this.sample(), config.sampleIntervalMs);
      this.history.push(performance.now(), initialBytes);
      this.repaint.runNow();
    } catch (error) {
      if (typeof unsubscribe === 'function') unsubscribe();
      unsubscribeRestored?.();
      clearInterval(timer);
      this.repaint.cancel();
      this.element.remove();
      throw error;
    }
    this.unsubscribeUsage = unsubscribe;
    this.unsubscribeRestored = unsubscribeRestored ?? (() => {});
    this.sampleTimer = timer;
    this.panel.toggle.addEventListener('click', () => (this.collapsed = !this.collapsed), {
      signal: this.listeners.signal,
    });
  }

  /** True once `destroy()` ran. */
  get destroyed(): boolean {
    return this.isDestroyed;
  }

  /** Header only (true) or the whole panel (false). The header's button toggles it too. */
  get collapsed(): boolean {
    return this.panel.collapsed;
  }

  set collapsed(collapsed: boolean) {
    if (typeof collapsed !== 'boolean') {
      throw new ValidationError(OVERLAY_LABEL, 'collapsed', collapsed, 'must be a boolean');
    }
    if (this.isDestroyed || collapsed === this.panel.collapsed) return;
    this.panel.setCollapsed(collapsed);
    if (!collapsed) this.repaint.runNow();
  }

  /** The budget the bar measures against; `undefined` hides the bar. */
  get budgetBytes(): number | undefined {
    return this.budget;
  }

  set budgetBytes(bytes: number | undefined) {
    this.budget = checkBudget(bytes);
    this.repaint.request();
  }

  /**
   * Counts a canvas's swap chain in the page total: `canvas.width * canvas.height * bytesPerPixel(format) *
   * bufferCount` (default 3 buffers), re-measured at every repaint and sample so resizes are followed. Pass the
   * canvas or its context (a `GPUCanvasContext` has `canvas`). Returns the function that unregisters it.
   * See swap-chain.ts for what this estimate counts and what no page can know.
   *
   * @example
   * context.configure({ device, format });
   * const unregister = overlay.registerCanvas(context, { format });
   */
  registerCanvas(source: SwapChainSource, options: SwapChainOptions): () => void {
    if (this.isDestroyed) throw new DisposedError('the stats overlay', 'register a canvas');
    const unregister = this.swapChains.register(source, options);
    this.repaint.request();
    return () => {
      unregister();
      if (!this.isDestroyed) this.repaint.request();
    };
  }

  /**
   * Repaints now, bypassing the throttle (e.g. right before a screenshot). Normal updates need no call.
   *
   * @example
   * overlay.refresh();
   */
  refresh(): void {
    if (this.isDestroyed) return;
    this.repaint.runNow();
  }

  /**
   * Removes the panel and releases everything the overlay subscribed to: the manager's usage listener, its
   * timers, its DOM listeners and its registered canvases. Calling it again does nothing.
   *
   * @example
   * overlay.destroy();
   */
  destroy(): void {
    if (this.isDestroyed) return;
    this.isDestroyed = true;
    this.unsubscribeUsage();
    this.unsubscribeRestored();
    this.repaint.cancel();
    clearInterval(this.sampleTimer);
    this.listeners.abort();
    this.swapChains.clear();
    this.history.clear();
    this.frameTime?.clear();
    this.residencySamples.length = 0;
    this.element.remove();
  }

  /** `using overlay = createStatsOverlay(manager)` destroys it at the end of the block. */
  [Symbol.dispose](): void {
    this.destroy();
  }

  private sample(): void {
    this.sampleResidency();
    const stats = this.source.stats();
    const now = performance.now();
    this.history.push(now, stats.totalBytes + this.swapChains.totalBytes());
    this.frameTime?.sample(now);
    // Through the throttle like every other repaint: the graph scrolls, and canvas resizes (which fire no
    // manager event) reach the figures, without ever exceeding the repaint rate.
    this.repaint.request();
  }

  /** Evictions and re-uploaded bytes per second over the last second (at least one sample interval). */
  private sampleResidency(): void {
    const samples = this.residencySamples;
    if (!this.residency || samples.length === 0) return;
    const next = this.readResidencySample();
    samples.push(next);
    while (samples.length > 2 && next.at - samples[1]!.at >= RATE_WINDOW_MS) samples.shift();
    const first = samples[0]!;
    const seconds = (next.at - first.at) / 1000;
    if (seconds <= 0) return;
    this.rates = {
      evictionsPerSecond: (next.evictions - first.evictions) / seconds,
      reuploadedBytesPerSecond: (next.reuploadedBytes - first.reuploadedBytes) / seconds,
    };
  }

  private readResidencySample(): ResidencySample {
    const { evictions, reuploadedBytes } = this.residency!.residencyStats();
    return { at: performance.now(), evictions, reuploadedBytes };
  }

  /** The budget rows' figures, when the source is a manager with a budget. */
  private residencyFigures(): ResidencyFigures | undefined {
    const budgetBytes = this.residency?.residencyStats().budgetBytes;
    return budgetBytes === undefined ? undefined : { budgetBytes, ...this.rates };
  }

  private render(): void {
    const stats = this.source.stats();
    const swapChainBytes = this.swapChains.totalBytes();
    this.panel.update({
      stats,
      swapChainBytes,
      canvasCount: this.swapChains.size,
      budgetBytes: this.budget,
      residency: this.residencyFigures(),
      lastRestore: this.lastRestore,
    });
    if (!this.panel.collapsed) this.drawGraph(stats.totalBytes + swapChainBytes);
    if (this.biggest && !this.panel.collapsed) {
      this.biggest.list.update(
        biggestByLabel((this.source as unknown as ResourceListSource).leaks(), this.biggest.n),
      );
    }
    if (this.frameTime && !this.panel.collapsed) this.frameTime.update(performance.now(), HISTORY_MS);
  }

  private drawGraph(current: number): void {
    const canvas = this.panel.graph;
    fitGraphCanvas(canvas, GRAPH_WIDTH, GRAPH_HEIGHT);
    const top = drawMemoryGraph(canvas, {
      history: this.history,
      now: performance.now(),
      current,
      windowMs: HISTORY_MS,
      budgetBytes: this.budget,
    });
    this.panel.setGraphMax(top);
  }
}

/**
 * Mounts a stats overlay for a manager (or any {@link StatsSource}). It adds no global CSS (its styles live in
 * a shadow root), repaints at most every `minUpdateIntervalMs`, and `destroy()` removes it with every listener.
 *
 * @example
 * const manager = createResourceManager({ device });
 * const overlay = createStatsOverlay(manager, { position: 'bottom-left', budgetBytes: 512 * 2 ** 20 });
 * overlay.registerCanvas(canvas, { format: 'bgra8unorm' });
 * // CPU and GPU ms per frame and a GPU graph (the device needs 'timestamp-query' for the GPU part):
 * createStatsOverlay(manager, { frameTimer: createFrameTimer(manager, device) });
 */
export function createStatsOverlay(source: StatsSource, options?: StatsOverlayOptions): StatsOverlay {
  return new StatsOverlay(source, options);
}
