// Conv1D on [batch, steps, channels], as Keras 3: a Conv2D over an image of height 1 (kernel
// [k, inC / groups, filters] read as [1, k, inC / groups, filters]), with 'causal' padding (all of
// the dilated window's padding before the sequence, so step t sees only steps <= t).
// kernel_size, strides and dilation_rate are one integer; Keras writes them as 1-lists ([3]).

import type { ActivationName } from '../../ops/activations.ts';
import type { ConvPadding } from '../../ops/convGeometry.ts';
import type { Shape } from '../../ops/shapes.ts';
import { initializerArg, type Initializer } from '../initializers.ts';
import { Layer, openArgs, type BaseConfig, type LayerArgs } from '../layer.ts';
import { bool, checkActivation, describe, fail, oneOf, positiveInt, shapeText } from '../validate.ts';
import { checkGroupsDivide, checkStridesDilation, groupsArg, knownChannels, windowOutput } from './convWindow.ts';
import { ACTIVATION_OPTION, BIAS_OPTIONS, KERAS_DATA_FORMAT, PENALTY_KEYS, PENALTY_OPTIONS, configArgs, type LayerEntry } from './entry.ts';
import { penaltyArgs, type PenaltyArgs, type PenaltyConfig } from './penalties.ts';

export const CONV1D_PADDINGS = ['valid', 'same', 'causal'] as const;

export interface Conv1DConfig extends BaseConfig, PenaltyConfig {
  className: 'Conv1D';
  filters: number;
  kernelSize: number;
  strides: number;
  padding: ConvPadding;
  dilationRate: number;
  groups: number;
  activation: ActivationName;
  useBias: boolean;
  kernelInitializer: Initializer;
  biasInitializer: Initializer;
}

export interface Conv1DArgs extends LayerArgs, PenaltyArgs {
  filters: number;
  kernelSize: number | [number];
  strides?: number | [number];
  padding?: ConvPadding;
  dilationRate?: number | [number];
  groups?: number;
  activation?: ActivationName;
  useBias?: boolean;
  kernelInitializer?: Initializer;
  biasInitializer?: Initializer;
}

/** A positive integer, or Keras's 1-list of one ([3]). */
function single(where: string, option: string, value: unknown): number {
  if (Array.isArray(value)) {
    if (value.length !== 1) fail(where, `${option} must be one integer (or a list of one), got ${describe(value)}.`);
    return positiveInt(where, `${option}[0]`, value[0]);
  }
  return positiveInt(where, option, value);
}

export class Conv1D extends Layer {
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: ConvPadding;
  readonly dilationRate: number;
  readonly groups: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly penalties: PenaltyConfig;

  constructor(args: Conv1DArgs) {
    const keys = ['filters', 'kernelSize', 'strides', 'padding', 'dilationRate', 'groups', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', ...PENALTY_KEYS];
    const where = openArgs('Conv1D', args, 'conv1d', keys);
    const filters = positiveInt(where, 'filters', args.filters);
    const kernelSize = single(where, 'kernelSize', args.kernelSize);
    const strides = single(where, 'strides', args.strides ?? 1);
    const padding = oneOf(where, 'padding', args.padding ?? 'valid', CONV1D_PADDINGS);
    const dilationRate = single(where, 'dilationRate', args.dilationRate ?? 1);
    checkStridesDilation(where, [strides], [dilationRate]);
    const groups = groupsArg(where, args.groups ?? 1, filters);
    const activation = checkActivation(where, args.activation);
    const useBias = args.useBias === undefined ? true : bool(where, 'useBias', args.useBias);
    const kernelInit = initializerArg(where, 'kernelInitializer', args.kernelInitializer, 'glorotUniform');
    const biasInit = initializerArg(where, 'biasInitializer', args.biasInitializer, 'zeros');
    const penalties = penaltyArgs(where, args);
    super('Conv1D', args, 'conv1d');
    this.filters = filters;
    this.kernelSize = kernelSize;
    this.strides = strides;
    this.padding = padding;
    this.dilationRate = dilationRate;
    this.groups = groups;
    this.activation = activation;
    this.useBias = useBias;
    this.kernelInitializer = kernelInit;
    this.biasInitializer = biasInit;
    this.penalties = penalties;
  }

  protected inferShape([input]: Shape[]): Shape {
    const shape = input!;
    if (shape.length !== 3) fail(this.where, `needs a 3-D input (batch, steps, channels), got ${shapeText(shape)}. Give input() a shape like [100, 8].`);
    const channels = knownChannels(this.where, shape);
    checkGroupsDivide(this.where, this.groups, channels, shape);
    const window = { kernel: [1, this.kernelSize] as const, strides: [1, this.strides] as const, dilation: [1, this.dilationRate] as const, padding: this.padding };
    const [n, , steps] = windowOutput(this.where, [shape[0]!, 1, shape[1]!, channels], window, 'kernelSize');
    return [n, steps, this.filters];
  }

  protected override build([input]: Shape[]): void {
    const channels = input![2] as number;
    this.addWeight('kernel', [this.kernelSize, channels / this.groups, this.filters], this.kernelInitializer, { regularizer: this.penalties.kernelRegularizer, constraint: this.penalties.kernelConstraint }); // [k, inC / groups, filters]
    if (this.useBias) this.addWeight('bias', [this.filters], this.biasInitializer, { regularizer: this.penalties.biasRegularizer, constraint: this.penalties.biasConstraint }); // [filters]
  }

  getConfig(): Conv1DConfig {
    return {
      className: 'Conv1D', ...this.baseConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides,
      padding: this.padding, dilationRate: this.dilationRate, groups: this.groups, activation: this.activation,
      useBias: this.useBias, kernelInitializer: this.kernelInitializer, biasInitializer: this.biasInitializer, ...this.penalties,
    };
  }
}

export const CONV1D: LayerEntry<'Conv1D'> = {
  fromConfig: (config) => new Conv1D(configArgs('Conv1D', config) as unknown as Conv1DArgs),
  nameBase: 'conv1d',
  factory: 'conv1d',
  options: [
    { key: 'filters', type: 'int', label: 'filters', initial: 16, python: 'positional' },
    { key: 'kernelSize', type: 'int', label: 'kernel size', initial: 3, python: 'positional' },
    { key: 'strides', type: 'int', label: 'strides', default: 1 },
    { key: 'padding', type: 'select', choices: CONV1D_PADDINGS, label: 'padding', default: 'valid', initial: 'same' },
    { key: 'dilationRate', type: 'int', label: 'dilation', default: 1 },
    { key: 'groups', type: 'int', label: 'groups', default: 1 },
    { ...ACTIVATION_OPTION, initial: 'relu' },
    ...BIAS_OPTIONS,
    ...PENALTY_OPTIONS,
  ],
  keras: [
    'filters', 'kernelSize', 'strides', 'padding', KERAS_DATA_FORMAT, 'dilationRate', 'groups',
    'activation', 'useBias', 'kernelInitializer', 'biasInitializer', ...PENALTY_KEYS,
  ],
  sample: { inputs: [[7, 4]], options: { filters: 4, kernelSize: 3, padding: 'causal', dilationRate: 2, groups: 2, activation: 'tanh' } },
};
