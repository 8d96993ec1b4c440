// How each Program instruction becomes WebGPU dispatches: one rule per instruction, in one typed
// table (a missing rule is a compile error). Used by gpuEngine.ts when it compiles a Program.
import { prepareActivate } from '../../gpu/kernels/activate';
import { prepareActivationGrad } from '../../gpu/kernels/activationGrad';
import { prepareAdd } from '../../gpu/kernels/add';
import { prepareAvgPool2d } from '../../gpu/kernels/avgPool2d';
import { prepareAvgPool2dBackward } from '../../gpu/kernels/avgPool2dBackward';
import { prepareBiasGrad } from '../../gpu/kernels/biasGrad';
import { prepareConv2dMaxPool } from '../../gpu/kernels/conv2dPool';
import { prepareCopyColumns } from '../../gpu/kernels/copyColumns';
import { prepareDropoutBackward, prepareDropoutForward } from '../../gpu/kernels/dropout';
import { prepareCategoricalCrossentropy, prepareSoftmaxCrossEntropy, prepareTargetLoss, type TargetLoss } from '../../gpu/kernels/losses';
import { prepareElementwiseLoss } from '../../gpu/kernels/kerasLosses';
import { isTargetMetric, prepareSparseTopK, prepareTargetMetric } from '../../gpu/kernels/kerasMetrics';
import { prepareMaxPool2d } from '../../gpu/kernels/maxPool2d';
import { prepareMovingAverage } from '../../gpu/kernels/movingAverage';
import { prepareScale } from '../../gpu/kernels/scale';
import { preparePenalty } from '../../gpu/kernels/penalty';
import { prepareAccumulateAccuracy, prepareAccumulateSum } from '../../gpu/kernels/metrics';
import { prepareSoftmax } from '../../gpu/kernels/softmax';
import { prepareTranspose } from '../../gpu/kernels/transpose';
import { preparePad2d } from '../../gpu/kernels/pad2d';
import { prepareUpsample2d } from '../../gpu/kernels/upsample2d';
import { prepareMerge, prepareMergeGrad } from '../../gpu/kernels/merge';
import { prepareNoise } from '../../gpu/kernels/noise';
import { prepareSoftmaxGrad } from '../../gpu/kernels/softmaxGrad';
import { prepareParamActivation, prepareParamActivationGrad } from '../../gpu/kernels/paramActivation';
import { preparePrelu, preparePreluGradAlpha, preparePreluGradInput } from '../../gpu/kernels/prelu';
import { prepareBiasAdd } from '../../gpu/kernels/biasAdd';
import { prepareEmbedding } from '../../gpu/kernels/embedding';
import { prepareEmbeddingGrad } from '../../gpu/kernels/embeddingGrad';
import { prepareGroupConv2d } from '../../gpu/kernels/groupConv2d';
import { prepareGroupConv2dGradFilter } from '../../gpu/kernels/groupConv2dGradFilter';
import { prepareGroupConv2dGradInput } from '../../gpu/kernels/groupConv2dGradInput';
import { prepareMoments } from '../../gpu/kernels/moments';
import { prepareNormalize, type NormalizeStats } from '../../gpu/kernels/normalize';
import { prepareNormalizeGradInput } from '../../gpu/kernels/normalizeGradInput';
import { prepareNormalizeGradSums } from '../../gpu/kernels/normalizeGradSums';
import type { Dispatch, GpuRuntime } from '../../gpu/runtime';
import type { GpuTensor } from '../../gpu/tensor';
import { conv2dGradFilterTunable, conv2dGradInputTunable, conv2dTunable, matmulTunable, maxPool2dBackwardTunable } from '../../gpu/tunables';
import type { Tunable } from '../../gpu/tuning';
import type { Instr, InstrOf, LossKind, OpName } from './program';

