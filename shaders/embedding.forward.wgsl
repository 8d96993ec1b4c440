// Embedding lookup: y[r, d] = table[id_r, d], ids given as float32 integers (truncated, as Keras
// casts them); an id outside [0, vocab) reads zeros. One invocation per output element, d fastest
// (coalesced reads of one table row and writes of one output row).
//   ids   [rows]
//   table [vocab, dim]
//   y     [rows, dim]
override WG: u32 = 256;

struct Params { rows: u32, dim: u32, vocab: u32 }

@group(0) @binding(0) var<storage, read> ids: array<f32>;
@group(0) @binding(1) var<storage, read> table: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = flat_index(wid, nwg, lid, WG);
  if (t >= p.rows * p.dim) { return; }
  let d = t % p.dim;
  let id = trunc(ids[t / p.dim]);
  var v = 0.0;
  if (id >= 0.0 && id < f32(p.vocab)) { v = table[u32(id) * p.dim + d]; }
  y[t] = v;
}
