// Conv2D and 2-D pooling on NHWC images, with their configs and registry
// entries. All size arithmetic is in ops/shapes.ts; here we only check that
// the window fits and say how to fix it if not.

import type { ActivationName } from '../../ops/activations.ts';
import { initializerArg, type Initializer } from '../initializers.ts';
import { Layer, openArgs, type BaseConfig, type LayerArgs } from '../layer.ts';
import { window2dOutputShape, type Padding, type Shape, type Window2D } from '../../ops/shapes.ts';
import { bool, checkActivation, fail, intPair, oneOf, positiveInt, shapeText } from '../validate.ts';
import { checkGroupsDivide, checkStridesDilation, groupsArg, knownChannels, windowOutput } from './convWindow.ts';
import { ACTIVATION_OPTION, BIAS_OPTIONS, KERAS_DATA_FORMAT, PENALTY_KEYS, PENALTY_OPTIONS, configArgs, type LayerEntry } from './entry.ts';
import { penaltyArgs, type PenaltyArgs, type PenaltyConfig } from './penalties.ts';

const PADDINGS = ['valid', 'same'] as const;

export interface Conv2DConfig extends BaseConfig, PenaltyConfig {
  className: 'Conv2D';
  filters: number;
  /** [height, width] */
  kernelSize: [number, number];
  /** [height, width] */
  strides: [number, number];
  padding: Padding;
  /** [height, width] */
  dilationRate: [number, number];
  groups: number;
  activation: ActivationName;
  useBias: boolean;
  kernelInitializer: Initializer;
  biasInitializer: Initializer;
}

export interface Pooling2DConfig extends BaseConfig {
  className: 'MaxPooling2D' | 'AveragePooling2D';
  /** [height, width] */
  poolSize: [number, number];
  /** [height, width]; Keras defaults it to poolSize. */
  strides: [number, number];
  padding: Padding;
}

/** Rank-4 NHWC input whose window fits (valid padding) and output is >= 1. */
function checkWindow(where: string, shape: Shape, w: Window2D, what: string, option: string): Shape {
  if (shape.length !== 4) {
    fail(where, `needs a 4-D input (batch, height, width, channels), got ${shapeText(shape)}. Give input() a shape like [28, 28, 1].`);
  }
  const [, h, wd] = shape;
  const tooBig = w.padding === 'valid' && ((h !== null && h! < w.kernel[0]) || (wd !== null && wd! < w.kernel[1]));
  if (tooBig) {
    fail(where, `${what} ${option} [${w.kernel.join(', ')}] is larger than its input image [${h}, ${wd}] from ${shapeText(shape)} with padding 'valid'. Use a smaller ${option}, padding: 'same', or remove a pooling layer before it.`);
  }
  return window2dOutputShape(shape, w, null);
}

export interface Conv2DArgs extends LayerArgs, PenaltyArgs {
  filters: number;
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  padding?: Padding;
  dilationRate?: number | [number, number];
  /** Splits the channels into groups convolved independently; divides filters and the input channels. */
  groups?: number;
  activation?: ActivationName;
  useBias?: boolean;
  kernelInitializer?: Initializer;
  biasInitializer?: Initializer;
}

export class Conv2D extends Layer {
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly dilationRate: [number, number];
  readonly groups: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly penalties: PenaltyConfig;

  constructor(args: Conv2DArgs) {
    const keys = ['filters', 'kernelSize', 'strides', 'padding', 'dilationRate', 'groups', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', ...PENALTY_KEYS];
    const where = openArgs('Conv2D', args, 'conv2d', keys);
    const filters = positiveInt(where, 'filters', args.filters);
    const kernelSize = intPair(where, 'kernelSize', args.kernelSize);
    const strides = intPair(where, 'strides', args.strides ?? 1);
    const padding = oneOf(where, 'padding', args.padding ?? 'valid', PADDINGS);
    const dilationRate = intPair(where, 'dilationRate', args.dilationRate ?? 1);
    checkStridesDilation(where, strides, dilationRate);
    const groups = groupsArg(where, args.groups ?? 1, filters);
    const activation = checkActivation(where, args.activation);
    const useBias = args.useBias === undefined ? true : bool(where, 'useBias', args.useBias);
    const kernelInit = initializerArg(where, 'kernelInitializer', args.kernelInitializer, 'glorotUniform');
    const biasInit = initializerArg(where, 'biasInitializer', args.biasInitializer, 'zeros');
    const penalties = penaltyArgs(where, args);
    super('Conv2D', args, 'conv2d');
    this.penalties = penalties;
    this.dilationRate = dilationRate;
    this.groups = groups;
    this.filters = filters;
    this.kernelSize = kernelSize;
    this.strides = strides;
    this.padding = padding;
    this.activation = activation;
    this.useBias = useBias;
    this.kernelInitializer = kernelInit;
    this.biasInitializer = biasInit;
  }

  protected inferShape([input]: Shape[]): Shape {
    const shape = input!;
    const window = { kernel: this.kernelSize, strides: this.strides, dilation: this.dilationRate, padding: this.padding };
    const [n, outH, outW] = windowOutput(this.where, shape, window, 'kernelSize');
    const channels = knownChannels(this.where, shape);
    checkGroupsDivide(this.where, this.groups, channels, shape);
    const built = this.weights[0]?.shape[2];
    if (built !== undefined && built * this.groups !== channels) {
      fail(this.where, `was built for ${built * this.groups} input channels, got ${shapeText(shape)}. A shared layer needs inputs with the same channels.`);
    }
    return [n, outH, outW, this.filters];
  }

  protected override build([input]: Shape[]): void {
    const channels = input![3] as number;
    const p = this.penalties;
    const kernel = { regularizer: p.kernelRegularizer, constraint: p.kernelConstraint };
    this.addWeight('kernel', [this.kernelSize[0], this.kernelSize[1], channels / this.groups, this.filters], this.kernelInitializer, kernel); // [kh, kw, inC / groups, outC]
    if (this.useBias) this.addWeight('bias', [this.filters], this.biasInitializer, { regularizer: p.biasRegularizer, constraint: p.biasConstraint }); // [outC]
  }

  getConfig(): Conv2DConfig {
    return {
      className: 'Conv2D', ...this.baseConfig(), filters: this.filters, kernelSize: [...this.kernelSize],
      strides: [...this.strides], padding: this.padding, dilationRate: [...this.dilationRate], groups: this.groups,
      activation: this.activation, useBias: this.useBias,
      kernelInitializer: this.kernelInitializer, biasInitializer: this.biasInitializer, ...this.penalties,
    };
  }
}

export interface Pooling2DArgs extends LayerArgs {
  /** Defaults to [2, 2]. */
  poolSize?: number | [number, number];
  /** Defaults to poolSize (Keras). */
  strides?: number | [number, number];
  padding?: Padding;
}

type PoolClass = Pooling2DConfig['className'];

export class Pooling2D extends Layer {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;

