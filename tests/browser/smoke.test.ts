import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserSession,
  openPage,
  requireWebGPUAdapter,
  startBrowserSession,
} from '../support/browser.ts';

let session: BrowserSession;
beforeAll(async () => {
  session = await startBrowserSession();
});
afterAll(async () => {
  await session?.close();
});

describe('headless Chromium', () => {
  it('has a WebGPU adapter on SwiftShader and WebGL2', async () => {
    const { page, errors } = await openPage(session, '/');
    const adapter = await requireWebGPUAdapter(page);
    console.log(`[browser] Chromium WebGPU adapter: ${adapter}`);
    expect(adapter).toMatch(/swiftshader/);
    const webgl2 = await page.evaluate(() => !!document.createElement('canvas').getContext('webgl2'));
    expect(webgl2).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
