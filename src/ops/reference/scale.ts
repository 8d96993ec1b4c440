// CPU reference of `scale`: y = x * scale + offset elementwise, in float32 as shaders/scale.wgsl
// computes it (the product rounded, then the sum). Keras's Rescaling layer; with offset 0 also the
// layer's gradient (dx = dy * scale).
const f = Math.fround;

export function scale(x: Float32Array, factor: number, offset: number): Float32Array {
  const [s, o] = [f(factor), f(offset)];
  const y = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = f(f(x[i] * s) + o);
  return y;
}
