/**
 * WebGL2 uploads in real headless Chromium (ANGLE on SwiftShader): for scattered writes raw `bufferSubData`
 * per write, the manager's belt, one upload into a staging GL buffer plus a `copyBufferSubData` per run of
 * adjacent writes, a transform-feedback scatter (bench/pages/webgl2-tf-scatter.ts), the belt's staged and
 * write-through shapes without the manager and a per-write breakdown (bench/pages/webgl2-uploads-parts.ts);
 * adjacent writes; and 4 MiB uploads (8 per timed frame), direct and staged. The page
 * (bench/pages/webgl2-uploads.html, served by Vite) times blocks of frames that each end with a 1-pixel
 * `readPixels` (a full GPU sync); this side runs the interleaved rounds (A B, B A, ...) and prints ratios of
 * the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Page } from 'puppeteer-core';
import { createServer } from 'vite';
import { CHROMIUM_ARGS } from '../tests/support/browser.ts';
import { median, ms } from './gpu.ts';
import type { UploadSide } from './pages/webgl2-uploads-api.ts';
import { line, type RoundPlan, type RoundRatios, summarize } from './rounds.ts';

/** The repository: this file runs from bench/ or, compiled, from .bench-out/bench/. */
const ROOT = resolve(import.meta.dirname, import.meta.dirname.includes('.bench-out') ? '../..' : '..');
const PLAN: RoundPlan = { rounds: 5, warmup: 2, samples: 5 };

/** Interleaved rounds of two sides of the page; a round's ratio is median(a) / median(b). */
async function rounds(page: Page, plan: RoundPlan, a: UploadSide, b: UploadSide): Promise<RoundRatios> {
  const ratios: number[] = [];
  const all: [number[], number[]] = [[], []];
  const sides = [a, b] as const;
  for (let round = 0; round < plan.rounds; round++) {
    const times: [number, number] = [0, 0];
    for (const side of round % 2 === 0 ? [0, 1] : [1, 0]) {
      const block = await page.evaluate(
        (name, warmup, samples) => window.uploadBench!.block(name, warmup, samples),
        sides[side]!,
        plan.warmup,
        plan.samples,
      );
      all[side as 0 | 1].push(...block);
      times[side as 0 | 1] = median(block);
    }
    ratios.push(times[0] / times[1]);
  }
  return summarize(ratios, all);
}

/** Prints a measured comparison that decides something rather than meeting a target. */
function inform(name: string, r: RoundRatios, note: string): void {
  const spread = `[${r.low.toFixed(2)}-${r.high.toFixed(2)}]`;
  const detail = `${ms(r.bMs)} vs ${ms(r.aMs)}`;
  console.log(
    `${name.padEnd(54)} ${detail.padEnd(30)} ratio ${r.ratio.toFixed(2)}x ${spread.padEnd(13)} ${note}`,
  );
}

/**
 * Runs the WebGL2 upload comparisons in one Chromium page; returns whether every target was met.
 *
 * @example
 * const ok = await benchWebGL2Uploads();
 */
