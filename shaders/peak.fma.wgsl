// Peak arithmetic microbenchmark: each invocation runs `iters` rounds of 4 independent vec4 FMAs
// (16 multiply-adds, 32 flops per round). The sum lands in out[i] so nothing is dead code.
// 1-D dispatch over `n` invocations, folded into y (GpuRuntime.grid).
override WG: u32 = 64;

struct Params { n: u32, iters: u32 }

@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flat_index(wid, nwg, lid, WG);
  if (i >= params.n) { return; }
  let s = f32(i) * 1e-7;
  var a = vec4f(s, s + 1.0, s + 2.0, s + 3.0);
  var b = a + 0.5;
  var c = a + 0.25;
  var d = a + 0.125;
  let m = vec4f(0.999999);
  let k = vec4f(1e-6);
  for (var r = 0u; r < params.iters; r++) {
    a = fma(a, m, k);
    b = fma(b, m, k);
    c = fma(c, m, k);
    d = fma(d, m, k);
  }
  let t = a + b + c + d;
  out[i] = t.x + t.y + t.z + t.w;
}
