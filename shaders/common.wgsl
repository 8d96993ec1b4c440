// Helpers shared by every kernel. Appended after each kernel's own source (WGSL declarations are
// order-independent), so compile errors keep the kernel file's own line numbers.

// Flat invocation index for 1-D work folded into a 2-D grid (see GpuRuntime.grid):
// workgroups run along x first, then y; `wg_size` is the kernel's workgroup size.
fn flat_index(wid: vec3u, nwg: vec3u, lid: u32, wg_size: u32) -> u32 {
  return (wid.y * nwg.x + wid.x) * wg_size + lid;
}
