// C[M, N] = act(op(A) · op(B) + bias), split along K: matmul.splitk.wgsl (same layouts, bindings,
// uniforms, constants, 64x64 tiles of C staged in steps of 16 along K, split-K partials) with 8x8
// invocations owning 8 rows x 8 columns each: four times the FMAs per workgroup-memory read and a
// quarter of the invocations per barrier (what CPU implementations such as SwiftShader prefer).
// Staging: each invocation loads 4 vec4s of A and 4 of B (elements li + 64j of the 16x16 vec4
// tiles, mapped as in the 16x16 kernel so consecutive invocations read consecutive addresses).
// Dispatch: x = ceil(N / 64), y = ceil(M / 64), z = splits.

override TRANS_A: bool = false;
override TRANS_B: bool = false;
// The activation (ACTIVATION_CODES) as a pipeline constant, so the compiler drops the other cases
// of activate(); the Params field of the same meaning is not read.
override ACT: u32 = 0u;
// M, N and K as pipeline constants (as in matmul.wgsl), so index arithmetic folds; the Params
// fields of the same names are not read.
override DIM_M: u32 = 1u;
override DIM_N: u32 = 1u;
override DIM_K: u32 = 1u;

struct Params { m: u32, n: u32, k: u32, act: u32, has_bias: u32, chunk: u32, splits: u32 }

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

var<workgroup> a_tile: array<vec4f, 256>;  // [16 k][16]: 4 rows per vec4
var<workgroup> b_tile: array<vec4f, 256>;  // [16 k][16]: 4 columns per vec4

fn load_a(row: u32, k: u32) -> f32 {
  if (TRANS_A) { return a[k * DIM_M + row]; }
  return a[row * DIM_K + k];
}

fn load_b(k: u32, col: u32) -> f32 {
  if (TRANS_B) { return b[col * DIM_K + k]; }
  return b[k * DIM_N + col];
}

@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let k_begin = min(wid.z * p.chunk, DIM_K);
  let k_end = min(k_begin + p.chunk, DIM_K);

  // a<i>: row 8ty + i, columns 8tx..+3; b<i>: the same row, columns 8tx+4..+7.
  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  var a4 = vec4f(0.0); var a5 = vec4f(0.0); var a6 = vec4f(0.0); var a7 = vec4f(0.0);
  var b0 = vec4f(0.0); var b1 = vec4f(0.0); var b2 = vec4f(0.0); var b3 = vec4f(0.0);
  var b4 = vec4f(0.0); var b5 = vec4f(0.0); var b6 = vec4f(0.0); var b7 = vec4f(0.0);
  for (var k0 = k_begin; k0 < k_end; k0 += 16u) {
    for (var j = 0u; j < 4u; j++) {
      // Tile element i: K offset and quad of rows (A) / columns (B), K fastest where K is the
      // contiguous axis. Past the end: the last row / column (computed, never written).
      let i = li + 64u * j;
      let ka = select(i % 16u, i / 16u, TRANS_A);
      let ga = select(i / 16u, i % 16u, TRANS_A);
      let rows = min(vec4u(wid.y * 64u + 4u * ga) + vec4u(0u, 1u, 2u, 3u), vec4u(DIM_M - 1u));
      let ki = min(k0 + ka, k_end - 1u);
      let av = vec4f(load_a(rows.x, ki), load_a(rows.y, ki), load_a(rows.z, ki), load_a(rows.w, ki));
      a_tile[ka * 16u + ga] = select(vec4f(0.0), av, k0 + ka < k_end);
      let kb = select(i / 16u, i % 16u, TRANS_B);
      let gb = select(i % 16u, i / 16u, TRANS_B);
      let cols = min(vec4u(wid.x * 64u + 4u * gb) + vec4u(0u, 1u, 2u, 3u), vec4u(DIM_N - 1u));
      let kj = min(k0 + kb, k_end - 1u);
      let bv = vec4f(load_b(kj, cols.x), load_b(kj, cols.y), load_b(kj, cols.z), load_b(kj, cols.w));
      b_tile[kb * 16u + gb] = select(vec4f(0.0), bv, k0 + kb < k_end);
    }
    workgroupBarrier();

    for (var q = 0u; q < 16u; q++) {
      let u = a_tile[q * 16u + 2u * lid.y];
      let v = a_tile[q * 16u + 2u * lid.y + 1u];
      let w = b_tile[q * 16u + 2u * lid.x];
      let e = b_tile[q * 16u + 2u * lid.x + 1u];
      a0 += u.x * w; a1 += u.y * w; a2 += u.z * w; a3 += u.w * w;
      a4 += v.x * w; a5 += v.y * w; a6 += v.z * w; a7 += v.w * w;
      b0 += u.x * e; b1 += u.y * e; b2 += u.z * e; b3 += u.w * e;
      b4 += v.x * e; b5 += v.y * e; b6 += v.z * e; b7 += v.w * e;
    }
    workgroupBarrier();
  }

  let row0 = wid.y * 64u + 8u * lid.y;
  let col0 = wid.x * 64u + 8u * lid.x;
  let slice = wid.z * DIM_M;
  store(slice, row0, col0, a0, b0);
  store(slice, row0 + 1u, col0, a1, b1);
  store(slice, row0 + 2u, col0, a2, b2);
  store(slice, row0 + 3u, col0, a3, b3);
  store(slice, row0 + 4u, col0, a4, b4);
  store(slice, row0 + 5u, col0, a5, b5);
  store(slice, row0 + 6u, col0, a6, b6);
  store(slice, row0 + 7u, col0, a7, b7);
}

// Row `row` of this split's slice, columns col0..col0+3 from v and col0+4..col0+7 from w (those
// that exist): the final C when there is one split, else raw partial products.
fn store(slice: u32, row: u32, col0: u32, v: vec4f, w: vec4f) {
  if (row >= DIM_M) { return; }
  for (var j = 0u; j < 8u && col0 + j < DIM_N; j++) {
    let col = col0 + j;
    let s = select(w[j % 4u], v[j % 4u], j < 4u);
    if (p.splits == 1u) {
      var t = s;
      if (p.has_bias != 0u) { t += bias[col]; }
      out[row * DIM_N + col] = activate(t, ACT);
    } else {
      out[(slice + row) * DIM_N + col] = s;
    }
  }
}
