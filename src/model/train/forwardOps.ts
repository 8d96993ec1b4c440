// The op builder a lowering writes one layer call with: each method appends forward instructions
// to the tape and returns the value it produced. Shapes, dims and window geometry are derived here
// once; a produced value needs a gradient when any value it is computed from does.
import type { ActivationName } from '../../ops/activations';
import { geometry2D, type Window2D } from '../../ops/shapes';
import type { ValueId, ValueKind } from './program';
import { product, type Builder, type Origin, type TapeInstr } from './planBuilder';

export class OpBuilder {
  constructor(
    private readonly b: Builder,
    readonly origin: Origin,
  ) {}

  shapeOf(v: ValueId): number[] {
    return this.b.shapeOf(v);
  }

  /** A new value labelled with the layer's name (and `role`), needing a gradient when any of `from` does. */
  private produce(shape: number[], from: (ValueId | null)[], role?: string, kind: ValueKind = 'activation'): ValueId {
    const id = this.b.value(kind, shape, role === undefined ? this.origin.name : `${this.origin.name} ${role}`);
    if (from.some((v) => v !== null && this.b.needsGrad.has(v))) this.b.needsGrad.add(id);
    return id;
  }

  private emit(ins: TapeInstr): void {
    this.b.emit(ins, this.origin);
  }

  /** y [..., outF] = x [..., inF] @ w [inF, outF] + b [outF]; the activation is linear until a fusion pass folds one in. */
  dense(x: ValueId, w: ValueId, b: ValueId | null, role?: string): ValueId {
    const xShape = this.shapeOf(x);
    const inF = xShape[xShape.length - 1];
    const outF = this.shapeOf(w)[1];
    const y = this.produce([...xShape.slice(0, -1), outF], [x, w, b], role);
    this.emit({ op: 'dense', x, w, b, y, rows: product(xShape) / inF, inF, outF, activation: 'linear' });
    return y;
  }

  /** y [N, outH, outW, outC] = conv(x [N, H, W, inC], w [kH, kW, inC, outC]) + b [outC]. */
  conv2d(x: ValueId, w: ValueId, b: ValueId | null, window: Window2D, role?: string): ValueId {
    const xShape = this.shapeOf(x);
    const kShape = [...this.shapeOf(w)];
    const geom = geometry2D(xShape, window);
    const y = this.produce([geom.batch, geom.outH, geom.outW, kShape[3]], [x, w, b], role);
    this.emit({ op: 'conv2d', x, w, b, y, xShape, kShape, geom, activation: 'linear' });
    return y;
  }

  /** y [N, outH, outW, C]: each window's maximum; its argmax (flat index into x) is kept for backward. */
  maxPool(x: ValueId, window: Window2D): ValueId {
    const xShape = this.shapeOf(x);
    const geom = geometry2D(xShape, window);
    const outShape = [geom.batch, geom.outH, geom.outW, xShape[3]];
    const y = this.produce(outShape, [x]);
    const argmax = this.b.value('aux', [...outShape], `${this.origin.name} argmax`, 'uint32');
    this.emit({ op: 'maxPool', x, y, argmax, xShape, geom });
    return y;
  }

  /** y [N, outH, outW, C]: the mean of each window's valid cells. */
  avgPool(x: ValueId, window: Window2D): ValueId {
    const xShape = this.shapeOf(x);
    const geom = geometry2D(xShape, window);
    const y = this.produce([geom.batch, geom.outH, geom.outW, xShape[3]], [x]);
    this.emit({ op: 'avgPool', x, y, xShape, geom });
    return y;
  }

  /** Training-time dropout: zeroes a seeded random fraction `rate` and scales the rest by 1 / (1 - rate). */
  dropout(x: ValueId, rate: number, seed: number): ValueId {
    const y = this.produce([...this.shapeOf(x)], [x]);
    this.emit({ op: 'dropout', x, y, rate, seed });
    return y;
  }

