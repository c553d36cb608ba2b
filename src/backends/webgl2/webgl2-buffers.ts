/**
 * Buffers on WebGL2: `createBuffer` + `bufferData(target, size, hint)`, with the first binding target and the
 * usage hint inferred from the WebGPU usage bits. The first target matters in WebGL2: a buffer first bound to
 * ELEMENT_ARRAY_BUFFER stays an index buffer forever, any other buffer may later be bound to every other target
 * (WebGL 2.0 spec section 5.1). Plain GL: twgl's buffer helpers create buffers from arrays of vertex data.
 */
import type { NormalizedBufferDescriptor } from '../../resources/buffer.ts';
import { BufferUsage } from '../../resources/usage.ts';
import { withBuffer } from './gl-state.ts';

/** What a buffer handle's record holds on WebGL2. */
export interface WebGL2Buffer {
  readonly buffer: WebGLBuffer;
  /** The target it was created on (ELEMENT_ARRAY_BUFFER for index buffers; any non-element target works later). */
  readonly target: number;
  /** The `bufferData` usage hint (STATIC_DRAW, DYNAMIC_DRAW, STREAM_DRAW or STREAM_READ). */
  readonly usageHint: number;
  /** Bytes allocated. */
  readonly size: number;
}

/**
 * The creation target of a buffer: INDEX -> ELEMENT_ARRAY_BUFFER, VERTEX -> ARRAY_BUFFER, UNIFORM ->
 * UNIFORM_BUFFER, MAP_READ -> PIXEL_PACK_BUFFER (readbacks), MAP_WRITE -> PIXEL_UNPACK_BUFFER (uploads),
 * otherwise COPY_WRITE_BUFFER.
 *
 * @example
 * bufferTarget(gl, BufferUsage.VERTEX | BufferUsage.COPY_DST) // gl.ARRAY_BUFFER
 */
export function bufferTarget(gl: WebGL2RenderingContext, usage: number): number {
  if (usage & BufferUsage.INDEX) return gl.ELEMENT_ARRAY_BUFFER;
  if (usage & BufferUsage.VERTEX) return gl.ARRAY_BUFFER;
  if (usage & BufferUsage.UNIFORM) return gl.UNIFORM_BUFFER;
  if (usage & BufferUsage.MAP_READ) return gl.PIXEL_PACK_BUFFER;
  if (usage & BufferUsage.MAP_WRITE) return gl.PIXEL_UNPACK_BUFFER;
  return gl.COPY_WRITE_BUFFER;
}

/**
 * The `bufferData` usage hint: read back -> STREAM_READ, staging writes -> STREAM_DRAW, rewritten (COPY_DST)
 * -> DYNAMIC_DRAW, otherwise STATIC_DRAW.
 *
 * @example
 * bufferUsageHint(gl, BufferUsage.MAP_READ | BufferUsage.COPY_DST) // gl.STREAM_READ
 */
export function bufferUsageHint(gl: WebGL2RenderingContext, usage: number): number {
  if (usage & BufferUsage.MAP_READ) return gl.STREAM_READ;
  if (usage & BufferUsage.MAP_WRITE) return gl.STREAM_DRAW;
  if (usage & BufferUsage.COPY_DST) return gl.DYNAMIC_DRAW;
  return gl.STATIC_DRAW;
}

/**
 * Creates a zero-filled buffer of `desc.size` bytes, restoring the caller's binding of its target.
 *
 * @example
 * const vbo = createGLBuffer(gl, { label: 'quad', size: 64, usage: BufferUsage.VERTEX, mappedAtCreation: false });
 */
export function createGLBuffer(gl: WebGL2RenderingContext, desc: NormalizedBufferDescriptor): WebGL2Buffer {
  const target = bufferTarget(gl, desc.usage);
  const usageHint = bufferUsageHint(gl, desc.usage);
  const buffer = gl.createBuffer();
  withBuffer(gl, target, buffer, () => gl.bufferData(target, desc.size, usageHint));
  return { buffer, target, usageHint, size: desc.size };
}
