/**
 * The playground's live table of resources: one row per live handle, added on the manager's `create` event and
 * removed on `destroy`, with ages refreshed once a second. Rows are keyed by handle, so an update touches only
 * the row that changed.
 */
import {
  type AnyHandle,
  type BackendObjects,
  formatHandle,
  type GraphicsResource,
  type ResourceManager,
  unpackHandle,
} from '../../src/index.ts';
import { formatBytes, formatExactBytes } from '../../src/overlay/format.ts';

interface Row {
  readonly tr: HTMLTableRowElement;
  readonly age: Text;
  readonly createdAt: number;
}

const KIND_NAMES: Readonly<Record<string, string>> = {
  texture: 'texture',
  buffer: 'buffer',
  shader: 'shader',
  renderTarget: 'render target',
};

/**
 * Mirrors a manager's live resources into a `<tbody>`; each row has a destroy button that calls `onDestroy`.
 *
 * @example
 * const table = new ResourceTableView(tbody, empty, manager, (handle) => manager.destroy(handle));
 * // later
 * table.dispose();
 */
export class ResourceTableView<B extends BackendObjects> {
  private readonly rows = new Map<AnyHandle, Row>();
  private readonly unsubscribe: (() => void)[];
  private readonly ageTimer: ReturnType<typeof setInterval>;

  constructor(
    private readonly tbody: HTMLTableSectionElement,
    private readonly empty: HTMLElement,
    manager: ResourceManager<B>,
    onDestroy: (handle: AnyHandle) => void,
  ) {
    for (const record of manager.resources()) this.add(record);
    this.unsubscribe = [
      manager.on('create', (record) => this.add(record)),
      manager.on('destroy', ({ record }) => this.remove(record.handle)),
    ];
    tbody.addEventListener('click', (event) => {
      const button = (event.target as Element).closest('button[data-handle]');
      if (button) onDestroy(Number(button.getAttribute('data-handle')) as AnyHandle);
    });
    this.ageTimer = setInterval(() => this.refreshAges(), 1000);
    this.refreshEmpty();
  }

  /** Live rows. */
  get size(): number {
    return this.rows.size;
  }

  /** Stops following the manager. */
  dispose(): void {
    for (const off of this.unsubscribe) off();
    clearInterval(this.ageTimer);
  }

  private add(record: GraphicsResource): void {
    const { index, generation } = unpackHandle(record.handle);
    const tr = document.createElement('tr');
    tr.setAttribute('data-handle', String(record.handle));
    const age = document.createTextNode(formatAge(0));
    const cells: [string | Node, string?][] = [
      [formatHandle(record.handle)],
      [String(index), 'num'],
      [String(generation), 'num'],
      [KIND_NAMES[record.kind] ?? record.kind],
      [record.label || '(unlabelled)'],
      [formatBytes(record.bytes), 'num'],
      [age, 'num'],
    ];
    for (const [content, className] of cells) {
      const td = document.createElement('td');
      if (className) td.className = className;
      td.append(content);
      tr.append(td);
    }
    tr.children[5]!.setAttribute('title', formatExactBytes(record.bytes));
    const action = document.createElement('td');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'destroy';
    button.setAttribute('data-handle', String(record.handle));
    action.append(button);
    tr.append(action);
    this.tbody.append(tr);
    this.rows.set(record.handle, { tr, age, createdAt: record.metrics.createdAt });
    this.refreshEmpty();
  }

  private remove(handle: AnyHandle): void {
    const row = this.rows.get(handle);
    if (!row) return;
    row.tr.remove();
    this.rows.delete(handle);
    this.refreshEmpty();
  }

  private refreshAges(): void {
    const now = performance.now();
    for (const row of this.rows.values()) {
      const text = formatAge(now - row.createdAt);
      if (row.age.data !== text) row.age.data = text;
    }
  }

  private refreshEmpty(): void {
    this.empty.hidden = this.rows.size > 0;
  }
}

function formatAge(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
