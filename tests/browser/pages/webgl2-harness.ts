/**
 * Node side of the WebGL2 backend tests: one Chromium page (pages/webgl2.html) per test file, the library on
 * `window.lib`; after each test the shared context must report no GL error and the page no console error.
 * Fails (never skips) when the page has no WebGL2.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { type BrowserSession, openPage, startBrowserSession } from '../../support/browser.ts';

/** The page of the current test file and what it logged. */
export interface WebGL2Harness {
  readonly page: Page;
  readonly errors: string[];
}

/**
 * Registers hooks that open the WebGL2 test page for this file.
 *
 * @example
 * const harness = useWebGL2Page();
 * it('...', async () => { const r = await harness.page.evaluate(() => window.lib.BufferUsage.VERTEX) });
 */
export function useWebGL2Page(): WebGL2Harness {
  let session: BrowserSession | undefined;
  const harness = { page: undefined as unknown as Page, errors: [] as string[] };
  beforeAll(async () => {
    session = await startBrowserSession();
    const opened = await openPage(session, '/tests/browser/pages/webgl2.html');
    harness.page = opened.page;
    harness.errors = opened.errors;
    await harness.page.waitForFunction(() => window.libReady === true, { timeout: 60_000 });
    const renderer = await harness.page.evaluate(() => {
      const gl = window.sharedGL();
      const debug = gl.getExtension('WEBGL_debug_renderer_info');
      return String(debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    });
    console.log(`[webgl2] ${renderer}`);
  });
  afterEach(async () => {
    const glErrors = await harness.page.evaluate(() => {
      const gl = window.sharedGL();
      const found: number[] = [];
      for (let e = gl.getError(); e !== gl.NO_ERROR && found.length < 8; e = gl.getError()) found.push(e);
      return found;
    });
    expect(glErrors, 'gl.getError() on the shared context after the test').toEqual([]);
    expect(harness.errors.splice(0), 'console errors of the page').toEqual([]);
  });
  afterAll(async () => {
    await session?.close();
  });
  return harness;
}
