import type { WebGL2TextureStorage } from '../../src/backends/webgl2/webgl2-textures.ts';
import type { Handle, WebGL2ResourceManager } from '../../src/index.ts';
import { QUAD_FLOATS, QuadBuffer, type TextRenderer } from './text-renderer.ts';

const VERTEX = `#version 300 es
layout(location = 0) in vec4 rect;
layout(location = 1) in vec4 uv;
layout(location = 2) in float layer;
uniform vec2 targetSize;
out vec2 vUv;
flat out float vLayer;
void main() {
  vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
  vec2 p = rect.xy + corner * rect.zw;
  // GL's window row 0 is the texture's row 0, so +y goes up in NDC here (WebGPU's shader flips it).
  gl_Position = vec4(p.x / targetSize.x * 2.0 - 1.0, p.y / targetSize.y * 2.0 - 1.0, 0.0, 1.0);
  vUv = mix(uv.xy, uv.zw, corner);
  vLayer = layer;
}`;

const FRAGMENT = `#version 300 es
precision highp float;
precision highp sampler2DArray;
uniform sampler2DArray atlas;
in vec2 vUv;
flat in float vLayer;
out vec4 color;
void main() { color = textureLod(atlas, vec3(vUv, vLayer), 0.0); }`;

/** The text renderer on WebGL2 (its own program, VAO and sampler; the GL state it touches is restored). */
export class WebGL2TextRenderer implements TextRenderer {
  private readonly program: WebGLProgram;
  private readonly vao: WebGLVertexArrayObject;
  /** The quads, in a buffer of the manager (counted by the ledger and the overlay). */
  private readonly quads: QuadBuffer;
  private readonly sampler: WebGLSampler;
  private readonly framebuffer: WebGLFramebuffer;

  constructor(
    private readonly manager: WebGL2ResourceManager,
    private readonly gl: WebGL2RenderingContext,
    target: Handle<'texture'>,
    private readonly size: readonly [number, number],
  ) {
    this.program = link(gl, VERTEX, FRAGMENT);
    this.quads = new QuadBuffer(manager);
    this.vao = gl.createVertexArray();
    this.sampler = gl.createSampler();
    gl.samplerParameteri(this.sampler, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.samplerParameteri(this.sampler, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    this.framebuffer = gl.createFramebuffer();
    const storage = manager.gpu(target) as unknown as WebGL2TextureStorage;
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.framebuffer);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, storage.texture, 0);
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
  }

  draw(quads: Float32Array, count: number, atlasTexture: Handle<'texture'>): void {
    const gl = this.gl;
    const atlas = this.manager.gpu(atlasTexture) as unknown as WebGL2TextureStorage;
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.framebuffer);
    gl.viewport(0, 0, this.size[0], this.size[1]);
    gl.disable(gl.BLEND);
    gl.disable(gl.SCISSOR_TEST);
    gl.clearColor(0, 0, 0, 0);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.useProgram(this.program);
    gl.uniform2f(gl.getUniformLocation(this.program, 'targetSize'), this.size[0], this.size[1]);
    gl.uniform1i(gl.getUniformLocation(this.program, 'atlas'), 0);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D_ARRAY, atlas.texture);
    gl.bindSampler(0, this.sampler);
    const instances = this.quads.write(quads, count);
    this.manager.flush(); // WebGL2 issues the staged quads at once
    gl.bindVertexArray(this.vao);
    // The attributes point at the current quad buffer (it is replaced by a larger one as the text grows).
    gl.bindBuffer(gl.ARRAY_BUFFER, this.manager.gpu(instances).buffer);
    const stride = QUAD_FLOATS * 4;
    for (const [location, components, offset] of [
      [0, 4, 0],
      [1, 4, 16],
      [2, 1, 32],
    ] as const) {
      gl.enableVertexAttribArray(location);
      gl.vertexAttribPointer(location, components, gl.FLOAT, false, stride, offset);
      gl.vertexAttribDivisor(location, 1);
    }
    if (count > 0) gl.drawArraysInstanced(gl.TRIANGLE_STRIP, 0, 4, count);
    gl.bindVertexArray(null);
    gl.bindBuffer(gl.ARRAY_BUFFER, null);
    gl.bindSampler(0, null);
    gl.bindTexture(gl.TEXTURE_2D_ARRAY, null);
    gl.useProgram(null);
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
  }

  destroy(): void {
    const gl = this.gl;
    gl.deleteProgram(this.program);
    gl.deleteVertexArray(this.vao);
    this.quads.destroy();
    gl.deleteSampler(this.sampler);
    gl.deleteFramebuffer(this.framebuffer);
  }
}

function link(gl: WebGL2RenderingContext, vertex: string, fragment: string): WebGLProgram {
  const program = gl.createProgram();
  for (const [type, source] of [
    [gl.VERTEX_SHADER, vertex],
    [gl.FRAGMENT_SHADER, fragment],
  ] as const) {
    const shader = gl.createShader(type);
    if (!shader) throw new Error('createShader failed');
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS))
      throw new Error(gl.getShaderInfoLog(shader) ?? 'compile failed');
    gl.attachShader(program, shader);
    gl.deleteShader(shader);
  }
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS))
    throw new Error(gl.getProgramInfoLog(program) ?? 'link failed');
  return program;
}
