/**
 * Stress: thousands of creates and destroys per second through one manager, with the overlay on top. The
 * figures show that the table and the ledger stay flat and that slots are reused with a new generation.
 */
import {
  type BackendObjects,
  createResourceManager,
  createStatsOverlay,
  formatHandle,
  type ResourceManager,
  unpackHandle,
} from '../../src/index.ts';
import { formatBytes, formatCount } from '../../src/overlay/format.ts';
import { offerDump } from '../shared/dump-share.ts';
import { requireElement, startDemo } from '../shared/page.ts';
import type { DemoHookBase } from '../shared/test-hook.ts';
import { BudgetLab, LAB_TEXTURE_BYTES } from './budget-lab.ts';
import { Churn } from './churn.ts';
import type { StressHook } from './hook.ts';

/** Work per tick before yielding, so the page (and the overlay) stay responsive. */
const TICK_BUDGET_MS = 12;
const STEPS_PER_BATCH = 64;
const RECENT_ROWS = 8;

// No debug mode here: debug wraps every create in GPU error scopes, which is what the playground is for.
void startDemo('stress', {}, (backend) => {
  // One branch per backend so each call is typed for that backend's manager.
  const fields = backend.name === 'webgpu' ? runStress(backend.manager) : runStress(backend.manager);
  // Staging counts against the lab's budget: chunks of one texture, trimmed at each flush.
  const staging = {
    uploadChunkBytes: LAB_TEXTURE_BYTES,
    maxChunkBytes: LAB_TEXTURE_BYTES,
    keepBytes: LAB_TEXTURE_BYTES,
    idleMs: 0,
  };
  const slider = requireElement('budget-slider', HTMLInputElement);
  const sliderValue = requireElement('budget-value', HTMLElement);
  const budget = () => Number(slider.value) * 2 ** 20;
  const createLab = (bytes: number) =>
    backend.name === 'webgpu'
      ? new BudgetLab(
          (budgetBytes) =>
            createResourceManager({ device: backend.device, budget: { bytes: budgetBytes }, staging }),
          bytes,
        )
      : new BudgetLab(
          (budgetBytes) => createResourceManager({ gl: backend.gl, budget: { bytes: budgetBytes }, staging }),
          bytes,
        );
  // Started by the first move of the slider: until then the page runs the churn alone (and one overlay).
  let lab: ReturnType<typeof createLab> | undefined;
  const applyBudget = (bytes: number) => {
    if (lab) lab.setBudget(bytes);
    else {
      lab = createLab(bytes);
      lab.start();
    }
  };
  const startedLab = () => {
    if (!lab) throw new Error('the budget lab starts when the budget slider is moved');
    return lab;
  };
  const showBudget = () => {
    sliderValue.textContent = formatBytes(budget());
  };
  showBudget();
  slider.addEventListener('input', showBudget);
  slider.addEventListener('change', () => applyBudget(budget()));
  const budgetLab = {
    setBudget: (bytes: number) => {
      slider.value = String(bytes / 2 ** 20);
      showBudget();
      applyBudget(bytes);
    },
    figures: () => startedLab().figures(),
    get manager() {
      return startedLab().manager;
    },
    get overlay() {
      return startedLab().overlay;
    },
  };
  return { ...fields, backend: backend.name, budgetLab };
});

