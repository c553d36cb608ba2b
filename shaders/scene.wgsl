// The render-targets demo's scene: a ring of spinning triangles around a larger one, generated from the vertex
// and instance indices (no vertex buffers). Drawn with 4x MSAA and a depth buffer into an offscreen target.

struct Scene {
  time: f32,
  // width / height of the target, so shapes stay undistorted at any window size
  aspect: f32,
  _pad: vec2f,
}

@group(0) @binding(0) var<uniform> scene: Scene;

struct VertexOut {
  @builtin(position) position: vec4f,
  @location(0) color: vec3f,
}

const RING = 12u;
const TAU = 6.2831853;

fn hue(h: f32) -> vec3f {
  let k = vec3f(0.0, 2.0 / 3.0, 1.0 / 3.0);
  return clamp(abs(fract(h + k) * 6.0 - 3.0) - 1.0, vec3f(0.0), vec3f(1.0));
}

@vertex
fn vs(@builtin(vertex_index) vertex: u32, @builtin(instance_index) instance: u32) -> VertexOut {
  var corners = array(vec2f(0.0, 1.0), vec2f(-0.866, -0.5), vec2f(0.866, -0.5));
  let i = f32(instance);
  var center = vec2f(0.0);
  var size = 0.32;
  var spin = -scene.time * 0.5;
  var depth = 0.6;
  var color = vec3f(0.95, 0.95, 1.0);
  if (instance < RING) {
    let angle = scene.time * 0.4 + i / f32(RING) * TAU;
    center = vec2f(cos(angle), sin(angle)) * 0.62;
    size = 0.16;
    spin = scene.time * 1.5 + i;
    depth = 0.2 + 0.02 * i;
    color = hue(i / f32(RING));
  }
  let rotation = mat2x2f(cos(spin), sin(spin), -sin(spin), cos(spin));
  var p = center + rotation * corners[vertex] * size;
  p.x = p.x / scene.aspect;
  // Shade each corner differently so the triangles show a gradient, not a flat fill.
  let shade = 0.55 + 0.45 * f32(vertex) / 2.0;
  var out: VertexOut;
  out.position = vec4f(p, depth, 1.0);
  out.color = color * shade;
  return out;
}

@fragment
fn fs(in: VertexOut) -> @location(0) vec4f {
  return vec4f(in.color, 1.0);
}
