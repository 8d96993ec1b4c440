// CPU reference of `movingAverage`: state = momentum * state + (1 - momentum) * x, the update of
// non-trainable running statistics during a training step (BatchNormalization's moving mean and
// variance, as Keras assigns them). float32 in the order shaders/moving_average.wgsl computes it;
// 1 - momentum is taken in float64 and then rounded, as Keras computes it before casting.
const f = Math.fround;

/** The new state; `state` and `x` have the same size. */
export function movingAverage(state: Float32Array, x: Float32Array, momentum: number): Float32Array {
  if (state.length !== x.length) throw new Error(`movingAverage: sizes differ (state ${state.length}, x ${x.length})`);
  const [m, rest] = [f(momentum), f(1 - momentum)];
  const out = new Float32Array(state.length);
  for (let i = 0; i < out.length; i++) out[i] = f(f(state[i] * m) + f(x[i] * rest));
  return out;
}
