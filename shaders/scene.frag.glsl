#version 300 es
// The render-targets demo's scene on WebGL2: the interpolated corner colour (GLSL twin of scene.wgsl's fs).

precision highp float;

in vec3 v_color;
out vec4 out_color;

void main() {
  out_color = vec4(v_color, 1.0);
}
