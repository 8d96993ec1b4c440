// DepthwiseConv2D (each input channel convolved with its own depth_multiplier filters) and
// SeparableConv2D (that, then a 1x1 conv mixing channels), as Keras 3. Both run as a grouped
// conv with one group per input channel: the depthwise kernel [kH, kW, C, m] is, in memory, the
// grouped kernel [kH, kW, 1, C * m] whose output channel c * m + j reads input channel c.

import type { ActivationName } from '../../ops/activations.ts';
import type { Padding, Shape } from '../../ops/shapes.ts';
import { initializerArg, type Initializer } from '../initializers.ts';
import { Layer, openArgs, type BaseConfig, type LayerArgs } from '../layer.ts';
import { bool, checkActivation, intPair, oneOf, positiveInt } from '../validate.ts';
import { checkStridesDilation, knownChannels, windowOutput } from './convWindow.ts';
import { ACTIVATION_OPTION, KERAS_DATA_FORMAT, configArgs, type KerasItem, type LayerEntry, type OptionSpec } from './entry.ts';
import { weightPenaltyArgs, weightPenaltyKeys, weightPenaltyOptions, type WeightPenalties, type WeightPenaltyArgs } from './penalties.ts';

const DEPTHWISE_WEIGHTS = ['depthwise', 'bias'] as const;
const SEPARABLE_WEIGHTS = ['depthwise', 'pointwise', 'bias'] as const;

const PADDINGS = ['valid', 'same'] as const;

type DepthwiseClass = 'DepthwiseConv2D' | 'SeparableConv2D';

export interface DepthwiseConv2DConfig extends BaseConfig, WeightPenalties<'depthwise' | 'bias'> {
  className: 'DepthwiseConv2D';
  kernelSize: [number, number];
  strides: [number, number];
  padding: Padding;
  depthMultiplier: number;
  dilationRate: [number, number];
  activation: ActivationName;
  useBias: boolean;
  depthwiseInitializer: Initializer;
  biasInitializer: Initializer;
}

export interface SeparableConv2DConfig extends Omit<DepthwiseConv2DConfig, 'className'>, WeightPenalties<'depthwise' | 'pointwise' | 'bias'> {
  className: 'SeparableConv2D';
  filters: number;
  pointwiseInitializer: Initializer;
}

export interface DepthwiseConv2DArgs extends LayerArgs, WeightPenaltyArgs<'depthwise' | 'bias'> {
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  padding?: Padding;
  /** Output channels per input channel (default 1). */
  depthMultiplier?: number;
  dilationRate?: number | [number, number];
  activation?: ActivationName;
  useBias?: boolean;
  depthwiseInitializer?: Initializer;
  biasInitializer?: Initializer;
}

export interface SeparableConv2DArgs extends DepthwiseConv2DArgs, WeightPenaltyArgs<'depthwise' | 'pointwise' | 'bias'> {
  filters: number;
  pointwiseInitializer?: Initializer;
}

const DEPTHWISE_KEYS = ['kernelSize', 'strides', 'padding', 'depthMultiplier', 'dilationRate', 'activation', 'useBias', 'depthwiseInitializer', 'biasInitializer'];

/** addWeight's regularizer and constraint for one of the weights. */
const penaltyOf = (p: WeightPenalties<'depthwise' | 'pointwise' | 'bias'>, w: 'depthwise' | 'pointwise' | 'bias') => ({ regularizer: p[`${w}Regularizer`], constraint: p[`${w}Constraint`] });

/** The depthwise part both classes share; SeparableConv2D adds filters and the pointwise kernel. */
abstract class DepthwiseBase extends Layer {
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly depthMultiplier: number;
  readonly dilationRate: [number, number];
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer;
  readonly biasInitializer: Initializer;
  /** Regularizers and constraints of this class's weights (depthwise, pointwise, bias) and its activity. */
  readonly penalties: WeightPenalties<'depthwise' | 'pointwise' | 'bias'>;