export async function benchWebGL2Uploads(): Promise<boolean> {
  const server = await createServer({
    root: ROOT,
    configFile: false,
    server: { port: 0, host: 'localhost', strictPort: false, watch: null, hmr: false },
    logLevel: 'warn',
    clearScreen: false,
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('vite did not report a TCP address');
  const userDataDir = mkdtempSync(join(tmpdir(), 'gpu-handles-bench-'));
  const browser = await puppeteer.launch({
    executablePath: process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, `--user-data-dir=${userDataDir}`],
  });
  try {
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') console.log(`[page] ${message.text()}`);
    });
    await page.goto(`http://localhost:${address.port}/bench/pages/webgl2-uploads.html`, {
      waitUntil: 'load',
    });
    await page.waitForFunction(
      () => window.uploadBench !== undefined || window.uploadBenchError !== undefined,
      {
        timeout: 60_000,
      },
    );
    const failure = await page.evaluate(() => window.uploadBenchError);
    if (failure) throw new Error(`the WebGL2 bench page failed: ${failure}`);
    console.log(`[webgl2] ${await page.evaluate(() => window.uploadBench!.renderer)}`);
    const verified = await page.evaluate(() => window.uploadBench!.verify());
    const wrong = Object.entries(verified).filter(([, ok]) => !ok);
    console.log(`every path lands byte-exact: ${wrong.length === 0 ? 'yes' : `NO (${wrong.join(', ')})`}`);

    const belt = await rounds(page, PLAN, 'raw', 'belt');
    const staged = await rounds(page, PLAN, 'raw', 'stagedCopies');
    const stagedVsBelt = await rounds(page, PLAN, 'belt', 'stagedCopies');
    const tf = await rounds(page, PLAN, 'stagedCopies', 'tfScatter');
    const tfFew = await rounds(page, PLAN, 'rawFew', 'tfScatterFew');
    const rebinding = await rounds(page, PLAN, 'raw', 'rawRebinding');
    const adjacent = await rounds(page, PLAN, 'rawAdjacent', 'beltAdjacent');
    const callForm = await rounds(page, PLAN, 'raw', 'raw5');
    const noManager = await rounds(page, PLAN, 'raw', 'stagedNoManager');
    const throughVsStaged = await rounds(page, PLAN, 'stagedNoManager', 'writeThroughNoManager');
    const large = await rounds(page, PLAN, 'rawLarge', 'beltLarge');
    const largeStaged = await rounds(page, PLAN, 'rawLarge', 'beltStagedLarge');
    /** A target line: side B's speed-up over side A must be at least `min`. */
    const atLeast = (name: string, r: RoundRatios, min: number) =>
      line(name, `${ms(r.bMs)} vs ${ms(r.aMs)}`, r, `>= ${min}x`, r.ratio >= min);
    const ok = [atLeast('WebGL2 10,000 x 256 B scattered: belt vs bufferSubData', belt, 1)];
    inform('scattered: staged copies vs bufferSubData', staged, '');
    inform('scattered: staged copies vs belt', stagedVsBelt, '(> 1.3x adopts)');
    inform('scattered: transform-feedback scatter vs staged copies', tf, '');
    inform('1,000 scattered: transform-feedback scatter vs bufferSubData', tfFew, '');
    inform('scattered: bufferSubData bind+restore each vs bind once', rebinding, '');
    inform('scattered: bufferSubData(t, o, src, srcOff, len) vs (t, o, view)', callForm, '');
    inform('scattered, no manager: staged log + flush vs bufferSubData', noManager, '');
    inform('scattered, no manager: write-through vs staged log', throughVsStaged, '(> 1x adopts)');
    ok.push(atLeast('WebGL2 10,000 x 256 B adjacent: belt vs bufferSubData', adjacent, 1));
    ok.push(atLeast('WebGL2 4 MiB upload: belt (direct) vs bufferSubData', large, 0.9));
    inform('4 MiB: belt, directWriteBytes Infinity vs bufferSubData', largeStaged, '');
    const breakdown = await page.evaluate(() => window.uploadBench!.breakdown());
    console.log(
      'where a scattered 256 B write goes (ns per write, each part timed alone, median of 21 frames):',
    );
    for (const [part, us] of Object.entries(breakdown))
      console.log(`  ${part.padEnd(48)} ${Math.round(us * 1000)} ns`);
    const adopt = stagedVsBelt.ratio > 1.3;
    console.log(
      `WebGL2 scattered path: ${adopt ? 'staged copyBufferSubData beats' : 'bufferSubData runs kept over'} staged copies (${stagedVsBelt.ratio.toFixed(2)}x the belt) and the transform-feedback scatter (${(tf.ratio * stagedVsBelt.ratio).toFixed(2)}x the belt)`,
    );
    for (const runs of [10, 100, 1000, 2500, 5000, 10_000]) {
      const r = await rounds(page, PLAN, `subDataRuns${runs}`, `copyRuns${runs}`);
      inform(`${runs} runs: staged copies vs bufferSubData runs`, r, '');
    }
    return wrong.length === 0 && !ok.includes(false);
  } finally {
    await browser.close();
    await server.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}