export interface Ctx {
  rt: GpuRuntime;
  t: (id: number) => GpuTensor;
  counter: GpuTensor;
  metrics: GpuTensor;
  scratch: (shape: number[], dtype?: 'float32' | 'uint32') => GpuTensor;
  /** Tensors released with the step (internal scratch of multi-pass kernels). */
  own: (...t: GpuTensor[]) => void;
  /** A heavy op's dispatches in the variant the tuner chooses (scratch it needs is owned by the step). */
  tune: (t: Tunable) => Promise<Dispatch[]>;
}

type Rule<K extends OpName> = (i: InstrOf<K>, c: Ctx) => Promise<Dispatch[]>;

const opt = (c: Ctx, id: number | null) => (id === null ? null : c.t(id));
const normStats = (i: { mean: number; variance: number; epsilon: number; floor: boolean }, c: Ctx): NormalizeStats =>
  ({ mean: c.t(i.mean), variance: c.t(i.variance), epsilon: i.epsilon, floor: i.floor });
/** The loss's kernels: cross-entropies read logits (fused with the softmax or from_logits). */
async function lossDispatches(i: InstrOf<'loss'>, c: Ctx, perSample: GpuTensor, grad: GpuTensor): Promise<Dispatch[]> {
  const [y, target, opts] = [c.t(i.y), c.t(i.target), i.options ?? {}];
  if (i.kind === 'sparse_categorical_crossentropy' || i.kind === 'categorical_crossentropy') {
    const probs = i.probs !== null ? c.t(i.probs) : c.scratch([...y.shape]);
    if (i.kind === 'sparse_categorical_crossentropy') return [await prepareSoftmaxCrossEntropy(c.rt, y, target, probs, perSample, grad, i.weight)];
    return [await prepareCategoricalCrossentropy(c.rt, y, target, probs, perSample, grad, i.weight, opts.labelSmoothing ?? 0)];
  }
  if (i.kind === 'kl_divergence' && i.fusedSoftmax) {
    return [await prepareCategoricalCrossentropy(c.rt, y, target, c.t(i.probs!), perSample, grad, i.weight, 0, true)];
  }
  const plain = !opts.fromLogits && !opts.labelSmoothing;
  const TARGET: Partial<Record<LossKind, TargetLoss>> = { mean_squared_error: 'mse', mean_absolute_error: 'mae', binary_crossentropy: 'binaryCrossentropy' };
  const old = TARGET[i.kind];
  if (old && plain) return [await prepareTargetLoss(c.rt, old, y, target, perSample, grad, i.weight)];
  // Only hinge writes the flag; the others get the (read-only) targets in its place.
  const flag = i.kind === 'hinge' ? c.scratch([1]) : target;
  return prepareElementwiseLoss(c.rt, i.kind, y, target, flag, perSample, grad, opts, i.weight);
}

const one = async (d: Promise<Dispatch>) => [await d];