  protected constructor(className: DepthwiseClass, base: string, where: string, args: DepthwiseConv2DArgs) {
    const kernelSize = intPair(where, 'kernelSize', args.kernelSize);
    const strides = intPair(where, 'strides', args.strides ?? 1);
    const padding = oneOf(where, 'padding', args.padding ?? 'valid', PADDINGS);
    const depthMultiplier = positiveInt(where, 'depthMultiplier', args.depthMultiplier ?? 1);
    const dilationRate = intPair(where, 'dilationRate', args.dilationRate ?? 1);
    checkStridesDilation(where, strides, dilationRate);
    const activation = checkActivation(where, args.activation);
    const useBias = args.useBias === undefined ? true : bool(where, 'useBias', args.useBias);
    const depthwiseInit = initializerArg(where, 'depthwiseInitializer', args.depthwiseInitializer, 'glorotUniform');
    const biasInit = initializerArg(where, 'biasInitializer', args.biasInitializer, 'zeros');
    const penalties = weightPenaltyArgs(where, args, className === 'SeparableConv2D' ? SEPARABLE_WEIGHTS : DEPTHWISE_WEIGHTS);
    super(className, args, base);
    this.penalties = penalties as WeightPenalties<'depthwise' | 'pointwise' | 'bias'>;
    this.depthwiseInitializer = depthwiseInit;
    this.biasInitializer = biasInit;
    this.kernelSize = kernelSize;
    this.strides = strides;
    this.padding = padding;
    this.depthMultiplier = depthMultiplier;
    this.dilationRate = dilationRate;
    this.activation = activation;
    this.useBias = useBias;
  }

  /** [N, outH, outW] of the depthwise window, and the input channels. */
  protected depthwiseOutput(shape: Shape): [Shape, number] {
    const window = { kernel: this.kernelSize, strides: this.strides, dilation: this.dilationRate, padding: this.padding };
    return [windowOutput(this.where, shape, window, 'kernelSize'), knownChannels(this.where, shape)];
  }

  protected depthwiseConfig(): Omit<DepthwiseConv2DConfig, 'className' | keyof BaseConfig | keyof WeightPenalties<'depthwise' | 'bias'>> {
    return {
      kernelSize: [...this.kernelSize], strides: [...this.strides], padding: this.padding, depthMultiplier: this.depthMultiplier,
      dilationRate: [...this.dilationRate], activation: this.activation, useBias: this.useBias,
      depthwiseInitializer: this.depthwiseInitializer, biasInitializer: this.biasInitializer,
    };
  }
}

export class DepthwiseConv2D extends DepthwiseBase {
  constructor(args: DepthwiseConv2DArgs) {
    super('DepthwiseConv2D', 'depthwise_conv2d', openArgs('DepthwiseConv2D', args, 'depthwise_conv2d', [...DEPTHWISE_KEYS, ...weightPenaltyKeys(DEPTHWISE_WEIGHTS)]), args);
  }

  protected inferShape([input]: Shape[]): Shape {
    const [out, channels] = this.depthwiseOutput(input!);
    return [...out, channels * this.depthMultiplier];
  }

  protected override build([input]: Shape[]): void {
    const channels = input![3] as number;
    this.addWeight('kernel', [this.kernelSize[0], this.kernelSize[1], channels, this.depthMultiplier], this.depthwiseInitializer, penaltyOf(this.penalties, 'depthwise')); // [kh, kw, C, m]
    if (this.useBias) this.addWeight('bias', [channels * this.depthMultiplier], this.biasInitializer, penaltyOf(this.penalties, 'bias')); // [C * m]
  }

  getConfig(): DepthwiseConv2DConfig {
    const p = this.penalties;
    const penalties = { depthwiseRegularizer: p.depthwiseRegularizer, biasRegularizer: p.biasRegularizer, activityRegularizer: p.activityRegularizer, depthwiseConstraint: p.depthwiseConstraint, biasConstraint: p.biasConstraint };
    return { className: 'DepthwiseConv2D', ...this.baseConfig(), ...this.depthwiseConfig(), ...penalties };
  }
}

export class SeparableConv2D extends DepthwiseBase {
  readonly filters: number;
  readonly pointwiseInitializer: Initializer;

  constructor(args: SeparableConv2DArgs) {
    const where = openArgs('SeparableConv2D', args, 'separable_conv2d', ['filters', ...DEPTHWISE_KEYS, 'pointwiseInitializer', ...weightPenaltyKeys(SEPARABLE_WEIGHTS)]);
    const filters = positiveInt(where, 'filters', args.filters);
    const pointwiseInit = initializerArg(where, 'pointwiseInitializer', args.pointwiseInitializer, 'glorotUniform');
    super('SeparableConv2D', 'separable_conv2d', where, args);
    this.filters = filters;
    this.pointwiseInitializer = pointwiseInit;
  }

  protected inferShape([input]: Shape[]): Shape {
    return [...this.depthwiseOutput(input!)[0], this.filters];
  }

