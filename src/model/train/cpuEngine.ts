// The CPU engine: runs Programs over Float32Arrays with the CPU reference ops (the fast
// im2col/GEMM versions where they matter). The fallback when a browser has no WebGPU, and the
// engine that proves accuracy on machines without a GPU.
import { copyColumns } from '../../ops/reference/copyColumns';
import { dropoutBackward, dropoutForward } from '../../ops/reference/dropout';
import { optimizerSlotInit } from '../../ops/optimizers';
import { applyOptimizer } from '../../ops/reference/optimizerApply';
import type { Segment } from '../../ops/reference/gradientClip';
import { newOptimizerState, type OptimizerState } from '../../ops/reference/optimizers';
import { categoricalCrossentropy, softmaxCrossEntropy } from '../../ops/reference/losses';
import { kerasLoss, smoothLabels, softmaxKlDivergence } from '../../ops/reference/kerasLosses';
import { metricSum } from '../../ops/reference/kerasMetrics';
import { countCorrect } from '../../ops/reference/metrics';
import { softmax, softmaxGrad } from '../../ops/reference/softmax';
import { movingAverage } from '../../ops/reference/movingAverage';
import { scale } from '../../ops/reference/scale';
import { penaltyGrad, penaltyValue } from '../../ops/reference/penalty';
import { applyConstraint } from '../../ops/reference/constraint';
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
import { fastOps, type CpuOps } from './cpuOps';
import type { CompiledStep, DataSet, Engine, EngineState, HostTensor, OptimizerConfig } from './engine';
import { MAX_METRIC_SLOTS } from './engine';
import { optimizerSlotCount } from './config';
import { LearningRate, trainableSegments } from './learningRate';
import type { Instr, InstrOf, OpName, ParamLayout, Program, Value } from './program';

export type Memory = (Float32Array | Uint32Array)[];

export type Rule<K extends OpName> = (ins: InstrOf<K>, mem: Memory, ctx: RunContext) => void;

interface RunContext {
  ops: CpuOps;
  metrics: Float64Array;
  /** Optimizer iterations before this step: the dropout step counter, as on the GPU. */
  step: number;
}

const f32 = (mem: Memory, id: number) => mem[id] as Float32Array;

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
  maxPool: (i, m, ctx) => ctx.ops.maxPoolForward(f32(m, i.x), f32(m, i.y), m[i.argmax] as Uint32Array, i),
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

function runInstr(ins: Instr, mem: Memory, ctx: RunContext): void {
  (RULES[ins.op] as Rule<typeof ins.op>)(ins as never, mem, ctx);
}


/** Copies row `row` of a host tensor into `out` at `at`, as floats (bytes scaled) or integers. */
function gatherRow(t: HostTensor, row: number, out: Float32Array | Uint32Array, at: number): void {
  const width = t.data.length / t.shape[0];
  const src = t.data.subarray(row * width, (row + 1) * width);
  if (t.data instanceof Uint8Array && out instanceof Float32Array) {
    const scale = t.scale ?? 1;
    for (let k = 0; k < width; k++) out[at + k] = src[k] * scale;
  } else {
    out.set(src, at);
  }
}

export class CpuEngine implements Engine {
  readonly kind = 'cpu' as const;
  readonly description: string;
  private params = new Float32Array(0);
  private grads = new Float32Array(0);
  private slots = new Float32Array(0);
  private opt: OptimizerConfig | null = null;
  private optState: OptimizerState = newOptimizerState();
  private lr: LearningRate | null = null;
  private segments: Segment[] = [];
  private data: DataSet | null = null;
  private readonly metrics = new Float64Array(MAX_METRIC_SLOTS);

  constructor(private readonly ops: CpuOps = fastOps()) {
    const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
    this.description = `CPU (JavaScript${cores ? `, ${cores} cores available` : ''})`;
  }

  async init(layout: ParamLayout, params: Float32Array, optimizer: OptimizerConfig): Promise<void> {
    if (params.length !== layout.size) throw new Error(`init: ${params.length} parameters for a layout of ${layout.size}`);
    this.params = params.slice();
    this.grads = new Float32Array(layout.size);
    this.opt = optimizer;
    this.slots = new Float32Array(optimizerSlotCount(optimizer) * layout.size).fill(optimizerSlotInit(optimizer));
    this.optState = newOptimizerState();
    this.lr = new LearningRate(optimizer);
    this.segments = trainableSegments(layout);
  }

