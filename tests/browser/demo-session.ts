/**
 * The browser session of the demo tests: the shared harness (tests/support/browser.ts) plus what a page that
 * presents WebGPU to a canvas needs, and small helpers to wait for a demo page's test hook.
 */
import type { Page } from 'puppeteer-core';
import { type BrowserSession, openPage, startBrowserSession } from '../support/browser.ts';

/**
 * Starts the shared harness (its Chromium flags include what canvases need to present WebGPU frames).
 *
 * @example
 * const session = await startDemoSession();
 */
export function startDemoSession(): Promise<BrowserSession> {
  return startBrowserSession();
}

/**
 * Opens a demo page and waits until its test hook reports `ready` (or `unavailable`/`failure`). Throws with the
 * page's own words when it did not start.
 *
 * @example
 * const { page, errors } = await openDemo(session, '/demos/playground/');
 */
export async function openDemo(
  session: BrowserSession,
  path: string,
  options: { allowUnavailable?: boolean; timeoutMs?: number } = {},
): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(session, path);
  await opened.page.waitForFunction(
    () => {
      const hook = window.__demo;
      return (
        hook !== undefined && (hook.ready || hook.unavailable !== undefined || hook.failure !== undefined)
      );
    },
    { timeout: options.timeoutMs ?? 60_000 },
  );
  const state = await opened.page.evaluate(() => ({
    unavailable: window.__demo?.unavailable,
    failure: window.__demo?.failure,
  }));
  if (state.failure)
    throw new Error(`${path} failed to start: ${state.failure}; errors: ${opened.errors.join(' | ')}`);
  if (state.unavailable && !options.allowUnavailable) throw new Error(`${path} says: ${state.unavailable}`);
  return opened;
}

/**
 * Polls `read` in Node until `accept` holds, returning the last value; throws with that value when time runs out.
 * For figures that a throttled or asynchronous page updates.
 *
 * @example
 * await eventually(() => readOverlay(page), (o) => o.totalBytes === expected);
 */
export async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  { timeoutMs = 10_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(value)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