/** One rule per instruction; a missing one is a compile error. */
const RULES: { [K in OpName]: Rule<K> } = {
  dense: (i, c) => c.tune(matmulTunable(c.rt, c.t(i.x), c.t(i.w), c.t(i.y), { bias: i.b === null ? undefined : c.t(i.b), activation: i.activation })),
  conv2d: (i, c) => c.tune(conv2dTunable(c.rt, c.t(i.x), c.t(i.w), i.b === null ? null : c.t(i.b), c.t(i.y), i.geom, i.activation)),
  conv2dMaxPool: (i, c) => one(prepareConv2dMaxPool(c.rt, c.t(i.x), c.t(i.w), i.b === null ? null : c.t(i.b), c.t(i.y), i.geom, i.activation)),
  maxPool: (i, c) =>
    one(i.argmax === null ? prepareMaxPool2d(c.rt, c.t(i.x), c.t(i.y), c.scratch([1], 'uint32'), i.geom, false) : prepareMaxPool2d(c.rt, c.t(i.x), c.t(i.y), c.t(i.argmax), i.geom)),
  avgPool: (i, c) => one(prepareAvgPool2d(c.rt, c.t(i.x), c.t(i.y), i.geom)),
  dropout: (i, c) => one(prepareDropoutForward(c.rt, c.t(i.x), c.counter, c.t(i.y), { rate: i.rate, seed: i.seed })),
  activate: (i, c) => one(prepareActivate(c.rt, c.t(i.x), c.t(i.y), i.kind)),
  softmax: (i, c) => one(prepareSoftmax(c.rt, c.t(i.x), c.t(i.y))),
  copyColumns: (i, c) =>
    one(prepareCopyColumns(c.rt, c.t(i.src), { rowLength: i.srcRow, column: i.srcCol }, c.t(i.dst), { rowLength: i.dstRow, column: i.dstCol }, i.rows, i.width)),
  add: (i, c) => one(prepareAdd(c.rt, c.t(i.a), c.t(i.b), c.t(i.y))),
  movingAverage: (i, c) => one(prepareMovingAverage(c.rt, c.t(i.x), c.t(i.state), i.momentum)),
  scale: (i, c) => one(prepareScale(c.rt, c.t(i.x), c.t(i.y), i.scale, i.offset)),
  loss: async (i, c) => {
    const perSample = c.scratch([i.rows]);
    const grad = i.dy !== null ? c.t(i.dy) : c.scratch([...c.t(i.y).shape]);
    const d = await lossDispatches(i, c, perSample, grad);
    return [...d, await prepareAccumulateSum(c.rt, perSample, c.metrics, i.lossSlot)];
  },
  penalty: async (i, c) => {
    const values = c.scratch([...c.t(i.x).shape]);
    const d = await preparePenalty(c.rt, c.t(i.x), values, i.dx === null ? c.scratch([1]) : c.t(i.dx), i, i.dx !== null);
    return [d, await prepareAccumulateSum(c.rt, values, c.metrics, i.slot, i.batch / i.divide)];
  },
  accuracy: (i, c) => one(prepareAccumulateAccuracy(c.rt, c.t(i.y), c.t(i.target), c.metrics, i.slot)),
  matmul: (i, c) => c.tune(matmulTunable(c.rt, c.t(i.a), c.t(i.b), c.t(i.c), { transA: i.transA, transB: i.transB })),
  activationGrad: (i, c) => one(prepareActivationGrad(c.rt, c.t(i.dy), c.t(i.y), c.t(i.dx), i.kind)),
  biasGrad: async (i, c) => {
    // The step disposes the dispatches with the others; it only has to own the partial sums.
    const passes = await prepareBiasGrad(c.rt, c.t(i.dy), c.t(i.db));
    c.own(...passes.scratch);
    return passes.dispatches;
  },
  conv2dGradInput: (i, c) => c.tune(conv2dGradInputTunable(c.rt, c.t(i.dy), c.t(i.w), c.t(i.dx), i.geom)),
  conv2dGradFilter: (i, c) => c.tune(conv2dGradFilterTunable(c.rt, c.t(i.x), c.t(i.dy), c.t(i.dw), i.geom)),
  maxPoolGrad: (i, c) => c.tune(maxPool2dBackwardTunable(c.rt, c.t(i.dy), c.t(i.argmax), c.t(i.dx), i.geom)),
  avgPoolGrad: (i, c) => one(prepareAvgPool2dBackward(c.rt, c.t(i.dy), c.t(i.dx), i.geom)),
  dropoutGrad: (i, c) => one(prepareDropoutBackward(c.rt, c.t(i.dy), c.counter, c.t(i.dx), { rate: i.rate, seed: i.seed })),
  transpose: (i, c) => one(prepareTranspose(c.rt, c.t(i.x), c.t(i.y), i.xShape, i.perm)),
  pad2d: (i, c) => one(preparePad2d(c.rt, c.t(i.x), c.t(i.y), i.pad)),
  upsample2d: (i, c) => one(prepareUpsample2d(c.rt, c.t(i.x), c.t(i.y), i.xShape, i.size)),
  merge: (i, c) => one(prepareMerge(c.rt, c.t(i.a), c.t(i.b), c.t(i.y), i.kind)),
  mergeGrad: (i, c) => one(prepareMergeGrad(c.rt, c.t(i.dy), c.t(i.a), c.t(i.b), c.t(i.dx), i.kind)),
  noise: (i, c) => one(prepareNoise(c.rt, c.t(i.x), c.counter, c.t(i.y), i)),
  softmaxGrad: (i, c) => one(prepareSoftmaxGrad(c.rt, c.t(i.dy), c.t(i.y), c.t(i.dx))),
  paramActivate: (i, c) => one(prepareParamActivation(c.rt, c.t(i.x), c.t(i.y), i.p)),
  paramActivationGrad: (i, c) => one(prepareParamActivationGrad(c.rt, c.t(i.dy), c.t(i.x), c.t(i.dx), i.p)),
  prelu: (i, c) => one(preparePrelu(c.rt, c.t(i.x), c.t(i.alpha), c.t(i.y), i.geom)),
  preluGradInput: (i, c) => one(preparePreluGradInput(c.rt, c.t(i.dy), c.t(i.x), c.t(i.alpha), c.t(i.dx), i.geom)),
  preluGradAlpha: (i, c) => one(preparePreluGradAlpha(c.rt, c.t(i.dy), c.t(i.x), c.t(i.dalpha), i.geom)),
  groupConv2d: (i, c) => one(prepareGroupConv2d(c.rt, c.t(i.x), c.t(i.w), i.b === null ? null : c.t(i.b), c.t(i.y), i.geom)),
  groupConv2dGradInput: (i, c) => one(prepareGroupConv2dGradInput(c.rt, c.t(i.dy), c.t(i.w), c.t(i.dx), i.geom)),
  groupConv2dGradFilter: (i, c) => one(prepareGroupConv2dGradFilter(c.rt, c.t(i.x), c.t(i.dy), c.t(i.dw), i.geom)),
  // The conv input gradient kernel writes y, then the bias is added in place.
  conv2dTranspose: async (i, c) => {
    const passes = await c.tune(conv2dGradInputTunable(c.rt, c.t(i.x), c.t(i.w), c.t(i.y), i.geom));
    if (i.b !== null) passes.push(await prepareBiasAdd(c.rt, c.t(i.b), c.t(i.y)));
    return passes;
  },
  embedding: (i, c) => one(prepareEmbedding(c.rt, c.t(i.ids), c.t(i.w), c.t(i.y))),
  embeddingGrad: (i, c) => one(prepareEmbeddingGrad(c.rt, c.t(i.ids), c.t(i.dy), c.t(i.dw))),
  moments: (i, c) => one(prepareMoments(c.rt, c.t(i.x), c.t(i.mean), c.t(i.variance))),
  normalize: (i, c) => one(prepareNormalize(c.rt, c.t(i.x), normStats(i, c), opt(c, i.gamma), opt(c, i.beta), c.t(i.y))),
  normalizeGradSums: (i, c) => one(prepareNormalizeGradSums(c.rt, c.t(i.dy), c.t(i.x), normStats(i, c), c.t(i.sums))),
  normalizeGradInput: (i, c) =>
    one(prepareNormalizeGradInput(c.rt, c.t(i.dy), c.t(i.x), normStats(i, c), opt(c, i.gamma), opt(c, i.sums), c.t(i.dx))),
  // The constant statistics are uploaded once, owned by the step.
  normalizeConstant: (i, c) => {
    const [mean, variance] = [c.rt.upload(Float32Array.from(i.mean)), c.rt.upload(Float32Array.from(i.variance))];
    c.own(mean, variance);
    return one(prepareNormalize(c.rt, c.t(i.x), { mean, variance, epsilon: i.epsilon, floor: true }, null, null, c.t(i.y)));
  },
  metric: (i, c) =>
    one(isTargetMetric(i.kind) ? prepareTargetMetric(c.rt, i.kind, c.t(i.y), c.t(i.target), c.metrics, i.slot) : prepareSparseTopK(c.rt, c.t(i.y), c.t(i.target), c.metrics, i.slot)),
};

export function prepareInstr(ins: Instr, c: Ctx): Promise<Dispatch[]> {
  return (RULES[ins.op] as Rule<typeof ins.op>)(ins as never, c);
}
