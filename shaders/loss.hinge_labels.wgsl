// Keras's hinge labels: flag[0] = 1 when every target of the batch is 0 or 1 (they are then
// mapped to -1/1 by loss.elementwise.wgsl), else 0. targets [n] f32; flag [1] f32.
// Dispatch: exactly one workgroup ([1, 1, 1]); it strides over n and reduces in workgroup memory.
override WG: u32 = 256;

struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> targets: array<f32>;
@group(0) @binding(1) var<storage, read_write> flag: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> other: array<u32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var count = 0u;
  for (var i = lid; i < params.n; i += WG) {
    let t = targets[i];
    count += select(1u, 0u, t == 0.0 || t == 1.0);
  }
  other[lid] = count;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) { other[lid] += other[lid + stride]; }
    workgroupBarrier();
  }
  if (lid == 0u) { flag[0] = select(0.0, 1.0, other[0] == 0u); }
}
