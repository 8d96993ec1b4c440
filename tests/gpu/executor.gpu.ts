// The WebGPU executor against the CPU engine (reference ops): same model, weights and batches;
// gradients of every weight agree, losses agree over 20 Adam steps, GPU memory stays flat, and the
// movingAverage state update matches its reference.
import { input, layers, model, sequential, type Model } from '../../src/model/index';
import { CpuEngine } from '../../src/model/train/cpuEngine';
import { referenceOps } from '../../src/model/train/cpuOps';
import type { DataSet, Engine } from '../../src/model/train/engine';
import { GpuEngine } from '../../src/model/train/gpuEngine';
import { buildProgram, type OutputLoss } from '../../src/model/train/plan';
import { Trainer } from '../../src/model/train/trainer';
import { movingAverage } from '../../src/ops/reference/movingAverage';
import { assertClose, randomArray, rng } from '../util/check';
import { movingAverageProgram } from '../util/programs';
import { ADAM, engines, gradientsAgree } from './compare';
import { gpuTest } from './harness';

function smallCnn(): Model {
  const m = sequential({ seed: 7 });
  m.add(layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', padding: 'same', inputShape: [8, 8, 1] }));
  m.add(layers.maxPooling2d({ poolSize: 2 }));
  m.add(layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', padding: 'same' }));
  m.add(layers.maxPooling2d({ poolSize: 2 }));
  m.add(layers.flatten());
  m.add(layers.dense({ units: 16, activation: 'relu' }));
  m.add(layers.dropout({ rate: 0.5 }));
  m.add(layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}

function branched(): Model {
  const i = input({ shape: [3] });
  const l2 = layers.dense({ units: 10, activation: 'relu' }).apply(layers.dense({ units: 10, activation: 'relu' }).apply(i));
  const y1 = layers.dense({ units: 1 }).apply(l2);
  const y2 = layers.dense({ units: 1 }).apply(layers.dense({ units: 10, activation: 'relu' }).apply(l2));
  return model({ inputs: i, outputs: [y1, y2], seed: 3 });
}

function mergeGraph(): Model {
  const img = input({ shape: [5, 5, 2] });
  const meta = input({ shape: [3] });
  let x = layers.conv2d({ filters: 3, kernelSize: 2, strides: 2, padding: 'same', activation: 'sigmoid' }).apply(img);
  x = layers.averagePooling2d({ poolSize: 2, padding: 'same' }).apply(x);
  x = layers.flatten().apply(x);
  const shared = layers.dense({ units: 4, activation: 'tanh' });
  const sum = layers.add().apply([shared.apply(meta), shared.apply(layers.dense({ units: 3 }).apply(meta))]);
  const h = layers.activation({ activation: 'relu' }).apply(layers.concatenate().apply([x, sum]));
  return model({ inputs: [img, meta], outputs: layers.dense({ units: 5, activation: 'softmax' }).apply(h), seed: 11 });
}

function imagesAndLabels(n: number, shape: number[], classes: number, seed: number): DataSet {
  const size = shape.reduce((a, b) => a * b, 1);
  const r = rng(seed);
  return {
    inputs: [{ data: Uint8Array.from({ length: n * size }, () => Math.floor(r() * 256)), shape: [n, ...shape], scale: 1 / 255 }],
    targets: [{ data: Uint8Array.from({ length: n }, () => Math.floor(r() * classes)), shape: [n] }],
  };
}

const SCCE: OutputLoss[] = [{ kind: 'sparse_categorical_crossentropy', weight: 1, accuracy: true }];

gpuTest('executor: small seed CNN gradients, GPU vs CPU reference (dropout mask included)', async () => {
  await gradientsAgree(smallCnn(), imagesAndLabels(6, [8, 8, 1], 10, 1), SCCE, 5);
});

gpuTest('executor: branched two-output model gradients, GPU vs CPU', async () => {
  const n = 9;
  const data: DataSet = {
    inputs: [{ data: randomArray(n * 3, 2), shape: [n, 3] }],
    targets: [{ data: randomArray(n, 3), shape: [n, 1] }, { data: randomArray(n, 4), shape: [n, 1] }],
  };
  await gradientsAgree(branched(), data, [
    { kind: 'mean_squared_error', weight: 1, accuracy: false },
    { kind: 'mean_absolute_error', weight: 0.3, accuracy: false },
  ], 7);
});

gpuTest('executor: two inputs, Concatenate, Add, shared Dense, average pooling, GPU vs CPU', async () => {
  const n = 4;
  const r = rng(5);
  const data: DataSet = {
    inputs: [{ data: randomArray(n * 50, 6), shape: [n, 5, 5, 2] }, { data: randomArray(n * 3, 7), shape: [n, 3] }],
    targets: [{ data: Uint32Array.from({ length: n }, () => Math.floor(r() * 5)), shape: [n] }],
  };
  await gradientsAgree(mergeGraph(), data, SCCE, 3);
});

gpuTest('executor: 20 Adam steps of the small seed CNN, GPU loss follows the CPU loss', async () => {
  const data = imagesAndLabels(64, [8, 8, 1], 10, 9);
  const m = smallCnn();
  const { layout, gpu, cpu } = await engines(m, data, ADAM);
  const batch = 16;
  const program = buildProgram(m, layout, { batch, training: true, losses: SCCE });
  const [sg, sc] = [await gpu.compile(program), await cpu.compile(program)];
  const r = rng(2);
  // One fixed batch: random labels can only be memorized, so the loss must fall.
  const batches = [Uint32Array.from({ length: batch }, () => Math.floor(r() * 64))];
  const losses: [number, number][] = [];
  for (let step = 0; step < 20; step++) {
    const indices = batches[step % batches.length];
    for (const e of [gpu, cpu] as Engine[]) e.resetMetrics();
    sg.run(indices);
    sc.run(indices);
    const [mg, mc] = [await gpu.readMetrics(), await cpu.readMetrics()];
    losses.push([mg[1] / batch, mc[1] / batch]);
  }
  // float32 on both sides, different summation orders: differences grow slowly with the steps.
  losses.forEach(([g, c], i) => {
    if (Math.abs(g - c) > 1e-3 + 1e-3 * Math.abs(c)) throw new Error(`step ${i + 1}: GPU loss ${g}, CPU loss ${c}`);
  });
  // Dropout makes each step's loss noisy (±0.1 here): compare the means of the first and last five.
  const mean = (ls: [number, number][]) => ls.reduce((s, l) => s + l[1], 0) / ls.length;
  if (!(mean(losses.slice(15)) < 0.93 * mean(losses.slice(0, 5)))) {
    throw new Error(`the loss did not fall: ${losses.map((l) => l[1].toFixed(3)).join(' ')}`);
  }
  assertClose(await gpu.readParams(), await cpu.readParams(), { atol: 1e-4, rtol: 1e-3 }, 'weights after 20 steps');
  gpu.dispose();
});

gpuTest('executor: live GPU buffers and bytes are the same after step 10 and step 200', async () => {
  const data = imagesAndLabels(32, [8, 8, 1], 10, 4);
  const m = smallCnn();
  const { layout, gpu } = await engines(m, data, ADAM);
  const step = await gpu.compile(buildProgram(m, layout, { batch: 8, training: true, losses: SCCE }));
  let at10 = { buffers: 0, bytes: 0 };
  for (let s = 1; s <= 200; s++) {
    step.run(Uint32Array.from({ length: 8 }, (_, i) => (s * 8 + i) % 32));
    if (s % 50 === 0) await gpu.readMetrics();
    if (s === 10) at10 = gpu.memory();
  }
  await gpu.readMetrics();
  const at200 = gpu.memory();
  if (at10.buffers !== at200.buffers || at10.bytes !== at200.bytes) {
    throw new Error(`live GPU memory changed: ${at10.buffers} buffers / ${at10.bytes} bytes at step 10, ${at200.buffers} / ${at200.bytes} at step 200`);
  }
  gpu.dispose();
});

gpuTest('executor: predict and evaluate through the Trainer, GPU vs CPU, after a training step', async () => {
  const data = imagesAndLabels(40, [8, 8, 1], 10, 12);
  const [x, y] = [data.inputs[0], data.targets[0]];
  const args = { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] } as const;
  const gpu = await Trainer.compile(smallCnn(), await GpuEngine.create(), args);
  const cpu = await Trainer.compile(smallCnn(), new CpuEngine(referenceOps), args);
  for (const t of [gpu, cpu]) await t.trainOnBatch({ ...x, data: x.data.subarray(0, 16 * 64), shape: [16, 8, 8, 1] }, { ...y, data: y.data.subarray(0, 16), shape: [16] });
  const [pg] = await gpu.predict(x, { batchSize: 16 });
  const [pc] = await cpu.predict(x, { batchSize: 16 });
  assertClose(pg, pc, { atol: 1e-5, rtol: 1e-4 }, 'predictions (40 samples in batches of 16, the last partial)');
  const [eg, ec] = [await gpu.evaluate(x, y, { batchSize: 16 }), await cpu.evaluate(x, y, { batchSize: 16 })];
  assertClose([eg.loss, eg.accuracy], [ec.loss, ec.accuracy], { atol: 1e-5, rtol: 1e-4 }, 'evaluate');
  gpu.engine.dispose();
});

gpuTest('executor: movingAverage updates a non-trainable weight as the reference does; Adam leaves it to it', async () => {
  const { program, layout } = movingAverageProgram(0.9, true);
  const params = randomArray(layout.size, 1, -1, 1);
  const x = randomArray(6, 2, -1, 1);
  const gpu = await GpuEngine.create();
  await gpu.init(layout, params, ADAM);
  await gpu.attach({ inputs: [{ data: x, shape: [2, 3] }], targets: [] });
  const step = await gpu.compile(program);
  for (let k = 0; k < 3; k++) step.run(Uint32Array.of(0, 1));
  let expected: Float32Array = params.slice(64, 70);
  const doubled = x.map((v) => v + v);
  for (let k = 0; k < 3; k++) expected = movingAverage(expected, doubled, 0.9);
  const after = await gpu.readParams();
  assertClose(after.subarray(64, 70), expected, { atol: 1e-6, rtol: 1e-6 }, 'moving average after 3 steps');
  assertClose(after.subarray(0, 5), params.subarray(0, 5), { atol: 0, rtol: 0 }, 'a weight with a zero gradient');
  gpu.dispose();
});
