// The backward rule of every forward op, in one table (a missing one is a compile error). A rule
// gets its own forward instruction (everything it needs from forward sits there: the argmax of a
// max pool, a dropout's seed, a conv's geometry) and the gradient of the value it wrote, and emits
// backward instructions and gradient contributions to its inputs and trainable weights.
import { gradFromInput, type ElementwiseActivation } from '../../ops/activations';
import { pad2dAdjoint } from '../../ops/reference/pad2d';
import { inversePerm } from '../../ops/reference/transpose';
import { geometry2D } from '../../ops/shapes';
import type { Instr, ValueId } from './program';
import type { Origin, TapeInstr } from './planBuilder';
import { NORMALIZE_RULE } from './normalizeGrad';

export type ForwardOp =
  | 'dense' | 'conv2d' | 'maxPool' | 'avgPool' | 'dropout' | 'activate' | 'softmax' | 'copyColumns' | 'add' | 'reshape' | 'movingAverage' | 'scale'
  | 'transpose' | 'pad2d' | 'upsample2d' | 'merge' | 'noise'
  | 'paramActivate' | 'prelu'
  | 'groupConv2d' | 'conv2dTranspose' | 'embedding'
  | 'moments' | 'normalize' | 'normalizeConstant';
export type TapeOf<K extends ForwardOp> = Extract<TapeInstr, { op: K }>;

/** What a rule may do: read shapes, ask which values need gradients, emit, and contribute gradients. */
export interface GradContext {
  readonly origin: Origin;
  needsGrad(v: ValueId): boolean;
  shapeOf(v: ValueId): number[];
  /** A new gradient value labelled "d <layer> <role>". */
  grad(shape: number[], role: string): ValueId;
  /** A view of `of` with another shape, labelled "d <layer> <role>". */
  alias(of: ValueId, shape: number[], role: string): ValueId;
  emit(ins: Instr): void;
  /** Adds a contribution to the gradient of forward value x (summed over its consumers). */
  addGrad(x: ValueId, dx: ValueId): void;
  /** A new value for this call's gradient of a trainable weight (summed over the layer's calls). */
  weightGrad(param: ValueId): ValueId;
}

export interface GradRule<K extends ForwardOp> {
  /** The value whose gradient the rule takes (null: none flows through this op). */
  out(ins: TapeOf<K>): ValueId | null;
  grad(ins: TapeOf<K>, dy: ValueId, g: GradContext): void;
}

/** dZ = dY * act'(Y) for a fused activation; dY itself for linear. */
function preActivation(g: GradContext, dy: ValueId, y: ValueId, act: ElementwiseActivation): ValueId {
  if (act === 'linear') return dy;
  const dz = g.grad([...g.shapeOf(y)], 'pre-activation');
  g.emit({ op: 'activationGrad', dy, y, dx: dz, kind: act });
  return dz;
}

export function softmaxError(where: string): Error {
  return new Error(
    `${where}: the probabilities of its softmax, fused with the cross-entropy loss, got a gradient from another layer (the fusion pass keeps such a softmax unfused; this is a bug).`,
  );
}