  protected override build([input]: Shape[]): void {
    const channels = input![3] as number;
    const mid = channels * this.depthMultiplier;
    this.addWeight('depthwise_kernel', [this.kernelSize[0], this.kernelSize[1], channels, this.depthMultiplier], this.depthwiseInitializer, penaltyOf(this.penalties, 'depthwise')); // [kh, kw, C, m]
    this.addWeight('pointwise_kernel', [1, 1, mid, this.filters], this.pointwiseInitializer, penaltyOf(this.penalties, 'pointwise')); // [1, 1, C * m, filters]
    if (this.useBias) this.addWeight('bias', [this.filters], this.biasInitializer, penaltyOf(this.penalties, 'bias')); // [filters]
  }

  getConfig(): SeparableConv2DConfig {
    return { className: 'SeparableConv2D', ...this.baseConfig(), filters: this.filters, ...this.depthwiseConfig(), pointwiseInitializer: this.pointwiseInitializer, ...this.penalties };
  }
}

const COMMON_OPTIONS = [
  { key: 'strides', type: 'pair', label: 'strides', default: [1, 1] },
  { key: 'padding', type: 'select', choices: PADDINGS, label: 'padding', default: 'valid', initial: 'same' },
] as const;

export const DEPTHWISE_CONV2D: LayerEntry<'DepthwiseConv2D'> = {
  fromConfig: (config) => new DepthwiseConv2D(configArgs('DepthwiseConv2D', config) as unknown as DepthwiseConv2DArgs),
  nameBase: 'depthwise_conv2d',
  factory: 'depthwiseConv2d',
  options: [
    { key: 'kernelSize', type: 'pair', label: 'kernel size', initial: [3, 3], python: 'positional' },
    ...COMMON_OPTIONS,
    { key: 'depthMultiplier', type: 'int', label: 'depth multiplier', default: 1 },
    { key: 'dilationRate', type: 'pair', label: 'dilation', default: [1, 1] },
    { ...ACTIVATION_OPTION, initial: 'relu' },
    { key: 'useBias', type: 'bool', default: true },
    { key: 'depthwiseInitializer', type: 'initializer', default: 'glorotUniform' },
    { key: 'biasInitializer', type: 'initializer', default: 'zeros' },
    ...(weightPenaltyOptions(DEPTHWISE_WEIGHTS) as OptionSpec<DepthwiseConv2DConfig>[]),
  ],
  keras: [
    'depthMultiplier', 'kernelSize', 'strides', 'padding', KERAS_DATA_FORMAT, 'dilationRate', 'activation', 'useBias',
    'depthwiseInitializer', 'biasInitializer',
    ...(weightPenaltyKeys(DEPTHWISE_WEIGHTS) as KerasItem<DepthwiseConv2DConfig>[]),
  ],
  sample: { inputs: [[5, 6, 2]], options: { kernelSize: [3, 2], depthMultiplier: 2, dilationRate: [2, 1], padding: 'same', activation: 'tanh' } },
};

export const SEPARABLE_CONV2D: LayerEntry<'SeparableConv2D'> = {
  fromConfig: (config) => new SeparableConv2D(configArgs('SeparableConv2D', config) as unknown as SeparableConv2DArgs),
  nameBase: 'separable_conv2d',
  factory: 'separableConv2d',
  options: [
    { key: 'filters', type: 'int', label: 'filters', initial: 16, python: 'positional' },
    { key: 'kernelSize', type: 'pair', label: 'kernel size', initial: [3, 3], python: 'positional' },
    ...COMMON_OPTIONS,
    { key: 'dilationRate', type: 'pair', label: 'dilation', default: [1, 1] },
    { key: 'depthMultiplier', type: 'int', label: 'depth multiplier', default: 1 },
    { ...ACTIVATION_OPTION, initial: 'relu' },
    { key: 'useBias', type: 'bool', default: true },
    { key: 'depthwiseInitializer', type: 'initializer', default: 'glorotUniform' },
    { key: 'pointwiseInitializer', type: 'initializer', default: 'glorotUniform' },
    { key: 'biasInitializer', type: 'initializer', default: 'zeros' },
    ...(weightPenaltyOptions(SEPARABLE_WEIGHTS) as OptionSpec<SeparableConv2DConfig>[]),
  ],
  keras: [
    'depthMultiplier', 'filters', 'kernelSize', 'strides', 'padding', KERAS_DATA_FORMAT, 'dilationRate', 'activation', 'useBias',
    'depthwiseInitializer', 'pointwiseInitializer', 'biasInitializer',
    ...(weightPenaltyKeys(SEPARABLE_WEIGHTS) as KerasItem<SeparableConv2DConfig>[]),
  ],
  sample: { inputs: [[6, 5, 3]], options: { filters: 4, kernelSize: [2, 3], strides: [2, 1], depthMultiplier: 2, padding: 'valid', activation: 'tanh' } },
};
