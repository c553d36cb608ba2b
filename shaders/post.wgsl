// The render-targets demo's post-process: reads the resolved offscreen scene and writes the canvas with a
// slight chromatic aberration, a vignette and resolution-dependent scanlines.

struct Post {
  // canvas size in pixels
  resolution: vec2f,
  strength: f32,
  _pad: f32,
}

@group(0) @binding(0) var scene_texture: texture_2d<f32>;
@group(0) @binding(1) var scene_sampler: sampler;
@group(0) @binding(2) var<uniform> post: Post;

struct VertexOut {
  @builtin(position) position: vec4f,
  @location(0) uv: vec2f,
}

// One triangle that covers the screen; uv (0,0) is the top-left texel.
@vertex
fn vs(@builtin(vertex_index) vertex: u32) -> VertexOut {
  var positions = array(vec2f(-1.0, -1.0), vec2f(3.0, -1.0), vec2f(-1.0, 3.0));
  let p = positions[vertex];
  var out: VertexOut;
  out.position = vec4f(p, 0.0, 1.0);
  out.uv = vec2f(p.x * 0.5 + 0.5, 0.5 - p.y * 0.5);
  return out;
}

@fragment
fn fs(in: VertexOut) -> @location(0) vec4f {
  let offset = (in.uv - 0.5) * 0.012 * post.strength;
  let r = textureSample(scene_texture, scene_sampler, in.uv + offset).r;
  let g = textureSample(scene_texture, scene_sampler, in.uv).g;
  let b = textureSample(scene_texture, scene_sampler, in.uv - offset).b;
  let vignette = smoothstep(0.95, 0.25, distance(in.uv, vec2f(0.5)));
  let scanline = 0.9 + 0.1 * step(0.5, fract(in.position.y * 0.5));
  return vec4f(vec3f(r, g, b) * vignette * scanline, 1.0);
}
