/**
 * Creating a resource must not disturb the caller's GL state: an engine keeps textures, buffers and
 * framebuffers bound across calls, and rebinding ELEMENT_ARRAY_BUFFER would even change the bound vertex
 * array object. Each helper saves the binding it touches, runs the body, and restores it (also when the body
 * throws). The `getParameter` binding queries are answered from the browser's client-side state, not the GPU.
 */

/** The query that reads the current binding of a texture or buffer target. */
function bindingQuery(gl: WebGL2RenderingContext, target: number): number {
  switch (target) {
    case gl.TEXTURE_2D:
      return gl.TEXTURE_BINDING_2D;
    case gl.TEXTURE_2D_ARRAY:
      return gl.TEXTURE_BINDING_2D_ARRAY;
    case gl.TEXTURE_3D:
      return gl.TEXTURE_BINDING_3D;
    case gl.ARRAY_BUFFER:
      return gl.ARRAY_BUFFER_BINDING;
    case gl.ELEMENT_ARRAY_BUFFER:
      return gl.ELEMENT_ARRAY_BUFFER_BINDING;
    case gl.UNIFORM_BUFFER:
      return gl.UNIFORM_BUFFER_BINDING;
    case gl.PIXEL_PACK_BUFFER:
      return gl.PIXEL_PACK_BUFFER_BINDING;
    case gl.PIXEL_UNPACK_BUFFER:
      return gl.PIXEL_UNPACK_BUFFER_BINDING;
    case gl.COPY_READ_BUFFER:
      return gl.COPY_READ_BUFFER_BINDING;
    case gl.COPY_WRITE_BUFFER:
      return gl.COPY_WRITE_BUFFER_BINDING;
    default:
      throw new RangeError(`no binding query for GL target 0x${target.toString(16)}`);
  }
}

/**
 * Binds `texture` to `target` for the body, then restores the previous binding of the active texture unit.
 *
 * @example
 * withTexture(gl, gl.TEXTURE_2D, tex, () => gl.texStorage2D(gl.TEXTURE_2D, 1, gl.RGBA8, 4, 4));
 */
export function withTexture<T>(
  gl: WebGL2RenderingContext,
  target: number,
  texture: WebGLTexture,
  body: () => T,
): T {
  const previous = gl.getParameter(bindingQuery(gl, target)) as WebGLTexture | null;
  gl.bindTexture(target, texture);
  try {
    return body();
  } finally {
    gl.bindTexture(target, previous);
  }
}

/**
 * Binds `buffer` to `target` for the body, then restores the previous binding.
 *
 * @example
 * withBuffer(gl, gl.ARRAY_BUFFER, vbo, () => gl.bufferData(gl.ARRAY_BUFFER, 64, gl.STATIC_DRAW));
 */
export function withBuffer<T>(
  gl: WebGL2RenderingContext,
  target: number,
  buffer: WebGLBuffer,
  body: () => T,
): T {
  const previous = gl.getParameter(bindingQuery(gl, target)) as WebGLBuffer | null;
  gl.bindBuffer(target, buffer);
  try {
    return body();
  } finally {
    gl.bindBuffer(target, previous);
  }
}

/**
 * Binds `renderbuffer` for the body, then restores the previous renderbuffer binding.
 *
 * @example
 * withRenderbuffer(gl, rb, () => gl.renderbufferStorageMultisample(gl.RENDERBUFFER, 4, gl.RGBA8, 64, 64));
 */
export function withRenderbuffer<T>(
  gl: WebGL2RenderingContext,
  renderbuffer: WebGLRenderbuffer,
  body: () => T,
): T {
  const previous = gl.getParameter(gl.RENDERBUFFER_BINDING) as WebGLRenderbuffer | null;
  gl.bindRenderbuffer(gl.RENDERBUFFER, renderbuffer);
  try {
    return body();
  } finally {
    gl.bindRenderbuffer(gl.RENDERBUFFER, previous);
  }
}

/**
 * Runs the body and restores the draw and read framebuffer bindings it may change.
 *
 * @example
 * preservingFramebuffers(gl, () => twgl.createFramebufferInfo(gl, attachments, w, h));
 */
export function preservingFramebuffers<T>(gl: WebGL2RenderingContext, body: () => T): T {
  const draw = gl.getParameter(gl.DRAW_FRAMEBUFFER_BINDING) as WebGLFramebuffer | null;
  const read = gl.getParameter(gl.READ_FRAMEBUFFER_BINDING) as WebGLFramebuffer | null;
  try {
    return body();
  } finally {
    gl.bindFramebuffer(gl.DRAW_FRAMEBUFFER, draw);
    gl.bindFramebuffer(gl.READ_FRAMEBUFFER, read);
  }
}
