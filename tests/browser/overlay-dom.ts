/**
 * Reads a stats overlay's figures from its DOM (the text a person sees and the exact-bytes tooltips), and
 * computes what they must be for given manager stats. Tests compare the two; neither reads overlay internals.
 */
import type { Page } from 'puppeteer-core';
import type { LedgerKind, LedgerSnapshot } from '../../src/ledger.ts';
import { formatBytes, formatCount, formatExactBytes, formatPercent } from '../../src/overlay/format.ts';

/** A byte figure as displayed: human text and the exact tooltip. */
export interface ShownBytes {
  readonly text: string;
  readonly title: string;
}

/** Everything an expanded overlay shows, as text. */
export interface OverlayFigures {
  readonly headline: string;
  readonly totalBytes: ShownBytes;
  readonly totalCount: string;
  readonly swapChainBytes: ShownBytes;
  readonly pageBytes: ShownBytes;
  readonly peakBytes: ShownBytes;
  readonly pendingFreeBytes: ShownBytes;
  readonly kinds: Readonly<Record<LedgerKind, { readonly count: string; readonly bytes: ShownBytes }>>;
  /** The budget line, `null` when the bar is hidden. */
  readonly budget: string | null;
}

/**
 * The figures of the `index`-th overlay of the page, read from its shadow DOM; `undefined` when there is none.
 *
 * @example
 * const shown = await readOverlay(page);
 */
export function readOverlay(page: Page, index = 0): Promise<OverlayFigures | undefined> {
  return page.evaluate((i) => {
    const root = document.querySelectorAll('[data-gpu-handles-overlay]')[i]?.shadowRoot;
    if (!root) return undefined;
    const el = (scope: ParentNode, stat: string) => {
      const found = scope.querySelector(`[data-stat="${stat}"]`);
      if (!found) throw new Error(`overlay has no [data-stat="${stat}"]`);
      return found;
    };
    const bytes = (scope: ParentNode, stat: string) => {
      const e = el(scope, stat);
      return { text: e.textContent ?? '', title: e.getAttribute('title') ?? '' };
    };
    const kinds: Record<string, { count: string; bytes: { text: string; title: string } }> = {};
    for (const row of root.querySelectorAll<HTMLElement>('tr[data-kind]')) {
      kinds[row.dataset.kind!] = { count: el(row, 'count').textContent ?? '', bytes: bytes(row, 'bytes') };
    }
    const budget = el(root, 'budget');
    return {
      headline: el(root, 'headline').textContent ?? '',
      totalBytes: bytes(root, 'totalBytes'),
      totalCount: el(root, 'totalCount').textContent ?? '',
      swapChainBytes: bytes(root, 'swapChainBytes'),
      pageBytes: bytes(root, 'pageBytes'),
      peakBytes: bytes(root, 'peakBytes'),
      pendingFreeBytes: bytes(root, 'pendingFreeBytes'),
      kinds,
      budget: budget.closest('[hidden]') ? null : (budget.textContent ?? ''),
    } as OverlayFigures;
  }, index);
}

/**
 * What an expanded overlay must show for `stats`, `swapChainBytes` estimated over `canvasCount` canvases, and
 * an optional budget.
 *
 * @example
 * expect(await readOverlay(page)).toEqual(expectedOverlay(stats, { budgetBytes: 64 * 2 ** 20 }));
 */
export function expectedOverlay(
  stats: LedgerSnapshot,
  options: { swapChainBytes?: number; canvasCount?: number; budgetBytes?: number } = {},
): OverlayFigures {
  const swap = options.swapChainBytes ?? 0;
  const shown = (n: number): ShownBytes => ({ text: formatBytes(n), title: formatExactBytes(n) });
  const page = stats.totalBytes + swap;
  const kinds = {} as Record<LedgerKind, { count: string; bytes: ShownBytes }>;
  for (const [kind, usage] of Object.entries(stats.byKind) as [
    LedgerKind,
    { bytes: number; count: number },
  ][]) {
    kinds[kind] = { count: formatCount(usage.count), bytes: shown(usage.bytes) };
  }
  const budget = options.budgetBytes;
  return {
    headline: formatBytes(page),
    totalBytes: shown(stats.totalBytes),
    totalCount: formatCount(stats.totalCount),
    swapChainBytes:
      (options.canvasCount ?? 0) === 0
        ? { text: formatBytes(swap), title: 'no canvas registered' }
        : shown(swap),
    pageBytes: shown(page),
    peakBytes: shown(stats.peakBytes),
    pendingFreeBytes: shown(stats.pendingFreeBytes),
    kinds,
    budget:
      budget === undefined
        ? null
        : `${formatBytes(page)} of ${formatBytes(budget)} (${formatPercent(page / budget)})`,
  };
}

/** The frame-time section as shown: `undefined` when the overlay has none (no `frameTimer`). */
export interface ShownFrameTime {
  /** False while the panel is collapsed (the figures below are then what was last written). */
  readonly visible: boolean;
  /** Text of the CPU and GPU figures (`16.7 ms`, `–` before a measure); GPU `null` when not shown. */
  readonly cpu: string;
  readonly gpu: string | null;
  /** The unsupported reason line, `null` when not shown. */
  readonly unsupported: string | null;
  /** Samples of the GPU graph (its `data-samples`), `null` without a graph. */
  readonly graphSamples: number | null;
  /** The GPU graph's scale caption (`max 1.23 ms`). */
  readonly graphMax: string | null;
  /** Non-background pixels on the GPU graph's canvas (the drawn line and fill). */
  readonly graphPixels: number;
}

/**
 * Reads the frame-time section of the `index`-th overlay of the page from its shadow DOM (a figure the section
 * hides reads `null`).
 *
 * @example
 * const shown = await readFrameTime(page); // { cpu: '16.7 ms', gpu: '0.512 ms', ... }
 */
export function readFrameTime(page: Page, index = 0): Promise<ShownFrameTime | undefined> {
  return page.evaluate((i) => {
    const root = document.querySelectorAll('[data-gpu-handles-overlay]')[i]?.shadowRoot;
    if (!root) throw new Error(`the page has no overlay #${i}`);
    const section = root.querySelector<HTMLElement>('[data-section="frameTime"]');
    if (!section) return undefined;
    // Hidden by the section itself (not by a collapsed panel, which `visible` reports).
    const shown = (stat: string) => {
      const element = section.querySelector<HTMLElement>(`[data-stat="${stat}"]`);
      for (let e: HTMLElement | null = element; e && e !== section; e = e.parentElement) {
        if (e.hidden) return null;
      }
      return element ? (element.textContent ?? '') : null;
    };
    const canvas = section.querySelector('canvas');
    let graphPixels = 0;
    const ctx = canvas?.getContext('2d');
    if (canvas && ctx) {
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      // A drawn graph has an opaque #1f232c background; the line and fill are anything else that is opaque
      // (a canvas never drawn is transparent).
      for (let p = 0; p < data.length; p += 4) {
        const background = data[p] === 0x1f && data[p + 1] === 0x23 && data[p + 2] === 0x2c;
        if (data[p + 3] !== 0 && !background) graphPixels++;
      }
    }
    return {
      visible: section.checkVisibility(),
      cpu: shown('cpuFrameMs') ?? '',
      gpu: shown('gpuFrameMs'),
      unsupported: shown('gpuUnsupported'),
      graphSamples: canvas ? Number(canvas.getAttribute('data-samples')) : null,
      graphMax: shown('gpuGraphMax'),
      graphPixels,
    };
  }, index);
}
