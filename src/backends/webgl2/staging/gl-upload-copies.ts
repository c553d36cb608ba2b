/**
 * The GL calls that carry staged uploads to their targets: buffer writes from the belt's write log, texture
 * writes with the unpack state they need. Texel data is staged tight, so uploads run with UNPACK_ALIGNMENT 1,
 * no row length or skips, no flip or premultiply, and no PIXEL_UNPACK_BUFFER bound (the data comes from
 * client memory); the caller's state is restored after.
 */

import type { WriteLog } from '../../../staging/planning/write-log.ts';
import { withTexture } from '../gl-state.ts';
import type { WebGL2Buffer } from '../webgl2-buffers.ts';
import type { WebGL2TextureStorage } from '../webgl2-textures.ts';
import type { PooledChunk } from './gl-chunk-pool.ts';

type Chunk = PooledChunk<Uint8Array>;

/** The belt's staged buffer writes: bytes of a chunk's payload for a buffer, in call order. */
export type GLBufferWrites = WriteLog<Uint8Array, WebGL2Buffer>;

/**
 * Issues every logged buffer write as one `bufferSubData` through COPY_WRITE_BUFFER (which takes index and
 * data buffers alike), bound once per change of target rather than saved, bound and restored around each
 * write; the caller's binding is restored at the end, also when a call throws. The log is left as it is.
 *
 * @example
 * issueBufferWrites(gl, log); log.clear();
 */
export function issueBufferWrites(gl: WebGL2RenderingContext, log: GLBufferWrites): void {
  const previous = gl.getParameter(gl.COPY_WRITE_BUFFER_BINDING) as WebGLBuffer | null;
  let bound = previous;
  const { count, chunkOf, targetOf, srcOf, dstOf, sizeOf, chunks, targets } = log;
  try {
    for (let i = 0; i < count; i++) {
      const buffer = targets[targetOf[i]!]!.buffer;
      if (bound !== buffer) {
        bound = buffer;
        gl.bindBuffer(gl.COPY_WRITE_BUFFER, buffer);
      }
      gl.bufferSubData(gl.COPY_WRITE_BUFFER, dstOf[i]!, chunks[chunkOf[i]!]!, srcOf[i]!, sizeOf[i]!);
    }
  } finally {
    if (bound !== previous) gl.bindBuffer(gl.COPY_WRITE_BUFFER, previous);
  }
}

/** A staged texture write: tight rows of blocks in `chunk` at `src` into a region of `target`. */
export interface GLTextureCopy {
  readonly chunk: Chunk;
  readonly src: number;
  readonly byteLength: number;
  readonly target: WebGL2TextureStorage;
  readonly mipLevel: number;
  readonly x: number;
  readonly y: number;
  /** Array layer or 3D slice. */
  readonly z: number;
  readonly width: number;
  readonly height: number;
  readonly depth: number;
}

/**
 * Issues staged texture copies in order, each through its texture's own target (the binding of the active
 * unit is restored after each). Run inside {@link withUnpackState}.
 *
 * @example
 * withUnpackState(gl, () => executeTextureCopies(gl, copies));
 */
export function executeTextureCopies(gl: WebGL2RenderingContext, copies: readonly GLTextureCopy[]): void {
  for (const copy of copies) executeTextureCopy(gl, copy);
}

/**
 * Issues one staged texture copy through the texture's own target. A compressed region is clamped to the mip
 * level's real extent: the core plans whole blocks (a 2x2 level is one 4x4 block), while GL wants the texel
 * size of the level.
 */
