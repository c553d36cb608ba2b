/**
 * Real Chromium for browser tests: Debian's `chromium` driven by puppeteer-core, WebGPU on SwiftShader
 * (flags from ../shared/ENVIRONMENT.md), pages served by Vite's dev server on localhost (a secure context,
 * which WebGPU requires).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { createServer, type ViteDevServer } from 'vite';

/** Chromium flags that give headless WebGPU on SwiftShader on a machine without GPU or network. */
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-angle=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  // Without it Chromium's GPU process cannot create its own Vulkan instance (vkCreateInstance -7), has no
  // backing for WebGPU swap-chain textures, and destroys the device at the first canvas frame. Compute-only
  // WebGPU works without it; canvases do not.
  '--use-vulkan=swiftshader',
  '--enable-unsafe-swiftshader',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** Where screenshots and other artifacts of browser tests go (ignored by git). */
export const ARTIFACTS_DIR = resolve(import.meta.dirname, '../../test-artifacts');

/** A running dev server and browser, shared by one test file. */
export interface BrowserSession {
  readonly browser: Browser;
  readonly server: ViteDevServer;
  /** `http://localhost:PORT` */
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * Starts Vite (on a free port) and Chromium.
 *
 * @example
 * const session = await startBrowserSession();
 * const { page, errors } = await openPage(session, '/demos/playground/');
 */
export async function startBrowserSession(): Promise<BrowserSession> {
  const server = await createServer({
    configFile: resolve(import.meta.dirname, '../../vite.config.ts'),
    server: { port: 0, host: 'localhost', strictPort: false },
    logLevel: 'warn',
    clearScreen: false,
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('vite did not report a TCP address');
  const origin = `http://localhost:${address.port}`;
  const userDataDir = mkdtempSync(join(tmpdir(), 'gpu-handles-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, `--user-data-dir=${userDataDir}`],
  });
  return {
    browser,
    server,
    origin,
    async close() {
      await browser.close();
      await server.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A page plus every console error and uncaught exception it produced. */
export interface OpenedPage {
  readonly page: Page;
  readonly errors: string[];
}

/**
 * Opens a path of the dev server and records console errors and page errors.
 *
 * @example
 * const { page, errors } = await openPage(session, '/');
 * expect(errors).toEqual([]);
 */
export async function openPage(session: BrowserSession, path: string): Promise<OpenedPage> {
  const page = await session.browser.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) =>
    errors.push(`page error: ${error instanceof Error ? error.message : String(error)}`),
  );
  await page.goto(`${session.origin}${path}`, { waitUntil: 'load' });
  return { page, errors };
}

/**
 * Reports the page's WebGPU adapter (vendor/architecture) and throws when there is none: a skipped GPU suite
 * is a green run that proves nothing.
 *
 * @example
 * console.log(await requireWebGPUAdapter(page));
 */
export async function requireWebGPUAdapter(page: Page): Promise<string> {
  const info = await page.evaluate(async () => {
    if (!('gpu' in navigator)) return undefined;
    const adapter = await navigator.gpu.requestAdapter();
    return adapter ? `vendor=${adapter.info.vendor} architecture=${adapter.info.architecture}` : undefined;
  });
  if (!info)
    throw new Error(
      'Chromium found no WebGPU adapter (check the SwiftShader flags and the chromium package)',
    );
  return info;
}

/**
 * Saves a screenshot under test-artifacts/.
 *
 * @example
 * await saveScreenshot(page, 'playground');
 */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: path as `${string}.png`, fullPage: true });
  return path;
}
