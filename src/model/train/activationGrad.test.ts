// End-to-end gradients of the activation family on the CPU reference engine against finite
// differences: softmax outside the cross-entropy fusion (feeding other layers, under an MSE loss,
// and a fused output whose probabilities also feed another branch), and gelu/silu, whose backward
// reads their input and which are never folded into dense.
import { describe, expect, it } from 'vitest';
import { input, layers, model, resetNameScope, sequential } from '../index';
import type { HostTensor } from './engine';
import { randomArray, rng } from '../../../tests/util/check';
import { checkGradients } from '../../../tests/util/gradcheck';
import { buildProgram, paramLayout } from './plan';

const floats = (n: number, cols: number, seed: number): HostTensor => ({ data: randomArray(n * cols, seed), shape: [n, cols] });
const labels = (n: number, classes: number, seed: number): HostTensor => {
  const r = rng(seed);
  return { data: Uint32Array.from({ length: n }, () => Math.floor(r() * classes)), shape: [n] };
};
const mse = { kind: 'mean_squared_error', weight: 1, accuracy: false } as const;
const sparseCe = { kind: 'sparse_categorical_crossentropy', weight: 1, accuracy: true } as const;

describe('activation gradients (CPU reference engine, finite differences)', () => {
  it('a softmax feeding another Dense, and every activation name in one stack', async () => {
    resetNameScope();
    const m = sequential({ seed: 2 });
    m.add(layers.dense({ units: 5, activation: 'softmax', inputShape: [4] }));
    for (const activation of ['gelu', 'silu', 'softplus', 'softsign', 'elu', 'selu', 'exponential', 'sigmoid'] as const) {
      m.add(layers.dense({ units: 4, activation }));
    }
    m.add(layers.activation({ activation: 'softmax' }));
    await checkGradients(m, { inputs: [floats(3, 4, 1)], targets: [floats(3, 4, 2)] }, [mse]);
  });

  it('a softmax output under cross-entropy whose probabilities also feed another output', async () => {
    resetNameScope();
    const x = input({ shape: [4] });
    const probs = layers.dense({ units: 3, activation: 'softmax' }).apply(x);
    const other = layers.dense({ units: 2, activation: 'tanh' }).apply(probs);
    const m = model({ inputs: x, outputs: [probs, other], seed: 4 });
    await checkGradients(m, { inputs: [floats(3, 4, 5)], targets: [labels(3, 3, 6), floats(3, 2, 7)] }, [sparseCe, mse]);
    // The softmax stays for the other branch; the loss still takes the logits.
    const program = buildProgram(m, paramLayout(m), { batch: 3, training: true, losses: [sparseCe, mse] });
    expect(program.instrs.filter((i) => i.op === 'softmax')).toHaveLength(1);
    expect(program.instrs.some((i) => i.op === 'loss' && i.fusedSoftmax)).toBe(true);
  });

  it('Softmax on a middle axis: its values, and gradients through the transposes', async () => {
    resetNameScope();
    const x = input({ shape: [3, 4] });
    const m = model({ inputs: x, outputs: layers.dense({ units: 2 }).apply(layers.softmax({ axis: 1 }).apply(layers.dense({ units: 4 }).apply(x))), seed: 3 });
    await checkGradients(m, { inputs: [{ data: randomArray(2 * 12, 8), shape: [2, 3, 4] }], targets: [floats(2 * 3, 2, 9)] }, [mse], 10);
    resetNameScope();
    const s = sequential();
    s.add(layers.softmax({ axis: 1, inputShape: [3, 4] }));
    await s.compile({ optimizer: 'sgd', loss: 'mse' });
    const data = randomArray(2 * 12, 4);
    const [y] = await s.predict({ data, shape: [2, 3, 4] });
    // Independent reference: for each sample and column j, exp over the 3 rows i, normalized.
    for (let n = 0; n < 2; n++) for (let j = 0; j < 4; j++) {
      const column = [0, 1, 2].map((i) => Math.exp(data[n * 12 + i * 4 + j]));
      const total = column.reduce((a, v) => a + v, 0);
      column.forEach((v, i) => expect(y[n * 12 + i * 4 + j]).toBeCloseTo(v / total, 6));
    }
  });

  it('gelu and silu after Dense stay separate instructions; relu6 folds in', () => {
    resetNameScope();
    const m = sequential({ seed: 1 });
    m.add(layers.dense({ units: 3, activation: 'gelu', inputShape: [2] }));
    m.add(layers.dense({ units: 3, activation: 'silu' }));
    m.add(layers.dense({ units: 3, activation: 'relu6' }));
    const program = buildProgram(m, paramLayout(m), { batch: 2, training: true, losses: [mse] });
    expect(program.instrs.filter((i) => i.op === 'activate').map((i) => i.op === 'activate' && i.kind)).toEqual(['gelu', 'silu']);
    expect(program.instrs.some((i) => i.op === 'dense' && i.activation === 'relu6')).toBe(true);
  });
});
