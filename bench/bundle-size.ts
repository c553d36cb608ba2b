/**
 * Bundle size of each way into the package: a tiny app per path, bundled alone by Vite (an app build,
 * minified) from this repository's sources, gzipped at level 9. The WebGPU-only path with the overlay has a
 * target of 20 KB gzip and must carry no WebGL2 code; the root's two-backend `createResourceManager` is the
 * baseline it is compared with. Sizes are deterministic, so one build per path is the measurement.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const SRC = join(import.meta.dirname, '..', '..', 'src');
const TARGET_GZIP = 20 * 1024;
/** GL entry points the WebGL2 backend and twgl.js call; no WebGPU code names them. */
const GL_PROBES = ['texStorage2D', 'framebufferTexture2D', 'fenceSync', 'getProgramInfoLog', 'WEBGL_'];

const DEVICE = 'const device = await (await navigator.gpu.requestAdapter())!.requestDevice();\n';
const GL = "const gl = document.createElement('canvas').getContext('webgl2')!;\n";
const OVERLAY = 'export const overlay = createStatsOverlay(gpu, { budgetBytes: 1 << 28 });\n';

const PATHS: Record<string, string> = {
  'root createResourceManager({ device })': `import { createResourceManager } from 'gpu-handles';\n${DEVICE}export const gpu = createResourceManager({ device });\n`,
  'root createResourceManager({ device }) + overlay': `import { createResourceManager, createStatsOverlay } from 'gpu-handles';\n${DEVICE}export const gpu = createResourceManager({ device });\n${OVERLAY}`,
  'gpu-handles/webgpu': `import { createResourceManager } from 'gpu-handles/webgpu';\n${DEVICE}export const gpu = createResourceManager({ device });\n`,
  'gpu-handles/webgpu + overlay': `import { createStatsOverlay } from 'gpu-handles';\nimport { createResourceManager } from 'gpu-handles/webgpu';\n${DEVICE}export const gpu = createResourceManager({ device });\n${OVERLAY}`,
  'gpu-handles/webgl2': `import { createResourceManager } from 'gpu-handles/webgl2';\n${GL}export const gpu = createResourceManager({ gl });\n`,
};

interface Measured {
  readonly minified: number;
  readonly gzip: number;
  readonly gl: boolean;
}

async function bundle(dir: string, name: string, code: string): Promise<Measured> {
  const entry = join(dir, `${name.replace(/\W+/g, '-')}.ts`);
  const outDir = `${entry}.out`;
  writeFileSync(entry, code);
  await build({
    configFile: false,
    logLevel: 'error',
    root: dir,
    resolve: {
      alias: [
        { find: /^gpu-handles$/, replacement: join(SRC, 'index.ts') },
        { find: /^gpu-handles\/(webgpu|webgl2|backend)$/, replacement: join(SRC, '$1.ts') },
      ],
    },
    build: { outDir, emptyOutDir: true, rollupOptions: { input: { main: entry } } },
  });
  const files = readdirSync(outDir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.js'));
  const text = files.map((f) => readFileSync(join(outDir, f), 'utf8')).join('\n');
  return {
    minified: text.length,
    gzip: gzipSync(text, { level: 9 }).length,
    gl: GL_PROBES.some((probe) => text.includes(probe)),
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * Prints each path's minified and gzip -9 size, whether it carries WebGL2 code, and the WebGPU path's ratio
 * to the root path. Returns false when the WebGPU + overlay path misses its target.
 *
 * @example
 * const ok = await benchBundleSize();
 */
export async function benchBundleSize(): Promise<boolean> {
  console.log('== Bundle size (Vite app build, minified, gzip -9) ==');
  const dir = mkdtempSync(join(tmpdir(), 'gpu-handles-bundle-'));
  const sizes = new Map<string, Measured>();
  try {
    for (const [name, code] of Object.entries(PATHS)) {
      const m = await bundle(dir, name, code);
      sizes.set(name, m);
      const gl = m.gl ? 'WebGL2 code: yes' : 'WebGL2 code: no';
      console.log(
        `${name.padEnd(50)} ${kb(m.minified).padStart(9)} min  ${kb(m.gzip).padStart(8)} gzip  ${gl}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const lean = sizes.get('gpu-handles/webgpu + overlay')!;
  const root = sizes.get('root createResourceManager({ device }) + overlay')!;
  console.log(`webgpu + overlay / root + overlay (gzip): ${(lean.gzip / root.gzip).toFixed(2)}x`);
  const met = lean.gzip <= TARGET_GZIP && !lean.gl;
  console.log(
    `${met ? 'MET ' : 'MISS'} gpu-handles/webgpu + overlay: ${kb(lean.gzip)} gzip, target <= ${kb(TARGET_GZIP)}` +
      ` and no WebGL2 code (${lean.gl ? 'has some' : 'none'})`,
  );
  return met;
}
