// Embedding table gradient: dtable[v, d] = the sum of dy[r, d] over the rows r whose id is v.
// One invocation per table element scanning the ids: a gather, so no float atomics (WGSL has
// none) and the same sum in the same order every run. Its cost is vocab * dim * rows, fine for
// the playground's vocabularies; a large one would sort the ids first.
//   ids    [rows]   (float32 integers, truncated; ids outside the table take no gradient)
//   dy     [rows, dim]
//   dtable [vocab, dim]
// Dispatch: 1-D over vocab*dim invocations, d fastest (neighbours read the same id and
// neighbouring dy values), folded by GpuRuntime.grid.
override WG: u32 = 256;

struct Params { rows: u32, dim: u32, vocab: u32 }

@group(0) @binding(0) var<storage, read> ids: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dtable: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = flat_index(wid, nwg, lid, WG);
  if (t >= p.vocab * p.dim) { return; }
  let d = t % p.dim;
  let v = f32(t / p.dim);
  var acc = 0.0;
  for (var r = 0u; r < p.rows; r++) {
    if (trunc(ids[r]) == v) { acc += dy[r * p.dim + d]; }
  }
  dtable[t] = acc;
}
