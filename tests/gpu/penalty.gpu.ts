// Regularizer penalties and weight constraints on WebGPU: the kernels against the reference ops
// on odd sizes, and Keras 3.15.1's own figures (tests/fixtures/keras/make_regularizers.py) for a
// model with every regularizer and constraint: its evaluate loss and its weights after one step.
import fixtureText from '../fixtures/keras/keras3.15.1_regularizers.json?raw';
import convFixtureText from '../fixtures/keras/keras3.15.1_regularizers_conv.json?raw';
import depthwiseFixtureText from '../fixtures/keras/keras3.15.1_regularizers_depthwise.json?raw';
import { fromJSON, resetNameScope } from '../../src/model/index';
import { preparePenalty } from '../../src/gpu/kernels/penalty';
import { prepareConstraint } from '../../src/gpu/kernels/constraint';
import { GpuEngine } from '../../src/model/train/gpuEngine';
import { Trainer } from '../../src/model/train/trainer';
import { penaltyGrad, penaltyValue } from '../../src/ops/reference/penalty';
import { applyConstraint, type ConstraintParams } from '../../src/ops/reference/constraint';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

for (const [n, l1, l2, divide, grad] of [[1, 0.01, 0, 1, true], [7, 0, 0.5, 3, true], [1000, 0.02, 0.03, 1, false], [70001, 0.1, 0.2, 32, true]] as const) {
  gpuTest(`penalty n=${n} l1=${l1} l2=${l2} divide=${divide}${grad ? '' : ' (no gradient)'}`, async (rt) => {
    const x = randomArray(n, 4, -1, 1);
    const p = { l1, l2, divide };
    const [tx, values, dx] = [rt.upload(x), rt.tensor([n]), rt.tensor([grad ? n : 1])];
    const d = await preparePenalty(rt, tx, values, dx, p, grad);
    rt.submit([d]);
    const sum = (await rt.read(values)).reduce((a, v) => a + v, 0) / divide;
    assertClose([sum], [penaltyValue(x, p)], { atol: 1e-5, rtol: 1e-4 }, 'penalty');
    if (grad) {
      const want = new Float32Array(n);
      penaltyGrad(x, p, want);
      assertClose(await rt.read(dx), want, { atol: 1e-7, rtol: 1e-5 }, 'd penalty');
    }
    rt.dispose(d);
    [tx, values, dx].forEach((t) => rt.release(t));
  });
}

const CONSTRAINTS: ConstraintParams[] = [
  { kind: 'MaxNorm', shape: [3, 3, 5, 7], axes: [0, 1, 2], minValue: 0, maxValue: 0.8, rate: 1 },
  { kind: 'UnitNorm', shape: [13, 9], axes: [0], minValue: 0, maxValue: 0, rate: 1 },
  { kind: 'UnitNorm', shape: [13, 9], axes: [1], minValue: 0, maxValue: 0, rate: 1 },
  { kind: 'MinMaxNorm', shape: [2, 3, 4, 5], axes: [1, 3], minValue: 0.5, maxValue: 0.9, rate: 0.6 },
  { kind: 'MaxNorm', shape: [17], axes: [0], minValue: 0, maxValue: 0.3, rate: 1 },
  { kind: 'NonNeg', shape: [3, 301], axes: [], minValue: 0, maxValue: 0, rate: 1 },
];

for (const c of CONSTRAINTS) {
  gpuTest(`constraint ${c.kind} shape [${c.shape.join(', ')}] axes [${c.axes.join(', ')}]`, async (rt) => {
    const w = randomArray(c.shape.reduce((a, d) => a * d, 1), 5, -1, 1);
    const t = rt.upload(w);
    const d = await prepareConstraint(rt, t, c);
    rt.submit([d]);
    const want = Float32Array.from(w);
    applyConstraint(want, c);
    assertClose(await rt.read(t), want, { atol: 1e-6, rtol: 1e-5 }, c.kind);
    rt.dispose(d);
    rt.release(t);
  });
}

const FIXTURES = [
  { text: fixtureText, shapes: [[4, 6, 6, 2]], what: 'Dense and Conv2D' },
  { text: convFixtureText, shapes: [[4, 8, 3], [4, 4, 4, 2]], what: 'Conv1D and Conv2DTranspose' },
  { text: depthwiseFixtureText, shapes: [[4, 5, 5, 2], [4, 4]], what: 'DepthwiseConv2D, SeparableConv2D and Embedding' },
];

for (const { text, shapes, what } of FIXTURES) {
  gpuTest(`regularizers and constraints on ${what}, on WebGPU: Keras 3's evaluate loss and weights after one SGD step`, async () => {
    const f = JSON.parse(text) as { model: unknown; weights: number[][]; x: number[] | number[][]; y: number[]; evaluate_loss: number; weights_after_step: number[][] };
    resetNameScope();
    const m = fromJSON(JSON.stringify(f.model));
    m.setWeights(f.weights.map((w) => Float32Array.from(w)));
    const t = await Trainer.compile(m, await GpuEngine.create(), { optimizer: { kind: 'sgd', learningRate: 0.1 }, loss: 'sparse_categorical_crossentropy' });
    const xs = (shapes.length === 1 ? [f.x] : f.x) as number[][];
    const x = xs.map((v, k) => ({ data: Float32Array.from(v), shape: shapes[k]! }));
    const y = { data: Uint32Array.from(f.y), shape: [4] };
    const r = await t.evaluate(x, y, { batchSize: 4 });
    assertClose([r.loss], [f.evaluate_loss], { atol: 1e-5, rtol: 1e-5 }, 'evaluate loss');
    await t.trainOnBatch(x, y);
    const packed = await t.engine.readParams();
    t.layout.entries.forEach((e, k) => assertClose(packed.subarray(e.offset, e.offset + e.size), Float32Array.from(f.weights_after_step[k]), { atol: 1e-5, rtol: 1e-4 }, `${e.layer}/${e.weight} after one step`));
    t.engine.dispose();
  });
}
