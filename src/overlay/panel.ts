/**
 * The overlay's DOM: built once, inside an open shadow root (so the page's CSS cannot restyle it and its own
 * stylesheet cannot leak into the page), then only updated in place. Every figure is a Text node whose `data`
 * is set when the figure changes, so an update never adds or removes a node.
 */
import { KINDS } from '../core/kinds.ts';
import { LEDGER_KINDS, type LedgerKind, type LedgerSnapshot } from '../ledger.ts';
import { formatBytes, formatCount, formatExactBytes, formatPercent } from './format.ts';

/** Which corner of its parent the overlay sits in. */
export type OverlayPosition = 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';

/** What the panel shows; the overlay computes it, the panel only displays it. */
export interface PanelFigures {
  readonly stats: LedgerSnapshot;
  /** Estimated bytes of the registered canvases' swap chains. */
  readonly swapChainBytes: number;
  /** Registered canvases. */
  readonly canvasCount: number;
  readonly budgetBytes: number | undefined;
  /** The manager's budget figures; absent when the manager has no budget. */
  readonly residency?: ResidencyFigures | undefined;
  /** The last restore after a device or context loss; absent before the first. */
  readonly lastRestore?: RestoreFigures | undefined;
}

/** Budget figures of a manager with `budget` (bytes from its ledger, rates over the last sample interval). */
export interface ResidencyFigures {
  readonly budgetBytes: number;
  readonly evictionsPerSecond: number;
  readonly reuploadedBytesPerSecond: number;
}

/** What the last restore brought back (the `restored` event's report, summarised). */
export interface RestoreFigures {
  readonly restored: number;
  readonly durationMs: number;
  readonly empty: number;
  readonly failed: number;
}

/** The names of the figures in `data-stat` attributes (a stable contract for tests and users' tooling). */
export type PanelStat =
  | 'headline'
  | 'totalBytes'
  | 'totalCount'
  | 'swapChainBytes'
  | 'pageBytes'
  | 'peakBytes'
  | 'pendingFreeBytes'
  | 'budget'
  | 'graphMax'
  | 'managerBudget'
  | 'residentBytes'
  | 'evictedBytes'
  | 'hostBytes'
  | 'evictionRate'
  | 'reuploadRate'
  | 'lostCount'
  | 'lastRestore'
  | 'cpuFrameMs'
  | 'gpuFrameMs'
  | 'gpuUnsupported'
  | 'gpuGraphMax';

/** The row name of a ledger kind: the kind table's display name, or `staging`. */
function kindName(kind: LedgerKind): string {
  return kind === 'staging' ? 'staging' : KINDS[kind].displayName;
}

/** Graph size in CSS pixels. */
export const GRAPH_WIDTH = 224;
export const GRAPH_HEIGHT = 56;

const STYLE = `
:host { all: initial; }
.panel { box-sizing: border-box; width: 248px; padding: 6px 8px; border-radius: 6px;
  font: 11px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: #e6e6e6;
  background: rgba(18, 20, 26, 0.9); border: 1px solid #3a3f4b; box-shadow: 0 2px 8px rgba(0, 0, 0, 0.4); }
header { display: flex; align-items: center; gap: 6px; }
button { all: unset; cursor: pointer; width: 14px; text-align: center; color: #9ab; }
button:focus-visible { outline: 1px solid #9cf; }
.title { font-weight: bold; flex: 1; }
.headline { color: #fff; }
[hidden] { display: none !important; }
dl { display: grid; grid-template-columns: 1fr auto; margin: 6px 0 4px; gap: 0 8px; }
dt { color: #9aa3b2; } dd { margin: 0; text-align: right; }
table { width: 100%; border-collapse: collapse; margin: 2px 0 4px; }
th { font-weight: normal; text-align: left; color: #9aa3b2; }
td { text-align: right; padding-left: 8px; }
thead th { font-size: 10px; text-align: right; } thead th:first-child { text-align: left; }
.budget { margin: 2px 0 4px; }
.bar { height: 6px; background: #2a2e38; border-radius: 3px; overflow: hidden; margin-bottom: 2px; }
.fill { height: 100%; width: 0; background: #4caf7a; }
.fill.over { background: #e0564f; }
.graph { display: block; width: ${GRAPH_WIDTH}px; height: ${GRAPH_HEIGHT}px; margin-top: 2px; }
.caption { display: flex; justify-content: space-between; color: #9aa3b2; font-size: 10px; }
`;

interface Field {
  readonly element: HTMLElement;
  readonly text: Text;
}

/**
 * The overlay panel's DOM. Internal to the overlay: use `createStatsOverlay`.
 */
export class OverlayPanel {
  /** The element inserted into the page; everything else lives in its shadow root. */
  readonly host: HTMLElement;
  readonly root: ShadowRoot;
  readonly graph: HTMLCanvasElement;
  readonly toggle: HTMLButtonElement;
  private readonly body: HTMLElement;
  private readonly toggleText: Text;
  private readonly budgetRow: HTMLElement;
  private readonly budgetFill: HTMLElement;
  private readonly residencyList: HTMLElement;
  private readonly lostRow: HTMLElement[];
  private readonly restoreRow: HTMLElement[];
  private readonly fields = new Map<string, Field>();
  private readonly doc: Document;

