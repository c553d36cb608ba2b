/**
 * The scatter pass's WGSL, as a string so the library needs no bundler to load it. One workgroup per
 * element: its 64 lanes copy the element's words from the staged data to their place in the target, so a
 * 256-byte element is one word per lane, and a larger one loops. Elements are numbered across a 2D grid of
 * workgroups, since one dimension holds at most 65,535.
 */
export const SCATTER_WORKGROUP_SIZE = 64;

/** Entries are `vec4<u32>`: source word, destination word (in the bound window), word count, unused. */
export const SCATTER_ENTRY_BYTES = 16;

export const SCATTER_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> staged: array<u32>;
@group(0) @binding(1) var<storage, read> entries: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read_write> destination: array<u32>;

@compute @workgroup_size(${SCATTER_WORKGROUP_SIZE})
fn scatter(
  @builtin(workgroup_id) group: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
  @builtin(local_invocation_index) lane: u32,
) {
  let element = group.x + group.y * groups.x;
  if (element >= arrayLength(&entries)) {
    return;
  }
  let entry = entries[element];
  for (var word = lane; word < entry.z; word += ${SCATTER_WORKGROUP_SIZE}u) {
    destination[entry.y + word] = staged[entry.x + word];
  }
}
`;
