/**
 * The package as a user gets it: `npm pack` (which builds dist/ through `prepack`), the tarball installed
 * offline into a fresh Vite + TypeScript app (strict, the vanilla-ts template's options), the README's
 * first-use code type-checked there, and each entry bundled alone with the app's Vite. The WebGPU-only
 * bundle must hold no WebGL2 code and no twgl.js, and stay within its size budget.
 *
 * Offline: the app's lock is cut from this repository's lock (tests/package/offline-lock.ts), so npm takes
 * every tarball from the cache that `npm ci` filled.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_TSCONFIG, BUILD_SCRIPT, ENTRIES, firstUseCode, TYPE_CHECKS } from './app-files.ts';
import { type Lockfile, offlineLock } from './offline-lock.ts';

const REPO = new URL('../..', import.meta.url).pathname;
/**
 * The size budget of the WebGPU-only bundle with the overlay, gzip -9. The first goal was 20 KB, for four kinds;
 * with twelve kinds validated in full, budgets, restore and scattered uploads it measures about 50 KB
 * (`npm run bench` prints it against 20 KB). This budget holds that line until kinds can be left out of a
 * bundle; raising it is a decision, not a fix.
 */
const GZIP_BUDGET = 56 * 1024;

/**
 * Names only WebGL2 code contains: GL entry points the backend calls (property names survive minification)
 * and twgl.js's own. None of them is a WebGPU name.
 */
const GL_PROBES = [
  'texStorage2D',
  'framebufferTexture2D',
  'renderbufferStorageMultisample',
  'fenceSync',
  'getProgramInfoLog',
  'EXT_color_buffer_float',
  'WEBGL_',
  'uniformMatrix4fv',
];

interface App {
  readonly dir: string;
  readonly tarball: string;
  readonly files: readonly string[];
  readonly typecheck: { ok: boolean; output: string };
  readonly bundles: Record<string, string>;
  /** Each entry point's runtime export names, as Node imports the installed package. */
  readonly nodeExports: Record<string, string[]>;
}

const ENTRY_POINTS: Record<string, string> = {
  'gpu-handles': 'index',
  'gpu-handles/webgpu': 'webgpu',
  'gpu-handles/webgl2': 'webgl2',
  'gpu-handles/backend': 'backend',
};

const NODE_IMPORT = `const out = {};
for (const entry of ${JSON.stringify(Object.keys(ENTRY_POINTS))}) out[entry] = Object.keys(await import(entry)).sort();
console.log(JSON.stringify(out));`;

let app: App | undefined;

function run(command: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    // tsc prints its errors on stdout, npm on stderr: show both, or a failed build says only "Command failed".
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

function lockedVersion(lock: Lockfile, name: string): string {
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (version === undefined) throw new Error(`package-lock.json has no top-level ${name}`);
  return version;
}

function gzipBytes(text: string): number {
  return gzipSync(text, { level: 9 }).length;
}

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'gpu-handles-app-'));
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir], REPO)) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = packed[0]!.filename;
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const repoLock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as Lockfile;
  const direct = {
    [manifest.name]: `file:${tarball}`,
    typescript: lockedVersion(repoLock, 'typescript'),
    vite: lockedVersion(repoLock, 'vite'),
  };
  const integrity = `sha512-${createHash('sha512')
    .update(readFileSync(join(dir, tarball)))
    .digest('base64')}`;
  const lock = offlineLock(repoLock, 'gpu-handles-app', direct, {
    [`node_modules/${manifest.name}`]: {
      version: manifest.version,
      resolved: `file:${tarball}`,
      integrity,
      license: 'MIT',
      dependencies: manifest.dependencies ?? {},
      peerDependencies: manifest.peerDependencies ?? {},
    },
  });
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write(
    'package.json',
    JSON.stringify({ name: 'gpu-handles-app', private: true, type: 'module', dependencies: direct }, null, 2),
  );
  write('package-lock.json', JSON.stringify(lock, null, 2));
  write('tsconfig.json', JSON.stringify(APP_TSCONFIG, null, 2));
  write('build.mjs', BUILD_SCRIPT);
  write('src/readme.ts', firstUseCode(readFileSync(join(REPO, 'README.md'), 'utf8')));
  write('src/type-checks.ts', TYPE_CHECKS);
  for (const [name, code] of Object.entries(ENTRIES)) write(`src/${name}.ts`, code);

  run('npm', ['install', '--offline', '--no-audit', '--no-fund'], dir);
  let typecheck = { ok: true, output: '' };
  try {
    run(join(dir, 'node_modules/.bin/tsc'), ['-p', '.'], dir);
  } catch (error) {
    typecheck = { ok: false, output: (error as Error).message };
  }
  const bundles = JSON.parse(run('node', ['build.mjs', ...Object.keys(ENTRIES)], dir)) as Record<
    string,
    string
  >;
  const nodeExports = JSON.parse(
    run('node', ['--input-type=module', '-e', NODE_IMPORT], dir),
  ) as App['nodeExports'];
  app = { dir, tarball, files: packed[0]!.files.map((f) => f.path), typecheck, bundles, nodeExports };
}, 180_000);

