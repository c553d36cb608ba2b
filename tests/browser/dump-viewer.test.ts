/**
 * The dump viewer (demos/dump) in real Chromium: a dump made by a manager on WebGPU, loaded through the file
 * picker, is drawn with treemap areas proportional to bytes; leak suspects follow the threshold; a hostile
 * dump is refused on the page with the field named, leaving the picture as it was; the PNG export is a real
 * PNG of the canvas; a demo page's "Download dump" gives a dump the viewer reads; and a running page is
 * followed live through the dump channel.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGIONS } from '../../demos/dump/draw-view.ts';
import { leakSuspects } from '../../demos/dump/dump-model.ts';
import type { DumpViewerHook, HookView } from '../../demos/dump/hook.ts';
import { parseDump } from '../../demos/dump/parse-dump.ts';
import type { PlaygroundHook } from '../../demos/playground/hook.ts';
import { type BrowserSession, requireWebGPUAdapter, saveScreenshot } from '../support/browser.ts';
import { eventually, openDemo, startDemoSession } from './demo-session.ts';

let session: BrowserSession;
let folder: string;
beforeAll(async () => {
  session = await startDemoSession();
  folder = mkdtempSync(join(tmpdir(), 'gpu-handles-dump-'));
});
afterAll(async () => {
  await session?.close();
  rmSync(folder, { recursive: true, force: true });
});

const view = (page: Page) => page.evaluate(() => (window.__demo as DumpViewerHook).view() ?? null);
const errorText = (page: Page) => page.evaluate(() => (window.__demo as DumpViewerHook).errorText());

/** Makes resources of known sizes on the page's WebGPU manager, uses two, and returns its dump. */
async function makeDump(page: Page): Promise<unknown> {
  return page.evaluate(() => {
    const hook = window.__demo as DumpViewerHook;
    const manager = hook.manager!;
    if (hook.backend !== 'webgpu') throw new Error(`expected WebGPU, got ${hook.backend}`);
    const texture = (label: string, side: number, usage = 0x04 | 0x02) =>
      manager.createTexture({ label, size: [side, side], format: 'rgba8unorm', usage });
    const big = texture('big lightmap', 2048); // 16 MiB
    texture('mid atlas', 512);
    texture('mid atlas', 512);
    const buffer = manager.createBuffer({ label: 'instance data', size: 3 << 20, usage: 0x08 | 0x20 });
    manager.access(big);
    manager.access(buffer);
    return JSON.parse(JSON.stringify(manager.toJSON()));
  });
}

function checkProportional(shown: HookView, totalBytes: number): void {
  const areas = shown.cells.map((c) => c.width * c.height);
  const totalArea = areas.reduce((a, b) => a + b, 0);
  const region = REGIONS.treemap.width * REGIONS.treemap.height;
  expect(Math.abs(totalArea - region) / region).toBeLessThan(1e-6);
  expect(shown.cells.reduce((sum, c) => sum + c.bytes, 0)).toBe(totalBytes);
  for (const [i, cell] of shown.cells.entries()) {
    const share = areas[i]! / totalArea;
    expect(Math.abs(share - cell.bytes / totalBytes), `${cell.kind} ${cell.label}`).toBeLessThan(1e-6);
    expect(cell.x).toBeGreaterThanOrEqual(REGIONS.treemap.x - 1e-6);
    expect(cell.x + cell.width).toBeLessThanOrEqual(REGIONS.treemap.x + REGIONS.treemap.width + 1e-6);
  }
}

