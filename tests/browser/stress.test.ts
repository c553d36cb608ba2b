/**
 * The stress demo: thousands of creates and destroys per second, while the table (live count, slot indices)
 * and the ledger (bytes) stay flat, slots are visibly reused with new generations, and everything returns to
 * zero when the churn is cleared.
 */
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StressHook } from '../../demos/stress/hook.ts';
import { unpackHandle } from '../../src/handles/handle.ts';
import type { ManagerStats } from '../../src/manager/resource-manager.ts';
import { type BrowserSession, requireWebGPUAdapter, saveScreenshot } from '../support/browser.ts';
import { eventually, openDemo, startDemoSession } from './demo-session.ts';
import { expectedOverlay, readOverlay } from './overlay-dom.ts';

const RUN_MS = 3000;

let session: BrowserSession;
beforeAll(async () => {
  session = await startDemoSession();
});
afterAll(async () => {
  await session?.close();
});

describe('stress demo', () => {
  it.each(['webgpu', 'webgl2'] as const)(
    'on %s: churns through the ring many times with a flat table and ledger, reusing slots',
    async (backend) => {
      const { page, errors } = await openDemo(session, `/demos/stress/?backend=${backend}`);
      console.log(`[browser] WebGPU adapter: ${await requireWebGPUAdapter(page)}`);
      const read = () =>
        page.evaluate(() => {
          const hook = window.__demo as StressHook;
          return {
            stats: hook.manager.stats() as ManagerStats,
            figures: hook.figures(),
            windowSize: hook.windowSize(),
            maxBytes: hook.maxBytes(),
          };
        });

      // Let the ring fill, then watch it for RUN_MS.
      const start = await eventually(read, (s) => s.figures.created > s.windowSize, {
        what: 'the ring to fill',
      });
      const startedAt = Date.now();
      const samples: Awaited<ReturnType<typeof read>>[] = [];
      while (Date.now() - startedAt < RUN_MS) {
        samples.push(await read());
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      const end = await read();
      const seconds = (Date.now() - startedAt) / 1000;
      const createsPerSecond = (end.figures.created - start.figures.created) / seconds;
      console.log(
        `[browser] stress on ${backend}: ${Math.round(createsPerSecond)} creates/s (and as many destroys), window ${end.windowSize}, ` +
          `bytes ${Math.min(...samples.map((s) => s.stats.totalBytes))}..${Math.max(...samples.map((s) => s.stats.totalBytes))}, ` +
          `max slot ${end.figures.maxSlotIndex}, max generation ${end.figures.maxGeneration}`,
      );

      expect(samples.length).toBeGreaterThan(5);
      // Churn, not speed (speed belongs in benchmarks): the ring turned over several times while it was watched,
      // so every slot was freed and reused repeatedly under observation.
      expect(end.figures.created - start.figures.created).toBeGreaterThan(4 * end.windowSize);
      for (const { stats, windowSize, maxBytes } of samples) {
        // The table stays flat: exactly the ring's window is live at every observation (the churn runs in tasks,
        // so the page is never observed mid-step), and the ledger's bytes stay inside the ring's bound.
        expect(stats.active).toBe(windowSize);
        expect(stats.totalCount).toBe(windowSize);
        expect(stats.totalBytes).toBeGreaterThan(0);
        expect(stats.totalBytes).toBeLessThanOrEqual(maxBytes);
        // Nothing leaks into pending frees, and creates minus real destroys is the live count.
        expect(stats.pendingFreeBytes).toBe(0);
        expect(stats.created - stats.destroyed).toBe(stats.active);
      }
      // Slots are reused: every slot index ever issued is below the window size, while generations climb.
      expect(end.figures.maxSlotIndex).toBeLessThan(end.windowSize);
      expect(end.figures.maxGeneration).toBeGreaterThan(10);
      const last = unpackHandle(end.figures.lastHandle!);
      expect(last.index).toBeLessThan(end.windowSize);
      // ... and the page shows it.
      await eventually(
        () => page.$eval('#stress-last-handle', (e) => e.textContent ?? ''),
        (text) => /^#\d+v\d+@\d+ \(slot \d+, generation \d+\)$/.test(text),
        { what: 'the latest handle with its slot and generation' },
      );
      const shownMaxSlot = Number(
        (await page.$eval('#stress-max-slot', (e) => e.textContent ?? '')).replace(/,/g, ''),
      );
      expect(shownMaxSlot).toBeLessThan(end.windowSize);
      await saveScreenshot(page, `stress-running-${backend}`);

      // Clear: back to zero, and the overlay agrees with the manager.
      await page.evaluate(() => (window.__demo as StressHook).clear());
      const cleared = await read();
      expect(cleared.stats.totalBytes).toBe(0);
      expect(cleared.stats.active).toBe(0);
      await eventually(
        async () => ({ shown: await readOverlay(page), expected: expectedOverlay((await read()).stats) }),
        ({ shown, expected }) => isDeepStrictEqual(shown, expected),
        { what: 'the overlay to show the cleared ledger' },
      );

      expect(await page.evaluate(() => (window.__demo as StressHook).gpuErrors)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    },
  );
});
