/**
 * The overlay's optional "biggest resources" list (`createStatsOverlay(manager, { biggest: 5 })`): the N
 * largest groups of live resources, a group being every resource of one kind with one label (an engine's
 * 300 buffers labelled 'glyph quad' are one row, "×300", which is what one wants to see first).
 *
 * Cost: the ledger has no per-resource order, so a repaint with the list open reads `source.leaks()` (one
 * pass over the live resources) and keeps the top N in a small sorted array: O(resources × N), at most once
 * per repaint (4 a second by default), nothing while collapsed, nothing at all without the option.
 */
import { ValidationError } from '../errors.ts';
import { readOption, readOptionBag } from '../monitor/read-options.ts';
import { formatBytes, formatExactBytes } from './format.ts';

/** The option this module adds to `createStatsOverlay`. */
export interface BiggestResourcesOption {
  /**
   * Shows the `biggest` largest resource groups (same kind and label) under the kind table, an integer from
   * 1 to {@link MAX_BIGGEST}. The source must also have `leaks()` (every resource manager has).
   */
  biggest?: number;
}

/** What the list reads: a resource manager fits. */
export interface ResourceListSource {
  leaks(): readonly { readonly kind: string; readonly label: string; readonly bytes: number }[];
}

/** One row of the list. */
export interface BiggestRow {
  readonly kind: string;
  readonly label: string;
  readonly bytes: number;
  /** Resources in the group. */
  readonly count: number;
}

/** The longest list the overlay shows (it is a glance, not a report: use the dump viewer for more). */
export const MAX_BIGGEST = 50;

const LABEL = 'stats overlay';

/**
 * Reads and checks the `biggest` option; `undefined` when it is not given.
 *
 * @throws ValidationError when it is not an integer from 1 to 50, or the source has no `leaks()`.
 * @example
 * const n = readBiggestOption(manager, { biggest: 5 }); // 5
 */
export function readBiggestOption(source: unknown, options: unknown): number | undefined {
  const value = readOption(readOptionBag(LABEL, 'options', options, false), 'biggest');
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_BIGGEST) {
    throw new ValidationError(
      LABEL,
      'biggest',
      value,
      `must be an integer from 1 to ${MAX_BIGGEST} or undefined`,
    );
  }
  let listable = false;
  try {
    listable = typeof (source as Partial<ResourceListSource>).leaks === 'function';
  } catch {
    listable = false; // a Proxy whose traps throw lists nothing
  }
  if (!listable) {
    throw new ValidationError(
      LABEL,
      'biggest',
      value,
      'needs a source with a leaks() method listing its resources (a resource manager has one)',
    );
  }
  return value as number;
}

/**
 * The `n` largest groups of `resources` by kind and label, largest first (ties: by label, then kind).
 *
 * @example
 * biggestByLabel([{ kind: 'buffer', label: 'q', bytes: 4 }, { kind: 'buffer', label: 'q', bytes: 4 }], 5);
 * // [{ kind: 'buffer', label: 'q', bytes: 8, count: 2 }]
 */
export function biggestByLabel(
  resources: readonly { readonly kind: string; readonly label: string; readonly bytes: number }[],
  n: number,
): BiggestRow[] {
  const groups = new Map<string, { kind: string; label: string; bytes: number; count: number }>();
  for (const { kind, label, bytes } of resources) {
    const key = `${kind}\u0000${label}`;
    const group = groups.get(key);
    if (group) {
      group.bytes += bytes;
      group.count++;
    } else groups.set(key, { kind, label, bytes, count: 1 });
  }
  const top: BiggestRow[] = [];
  const before = (a: BiggestRow, b: BiggestRow) =>
    a.bytes !== b.bytes ? a.bytes > b.bytes : a.label !== b.label ? a.label < b.label : a.kind < b.kind;
  for (const group of groups.values()) {
    if (top.length === n && !before(group, top[n - 1]!)) continue;
    let i = top.length;
    while (i > 0 && before(group, top[i - 1]!)) i--;
    top.splice(i, 0, group);
    if (top.length > n) top.pop();
  }
  return top;
}

/** Styles of the list, added to the overlay's shadow root. */
export const BIGGEST_STYLE = `
.biggest { margin: 2px 0 4px; }
.biggest .heading { color: #9aa3b2; font-size: 10px; }
.biggest ol { list-style: none; margin: 0; padding: 0; }
.biggest li { display: flex; gap: 6px; }
.biggest .name { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.biggest .size { text-align: right; }
`;

/**
 * The list's DOM: `n` rows built once (`data-biggest-row="0"`...), each updated in place; unused rows hidden.
 *
 * @example
 * const list = new BiggestResourcesList(document, 5);
 * list.update(biggestByLabel(manager.leaks(), 5));
 */
export class BiggestResourcesList {
  readonly element: HTMLElement;
  private readonly rows: { item: HTMLElement; name: Text; size: Text; sizeElement: HTMLElement }[] = [];

  constructor(doc: Document, n: number) {
    this.element = doc.createElement('div');
    this.element.className = 'biggest';
    this.element.setAttribute('data-stat', 'biggest');
    const heading = doc.createElement('div');
    heading.className = 'heading';
    heading.textContent = `biggest ${n} by label`;
    const list = doc.createElement('ol');
    for (let i = 0; i < n; i++) {
      const item = doc.createElement('li');
      item.setAttribute('data-biggest-row', String(i));
      item.hidden = true;
      const nameElement = doc.createElement('span');
      nameElement.className = 'name';
      const sizeElement = doc.createElement('span');
      sizeElement.className = 'size';
      const name = doc.createTextNode('');
      const size = doc.createTextNode('');
      nameElement.append(name);
      sizeElement.append(size);
      item.append(nameElement, sizeElement);
      list.append(item);
      this.rows.push({ item, name, size, sizeElement });
    }
    this.element.append(heading, list);
  }

  /** Writes `rows` into the existing nodes; a node is touched only when its text changes. */
  update(rows: readonly BiggestRow[]): void {
    for (const [i, row] of this.rows.entries()) {
      const figures = rows[i];
      if (row.item.hidden !== (figures === undefined)) row.item.hidden = figures === undefined;
      if (!figures) continue;
      const name = `${figures.label || `(${figures.kind})`}${figures.count > 1 ? ` ×${figures.count}` : ''}`;
      if (row.name.data !== name) row.name.data = name;
      const size = formatBytes(figures.bytes);
      if (row.size.data !== size) row.size.data = size;
      const title = `${figures.kind}: ${formatExactBytes(figures.bytes)}`;
      if (row.sizeElement.title !== title) row.sizeElement.title = title;
    }
  }
}
