// End-to-end gradient check: the gradient of the whole loss w.r.t. every weight, from the CPU
// engine's backward pass (reference ops), against central finite differences of the loss.
// Small versions of the seed CNN, its functional twin, the branched two-output model, and
// graphs with Concatenate, Add, average pooling and a layer applied twice.
import { describe, expect, it } from 'vitest';
import { input, layers, model, resetNameScope, sequential, type Model } from '../index';
import type { HostTensor } from './engine';
import { buildProgram, paramLayout, type OutputLoss } from './plan';
import { randomArray, rng } from '../../../tests/util/check';
import { checkGradients } from '../../../tests/util/gradcheck';

function smallCnn(functional: boolean): Model {
  const convA = { filters: 3, kernelSize: 3, activation: 'relu', padding: 'same' } as const;
  const convB = { filters: 4, kernelSize: [2, 3] as [number, number], activation: 'tanh', padding: 'valid', strides: [1, 2] as [number, number] } as const;
  if (!functional) {
    const m = sequential({ seed: 3 });
    m.add(layers.conv2d({ ...convA, inputShape: [6, 7, 2] }));
    m.add(layers.maxPooling2d({ poolSize: 2 }));
    m.add(layers.conv2d(convB));
    m.add(layers.flatten());
    m.add(layers.dense({ units: 5, activation: 'sigmoid' }));
    m.add(layers.dropout({ rate: 0.5 }));
    m.add(layers.dense({ units: 4, activation: 'softmax' }));
    return m;
  }
  const inputs = input({ shape: [6, 7, 2] });
  let x = layers.conv2d(convA).apply(inputs);
  x = layers.maxPooling2d({ poolSize: 2 }).apply(x);
  x = layers.conv2d(convB).apply(x);
  x = layers.flatten().apply(x);
  x = layers.dense({ units: 5, activation: 'sigmoid' }).apply(x);
  x = layers.dropout({ rate: 0.5 }).apply(x);
  return model({ inputs, outputs: layers.dense({ units: 4, activation: 'softmax' }).apply(x), seed: 3 });
}

function branched(): Model {
  const i = input({ shape: [3], name: 'input_layer' });
  const l1 = layers.dense({ units: 6, activation: 'relu', name: 'Layer_1' }).apply(i);
  const l2 = layers.dense({ units: 6, activation: 'relu', name: 'Layer_2' }).apply(l1);
  const y1 = layers.dense({ units: 1, name: 'y1_output' }).apply(l2);
  const br = layers.dense({ units: 6, activation: 'relu', name: 'Branched_layer' }).apply(l2);
  const y2 = layers.dense({ units: 1, name: 'y2_output' }).apply(br);
  return model({ inputs: i, outputs: [y1, y2], seed: 5 });
}

/** Two inputs, Concatenate, Add, average pooling and one Dense applied twice (shared weights). */
function mergeGraph(): Model {
  const img = input({ shape: [5, 5, 1] });
  const meta = input({ shape: [3] });
  let x = layers.conv2d({ filters: 2, kernelSize: 2, activation: 'linear', padding: 'same' }).apply(img);
  x = layers.averagePooling2d({ poolSize: 2, padding: 'same' }).apply(x);
  x = layers.flatten().apply(x);
  const shared = layers.dense({ units: 3, activation: 'tanh' });
  const a = shared.apply(meta);
  const b = shared.apply(layers.dense({ units: 3 }).apply(meta));
  const sum = layers.add().apply([a, b]);
  const joined = layers.concatenate().apply([x, sum]);
  const h = layers.activation({ activation: 'relu' }).apply(joined);
  return model({ inputs: [img, meta], outputs: layers.dense({ units: 3, activation: 'softmax' }).apply(h), seed: 9 });
}

function labels(n: number, classes: number, seed: number): HostTensor {
  const r = rng(seed);
  return { data: Uint32Array.from({ length: n }, () => Math.floor(r() * classes)), shape: [n] };
}

const SCCE: OutputLoss = { kind: 'sparse_categorical_crossentropy', weight: 1, accuracy: false };

describe('end-to-end gradients match finite differences (CPU reference engine)', () => {
  it('small seed CNN, Sequential', async () => {
    resetNameScope();
    await checkGradients(smallCnn(false), { inputs: [{ data: randomArray(3 * 6 * 7 * 2, 1, 0, 1), shape: [3, 6, 7, 2] }], targets: [labels(3, 4, 2)] }, [
      { kind: 'sparse_categorical_crossentropy', weight: 1, accuracy: true },
    ]);
  });

  it('small seed CNN, functional', async () => {
    await checkGradients(smallCnn(true), { inputs: [{ data: randomArray(2 * 6 * 7 * 2, 4, 0, 1), shape: [2, 6, 7, 2] }], targets: [labels(2, 4, 5)] }, [
      { kind: 'sparse_categorical_crossentropy', weight: 1, accuracy: false },
    ]);
  });

  it('branched model with two MSE outputs and loss weights', async () => {
    const n = 4;
    await checkGradients(
      branched(),
      { inputs: [{ data: randomArray(n * 3, 7), shape: [n, 3] }], targets: [{ data: randomArray(n, 8), shape: [n, 1] }, { data: randomArray(n, 9), shape: [n, 1] }] },
      [
        { kind: 'mean_squared_error', weight: 1, accuracy: false },
        { kind: 'mean_squared_error', weight: 0.5, accuracy: false },
      ],
    );
  });

  it('conv (tanh, elu) into overlapping same-padded max pools: activation gradients taken on the pooled tensor', async () => {
    const m = sequential({ seed: 4 });
    m.add(layers.conv2d({ filters: 3, kernelSize: 2, activation: 'tanh', padding: 'same', inputShape: [7, 6, 2] }));
    m.add(layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }));
    m.add(layers.conv2d({ filters: 2, kernelSize: 2, activation: 'elu' }));
    m.add(layers.maxPooling2d({ poolSize: 2, strides: 1 }));
    m.add(layers.flatten());
    m.add(layers.dense({ units: 3, activation: 'softmax' }));
    const program = buildProgram(m, paramLayout(m), { batch: 2, training: true, losses: [SCCE] });
    // Both pools' activation gradients run on the pooled shapes, before the pool's scatter.
    const pooled = program.instrs.flatMap((i) => (i.op === 'activationGrad' ? [program.values[i.dx].shape.join('x')] : []));
    expect(pooled).toEqual(['2x2x1x2', '2x4x3x3']);
    await checkGradients(m, { inputs: [{ data: randomArray(2 * 7 * 6 * 2, 14, -1, 1), shape: [2, 7, 6, 2] }], targets: [labels(2, 3, 15)] }, [SCCE]);
  });

  it('two inputs, Concatenate, Add, average pooling, a shared Dense', async () => {
    const n = 2;
    await checkGradients(
      mergeGraph(),
      { inputs: [{ data: randomArray(n * 25, 11), shape: [n, 5, 5, 1] }, { data: randomArray(n * 3, 12), shape: [n, 3] }], targets: [labels(n, 3, 13)] },
      [{ kind: 'sparse_categorical_crossentropy', weight: 1, accuracy: false }],
    );
  });
});
