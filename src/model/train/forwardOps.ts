// The op builder a lowering writes one layer call with: each method appends forward instructions
// to the tape and returns the value it produced. Shapes, dims and window geometry are derived here
// once; a produced value needs a gradient when any value it is computed from does.
import type { ActivationName } from '../../ops/activations';
import type { ParamActivation } from '../../ops/reference/paramActivation';
import { geometry2D, type Window2D } from '../../ops/shapes';
import type { MergeKind } from '../../ops/reference/merge';
import type { NoiseKind } from '../../ops/reference/noise';
import { transposedShape } from '../../ops/reference/transpose';
import { convGeometry, isPlainConv, transposeOutputDim, type ConvWindow } from '../../ops/convGeometry';
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

  /** Concatenation along `axis` (default the last): one strided copy per input. */
  concat(xs: ValueId[], axis = -1): ValueId {
    const rank = this.shapeOf(xs[0]).length;
    const at = axis < 0 ? rank + axis : axis;
    // Each input is `rows` rows of shape[at] * inner contiguous values, copied side by side.
    const inner = product(this.shapeOf(xs[0]).slice(at + 1));
    const widths = xs.map((x) => this.shapeOf(x)[at] * inner);
    const width = widths.reduce((a, w) => a + w, 0);
    const outShape = [...this.shapeOf(xs[0])];
    outShape[at] = width / inner;
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

  /** y = x with its axes permuted (batch axis included): y.shape[k] = x.shape[perm[k]]. */
  transpose(x: ValueId, perm: number[]): ValueId {
    const xShape = [...this.shapeOf(x)];
    const y = this.produce(transposedShape(xShape, perm), [x]);
    this.emit({ op: 'transpose', x, y, xShape, perm: [...perm] });
    return y;
  }

  /** y [N, outH, outW, C]: x shifted by (top, left) with zeros around it (negative shifts crop). */
  pad2d(x: ValueId, outH: number, outW: number, top: number, left: number): ValueId {
    const xShape = [...this.shapeOf(x)];
    const y = this.produce([xShape[0], outH, outW, xShape[3]], [x]);
    this.emit({ op: 'pad2d', x, y, pad: { xShape, outH, outW, top, left } });
    return y;
  }

  /** y [N, H * sizeH, W * sizeW, C]: each cell of x repeated as a block (nearest neighbour). */
  upsample2d(x: ValueId, size: [number, number]): ValueId {
    const xShape = [...this.shapeOf(x)];
    const y = this.produce([xShape[0], xShape[1] * size[0], xShape[2] * size[1], xShape[3]], [x]);
    this.emit({ op: 'upsample2d', x, y, xShape, size: [...size] });
    return y;
  }

  /** y = a - b, a * b, max(a, b) or min(a, b), elementwise over equal shapes. */
  merge(a: ValueId, b: ValueId, kind: MergeKind, role?: string): ValueId {
    const y = this.produce([...this.shapeOf(a)], [a, b], role);
    this.emit({ op: 'merge', a, b, y, kind });
    return y;
  }

  /** Training-time noise over x [N, ..., C], seeded per layer and step like dropout. */
  noise(x: ValueId, kind: NoiseKind, amount: number, seed: number): ValueId {
    const shape = [...this.shapeOf(x)];
    const y = this.produce(shape, [x]);
    this.emit({ op: 'noise', x, y, kind, amount, seed, channels: shape[shape.length - 1], perSample: product(shape.slice(1)) });
    return y;
  }

  /** Keras's ReLU/LeakyReLU or ELU layer activation, elementwise. */
  paramActivate(x: ValueId, p: ParamActivation): ValueId {
    const y = this.produce([...this.shapeOf(x)], [x]);
    this.emit({ op: 'paramActivate', x, y, p: { ...p } });
    return y;
  }

  /** PReLU: y = x > 0 ? x : alpha * x; alpha [features with 1 on shared axes] broadcast over x [N, ...features]. */
  prelu(x: ValueId, alpha: ValueId): ValueId {
    const features = this.shapeOf(x).slice(1);
    const alphaShape = this.shapeOf(alpha);
    const alphaStrides = alphaShape.map((d, j) => (d === 1 ? 0 : product(alphaShape.slice(j + 1))));
    const y = this.produce([...this.shapeOf(x)], [x, alpha]);
    this.emit({ op: 'prelu', x, alpha, y, geom: { features, alphaStrides } });
    return y;
  }

  /** A weight read with another shape of the same size (Conv1D's kernel as 2-D); its gradient lands in the weight. */
  weightView(w: ValueId, shape: number[]): ValueId {
    const v = this.b.alias(w, shape, this.b.values[w].label);
    this.b.values[v].offset = this.b.values[w].offset;
    if (this.b.needsGrad.has(w)) this.b.needsGrad.add(v);
    return v;
  }

  /** y [N, outH, outW, outC] = conv(x [N, H, W, inC], w [kH, kW, inC / groups, outC]) + b: conv2d when plain, else the grouped/dilated op. */
  conv(x: ValueId, w: ValueId, b: ValueId | null, window: ConvWindow, role?: string): ValueId {
    const xShape = this.shapeOf(x);
    const kShape = [...this.shapeOf(w)];
    const geom = convGeometry(xShape, window);
    const y = this.produce([geom.batch, geom.outH, geom.outW, kShape[3]], [x, w, b], role);
    if (isPlainConv(geom)) this.emit({ op: 'conv2d', x, w, b, y, xShape, kShape, geom, activation: 'linear' });
    else this.emit({ op: 'groupConv2d', x, w, b, y, xShape, kShape, geom });
    return y;
  }

  /** y [N, outH, outW, F] = transposed conv(x [N, H, W, C], w [kH, kW, F, C]) + b [F]: the input gradient of the conv from y to x. */
  conv2dTranspose(x: ValueId, w: ValueId, b: ValueId | null, strides: [number, number], padding: 'valid' | 'same', role?: string): ValueId {
    const [n, h, wd] = this.shapeOf(x);
    const kShape = [...this.shapeOf(w)];
    const yShape = [n, transposeOutputDim(h, kShape[0], padding, strides[0])!, transposeOutputDim(wd, kShape[1], padding, strides[1])!, kShape[2]];
    const geom = geometry2D(yShape, { kernel: [kShape[0], kShape[1]], strides, padding });
    if (geom.outH !== h || geom.outW !== wd) throw new Error(`${this.origin.where}: transposed conv geometry [${geom.outH}, ${geom.outW}] does not invert [${h}, ${wd}]`);
    const y = this.produce(yShape, [x, w, b], role);
    this.emit({ op: 'conv2dTranspose', x, w, b, y, yShape, kShape, geom });
    return y;
  }

  /** y [..., dim] = rows of the table w [vocab, dim] at the ids x [...] (float32 integers). */
  embedding(ids: ValueId, w: ValueId): ValueId {
    const idShape = this.shapeOf(ids);
    const [vocab, dim] = this.shapeOf(w);
    const y = this.produce([...idShape, dim], [w]);
    this.emit({ op: 'embedding', ids, w, y, rows: product(idShape), dim, vocab });
    return y;
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