function executeTextureCopy(gl: WebGL2RenderingContext, copy: GLTextureCopy): void {
  const t = copy.target;
  const level = copy.mipLevel;
  const mipWidth = Math.max(1, t.width >> level);
  const mipHeight = Math.max(1, t.height >> level);
  const width = Math.min(copy.width, mipWidth - copy.x);
  const height = Math.min(copy.height, mipHeight - copy.y);
  const bytes = copy.chunk.payload.subarray(copy.src, copy.src + copy.byteLength);
  const is2D = t.target === gl.TEXTURE_2D;
  withTexture(gl, t.target, t.texture, () => {
    if (t.pixelFormat === 0) {
      if (is2D)
        gl.compressedTexSubImage2D(t.target, level, copy.x, copy.y, width, height, t.internalFormat, bytes);
      else {
        gl.compressedTexSubImage3D(
          t.target,
          level,
          copy.x,
          copy.y,
          copy.z,
          width,
          height,
          copy.depth,
          t.internalFormat,
          bytes,
        );
      }
      return;
    }
    const view = typedView(gl, t.pixelType, bytes);
    if (is2D)
      gl.texSubImage2D(t.target, level, copy.x, copy.y, width, height, t.pixelFormat, t.pixelType, view);
    else {
      gl.texSubImage3D(
        t.target,
        level,
        copy.x,
        copy.y,
        copy.z,
        width,
        height,
        copy.depth,
        t.pixelFormat,
        t.pixelType,
        view,
      );
    }
  });
}

/**
 * WebGL requires the ArrayBufferView type to match the pixel type (Uint16Array for HALF_FLOAT, ...).
 *
 * @example
 * typedView(gl, gl.FLOAT, bytes) // a Float32Array over the same bytes
 */
export function typedView(gl: WebGL2RenderingContext, type: number, bytes: Uint8Array): ArrayBufferView {
  const { buffer, byteOffset, byteLength } = bytes;
  switch (type) {
    case gl.BYTE:
      return new Int8Array(buffer, byteOffset, byteLength);
    case gl.UNSIGNED_SHORT:
    case gl.HALF_FLOAT:
      return new Uint16Array(buffer, byteOffset, byteLength / 2);
    case gl.SHORT:
      return new Int16Array(buffer, byteOffset, byteLength / 2);
    case gl.INT:
      return new Int32Array(buffer, byteOffset, byteLength / 4);
    case gl.FLOAT:
      return new Float32Array(buffer, byteOffset, byteLength / 4);
    case gl.UNSIGNED_INT:
    case gl.UNSIGNED_INT_2_10_10_10_REV:
    case gl.UNSIGNED_INT_10F_11F_11F_REV:
    case gl.UNSIGNED_INT_5_9_9_9_REV:
    case gl.UNSIGNED_INT_24_8:
      return new Uint32Array(buffer, byteOffset, byteLength / 4);
    default:
      return bytes;
  }
}

const UNPACK_INTS = [
  ['UNPACK_ALIGNMENT', 1],
  ['UNPACK_ROW_LENGTH', 0],
  ['UNPACK_IMAGE_HEIGHT', 0],
  ['UNPACK_SKIP_PIXELS', 0],
  ['UNPACK_SKIP_ROWS', 0],
  ['UNPACK_SKIP_IMAGES', 0],
] as const;
const UNPACK_FLAGS = ['UNPACK_FLIP_Y_WEBGL', 'UNPACK_PREMULTIPLY_ALPHA_WEBGL'] as const;

/**
 * Runs the body with tight, unflipped unpack state and no PIXEL_UNPACK_BUFFER; restores the caller's state.
 *
 * @example
 * withUnpackState(gl, () => gl.texSubImage2D(...));
 */
export function withUnpackState(gl: WebGL2RenderingContext, body: () => void): void {
  const saved = [...UNPACK_INTS, ...UNPACK_FLAGS.map((name) => [name, false] as const)].map(
    ([name, value]) => {
      const pname = gl[name];
      const previous = gl.getParameter(pname) as number | boolean;
      gl.pixelStorei(pname, value as number);
      return [pname, previous] as const;
    },
  );
  const unpackBuffer = gl.getParameter(gl.PIXEL_UNPACK_BUFFER_BINDING) as WebGLBuffer | null;
  if (unpackBuffer) gl.bindBuffer(gl.PIXEL_UNPACK_BUFFER, null);
  try {
    body();
  } finally {
    for (const [pname, previous] of saved) gl.pixelStorei(pname, previous as number);
    if (unpackBuffer) gl.bindBuffer(gl.PIXEL_UNPACK_BUFFER, unpackBuffer);
  }
}
