#version 300 es
// The render-targets demo's post-process on WebGL2 (GLSL twin of post.wgsl's fs): reads the resolved
// offscreen scene and writes the canvas with a slight chromatic aberration, a vignette and
// resolution-dependent scanlines.

precision highp float;

uniform sampler2D u_scene;
// canvas size in pixels
uniform vec2 u_resolution;
uniform float u_strength;

in vec2 v_uv;
out vec4 out_color;

void main() {
  vec2 offset = (v_uv - 0.5) * 0.012 * u_strength;
  float r = texture(u_scene, v_uv + offset).r;
  float g = texture(u_scene, v_uv).g;
  float b = texture(u_scene, v_uv - offset).b;
  float vignette = smoothstep(0.95, 0.25, distance(v_uv, vec2(0.5)));
  // gl_FragCoord.y counts from the bottom, WGSL's position.y from the top: count from the top so the dark
  // rows are the same rows as on WebGPU.
  float fromTop = u_resolution.y - gl_FragCoord.y;
  float scanline = 0.9 + 0.1 * step(0.5, fract(fromTop * 0.5));
  out_color = vec4(vec3(r, g, b) * vignette * scanline, 1.0);
}
