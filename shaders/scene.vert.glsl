#version 300 es
// The render-targets demo's scene on WebGL2 (GLSL ES 3.00 twin of scene.wgsl): a ring of spinning triangles
// around a larger one, generated from gl_VertexID and gl_InstanceID (no vertex buffers). Drawn with
// drawArraysInstanced(TRIANGLES, 0, 3, 13) into a 4x MSAA target with a depth buffer.
// (#version must be the first line of a GLSL ES 3.00 source, so this comment follows it.)

precision highp float;

uniform float u_time;
// width / height of the target, so shapes stay undistorted at any window size
uniform float u_aspect;

out vec3 v_color;

const int RING = 12;
const float TAU = 6.2831853;

vec3 hue(float h) {
  vec3 k = vec3(0.0, 2.0 / 3.0, 1.0 / 3.0);
  return clamp(abs(fract(h + k) * 6.0 - 3.0) - 1.0, vec3(0.0), vec3(1.0));
}

void main() {
  vec2 corners[3] = vec2[3](vec2(0.0, 1.0), vec2(-0.866, -0.5), vec2(0.866, -0.5));
  float i = float(gl_InstanceID);
  vec2 center = vec2(0.0);
  float size = 0.32;
  float spin = -u_time * 0.5;
  // GL's clip-space z spans [-1, 1] (WebGPU's [0, 1]); these values sit in both, in the same order.
  float depth = 0.6;
  vec3 color = vec3(0.95, 0.95, 1.0);
  if (gl_InstanceID < RING) {
    float angle = u_time * 0.4 + i / float(RING) * TAU;
    center = vec2(cos(angle), sin(angle)) * 0.62;
    size = 0.16;
    spin = u_time * 1.5 + i;
    depth = 0.2 + 0.02 * i;
    color = hue(i / float(RING));
  }
  // Column-major, like WGSL's mat2x2f(cos, sin, -sin, cos).
  mat2 rotation = mat2(cos(spin), sin(spin), -sin(spin), cos(spin));
  vec2 p = center + rotation * corners[gl_VertexID] * size;
  p.x = p.x / u_aspect;
  // Shade each corner differently so the triangles show a gradient, not a flat fill.
  float shade = 0.55 + 0.45 * float(gl_VertexID) / 2.0;
  gl_Position = vec4(p, depth, 1.0);
  v_color = color * shade;
}