afterAll(() => {
  // GPU_HANDLES_KEEP_APP=1 keeps the app for a look by hand (its folder is printed).
  if (app && process.env.GPU_HANDLES_KEEP_APP) console.log(`app kept in ${app.dir}`);
  else if (app) rmSync(app.dir, { recursive: true, force: true });
});

function built(): App {
  if (!app) throw new Error('the app was not built (see the beforeAll error)');
  return app;
}

describe('the packed package', () => {
  it('ships dist/ with JavaScript, declarations and source maps for every entry, and no sources or shaders', () => {
    const { files } = built();
    for (const entry of ['index', 'webgpu', 'webgl2', 'backend']) {
      for (const ext of ['.js', '.d.ts', '.js.map']) expect(files).toContain(`dist/${entry}${ext}`);
    }
    expect(files.filter((f) => !f.startsWith('dist/')).sort()).toEqual(['README.md', 'package.json']);
    expect(files.filter((f) => f.endsWith('.wgsl') || f.endsWith('.glsl'))).toEqual([]);
  });

  it('every entry point imports in Node through the exports map, with the same names as the sources', async () => {
    const { nodeExports } = built();
    for (const [entry, file] of Object.entries(ENTRY_POINTS)) {
      const source = (await import(`../../src/${file}.ts`)) as object;
      expect(nodeExports[entry], entry).toEqual(Object.keys(source).sort());
    }
  });

  it("type-checks the README's first-use code in a strict Vite + TypeScript app, with real GPU types", () => {
    const { typecheck } = built();
    expect(typecheck.output).toBe('');
    expect(typecheck.ok).toBe(true);
  });

  it('the WebGPU-only bundle with the overlay holds no WebGL2 code and no twgl.js', () => {
    const { bundles } = built();
    const sizes = Object.entries(bundles).map(
      ([name, text]) => `${name} ${(gzipBytes(text) / 1024).toFixed(1)} KB`,
    );
    console.log(`gzip -9 sizes: ${sizes.join(', ')}`);
    const lean = bundles['webgpu-overlay']!;
    expect(lean).toContain('createTexture'); // the bundle really holds the manager
    expect(GL_PROBES.filter((probe) => lean.includes(probe))).toEqual([]);
  });

  it('the WebGPU-only bundle with the overlay stays within its size budget, and well under the root bundle', () => {
    const { bundles } = built();
    const gzip = gzipBytes(bundles['webgpu-overlay']!);
    expect(gzip, `${(gzip / 1024).toFixed(1)} KB gzip`).toBeLessThanOrEqual(GZIP_BUDGET);
    // The root path carries both backends and twgl.js; the lean path must leave a real share of that out.
    expect(gzip / gzipBytes(bundles['root-device']!)).toBeLessThan(0.8);
  });

  it('the probes find WebGL2 code where it is: the root createResourceManager and gpu-handles/webgl2', () => {
    const { bundles } = built();
    for (const name of ['root-device', 'webgl2-alone']) {
      expect(
        GL_PROBES.filter((probe) => !bundles[name]!.includes(probe)),
        name,
      ).toEqual([]);
    }
  });
});
