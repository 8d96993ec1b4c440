// C[M, N] = act(op(A) · op(B) + bias), op = optional transpose, row-major f32 everywhere:
//   A is [M, K], or [K, M] when TRANS_A;  B is [K, N], or [N, K] when TRANS_B;
//   bias is [N] (read only when HAS_BIAS; otherwise any read-only tensor is bound there);
//   act is an `activate` code (0 linear, 1 relu, 2 sigmoid, 3 tanh).
// Dense forward is x · W + b, its input gradient dY · W^T (TRANS_B), its weight gradient X^T · dY
// (TRANS_A).
//
// Dispatch: x = ceil(N / (WG_X * 4)), y = ceil(M / (WG_Y * 4)). Each invocation computes a 4 x 4
// block of C in registers (rows 4 * gy .. +3, columns 4 * gx .. +3, gx/gy its global id).
// TILED: the workgroup first stages a TILE_K-deep slice of A and B in workgroup memory (each
// element fetched once per workgroup, the usual choice on discrete GPUs). Not TILED: every
// invocation reads its own rows and columns straight from storage, relying on caches (faster on
// CPU implementations such as SwiftShader, where workgroup barriers are expensive).
// Out-of-range rows/columns are clamped on load and skipped on store.
override WG_X: u32 = 8;
override WG_Y: u32 = 8;
override TILE_K: u32 = 16;
override TRANS_A: bool = false;
override TRANS_B: bool = false;
override HAS_BIAS: bool = false;
override TILED: bool = false;
// The activation (ACTIVATION_CODES) as a pipeline constant, so the compiler drops the other
// cases of activate(); the Params field of the same meaning is not read.
override ACT: u32 = 0u;
// The sizes as pipeline constants, like the convs' geometry (conv_geometry.wgsl); Params.m/n/k are not read.
override DIM_M: u32 = 1u;
override DIM_N: u32 = 1u;
override DIM_K: u32 = 1u;

struct Params { m: u32, n: u32, k: u32, act: u32 }

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

var<workgroup> a_tile: array<f32, WG_Y * 4u * TILE_K>;  // [TILE_M, TILE_K]
var<workgroup> b_tile: array<f32, TILE_K * WG_X * 4u>;  // [TILE_K, TILE_N]

fn load_a(row: u32, k: u32) -> f32 {
  if (TRANS_A) { return a[k * DIM_M + row]; }
  return a[row * DIM_K + k];
}

fn load_b(k: u32, col: u32) -> f32 {
  if (TRANS_B) { return b[col * DIM_K + k]; }
  return b[k * DIM_N + col];
}

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let row0 = (wid.y * WG_Y + lid.y) * 4u;
  let col0 = (wid.x * WG_X + lid.x) * 4u;
  var acc: array<vec4f, 4>;
  if (TILED) {
    tiled_product(wid, lid, &acc);
  } else {
    let r = min(vec4u(row0) + vec4u(0u, 1u, 2u, 3u), vec4u(DIM_M - 1u));
    let cc = min(vec4u(col0) + vec4u(0u, 1u, 2u, 3u), vec4u(DIM_N - 1u));
    for (var k = 0u; k < DIM_K; k++) {
      let bv = vec4f(load_b(k, cc.x), load_b(k, cc.y), load_b(k, cc.z), load_b(k, cc.w));
      acc[0] += load_a(r.x, k) * bv;
      acc[1] += load_a(r.y, k) * bv;
      acc[2] += load_a(r.z, k) * bv;
      acc[3] += load_a(r.w, k) * bv;
    }
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

fn tiled_product(wid: vec3u, lid: vec3u, acc: ptr<function, array<vec4f, 4>>) {
  let tile_m = WG_Y * 4u;
  let tile_n = WG_X * 4u;
  let threads = WG_X * WG_Y;
  let t = lid.y * WG_X + lid.x;
  let m_base = wid.y * tile_m;
  let n_base = wid.x * tile_n;
  for (var k0 = 0u; k0 < DIM_K; k0 += TILE_K) {
    // Stage the slices in memory order, so consecutive invocations read consecutive addresses.
    for (var i = t; i < tile_m * TILE_K; i += threads) {
      var mm = i / TILE_K;
      var kk = i % TILE_K;
      if (TRANS_A) { mm = i % tile_m; kk = i / tile_m; }
      let row = min(m_base + mm, DIM_M - 1u);
      a_tile[mm * TILE_K + kk] = select(0.0, load_a(row, min(k0 + kk, DIM_K - 1u)), k0 + kk < DIM_K);
    }
    for (var i = t; i < TILE_K * tile_n; i += threads) {
      var kk = i / tile_n;
      var nn = i % tile_n;
      if (TRANS_B) { kk = i % TILE_K; nn = i / TILE_K; }
      let col = min(n_base + nn, DIM_N - 1u);
      b_tile[kk * tile_n + nn] = select(0.0, load_b(min(k0 + kk, DIM_K - 1u), col), k0 + kk < DIM_K);
    }
    workgroupBarrier();
    let ar = lid.y * 4u * TILE_K;
    let bc = lid.x * 4u;
    for (var kk = 0u; kk < TILE_K; kk++) {
      let bv = vec4f(b_tile[kk * tile_n + bc], b_tile[kk * tile_n + bc + 1u], b_tile[kk * tile_n + bc + 2u], b_tile[kk * tile_n + bc + 3u]);
      (*acc)[0] += a_tile[ar + kk] * bv;
      (*acc)[1] += a_tile[ar + TILE_K + kk] * bv;
      (*acc)[2] += a_tile[ar + 2u * TILE_K + kk] * bv;
      (*acc)[3] += a_tile[ar + 3u * TILE_K + kk] * bv;
    }
    workgroupBarrier();
  }
}
