// Once per training step, before the weight updates: advances the optimizer state shared by all
// weights, so a recorded step replays without rewriting uniforms (Keras `optimizer.iterations`).
//   state (4 words, zeroed for a fresh optimizer): iterations u32, beta1^t, beta2^t, alpha f32.
//   t = iterations + 1; beta^t by one f32 multiply per step (pow's exp2/log2 would lose ~1e-4
//   of 1 - beta2^t at small t); alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t) for Adam.
// SGD and RMSprop pass beta1 = beta2 = 0 and use only the counter (also dropout's step).
// nadam != 0: the words hold Nadam's values instead: u_product *= beta1 (1 - 0.5 * 0.96^t) in
// word 1, beta2^t in word 2 and 0.96^t in word 3 (ops/reference/optimizers.ts optimizerStep).
// Dispatch: a single workgroup of one invocation.
struct Params { lr: f32, beta1: f32, beta2: f32, nadam: u32 }

struct State { iterations: u32, beta1_power: f32, beta2_power: f32, alpha: f32 }

@group(0) @binding(0) var<storage, read_write> state: State;
@group(0) @binding(1) var<uniform> params: Params;

@compute @workgroup_size(1)
fn main() {
  let first = state.iterations == 0u;
  if (params.nadam != 0u) {
    let decay_power = select(state.alpha * 0.96, 0.96, first);
    let u = 1.0 - 0.5 * decay_power;
    state.iterations = state.iterations + 1u;
    state.beta1_power = (select(state.beta1_power, 1.0, first) * params.beta1) * u;
    state.beta2_power = select(state.beta2_power * params.beta2, params.beta2, first);
    state.alpha = decay_power;
    return;
  }
  let b1p = select(state.beta1_power * params.beta1, params.beta1, first);
  let b2p = select(state.beta2_power * params.beta2, params.beta2, first);
  state.iterations = state.iterations + 1u;
  state.beta1_power = b1p;
  state.beta2_power = b2p;
  state.alpha = params.lr * sqrt(1.0 - b2p) / (1.0 - b1p);
}
