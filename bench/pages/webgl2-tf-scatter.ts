/**
 * A transform-feedback scatter for WebGL2, a prototype for the benchmark only. Transform feedback writes its
 * outputs in vertex order, so it cannot write to chosen offsets: it rewrites the whole destination instead.
 * One point per 16 B element of the target reads the element's old value as a vertex attribute, looks up in a
 * texture whether a new element replaces it (and which), and writes the result into a ping-pong buffer, which
 * is then copied back over the target (the target's GL object must stay the same: an engine's VAOs point at
 * it). Its cost grows with the target's size, not with the number of writes.
 */

const ELEMENT = 16;
const WIDTH = 2048;

const VERTEX = `#version 300 es
layout(location = 0) in uvec4 previous;
uniform highp isampler2D lookup;
uniform highp usampler2D elements;
flat out uvec4 result;
void main() {
  int e = gl_VertexID;
  int source = texelFetch(lookup, ivec2(e % ${WIDTH}, e / ${WIDTH}), 0).r;
  result = source < 0 ? previous : texelFetch(elements, ivec2(source % ${WIDTH}, source / ${WIDTH}), 0);
}`;

const FRAGMENT = `#version 300 es
precision highp float;
out vec4 color;
void main() { color = vec4(0.0); }`;

/** The scatter: writes `count` pieces of `size` bytes of `data` to `offsets` of `target` (16 B aligned). */
export interface TransformFeedbackScatter {
  scatter(target: WebGLBuffer, data: Uint8Array, offsets: Uint32Array, size: number): void;
}

function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader {
  const shader = gl.createShader(type)!;
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(String(gl.getShaderInfoLog(shader)));
  return shader;
}

function integerTexture(
  gl: WebGL2RenderingContext,
  unit: number,
  format: number,
  rows: number,
): WebGLTexture {
  const texture = gl.createTexture();
  gl.activeTexture(gl.TEXTURE0 + unit);
  gl.bindTexture(gl.TEXTURE_2D, texture);
  gl.texStorage2D(gl.TEXTURE_2D, 1, format, WIDTH, rows);
  // Integer textures are incomplete with linear filtering (texelFetch would return 0).
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
  return texture;
}

/**
 * Builds the program, textures and ping-pong buffer for targets of `targetBytes` and at most `maxDataBytes`
 * of new data per scatter.
 *
 * @example
 * const tf = createTransformFeedbackScatter(gl, 5_120_000, 2_560_000);
 * tf.scatter(buffer, data, offsets, 256);
 */
export function createTransformFeedbackScatter(
  gl: WebGL2RenderingContext,
  targetBytes: number,
  maxDataBytes: number,
): TransformFeedbackScatter {
  const elements = targetBytes / ELEMENT;
  const program = gl.createProgram();
  gl.attachShader(program, compile(gl, gl.VERTEX_SHADER, VERTEX));
  gl.attachShader(program, compile(gl, gl.FRAGMENT_SHADER, FRAGMENT));
  gl.transformFeedbackVaryings(program, ['result'], gl.SEPARATE_ATTRIBS);
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS))
    throw new Error(String(gl.getProgramInfoLog(program)));
  gl.useProgram(program);
  gl.uniform1i(gl.getUniformLocation(program, 'lookup'), 0);
  gl.uniform1i(gl.getUniformLocation(program, 'elements'), 1);
  gl.useProgram(null);

  const lookupRows = Math.ceil(elements / WIDTH);
  const lookup = new Int32Array(WIDTH * lookupRows);
  const lookupTexture = integerTexture(gl, 0, gl.R32I, lookupRows);
  const elementsTexture = integerTexture(gl, 1, gl.RGBA32UI, Math.ceil(maxDataBytes / ELEMENT / WIDTH));
  const pingPong = gl.createBuffer();
  gl.bindBuffer(gl.COPY_WRITE_BUFFER, pingPong);
  gl.bufferData(gl.COPY_WRITE_BUFFER, targetBytes, gl.DYNAMIC_COPY);
  gl.bindBuffer(gl.COPY_WRITE_BUFFER, null);
  const vao = gl.createVertexArray();
  const feedback = gl.createTransformFeedback();

  return {
    scatter(target, data, offsets, size) {
      const perWrite = size / ELEMENT;
      lookup.fill(-1);
      for (let w = 0; w < offsets.length; w++) {
        const first = offsets[w]! / ELEMENT;
        for (let k = 0; k < perWrite; k++) lookup[first + k] = w * perWrite + k;
      }
      const texels = (offsets.length * size) / ELEMENT;
      const fullRows = Math.floor(texels / WIDTH);
      const rest = texels - fullRows * WIDTH;
      const words = new Uint32Array(data.buffer, data.byteOffset, texels * 4);
      gl.activeTexture(gl.TEXTURE0);
      gl.bindTexture(gl.TEXTURE_2D, lookupTexture);
      gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, WIDTH, lookupRows, gl.RED_INTEGER, gl.INT, lookup);
      gl.activeTexture(gl.TEXTURE1);
      gl.bindTexture(gl.TEXTURE_2D, elementsTexture);
      if (fullRows > 0)
        gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, WIDTH, fullRows, gl.RGBA_INTEGER, gl.UNSIGNED_INT, words);
      if (rest > 0) {
        gl.texSubImage2D(
          gl.TEXTURE_2D,
          0,
          0,
          fullRows,
          rest,
          1,
          gl.RGBA_INTEGER,
          gl.UNSIGNED_INT,
          words,
          fullRows * WIDTH * 4,
        );
      }
      gl.useProgram(program);
      gl.bindVertexArray(vao);
      gl.bindBuffer(gl.ARRAY_BUFFER, target);
      gl.enableVertexAttribArray(0);
      gl.vertexAttribIPointer(0, 4, gl.UNSIGNED_INT, ELEMENT, 0);
      gl.bindBuffer(gl.ARRAY_BUFFER, null);
      gl.enable(gl.RASTERIZER_DISCARD);
      gl.bindTransformFeedback(gl.TRANSFORM_FEEDBACK, feedback);
      gl.bindBufferBase(gl.TRANSFORM_FEEDBACK_BUFFER, 0, pingPong);
      gl.beginTransformFeedback(gl.POINTS);
      gl.drawArrays(gl.POINTS, 0, elements);
      gl.endTransformFeedback();
      gl.bindBufferBase(gl.TRANSFORM_FEEDBACK_BUFFER, 0, null);
      gl.bindTransformFeedback(gl.TRANSFORM_FEEDBACK, null);
      gl.disable(gl.RASTERIZER_DISCARD);
      gl.bindVertexArray(null);
      gl.useProgram(null);
      gl.bindBuffer(gl.COPY_READ_BUFFER, pingPong);
      gl.bindBuffer(gl.COPY_WRITE_BUFFER, target);
      gl.copyBufferSubData(gl.COPY_READ_BUFFER, gl.COPY_WRITE_BUFFER, 0, 0, targetBytes);
      gl.bindBuffer(gl.COPY_READ_BUFFER, null);
      gl.bindBuffer(gl.COPY_WRITE_BUFFER, null);
    },
  };
}
