/**
 * The side-by-side figures: what the tracking manager counts, what three.js's `renderer.info.memory` says,
 * and what webgpu-memory says (WebGPU only), for textures, buffers and the total.
 */
import type { WebGL2TrackingManager, WebGPUTrackingManager } from '../../src/index.ts';

/** The manager of either backend. */
export type AnyTrackingManager = WebGPUTrackingManager | WebGL2TrackingManager;

/** One row of figures (undefined: that tool does not say). */
export interface ComparisonRow {
  readonly name: string;
  readonly ours: number;
  readonly three: number | undefined;
  readonly webgpuMemory: number | undefined;
}

/** The table. `canvasBytes` is the swap chain / drawing buffer part of ours (estimated, see the labels). */
export interface Comparison {
  readonly rows: readonly ComparisonRow[];
  readonly canvasBytes: number;
}

interface ThreeMemory {
  readonly textures?: number;
  readonly geometries?: number;
  readonly texturesSize?: number;
  readonly attributesSize?: number;
  readonly indexAttributesSize?: number;
  readonly uniformBuffersSize?: number;
  readonly storageAttributesSize?: number;
  readonly indirectStorageAttributesSize?: number;
  readonly total?: number;
}

/** webgpu-memory's report for one device. */
export interface WebGPUMemoryReport {
  readonly memory: {
    readonly total: number;
    readonly buffer: number;
    readonly texture: number;
    readonly canvas: number;
  };
}

const CANVAS_LABELS = /^(swap chain|drawing buffer)/;

/**
 * Reads the three sources once.
 *
 * @example
 * const table = compare(manager, renderer.info.memory, getWebGPUMemoryUsage(device));
 */
export function compare(
  manager: AnyTrackingManager,
  three: ThreeMemory,
  webgpuMemory: WebGPUMemoryReport | undefined,
): Comparison {
  const resources = manager.toJSON().resources;
  let canvasBytes = 0;
  let textures = 0;
  let buffers = 0;
  for (const r of resources) {
    if (r.kind === 'texture' && CANVAS_LABELS.test(r.label)) canvasBytes += r.bytes;
    else if (r.kind === 'texture') textures += r.bytes;
    else if (r.kind === 'buffer') buffers += r.bytes;
  }
  const threeBuffers =
    three.attributesSize === undefined
      ? undefined
      : (three.attributesSize ?? 0) +
        (three.indexAttributesSize ?? 0) +
        (three.uniformBuffersSize ?? 0) +
        (three.storageAttributesSize ?? 0) +
        (three.indirectStorageAttributesSize ?? 0);
  return {
    canvasBytes,
    rows: [
      {
        name: 'textures',
        ours: textures,
        three: three.texturesSize,
        webgpuMemory: webgpuMemory?.memory.texture,
      },
      { name: 'buffers', ours: buffers, three: threeBuffers, webgpuMemory: webgpuMemory?.memory.buffer },
      {
        name: 'canvas (model)',
        ours: canvasBytes,
        three: undefined,
        webgpuMemory: webgpuMemory?.memory.canvas,
      },
      {
        name: 'total',
        ours: manager.stats().totalBytes,
        three: three.total,
        webgpuMemory: webgpuMemory?.memory.total,
      },
      {
        name: 'textures (count)',
        ours: resources.filter((r) => r.kind === 'texture').length,
        three: three.textures,
        webgpuMemory: undefined,
      },
    ],
  };
}
