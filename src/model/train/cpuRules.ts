// The CPU engine's instruction rules: one function per Program instruction over the engine's
// arrays, the heavy ones through the pluggable CpuOps (WebAssembly, fast JavaScript or reference).
import { copyColumns } from '../../ops/reference/copyColumns';
import { dropoutBackward, dropoutForward } from '../../ops/reference/dropout';
import { categoricalCrossentropy, softmaxCrossEntropy } from '../../ops/reference/losses';
import { kerasLoss, smoothLabels, softmaxKlDivergence } from '../../ops/reference/kerasLosses';
import { metricSum } from '../../ops/reference/kerasMetrics';
import { countCorrect } from '../../ops/reference/metrics';
import { softmax, softmaxGrad } from '../../ops/reference/softmax';
import { movingAverage } from '../../ops/reference/movingAverage';
import { scale } from '../../ops/reference/scale';
import { penaltyGrad, penaltyValue } from '../../ops/reference/penalty';
import { transpose } from '../../ops/reference/transpose';
import { pad2d } from '../../ops/reference/pad2d';
import { upsample2d } from '../../ops/reference/upsample2d';
import { merge, mergeGrad } from '../../ops/reference/merge';
import { noise } from '../../ops/reference/noise';
import { paramActivation, paramActivationGrad } from '../../ops/reference/paramActivation';
import { prelu, preluGradAlpha, preluGradInput } from '../../ops/reference/prelu';
import { embeddingForward, embeddingGrad } from '../../ops/reference/embedding';
import { groupConv2dForward, groupConv2dGradFilter, groupConv2dGradInput } from '../../ops/reference/groupConv2d';
import { NORMALIZE_RULES } from './cpuNormalize';
import { activate } from '../../ops/activations';
import type { CpuOps } from './cpuOps';
import type { InstrOf, Instr, OpName } from './program';

export type Memory = (Float32Array | Uint32Array)[];

export type Rule<K extends OpName> = (ins: InstrOf<K>, mem: Memory, ctx: RunContext) => void;

export interface RunContext {
  ops: CpuOps;
  metrics: Float64Array;
  /** Optimizer iterations before this step: the dropout step counter, as on the GPU. */
  step: number;
}

const f32 = (mem: Memory, id: number) => mem[id] as Float32Array;

/** Where a max pool whose argmax nothing reads writes it on the CPU (the kernels always write one). */
const argmaxScratch = new WeakMap<InstrOf<'maxPool'>, Uint32Array>();
function unreadArgmax(i: InstrOf<'maxPool'>, size: number): Uint32Array {
  let a = argmaxScratch.get(i);
  if (!a) argmaxScratch.set(i, (a = new Uint32Array(size)));
  return a;
}

/** Per-sample losses and the gradient (scaled by weight / batch); probabilities for cross-entropies, which read logits. */
function lossOf(i: InstrOf<'loss'>, y: Float32Array, target: Float32Array | Uint32Array) {
  const opts = i.options ?? {};
  switch (i.kind) {
    case 'sparse_categorical_crossentropy':
      return softmaxCrossEntropy(y, target as Uint32Array, i.cols, i.weight);
    case 'categorical_crossentropy':
      return categoricalCrossentropy(y, smoothLabels(target as Float32Array, opts.labelSmoothing ?? 0, 1 / i.cols), i.cols, i.weight);
    case 'kl_divergence':
      if (i.fusedSoftmax) return softmaxKlDivergence(y, target as Float32Array, i.cols, i.weight);
      return { ...kerasLoss(i.kind, y, target as Float32Array, i.cols, opts, i.weight), probs: null };
    default:
      return { ...kerasLoss(i.kind, y, target as Float32Array, i.cols, opts, i.weight), probs: null };
  }
}

