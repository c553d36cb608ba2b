/**
 * Node side of the WebGPU tests that run in the library test page (pages/webgl2.html, which loads the whole
 * library on `window.lib`): one Chromium page per test file, WebGPU required (the file fails, never skips,
 * without an adapter, and logs the adapter it got).
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import {
  type BrowserSession,
  openPage,
  requireWebGPUAdapter,
  startBrowserSession,
} from '../../support/browser.ts';

/** The page of the current test file and the console errors it logged. */
export interface WebGPUHarness {
  readonly page: Page;
  readonly errors: string[];
}

/**
 * Registers hooks that open the library test page with a WebGPU adapter for this file.
 *
 * @example
 * const harness = useWebGPUTestPage();
 * it('...', async () => { await harness.page.evaluate(() => navigator.gpu.requestAdapter()) });
 */
export function useWebGPUTestPage(): WebGPUHarness {
  let session: BrowserSession | undefined;
  const harness = { page: undefined as unknown as Page, errors: [] as string[] };
  beforeAll(async () => {
    session = await startBrowserSession();
    const opened = await openPage(session, '/tests/browser/pages/webgl2.html');
    harness.page = opened.page;
    harness.errors = opened.errors;
    await harness.page.waitForFunction(() => window.libReady === true, { timeout: 60_000 });
    console.log(`[webgpu] ${await requireWebGPUAdapter(harness.page)}`);
  }, 120_000);
  afterAll(async () => {
    await session?.close();
  });
  return harness;
}
