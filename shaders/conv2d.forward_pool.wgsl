// Conv2D forward fused with the 2x2, stride-2, valid MaxPooling2D after it, for inference (no
// argmax), any inC and outC % 8 == 0. conv2d.forward_narrow.wgsl's register block (8 pixels x 8
// channels, x read one channel at a time) whose 8 pixels are the 2x2 windows of two pooled
// outputs: bias and activation apply per pixel, then each window's maximum is written. The conv's
// own output, 4x the pooled size, is never stored.
//   x      [N, H, W, inC]
//   kernel [kH, kW, inC, outC]    as vec4 [kH, kW, inC, outC/4]
//   bias   [outC]   (any buffer when has_bias is 0)
//   y      [N, OUT_H / 2, OUT_W / 2, outC] (floor: a last odd row or column is dropped, as Keras's valid pool)
// OUT_H and OUT_W are the conv's output size. Dispatch: 1-D over ceil(pooled / 2) * (outC / 8).
override WG: u32 = 64;
override ACT: u32 = 0u;

struct Params {
  batch: u32, in_h: u32, in_w: u32, cin: u32,
  out_h: u32, out_w: u32, cout: u32, k_h: u32,
  k_w: u32, stride_h: u32, stride_w: u32, pad_top: u32,
  pad_left: u32, activation: u32, has_bias: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> kernel: array<vec4f>;
@group(0) @binding(2) var<storage, read> bias: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> y: array<vec4f>;
@group(0) @binding(4) var<uniform> p: Params;

override POOLED_H: u32 = OUT_H / 2u;
override POOLED_W: u32 = OUT_W / 2u;

// The 2x2 window of conv pixels under pooled pixel q (a q past the end repeats the last one).
struct Pixels { n: vec4u, iy0: vec4i, ix0: vec4i }

fn window(q: u32, pooled: u32) -> Pixels {
  let qq = min(q, pooled - 1u);
  let py = (qq / POOLED_W) % POOLED_H;
  let px = qq % POOLED_W;
  let oy = vec4u(2u * py) + vec4u(0u, 0u, 1u, 1u);
  let ox = vec4u(2u * px) + vec4u(0u, 1u, 0u, 1u);
  return Pixels(vec4u(qq / (POOLED_H * POOLED_W)), vec4i(oy * STRIDE_H) - i32(PAD_TOP), vec4i(ox * STRIDE_W) - i32(PAD_LEFT));
}

struct Tap { base: vec4u, inside: vec4<bool> }

fn tap(g: Pixels, ky: u32, kx: u32) -> Tap {
  let iy = g.iy0 + i32(ky);
  let ix = g.ix0 + i32(kx);
  let inside = (iy >= vec4i(0)) & (iy < vec4i(i32(IN_H))) & (ix >= vec4i(0)) & (ix < vec4i(i32(IN_W)));
  let base = select(vec4u(0u), ((g.n * IN_H + vec4u(iy)) * IN_W + vec4u(ix)) * CIN, inside);
  return Tap(base, inside);
}

fn act(v: vec4f) -> vec4f {
  return vec4f(activate(v.x, ACT), activate(v.y, ACT), activate(v.z, ACT), activate(v.w, ACT));
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = flat_index(wid, nwg, lid, WG);
  let col_blocks = COUT / 8u;
  let pooled = p.batch * POOLED_H * POOLED_W;
  let q0 = (t / col_blocks) * 2u;
  let c4 = (t % col_blocks) * 2u;  // first output channel / 4
  if (q0 >= pooled) { return; }
  let ga = window(q0, pooled);
  let gb = window(q0 + 1u, pooled);
  let q = COUT / 4u;

  // a<i>: window pixel i (pooled q0 for i < 4, q0 + 1 after), channels 4*c4..+3; b<i>: the next 4.
  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  var a4 = vec4f(0.0); var a5 = vec4f(0.0); var a6 = vec4f(0.0); var a7 = vec4f(0.0);
  var b0 = vec4f(0.0); var b1 = vec4f(0.0); var b2 = vec4f(0.0); var b3 = vec4f(0.0);
  var b4 = vec4f(0.0); var b5 = vec4f(0.0); var b6 = vec4f(0.0); var b7 = vec4f(0.0);
  for (var ky = 0u; ky < K_H; ky++) {
    for (var kx = 0u; kx < K_W; kx++) {
      let ta = tap(ga, ky, kx);
      let tb = tap(gb, ky, kx);
      if (!any(ta.inside) && !any(tb.inside)) { continue; }
      let ma = select(vec4f(0.0), vec4f(1.0), ta.inside);
      let mb = select(vec4f(0.0), vec4f(1.0), tb.inside);
      var k = (ky * K_W + kx) * CIN * q + c4;
      for (var ci = 0u; ci < CIN; ci++) {
        let w = kernel[k];
        let v = kernel[k + 1u];
        let sa = vec4f(x[ta.base.x + ci], x[ta.base.y + ci], x[ta.base.z + ci], x[ta.base.w + ci]) * ma;
        let sb = vec4f(x[tb.base.x + ci], x[tb.base.y + ci], x[tb.base.z + ci], x[tb.base.w + ci]) * mb;
        a0 += sa.x * w; b0 += sa.x * v;
        a1 += sa.y * w; b1 += sa.y * v;
        a2 += sa.z * w; b2 += sa.z * v;
        a3 += sa.w * w; b3 += sa.w * v;
        a4 += sb.x * w; b4 += sb.x * v;
        a5 += sb.y * w; b5 += sb.y * v;
        a6 += sb.z * w; b6 += sb.z * v;
        a7 += sb.w * w; b7 += sb.w * v;
        k += q;
      }
    }
  }

  var ba = vec4f(0.0);
  var bb = vec4f(0.0);
  if (p.has_bias != 0u) {
    ba = bias[c4];
    bb = bias[c4 + 1u];
  }
  let i = q0 * q + c4;
  y[i] = max(max(act(a0 + ba), act(a1 + ba)), max(act(a2 + ba), act(a3 + ba)));
  y[i + 1u] = max(max(act(b0 + bb), act(b1 + bb)), max(act(b2 + bb), act(b3 + bb)));
  if (q0 + 1u < pooled) {
    y[i + q] = max(max(act(a4 + ba), act(a5 + ba)), max(act(a6 + ba), act(a7 + ba)));
    y[i + q + 1u] = max(max(act(b4 + bb), act(b5 + bb)), max(act(b6 + bb), act(b7 + bb)));
  }
}