/** One rule per instruction; a missing one is a compile error. */
const RULES: { [K in OpName]: Rule<K> } = {
  dense: (i, m, ctx) => ctx.ops.gemm(f32(m, i.x), f32(m, i.w), f32(m, i.y), i.rows, i.outF, i.inF, { bias: i.b === null ? undefined : f32(m, i.b), activation: i.activation }),
  conv2d: (i, m, ctx) => ctx.ops.conv2dForward(f32(m, i.x), f32(m, i.w), i.b === null ? null : f32(m, i.b), f32(m, i.y), i, i.activation),
  // The GPU engine's inference fusion (gpuFusion.ts); the CPU runs the conv and the pool apart.
  conv2dMaxPool: (i, m, ctx) => {
    const conv = new Float32Array(i.geom.batch * i.geom.outH * i.geom.outW * i.kShape[3]);
    ctx.ops.conv2dForward(f32(m, i.x), f32(m, i.w), i.b === null ? null : f32(m, i.b), conv, i, i.activation);
    const pooled = { xShape: [i.geom.batch, i.geom.outH, i.geom.outW, i.kShape[3]], geom: i.pool };
    ctx.ops.maxPoolForward(conv, f32(m, i.y), new Uint32Array(m[i.y].length), pooled);
  },
  maxPool: (i, m, ctx) => ctx.ops.maxPoolForward(f32(m, i.x), f32(m, i.y), i.argmax === null ? unreadArgmax(i, m[i.y].length) : (m[i.argmax] as Uint32Array), i),
  avgPool: (i, m, ctx) => ctx.ops.avgPoolForward(f32(m, i.x), f32(m, i.y), i),
  dropout: (i, m, ctx) => f32(m, i.y).set(dropoutForward(f32(m, i.x), { rate: i.rate, seed: i.seed, step: ctx.step })),
  activate: (i, m) => {
    const [x, y] = [f32(m, i.x), f32(m, i.y)];
    for (let k = 0; k < x.length; k++) y[k] = activate(x[k], i.kind);
  },
  softmax: (i, m) => f32(m, i.y).set(softmax(f32(m, i.x), i.cols)),
  copyColumns: (i, m) =>
    copyColumns(f32(m, i.src), { rowLength: i.srcRow, column: i.srcCol }, f32(m, i.dst), { rowLength: i.dstRow, column: i.dstCol }, i.rows, i.width),
  add: (i, m) => {
    const [a, b, y] = [f32(m, i.a), f32(m, i.b), f32(m, i.y)];
    for (let k = 0; k < y.length; k++) y[k] = a[k] + b[k];
  },
  movingAverage: (i, m) => f32(m, i.state).set(movingAverage(f32(m, i.state), f32(m, i.x), i.momentum)),
  scale: (i, m) => f32(m, i.y).set(scale(f32(m, i.x), i.scale, i.offset)),
  loss: (i, m, ctx) => {
    const r = lossOf(i, f32(m, i.y), m[i.target]);
    if (i.probs !== null && r.probs) f32(m, i.probs).set(r.probs);
    if (i.dy !== null) f32(m, i.dy).set(r.grad);
    let sum = 0;
    for (let k = 0; k < r.loss.length; k++) sum += r.loss[k];
    ctx.metrics[i.lossSlot] += sum;
  },
  penalty: (i, m, ctx) => {
    const x = f32(m, i.x);
    ctx.metrics[i.slot] += i.batch * penaltyValue(x, i);
    if (i.dx !== null) penaltyGrad(x, i, f32(m, i.dx));
  },
  accuracy: (i, m, ctx) => {
    ctx.metrics[i.slot] += countCorrect(f32(m, i.y), m[i.target] as Uint32Array, i.cols);
  },
  matmul: (i, m, ctx) => ctx.ops.gemm(f32(m, i.a), f32(m, i.b), f32(m, i.c), i.m, i.n, i.k, { transA: i.transA, transB: i.transB }),
  activationGrad: (i, m, ctx) => ctx.ops.activationGrad(f32(m, i.dy), f32(m, i.y), f32(m, i.dx), i.kind),
  biasGrad: (i, m, ctx) => ctx.ops.biasGrad(f32(m, i.dy), f32(m, i.db), i.cols),
  conv2dGradInput: (i, m, ctx) => ctx.ops.conv2dGradInput(f32(m, i.dy), f32(m, i.w), f32(m, i.dx), i),
  conv2dGradFilter: (i, m, ctx) => ctx.ops.conv2dGradFilter(f32(m, i.x), f32(m, i.dy), f32(m, i.dw), i),
  maxPoolGrad: (i, m, ctx) => ctx.ops.maxPoolGrad(f32(m, i.dy), m[i.argmax] as Uint32Array, f32(m, i.dx), i),
  avgPoolGrad: (i, m, ctx) => ctx.ops.avgPoolGrad(f32(m, i.dy), f32(m, i.dx), i),
  dropoutGrad: (i, m, ctx) => f32(m, i.dx).set(dropoutBackward(f32(m, i.dy), { rate: i.rate, seed: i.seed, step: ctx.step })),
  transpose: (i, m) => f32(m, i.y).set(transpose(f32(m, i.x), i.xShape, i.perm)),
  pad2d: (i, m) => f32(m, i.y).set(pad2d(f32(m, i.x), i.pad)),
  upsample2d: (i, m) => f32(m, i.y).set(upsample2d(f32(m, i.x), i.xShape, i.size)),
  merge: (i, m) => f32(m, i.y).set(merge(f32(m, i.a), f32(m, i.b), i.kind)),
  mergeGrad: (i, m) => f32(m, i.dx).set(mergeGrad(f32(m, i.dy), f32(m, i.a), f32(m, i.b), i.kind)),
  noise: (i, m, ctx) => f32(m, i.y).set(noise(f32(m, i.x), { ...i, step: ctx.step })),
  softmaxGrad: (i, m) => f32(m, i.dx).set(softmaxGrad(f32(m, i.dy), f32(m, i.y), i.cols)),
  paramActivate: (i, m) => f32(m, i.y).set(paramActivation(f32(m, i.x), i.p)),
  paramActivationGrad: (i, m) => f32(m, i.dx).set(paramActivationGrad(f32(m, i.dy), f32(m, i.x), i.p)),
  prelu: (i, m) => f32(m, i.y).set(prelu(f32(m, i.x), f32(m, i.alpha), i.geom)),
  preluGradInput: (i, m) => f32(m, i.dx).set(preluGradInput(f32(m, i.dy), f32(m, i.x), f32(m, i.alpha), i.geom)),
  preluGradAlpha: (i, m) => f32(m, i.dalpha).set(preluGradAlpha(f32(m, i.dy), f32(m, i.x), f32(m, i.dalpha).length, i.geom)),
  groupConv2d: (i, m) => f32(m, i.y).set(groupConv2dForward(f32(m, i.x), f32(m, i.w), i.b === null ? null : f32(m, i.b), i.geom, i.xShape[3], i.kShape[3])),
  groupConv2dGradInput: (i, m) => f32(m, i.dx).set(groupConv2dGradInput(f32(m, i.dy), f32(m, i.w), i.geom, i.xShape[3], i.kShape[3])),
  groupConv2dGradFilter: (i, m) => f32(m, i.dw).set(groupConv2dGradFilter(f32(m, i.x), f32(m, i.dy), i.geom, i.xShape[3], i.kShape[3])),
  conv2dTranspose: (i, m, ctx) => {
    const y = f32(m, i.y);
    ctx.ops.conv2dGradInput(f32(m, i.x), f32(m, i.w), y, { xShape: i.yShape, kShape: i.kShape, geom: i.geom });
    if (i.b === null) return;
    const b = f32(m, i.b);
    for (let k = 0; k < y.length; k++) y[k] += b[k % b.length];
  },
  embedding: (i, m) => f32(m, i.y).set(embeddingForward(f32(m, i.ids), f32(m, i.w), i.dim)),
  embeddingGrad: (i, m) => f32(m, i.dw).set(embeddingGrad(f32(m, i.ids), f32(m, i.dy), i.vocab, i.dim)),
  ...NORMALIZE_RULES,
  metric: (i, m, ctx) => {
    ctx.metrics[i.slot] += metricSum(i.kind, f32(m, i.y), m[i.target], i.cols);
  },
};

export function runInstr(ins: Instr, mem: Memory, ctx: RunContext): void {
  (RULES[ins.op] as Rule<typeof ins.op>)(ins as never, mem, ctx);
}
