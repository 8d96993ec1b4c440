// Conv2D filter gradient, split-K pass 2: dkernel[i] = sum over s of partials[s, i].
//   partials [splits, size]   from conv2d.grad_filter.wgsl
//   dkernel  [size]           size = kH*kW*inC*outC
// Dispatch: 1-D over `size` invocations (consecutive i read consecutive floats), folded into y
// by GpuRuntime.grid.
override WG: u32 = 256;

struct Params { size: u32, splits: u32 }

@group(0) @binding(0) var<storage, read> partials: array<f32>;
@group(0) @binding(1) var<storage, read_write> dkernel: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= p.size) { return; }
  var s = 0.0;
  for (var k = 0u; k < p.splits; k++) {
    s += partials[k * p.size + i];
  }
  dkernel[i] = s;
}
