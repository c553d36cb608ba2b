/**
 * The rules every upload belt follows, whatever its chunks are (mapped `GPUBuffer`s, CPU arrays): when a
 * piece takes a chunk of its own, how a write is cut into pieces, and where each piece of a texture upload
 * reads and lands (when a write continues the previous one is the write log's rule). Pure: no GPU.
 */
import type { CopyExtent, CopyPiece } from './copy-layout.ts';
import type { Origin3, TextureCopy, TextureUploadCopy } from './texture-transfer.ts';

/** A staged buffer copy: `size` bytes of `chunk` at `src` to `target` at `dstOffset`. */
export interface BufferRun<C, T> {
  readonly chunk: C;
  readonly src: number;
  readonly target: T;
  readonly dstOffset: number;
  readonly size: number;
}

/**
 * A piece larger than half a chunk gets a chunk of its own, so the chunk small writes share keeps its room.
 *
 * @example
 * needsOwnChunk(600_000, 1 << 20) // true
 * needsOwnChunk(256, 1 << 20) // false
 */
export function needsOwnChunk(bytes: number, chunkBytes: number): boolean {
  return bytes * 2 > chunkBytes;
}

/** One piece of a buffer write: `bytes` bytes from byte `start` of the caller's data. */
export interface BufferPieceRange {
  readonly start: number;
  readonly bytes: number;
}

/**
 * Cuts a buffer write of `total` bytes into pieces of at most `maxBytes` (the largest chunk), in order.
 *
 * @example
 * bufferPieceRanges(40, 16) // [{ start: 0, bytes: 16 }, { start: 16, bytes: 16 }, { start: 32, bytes: 8 }]
 */
export function bufferPieceRanges(total: number, maxBytes: number): BufferPieceRange[] {
  const pieces: BufferPieceRange[] = [];
  for (let start = 0; start < total; start += maxBytes) {
    pieces.push({ start, bytes: Math.min(maxBytes, total - start) });
  }
  return pieces;
}

/**
 * Where a piece of a texture upload starts in the caller's bytes (laid out as the upload says).
 *
 * @example
 * pieceSourceOffset(copy, { image: 1, images: 1, row: 0, rows: 4, bytes: 1024 }) // copy.bytesPerRow * copy.rowsPerImage
 */
export function pieceSourceOffset(copy: TextureUploadCopy, piece: CopyPiece): number {
  return piece.image * copy.rowsPerImage * copy.bytesPerRow + piece.row * copy.bytesPerRow;
}

/**
 * The texel region a piece of a texture copy covers: its origin and size inside the texture.
 *
 * @example
 * pieceRegion(copy, piece).origin.y // copy.origin.y + piece.row * blockHeight
 */
export function pieceRegion(copy: TextureCopy, piece: CopyPiece): { origin: Origin3; size: CopyExtent } {
  const blockHeight = copy.footprint.blockHeight;
  return {
    origin: { x: copy.origin.x, y: copy.origin.y + piece.row * blockHeight, z: copy.origin.z + piece.image },
    size: { width: copy.size.width, height: piece.rows * blockHeight, depthOrArrayLayers: piece.images },
  };
}
