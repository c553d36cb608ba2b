/**
 * Usage flags with the exact bit values of WebGPU's `GPUTextureUsage` / `GPUBufferUsage`.
 * Defined here so that backend-neutral code (and the WebGL2 backend, where the WebGPU globals do not exist)
 * can name them; a WebGPU user may pass `GPUTextureUsage.*` interchangeably.
 */

/** Texture usage bits (same values as `GPUTextureUsage`). */
export const TextureUsage = {
  COPY_SRC: 0x01,
  COPY_DST: 0x02,
  TEXTURE_BINDING: 0x04,
  STORAGE_BINDING: 0x08,
  RENDER_ATTACHMENT: 0x10,
  /**
   * The texture lives only inside render passes (tile memory on some GPUs): it must be exactly
   * `RENDER_ATTACHMENT | TRANSIENT_ATTACHMENT`, 2D, one mip and one layer, without viewFormats; it cannot be
   * a resolve target, and passes over it must clear on
   * load and discard on store.
   */
  TRANSIENT_ATTACHMENT: 0x20,
} as const;

/** Buffer usage bits (same values as `GPUBufferUsage`). */
export const BufferUsage = {
  MAP_READ: 0x0001,
  MAP_WRITE: 0x0002,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  INDEX: 0x0010,
  VERTEX: 0x0020,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
  INDIRECT: 0x0100,
  QUERY_RESOLVE: 0x0200,
} as const;

/** Every texture usage bit defined by WebGPU. */
export const ALL_TEXTURE_USAGE = 0x3f;
/** Every buffer usage bit defined by WebGPU. */
export const ALL_BUFFER_USAGE = 0x3ff;

/**
 * Names the set bits of a usage mask, for error messages.
 *
 * @example
 * usageNames(TextureUsage.COPY_DST | TextureUsage.RENDER_ATTACHMENT, TextureUsage) // 'COPY_DST|RENDER_ATTACHMENT'
 */
export function usageNames(mask: number, table: Readonly<Record<string, number>>): string {
  const names = Object.entries(table)
    .filter(([, bit]) => (mask & bit) !== 0)
    .map(([name]) => name);
  return names.length ? names.join('|') : '0';
}
