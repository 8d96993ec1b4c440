// A small CNN with BatchNormalization trained on WebGPU and on the CPU engine (reference ops) from
// the same weights and batches: the losses and the moving statistics follow each other over a few
// Adam steps, and the gradients (through the batch statistics) agree. The convolutions before
// BatchNormalization have no bias (it would get a zero gradient, which Adam turns into noise).
import { layers, sequential, type Model } from '../../src/model/index';
import type { DataSet, Engine } from '../../src/model/train/engine';
import { buildProgram, type OutputLoss } from '../../src/model/train/plan';
import { assertClose, randomArray, rng } from '../util/check';
import { ADAM, engines, gradientsAgree } from './compare';
import { gpuTest } from './harness';

function bnCnn(): Model {
  const m = sequential({ seed: 5 });
  m.add(layers.conv2d({ filters: 4, kernelSize: 3, useBias: false, padding: 'same', inputShape: [6, 6, 2] }));
  m.add(layers.batchNormalization({ momentum: 0.9 }));
  m.add(layers.activation({ activation: 'relu' }));
  m.add(layers.conv2d({ filters: 6, kernelSize: 3, useBias: false }));
  m.add(layers.batchNormalization({ center: false }));
  m.add(layers.globalAveragePooling2d());
  m.add(layers.dense({ units: 3, activation: 'softmax' }));
  return m;
}

function data(n: number): DataSet {
  const r = rng(4);
  return {
    inputs: [{ data: randomArray(n * 72, 3, -1, 2), shape: [n, 6, 6, 2] }],
    targets: [{ data: Uint32Array.from({ length: n }, () => Math.floor(r() * 3)), shape: [n] }],
  };
}

const SCCE: OutputLoss[] = [{ kind: 'sparse_categorical_crossentropy', weight: 1, accuracy: true }];

gpuTest('batch normalization: CNN gradients through the batch statistics, GPU vs CPU reference', async () => {
  await gradientsAgree(bnCnn(), data(16), SCCE, 8);
});

gpuTest('batch normalization: 8 Adam steps of a BN CNN, GPU losses and moving statistics follow the CPU', async () => {
  const m = bnCnn();
  const { layout, gpu, cpu } = await engines(m, data(32), ADAM);
  const batch = 8;
  const program = buildProgram(m, layout, { batch, training: true, losses: SCCE });
  const [sg, sc] = [await gpu.compile(program), await cpu.compile(program)];
  const r = rng(6);
  for (let step = 0; step < 8; step++) {
    const indices = Uint32Array.from({ length: batch }, () => Math.floor(r() * 32));
    for (const e of [gpu, cpu] as Engine[]) e.resetMetrics();
    sg.run(indices);
    sc.run(indices);
    const [mg, mc] = [await gpu.readMetrics(), await cpu.readMetrics()];
    const [g, c] = [mg[1] / batch, mc[1] / batch];
    if (Math.abs(g - c) > 1e-3 + 1e-3 * Math.abs(c)) throw new Error(`step ${step + 1}: GPU loss ${g}, CPU loss ${c}`);
  }
  const [pg, pc] = [await gpu.readParams(), await cpu.readParams()];
  for (const e of layout.entries) {
    const [a, b] = [pg.subarray(e.offset, e.offset + e.size), pc.subarray(e.offset, e.offset + e.size)];
    assertClose(a, b, { atol: 1e-4, rtol: 1e-3 }, `${e.layer}/${e.weight} after 8 steps`);
  }
  // The moving statistics moved away from their initial zeros and ones.
  const mean = layout.entries.find((e) => e.weight === 'moving_mean')!;
  if (pc.subarray(mean.offset, mean.offset + mean.size).every((v) => v === 0)) throw new Error('moving_mean never moved');
  // Inference reads the moving statistics: the same predictions on both engines.
  const infer = buildProgram(m, layout, { batch, training: false });
  const [ig, ic] = [await gpu.compile(infer), await cpu.compile(infer)];
  const rows = Uint32Array.from({ length: batch }, (_, i) => i);
  ig.run(rows);
  ic.run(rows);
  assertClose((await ig.readOutputs())[0], (await ic.readOutputs())[0], { atol: 1e-4, rtol: 1e-3 }, 'predictions');
  gpu.dispose();
});