function runStress<B extends BackendObjects>(
  manager: ResourceManager<B>,
): Omit<StressHook, keyof DemoHookBase | 'backend' | 'manager' | 'budgetLab'> & {
  manager: ResourceManager<B>;
} {
  const overlay = createStatsOverlay(manager);
  offerDump(manager, 'stress');
  const windowInput = requireElement('stress-window', HTMLInputElement);
  const toggle = requireElement('stress-toggle', HTMLButtonElement);
  const churn = new Churn(manager, Number(windowInput.value));
  const text = (id: string) => {
    const node = document.createTextNode('');
    requireElement(id, HTMLElement).replaceChildren(node);
    return node;
  };
  const out = {
    rate: text('stress-rate'),
    created: text('stress-created'),
    live: text('stress-live'),
    bytes: text('stress-bytes'),
    maxSlot: text('stress-max-slot'),
    maxGeneration: text('stress-max-generation'),
    lastHandle: text('stress-last-handle'),
  };
  // The "latest handles" rows are built once; updates only change their text.
  const recentRows = Array.from({ length: RECENT_ROWS }, () => {
    const tr = document.createElement('tr');
    const cells = Array.from({ length: 5 }, (_, i) => {
      const td = document.createElement('td');
      if (i === 1 || i === 2 || i === 4) td.className = 'num';
      const node = document.createTextNode('');
      td.append(node);
      tr.append(td);
      return node;
    });
    requireElement('stress-recent-rows', HTMLTableSectionElement).append(tr);
    return cells;
  });

  let running = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let minBytes = Number.POSITIVE_INFINITY;
  let maxBytes = 0;
  let rate = 0;
  let rateFrom = { time: performance.now(), created: 0 };

  const tick = () => {
    const start = performance.now();
    while (performance.now() - start < TICK_BUDGET_MS) churn.step(STEPS_PER_BATCH);
    if (churn.figures.created >= churn.windowSize) {
      const { totalBytes } = manager.stats();
      minBytes = Math.min(minBytes, totalBytes);
      maxBytes = Math.max(maxBytes, totalBytes);
    }
    timer = running ? setTimeout(tick, 0) : undefined;
  };

  const start = () => {
    if (running) return;
    running = true;
    toggle.textContent = 'Stop';
    rateFrom = { time: performance.now(), created: churn.figures.created };
    timer = setTimeout(tick, 0);
  };
  const stop = () => {
    running = false;
    toggle.textContent = 'Start';
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  const show = () => {
    const now = performance.now();
    if (now - rateFrom.time >= 1000) {
      rate = ((churn.figures.created - rateFrom.created) * 1000) / (now - rateFrom.time);
      rateFrom = { time: now, created: churn.figures.created };
    }
    const f = churn.figures;
    const stats = manager.stats();
    out.rate.data = running ? formatCount(rate) : 'stopped';
    out.created.data = formatCount(f.created);
    out.live.data = `${formatCount(stats.active)} (window ${formatCount(churn.windowSize)})`;
    out.bytes.data =
      maxBytes === 0 ? formatBytes(stats.totalBytes) : `${formatBytes(minBytes)} – ${formatBytes(maxBytes)}`;
    out.maxSlot.data = formatCount(f.maxSlotIndex);
    out.maxGeneration.data = formatCount(f.maxGeneration);
    out.lastHandle.data = f.lastHandle === undefined ? '—' : describe(f.lastHandle);
    const recent = churn.recent(RECENT_ROWS);
    recentRows.forEach((cells, i) => {
      const handle = recent[i];
      const record = handle === undefined ? undefined : manager.get(handle);
      const { index, generation } = handle === undefined ? { index: 0, generation: 0 } : unpackHandle(handle);
      const values = record
        ? [
            formatHandle(record.handle),
            String(index),
            String(generation),
            record.kind,
            formatBytes(record.bytes),
          ]
        : ['', '', '', '', ''];
      cells.forEach((cell, c) => {
        if (cell.data !== values[c]) cell.data = values[c]!;
      });
    });
  };
  setInterval(show, 250);

  toggle.addEventListener('click', () => (running ? stop() : start()));
  windowInput.addEventListener('change', () => {
    const size = Number(windowInput.value);
    try {
      churn.resize(size);
      minBytes = Number.POSITIVE_INFINITY;
      maxBytes = 0;
    } catch (error) {
      windowInput.value = String(churn.windowSize);
      console.warn(error);
    }
  });
  start();

  return {
    manager,
    overlay,
    start,
    stop,
    clear: () => {
      stop();
      churn.clear();
    },
    running: () => running,
    figures: () => ({ ...churn.figures }),
    windowSize: () => churn.windowSize,
    maxBytes: () => churn.maxBytes,
  };
}

function describe(handle: number): string {
  const { index, generation } = unpackHandle(handle);
  return `${formatHandle(handle)} (slot ${index}, generation ${generation})`;
}
