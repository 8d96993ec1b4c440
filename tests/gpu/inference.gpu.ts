// The WebGPU engine's inference program: the seed CNN's first conv and its pool run as one fused
// kernel (gpuFusion.ts), the pools write no argmax, and predictions equal the CPU reference
// engine's after a training step.
import { seedCnn } from '../../src/model/examples';
import { resetNameScope } from '../../src/model/naming';
import { CpuEngine } from '../../src/model/train/cpuEngine';
import { referenceOps } from '../../src/model/train/cpuOps';
import { GpuEngine } from '../../src/model/train/gpuEngine';
import { buildProgram, paramLayout } from '../../src/model/train/plan';
import { Trainer } from '../../src/model/train/trainer';
import { assertClose, randomArray, rng } from '../util/check';
import { gpuTest } from './harness';

gpuTest('inference: the seed CNN predicts on the GPU through the fused conv + pool as the CPU reference does', async () => {
  const n = 10;
  const r = rng(31);
  const x = { data: randomArray(n * 784, 30, 0, 1), shape: [n, 28, 28, 1] };
  const y = { data: Uint32Array.from({ length: n }, () => Math.floor(r() * 10)), shape: [n] };
  const args = { optimizer: 'adam', loss: 'sparse_categorical_crossentropy' } as const;
  resetNameScope();
  // One model: both engines start from its weights.
  const model = seedCnn();
  const gpu = await Trainer.compile(model, await GpuEngine.create(), args);
  const cpu = await Trainer.compile(model, new CpuEngine(referenceOps), args);
  for (const t of [gpu, cpu]) await t.trainOnBatch({ ...x, data: x.data.subarray(0, 4 * 784), shape: [4, 28, 28, 1] }, { ...y, data: y.data.subarray(0, 4), shape: [4] });
  const [pg] = await gpu.predict(x, { batchSize: 4 });
  const [pc] = await cpu.predict(x, { batchSize: 4 });
  assertClose(pg, pc, { atol: 1e-5, rtol: 1e-4 }, 'predictions (10 samples in batches of 4, the last partial)');

  const step = await gpu.engine.compile(buildProgram(model, paramLayout(model), { batch: 4, training: false }));
  const ops = step.program.instrs.map((i) => i.op);
  step.dispose();
  gpu.engine.dispose();
  if (ops.join(' ') !== 'conv2dMaxPool conv2dMaxPool dense dense softmax') throw new Error(`inference program: ${ops.join(' ')}`);
});
