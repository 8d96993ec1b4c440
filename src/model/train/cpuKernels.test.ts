// The CPU engine on its WebAssembly kernels against the same engine on the reference ops and on
// the fast JavaScript ops: same gradients on a CNN with every conv/pool variant, and the seed CNN
// trains to the same losses (to float32 rounding) with Adam, whose wasm update is exact.
import { describe, expect, it } from 'vitest';
import { input, layers, model, resetNameScope } from '../index';
import { seedCnn } from '../examples';
import { assertClose, rng } from '../../../tests/util/check';
import { CpuEngine } from './cpuEngine';
import { referenceOps } from './cpuOps';
import { buildProgram, paramLayout } from './plan';
import { Trainer } from './trainer';

const compileArgs = { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] } as const;

describe('CPU engine on the WebAssembly kernels', () => {
  it('defaults to them where WebAssembly SIMD validates (Node 20 does)', () => {
    expect(new CpuEngine().kernels).toBe('wasm');
    expect(new CpuEngine().description).toMatch(/WebAssembly SIMD/);
    expect(new CpuEngine({ kernels: 'js' }).kernels).toBe('js');
  });

  it('gives the reference gradients on a CNN with strides, both paddings, 1x1 convs, average and max pooling', async () => {
    const img = input({ shape: [9, 7, 3] });
    let x = layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(img);
    x = layers.averagePooling2d({ poolSize: 2, padding: 'same' }).apply(x);
    x = layers.conv2d({ filters: 4, kernelSize: [2, 1], padding: 'valid', activation: 'tanh' }).apply(x);
    x = layers.maxPooling2d({ poolSize: 2, strides: 1 }).apply(layers.conv2d({ filters: 3, kernelSize: 1, activation: 'sigmoid' }).apply(x));
    const m = model({ inputs: img, outputs: layers.dense({ units: 3, activation: 'softmax' }).apply(layers.flatten().apply(x)), seed: 4 });
    const layout = paramLayout(m);
    const program = buildProgram(m, layout, { batch: 3, training: true, losses: [{ kind: 'sparse_categorical_crossentropy', weight: 1, accuracy: true }], update: false });
    const r = rng(8);
    const data = { inputs: [{ data: Float32Array.from({ length: 3 * 9 * 7 * 3 }, () => r() * 2 - 1), shape: [3, 9, 7, 3] }], targets: [{ data: Uint32Array.of(0, 2, 1), shape: [3] }] };
    const grads = [];
    for (const engine of [new CpuEngine(referenceOps), new CpuEngine({ kernels: 'wasm' })]) {
      const t = await Trainer.compile(m, engine, compileArgs);
      await t.engine.attach(data);
      (await t.engine.compile(program)).run(Uint32Array.of(0, 1, 2));
      grads.push(await t.engine.readGrads());
    }
    assertClose(grads[1], grads[0], { atol: 1e-5, rtol: 1e-4 }, 'wasm vs reference gradients');
  });

  it('trains the seed CNN with Adam to the losses of the JavaScript kernels', async () => {
    const r = rng(1);
    const n = 64;
    const x = { data: Uint8Array.from({ length: n * 784 }, () => Math.floor(r() * 256)), shape: [n, 28, 28, 1], scale: 1 / 255 };
    const y = { data: Uint8Array.from({ length: n }, () => Math.floor(r() * 10)), shape: [n] };
    const runs = [];
    for (const kernels of ['js', 'wasm'] as const) {
      resetNameScope();
      const m = seedCnn();
      m.initializeWeights(42);
      const t = await Trainer.compile(m, new CpuEngine({ kernels }), compileArgs);
      const history = await t.fit(x, y, { epochs: 3, batchSize: 16, seed: 3 });
      runs.push({ loss: history.history.loss, params: await t.engine.readParams() });
    }
    assertClose(runs[1].loss, runs[0].loss, { atol: 1e-4, rtol: 1e-4 }, 'losses');
    assertClose(runs[1].params, runs[0].params, { atol: 1e-4, rtol: 1e-3 }, 'trained weights');
    expect(runs[1].loss[2]).toBeLessThan(runs[1].loss[0]);
  });
});
