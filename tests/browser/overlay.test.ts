/**
 * The stats overlay in real Chromium, on a bare page with a real manager: destroy() removes the DOM and every
 * subscription it made (counted by instrumenting the manager, EventTarget and the timer functions before the
 * overlay exists), it adds no global CSS, it collapses, it repaints at most every 250 ms and never rebuilds
 * its DOM.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManagerStats } from '../../src/manager/resource-manager.ts';
import { type BrowserSession, openPage, requireWebGPUAdapter, saveScreenshot } from '../support/browser.ts';
import { eventually, startDemoSession } from './demo-session.ts';
import { expectedOverlay, readOverlay } from './overlay-dom.ts';

let session: BrowserSession;
beforeAll(async () => {
  session = await startDemoSession();
});
afterAll(async () => {
  await session?.close();
});

/** What the tests keep on `window.__t` in the page. */
interface PageKit {
  // biome-ignore lint/suspicious/noExplicitAny: the library module, imported in the page by URL
  lib: any;
  manager: import('../../src/create.ts').WebGPUResourceManager;
  overlay?: import('../../src/overlay/stats-overlay.ts').StatsOverlay;
  buffers: number[];
}
declare global {
  interface Window {
    /** This test file's objects in the page. */
    __kit?: PageKit;
  }
}

/** A blank page of the dev server with the library imported (by URL) and a manager on a real device. */
async function openKit(): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(session, '/');
  console.log(`[browser] WebGPU adapter: ${await requireWebGPUAdapter(opened.page)}`);
  // A string, not a function: Vitest rewrites import() inside functions it compiles for Node.
  await opened.page.evaluate(`import('/src/index.ts').then((lib) => { window.__lib = lib; })`);
  await opened.page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: see PageKit
    const lib = (window as any).__lib;
    const adapter = await navigator.gpu.requestAdapter();
    const device = await adapter!.requestDevice();
    window.__kit = { lib, manager: lib.createResourceManager({ device }), buffers: [] };
  });
  return opened;
}

/** Creates `count` uniform buffers of `size` bytes in the page. */
function createBuffers(page: Page, count: number, size: number): Promise<void> {
  return page.evaluate(
    (n, bytes) => {
      const t = window.__kit!;
      for (let i = 0; i < n; i++)
        t.buffers.push(t.manager.createBuffer({ label: 'b', size: bytes, usage: 0x40 }));
    },
    count,
    size,
  );
}

const pageStats = (page: Page) => page.evaluate(() => window.__kit!.manager.stats() as ManagerStats);

