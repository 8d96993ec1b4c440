// Metric accumulation without readback: acc[slot] += scale * sum(values[0 .. n)).
// E.g. the batch's per-sample losses into a running loss sum (scale = the loss weight); the
// trainer reads `acc` back once every few steps. values [n]; acc [slots], f32.
// Dispatch: exactly one workgroup ([1, 1, 1]): it strides over n, reduces as a tree in workgroup
// memory, and one invocation updates the slot (no atomics; dispatches in a pass are ordered).
override WG: u32 = 256;

struct Params { n: u32, slot: u32, scale: f32 }

@group(0) @binding(0) var<storage, read> values: array<f32>;
@group(0) @binding(1) var<storage, read_write> acc: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> sums: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var s = 0.0;
  for (var i = lid; i < params.n; i += WG) { s += values[i]; }
  sums[lid] = s;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) { sums[lid] += sums[lid + stride]; }
    workgroupBarrier();
  }
  if (lid == 0u) { acc[params.slot] += params.scale * sums[0]; }
}
