// The instruction set an engine runs: one training or inference step of a model at one batch
// size, as plain data. Built once per model and batch size (plan.ts), then compiled by each
// engine (the WebGPU one prepares every dispatch once and replays them; the CPU one calls
// typed-array functions). Every value has a fixed shape, so memory is planned up front.
import type { ElementwiseActivation } from '../../ops/activations';
import type { ConstraintParams } from '../../ops/reference/constraint';
import type { ParamActivation } from '../../ops/reference/paramActivation';
import type { PreluGeometry } from '../../ops/reference/prelu';
import type { LossKind, LossOptions, MetricKind } from '../../ops/losses';
import type { Geometry2D } from '../../ops/shapes';
import type { Pad2D } from '../../ops/reference/pad2d';
import type { MergeKind, WinnerKind } from '../../ops/reference/merge';
import type { NoiseKind } from '../../ops/reference/noise';
import type { ConvGeometry } from '../../ops/convGeometry';

export type ValueId = number;

export type ValueKind =
  | 'input' // a batch of a model input
  | 'target' // a batch of one output's targets (uint32 labels or float targets)
  | 'param' // a view into the packed weights
  | 'paramGrad' // a view into the packed weight gradients
  | 'activation' // a forward result
  | 'grad' // a gradient of a forward result
  | 'aux'; // kept from forward for backward (max-pool argmax)

export interface Value {
  id: ValueId;
  kind: ValueKind;
  shape: number[];
  dtype: 'float32' | 'uint32';
  /** The value whose memory this one shares (Flatten, inference Dropout, Add's gradient); itself when it owns memory. */
  storage: ValueId;
  /** For params and their gradients: element offset into the packed buffer. */
  offset?: number;
  label: string;
}

export type { LossKind };

