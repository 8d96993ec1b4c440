// Normalization trained on WebGPU against the CPU engine (reference ops): an adapted layer (its
// mean/variance weights through the normalize kernel, floored standard deviation) and one with
// per-channel constants (uploaded with the step), in front of Dense layers.
import { input, layers, model, type Model } from '../../src/model/index';
import type { DataSet } from '../../src/model/train/engine';
import { randomArray, rng } from '../util/check';
import { gradientsAgree } from './compare';
import { gpuTest } from './harness';

function normalized(data: DataSet): Model {
  const x = input({ shape: [4, 3] });
  const adapted = layers.normalization();
  adapted.adapt(data.inputs[0].data as Float32Array, data.inputs[0].shape);
  let h = adapted.apply(x);
  h = layers.dense({ units: 5, activation: 'tanh' }).apply(h);
  h = layers.normalization({ mean: [0.1, -0.2, 0, 0.3, 0], variance: [0.5, 2, 1, 0, 0.25] }).apply(h);
  h = layers.flatten().apply(h);
  return model({ inputs: x, outputs: layers.dense({ units: 3, activation: 'softmax' }).apply(h), seed: 8 });
}

gpuTest('normalization: adapted and constant Normalization layers, gradients GPU vs CPU reference', async () => {
  const r = rng(3);
  const data: DataSet = {
    inputs: [{ data: randomArray(16 * 12, 5, -3, 40), shape: [16, 4, 3] }],
    targets: [{ data: Uint32Array.from({ length: 16 }, () => Math.floor(r() * 3)), shape: [16] }],
  };
  await gradientsAgree(normalized(data), data, [{ kind: 'sparse_categorical_crossentropy', weight: 1, accuracy: true }], 8);
});
