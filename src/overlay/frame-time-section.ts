/**
 * The overlay's optional frame-time section (`createStatsOverlay(manager, { frameTimer })`): CPU and GPU
 * milliseconds per frame and a one-minute graph of the GPU time, read from a frame timer (gpu-timer.ts) or any
 * object that reads like one. Without 'timestamp-query' it shows the CPU time and the timer's reason for the
 * missing GPU time; without the option the section does not exist (a WebGL2 page without a timer, say).
 *
 * Cost: nothing per frame. The overlay does not listen to the timer: at each graph sample (also while
 * collapsed, as the memory graph samples) it reads the timer's running totals once and keeps the mean of the
 * frames since the previous sample; a repaint (throttled like the rest, none while collapsed) writes changed
 * Text nodes and redraws the small graph.
 */
import { ValidationError } from '../errors.ts';
import { readOption, readOptionBag } from '../monitor/read-options.ts';
import { formatMs } from './format.ts';
import type { FrameTimes } from './gpu-timer.ts';
import { drawMemoryGraph, fitGraphCanvas } from './graph.ts';
import { HistoryRing } from './history.ts';
import { GRAPH_HEIGHT, GRAPH_WIDTH } from './panel.ts';

/**
 * What the section reads of a frame timer. A `FrameTimer` (createFrameTimer) is one; a timer of your own (WebGL2
 * timer queries, say) can be too.
 */
export interface FrameTimeSource {
  /** Whether GPU times will come (read once, when the overlay is created). */
  readonly supported: boolean;
  /** Why they will not, shown in place of the GPU time; required when `supported` is false. */
  readonly unsupportedReason: string | undefined;
  /** The running figures; read at each graph sample and repaint, never per frame. */
  times(): FrameTimes;
}

/** The option this module adds to `createStatsOverlay`. */
export interface FrameTimeOption {
  /**
   * Shows CPU and GPU milliseconds per frame (the mean over each graph sample interval) and a graph of the GPU
   * time. The overlay reads the timer and does not own it: dispose the timer yourself.
   */
  frameTimer?: FrameTimeSource;
}

/** The checked option: how to read the timer, and why there is no GPU time (`undefined` when there is). */
export interface FrameTimerConfig {
  readonly read: () => FrameTimes;
  readonly unsupportedReason: string | undefined;
}

const LABEL = 'stats overlay';
/** The GPU graph's least scale, in ms (1 µs): an idle GPU's few microseconds still get a visible line. */
const GPU_GRAPH_FLOOR_MS = 1e-3;

/**
 * Reads and checks the `frameTimer` option; `undefined` when it is not given. Checked by shape, not by class:
 * a timer from another copy of the library (two bundles, an iframe) or a timer of the user's own works too.
 *
 * @throws ValidationError when it has no `times()` method or no boolean `supported`, or is unsupported without
 *   a non-empty `unsupportedReason`.
 * @example
 * const timer = readFrameTimerOption({ frameTimer: createFrameTimer(manager, device) });
 */
export function readFrameTimerOption(options: unknown): FrameTimerConfig | undefined {
  const value = readOption(readOptionBag(LABEL, 'options', options, false), 'frameTimer');
  if (value === undefined) return undefined;
  let times: unknown;
  let supported: unknown;
  let reason: unknown;
  try {
    if (typeof value === 'object' && value !== null) {
      const candidate = value as Partial<FrameTimeSource>;
      times = candidate.times;
      supported = candidate.supported;
      reason = candidate.unsupportedReason;
    }
  } catch {
    times = undefined; // a Proxy whose traps throw is no timer
  }
  if (typeof times !== 'function' || typeof supported !== 'boolean') {
    throw new ValidationError(
      LABEL,
      'frameTimer',
      value,
      'must be a frame timer (createFrameTimer) or an object with times() and a boolean supported',
    );
  }
  if (!supported && (typeof reason !== 'string' || reason === '')) {
    throw new ValidationError(
      LABEL,
      'frameTimer.unsupportedReason',
      reason,
      'must be a non-empty string saying why there is no GPU time when frameTimer.supported is false',
    );
  }
  return {
    read: () => (times as () => FrameTimes).call(value),
    unsupportedReason: supported ? undefined : (reason as string),
  };
}

/** Styles of the section, added to the overlay's shadow root (`.graph` and `.caption` come from the panel). */
export const FRAME_TIME_STYLE = `
.frame-time { margin-top: 6px; }
.frame-time .times { display: flex; justify-content: space-between; gap: 8px; }
.frame-time .name { color: #9aa3b2; }
.frame-time .note { color: #e0a84f; font-size: 10px; }
`;

/** The mean of `count` frames totalling `totalMs`; `undefined` when there were none or a figure is not a number. */
function meanMs(totalMs: number, count: number): number | undefined {
  const mean = totalMs / count;
  return count > 0 && Number.isFinite(mean) ? mean : undefined;
}

