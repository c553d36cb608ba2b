/**
 * The scatter pass's WGSL, as a string so the library needs no bundler to load it. One invocation per
 * element copies the element's words from the staged data to their place in the target. Few large
 * workgroups rather than one per element: software rasterisers (SwiftShader) pay per workgroup, and a GPU
 * runs the 64 lanes of a workgroup side by side either way. Elements are numbered across a 2D grid, since
 * one dimension holds at most 65,535 workgroups.
 */
export const SCATTER_WORKGROUP_SIZE = 64;

/** Entries are `vec4<u32>`: source, destination (in the bound window), length, unused; in the shader's units. */
export const SCATTER_ENTRY_BYTES = 16;

/**
 * The scatter shader over 4-byte words, or over 16-byte vectors (`wide`: every entry counts vectors).
 *
 * @example
 * device.createShaderModule({ code: scatterWgsl(true) });
 */
export function scatterWgsl(wide: boolean): string {
  const unit = wide ? 'vec4<u32>' : 'u32';
  return /* wgsl */ `
@group(0) @binding(0) var<storage, read> staged: array<${unit}>;
@group(0) @binding(1) var<storage, read> entries: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read_write> destination: array<${unit}>;

@compute @workgroup_size(${SCATTER_WORKGROUP_SIZE})
fn scatter(
  @builtin(global_invocation_id) id: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
) {
  let element = id.x + id.y * groups.x * ${SCATTER_WORKGROUP_SIZE}u;
  if (element >= arrayLength(&entries)) {
    return;
  }
  let entry = entries[element];
  for (var i = 0u; i < entry.z; i++) {
    destination[entry.y + i] = staged[entry.x + i];
  }
}
`;
}
