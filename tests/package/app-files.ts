/**
 * The files of the throwaway app the package test installs the tarball into: a Vite + TypeScript app as the
 * Vite vanilla-ts template makes it (its tsconfig options, plus `strict`), whose sources are the README's
 * first-use code and small entries that import one backend each, and a build script that bundles each entry
 * alone with Vite (minified, as an app build does) and reports the bytes.
 */

/** The Vite vanilla-ts template's compiler options, with `strict` on. */
export const APP_TSCONFIG = {
  compilerOptions: {
    target: 'es2023',
    module: 'esnext',
    lib: ['ES2023', 'DOM'],
    types: ['vite/client'],
    allowArbitraryExtensions: true,
    skipLibCheck: true,
    moduleResolution: 'bundler',
    allowImportingTsExtensions: true,
    verbatimModuleSyntax: true,
    moduleDetection: 'force',
    noEmit: true,
    strict: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    erasableSyntaxOnly: true,
    noFallthroughCasesInSwitch: true,
  },
  include: ['src'],
};

/**
 * Entries bundled one at a time. Each keeps what it creates reachable (exported) so the bundler cannot drop it.
 * `webgpu-overlay` is the lean path the package promises; `root-device` is the README's one-import path,
 * which carries both backends and so proves the GL probes find GL code when it is there.
 */
export const ENTRIES: Record<string, string> = {
  'webgpu-overlay': `import { createStatsOverlay, TextureUsage } from 'gpu-handles';
import { createResourceManager } from 'gpu-handles/webgpu';

const device = await (await navigator.gpu.requestAdapter())!.requestDevice();
export const gpu = createResourceManager({ device });
export const texture = gpu.createTexture({ size: [4, 4], format: 'rgba8unorm', usage: TextureUsage.COPY_DST });
export const overlay = createStatsOverlay(gpu, { budgetBytes: 1 << 28 });
`,
  'webgpu-alone': `import { createResourceManager } from 'gpu-handles/webgpu';

const device = await (await navigator.gpu.requestAdapter())!.requestDevice();
export const gpu = createResourceManager({ device });
`,
  'root-device': `import { createResourceManager } from 'gpu-handles';

const device = await (await navigator.gpu.requestAdapter())!.requestDevice();
export const gpu = createResourceManager({ device });
`,
  'webgl2-alone': `import { createResourceManager } from 'gpu-handles/webgl2';

const gl = document.createElement('canvas').getContext('webgl2')!;
export const gpu = createResourceManager({ gl });
`,
};

/**
 * Type-checked, never bundled: the published declarations resolve to real types. Under `skipLibCheck` (the
 * template's setting) a declaration import that fails to resolve turns into an error type that accepts
 * anything without a message, so each line assigns a wrong value and expects the error real types give.
 */
export const TYPE_CHECKS = `import type { GraphicsResource, Handle, ManagerStats } from 'gpu-handles';
import type { Backend, NormalizedTextureDescriptor } from 'gpu-handles/backend';
import type { WebGL2Objects, WebGL2ResourceManager } from 'gpu-handles/webgl2';
import type { WebGPUObjects, WebGPUResourceManager } from 'gpu-handles/webgpu';

// @ts-expect-error a WebGPU texture is a GPUTexture
export const gpuTexture: WebGPUObjects['texture'] = 1;
// @ts-expect-error a WebGPU encoder is a GPUCommandEncoder
export const encoder: WebGPUObjects['encoder'] = 1;
// @ts-expect-error a WebGL2 texture is the backend's record of one
export const glTexture: WebGL2Objects['texture'] = 1;
// @ts-expect-error a texture handle is not a buffer handle
export const handle: Handle<'buffer'> = 0 as unknown as ReturnType<WebGPUResourceManager['createTexture']>;
// @ts-expect-error stats are an object
export const stats: ReturnType<WebGL2ResourceManager['stats']> = 1;
// @ts-expect-error stats are an object
export const managerStats: ManagerStats = 1;
// @ts-expect-error a record is an object
export const record: GraphicsResource = 1;
// @ts-expect-error only GPUTextureFormat names
export const format: NormalizedTextureDescriptor['format'] = 'not-a-format';
// @ts-expect-error backends receive normalized descriptors
export const backendInput: Parameters<Backend<WebGPUObjects>['createTexture']>[0] = 1;
`;

/**
 * `node build.mjs name...` builds each named `src/<name>.ts` alone into `dist/<name>/` and prints a JSON map
 * of name to the text of every JavaScript file it emitted, concatenated.
 */
export const BUILD_SCRIPT = `import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

const out = {};
for (const name of process.argv.slice(2)) {
  const outDir = join('dist', name);
  await build({
    configFile: false,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, rollupOptions: { input: { [name]: join('src', name + '.ts') } } },
  });
  const files = readdirSync(outDir, { recursive: true }).map(String).filter((f) => f.endsWith('.js'));
  out[name] = files.map((f) => readFileSync(join(outDir, f), 'utf8')).join('\\n');
}
console.log(JSON.stringify(out));
`;

/**
 * The first ```ts code block under the README's "First use" heading: the README stays the source.
 *
 * @example
 * writeFileSync('src/readme.ts', firstUseCode(readFileSync('README.md', 'utf8')));
 */
export function firstUseCode(readme: string): string {
  const section = readme.split(/^## First use\s*$/m)[1];
  const code = section?.match(/```ts\n([\s\S]*?)```/)?.[1];
  if (code === undefined) throw new Error('README.md has no ```ts block under "## First use"');
  return code;
}
