// Each optimizer and option, GPU vs the float32 CPU reference over 20 steps of random gradients
// (the recorded step replayed with only the gradient rewritten), at sizes 1, 7, 1000 and 333,526,
// the parameters once as a view at a nonzero offset of a packed buffer.
import {
  ADAM_DEFAULTS,
  RMSPROP_DEFAULTS,
  adamSlots,
  rmspropSlots,
  sgdSlots,
  type AdamConfig,
  type RmspropConfig,
  type SgdConfig,
} from '../../src/ops/optimizers';
import { adamUpdate, newOptimizerState, optimizerStep, rmspropUpdate, sgdUpdate, type OptimizerState } from '../../src/ops/reference/optimizers';
import { prepareAdam } from '../../src/gpu/kernels/adam';
import { OPTIMIZER_STATE_WORDS, prepareOptimizerStep, readOptimizerState } from '../../src/gpu/kernels/optimizerStep';
import { prepareRmsprop } from '../../src/gpu/kernels/rmsprop';
import { prepareSgd } from '../../src/gpu/kernels/sgd';
import type { Dispatch, GpuRuntime } from '../../src/gpu/runtime';
import { view, type GpuTensor } from '../../src/gpu/tensor';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

interface Case {
  name: string;
  slots: number;
  betas: { beta1: number; beta2: number };
  learningRate: number;
  cpu: (w: Float32Array, g: Float32Array, slots: Float32Array, s: OptimizerState) => void;
  gpu: (rt: GpuRuntime, w: GpuTensor, g: GpuTensor, slots: GpuTensor | null, state: GpuTensor) => Promise<Dispatch>;
}

const noBetas = { beta1: 0, beta2: 0 };
const sgd = (c: SgdConfig): Case => ({
  name: `sgd ${JSON.stringify(c)}`,
  slots: sgdSlots(c),
  betas: noBetas,
  learningRate: c.learningRate,
  cpu: (w, g, slots) => sgdUpdate(w, g, slots, c),
  gpu: (rt, w, g, slots) => prepareSgd(rt, w, g, slots, c),
});
const adam = (c: AdamConfig): Case => ({
  name: `adam ${JSON.stringify(c)}`,
  slots: adamSlots(),
  betas: c,
  learningRate: c.learningRate,
  cpu: (w, g, slots, s) => adamUpdate(w, g, slots, s, c),
  gpu: (rt, w, g, slots, state) => prepareAdam(rt, w, g, slots!, state, c),
});
const rmsprop = (c: RmspropConfig): Case => ({
  name: `rmsprop ${JSON.stringify(c)}`,
  slots: rmspropSlots(c),
  betas: noBetas,
  learningRate: c.learningRate,
  cpu: (w, g, slots) => rmspropUpdate(w, g, slots, c),
  gpu: (rt, w, g, slots) => prepareRmsprop(rt, w, g, slots!, c),
});

const cases: Case[] = [
  sgd({ learningRate: 0.01, momentum: 0, nesterov: false }),
  sgd({ learningRate: 0.05, momentum: 0.9, nesterov: false }),
  sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true }),
  adam(ADAM_DEFAULTS),
  adam({ learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-5 }),
  rmsprop(RMSPROP_DEFAULTS),
  rmsprop({ ...RMSPROP_DEFAULTS, momentum: 0.5 }),
  rmsprop({ ...RMSPROP_DEFAULTS, centered: true }),
  rmsprop({ ...RMSPROP_DEFAULTS, learningRate: 0.01, momentum: 0.9, centered: true }),
];

const STEPS = 20;
const tol = { atol: 2e-6, rtol: 1e-5 };
const slotTol = { atol: 1e-9, rtol: 1e-5 };

async function runCase(rt: GpuRuntime, c: Case, n: number, asView: boolean): Promise<void> {
  const w0 = randomArray(n, 100 + n);
  // As a view: the weights sit at byte 256 of a packed buffer whose other words must not change.
  const base = asView ? rt.upload(randomArray(n + 128, 7)) : null;
  const w = base ? view(base, 256, [n]) : rt.upload(w0);
  if (base) rt.write(w, w0);
  const g = rt.tensor([n]);
  const slots = c.slots > 0 ? rt.upload(new Float32Array(c.slots * n)) : null;
  const state = rt.upload(new Uint32Array(OPTIMIZER_STATE_WORDS));
  const step = await prepareOptimizerStep(rt, state, { learningRate: c.learningRate, ...c.betas });
  const update = await c.gpu(rt, w, g, slots, state);

  const [cw, cslots, cstate] = [w0.slice(), new Float32Array(c.slots * n), newOptimizerState()];
  for (let k = 0; k < STEPS; k++) {
    const grad = randomArray(n, 1000 * k + n, -2, 2);
    rt.write(g, grad);
    rt.submit([step, update]);
    optimizerStep(cstate, { learningRate: c.learningRate, ...c.betas });
    c.cpu(cw, grad, cslots, cstate);
  }
  assertClose(await rt.read(w), cw, tol, `${c.name} n=${n} weights`);
  if (slots) assertClose(await rt.read(slots), cslots, slotTol, `${c.name} n=${n} slots`);
  const s = await readOptimizerState(rt, state as GpuTensor & { dtype: 'uint32' });
  if (s.iterations !== STEPS) throw new Error(`iterations ${s.iterations}, expected ${STEPS}`);
  assertClose([s.beta1Power, s.beta2Power, s.alpha], [cstate.beta1Power, cstate.beta2Power, cstate.alpha], { atol: 0, rtol: 2e-7 }, 'state');
  if (base) {
    const all = await rt.read(base);
    const before = randomArray(n + 128, 7);
    const untouched = [...all.subarray(0, 64), ...all.subarray(64 + n)];
    assertClose(untouched, [...before.subarray(0, 64), ...before.subarray(64 + n)], { atol: 0, rtol: 0 }, 'outside the view');
  }
  rt.dispose(step);
  rt.dispose(update);
  for (const t of [base ?? w, g, slots, state]) if (t) rt.release(t);
}

for (const c of cases) {
  for (const n of [1, 7, 1000, 333_526]) {
    gpuTest(`${c.name} n=${n}: GPU = CPU over ${STEPS} steps`, (rt) => runCase(rt, c, n, false));
  }
  gpuTest(`${c.name} as a view at byte 256 of a packed buffer`, (rt) => runCase(rt, c, 1000, true));
}