/** One instruction. Dims are explicit so engines never re-derive shapes. */
export type Instr =
  // forward
  | { op: 'dense'; x: ValueId; w: ValueId; b: ValueId | null; y: ValueId; rows: number; inF: number; outF: number; activation: ElementwiseActivation }
  | { op: 'conv2d'; x: ValueId; w: ValueId; b: ValueId | null; y: ValueId; xShape: number[]; kShape: number[]; geom: Geometry2D; activation: ElementwiseActivation }
  // argmax: null where no backward reads it (inference, or a pool of the inputs).
  // conv2d then a 2x2 stride-2 valid max pool in one kernel (inference on the GPU: gpuFusion.ts); y is pooled.
  | { op: 'conv2dMaxPool'; x: ValueId; w: ValueId; b: ValueId | null; y: ValueId; xShape: number[]; kShape: number[]; geom: Geometry2D; pool: Geometry2D; activation: ElementwiseActivation }
  | { op: 'maxPool'; x: ValueId; y: ValueId; argmax: ValueId | null; xShape: number[]; geom: Geometry2D }
  | { op: 'avgPool'; x: ValueId; y: ValueId; xShape: number[]; geom: Geometry2D }
  | { op: 'dropout'; x: ValueId; y: ValueId; rate: number; seed: number }
  | { op: 'activate'; x: ValueId; y: ValueId; kind: ElementwiseActivation }
  | { op: 'softmax'; x: ValueId; y: ValueId; rows: number; cols: number }
  | { op: 'copyColumns'; src: ValueId; dst: ValueId; rows: number; width: number; srcRow: number; srcCol: number; dstRow: number; dstCol: number }
  | { op: 'add'; a: ValueId; b: ValueId; y: ValueId }
  // state update of a training step: state = momentum * state + (1 - momentum) * x, into a non-trainable weight
  | { op: 'movingAverage'; x: ValueId; state: ValueId; momentum: number }
  | { op: 'scale'; x: ValueId; y: ValueId; scale: number; offset: number }
  // losses: per-output mean loss into metrics[lossSlot] (+=), gradient (already scaled by weight / batch)
  | {
      op: 'loss';
      kind: LossKind;
      /** Logits when `fusedSoftmax`, else the output itself. */
      y: ValueId;
      target: ValueId;
      /** Probabilities written by a fused softmax (the model output), else null. */
      probs: ValueId | null;
      dy: ValueId | null;
      fusedSoftmax: boolean;
      rows: number;
      cols: number;
      weight: number;
      lossSlot: number;
      /** Keras's from_logits, label_smoothing, delta; defaults when absent. */
      options?: LossOptions;
    }
  // a regularizer's penalty p = (l1 sum|x| + l2 sum x^2) / divide: metrics[slot] += batch * p (so the
  // logged loss, a mean over samples, gains p), and dp/dx into dx (a weight's or an output's gradient)
  | { op: 'penalty'; x: ValueId; dx: ValueId | null; l1: number; l2: number; divide: number; batch: number; slot: number }
  // sparse categorical accuracy: rows whose first argmax equals the label
  | { op: 'accuracy'; y: ValueId; target: ValueId; rows: number; cols: number; slot: number }
  // backward
  | { op: 'matmul'; a: ValueId; b: ValueId; c: ValueId; m: number; n: number; k: number; transA: boolean; transB: boolean }
  // y: the activation's output, or its input x for the kinds where gradFromInput (gelu, silu)
  | { op: 'activationGrad'; dy: ValueId; y: ValueId; dx: ValueId; kind: ElementwiseActivation }
  | { op: 'biasGrad'; dy: ValueId; db: ValueId; cols: number }
  | { op: 'conv2dGradInput'; dy: ValueId; w: ValueId; dx: ValueId; xShape: number[]; kShape: number[]; geom: Geometry2D }
  | { op: 'conv2dGradFilter'; x: ValueId; dy: ValueId; dw: ValueId; xShape: number[]; kShape: number[]; geom: Geometry2D }
  | { op: 'maxPoolGrad'; dy: ValueId; argmax: ValueId; dx: ValueId; xShape: number[]; geom: Geometry2D }
  | { op: 'avgPoolGrad'; dy: ValueId; dx: ValueId; xShape: number[]; geom: Geometry2D }
  | { op: 'dropoutGrad'; dy: ValueId; dx: ValueId; rate: number; seed: number }
  // shape and merge layers (Permute, ZeroPadding2D/Cropping2D, UpSampling2D, Subtract/Multiply/Maximum/Minimum)
  | { op: 'transpose'; x: ValueId; y: ValueId; xShape: number[]; perm: number[] }
  | { op: 'pad2d'; x: ValueId; y: ValueId; pad: Pad2D }
  | { op: 'upsample2d'; x: ValueId; y: ValueId; xShape: number[]; size: [number, number] }
  | { op: 'merge'; a: ValueId; b: ValueId; y: ValueId; kind: MergeKind }
  | { op: 'mergeGrad'; dy: ValueId; a: ValueId; b: ValueId; dx: ValueId; kind: WinnerKind }
  // training-time noise (SpatialDropout2D, GaussianDropout, GaussianNoise), seeded like dropout
  | { op: 'noise'; x: ValueId; y: ValueId; kind: NoiseKind; amount: number; seed: number; channels: number; perSample: number }
  // softmax over the last axis, from its output: dx = y * (dy - sum(dy * y)) per row
  | { op: 'softmaxGrad'; dy: ValueId; y: ValueId; dx: ValueId; rows: number; cols: number }
  // ReLU/LeakyReLU (negative slope, max value, threshold) and ELU (alpha) layers; backward from the input x
  | { op: 'paramActivate'; x: ValueId; y: ValueId; p: ParamActivation }
  | { op: 'paramActivationGrad'; dy: ValueId; x: ValueId; dx: ValueId; p: ParamActivation }
  // PReLU: y = x > 0 ? x : alpha * x, alpha broadcast over the batch and shared axes; gradients for x and alpha
  | { op: 'prelu'; x: ValueId; alpha: ValueId; y: ValueId; geom: PreluGeometry }
  | { op: 'preluGradInput'; dy: ValueId; x: ValueId; alpha: ValueId; dx: ValueId; geom: PreluGeometry }
  | { op: 'preluGradAlpha'; dy: ValueId; x: ValueId; dalpha: ValueId; geom: PreluGeometry }
  // convolution variants: grouped/dilated conv (plain ones run conv2d), transposed conv (y is the conv's input side), embedding
  | { op: 'groupConv2d'; x: ValueId; w: ValueId; b: ValueId | null; y: ValueId; xShape: number[]; kShape: number[]; geom: ConvGeometry }
  | { op: 'groupConv2dGradInput'; dy: ValueId; w: ValueId; dx: ValueId; xShape: number[]; kShape: number[]; geom: ConvGeometry }
  | { op: 'groupConv2dGradFilter'; x: ValueId; dy: ValueId; dw: ValueId; xShape: number[]; kShape: number[]; geom: ConvGeometry }
  | { op: 'conv2dTranspose'; x: ValueId; w: ValueId; b: ValueId | null; y: ValueId; yShape: number[]; kShape: number[]; geom: Geometry2D }
  | { op: 'embedding'; ids: ValueId; w: ValueId; y: ValueId; rows: number; dim: number; vocab: number }
  | { op: 'embeddingGrad'; ids: ValueId; dy: ValueId; dw: ValueId; rows: number; dim: number; vocab: number }
  // batch normalization (x viewed as [rows, channels]): per-channel mean and biased variance of x
  | { op: 'moments'; x: ValueId; mean: ValueId; variance: ValueId; channels: number }
  // y = (x - mean) * inverseStd(variance) * gamma + beta; batchStats: mean/variance are x's moments (the gradient flows through them)
  | { op: 'normalize'; x: ValueId; y: ValueId; mean: ValueId; variance: ValueId; gamma: ValueId | null; beta: ValueId | null; channels: number; epsilon: number; floor: boolean; batchStats: boolean }
  // sums [2, channels]: sum of dy and of dy * xhat per channel (dbeta, dgamma)
  | { op: 'normalizeGradSums'; dy: ValueId; x: ValueId; mean: ValueId; variance: ValueId; sums: ValueId; channels: number; epsilon: number; floor: boolean }
  // dx of normalize; with sums, through the batch statistics too
  | { op: 'normalizeGradInput'; dy: ValueId; x: ValueId; mean: ValueId; variance: ValueId; gamma: ValueId | null; sums: ValueId | null; dx: ValueId; channels: number; epsilon: number; floor: boolean }
  // y = (x - mean[c]) / max(sqrt(variance[c]), epsilon), the statistics constants of the program (Normalization with given mean and variance)
  | { op: 'normalizeConstant'; x: ValueId; y: ValueId; mean: number[]; variance: number[]; epsilon: number }
  // a metric other than sparse accuracy: metrics[slot] += sum over rows of its per-row value
  | { op: 'metric'; kind: MetricKind; y: ValueId; target: ValueId; rows: number; cols: number; slot: number };

