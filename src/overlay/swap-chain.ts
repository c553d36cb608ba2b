/**
 * Swap-chain accounting: the textures a canvas presents from are allocated by the browser, not through the
 * manager, so the ledger never sees them. This file estimates them from what the page can observe, so the
 * overlay can show the page's whole GPU footprint.
 *
 * What is counted: `width * height * bytesPerPixel(format) * bufferCount`, where width/height are the canvas's
 * drawing-buffer size (`canvas.width`/`canvas.height`, read each time, so resizes are followed) and the format
 * is the one the context was configured with (`bgra8unorm`, `rgba8unorm`, `rgba16float`, ...).
 *
 * The buffer count is an assumption, not a measurement. Chromium's WebGPU canvas (WebGPUSwapBufferProvider)
 * holds the texture being drawn, the last one presented (held until the compositor releases it) and recycles a
 * few more (kMaxRecycledSwapBuffers = 3 in Chromium's source), so the real count moves between 1 and about 5
 * with compositor latency; 3 (triple buffering) is the steady state of an animating page and the default here.
 * A WebGL2 canvas with `preserveDrawingBuffer: false` is double-buffered: pass `bufferCount: 2`.
 *
 * What cannot be known from a page: the driver's padding, alignment and compression of those textures; the
 * compositor's own copies (display scaling, colour conversion, screenshot or capture paths); a WebGL canvas's
 * implicit depth/stencil and MSAA buffers (add them yourself if you asked for them); whether the browser has
 * freed the recycled textures of a canvas that stopped drawing.
 *
 * Deliberately free of WebGPU types: a canvas element (or anything with `width`/`height`) and a format string are
 * enough, and a `GPUCanvasContext` fits `{ canvas }` structurally.
 */
import { ValidationError } from '../errors.ts';
import { getFormatInfo } from '../resources/formats.ts';

/** Buffers assumed per canvas when none is given: Chromium's steady state for an animating WebGPU canvas. */
export const DEFAULT_SWAP_CHAIN_BUFFERS = 3;

/** Anything with a drawing-buffer size: `HTMLCanvasElement`, `OffscreenCanvas`. */
export interface CanvasLike {
  readonly width: number;
  readonly height: number;
}

/** A canvas, or a context that names its canvas (a `GPUCanvasContext`, a `WebGL2RenderingContext`). */
export type SwapChainSource = CanvasLike | { readonly canvas: CanvasLike };

/** How a canvas's swap chain is configured. */
export interface SwapChainOptions {
  /** The format the context was configured with, e.g. `navigator.gpu.getPreferredCanvasFormat()`. */
  format: string;
  /** Textures the browser keeps for this canvas. Default {@link DEFAULT_SWAP_CHAIN_BUFFERS}. */
  bufferCount?: number;
  /** Shown in error messages and entries. Default `'canvas'`. */
  label?: string;
}

/** One registered canvas, measured now. */
export interface SwapChainEntry {
  readonly label: string;
  readonly width: number;
  readonly height: number;
  readonly format: string;
  readonly bufferCount: number;
  readonly bytes: number;
}

/**
 * Estimated bytes of a swap chain: width * height * bytes per pixel of `format` * `bufferCount`.
 * Throws `ValidationError` for an unknown, compressed or depth/stencil format, a negative or fractional size,
 * or a buffer count that is not an integer >= 1. A 0x0 canvas costs 0 bytes.
 *
 * @example
 * swapChainBytes({ width: 1920, height: 1080, format: 'bgra8unorm' }) // 24_883_200 (3 buffers)
 * swapChainBytes({ width: 800, height: 600, format: 'rgba16float', bufferCount: 2 }) // 7_680_000
 */
export function swapChainBytes(input: {
  width: number;
  height: number;
  format: string;
  bufferCount?: number;
  label?: string;
}): number {
  const label = input.label ?? 'canvas';
  const bytesPerPixel = canvasBytesPerPixel(input.format, label);
  const bufferCount = input.bufferCount ?? DEFAULT_SWAP_CHAIN_BUFFERS;
  checkBufferCount(bufferCount, label);
  for (const field of ['width', 'height'] as const) {
    const value = input[field];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new ValidationError(label, field, value, 'must be an integer number of pixels >= 0');
    }
  }
  return input.width * input.height * bytesPerPixel * bufferCount;
}

/**
 * The canvases whose swap chains count toward a page's footprint. Sizes are read at each query, never cached,
 * so a resized canvas is followed without any listener.
 *
 * @example
 * const swapChains = new SwapChainRegistry();
 * const unregister = swapChains.register(context, { format: 'bgra8unorm' });
 * swapChains.totalBytes(); // 3 * canvas.width * canvas.height * 4
 * unregister();
 */
export class SwapChainRegistry {
  private readonly registered = new Map<
    symbol,
    { canvas: CanvasLike; options: Required<SwapChainOptions> }
  >();

  /** Registered canvases. */
  get size(): number {
    return this.registered.size;
  }

  /**
   * Registers a canvas (or a context with a `canvas`); returns the function that unregisters it (calling it
   * twice is harmless). Validates the options at once, so a bad format fails here, not at the next repaint.
   *
   * @example
   * const off = registry.register(canvas, { format: 'rgba8unorm', bufferCount: 2, label: 'webgl canvas' });
   */
  register(source: SwapChainSource, options: SwapChainOptions): () => void {
    const label = options.label ?? 'canvas';
    const full: Required<SwapChainOptions> = {
      format: options.format,
      bufferCount: options.bufferCount ?? DEFAULT_SWAP_CHAIN_BUFFERS,
      label,
    };
    canvasBytesPerPixel(full.format, label);
    checkBufferCount(full.bufferCount, label);
    const canvas = 'canvas' in source ? source.canvas : source;
    const key = Symbol(label);
    this.registered.set(key, { canvas, options: full });
    return () => {
      this.registered.delete(key);
    };
  }

  /**
   * Every registered canvas with its size and estimated bytes, measured now.
   *
   * @example
   * for (const e of registry.entries()) console.log(e.label, e.width, e.height, e.bytes);
   */
  entries(): SwapChainEntry[] {
    const out: SwapChainEntry[] = [];
    for (const { canvas, options } of this.registered.values()) {
      const { width, height } = canvas;
      out.push({ ...options, width, height, bytes: swapChainBytes({ width, height, ...options }) });
    }
    return out;
  }

  /**
   * Estimated bytes of every registered swap chain, measured now.
   *
   * @example
   * const pageBytes = manager.stats().totalBytes + registry.totalBytes();
   */
  totalBytes(): number {
    let total = 0;
    for (const { canvas, options } of this.registered.values()) {
      total += swapChainBytes({ width: canvas.width, height: canvas.height, ...options });
    }
    return total;
  }

  /** Unregisters every canvas. */
  clear(): void {
    this.registered.clear();
  }
}

function canvasBytesPerPixel(format: string, label: string): number {
  const info = getFormatInfo(format);
  if (!info) throw new ValidationError(label, 'format', format, 'is not a known GPUTextureFormat');
  if (info.compressed || info.aspect !== 'color') {
    throw new ValidationError(
      label,
      'format',
      format,
      'must be an uncompressed colour format (a canvas format)',
    );
  }
  return info.bytesPerBlock;
}

function checkBufferCount(bufferCount: number, label: string): void {
  if (!Number.isInteger(bufferCount) || bufferCount < 1) {
    throw new ValidationError(label, 'bufferCount', bufferCount, 'must be an integer >= 1');
  }
}
