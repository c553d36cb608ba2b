/**
 * The conformance suite in headless Chromium, on WebGPU and on WebGL2: the page
 * tests/browser/pages/conformance.html runs every case for `?backend=`, and each case becomes one vitest test
 * here that fails with the case's message. A target without adapter or context fails every test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFORMANCE_CASES } from '../conformance/cases/index.ts';
import type { CaseResult } from '../conformance/context.ts';
import { type BrowserSession, openPage, startBrowserSession } from '../support/browser.ts';
import type { ConformanceReport } from './pages/conformance.ts';

let session: BrowserSession;
beforeAll(async () => {
  session = await startBrowserSession();
});
afterAll(async () => {
  await session?.close();
});

for (const backend of ['webgpu', 'webgl2'] as const) {
  describe(`conformance on ${backend} (Chromium)`, () => {
    let report: ConformanceReport;
    let pageErrors: string[] = [];
    beforeAll(async () => {
      const { page, errors } = await openPage(
        session,
        `/tests/browser/pages/conformance.html?backend=${backend}`,
      );
      await page.waitForFunction(() => window.__conformance?.done === true, { timeout: 110_000 });
      report = (await page.evaluate(() => window.__conformance)) as ConformanceReport;
      pageErrors = errors;
      await page.close();
      console.log(`[conformance] ${backend}: ${report.device || report.fatal}`);
      if (report.fatal) throw new Error(`the ${backend} target could not start: ${report.fatal}`);
    });

    it('the page set up its target and reported no page errors', () => {
      expect(report.fatal).toBeUndefined();
      expect(report.device).not.toBe('');
      expect(pageErrors).toEqual([]);
    });

    for (const c of CONFORMANCE_CASES) {
      it(c.name, () => {
        const result: CaseResult | undefined = report.results.find((r) => r.name === c.name);
        if (!result) throw new Error(`the page did not run '${c.name}'`);
        if (!result.ok) throw new Error(result.message);
        expect(result.ok).toBe(true);
      });
    }
  });
}