export type OpName = Instr['op'];
export type InstrOf<K extends OpName> = Extract<Instr, { op: K }>;

/** The fields of each instruction that name values; a missing op is a compile error. */
export const VALUE_FIELDS: { [K in OpName]: readonly (keyof InstrOf<K>)[] } = {
  dense: ['x', 'w', 'b', 'y'],
  conv2d: ['x', 'w', 'b', 'y'],
  conv2dMaxPool: ['x', 'w', 'b', 'y'],
  maxPool: ['x', 'y', 'argmax'],
  avgPool: ['x', 'y'],
  dropout: ['x', 'y'],
  activate: ['x', 'y'],
  softmax: ['x', 'y'],
  copyColumns: ['src', 'dst'],
  add: ['a', 'b', 'y'],
  movingAverage: ['x', 'state'],
  scale: ['x', 'y'],
  loss: ['y', 'target', 'probs', 'dy'],
  penalty: ['x', 'dx'],
  accuracy: ['y', 'target'],
  matmul: ['a', 'b', 'c'],
  activationGrad: ['dy', 'y', 'dx'],
  biasGrad: ['dy', 'db'],
  conv2dGradInput: ['dy', 'w', 'dx'],
  conv2dGradFilter: ['x', 'dy', 'dw'],
  maxPoolGrad: ['dy', 'argmax', 'dx'],
  avgPoolGrad: ['dy', 'dx'],
  dropoutGrad: ['dy', 'dx'],
  transpose: ['x', 'y'],
  pad2d: ['x', 'y'],
  upsample2d: ['x', 'y'],
  merge: ['a', 'b', 'y'],
  mergeGrad: ['dy', 'a', 'b', 'dx'],
  noise: ['x', 'y'],
  softmaxGrad: ['dy', 'y', 'dx'],
  paramActivate: ['x', 'y'],
  paramActivationGrad: ['dy', 'x', 'dx'],
  prelu: ['x', 'alpha', 'y'],
  preluGradInput: ['dy', 'x', 'alpha', 'dx'],
  preluGradAlpha: ['dy', 'x', 'dalpha'],
  groupConv2d: ['x', 'w', 'b', 'y'],
  groupConv2dGradInput: ['dy', 'w', 'dx'],
  groupConv2dGradFilter: ['x', 'dy', 'dw'],
  conv2dTranspose: ['x', 'w', 'b', 'y'],
  embedding: ['ids', 'w', 'y'],
  embeddingGrad: ['ids', 'dy', 'dw'],
  moments: ['x', 'mean', 'variance'],
  normalize: ['x', 'y', 'mean', 'variance', 'gamma', 'beta'],
  normalizeGradSums: ['dy', 'x', 'mean', 'variance', 'sums'],
  normalizeGradInput: ['dy', 'x', 'mean', 'variance', 'gamma', 'sums', 'dx'],
  normalizeConstant: ['x', 'y'],
  metric: ['y', 'target'],
};

