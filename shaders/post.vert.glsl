#version 300 es
// The render-targets demo's post-process on WebGL2 (GLSL twin of post.wgsl's vs): one triangle that covers
// the screen, from gl_VertexID (no vertex buffers).

precision highp float;

out vec2 v_uv;

void main() {
  vec2 positions[3] = vec2[3](vec2(-1.0, -1.0), vec2(3.0, -1.0), vec2(-1.0, 3.0));
  vec2 p = positions[gl_VertexID];
  gl_Position = vec4(p, 0.0, 1.0);
  // GL textures rendered to keep row 0 at the bottom (clip y = -1), so uv is not flipped here as it is in
  // WGSL, where row 0 is the top: both sample the scene upright.
  v_uv = p * 0.5 + 0.5;
}
