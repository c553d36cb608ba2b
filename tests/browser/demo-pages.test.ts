/**
 * Every page of the demo site loads in real Chromium (WebGPU on SwiftShader) with no console error, no page
 * error and no uncaptured GPU error while it runs; each gets a screenshot in test-artifacts/. Every demo also
 * runs on WebGL2. A browser without WebGPU gets a plain message and a link to the WebGL2 version.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoHookBase } from '../../demos/shared/test-hook.ts';
import { type BrowserSession, requireWebGPUAdapter, saveScreenshot } from '../support/browser.ts';
import { openDemo, startDemoSession } from './demo-session.ts';

const PAGES = [
  { name: 'home', path: '/' },
  { name: 'playground', path: '/demos/playground/' },
  { name: 'render-targets', path: '/demos/render-targets/' },
  { name: 'stress', path: '/demos/stress/' },
  { name: 'dump', path: '/demos/dump/' },
] as const;

/** How long each page runs before it is judged: long enough for frames, repaints and a graph sample. */
const RUN_MS = 1500;

let session: BrowserSession;
beforeAll(async () => {
  session = await startDemoSession();
});
afterAll(async () => {
  await session?.close();
});

const hookState = (page: Page) =>
  page.evaluate(() => {
    const hook = window.__demo as DemoHookBase;
    return {
      page: hook.page,
      ready: hook.ready,
      unavailable: hook.unavailable ?? null,
      gpuErrors: [...hook.gpuErrors],
      status: document.getElementById('demo-status')?.textContent ?? '',
      overlays: document.querySelectorAll('[data-gpu-handles-overlay]').length,
    };
  });

/** A page opened with `navigator.gpu` removed before any script runs: a browser without WebGPU. */
async function openWithoutWebGPU(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await session.browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e instanceof Error ? e.message : String(e)}`));
  await page.evaluateOnNewDocument(() => {
    delete (Navigator.prototype as { gpu?: unknown }).gpu;
  });
  await page.goto(`${session.origin}${path}`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__demo?.unavailable !== undefined || window.__demo?.ready === true);
  return { page, errors };
}

describe('demo site', () => {
  for (const { name, path } of PAGES) {
    it(`${name} (${path}) runs with no console error and no GPU error`, async () => {
      const { page, errors } = await openDemo(session, path);
      console.log(`[browser] WebGPU adapter: ${await requireWebGPUAdapter(page)}`);
      await new Promise((resolve) => setTimeout(resolve, RUN_MS));
      const state = await hookState(page);
      expect(state).toMatchObject({ page: name, ready: true, unavailable: null, gpuErrors: [] });
      expect(state.status).toMatch(/WebGPU/);
      expect(state.overlays).toBe(name === 'home' ? 0 : 1);
      console.log(`[browser] screenshot: ${await saveScreenshot(page, `page-${name}`)}`);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  for (const name of ['playground', 'render-targets', 'stress', 'dump'] as const) {
    it(`${name} runs on WebGL2 (?backend=webgl2) with no console error`, async () => {
      const { page, errors } = await openDemo(session, `/demos/${name}/?backend=webgl2`);
      console.log(`[browser] WebGPU adapter: ${await requireWebGPUAdapter(page)}`);
      await new Promise((resolve) => setTimeout(resolve, RUN_MS));
      const state = await hookState(page);
      expect(state).toMatchObject({ page: name, ready: true, unavailable: null, gpuErrors: [], overlays: 1 });
      expect(state.status).toMatch(/^WebGL2 /);
      expect(await page.evaluate(() => (window.__demo as DemoHookBase & { backend: string }).backend)).toBe(
        'webgl2',
      );
      await saveScreenshot(page, `page-${name}-webgl2`);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('says plainly that a browser without WebGPU cannot run a demo on WebGPU, and offers WebGL2', async () => {
    const probe = await openDemo(session, '/');
    console.log(`[browser] WebGPU adapter: ${await requireWebGPUAdapter(probe.page)}`);
    await probe.page.close();
    const offers: Record<string, string | null> = {
      home: null,
      playground: '?backend=webgl2',
      'render-targets': '?backend=webgl2',
      stress: '?backend=webgl2',
      dump: '?backend=webgl2',
    };
    for (const { name, path } of PAGES) {
      const { page, errors } = await openWithoutWebGPU(path);
      const state = await hookState(page);
      expect(state.ready).toBe(false);
      expect(state.unavailable).toMatch(/does not support WebGPU/);
      expect(state.status).toBe(state.unavailable); // shown on the page, word for word
      expect(state.overlays).toBe(0);
      const offer = await page.evaluate(
        () => document.getElementById('demo-alternative')?.getAttribute('href') ?? null,
      );
      expect(offer).toBe(offers[name]);
      if (name !== 'home') {
        const hidden = await page.$eval('.needs-gpu', (e) => getComputedStyle(e).display === 'none');
        expect(hidden).toBe(true); // the controls that cannot work are not shown
      }
      if (name === 'playground') {
        await saveScreenshot(page, 'no-webgpu-playground');
        // Follow the offer: the same page, still without WebGPU, now runs on WebGL2.
        await Promise.all([page.waitForNavigation(), page.click('#demo-alternative')]);
        await page.waitForFunction(
          () => window.__demo?.ready === true || window.__demo?.unavailable !== undefined,
        );
        expect(await hookState(page)).toMatchObject({
          ready: true,
          unavailable: null,
          overlays: 1,
          gpuErrors: [],
        });
      }
      expect(errors).toEqual([]); // an expected situation, not an error
      await page.close();
    }
  });

  it('a bad ?backend is named, with the backends there are', async () => {
    const bad = await openDemo(session, '/demos/stress/?backend=vulkan', { allowUnavailable: true });
    expect((await hookState(bad.page)).unavailable).toBe(
      '?backend=vulkan is not a backend of gpu-handles: use ?backend=webgpu or ?backend=webgl2.',
    );
    expect(bad.errors).toEqual([]);
    await bad.page.close();
  });
});