  constructor(className: PoolClass, args: Pooling2DArgs) {
    const base = className === 'MaxPooling2D' ? 'max_pooling2d' : 'average_pooling2d';
    const where = openArgs(className, args, base, ['poolSize', 'strides', 'padding']);
    const poolSize = intPair(where, 'poolSize', args.poolSize ?? 2);
    const strides = args.strides === undefined || args.strides === null ? poolSize : intPair(where, 'strides', args.strides);
    const padding = oneOf(where, 'padding', args.padding ?? 'valid', PADDINGS);
    super(className, args, base);
    this.poolSize = poolSize;
    this.strides = strides;
    this.padding = padding;
  }

  protected inferShape([input]: Shape[]): Shape {
    const shape = input!;
    const out = checkWindow(this.where, shape, { kernel: this.poolSize, strides: this.strides, padding: this.padding }, 'poolSize', 'poolSize');
    return [out[0]!, out[1]!, out[2]!, shape[3]!];
  }

  getConfig(): Pooling2DConfig {
    return {
      className: this.className as PoolClass, ...this.baseConfig(), poolSize: [...this.poolSize],
      strides: [...this.strides], padding: this.padding,
    };
  }
}

export class MaxPooling2D extends Pooling2D {
  constructor(args: Pooling2DArgs = {}) {
    super('MaxPooling2D', args);
  }
}

export class AveragePooling2D extends Pooling2D {
  constructor(args: Pooling2DArgs = {}) {
    super('AveragePooling2D', args);
  }
}

const PADDING_OPTION = { key: 'padding', type: 'select', choices: PADDINGS, label: 'padding', default: 'valid' } as const;

export const CONV2D: LayerEntry<'Conv2D'> = {
  fromConfig: (config) => new Conv2D(configArgs('Conv2D', config) as unknown as Conv2DArgs),
  nameBase: 'conv2d',
  factory: 'conv2d',
  options: [
    { key: 'filters', type: 'int', label: 'filters', initial: 16, python: 'positional' },
    { key: 'kernelSize', type: 'pair', label: 'kernel size', initial: [3, 3], python: 'positional' },
    { key: 'strides', type: 'pair', label: 'strides', default: [1, 1] },
    { ...PADDING_OPTION, initial: 'same' },
    { key: 'dilationRate', type: 'pair', label: 'dilation', default: [1, 1] },
    { key: 'groups', type: 'int', label: 'groups', default: 1 },
    { ...ACTIVATION_OPTION, initial: 'relu' },
    ...BIAS_OPTIONS,
    ...PENALTY_OPTIONS,
  ],
  keras: [
    'filters', 'kernelSize', 'strides', 'padding', KERAS_DATA_FORMAT, 'dilationRate', 'groups',
    'activation', 'useBias', 'kernelInitializer', 'biasInitializer', ...PENALTY_KEYS,
  ],
  sample: { inputs: [[6, 5, 2]], options: { filters: 3, kernelSize: [3, 2], strides: [2, 1], activation: 'tanh' } },
};

/** Keras's pooling signature: pool_size (written even at its default), strides (default: pool_size), padding. */
const POOLING_OPTIONS = [
  { key: 'poolSize', type: 'pair', label: 'pool size', default: [2, 2], python: 'always' },
  { key: 'strides', type: 'pair', label: 'strides', default: { sameAs: 'poolSize' } },
  PADDING_OPTION,
] as const;

const POOLING_KERAS = ['poolSize', 'padding', 'strides', KERAS_DATA_FORMAT] as const;

export const MAX_POOLING2D: LayerEntry<'MaxPooling2D'> = {
  fromConfig: (config) => new MaxPooling2D(configArgs('MaxPooling2D', config) as Pooling2DArgs),
  nameBase: 'max_pooling2d',
  factory: 'maxPooling2d',
  options: POOLING_OPTIONS,
  keras: POOLING_KERAS,
  sample: { inputs: [[5, 6, 2]], options: { poolSize: [2, 3], strides: [2, 2], padding: 'same' } },
};

export const AVERAGE_POOLING2D: LayerEntry<'AveragePooling2D'> = {
  fromConfig: (config) => new AveragePooling2D(configArgs('AveragePooling2D', config) as Pooling2DArgs),
  nameBase: 'average_pooling2d',
  factory: 'averagePooling2d',
  options: POOLING_OPTIONS,
  keras: POOLING_KERAS,
  sample: { inputs: [[5, 6, 2]], options: { poolSize: [3, 2], strides: [2, 1], padding: 'valid' } },
};
