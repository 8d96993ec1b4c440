// The Programs buildProgram makes: the seed CNN's instruction sequence (fusions included), every
// value used, weights that are not trainable get no gradient and stay put under every optimizer.
import { describe, expect, it } from 'vitest';
import { input, layers, model, resetNameScope, sequential } from '../index';
import { seedCnn } from '../examples';
import { CpuEngine } from './cpuEngine';
import type { OptimizerConfig } from './engine';
import { buildProgram, paramLayout, type OutputLoss } from './plan';
import { valuesOf } from './program';
import { randomArray } from '../../../tests/util/check';

const SCCE: OutputLoss[] = [{ kind: 'sparse_categorical_crossentropy', weight: 1, accuracy: true }];

describe('buildProgram', () => {
  it('the seed CNN training step: bias + activation and softmax + cross-entropy fused, backward in reverse', () => {
    resetNameScope();
    const m = seedCnn();
    const program = buildProgram(m, paramLayout(m), { batch: 32, training: true, losses: SCCE });
    expect(program.instrs.map((i) => i.op)).toEqual([
      'conv2d', 'maxPool', 'conv2d', 'maxPool', 'dense', 'dropout', 'dense', 'loss', 'accuracy',
      'matmul', 'biasGrad', 'matmul', 'dropoutGrad', 'activationGrad', 'matmul', 'biasGrad', 'matmul', 'activationGrad',
      'maxPoolGrad', 'conv2dGradFilter', 'biasGrad', 'conv2dGradInput', 'activationGrad', 'maxPoolGrad', 'conv2dGradFilter', 'biasGrad',
    ]);
    // The convs' ReLU gradients and bias gradients run on the pooled tensors (backwardFusion.ts).
    const shapeOf = (id: number) => program.values[id].shape.join('x');
    const convTail = program.instrs.slice(-9);
    expect(convTail.flatMap((i) => (i.op === 'activationGrad' || i.op === 'biasGrad' ? [shapeOf(i.dy)] : []))).toEqual(['32x7x7x64', '32x7x7x64', '32x14x14x32', '32x14x14x32']);
    const activations = program.instrs.flatMap((i) => (i.op === 'dense' || i.op === 'conv2d' ? [i.activation] : []));
    expect(activations).toEqual(['relu', 'relu', 'relu', 'linear']);
    const loss = program.instrs.find((i) => i.op === 'loss');
    expect(loss?.op === 'loss' && loss.fusedSoftmax && loss.probs === program.outputs[0]).toBe(true);
    // Every value is named by an instruction, an input, an output, a target or an alias of one.
    const used = new Set([...program.inputs, ...program.outputs, ...program.targets, ...program.instrs.flatMap(valuesOf)]);
    for (const v of program.values) expect(used.has(v.id) || program.values.some((u) => u.storage === v.id && used.has(u.id))).toBe(true);
  });

  it('inference keeps the softmax; a linear Dense followed by an Activation layer folds into one instruction', () => {
    resetNameScope();
    const m = seedCnn();
    const inference = buildProgram(m, paramLayout(m), { batch: 4, training: false });
    expect(inference.instrs.map((i) => i.op)).toEqual(['conv2d', 'maxPool', 'conv2d', 'maxPool', 'dense', 'dense', 'softmax']);
    // Nothing reads the pools' argmax in inference: not written, no buffer.
    expect(inference.instrs.flatMap((i) => (i.op === 'maxPool' ? [i.argmax] : []))).toEqual([null, null]);
    expect(inference.values.some((v) => v.kind === 'aux')).toBe(false);
    const i = input({ shape: [3] });
    const f = model({ inputs: i, outputs: layers.activation({ activation: 'tanh' }).apply(layers.dense({ units: 2 }).apply(i)) });
    const p = buildProgram(f, paramLayout(f), { batch: 4, training: false });
    expect(p.instrs.map((ins) => (ins.op === 'dense' ? `dense ${ins.activation}` : ins.op))).toEqual(['dense tanh']);
  });
});

/** A Dense whose bias is marked not trainable (as BatchNormalization's moving statistics will be). */
function frozenBias() {
  resetNameScope();
  const m = sequential({ seed: 4 });
  m.add(layers.dense({ units: 3, activation: 'tanh', inputShape: [4] }));
  m.add(layers.dense({ units: 2 }));
  m.graphLayers[m.graphLayers.length - 2].weights[1].trainable = false;
  return m;
}

const OPTIMIZERS: OptimizerConfig[] = [
  { kind: 'adam', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  { kind: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true },
  { kind: 'rmsprop', learningRate: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered: true },
];

describe('trainable flag per weight', () => {
  it.each(OPTIMIZERS.map((o) => [o.kind, o] as const))('%s: a non-trainable weight gets no gradient and stays exactly where it was', async (_, opt) => {
    const m = frozenBias();
    const layout = paramLayout(m);
    expect(layout.entries.map((e) => e.trainable)).toEqual([true, false, true, true]);
    const program = buildProgram(m, layout, { batch: 5, training: true, losses: [{ kind: 'mean_squared_error', weight: 1, accuracy: false }] });
    expect(program.instrs.filter((i) => i.op === 'biasGrad')).toHaveLength(1);
    const frozen = layout.entries[1];
    const params = randomArray(layout.size, 3, -1, 1);
    const engine = new CpuEngine();
    await engine.init(layout, params, opt);
    await engine.attach({ inputs: [{ data: randomArray(20, 5), shape: [5, 4] }], targets: [{ data: randomArray(10, 6), shape: [5, 2] }] });
    const step = await engine.compile(program);
    for (let s = 0; s < 5; s++) step.run(Uint32Array.of(0, 1, 2, 3, 4));
    const after = await engine.readParams();
    const grads = await engine.readGrads();
    const at = (a: Float32Array, e: typeof frozen) => [...a.subarray(e.offset, e.offset + e.size)];
    expect(at(after, frozen)).toEqual(at(params, frozen));
    expect(at(grads, frozen)).toEqual([0, 0, 0]);
    expect(at(after, layout.entries[0])).not.toEqual(at(params, layout.entries[0]));
  });
});
