/**
 * Loads the TypeScript sources (src/, tests/support/) in plain Node for the long-running scripts, through
 * Vite's SSR module loader (the same transform the test runner uses), without a build step.
 *
 * @example
 * const { modules, close } = await loadSources(['/src/index.ts']);
 */
import { resolve } from 'node:path';
import { createServer } from 'vite';

const ROOT = resolve(import.meta.dirname, '..');

/** Loads each root-relative path and returns the modules, plus `close` to stop the loader. */
export async function loadSources(paths) {
  const server = await createServer({
    root: ROOT,
    configFile: false,
    logLevel: 'error',
    appType: 'custom',
    server: { middlewareMode: true, hmr: false, ws: false },
    optimizeDeps: { noDiscovery: true },
  });
  const modules = [];
  for (const path of paths) modules.push(await server.ssrLoadModule(path));
  return { modules, close: () => server.close() };
}

/** Reads `--name value` options with numeric defaults. */
export function numericArgs(defaults) {
  const out = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]?.replace(/^--/, '');
    const value = Number(argv[i + 1]);
    if (!(name in defaults) || !Number.isFinite(value)) {
      throw new Error(
        `unknown option or bad value: ${argv[i]} ${argv[i + 1]} (options: ${Object.keys(defaults).join(', ')})`,
      );
    }
    out[name] = value;
  }
  return out;
}

/** A Dawn device on SwiftShader; keep `gpu` referenced while the device lives (see ENVIRONMENT.md). */
export async function dawnDevice() {
  process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json';
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([]);
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('No WebGPU adapter from Dawn: apt-get install -y chromium libvulkan1');
  const device = await adapter.requestDevice();
  console.log(`Dawn adapter: ${adapter.info.vendor} ${adapter.info.architecture}`);
  return { gpu, device };
}