  constructor(doc: Document, options: { title: string; position: OverlayPosition; fixed: boolean }) {
    this.doc = doc;
    this.host = doc.createElement('div');
    this.host.setAttribute('data-gpu-handles-overlay', '');
    // The only styles outside the shadow root: inline, on our own element, to place it.
    const [vertical, horizontal] = options.position.split('-') as ['top' | 'bottom', 'left' | 'right'];
    Object.assign(this.host.style, {
      position: options.fixed ? 'fixed' : 'absolute',
      [vertical]: '8px',
      [horizontal]: '8px',
      zIndex: '2147483000',
    });
    this.root = this.host.attachShadow({ mode: 'open' });
    const style = doc.createElement('style');
    style.textContent = STYLE;

    const panel = this.el('section', 'panel');
    panel.setAttribute('aria-label', options.title);
    const header = this.el('header');
    this.toggle = this.el('button');
    this.toggle.type = 'button';
    this.toggle.setAttribute('aria-expanded', 'true');
    this.toggle.title = 'collapse / expand';
    this.toggleText = doc.createTextNode('▾');
    this.toggle.append(this.toggleText);
    const title = this.el('span', 'title');
    title.textContent = options.title;
    header.append(this.toggle, title, this.field('headline', 'span', 'headline'));

    this.body = this.el('div', 'body');
    const totals = this.el('dl');
    const rows: [PanelStat, string][] = [
      ['totalBytes', 'manager'],
      ['totalCount', 'live resources'],
      ['swapChainBytes', 'swap chain'],
      ['pageBytes', 'page total'],
      ['peakBytes', 'peak (manager)'],
      ['pendingFreeBytes', 'pending free'],
    ];
    for (const [stat, name] of rows) {
      const dt = this.el('dt');
      dt.textContent = name;
      totals.append(dt, this.field(stat, 'dd'));
    }

    this.budgetRow = this.el('div', 'budget');
    const bar = this.el('div', 'bar');
    this.budgetFill = this.el('div', 'fill');
    bar.append(this.budgetFill);
    this.budgetRow.append(bar, this.field('budget', 'div'));
    this.budgetRow.hidden = true;

    // Shown only for a manager with a budget: what eviction is doing.
    this.residencyList = this.el('dl');
    this.residencyList.setAttribute('data-section', 'residency');
    const residencyRows: [PanelStat, string][] = [
      ['managerBudget', 'budget (manager)'],
      ['residentBytes', 'resident'],
      ['evictedBytes', 'evicted'],
      ['hostBytes', 'host (CPU)'],
      ['evictionRate', 'evictions/s'],
      ['reuploadRate', 're-uploaded/s'],
    ];
    for (const [stat, name] of residencyRows) {
      const dt = this.el('dt');
      dt.textContent = name;
      this.residencyList.append(dt, this.field(stat, 'dd'));
    }
    this.residencyList.hidden = true;
    const lossRows = (stat: PanelStat, name: string): HTMLElement[] => {
      const dt = this.el('dt');
      dt.textContent = name;
      const dd = this.field(stat, 'dd');
      dt.hidden = true;
      dd.hidden = true;
      totals.append(dt, dd);
      return [dt, dd];
    };
    this.lostRow = lossRows('lostCount', 'lost (device)');
    this.restoreRow = lossRows('lastRestore', 'last restore');

    const table = this.el('table');
    const head = this.el('thead');
    head.innerHTML = '<tr><th>kind</th><th>count</th><th>bytes</th></tr>';
    const tbody = this.el('tbody');
    for (const kind of LEDGER_KINDS) {
      const tr = this.el('tr');
      tr.setAttribute('data-kind', kind);
      const th = this.el('th');
      th.textContent = kindName(kind);
      tr.append(
        th,
        this.field(`${kind}.count`, 'td', undefined, 'count'),
        this.field(`${kind}.bytes`, 'td', undefined, 'bytes'),
      );
      tbody.append(tr);
    }
    table.append(head, tbody);

    this.graph = this.el('canvas', 'graph');
    this.graph.width = GRAPH_WIDTH;
    this.graph.height = GRAPH_HEIGHT;
    this.graph.setAttribute('role', 'img');
    this.graph.setAttribute('aria-label', 'GPU memory over the last minute');
    const caption = this.el('div', 'caption');
    const windowLabel = this.el('span');
    windowLabel.textContent = 'last 60 s';
    caption.append(windowLabel, this.field('graphMax', 'span'));

    this.body.append(totals, this.budgetRow, this.residencyList, table, this.graph, caption);
    panel.append(header, this.body);
    this.root.append(style, panel);
  }

  /** True while the body is hidden. */
  get collapsed(): boolean {
    return this.body.hidden === true;
  }

  /** Shows or hides everything but the header. */
  setCollapsed(collapsed: boolean): void {
    this.body.hidden = collapsed;
    this.toggle.setAttribute('aria-expanded', String(!collapsed));
    this.setData(this.toggleText, collapsed ? '▸' : '▾');
  }