  /** An elementwise activation, or softmax over the last axis. */
  activation(x: ValueId, kind: ActivationName, role?: string): ValueId {
    const shape = [...this.shapeOf(x)];
    const y = this.produce(shape, [x], role);
    if (kind === 'softmax') {
      const cols = shape[shape.length - 1];
      this.emit({ op: 'softmax', x, y, rows: product(shape) / cols, cols });
    } else {
      this.emit({ op: 'activate', x, y, kind });
    }
    return y;
  }

  /** Concatenation along the last axis: one column copy per input. */
  concat(xs: ValueId[]): ValueId {
    const widths = xs.map((x) => this.shapeOf(x)[this.shapeOf(x).length - 1]);
    const width = widths.reduce((a, w) => a + w, 0);
    const outShape = [...this.shapeOf(xs[0]).slice(0, -1), width];
    const y = this.produce(outShape, xs);
    const rows = product(outShape) / width;
    let col = 0;
    xs.forEach((src, k) => {
      this.emit({ op: 'copyColumns', src, dst: y, rows, width: widths[k], srcRow: widths[k], srcCol: 0, dstRow: width, dstCol: col });
      col += widths[k];
    });
    return y;
  }

  add(a: ValueId, b: ValueId, role?: string): ValueId {
    const y = this.produce([...this.shapeOf(a)], [a, b], role);
    this.emit({ op: 'add', a, b, y });
    return y;
  }

  /** y = x * factor + offset, elementwise. */
  scale(x: ValueId, factor: number, offset: number): ValueId {
    const y = this.produce([...this.shapeOf(x)], [x]);
    this.emit({ op: 'scale', x, y, scale: factor, offset });
    return y;
  }

  /** A view of x with another shape (same elements, same storage); no instruction runs. */
  reshape(x: ValueId, shape: number[]): ValueId {
    const y = this.b.alias(x, shape, this.origin.name);
    if (this.b.needsGrad.has(x)) this.b.needsGrad.add(y);
    this.emit({ op: 'reshape', x, y });
    return y;
  }

  /** state = momentum * state + (1 - momentum) * x, into a non-trainable weight; call in training only. */
  movingAverage(state: ValueId, x: ValueId, momentum: number): void {
    this.emit({ op: 'movingAverage', x, state, momentum });
  }

  /** Per-channel mean and biased variance [C] of x [..., C] (batch statistics). */
  moments(x: ValueId): { mean: ValueId; variance: ValueId } {
    const shape = this.shapeOf(x);
    const channels = shape[shape.length - 1];
    const mean = this.produce([channels], [x], 'batch mean');
    const variance = this.produce([channels], [x], 'batch variance');
    this.emit({ op: 'moments', x, mean, variance, channels });
    return { mean, variance };
  }

  /** y [..., C] = (x - mean) * inverseStd(variance) * gamma + beta per channel (see NormalizeOptions). */
  normalize(x: ValueId, o: NormalizeOptions): ValueId {
    const shape = [...this.shapeOf(x)];
    const y = this.produce(shape, [x, o.mean, o.variance, o.gamma, o.beta]);
    this.emit({ op: 'normalize', x, y, ...o, channels: shape[shape.length - 1] });
    return y;
  }

  /** y [..., C] = (x - mean[c]) / max(sqrt(variance[c]), epsilon), with constant per-channel statistics. */
  normalizeConstant(x: ValueId, mean: number[], variance: number[], epsilon: number): ValueId {
    const y = this.produce([...this.shapeOf(x)], [x]);
    this.emit({ op: 'normalizeConstant', x, y, mean, variance, epsilon });
    return y;
  }
}

export interface NormalizeOptions {
  mean: ValueId;
  variance: ValueId;
  gamma: ValueId | null;
  beta: ValueId | null;
  epsilon: number;
  /** 1 / max(sqrt(variance), epsilon) (Keras's Normalization) instead of 1 / sqrt(variance + epsilon). */
  floor: boolean;
  /** mean and variance are x's own moments (training BatchNormalization): the gradient flows through them. */
  batchStats: boolean;
}