describe('dump viewer', () => {
  it('draws a WebGPU manager dump from a file: areas proportional to bytes, leaks by threshold, PNG export', async () => {
    const { page, errors } = await openDemo(session, '/demos/dump/');
    console.log(`[browser] WebGPU adapter: ${await requireWebGPUAdapter(page)}`);
    const dump = await makeDump(page);
    const parsed = parseDump(dump);
    expect(parsed.backend).toBe('webgpu');
    const file = join(folder, 'webgpu-dump.json');
    writeFileSync(file, JSON.stringify(dump));
    const input = (await page.$('#dump-file')) as ElementHandle<HTMLInputElement> | null;
    await input!.uploadFile(file);
    const shown = await eventually(
      () => view(page),
      (v) => v?.source === 'file webgpu-dump.json',
      { what: 'the file dump on show' },
    );
    expect(shown!.resources).toBe(parsed.resources.length);
    expect(shown!.totalBytes).toBe(parsed.total.bytes);
    checkProportional(shown!, parsed.total.bytes);
    const lightmap = shown!.cells.find((c) => c.label === 'big lightmap')!;
    expect(lightmap).toMatchObject({ kind: 'texture', bytes: 2048 * 2048 * 4, count: 1 });
    expect(shown!.cells.find((c) => c.label === 'mid atlas')).toMatchObject({
      count: 2,
      bytes: 2 * 512 * 512 * 4,
    });

    // Leak suspects follow the threshold, as the pure rule computes them from the same dump.
    for (const seconds of [0, 3600]) {
      await page.$eval(
        '#leak-threshold',
        (e, s) => {
          (e as HTMLInputElement).value = String(s);
          e.dispatchEvent(new Event('input'));
        },
        seconds,
      );
      const now = await view(page);
      expect(now!.suspects).toBe(leakSuspects(parsed, seconds * 1000).length);
    }
    expect(leakSuspects(parsed, 0).length).toBe(parsed.resources.filter((r) => r.state === 'live').length);

    // The canvas really shows the biggest cell in the texture colour (threshold 3600 s: no hatching).
    const centre = await page.$eval(
      '#dump-canvas',
      (canvas, cell) => {
        const c = canvas as HTMLCanvasElement;
        const ratio = c.width / 1200;
        const ctx = c.getContext('2d')!;
        const x = Math.round((cell.x + cell.width / 2) * ratio);
        const y = Math.round((cell.y + cell.height / 2) * ratio);
        return [...ctx.getImageData(x, y, 1, 1).data];
      },
      lightmap,
    );
    expect(centre).toEqual([0x3f, 0x7f, 0xbf, 255]);

    // The page's overlay lists its manager's biggest groups by label (createStatsOverlay(m, { biggest: 5 })).
    const rows = await page.evaluate(() => {
      const hook = window.__demo as DumpViewerHook;
      hook.overlay!.refresh();
      const root = hook.overlay!.element.shadowRoot!;
      return [...root.querySelectorAll('[data-biggest-row]')]
        .filter((row) => !(row as HTMLElement).hidden)
        .map((row) => row.textContent);
    });
    expect(rows[0]).toBe('big lightmap16.0 MiB');
    expect(rows).toHaveLength(5);
    const png = await page.evaluate(() => (window.__demo as DumpViewerHook).exportPng());
    expect(png.type).toBe('image/png');
    expect(png.bytes.length).toBeGreaterThan(2000);
    expect(png.bytes.slice(0, 8)).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const be32 = (at: number) =>
      ((png.bytes[at]! << 24) |
        (png.bytes[at + 1]! << 16) |
        (png.bytes[at + 2]! << 8) |
        png.bytes[at + 3]!) >>>
      0;
    const ratio = await page.evaluate(() => devicePixelRatio);
    expect([be32(16), be32(20)]).toEqual([Math.round(1200 * ratio), Math.round(760 * ratio)]);
    console.log(`[browser] PNG export: ${png.bytes.length} bytes`);
    console.log(`[browser] screenshot: ${await saveScreenshot(page, 'dump-viewer-file')}`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses a hostile or broken dump on the page, naming the field, and keeps the picture', async () => {
    const { page, errors } = await openDemo(session, '/demos/dump/');
    const good = await makeDump(page);
    expect(
      await page.evaluate(
        (text) => (window.__demo as DumpViewerHook).showText(text, 'good'),
        JSON.stringify(good),
      ),
    ).toBe(true);
    const paste = async (text: string) => {
      await page.$eval(
        '#dump-paste',
        (e, t) => {
          (e as HTMLTextAreaElement).value = t;
        },
        text,
      );
      await page.click('#dump-load-paste');
      return errorText(page);
    };
    const hostile = structuredClone(good) as { resources: Record<string, unknown>[] };
    hostile.resources[0]!.bytes = -5;
    expect(await paste(JSON.stringify(hostile))).toBe(
      "pasted dump is not a dump this viewer can read: 'dump': resources[0].bytes = -5 is invalid: must be an integer >= 0",
    );
    expect((await view(page))!.source).toBe('good'); // the last good picture stays
    expect(await paste('{"schema": "gpu-handles/dump@1", ')).toMatch(
      /^pasted dump is not a dump .*must be JSON/,
    );
    expect(await paste('{"schema": "vma-stats"}')).toMatch(
      /schema = "vma-stats" is invalid: must be "gpu-handles\/dump@1"/,
    );
    const role = await page.$eval('#dump-error', (e) => e.getAttribute('role'));
    expect(role).toBe('alert');
    await saveScreenshot(page, 'dump-viewer-refusal');
    expect(await paste(JSON.stringify(good))).toBe(''); // a good one clears the error
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a demo page downloads a dump the viewer reads, and is followed live through the dump channel', async () => {
    const playground = await openDemo(session, '/demos/playground/');
    // Capture the download link instead of letting Chromium save a file.
    const downloaded = await playground.page.evaluate(async () => {
      let link: HTMLAnchorElement | undefined;
      const original = HTMLAnchorElement.prototype.click;
      HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
        link = this;
      };
      (document.getElementById('download-dump') as HTMLButtonElement).click();
      HTMLAnchorElement.prototype.click = original;
      if (!link) throw new Error('no download link was clicked');
      return { name: link.download, text: await (await fetch(link.href)).text() };
    });
    expect(downloaded.name).toMatch(/^gpu-handles-dump-playground-.*\.json$/);
    expect(parseDump(JSON.parse(downloaded.text)).backend).toBe('webgpu');

    const viewer = await openDemo(session, '/demos/dump/');
    expect(
      await viewer.page.evaluate(
        (text) => (window.__demo as DumpViewerHook).showText(text, 'downloaded'),
        downloaded.text,
      ),
    ).toBe(true);

    await viewer.page.click('#follow-refresh');
    const peers = await eventually(
      () => viewer.page.evaluate(() => [...(window.__demo as DumpViewerHook).peers()]),
      (list) => list.some((p) => p.page === 'playground'),
      { what: 'the playground on the dump channel' },
    );
    const target = peers.find((p) => p.page === 'playground')!;
    await viewer.page.select('#follow-select', target.id);
    const playgroundBytes = () =>
      playground.page.evaluate(() => (window.__demo as PlaygroundHook).manager.stats().totalBytes);
    const first = await eventually(
      () => view(viewer.page),
      (v) => v?.source === 'following playground',
      { what: 'the followed playground on show' },
    );
    expect(first!.totalBytes).toBe(await playgroundBytes());
    await playground.page.evaluate(() => {
      (window.__demo as PlaygroundHook).manager.createTexture({
        label: 'followed texture',
        size: [256, 256],
        format: 'rgba8unorm',
        usage: 0x04,
      });
    });
    const expected = await playgroundBytes();
    const later = await eventually(
      () => view(viewer.page),
      (v) => v?.totalBytes === expected && v.cells.some((c) => c.label === 'followed texture'),
      { what: 'the new texture in the followed view' },
    );
    checkProportional(later!, expected);
    console.log(`[browser] screenshot: ${await saveScreenshot(viewer.page, 'dump-viewer-follow')}`);
    expect(playground.errors).toEqual([]);
    expect(viewer.errors).toEqual([]);
    await viewer.page.close();
    await playground.page.close();
  });
});
