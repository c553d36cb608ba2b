/**
 * Copy commands between staging chunks and resources, as the upload belt and the readback pool record them,
 * and the texture side of the staging layout: padding rows on the way in, stripping them on the way out.
 */
import {
  type BufferRun,
  bufferPieceRanges,
  pieceRegion,
  pieceSourceOffset,
} from '../../../staging/planning/belt-rules.ts';
import { splitCopy } from '../../../staging/planning/copy-layout.ts';
import { copyRows, flipRows } from '../../../staging/planning/copy-rows.ts';
import type { Origin3, TextureCopy, TextureUploadCopy } from '../../../staging/planning/texture-transfer.ts';
import type { Chunk } from './chunk-pool.ts';

/** A staged buffer copy: `size` bytes from `chunk` at `src` to `target` at `dstOffset`. */
export interface BufferCopy extends BufferRun<Chunk, GPUBuffer> {
  readonly kind: 'buffer';
}

/** A staged texture copy from padded rows in `chunk` at `src`. */
export interface TextureCopyCommand {
  readonly kind: 'texture';
  readonly chunk: Chunk;
  readonly src: number;
  readonly target: GPUTexture;
  readonly bytesPerRow: number;
  readonly rowsPerImage: number;
  readonly mipLevel: number;
  readonly origin: Origin3;
  readonly size: GPUExtent3DDict;
}

/** A copy waiting in the upload belt. */
export type StagedCopy = BufferCopy | TextureCopyCommand;

/** The caller's bytes; replaced by a snapshot when a write has to wait, so the caller may reuse its array. */
export interface Source {
  data: Uint8Array;
}

/** A part of a write that fits in one chunk: how many bytes, their alignment, and how to stage them. */
export interface Piece {
  readonly bytes: number;
  readonly align: number;
  /** Writes the bytes at `at` of the chunk's mapped range and returns the copy that moves them. */
  stage(view: Uint8Array, at: number, chunk: Chunk): StagedCopy;
}

/**
 * Records one staged copy into an encoder.
 *
 * @example
 * for (const copy of copies) recordCopy(encoder, copy);
 */
export function recordCopy(encoder: GPUCommandEncoder, copy: StagedCopy): void {
  if (copy.kind === 'buffer') {
    encoder.copyBufferToBuffer(copy.chunk.buffer, copy.src, copy.target, copy.dstOffset, copy.size);
    return;
  }
  encoder.copyBufferToTexture(
    {
      buffer: copy.chunk.buffer,
      offset: copy.src,
      bytesPerRow: copy.bytesPerRow,
      rowsPerImage: copy.rowsPerImage,
    },
    { texture: copy.target, mipLevel: copy.mipLevel, origin: copy.origin },
    copy.size,
  );
}

/**
 * Cuts a buffer write into pieces of at most `maxBytes` (4-byte aligned, like the write itself).
 *
 * @example
 * bufferPieces(target, 0, { data }, 1 << 24) // one piece per 16 MiB
 */
export function bufferPieces(
  target: GPUBuffer,
  dstOffset: number,
  source: Source,
  maxBytes: number,
): Piece[] {
  return bufferPieceRanges(source.data.byteLength, maxBytes).map(({ start, bytes }) => ({
    bytes,
    align: 4,
    stage: (view, at, chunk) => {
      view.set(source.data.subarray(start, start + bytes), at);
      return { kind: 'buffer', chunk, src: at, target, dstOffset: dstOffset + start, size: bytes };
    },
  }));
}

/**
 * Cuts a texture upload into pieces that fit in `maxBytes` (whole images, else rows): each pads the caller's
 * rows to the 256-byte pitch and copies to the matching part of the texture.
 *
 * @example
 * texturePieces(texture, copy, { data }, 1 << 24)
 */
export function texturePieces(
  target: GPUTexture,
  copy: TextureUploadCopy,
  source: Source,
  maxBytes: number,
): Piece[] {
  const { footprint } = copy;
  return splitCopy(footprint, maxBytes).map((piece) => ({
    bytes: piece.bytes,
    // 256 keeps the offset a multiple of every texel block size, as copyBufferToTexture requires.
    align: 256,
    stage: (view, at, chunk) => {
      copyRows(
        {
          bytes: source.data,
          offset: pieceSourceOffset(copy, piece),
          bytesPerRow: copy.bytesPerRow,
          rowsPerImage: copy.rowsPerImage,
        },
        { bytes: view, offset: at, bytesPerRow: footprint.paddedBytesPerRow, rowsPerImage: piece.rows },
        footprint.tightBytesPerRow,
        piece.rows,
        piece.images,
      );
      const region = pieceRegion(copy, piece);
      return {
        kind: 'texture',
        chunk,
        src: at,
        target,
        bytesPerRow: footprint.paddedBytesPerRow,
        rowsPerImage: piece.rows,
        mipLevel: copy.mipLevel,
        origin: region.origin,
        size: region.size,
      };
    },
  }));
}

/**
 * Records a texture-to-buffer copy of a whole region into `buffer` at 0 with padded rows.
 *
 * @example
 * recordTextureRead(encoder, texture, copy, readbackBuffer);
 */
export function recordTextureRead(
  encoder: GPUCommandEncoder,
  texture: GPUTexture,
  copy: TextureCopy,
  buffer: GPUBuffer,
): void {
  const { footprint } = copy;
  encoder.copyTextureToBuffer(
    { texture, mipLevel: copy.mipLevel, origin: copy.origin },
    { buffer, offset: 0, bytesPerRow: footprint.paddedBytesPerRow, rowsPerImage: footprint.blockRows },
    copy.size,
  );
}

/**
 * Strips the row padding of a texture read: tight rows of blocks, images back to back, in a new array
 * (rows reversed in each image when the read asked for `flipY`).
 *
 * @example
 * const texels = unpadRows(mapped, copy);
 */
export function unpadRows(mapped: Uint8Array, copy: TextureCopy): Uint8Array {
  const { footprint } = copy;
  const out = new Uint8Array(footprint.tightBytes);
  copyRows(
    { bytes: mapped, offset: 0, bytesPerRow: footprint.paddedBytesPerRow, rowsPerImage: footprint.blockRows },
    { bytes: out, offset: 0, bytesPerRow: footprint.tightBytesPerRow, rowsPerImage: footprint.blockRows },
    footprint.tightBytesPerRow,
    footprint.blockRows,
    footprint.images,
  );
  if (copy.flipY) flipRows(out, footprint.tightBytesPerRow, footprint.blockRows, footprint.images);
  return out;
}
