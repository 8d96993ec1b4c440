// C[M, N] = act(op(A) · op(B) + bias) for real GPUs, split along K: the layouts, transposes and
// activation codes of matmul.wgsl, with 64x64 tiles of C staged through workgroup memory.
//   A [M, K], or [K, M] when TRANS_A;   B [K, N], or [N, K] when TRANS_B;   bias [N] (has_bias)
//   out: C [M, N] when splits == 1 (bias and activation applied here), else the partial products
//        [splits, M, N] that matmul.splitk_sum.wgsl adds up (then bias and activation there).
// K is cut into `splits` chunks of `chunk` (workgroup z): a long K (a Dense weight gradient
// X^T · dY, where K is the batch) then keeps many workgroups busy. A workgroup of 16x16
// invocations owns 64 rows x 64 columns of one chunk; invocation (tx, ty) owns rows 4ty..4ty+3 x
// columns 4tx..4tx+3. Per step of 16 along K it stages A ([16 k][64 rows]) and B ([16 k][64 cols])
// as vec4s, one of each per invocation, with the invocation-to-element map chosen per layout so
// consecutive invocations read consecutive addresses (coalesced).
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

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let k_begin = min(wid.z * p.chunk, DIM_K);
  let k_end = min(k_begin + p.chunk, DIM_K);
  // Staging: k offset and quad of rows (A) / columns (B). K fastest where K is the contiguous
  // axis (A untransposed, B transposed), else the quad. Past the end: the last row / column.
  let ka = select(li % 16u, li / 16u, TRANS_A);
  let ga = select(li / 16u, li % 16u, TRANS_A);
  let kb = select(li / 16u, li % 16u, TRANS_B);
  let gb = select(li % 16u, li / 16u, TRANS_B);
  let rows = min(vec4u(wid.y * 64u + 4u * ga) + vec4u(0u, 1u, 2u, 3u), vec4u(DIM_M - 1u));
  let cols = min(vec4u(wid.x * 64u + 4u * gb) + vec4u(0u, 1u, 2u, 3u), vec4u(DIM_N - 1u));

  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var k0 = k_begin; k0 < k_end; k0 += 16u) {
    let ki = min(k0 + ka, k_end - 1u);
    let av = vec4f(load_a(rows.x, ki), load_a(rows.y, ki), load_a(rows.z, ki), load_a(rows.w, ki));
    a_tile[ka * 16u + ga] = select(vec4f(0.0), av, k0 + ka < k_end);
    let kj = min(k0 + kb, k_end - 1u);
    let bv = vec4f(load_b(kj, cols.x), load_b(kj, cols.y), load_b(kj, cols.z), load_b(kj, cols.w));
    b_tile[kb * 16u + gb] = select(vec4f(0.0), bv, k0 + kb < k_end);
    workgroupBarrier();

    for (var q = 0u; q < 16u; q++) {
      let av4 = a_tile[q * 16u + lid.y];
      let bv4 = b_tile[q * 16u + lid.x];
      acc0 += av4.x * bv4;
      acc1 += av4.y * bv4;
      acc2 += av4.z * bv4;
      acc3 += av4.w * bv4;
    }
    workgroupBarrier();
  }

  let row0 = wid.y * 64u + 4u * lid.y;
  let col0 = wid.x * 64u + 4u * lid.x;
  let slice = wid.z * DIM_M;
  store(slice, row0, col0, acc0);
  store(slice, row0 + 1u, col0, acc1);
  store(slice, row0 + 2u, col0, acc2);
  store(slice, row0 + 3u, col0, acc3);
}

// Row `row` of this split's slice, columns col0.. (those that exist): the final C when there is
// one split, else a raw partial product.
fn store(slice: u32, row: u32, col0: u32, v: vec4f) {
  if (row >= DIM_M) { return; }
  for (var j = 0u; j < 4u && col0 + j < DIM_N; j++) {
    let col = col0 + j;
    if (p.splits == 1u) {
      var s = v[j];
      if (p.has_bias != 0u) { s += bias[col]; }
      out[row * DIM_N + col] = activate(s, ACT);
    } else {
      out[(slice + row) * DIM_N + col] = v[j];
    }
  }
}