  /**
   * Writes the figures into the existing nodes. The header always; the body only while expanded (hidden
   * text is not worth updating, and expanding calls this again).
   */
  update(figures: PanelFigures): void {
    const { stats, swapChainBytes, budgetBytes } = figures;
    const pageBytes = stats.totalBytes + swapChainBytes;
    this.setBytes('headline', pageBytes);
    if (this.collapsed) return;
    this.setBytes('totalBytes', stats.totalBytes);
    this.setText('totalCount', formatCount(stats.totalCount));
    this.setBytes(
      'swapChainBytes',
      swapChainBytes,
      figures.canvasCount === 0 ? 'no canvas registered' : undefined,
    );
    this.setBytes('pageBytes', pageBytes);
    this.setBytes('peakBytes', stats.peakBytes);
    this.setBytes('pendingFreeBytes', stats.pendingFreeBytes);
    for (const kind of LEDGER_KINDS) {
      const usage = stats.byKind[kind];
      this.setText(`${kind}.count`, formatCount(usage.count));
      this.setBytes(`${kind}.bytes`, usage.bytes);
    }
    this.updateResidency(figures);
    this.budgetRow.hidden = budgetBytes === undefined;
    if (budgetBytes !== undefined) {
      const fraction = pageBytes / budgetBytes;
      this.setText(
        'budget',
        `${formatBytes(pageBytes)} of ${formatBytes(budgetBytes)} (${formatPercent(fraction)})`,
      );
      const width = `${Math.min(100, fraction * 100).toFixed(1)}%`;
      if (this.budgetFill.style.width !== width) this.budgetFill.style.width = width;
      this.budgetFill.classList.toggle('over', fraction > 1);
    }
  }

  /** The budget rows (manager with a budget), the lost count (while any) and the last restore (once any). */
  private updateResidency({ stats, residency, lastRestore }: PanelFigures): void {
    this.residencyList.hidden = residency === undefined;
    if (residency) {
      this.setBytes('managerBudget', residency.budgetBytes);
      this.setBytes('residentBytes', stats.totalBytes + stats.pendingFreeBytes);
      this.setBytes('evictedBytes', stats.evicted.bytes);
      this.setBytes('hostBytes', stats.hostBytes);
      this.setText('evictionRate', formatCount(Math.round(residency.evictionsPerSecond)));
      this.setText('reuploadRate', `${formatBytes(Math.round(residency.reuploadedBytesPerSecond))}/s`);
    }
    const lost = stats.lost.count;
    for (const element of this.lostRow) element.hidden = lost === 0;
    if (lost > 0) this.setText('lostCount', `${formatCount(lost)} (${formatBytes(stats.lost.bytes)})`);
    for (const element of this.restoreRow) element.hidden = lastRestore === undefined;
    if (lastRestore) {
      const { restored, durationMs, empty, failed } = lastRestore;
      const notes = [empty > 0 ? `${empty} empty` : '', failed > 0 ? `${failed} failed` : '']
        .filter(Boolean)
        .join(', ');
      this.setText(
        'lastRestore',
        `${formatCount(restored)} in ${Math.round(durationMs)} ms${notes ? ` (${notes})` : ''}`,
      );
    }
  }

  /**
   * Adds an optional section (with its styles): after the kind table (the biggest resources list), or with
   * `'end'` after the memory graph (the frame-time section, which has a graph of its own).
   */
  addSection(element: HTMLElement, style: string, place: 'beforeGraph' | 'end' = 'beforeGraph'): void {
    const sheet = this.doc.createElement('style');
    sheet.textContent = style;
    this.root.append(sheet);
    if (place === 'end') this.body.append(element);
    else this.graph.before(element);
  }

  /** Sets the graph's scale caption. */
  setGraphMax(bytes: number): void {
    this.setText('graphMax', `max ${formatBytes(bytes)}`);
  }

  private setBytes(stat: string, bytes: number, tooltip?: string): void {
    const field = this.fields.get(stat)!;
    this.setData(field.text, formatBytes(bytes));
    const title = tooltip ?? formatExactBytes(bytes);
    if (field.element.title !== title) field.element.title = title;
  }

  private setText(stat: string, value: string): void {
    this.setData(this.fields.get(stat)!.text, value);
  }

  /** Writes only on change: the DOM (and its observers) see nothing when a figure stays the same. */
  private setData(text: Text, value: string): void {
    if (text.data !== value) text.data = value;
  }

  /** A figure: an element with `data-stat` holding one Text node. */
  private field<T extends keyof HTMLElementTagNameMap>(
    key: string,
    tag: T,
    className?: string,
    stat = key,
  ): HTMLElementTagNameMap[T] {
    const element = this.el(tag, className);
    element.setAttribute('data-stat', stat);
    const text = this.doc.createTextNode('');
    element.append(text);
    this.fields.set(key, { element, text });
    return element;
  }

  private el<T extends keyof HTMLElementTagNameMap>(tag: T, className?: string): HTMLElementTagNameMap[T] {
    const element = this.doc.createElement(tag);
    if (className) element.className = className;
    return element;
  }
}
