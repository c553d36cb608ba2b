/**
 * The playground, scripted through its forms and table buttons: the overlay's displayed figures equal
 * manager.stats() after every step and come back to the baseline after the destroys; bad input shows the typed
 * error on the page and leaves nothing behind.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlaygroundHook } from '../../demos/playground/hook.ts';
import type { ManagerStats } from '../../src/manager/resource-manager.ts';
import { type BrowserSession, requireWebGPUAdapter, saveScreenshot } from '../support/browser.ts';
import { eventually, openDemo, startDemoSession } from './demo-session.ts';
import { expectedOverlay, readOverlay } from './overlay-dom.ts';

const BUDGET = 64 * 2 ** 20; // the playground's overlay budget

let session: BrowserSession;
beforeAll(async () => {
  session = await startDemoSession();
});
afterAll(async () => {
  await session?.close();
});

function stats(page: Page): Promise<ManagerStats> {
  return page.evaluate(() => (window.__demo as PlaygroundHook).manager.stats());
}

/** Sets form fields (inputs and selects by name; checkboxes by the list of checked values) and submits. */
async function submit(page: Page, formId: string, values: Record<string, string | string[]>): Promise<void> {
  await page.evaluate(
    (id, entries) => {
      const form = document.getElementById(id) as HTMLFormElement;
      for (const [name, value] of Object.entries(entries)) {
        const fields = form.querySelectorAll<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`);
        for (const field of fields) {
          if (field instanceof HTMLInputElement && field.type === 'checkbox') {
            field.checked = (value as string[]).includes(field.value);
          } else {
            field.value = value as string;
          }
        }
      }
    },
    formId,
    values,
  );
  await page.click(`#${formId} button[type="submit"]`);
}

/** Waits until the overlay's text equals what manager.stats() says; returns those stats. */
async function overlayMatchesStats(page: Page): Promise<ManagerStats> {
  let last: ManagerStats | undefined;
  await eventually(
    async () => {
      last = await stats(page);
      return { shown: await readOverlay(page), expected: expectedOverlay(last, { budgetBytes: BUDGET }) };
    },
    ({ shown, expected }) => isDeepStrictEqual(shown, expected),
    { what: 'the overlay to show manager.stats()' },
  );
  return last!;
}

const errorText = (page: Page) => page.$eval('#playground-error', (e) => e.textContent ?? '');

describe('playground', () => {
  it.each(['webgpu', 'webgl2'] as const)(
    'on %s: overlay figures equal manager.stats() through a create/upload/destroy sequence and return to the baseline',
    async (backend) => {
      const { page, errors } = await openDemo(session, `/demos/playground/?backend=${backend}`);
      console.log(`[browser] WebGPU adapter: ${await requireWebGPUAdapter(page)}`);
      expect(await page.evaluate(() => (window.__demo as PlaygroundHook).backend)).toBe(backend);

      const baseline = await overlayMatchesStats(page);
      expect(baseline.totalBytes).toBe(0);
      expect(baseline.totalCount).toBe(0);

      // 1. A 256x256 rgba8unorm texture with the full mip chain: 4 * (256² + 128² + ... + 1²) = 349,524 bytes.
      await submit(page, 'texture-form', {
        label: 'albedo',
        width: '256',
        height: '256',
        layers: '1',
        format: 'rgba8unorm',
        mips: 'full',
        samples: '1',
        usage: ['TEXTURE_BINDING', 'COPY_DST'],
      });
      let s = await overlayMatchesStats(page);
      expect(s.byKind.texture).toEqual({ bytes: 349_524, count: 1 });

      // 2. A 64 KiB vertex buffer.
      await submit(page, 'buffer-form', { label: 'vertices', size: '65536', usage: ['VERTEX', 'COPY_DST'] });
      s = await overlayMatchesStats(page);
      expect(s.byKind.buffer).toEqual({ bytes: 65_536, count: 1 });

      // 3. A 640x360 4x MSAA render target with depth: MSAA colour 640*360*4*4 + resolve 640*360*4 +
      //    depth24plus 640*360*4*4 = 8,294,400 bytes of textures, plus the render target itself (0 bytes).
      await submit(page, 'render-target-form', {
        label: 'scene',
        width: '640',
        height: '360',
        format: 'rgba8unorm',
        samples: '4',
        depth: 'depth24plus',
      });
      s = await overlayMatchesStats(page);
      expect(s.byKind.texture).toEqual({ bytes: 349_524 + 8_294_400, count: 4 });
      expect(s.byKind.renderTarget.count).toBe(1);
      expect(await errorText(page)).toBe('');
      expect(await page.evaluate(() => (window.__demo as PlaygroundHook).tableRows())).toBe(s.active);
      await saveScreenshot(page, `playground-populated-${backend}`);

      // 4. An upload through the staging belt: its pooled chunk is counted under "staging", and shown. On WebGL2
      //    the belt's chunks are CPU memory: counted as host bytes, never in the GPU totals.
      await submit(page, 'staging-form', { kib: '48' });
      expect(await errorText(page)).toBe('');
      s = await overlayMatchesStats(page);
      if (backend === 'webgl2') {
        expect(s.hostBytes).toBeGreaterThanOrEqual(48 * 1024);
      } else {
        expect(s.byKind.staging.bytes).toBeGreaterThanOrEqual(48 * 1024);
        expect(s.byKind.staging.count).toBeGreaterThanOrEqual(1);
      }

      // 5. Destroying an attachment the render target uses: ResourceInUseError on the page, nothing destroyed.
      const colorRow = await page.$$eval('#resource-rows tr', (rows) =>
        rows.find((r) => r.textContent?.includes('scene color'))?.getAttribute('data-handle'),
      );
      expect(colorRow).toBeTruthy();
      await page.click(`#resource-rows button[data-handle="${colorRow}"]`);
      expect(await errorText(page)).toMatch(
        /^ResourceInUseError: 'scene color' cannot be destroyed: it is used by 'scene'/,
      );
      expect((await overlayMatchesStats(page)).totalBytes).toBe(s.totalBytes);

      // 6. Destroy everything through the table's buttons, newest first (the render target takes its attachments),
      //    then trim the idle staging chunks (idle once the GPU finished the copy).
      const peak = s.peakBytes;
      for (;;) {
        const handle = await page.$$eval('#resource-rows tr', (rows) =>
          rows.at(-1)?.getAttribute('data-handle'),
        );
        if (!handle) break;
        await page.click(`#resource-rows button[data-handle="${handle}"]`);
        await overlayMatchesStats(page);
      }
      await eventually(
        async () => {
          await page.click('#trim-staging');
          return stats(page);
        },
        (now) => now.byKind.staging.bytes === 0,
        { what: 'trimming to free the idle staging chunks' },
      );
      const end = await overlayMatchesStats(page);
      expect(end.totalBytes).toBe(baseline.totalBytes);
      expect(end.totalCount).toBe(baseline.totalCount);
      expect(end.byKind).toEqual(baseline.byKind);
      expect(end.peakBytes).toBe(peak); // the peak remembers
      expect(await page.$eval('#resource-empty', (e) => (e as HTMLElement).hidden)).toBe(false);
      expect(await page.evaluate(() => (window.__demo as PlaygroundHook).gpuErrors)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it('bad input shows the typed error message on the page and creates nothing (WebGPU)', async () => {
    const { page, errors } = await openDemo(session, '/demos/playground/');
    console.log(`[browser] WebGPU adapter: ${await requireWebGPUAdapter(page)}`);
    const before = await stats(page);

    await submit(page, 'texture-form', {
      label: 'broken',
      width: '-5',
      height: '16',
      layers: '1',
      format: 'rgba8unorm',
      mips: '1',
      samples: '1',
      usage: ['TEXTURE_BINDING'],
    });
    expect(await errorText(page)).toMatch(/^ValidationError: 'broken': size\.width = -5 is invalid/);

    await submit(page, 'buffer-form', { label: 'no usage', size: '256', usage: [] });
    expect(await errorText(page)).toMatch(/^ValidationError: 'no usage': usage = 0 is invalid/);

    // A depth format in the colour slot: both textures are valid and get created, then the render target is
    // rejected, and the page must destroy the two attachments it made for it.
    await submit(page, 'render-target-form', {
      label: 'bad rt',
      width: '64',
      height: '64',
      format: 'depth24plus',
      samples: '1',
      depth: 'depth32float',
    });
    const rtError = await errorText(page);
    expect(rtError).toMatch(/^ValidationError: 'bad rt': /);
    expect(rtError).toContain('depth24plus');

    // Nothing stayed: as many creates as destroys since the baseline, and the ledger is where it was.
    const after = await stats(page);
    expect(after.created - before.created).toBe(2); // the two attachments of the rejected render target
    expect(after.destroyed - before.destroyed).toBe(2);
    expect(after.totalBytes).toBe(before.totalBytes);
    expect(after.active).toBe(before.active);
    expect(await page.evaluate(() => (window.__demo as PlaygroundHook).tableRows())).toBe(before.active);

    // A correct submit clears the error line.
    await submit(page, 'buffer-form', { label: 'fine', size: '256', usage: ['UNIFORM'] });
    expect(await errorText(page)).toBe('');
    await overlayMatchesStats(page);
    await saveScreenshot(page, 'playground-error');
    expect(await page.evaluate(() => (window.__demo as PlaygroundHook).gpuErrors)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
