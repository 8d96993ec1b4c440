// C[M, N] = act(op(A) · op(B) + bias) as matmul.wgsl (same bindings, Params, constants and 4 x 4
// block of C per invocation), reading A and B as vec4s along their contiguous axis, with the block
// in four named vec4s (SwiftShader keeps a dynamically indexed array in memory). Measured on
// SwiftShader against the blocked kernel (see the commit). Valid layouts:
//   A · B      (Dense forward):         K % 4 == 0, N % 4 == 0
//   A · B^T    (Dense input gradient):  K % 4 == 0
//   A^T · B    (Dense weight gradient): M % 4 == 0, N % 4 == 0
// Dispatch: x = ceil(N / (WG_X * 4)), y = ceil(M / (WG_Y * 4)); rows and columns past the end are
// clamped on load and skipped on store.
override WG_X: u32 = 8;
override WG_Y: u32 = 8;
override TRANS_A: bool = false;
override TRANS_B: bool = false;
override HAS_BIAS: bool = false;
override ACT: u32 = 0u;
override DIM_M: u32 = 1u;
override DIM_N: u32 = 1u;
override DIM_K: u32 = 1u;

struct Params { m: u32, n: u32, k: u32, act: u32 }

@group(0) @binding(0) var<storage, read> a: array<vec4f>;
@group(0) @binding(1) var<storage, read> b: array<vec4f>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

// A · B: rows r of A along K (a vec4 = 4 steps of K), 4 rows of B at columns col0 .. +3.
fn product_nn(r: vec4u, col0: u32) -> array<vec4f, 4> {
  var acc0 = vec4f(0.0); var acc1 = vec4f(0.0); var acc2 = vec4f(0.0); var acc3 = vec4f(0.0);
  let k4s = DIM_K / 4u;
  let n4s = DIM_N / 4u;
  let ra = r * k4s;
  var kb = col0 / 4u;  // col0 < N, both multiples of 4
  for (var k4 = 0u; k4 < k4s; k4++) {
    let b0 = b[kb];
    let b1 = b[kb + n4s];
    let b2 = b[kb + 2u * n4s];
    let b3 = b[kb + 3u * n4s];
    kb += 4u * n4s;
    var av = a[ra.x + k4];
    acc0 += av.x * b0 + av.y * b1 + av.z * b2 + av.w * b3;
    av = a[ra.y + k4];
    acc1 += av.x * b0 + av.y * b1 + av.z * b2 + av.w * b3;
    av = a[ra.z + k4];
    acc2 += av.x * b0 + av.y * b1 + av.z * b2 + av.w * b3;
    av = a[ra.w + k4];
    acc3 += av.x * b0 + av.y * b1 + av.z * b2 + av.w * b3;
  }
  return array<vec4f, 4>(acc0, acc1, acc2, acc3);
}

fn dots(av: vec4f, b0: vec4f, b1: vec4f, b2: vec4f, b3: vec4f) -> vec4f {
  return vec4f(dot(av, b0), dot(av, b1), dot(av, b2), dot(av, b3));
}

// A · B^T: rows r of A and rows cc of B, both along K; each output a dot product.
fn product_nt(r: vec4u, cc: vec4u) -> array<vec4f, 4> {
  var acc0 = vec4f(0.0); var acc1 = vec4f(0.0); var acc2 = vec4f(0.0); var acc3 = vec4f(0.0);
  let k4s = DIM_K / 4u;
  let ra = r * k4s;
  let rb = cc * k4s;
  for (var k4 = 0u; k4 < k4s; k4++) {
    let b0 = b[rb.x + k4];
    let b1 = b[rb.y + k4];
    let b2 = b[rb.z + k4];
    let b3 = b[rb.w + k4];
    acc0 += dots(a[ra.x + k4], b0, b1, b2, b3);
    acc1 += dots(a[ra.y + k4], b0, b1, b2, b3);
    acc2 += dots(a[ra.z + k4], b0, b1, b2, b3);
    acc3 += dots(a[ra.w + k4], b0, b1, b2, b3);
  }
  return array<vec4f, 4>(acc0, acc1, acc2, acc3);
}

// A^T · B: per k, 4 consecutive rows of C from A's row k, 4 consecutive columns from B's row k.
fn product_tn(row0: u32, col0: u32) -> array<vec4f, 4> {
  var acc0 = vec4f(0.0); var acc1 = vec4f(0.0); var acc2 = vec4f(0.0); var acc3 = vec4f(0.0);
  let m4s = DIM_M / 4u;
  let n4s = DIM_N / 4u;
  var ka = row0 / 4u;  // row0 < M, col0 < N, all multiples of 4
  var kb = col0 / 4u;
  for (var k = 0u; k < DIM_K; k++) {
    let av = a[ka];
    let bv = b[kb];
    ka += m4s;
    kb += n4s;
    acc0 += av.x * bv;
    acc1 += av.y * bv;
    acc2 += av.z * bv;
    acc3 += av.w * bv;
  }
  return array<vec4f, 4>(acc0, acc1, acc2, acc3);
}

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let row0 = (wid.y * WG_Y + lid.y) * 4u;
  let col0 = (wid.x * WG_X + lid.x) * 4u;
  if (row0 >= DIM_M || col0 >= DIM_N) { return; }
  let r = min(vec4u(row0) + vec4u(0u, 1u, 2u, 3u), vec4u(DIM_M - 1u));
  let cc = min(vec4u(col0) + vec4u(0u, 1u, 2u, 3u), vec4u(DIM_N - 1u));
  var acc: array<vec4f, 4>;
  if (TRANS_A) {
    acc = product_tn(row0, col0);
  } else if (TRANS_B) {
    acc = product_nt(r, cc);
  } else {
    acc = product_nn(r, col0);
  }
  for (var i = 0u; i < 4u; i++) {
    let row = row0 + i;
    if (row >= DIM_M) { break; }
    for (var j = 0u; j < 4u; j++) {
      let col = col0 + j;
      if (col >= DIM_N) { break; }
      var v = acc[i][j];
      if (HAS_BIAS) { v += bias[col]; }
      c[row * DIM_N + col] = activate(v, ACT);
    }
  }
}
