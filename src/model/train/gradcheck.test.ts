// End-to-end gradient check: the gradient of the whole loss w.r.t. every weight, from the CPU
// engine's backward pass (reference ops), against central finite differences of the loss.
// Small versions of the seed CNN, its functional twin, the branched two-output model, and
// graphs with Concatenate, Add, average pooling and a layer applied twice.
import { describe, expect, it } from 'vitest';
import { input, layers, model, resetNameScope, sequential, type Model } from '../index';
import { CpuEngine } from './cpuEngine';
import { referenceOps } from './cpuOps';
import type { DataSet, HostTensor } from './engine';
import { buildProgram, paramLayout, type OutputLoss } from './plan';
import { randomArray, rng } from '../../../tests/util/check';

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

async function check(m: Model, data: DataSet, losses: OutputLoss[]): Promise<void> {
  const batch = data.inputs[0].shape[0];
  const layout = paramLayout(m);
  const packed = new Float32Array(layout.size);
  const byName = new Map(m.graphLayers.map((l) => [l.name, l]));
  for (const e of layout.entries) packed.set(byName.get(e.layer)!.weights[e.index].values, e.offset);
  // Zero-initialized biases put relu units of an all-zero input exactly on the kink, where the
  // one-sided derivative (0, as in TensorFlow) and the central difference (1/2) disagree.
  const noise = randomArray(layout.size, 99, -0.1, 0.1);
  for (let i = 0; i < packed.length; i++) packed[i] += noise[i];
  const engine = new CpuEngine(referenceOps);
  await engine.init(layout, packed, { kind: 'sgd', learningRate: 0.01, momentum: 0, nesterov: false });
  await engine.attach(data);
  const step = await engine.compile(buildProgram(m, layout, { batch, training: true, losses, update: false }));
  const indices = Uint32Array.from({ length: batch }, (_, i) => i);
  const program = step.program;
  const loss = async (params: Float32Array): Promise<number> => {
    engine.writeParams(params);
    engine.resetMetrics();
    step.run(indices);
    const sums = await engine.readMetrics();
    return program.metrics.outputs.reduce((s, o, i) => s + (sums[o.lossSlot] / batch) * losses[i].weight, 0);
  };
  await loss(packed);
  const grads = await engine.readGrads();
  const eps = 1e-3;
  const r = rng(1);
  let checked = 0;
  let kinks = 0;
  const base = await loss(packed);
  for (const e of layout.entries) {
    // Every element of small weights, a random sample of large ones.
    const picks = e.size <= 40 ? [...Array(e.size).keys()] : Array.from({ length: 40 }, () => Math.floor(r() * e.size));
    for (const k of picks) {
      const at = e.offset + k;
      const p = Float64Array.from(packed);
      p[at] = packed[at] + eps;
      const up = await loss(Float32Array.from(p));
      p[at] = packed[at] - eps;
      const down = await loss(Float32Array.from(p));
      const fd = (up - down) / (2 * eps);
      const tol = 2e-3 + 2e-2 * Math.abs(fd);
      // A relu or max-pool switch inside [w - eps, w + eps] makes the one-sided slopes disagree;
      // the central difference is meaningless there, so such a point is counted and skipped.
      if (Math.abs((up - base) / eps - (base - down) / eps) > 4 * tol) {
        kinks++;
        continue;
      }
      if (Math.abs(grads[at] - fd) > tol) {
        throw new Error(`${e.layer}/${e.weight}[${k}]: backward ${grads[at]}, finite difference ${fd}`);
      }
      checked++;
    }
  }
  expect(kinks).toBeLessThanOrEqual(Math.max(2, checked / 20));
  expect(checked).toBeGreaterThan(20);
}

describe('end-to-end gradients match finite differences (CPU reference engine)', () => {
  it('small seed CNN, Sequential', async () => {
    resetNameScope();
    await check(smallCnn(false), { inputs: [{ data: randomArray(3 * 6 * 7 * 2, 1, 0, 1), shape: [3, 6, 7, 2] }], targets: [labels(3, 4, 2)] }, [
      { kind: 'sparse_categorical_crossentropy', weight: 1, accuracy: true },
    ]);
  });

  it('small seed CNN, functional', async () => {
    await check(smallCnn(true), { inputs: [{ data: randomArray(2 * 6 * 7 * 2, 4, 0, 1), shape: [2, 6, 7, 2] }], targets: [labels(2, 4, 5)] }, [
      { kind: 'sparse_categorical_crossentropy', weight: 1, accuracy: false },
    ]);
  });

  it('branched model with two MSE outputs and loss weights', async () => {
    const n = 4;
    await check(
      branched(),
      { inputs: [{ data: randomArray(n * 3, 7), shape: [n, 3] }], targets: [{ data: randomArray(n, 8), shape: [n, 1] }, { data: randomArray(n, 9), shape: [n, 1] }] },
      [
        { kind: 'mean_squared_error', weight: 1, accuracy: false },
        { kind: 'mean_squared_error', weight: 0.5, accuracy: false },
      ],
    );
  });

  it('two inputs, Concatenate, Add, average pooling, a shared Dense', async () => {
    const n = 2;
    await check(
      mergeGraph(),
      { inputs: [{ data: randomArray(n * 25, 11), shape: [n, 5, 5, 1] }, { data: randomArray(n * 3, 12), shape: [n, 3] }], targets: [labels(n, 3, 13)] },
      [{ kind: 'sparse_categorical_crossentropy', weight: 1, accuracy: false }],
    );
  });
});
