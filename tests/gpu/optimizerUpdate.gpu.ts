// The whole recorded optimizer update (src/gpu/optimizerUpdate.ts: step, clipping, weight decay,
// the update of each new kind, a schedule's learning rate rewritten per step) against the CPU
// reference applyOptimizer, over 12 steps of random gradients, on packed buffers of odd-sized
// weights (1, 7, 1000 and 5,003 elements at 64-aligned offsets, one of them not trainable).
import { optimizerSlots, optimizerSlotInit } from '../../src/ops/optimizers';
import { applyOptimizer } from '../../src/ops/reference/optimizerApply';
import { newOptimizerState } from '../../src/ops/reference/optimizers';
import { OPTIMIZER_STATE_WORDS, readOptimizerState } from '../../src/gpu/kernels/optimizerStep';
import { prepareOptimizerUpdate } from '../../src/gpu/optimizerUpdate';
import type { GpuRuntime } from '../../src/gpu/runtime';
import type { GpuTensor } from '../../src/gpu/tensor';
import { LearningRate } from '../../src/model/train/learningRate';
import { resolveOptimizer, type OptimizerArg } from '../../src/model/train/optimizerConfig';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

const cases: OptimizerArg[] = [
  { kind: 'adam', amsgrad: true, learningRate: 0.01 },
  { kind: 'adamw', learningRate: 0.01, weightDecay: 0.05 },
  { kind: 'adagrad', learningRate: 0.05 },
  { kind: 'adadelta', learningRate: 1 },
  { kind: 'adamax', learningRate: 0.02, beta1: 0.85 },
  { kind: 'nadam', learningRate: 0.01 },
  { kind: 'sgd', learningRate: 0.05, momentum: 0.9, clipnorm: 1.5 },
  { kind: 'rmsprop', learningRate: 0.01, globalClipnorm: 3 },
  { kind: 'adam', learningRate: 0.01, clipvalue: 0.5, weightDecay: 0.1 },
  { kind: 'sgd', learningRate: { className: 'ExponentialDecay', initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.5 }, weightDecay: 0.01 },
  { kind: 'nadam', learningRate: { className: 'CosineDecay', initialLearningRate: 0.02, decaySteps: 8, warmupTarget: 0.05, warmupSteps: 2 }, globalClipnorm: 2 },
  { kind: 'adagrad', learningRate: { className: 'PiecewiseConstantDecay', boundaries: [3, 6], values: [0.1, 0.05, 0.01] }, clipnorm: 2 },
];

const STEPS = 12;
const SIZES = [1, 7, 1000, 5003];
const tol = { atol: 5e-6, rtol: 5e-5 };

function layout(): { segments: { offset: number; size: number }[]; size: number; frozen: { offset: number; size: number } } {
  const all: { offset: number; size: number }[] = [];
  let offset = 0;
  for (const size of SIZES) {
    all.push({ offset, size });
    offset += Math.ceil(size / 64) * 64;
  }
  // The 7-element weight is not trainable: no clipping, no decay (its gradient is zero).
  return { segments: all.filter((s) => s.size !== 7), size: offset, frozen: all[1] };
}

async function runCase(rt: GpuRuntime, arg: OptimizerArg): Promise<void> {
  const c = resolveOptimizer(arg);
  const { segments, size: n, frozen } = layout();
  const w0 = randomArray(n, 11);
  const [params, grads] = [rt.upload(w0), rt.tensor([n])];
  const slotCount = optimizerSlots(c);
  const slots0 = new Float32Array(Math.max(1, slotCount * n)).fill(optimizerSlotInit(c));
  const slots = rt.upload(slots0);
  const state = rt.upload(new Uint32Array(OPTIMIZER_STATE_WORDS));
  const update = await prepareOptimizerUpdate(rt, { params, grads, slots, state }, c, segments);
  const [cw, cslots, cstate, lr] = [w0.slice(), slots0.slice(0, slotCount * n), newOptimizerState(), new LearningRate(c)];
  for (let k = 0; k < STEPS; k++) {
    const g = randomArray(n, 500 + k, -3, 3);
    g.fill(0, frozen.offset, frozen.offset + frozen.size);
    rt.write(grads, g);
    const rate = lr.at(cstate.iterations);
    update.setLearningRate(rate);
    rt.submit(update.dispatches);
    applyOptimizer(cw, g, cslots, cstate, c, rate, segments);
  }
  const name = JSON.stringify(arg);
  assertClose(await rt.read(params), cw, tol, `${name} weights`);
  if (slotCount > 0) assertClose((await rt.read(slots)).subarray(0, slotCount * n), cslots, tol, `${name} slots`);
  const s = await readOptimizerState(rt, state as GpuTensor & { dtype: 'uint32' });
  if (s.iterations !== STEPS) throw new Error(`${name}: iterations ${s.iterations}, expected ${STEPS}`);
  assertClose([s.beta1Power, s.beta2Power, s.alpha], [cstate.beta1Power, cstate.beta2Power, cstate.alpha], { atol: 0, rtol: 1e-6 }, `${name} state`);
  for (const d of update.dispatches) rt.dispose(d);
  for (const t of [params, grads, slots, state, ...update.owned]) rt.release(t);
}

for (const c of cases) gpuTest(`optimizer update ${JSON.stringify(c)}: GPU = CPU reference over ${STEPS} steps`, (rt) => runCase(rt, c));
