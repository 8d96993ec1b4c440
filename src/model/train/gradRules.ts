// The backward rule of every forward op, in one table (a missing one is a compile error). A rule
// gets its own forward instruction (everything it needs from forward sits there: the argmax of a
// max pool, a dropout's seed, a conv's geometry) and the gradient of the value it wrote, and emits
// backward instructions and gradient contributions to its inputs and trainable weights.
import type { ElementwiseActivation } from '../../ops/activations';
import type { Instr, ValueId } from './program';
import type { Origin, TapeInstr } from './planBuilder';

export type ForwardOp = 'dense' | 'conv2d' | 'maxPool' | 'avgPool' | 'dropout' | 'activate' | 'softmax' | 'copyColumns' | 'add' | 'reshape' | 'movingAverage' | 'scale' | 'moments' | 'normalize' | 'normalizeConstant';
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

import { NORMALIZE_RULE } from './normalizeGrad';

export function softmaxError(where: string): Error {
  return new Error(
    `${where}: its softmax output feeds other layers or a non-cross-entropy loss; the executor differentiates softmax only fused with a cross-entropy loss. Use activation 'linear' here and apply softmax at the output.`,
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
      g.emit({ op: 'maxPoolGrad', dy, argmax: i.argmax, dx, xShape: i.xShape, geom: i.geom });
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
      if (g.needsGrad(i.x)) g.addGrad(i.x, preActivation(g, dy, i.y, i.kind));
    },
  },
  softmax: {
    out: (i) => i.y,
    grad: (_i, _dy, g) => {
      throw softmaxError(g.origin.where);
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