  async attach(data: DataSet): Promise<void> {
    this.data = data;
  }

  async compile(program: Program): Promise<CompiledStep> {
    const mem = this.allocate(program.values);
    return {
      program,
      run: (indices: Uint32Array) => this.runProgram(program, mem, indices),
      readOutputs: async () => program.outputs.map((id) => (mem[id] as Float32Array).slice()),
      dispose: () => {},
    };
  }

  private allocate(values: Value[]): Memory {
    const mem: Memory = [];
    for (const v of values) {
      const size = v.shape.reduce((a, b) => a * b, 1);
      if (v.kind === 'param' || v.kind === 'paramGrad') {
        mem[v.id] = (v.kind === 'param' ? this.params : this.grads).subarray(v.offset!, v.offset! + size);
      } else if (v.storage !== v.id) {
        mem[v.id] = mem[v.storage];
      } else {
        mem[v.id] = v.dtype === 'uint32' ? new Uint32Array(size) : new Float32Array(size);
      }
    }
    return mem;
  }

  private runProgram(program: Program, mem: Memory, indices: Uint32Array): void {
    if (!this.data) throw new Error('run: no data attached');
    if (indices.length !== program.batch) throw new Error(`run: ${indices.length} indices for a program of batch ${program.batch}`);
    const fill = (ids: number[], tensors: HostTensor[]) =>
      ids.forEach((id, k) => {
        const out = mem[id];
        const width = out.length / program.batch;
        indices.forEach((row, b) => gatherRow(tensors[k], row, out, b * width));
      });
    fill(program.inputs, this.data.inputs);
    fill(program.targets, this.data.targets);
    // Param views must follow init(), which may have replaced the packed arrays.
    for (const v of program.values) {
      if (v.kind === 'param' || v.kind === 'paramGrad') {
        const size = v.shape.reduce((a, b) => a * b, 1);
        mem[v.id] = (v.kind === 'param' ? this.params : this.grads).subarray(v.offset!, v.offset! + size);
      }
    }
    const ctx: RunContext = { ops: this.ops, metrics: this.metrics, step: this.optState.iterations };
    for (const ins of program.instrs) runInstr(ins, mem, ctx);
    this.metrics[program.metrics.samplesSlot] += program.batch;
    if (!program.update) return;
    this.update();
    for (const c of program.constraints) applyConstraint(this.params.subarray(c.offset, c.offset + c.shape.reduce((a, d) => a * d, 1)), c);
  }

  private update(): void {
    const c = this.opt;
    if (!c || !this.lr) throw new Error('update: engine not initialized');
    const lr = this.lr.at(this.optState.iterations);
    applyOptimizer(this.params, this.grads, this.slots, this.optState, c, lr, this.segments);
  }

  getLearningRate(): number {
    if (!this.lr) throw new Error('getLearningRate: engine not initialized');
    return this.lr.at(this.optState.iterations);
  }

  setLearningRate(lr: number): void {
    if (!this.lr) throw new Error('setLearningRate: engine not initialized');
    this.lr.set(lr);
  }

  async readParams(): Promise<Float32Array> {
    return this.params.slice();
  }

  async readGrads(): Promise<Float32Array> {
    return this.grads.slice();
  }

  writeParams(params: Float32Array): void {
    if (params.length !== this.params.length) throw new Error(`writeParams: ${params.length} values for ${this.params.length}`);
    this.params.set(params);
  }

  async readState(): Promise<EngineState> {
    const s = this.optState;
    return { params: this.params.slice(), slots: this.slots.slice(), counters: Float64Array.of(s.iterations, s.beta1Power, s.beta2Power, s.alpha) };
  }

  writeState(state: EngineState): void {
    this.writeParams(state.params);
    this.slots.set(state.slots);
    const [iterations, beta1Power, beta2Power, alpha] = state.counters;
    this.optState = { iterations, beta1Power, beta2Power, alpha };
  }

  resetMetrics(): void {
    this.metrics.fill(0);
  }

  async readMetrics(): Promise<Float64Array> {
    return this.metrics.slice();
  }

  memory() {
    return { buffers: 0, bytes: 0 };
  }

  dispose(): void {
    this.data = null;
  }
}
