// Elementwise kernels of a training step, each on an element (or channel) range [start, end):
// zero fill, the ReLU gradient, the bias gradient and the Adam update (Keras 3 formulas with every
// operation rounded to float32, as ops/reference/optimizers.ts, so results match it bit for bit).

/** p[start..end) = 0 (floats). */
export function zero(p: usize, start: i32, end: i32): void {
  memory.fill(p + <usize>start * 4, 0, <usize>(end - start) * 4);
}

/** out[i] = p0[i] + p1[i] + ... + p(count-1)[i] summed in that order (pk = partials + k * size floats), elements [start, end). */
export function sumPartials(partials: usize, out: usize, count: i32, size: i32, start: i32, end: i32): void {
  const stride = <usize>size * 4;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    let p = partials + <usize>i * 4;
    let acc = v128.load(p);
    for (let k = 1; k < count; k++) {
      p += stride;
      acc = f32x4.add(acc, v128.load(p));
    }
    v128.store(out + <usize>i * 4, acc);
  }
  for (; i < end; i++) {
    let p = partials + <usize>i * 4;
    let acc = load<f32>(p);
    for (let k = 1; k < count; k++) {
      p += stride;
      acc += load<f32>(p);
    }
    store<f32>(out + <usize>i * 4, acc);
  }
}

/** dx = dy * (y > 0 ? 1 : 0), elements [start, end). */
export function reluGrad(dy: usize, y: usize, dx: usize, start: i32, end: i32): void {
  const zeroV = f32x4.splat(0);
  const one = f32x4.splat(1);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i * 4;
    const mask = v128.and(f32x4.gt(v128.load(y + o), zeroV), one);
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), mask));
  }
  for (; i < end; i++) {
    const o = <usize>i * 4;
    store<f32>(dx + o, load<f32>(dy + o) * (load<f32>(y + o) > 0 ? <f32>1 : <f32>0));
  }
}

/** Four float32 lanes from two pairs of float64 sums (lo's two, then hi's two), each rounded once. */
// @ts-ignore: decorator
@inline function joinF32(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** db[c] = sum over rows of dy[r, c] for channels [start, end), summed in float64 (dy: [rows, channels]). */
export function biasGrad(dy: usize, db: usize, rows: i32, channels: i32, start: i32, end: i32): void {
  // Sixteen channels at a time (a 64-byte line of each row) in eight f64x2 sums, so each line of
  // dy is read once; then four at a time in locals, then one. Every sum runs over the rows in order.
  const stride = <usize>channels * 4;
  let c = start;
  for (; c + 16 <= end; c += 16) {
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
    let s4 = f64x2.splat(0), s5 = f64x2.splat(0), s6 = f64x2.splat(0), s7 = f64x2.splat(0);
    let p = dy + <usize>c * 4;
    for (let r = 0; r < rows; r++, p += stride) {
      const v0 = v128.load(p);
      const v1 = v128.load(p, 16);
      const v2 = v128.load(p, 32);
      const v3 = v128.load(p, 48);
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v0));
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v0, v0, 2, 3, 0, 1)));
      s2 = f64x2.add(s2, f64x2.promote_low_f32x4(v1));
      s3 = f64x2.add(s3, f64x2.promote_low_f32x4(v128.shuffle<f32>(v1, v1, 2, 3, 0, 1)));
      s4 = f64x2.add(s4, f64x2.promote_low_f32x4(v2));
      s5 = f64x2.add(s5, f64x2.promote_low_f32x4(v128.shuffle<f32>(v2, v2, 2, 3, 0, 1)));
      s6 = f64x2.add(s6, f64x2.promote_low_f32x4(v3));
      s7 = f64x2.add(s7, f64x2.promote_low_f32x4(v128.shuffle<f32>(v3, v3, 2, 3, 0, 1)));
    }
    const o = db + <usize>c * 4;
    v128.store(o, joinF32(s0, s1));
    v128.store(o, joinF32(s2, s3), 16);
    v128.store(o, joinF32(s4, s5), 32);
    v128.store(o, joinF32(s6, s7), 48);
  }
  for (; c + 4 <= end; c += 4) {
    let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
    let p = dy + <usize>c * 4;
    for (let r = 0; r < rows; r++, p += stride) {
      s0 += <f64>load<f32>(p);
      s1 += <f64>load<f32>(p, 4);
      s2 += <f64>load<f32>(p, 8);
      s3 += <f64>load<f32>(p, 12);
    }
    const o = db + <usize>c * 4;
    store<f32>(o, <f32>s0);
    store<f32>(o, <f32>s1, 4);
    store<f32>(o, <f32>s2, 8);
    store<f32>(o, <f32>s3, 12);
  }
  for (; c < end; c++) {
    let s: f64 = 0;
    let p = dy + <usize>c * 4;
    for (let r = 0; r < rows; r++, p += stride) s += <f64>load<f32>(p);
    store<f32>(db + <usize>c * 4, <f32>s);
  }
}

/**
 * Adam on elements [start, end): m += (g - m)(1 - b1); v += (g² - v)(1 - b2);
 * w -= alpha m / (sqrt(v) + eps). m and v are the two slot arrays.
 */
export function adam(w: usize, g: usize, m: usize, v: usize, omb1: f32, omb2: f32, eps: f32, alpha: f32, start: i32, end: i32): void {
  const b1 = f32x4.splat(omb1);
  const b2 = f32x4.splat(omb2);
  const e = f32x4.splat(eps);
  const al = f32x4.splat(alpha);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i * 4;
    const gi = v128.load(g + o);
    let mi = v128.load(m + o);
    let vi = v128.load(v + o);
    mi = f32x4.add(mi, f32x4.mul(f32x4.sub(gi, mi), b1));
    vi = f32x4.add(vi, f32x4.mul(f32x4.sub(f32x4.mul(gi, gi), vi), b2));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const step = f32x4.div(f32x4.mul(mi, al), f32x4.add(f32x4.sqrt(vi), e));
    v128.store(w + o, f32x4.sub(v128.load(w + o), step));
  }
  for (; i < end; i++) {
    const o = <usize>i * 4;
    const gi = load<f32>(g + o);
    let mi = load<f32>(m + o);
    let vi = load<f32>(v + o);
    mi = mi + (gi - mi) * omb1;
    vi = vi + (gi * gi - vi) * omb2;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(w + o, load<f32>(w + o) - (mi * alpha) / (sqrt<f32>(vi) + eps));
  }
}