export const GRAD_RULES: { [K in ForwardOp]: GradRule<K> } = {
  dense: {
    out: (i) => i.y,
    grad: (i, dy, g) => {
      const dz = preActivation(g, dy, i.y, i.activation);
      if (g.needsGrad(i.w)) g.emit({ op: 'matmul', a: i.x, b: dz, c: g.weightGrad(i.w), m: i.inF, n: i.outF, k: i.rows, transA: true, transB: false });
      if (i.b !== null && g.needsGrad(i.b)) g.emit({ op: 'biasGrad', dy: dz, db: g.weightGrad(i.b), cols: i.outF });
      if (!g.needsGrad(i.x)) return;
      const dx = g.grad([...g.shapeOf(i.x)], 'input');
      g.emit({ op: 'matmul', a: dz, b: i.w, c: dx, m: i.rows, n: i.inF, k: i.outF, transA: false, transB: true });
      g.addGrad(i.x, dx);
    },
  },
  conv2d: {
    out: (i) => i.y,
    grad: (i, dy, g) => {
      const dz = preActivation(g, dy, i.y, i.activation);
      const { xShape, kShape, geom } = i;
      if (g.needsGrad(i.w)) g.emit({ op: 'conv2dGradFilter', x: i.x, dy: dz, dw: g.weightGrad(i.w), xShape, kShape, geom });
      if (i.b !== null && g.needsGrad(i.b)) g.emit({ op: 'biasGrad', dy: dz, db: g.weightGrad(i.b), cols: kShape[3] });
      if (!g.needsGrad(i.x)) return;
      const dx = g.grad([...xShape], 'input');
      g.emit({ op: 'conv2dGradInput', dy: dz, w: i.w, dx, xShape, kShape, geom });
      g.addGrad(i.x, dx);
    },
  },
  maxPool: {
    out: (i) => i.y,
    grad: (i, dy, g) => {
      if (!g.needsGrad(i.x)) return;
      const dx = g.grad([...i.xShape], 'input');
      // Every pool keeps its argmax until the program is finished (backwardFusion.ts drops unread ones).
      g.emit({ op: 'maxPoolGrad', dy, argmax: i.argmax!, dx, xShape: i.xShape, geom: i.geom });
      g.addGrad(i.x, dx);
    },
  },
  avgPool: {
    out: (i) => i.y,
    grad: (i, dy, g) => {
      if (!g.needsGrad(i.x)) return;
      const dx = g.grad([...i.xShape], 'input');
      g.emit({ op: 'avgPoolGrad', dy, dx, xShape: i.xShape, geom: i.geom });
      g.addGrad(i.x, dx);
    },
  },
  dropout: {
    out: (i) => i.y,
    grad: (i, dy, g) => {
      if (!g.needsGrad(i.x)) return;
      const dx = g.grad([...g.shapeOf(i.x)], 'input');
      g.emit({ op: 'dropoutGrad', dy, dx, rate: i.rate, seed: i.seed });
      g.addGrad(i.x, dx);
    },
  },
  activate: {
    out: (i) => i.y,
    grad: (i, dy, g) => {
      // gelu and silu differentiate from their input (activationGrad's y operand then holds x).
      if (g.needsGrad(i.x)) g.addGrad(i.x, preActivation(g, dy, gradFromInput(i.kind) ? i.x : i.y, i.kind));
    },
  },
  softmax: {
    out: (i) => i.y,
    // Where it is not fused with a cross-entropy loss (fusion.ts): its output feeds other layers or another loss.
    grad: (i, dy, g) => {
      if (!g.needsGrad(i.x)) return;
      const dx = g.grad([...g.shapeOf(i.x)], 'logits');
      g.emit({ op: 'softmaxGrad', dy, y: i.y, dx, rows: i.rows, cols: i.cols });
      g.addGrad(i.x, dx);
    },
  },
  copyColumns: {
    out: (i) => i.dst,
    grad: (i, dy, g) => {
      if (!g.needsGrad(i.src)) return;
      if (i.srcCol !== 0 || i.width !== i.srcRow) throw new Error(`${g.origin.where}: the gradient of a column copy needs the whole source row`);
      const dx = g.grad([...g.shapeOf(i.src)], 'input');
      g.emit({ op: 'copyColumns', src: dy, dst: dx, rows: i.rows, width: i.width, srcRow: i.dstRow, srcCol: i.dstCol, dstRow: i.srcRow, dstCol: i.srcCol });
      g.addGrad(i.src, dx);
    },
  },
  add: {
    out: (i) => i.y,
    grad: (i, dy, g) => {
      if (g.needsGrad(i.a)) g.addGrad(i.a, dy);
      if (g.needsGrad(i.b)) g.addGrad(i.b, dy);
    },
  },
  reshape: {
    out: (i) => i.y,
    grad: (i, dy, g) => {
      if (!g.needsGrad(i.x)) return;
      const shape = g.shapeOf(i.x);
      const same = shape.length === g.shapeOf(dy).length && shape.every((d, k) => d === g.shapeOf(dy)[k]);
      g.addGrad(i.x, same ? dy : g.alias(dy, [...shape], 'input'));
    },
  },
  // dx = dy * scale (the offset is a constant).
  scale: {
    out: (i) => i.y,
    grad: (i, dy, g) => {
      if (!g.needsGrad(i.x)) return;
      const dx = g.grad([...g.shapeOf(i.x)], 'input');
      g.emit({ op: 'scale', x: dy, y: dx, scale: i.scale, offset: 0 });
      g.addGrad(i.x, dx);
    },
  },
  // Writes non-trainable state: no gradient flows back through it.
  movingAverage: {
    out: () => null,
    grad: () => {},
  },
  // dx = dy with the inverse permutation.
  transpose: {
    out: (i) => i.y,
    grad: (i, dy, g) => {
      if (!g.needsGrad(i.x)) return;
      const dx = g.grad([...i.xShape], 'input');
      g.emit({ op: 'transpose', x: dy, y: dx, xShape: [...g.shapeOf(dy)], perm: inversePerm(i.perm) });
      g.addGrad(i.x, dx);
    },
  },
  // dx = dy shifted back (padding's gradient crops, cropping's pads with zeros).
  pad2d: {
    out: (i) => i.y,
    grad: (i, dy, g) => {
      if (!g.needsGrad(i.x)) return;
      const dx = g.grad([...i.pad.xShape], 'input');
      g.emit({ op: 'pad2d', x: dy, y: dx, pad: pad2dAdjoint(i.pad) });
      g.addGrad(i.x, dx);
    },
  },
  // dx = the sum of each sizeH x sizeW block of dy: its average pool times the block's area.
  upsample2d: {
    out: (i) => i.y,
    grad: (i, dy, g) => {
      if (!g.needsGrad(i.x)) return;
      const geom = geometry2D(g.shapeOf(dy), { kernel: i.size, strides: i.size, padding: 'valid' });
      const mean = g.grad([...i.xShape], 'block mean');
      g.emit({ op: 'avgPool', x: dy, y: mean, xShape: [...g.shapeOf(dy)], geom });
      const dx = g.grad([...i.xShape], 'input');
      g.emit({ op: 'scale', x: mean, y: dx, scale: i.size[0] * i.size[1], offset: 0 });
      g.addGrad(i.x, dx);
    },
  },
  // subtract: da = dy, db = -dy; multiply: da = dy * b, db = dy * a; maximum/minimum: dy to the
  // winner, split evenly on ties (mergeGrad).
  merge: {
    out: (i) => i.y,
    grad: (i, dy, g) => {
      const sides: [ValueId, ValueId, string][] = [[i.a, i.b, 'first input'], [i.b, i.a, 'second input']];
      sides.forEach(([x, other, role], side) => {
        if (!g.needsGrad(x)) return;
        if (i.kind === 'subtract' && side === 0) return g.addGrad(x, dy);
        const dx = g.grad([...g.shapeOf(x)], role);
        if (i.kind === 'subtract') g.emit({ op: 'scale', x: dy, y: dx, scale: -1, offset: 0 });
        else if (i.kind === 'multiply') g.emit({ op: 'merge', a: dy, b: other, y: dx, kind: 'multiply' });
        else g.emit({ op: 'mergeGrad', dy, a: x, b: other, dx, kind: i.kind });
        g.addGrad(x, dx);
      });
    },
  },
  // Additive noise passes dy through; multiplicative noise multiplies dy by the same draws.
  noise: {
    out: (i) => i.y,
    grad: (i, dy, g) => {
      if (!g.needsGrad(i.x)) return;
      if (i.kind === 'gaussianNoise') return g.addGrad(i.x, dy);
      const dx = g.grad([...g.shapeOf(i.x)], 'input');
      g.emit({ ...i, x: dy, y: dx });
      g.addGrad(i.x, dx);
    },
  },
  // dx = dy * f'(x), from the input.
  paramActivate: {
    out: (i) => i.y,
    grad: (i, dy, g) => {
      if (!g.needsGrad(i.x)) return;
      const dx = g.grad([...g.shapeOf(i.x)], 'input');
      g.emit({ op: 'paramActivationGrad', dy, x: i.x, dx, p: i.p });
      g.addGrad(i.x, dx);
    },
  },
  // dalpha = sum over the batch and shared axes of dy * x where x <= 0; dx = dy * (x > 0 ? 1 : alpha).
  prelu: {
    out: (i) => i.y,
    grad: (i, dy, g) => {
      if (g.needsGrad(i.alpha)) g.emit({ op: 'preluGradAlpha', dy, x: i.x, dalpha: g.weightGrad(i.alpha), geom: i.geom });
      if (!g.needsGrad(i.x)) return;
      const dx = g.grad([...g.shapeOf(i.x)], 'input');
      g.emit({ op: 'preluGradInput', dy, x: i.x, alpha: i.alpha, dx, geom: i.geom });
      g.addGrad(i.x, dx);
    },
  },
  groupConv2d: {
    out: (i) => i.y,
    grad: (i, dy, g) => {
      const { xShape, kShape, geom } = i;
      if (g.needsGrad(i.w)) g.emit({ op: 'groupConv2dGradFilter', x: i.x, dy, dw: g.weightGrad(i.w), xShape, kShape, geom });
      if (i.b !== null && g.needsGrad(i.b)) g.emit({ op: 'biasGrad', dy, db: g.weightGrad(i.b), cols: kShape[3] });
      if (!g.needsGrad(i.x)) return;
      const dx = g.grad([...xShape], 'input');
      g.emit({ op: 'groupConv2dGradInput', dy, w: i.w, dx, xShape, kShape, geom });
      g.addGrad(i.x, dx);
    },
  },
  // y is the input side of the conv `geom` describes and x its output side: the transposed conv's
  // input gradient is that conv, its kernel gradient the conv's with the roles of x and y swapped.
  conv2dTranspose: {
    out: (i) => i.y,
    grad: (i, dy, g) => {
      const { yShape, kShape, geom } = i;
      if (g.needsGrad(i.w)) g.emit({ op: 'conv2dGradFilter', x: dy, dy: i.x, dw: g.weightGrad(i.w), xShape: yShape, kShape, geom });
      if (i.b !== null && g.needsGrad(i.b)) g.emit({ op: 'biasGrad', dy, db: g.weightGrad(i.b), cols: kShape[2] });
      if (!g.needsGrad(i.x)) return;
      const dx = g.grad([...g.shapeOf(i.x)], 'input');
      g.emit({ op: 'conv2d', x: dy, w: i.w, b: null, y: dx, xShape: yShape, kShape, geom, activation: 'linear' });
      g.addGrad(i.x, dx);
    },
  },
  // Integer ids take no gradient; the table's rows sum the gradients of the rows they were read into.
  embedding: {
    out: (i) => i.y,
    grad: (i, dy, g) => {
      if (g.needsGrad(i.w)) g.emit({ op: 'embeddingGrad', ids: i.ids, dy, dw: g.weightGrad(i.w), rows: i.rows, dim: i.dim, vocab: i.vocab });
    },
  },
  // Batch statistics feed only a normalize with batchStats, whose rule differentiates through them.
  moments: {
    out: () => null,
    grad: () => {},
  },
  normalize: NORMALIZE_RULE,
  // dx = dy / max(sqrt(variance), epsilon): the same op on dy with a zero mean.
  normalizeConstant: {
    out: (i) => i.y,
    grad: (i, dy, g) => {
      if (!g.needsGrad(i.x)) return;
      const dx = g.grad([...g.shapeOf(i.x)], 'input');
      g.emit({ op: 'normalizeConstant', x: dy, y: dx, mean: i.mean.map(() => 0), variance: i.variance, epsilon: i.epsilon });
      g.addGrad(i.x, dx);
    },
  },
};