/** The value ids an instruction names (null fields left out). */
export function valuesOf(ins: Instr): ValueId[] {
  const fields = VALUE_FIELDS[ins.op] as readonly string[];
  const record = ins as unknown as Record<string, ValueId | null>;
  return fields.map((f) => record[f]).filter((v): v is ValueId => v !== null);
}

/** Metric accumulator slots: each output's summed loss and metrics, and the sample count. */
export interface MetricSlots {
  /** Per output, in model output order; each metric by its name in the logs ('accuracy', 'mae', ...). */
  outputs: { name: string; lossSlot: number; metrics: { name: string; slot: number }[]; rowsPerSample: number }[];
  samplesSlot: number;
  /** The summed penalties of the regularizers (part of the logged loss), or null without any. */
  regularizationSlot: number | null;
  count: number;
}

/** A weight's constraint, applied after each update to the packed weights at `offset`. */
export interface WeightConstraint extends ConstraintParams {
  label: string;
  offset: number;
}

export interface Program {
  batch: number;
  training: boolean;
  /** Training programs apply the optimizer after backward unless this is false (gradient checks). */
  update: boolean;
  values: Value[];
  instrs: Instr[];
  inputs: ValueId[];
  /** Model outputs (probabilities for a fused softmax output). */
  outputs: ValueId[];
  targets: ValueId[];
  metrics: MetricSlots;
  /** Applied after the optimizer's update (training programs that update). */
  constraints: WeightConstraint[];
}

/** Where each weight sits in the packed parameter buffer (the same layout for gradients and optimizer state). */
export interface ParamLayout {
  entries: { layer: string; weight: string; index: number; shape: number[]; offset: number; size: number; trainable: boolean }[];
  /** Total elements, each entry aligned to 64 elements (256 bytes, WebGPU's binding alignment). */
  size: number;
}