function finite(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * The section's DOM (built once, updated in place) and its GPU-time history. Internal to the overlay: pass
 * `frameTimer` to `createStatsOverlay`.
 *
 * @example
 * const section = new FrameTimeSection(document, readFrameTimerOption({ frameTimer })!, 62);
 * section.sample(performance.now()); // once per graph sample
 * section.update(performance.now(), 60_000); // at each repaint while expanded
 */
export class FrameTimeSection {
  readonly element: HTMLElement;
  /** The GPU graph; `data-samples` holds how many samples it has. Absent without GPU time. */
  readonly graph: HTMLCanvasElement | undefined;
  private readonly history: HistoryRing;
  private readonly cpuText: Text;
  private readonly gpuText: Text;
  private readonly graphMaxText: Text;
  /** The timer's totals at the last sample: the next sample averages the frames since. */
  private readonly seen = { cpuFrames: 0, cpuTotalMs: 0, gpuSamples: 0, gpuTotalMs: 0 };
  private cpuMs: number | undefined;
  private gpuMs: number | undefined;

  constructor(
    doc: Document,
    private readonly timer: FrameTimerConfig,
    historyCapacity: number,
  ) {
    this.history = new HistoryRing(historyCapacity);
    const el = <T extends keyof HTMLElementTagNameMap>(tag: T, className = '', text = '') => {
      const element = doc.createElement(tag);
      if (className) element.className = className;
      if (text) element.textContent = text;
      return element;
    };
    const figure = (stat: string): [HTMLElement, Text] => {
      const element = el('span');
      element.setAttribute('data-stat', stat);
      const node = doc.createTextNode('–');
      element.append(node);
      return [element, node];
    };
    this.element = el('div', 'frame-time');
    this.element.setAttribute('data-section', 'frameTime');
    const times = el('div', 'times');
    times.title = 'mean per frame over the last graph sample';
    const [cpu, cpuText] = figure('cpuFrameMs');
    const [gpu, gpuText] = figure('gpuFrameMs');
    const [graphMax, graphMaxText] = figure('gpuGraphMax');
    this.cpuText = cpuText;
    this.gpuText = gpuText;
    this.graphMaxText = graphMaxText;
    const cpuPart = el('span');
    cpuPart.append(el('span', 'name', 'CPU '), cpu);
    times.append(cpuPart);
    this.element.append(times);
    if (timer.unsupportedReason !== undefined) {
      const note = el('div', 'note', timer.unsupportedReason);
      note.setAttribute('data-stat', 'gpuUnsupported');
      this.element.append(note);
      return;
    }
    const gpuPart = el('span');
    gpuPart.append(el('span', 'name', 'GPU '), gpu);
    times.append(gpuPart);
    this.graph = el('canvas', 'graph');
    this.graph.width = GRAPH_WIDTH;
    this.graph.height = GRAPH_HEIGHT;
    this.graph.setAttribute('role', 'img');
    this.graph.setAttribute('aria-label', 'GPU milliseconds per frame over the last minute');
    this.graph.setAttribute('data-samples', '0');
    const caption = el('div', 'caption');
    caption.append(el('span', '', 'GPU ms, last 60 s'), graphMax);
    this.element.append(this.graph, caption);
  }

  /** Samples the graph: the mean CPU and GPU time of the frames since the previous sample. */
  sample(now: number): void {
    const times = this.timer.read();
    const seen = this.seen;
    const cpu = meanMs(times.cpuTotalMs - seen.cpuTotalMs, times.cpuFrames - seen.cpuFrames);
    const gpu = meanMs(times.gpuTotalMs - seen.gpuTotalMs, times.gpuSamples - seen.gpuSamples);
    if (cpu !== undefined) this.cpuMs = cpu;
    if (gpu !== undefined && this.graph) {
      this.gpuMs = gpu;
      this.history.push(now, gpu);
      this.graph.setAttribute('data-samples', String(this.history.length));
    }
    seen.cpuFrames = times.cpuFrames;
    seen.cpuTotalMs = times.cpuTotalMs;
    seen.gpuSamples = times.gpuSamples;
    seen.gpuTotalMs = times.gpuTotalMs;
  }

  /** Writes the figures and redraws the graph (call while expanded only). */
  update(now: number, windowMs: number): void {
    let cpu = this.cpuMs;
    let gpu = this.gpuMs;
    // Before the first sample has frames in it, the timer's latest frame stands in.
    if (cpu === undefined || (this.graph && gpu === undefined)) {
      const times = this.timer.read();
      cpu ??= finite(times.cpuMs);
      gpu ??= finite(times.gpuMs);
    }
    setData(this.cpuText, formatMs(cpu));
    if (!this.graph) return;
    setData(this.gpuText, formatMs(gpu));
    fitGraphCanvas(this.graph, GRAPH_WIDTH, GRAPH_HEIGHT);
    const top = drawMemoryGraph(this.graph, {
      history: this.history,
      now,
      current: gpu ?? 0,
      windowMs,
      budgetBytes: undefined,
      floor: GPU_GRAPH_FLOOR_MS,
    });
    setData(this.graphMaxText, `max ${formatMs(top)}`);
  }

  /** Drops the history (the overlay was destroyed). */
  clear(): void {
    this.history.clear();
  }
}

/** Writes only on change, as the panel does. */
function setData(text: Text, value: string): void {
  if (text.data !== value) text.data = value;
}
