import { AtlasError } from './atlas-error.ts';
import type { AtlasGpuOps } from './atlas-gpu-ops.ts';
import type { AtlasManager } from './atlas-manager.ts';
import { type AtlasOptions, normalizeAtlasOptions } from './atlas-options.ts';
import { TextureAtlas } from './texture-atlas.ts';
import { WebGL2AtlasOps } from './webgl2-atlas-ops.ts';
import { WebGPUAtlasOps } from './webgpu-atlas-ops.ts';

/**
 * Creates a texture atlas on a manager: pages are textures of the manager (counted by its ledger, labelled
 * `'<label> page N'`), pixels go through its staging belt, regions are handles of the manager (kind
 * `atlasRegion`, 0 bytes) that compaction never breaks, and pages come back with their contents after a
 * device loss (`keepPixels`).
 *
 * @example
 * const glyphs = createAtlas(manager, { label: 'glyphs', format: 'r8unorm', pageSize: 1024, padding: 2 });
 * const a = glyphs.add({ width: 9, height: 14, data: coverage });
 * glyphs.flush();
 * const { uv } = glyphs.region(a);
 */
export function createAtlas(manager: AtlasManager, options?: AtlasOptions): TextureAtlas {
  const normalized = normalizeAtlasOptions(manager, options);
  return new TextureAtlas(manager, normalized, backendOps(manager, normalized));
}

function backendOps(manager: AtlasManager, options: ReturnType<typeof normalizeAtlasOptions>): AtlasGpuOps {
  const backend = manager.backend as unknown as { device?: GPUDevice; gl?: WebGL2RenderingContext };
  if (manager.backendName === 'webgpu' && backend.device !== undefined)
    return new WebGPUAtlasOps(manager, options);
  if (manager.backendName === 'webgl2' && backend.gl !== undefined)
    return new WebGL2AtlasOps(manager, options);
  throw new AtlasError(options.label, 'manager', manager.backendName, 'must be a WebGPU or WebGL2 manager');
}
