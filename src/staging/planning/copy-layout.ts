/**
 * The layout of texture data in a staging buffer: pure math, no GPU.
 *
 * Copies between buffers and textures work in texel blocks (1x1 for plain formats, 4x4 for BC/ETC2, up to
 * 12x12 for ASTC) and, on WebGPU, need a row pitch that is a multiple of 256 bytes. Callers keep their data
 * tight (a 3-pixel rgba8unorm row is 12 bytes), so the staging side pads every row to 256 on the way to the
 * GPU and strips the padding on the way back. WebGL2's pixel-pack buffers have no such rule, but padding
 * never hurts there, so the same footprint serves both backends.
 */
import { ValidationError } from '../../errors.ts';

/** WebGPU's `bytesPerRow` alignment for buffer <-> texture copies. */
export const COPY_BYTES_PER_ROW_ALIGNMENT = 256;

/** The block geometry of a format (`getFormatInfo(format)` has these fields). */
export interface BlockFormat {
  readonly blockWidth: number;
  readonly blockHeight: number;
  readonly bytesPerBlock: number;
}

/** A copy's extent in texels. */
export interface CopyExtent {
  readonly width: number;
  readonly height: number;
  readonly depthOrArrayLayers: number;
}

/** How many blocks and bytes a texture copy touches, tight (caller side) and padded (GPU side). */
export interface CopyFootprint {
  /** Blocks per row: ceil(width / blockWidth). */
  readonly blocksPerRow: number;
  /** Rows of blocks per image: ceil(height / blockHeight). */
  readonly blockRows: number;
  /** Images (array layers or 3D slices). */
  readonly images: number;
  readonly blockHeight: number;
  /** Bytes of one row of blocks without padding. */
  readonly tightBytesPerRow: number;
  /** The same row padded to {@link COPY_BYTES_PER_ROW_ALIGNMENT}. */
  readonly paddedBytesPerRow: number;
  /** Every row, tight, images back to back: what a caller gets from a texture read. */
  readonly tightBytes: number;
  /** Every row, padded: what the staging buffer holds. */
  readonly paddedBytes: number;
}

/**
 * Rounds `value` up to a multiple of `alignment` (a positive integer).
 *
 * @example
 * alignUp(12, 256) // 256
 * alignUp(512, 256) // 512
 */
export function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

/**
 * The footprint of copying `size` texels of a format.
 *
 * @example
 * copyFootprint({ blockWidth: 1, blockHeight: 1, bytesPerBlock: 4 }, { width: 3, height: 2, depthOrArrayLayers: 1 })
 * // { tightBytesPerRow: 12, paddedBytesPerRow: 256, blockRows: 2, tightBytes: 24, paddedBytes: 512, ... }
 * copyFootprint({ blockWidth: 4, blockHeight: 4, bytesPerBlock: 8 }, { width: 8, height: 8, depthOrArrayLayers: 1 })
 * // bc1: { blocksPerRow: 2, blockRows: 2, tightBytesPerRow: 16, paddedBytesPerRow: 256, ... }
 */
export function copyFootprint(format: BlockFormat, size: CopyExtent): CopyFootprint {
  const blocksPerRow = Math.ceil(size.width / format.blockWidth);
  const blockRows = Math.ceil(size.height / format.blockHeight);
  const images = size.depthOrArrayLayers;
  const tightBytesPerRow = blocksPerRow * format.bytesPerBlock;
  const paddedBytesPerRow = alignUp(tightBytesPerRow, COPY_BYTES_PER_ROW_ALIGNMENT);
  return {
    blocksPerRow,
    blockRows,
    images,
    blockHeight: format.blockHeight,
    tightBytesPerRow,
    paddedBytesPerRow,
    tightBytes: tightBytesPerRow * blockRows * images,
    paddedBytes: paddedBytesPerRow * blockRows * images,
  };
}

/**
 * The bytes a copy reads from a caller's buffer laid out with `bytesPerRow` and `rowsPerImage` (in block
 * rows): the WebGPU spec's "required bytes in copy". The last row needs no padding after it.
 *
 * @example
 * // 3x2 rgba8unorm from tight data: 12 + 12 bytes
 * requiredBytesInCopy(footprint, 12, 2) // 24
 */
export function requiredBytesInCopy(
  footprint: CopyFootprint,
  bytesPerRow: number,
  rowsPerImage: number,
): number {
  const { blockRows, images, tightBytesPerRow } = footprint;
  if (blockRows === 0 || images === 0 || tightBytesPerRow === 0) return 0;
  return bytesPerRow * (rowsPerImage * (images - 1) + (blockRows - 1)) + tightBytesPerRow;
}

/**
 * A part of a texture copy that fits in one staging chunk: `images` whole images from `image`, or, when one
 * image is too big, `rows` block rows of a single image from block row `row`.
 */
export interface CopyPiece {
  /** First image (layer or slice), relative to the copy's origin. */
  readonly image: number;
  readonly images: number;
  /** First block row, relative to the copy's origin. */
  readonly row: number;
  /** Block rows per image in this piece. */
  readonly rows: number;
  /** Staging bytes: paddedBytesPerRow * rows * images. */
  readonly bytes: number;
}

/**
 * Cuts a copy into pieces of at most `maxBytes` staging bytes, so that a large texture upload never needs a
 * chunk above the pool's largest class: one piece when it fits, else groups of whole images, else groups of
 * rows. Throws `ValidationError` when a single row of blocks exceeds `maxBytes`.
 *
 * @example
 * // 4 layers of 256x256 rgba8unorm (256 KiB each) with 512 KiB chunks: 2 pieces of 2 layers
 * splitCopy(copyFootprint(rgba8, { width: 256, height: 256, depthOrArrayLayers: 4 }), 1 << 19)
 */
export function splitCopy(footprint: CopyFootprint, maxBytes: number): CopyPiece[] {
  const { paddedBytesPerRow: pitch, blockRows, images } = footprint;
  if (blockRows === 0 || images === 0 || footprint.blocksPerRow === 0) return [];
  const imageBytes = pitch * blockRows;
  if (footprint.paddedBytes <= maxBytes) {
    return [{ image: 0, images, row: 0, rows: blockRows, bytes: footprint.paddedBytes }];
  }
  const pieces: CopyPiece[] = [];
  if (imageBytes <= maxBytes) {
    const perPiece = Math.floor(maxBytes / imageBytes);
    for (let image = 0; image < images; image += perPiece) {
      const count = Math.min(perPiece, images - image);
      pieces.push({ image, images: count, row: 0, rows: blockRows, bytes: imageBytes * count });
    }
    return pieces;
  }
  const rowsPerPiece = Math.floor(maxBytes / pitch);
  if (rowsPerPiece === 0) {
    throw new ValidationError(
      'staging',
      'bytesPerRow',
      pitch,
      `one padded row of blocks must fit in the largest staging chunk (${maxBytes} bytes): raise maxChunkBytes`,
    );
  }
  for (let image = 0; image < images; image++) {
    for (let row = 0; row < blockRows; row += rowsPerPiece) {
      const rows = Math.min(rowsPerPiece, blockRows - row);
      pieces.push({ image, images: 1, row, rows, bytes: pitch * rows });
    }
  }
  return pieces;
}