describe('stats overlay', () => {
  it('destroy() removes its DOM and every listener, timer and manager subscription it added', async () => {
    const { page, errors } = await openKit();
    // Instrument before the overlay exists. Only what overlay code registers is counted (by call stack), so the
    // page's other timers do not blur the count; manager subscriptions are counted through the manager itself.
    await page.evaluate(() => {
      const t = window.__kit!;
      const fromOverlay = () => (new Error().stack ?? '').includes('/src/overlay/');
      const live = {
        subscriptions: 0,
        everSubscriptions: 0,
        listeners: new Set<{ target: EventTarget; type: string; listener: unknown; capture: boolean }>(),
        everListeners: 0,
        timeouts: new Set<number>(),
        intervals: new Set<number>(),
        everTimers: 0,
      };
      (window as unknown as { __live: typeof live }).__live = live;
      const manager = t.manager as unknown as Record<string, (...args: unknown[]) => () => void>;
      for (const name of ['onUsage', 'on']) {
        const original = manager[name]!.bind(t.manager);
        manager[name] = (...args: unknown[]) => {
          live.subscriptions++;
          live.everSubscriptions++;
          const off = original(...args);
          let done = false;
          return () => {
            if (!done) live.subscriptions--;
            done = true;
            off();
          };
        };
      }
      const proto = EventTarget.prototype;
      const add = proto.addEventListener;
      const remove = proto.removeEventListener;
      const captureOf = (o: unknown) =>
        typeof o === 'boolean' ? o : !!(o as AddEventListenerOptions)?.capture;
      proto.addEventListener = function (
        this: EventTarget,
        type: string,
        listener: unknown,
        options?: unknown,
      ) {
        if (fromOverlay() && listener) {
          const entry = { target: this, type, listener, capture: captureOf(options) };
          live.listeners.add(entry);
          live.everListeners++;
          const signal = (options as AddEventListenerOptions | undefined)?.signal;
          if (signal) add.call(signal, 'abort', () => live.listeners.delete(entry));
        }
        return add.call(this, type, listener as EventListener, options as AddEventListenerOptions);
      };
      proto.removeEventListener = function (
        this: EventTarget,
        type: string,
        listener: unknown,
        options?: unknown,
      ) {
        for (const e of live.listeners) {
          if (
            e.target === this &&
            e.type === type &&
            e.listener === listener &&
            e.capture === captureOf(options)
          ) {
            live.listeners.delete(e);
          }
        }
        return remove.call(this, type, listener as EventListener, options as EventListenerOptions);
      };
      const { setTimeout: st, clearTimeout: ct, setInterval: si, clearInterval: ci } = window;
      window.setTimeout = ((fn: () => void, ms?: number) => {
        if (!fromOverlay()) return st(fn, ms);
        const id: number = st(() => {
          live.timeouts.delete(id);
          fn();
        }, ms);
        live.timeouts.add(id);
        live.everTimers++;
        return id;
      }) as typeof setTimeout;
      window.clearTimeout = ((id: number) => {
        live.timeouts.delete(id);
        ct(id);
      }) as typeof clearTimeout;
      window.setInterval = ((fn: () => void, ms?: number) => {
        const id: number = si(fn, ms);
        if (fromOverlay()) {
          live.intervals.add(id);
          live.everTimers++;
        }
        return id;
      }) as typeof setInterval;
      window.clearInterval = ((id: number) => {
        live.intervals.delete(id);
        ci(id);
      }) as typeof clearInterval;
    });
    const count = () =>
      page.evaluate(() => {
        const live = (window as unknown as { __live: Record<string, number | Set<unknown>> }).__live;
        const size = (v: number | Set<unknown>) => (typeof v === 'number' ? v : v.size);
        return Object.fromEntries(Object.entries(live).map(([k, v]) => [k, size(v)]));
      });

    // Mount, use every feature that subscribes to something, let the sample timer and repaints run.
    await page.evaluate(() => {
      const t = window.__kit!;
      t.overlay = t.lib.createStatsOverlay(t.manager, { budgetBytes: 2 ** 20, position: 'bottom-left' });
      const canvas = document.createElement('canvas');
      canvas.width = 64;
      canvas.height = 32;
      t.overlay!.registerCanvas(canvas, { format: 'rgba8unorm', bufferCount: 2 });
    });
    await createBuffers(page, 10, 1024);
    const toggle = (await page.evaluateHandle(
      () => document.querySelector('[data-gpu-handles-overlay]')!.shadowRoot!.querySelector('button')!,
    )) as ElementHandle<HTMLButtonElement>;
    await toggle.click();
    await toggle.click();
    await new Promise((resolve) => setTimeout(resolve, 1300)); // at least one graph sample
    const mounted = await count();
    console.log(`[browser] overlay subscriptions while mounted: ${JSON.stringify(mounted)}`);
    expect(mounted.subscriptions).toBe(2); // onUsage, and on('restored') for the restore row
    expect(mounted.listeners).toBeGreaterThanOrEqual(1); // the collapse button
    expect(mounted.intervals).toBe(1); // the graph sampler
    expect(mounted.everTimers).toBeGreaterThan(1); // repaints went through the throttle's timeouts

    // Destroy: the DOM goes, and so does everything counted above.
    await page.evaluate(() => {
      const t = window.__kit!;
      const host = document.querySelector('[data-gpu-handles-overlay]')!;
      (window as unknown as { __host: Element }).__host = host;
      t.overlay!.destroy();
      t.overlay!.destroy(); // twice is harmless
    });
    const destroyed = await count();
    expect(destroyed.subscriptions).toBe(0);
    expect(destroyed.listeners).toBe(0);
    expect(destroyed.intervals).toBe(0);
    expect(destroyed.timeouts).toBe(0);
    expect(await page.evaluate(() => document.querySelectorAll('[data-gpu-handles-overlay]').length)).toBe(0);

    // Nothing of it runs afterwards: its detached DOM sees no mutation while the manager keeps changing.
    const mutationsAfter = await page.evaluate(async () => {
      const host = (window as unknown as { __host: Element }).__host;
      let records = 0;
      const observer = new MutationObserver((list) => {
        records += list.length;
      });
      observer.observe(host.shadowRoot!, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
      const t = window.__kit!;
      for (let i = 0; i < 50; i++)
        t.manager.destroy(t.manager.createBuffer({ size: 256, usage: 0x40 }) as never);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      observer.disconnect();
      return { records, connected: host.isConnected };
    });
    expect(mutationsAfter).toEqual({ records: 0, connected: false });
    expect(await count()).toMatchObject({ subscriptions: 0, listeners: 0, intervals: 0, timeouts: 0 });
    // A destroyed overlay refuses new canvases instead of silently subscribing again.
    expect(
      await page.evaluate(() => {
        try {
          window.__kit!.overlay!.registerCanvas(document.createElement('canvas'), { format: 'rgba8unorm' });
          return 'no error';
        } catch (error) {
          return `${(error as Error).name}: ${(error as Error).message}`;
        }
      }),
    ).toBe('DisposedError: the stats overlay is disposed: cannot register a canvas');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('rejects bad options with a ValidationError naming the field and value, and mounts nothing', async () => {
    const { page, errors } = await openKit();
    const attempt = (options: Record<string, unknown>) =>
      page.evaluate((o) => {
        try {
          window.__kit!.lib.createStatsOverlay(window.__kit!.manager, o);
          return 'no error';
        } catch (error) {
          return `${(error as Error).name}: ${(error as Error).message}`;
        }
      }, options);
    expect(await attempt({ budgetBytes: -1 })).toBe(
      "ValidationError: 'stats overlay': budgetBytes = -1 is invalid: must be a finite number of bytes > 0",
    );
    expect(await attempt({ position: 'middle' })).toMatch(
      /^ValidationError: 'stats overlay': position = "middle" is invalid: must be one of top-left, top-right/,
    );
    expect(await page.evaluate(() => document.querySelectorAll('[data-gpu-handles-overlay]').length)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a bad parent, a bad interval or a failing source leaves no subscription, timer or DOM behind', async () => {
    const { page, errors } = await openKit();
    const outcome = await page.evaluate(() => {
      const t = window.__kit!;
      // Count live usage subscriptions and intervals, whoever makes them.
      const live = { subscriptions: 0, intervals: new Set<number>() };
      const manager = t.manager as unknown as { onUsage: (fn: unknown) => () => void };
      const onUsage = manager.onUsage.bind(t.manager);
      manager.onUsage = (fn) => {
        live.subscriptions++;
        const off = onUsage(fn);
        return () => {
          live.subscriptions--;
          off();
        };
      };
      const { setInterval: si, clearInterval: ci } = window;
      window.setInterval = ((fn: () => void, ms?: number) => {
        const id: number = si(fn, ms);
        live.intervals.add(id);
        return id;
      }) as typeof setInterval;
      window.clearInterval = ((id: number) => {
        live.intervals.delete(id);
        ci(id);
      }) as typeof clearInterval;
      const mounted = () => document.querySelectorAll('[data-gpu-handles-overlay]').length;
      const refusingParent = document.createElement('div');
      refusingParent.append = () => {
        throw new DOMException('no children here', 'HierarchyRequestError');
      };
      document.body.append(refusingParent);
      const attempts: [string, unknown, Record<string, unknown>][] = [
        ['text node parent', t.manager, { parent: document.createTextNode('x') }],
        ['comment parent', t.manager, { parent: document.createComment('x') }],
        ['document parent', t.manager, { parent: document }],
        ['fake element parent', t.manager, { parent: { ownerDocument: document, nodeType: 1 } }],
        ['parent whose append throws', t.manager, { parent: refusingParent }],
        ['sampleIntervalMs 0', t.manager, { sampleIntervalMs: 0 }],
        ['sampleIntervalMs 1e-3', t.manager, { sampleIntervalMs: 1e-3 }],
        [
          'source whose onUsage returns nothing',
          { stats: () => t.manager.stats(), onUsage: () => undefined },
          {},
        ],
        [
          'source whose stats throws',
          {
            stats: () => {
              throw new Error('no stats');
            },
            onUsage: (fn: unknown) => manager.onUsage(fn),
          },
          {},
        ],
      ];
      const results = attempts.map(([name, source, options]) => {
        try {
          t.lib.createStatsOverlay(source, options);
          return `${name}: no error`;
        } catch (error) {
          return `${name}: ${(error as Error).name}: ${(error as Error).message}`;
        }
      });
      const after = { subscriptions: live.subscriptions, intervals: live.intervals.size, mounted: mounted() };
      // A good parent that is not the body still works, and its destroy releases everything.
      const host = document.createElement('div');
      document.body.append(host);
      const overlay = t.lib.createStatsOverlay(t.manager, { parent: host, sampleIntervalMs: 16 });
      const whileMounted = {
        subscriptions: live.subscriptions,
        intervals: live.intervals.size,
        mounted: mounted(),
      };
      overlay.destroy();
      const destroyed = {
        subscriptions: live.subscriptions,
        intervals: live.intervals.size,
        mounted: mounted(),
      };
      return { results, after, whileMounted, destroyed, position: overlay.element.style.position };
    });
    console.log(`[browser] hostile overlay construction: ${JSON.stringify(outcome.results, null, 1)}`);
    const byName = Object.fromEntries(outcome.results.map((r) => [r.slice(0, r.indexOf(':')), r]));
    for (const name of ['text node parent', 'comment parent', 'document parent', 'fake element parent']) {
      expect(byName[name]).toMatch(
        /ValidationError: 'stats overlay': parent = .* is invalid: must be an HTML element/,
      );
    }
    expect(byName['parent whose append throws']).toMatch(/HierarchyRequestError: no children here/);
    expect(byName['sampleIntervalMs 0']).toMatch(/ValidationError: .*sampleIntervalMs = 0 is invalid/);
    expect(byName['sampleIntervalMs 1e-3']).toMatch(/ValidationError: .*sampleIntervalMs = 0.001 is invalid/);
    expect(byName['source whose onUsage returns nothing']).toMatch(
      /ValidationError: 'stats overlay': source.onUsage\(listener\) = undefined is invalid: must return the unsubscribe/,
    );
    expect(byName['source whose stats throws']).toMatch(/Error: no stats/);
    expect(outcome.after).toEqual({ subscriptions: 0, intervals: 0, mounted: 0 });
    expect(outcome.whileMounted).toEqual({ subscriptions: 1, intervals: 1, mounted: 1 });
    expect(outcome.destroyed).toEqual({ subscriptions: 0, intervals: 0, mounted: 0 });
    expect(outcome.position).toBe('absolute');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('adds no global CSS and is not restyled by the page', async () => {
    const { page, errors } = await openKit();
    const styles = () =>
      page.evaluate(() => ({
        sheets: document.styleSheets.length,
        adopted: document.adoptedStyleSheets.length,
        styleElements: document.querySelectorAll('style, link[rel="stylesheet"]').length,
        bodyFont: getComputedStyle(document.body).font,
      }));
    // A hostile page rule that would recolour every button it could reach.
    await page.addStyleTag({ content: 'button { color: rgb(255, 0, 0) !important; }' });
    const before = await styles();
    await page.evaluate(() => {
      const t = window.__kit!;
      t.overlay = t.lib.createStatsOverlay(t.manager);
    });
    expect(await styles()).toEqual(before);
    const inside = await page.evaluate(() => {
      const root = document.querySelector('[data-gpu-handles-overlay]')!.shadowRoot!;
      return {
        styleElements: root.querySelectorAll('style').length,
        buttonColor: getComputedStyle(root.querySelector('button')!).color,
      };
    });
    expect(inside.styleElements).toBe(1); // its stylesheet lives in its shadow root
    expect(inside.buttonColor).not.toBe('rgb(255, 0, 0)');
    await page.evaluate(() => window.__kit!.overlay!.destroy());
    expect(await styles()).toEqual(before);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('collapses to its header (which keeps the total current) and expands with current figures', async () => {
    const { page, errors } = await openKit();
    await page.evaluate(() => {
      const t = window.__kit!;
      t.overlay = t.lib.createStatsOverlay(t.manager);
    });
    await createBuffers(page, 4, 4096);
    const toggle = (await page.evaluateHandle(
      () => document.querySelector('[data-gpu-handles-overlay]')!.shadowRoot!.querySelector('button')!,
    )) as ElementHandle<HTMLButtonElement>;
    const state = () =>
      page.evaluate(() => {
        const root = document.querySelector('[data-gpu-handles-overlay]')!.shadowRoot!;
        return {
          expanded: root.querySelector('button')!.getAttribute('aria-expanded'),
          bodyHidden: (root.querySelector('.body') as HTMLElement).hidden,
          bodyHeight: (root.querySelector('.body') as HTMLElement).getBoundingClientRect().height,
          headline: root.querySelector('[data-stat="headline"]')!.textContent,
        };
      });
    expect(await state()).toMatchObject({ expanded: 'true', bodyHidden: false });

    await toggle.click();
    expect(await state()).toMatchObject({ expanded: 'false', bodyHidden: true, bodyHeight: 0 });
    expect(await page.evaluate(() => window.__kit!.overlay!.collapsed)).toBe(true);
    await saveScreenshot(page, 'overlay-collapsed');
    await createBuffers(page, 1, 65536);
    await eventually(state, (s) => s.headline === '80.0 KiB', {
      what: 'the collapsed header to show 80.0 KiB',
    });

    await toggle.click();
    expect(await state()).toMatchObject({ expanded: 'true', bodyHidden: false });
    const stats = await pageStats(page);
    expect(stats.totalBytes).toBe(4 * 4096 + 65536);
    expect(await readOverlay(page)).toEqual(expectedOverlay(stats)); // at once: expanding repaints
    expect(errors).toEqual([]);
    await page.close();
  });

  it('repaints at most every 250 ms under a storm of changes, without adding or removing a node', async () => {
    const { page, errors } = await openKit();
    await page.evaluate(() => {
      const t = window.__kit!;
      t.overlay = t.lib.createStatsOverlay(t.manager, { budgetBytes: 2 ** 20 });
    });
    const result = await page.evaluate(async () => {
      const t = window.__kit!;
      const root = document.querySelector('[data-gpu-handles-overlay]')!.shadowRoot!;
      const batches: number[] = [];
      let nodeChanges = 0;
      let records = 0;
      const observer = new MutationObserver((list) => {
        batches.push(performance.now());
        records += list.length;
        for (const r of list) nodeChanges += r.addedNodes.length + r.removedNodes.length;
      });
      observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
      // 2 s of changes in every task: each tick creates 20 buffers and destroys 10 (the total keeps moving).
      const live: number[] = [];
      let changes = 0;
      const end = performance.now() + 2000;
      await new Promise<void>((resolve) => {
        const tick = () => {
          for (let i = 0; i < 20; i++) live.push(t.manager.createBuffer({ size: 256 + i, usage: 0x40 }));
          for (let i = 0; i < 10; i++) t.manager.destroy(live.shift()! as never);
          changes += 30;
          if (performance.now() < end) setTimeout(tick, 0);
          else resolve();
        };
        tick();
      });
      await new Promise((resolve) => setTimeout(resolve, 600)); // the last throttled repaint
      observer.disconnect();
      const gaps = batches.slice(1).map((time, i) => time - batches[i]!);
      return { changes, batches: batches.length, minGap: Math.min(...gaps), records, nodeChanges };
    });
    console.log(`[browser] overlay repaint storm: ${JSON.stringify(result)}`);
    expect(result.changes).toBeGreaterThan(1000);
    expect(result.batches).toBeGreaterThanOrEqual(4); // it did update during the storm...
    expect(result.batches).toBeLessThanOrEqual(Math.ceil(2600 / 250) + 1); // ...a few times a second at most
    expect(result.minGap).toBeGreaterThanOrEqual(200); // throttle: 250 ms apart, minus timer/clock slack
    expect(result.nodeChanges).toBe(0); // text and attributes change; nodes are never added or removed
    // And what it finally shows is the manager's truth.
    await eventually(
      async () => ({
        shown: await readOverlay(page),
        expected: expectedOverlay(await pageStats(page), { budgetBytes: 2 ** 20 }),
      }),
      ({ shown, expected }) => isDeepStrictEqual(shown, expected),
      { what: 'the overlay to settle on manager.stats()' },
    );
    expect(errors).toEqual([]);
    await page.close();
  });
});
