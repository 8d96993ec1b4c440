// CPU reference of `noise`, the training-time noise layers, bit-for-bit the counter-based
// randomness of shaders/noise.wgsl (see random.ts: a pure function of seed, step and index, so
// backward recomputes forward's noise instead of storing it):
//   spatialDropout  y = x * keep(n, c) / (1 - rate): one draw per sample and channel of
//                   x [N, ..., C] (Keras's SpatialDropout2D drops whole feature maps)
//   gaussianDropout y = x * (1 + sqrt(rate / (1 - rate)) * z)   (Keras's GaussianDropout)
//   gaussianNoise   y = x + stddev * z                           (Keras's GaussianNoise)
// z ~ N(0, 1) by Marsaglia's polar method with its own float32 logarithm (no transcendental
// builtins, whose GPU error bounds are loose), so both sides agree to rounding. The multiplicative kinds
// are linear in x, so their gradient is the same op applied to dy; gaussianNoise's is dy itself.
import { counterHash, counterUniform, pcgHash } from './random';

export type NoiseKind = 'spatialDropout' | 'gaussianDropout' | 'gaussianNoise';

/** Codes of NoiseKind in shaders/noise.wgsl. */
export const NOISE_CODES: { readonly [K in NoiseKind]: number } = { spatialDropout: 0, gaussianDropout: 1, gaussianNoise: 2 };

export interface NoiseParams {
  kind: NoiseKind;
  /** The dropout rate (spatialDropout, gaussianDropout) or the standard deviation (gaussianNoise). */
  amount: number;
  seed: number;
  /** The training step (the GPU reads it from the counter tensor). */
  step: number;
  /** Channels: the last axis, along which spatialDropout draws one value per sample. */
  channels: number;
  /** Elements per sample (spatialDropout's sample index is i / perSample). */
  perSample: number;
}

const f = Math.fround;

/** The float32 threshold and scale the shader receives: rate and 1 / (1 - rate) for spatial dropout, the noise's standard deviation otherwise. */
export function noiseUniforms(kind: NoiseKind, amount: number): { threshold: number; scale: number } {
  if (!(amount >= 0) || (kind !== 'gaussianNoise' && !(amount < 1))) {
    throw new Error(`noise ${kind}: ${kind === 'gaussianNoise' ? 'stddev must be >= 0' : 'rate must be in [0, 1)'}, got ${amount}`);
  }
  if (kind === 'spatialDropout') return { threshold: f(amount), scale: f(1 / (1 - amount)) };
  return { threshold: 0, scale: f(kind === 'gaussianNoise' ? amount : Math.sqrt(amount / (1 - amount))) };
}

/** ln(s) as shaders/noise.wgsl computes it: s = m * 2^e, ln m = 2 atanh((m - 1) / (m + 1)) in float32. */
export function ln32(s: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, s);
  const bits = view.getUint32(0);
  let e = ((bits >>> 23) & 0xff) - 127;
  view.setUint32(0, (bits & 0x7fffff) | 0x3f800000);
  let m = view.getFloat32(0);
  if (m > f(1.4142135)) {
    m = f(m * 0.5);
    e += 1;
  }
  const t = f(f(m - 1) / f(m + 1));
  const t2 = f(t * t);
  const coefficients = [0.33333334, 0.2, 0.14285715, 0.11111111, 0.09090909].map(f);
  let p = coefficients[4];
  for (let k = 3; k >= 0; k--) p = f(coefficients[k] + f(t2 * p));
  p = f(t2 * p);
  return f(f(e * f(0.6931472)) + f(f(2 * t) * f(1 + p)));
}

/** A standard normal draw for element i by the polar method, in float32 as the shader computes it. */
export function counterNormal(seed: number, step: number, i: number): number {
  const base = counterHash(seed, step, i);
  for (let k = 0; k < 16; k++) {
    const v1 = f((pcgHash((base + 2 * k) >>> 0) >>> 8) / 8388608 - 1);
    const v2 = f((pcgHash((base + 2 * k + 1) >>> 0) >>> 8) / 8388608 - 1);
    const s = f(f(v1 * v1) + f(v2 * v2));
    if (s > 0 && s < 1) return f(v1 * f(Math.sqrt(f(f(-2 * ln32(s)) / s))));
  }
  return 0;
}

export function noise(x: Float32Array, p: NoiseParams): Float32Array {
  const { threshold, scale } = noiseUniforms(p.kind, p.amount);
  const y = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    if (p.kind === 'spatialDropout') {
      const unit = Math.floor(i / p.perSample) * p.channels + (i % p.channels);
      y[i] = counterUniform(p.seed, p.step, unit) >= threshold ? f(x[i] * scale) : 0;
    } else if (p.kind === 'gaussianDropout') {
      y[i] = f(x[i] * f(1 + f(scale * counterNormal(p.seed, p.step, i))));
    } else {
      y[i] = f(x[i] + f(scale * counterNormal(p.seed, p.step, i)));
    }
  }
  return y;
}
