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
