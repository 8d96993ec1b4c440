// Conv2DTranspose, as Keras 3: the input gradient of a Conv2D run forward ("deconvolution").
// Kernel [kH, kW, filters, inC] (the conv's [kH, kW, its inC, its outC] read the other way),
// output size Keras's deconv_output_length: valid in * s + max(k - s, 0), same in * s.
// output_padding and dilation other than Keras's defaults are refused.

import type { ActivationName } from '../../ops/activations.ts';
import { transposeOutputDim } from '../../ops/convGeometry.ts';
import type { Padding, Shape } from '../../ops/shapes.ts';
import { initializerArg, type Initializer } from '../initializers.ts';
import { Layer, openArgs, type BaseConfig, type LayerArgs } from '../layer.ts';
import { bool, checkActivation, describe, fail, intPair, oneOf, positiveInt, shapeText } from '../validate.ts';
import { knownChannels } from './convWindow.ts';
import { ACTIVATION_OPTION, BIAS_OPTIONS, KERAS_DATA_FORMAT, PENALTY_KEYS, PENALTY_OPTIONS, configArgs, type LayerEntry } from './entry.ts';
import { penaltyArgs, type PenaltyArgs, type PenaltyConfig } from './penalties.ts';

const PADDINGS = ['valid', 'same'] as const;

export interface Conv2DTransposeConfig extends BaseConfig, PenaltyConfig {
  className: 'Conv2DTranspose';
  filters: number;
  kernelSize: [number, number];
  strides: [number, number];
  padding: Padding;
  activation: ActivationName;
  useBias: boolean;
  kernelInitializer: Initializer;
  biasInitializer: Initializer;
}

export interface Conv2DTransposeArgs extends LayerArgs, PenaltyArgs {
  filters: number;
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  padding?: Padding;
  /** Keras's output_padding: only null (the size from Keras's formula) runs here. */
  outputPadding?: null;
  activation?: ActivationName;
  useBias?: boolean;
  kernelInitializer?: Initializer;
  biasInitializer?: Initializer;
}

export class Conv2DTranspose extends Layer {
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly penalties: PenaltyConfig;

  constructor(args: Conv2DTransposeArgs) {
    const keys = ['filters', 'kernelSize', 'strides', 'padding', 'outputPadding', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', ...PENALTY_KEYS];
    const where = openArgs('Conv2DTranspose', args, 'conv2d_transpose', keys);
    if (args.outputPadding !== undefined && args.outputPadding !== null) {
      fail(where, `outputPadding ${describe(args.outputPadding)} is not supported; only null (Keras's default: the output size follows from strides and padding). Leave it out and crop or pad the output instead.`);
    }
    const filters = positiveInt(where, 'filters', args.filters);
    const kernelSize = intPair(where, 'kernelSize', args.kernelSize);
    const strides = intPair(where, 'strides', args.strides ?? 1);
    const padding = oneOf(where, 'padding', args.padding ?? 'valid', PADDINGS);
    const activation = checkActivation(where, args.activation);
    const useBias = args.useBias === undefined ? true : bool(where, 'useBias', args.useBias);
    const kernelInit = initializerArg(where, 'kernelInitializer', args.kernelInitializer, 'glorotUniform');
    const biasInit = initializerArg(where, 'biasInitializer', args.biasInitializer, 'zeros');
    const penalties = penaltyArgs(where, args);
    super('Conv2DTranspose', args, 'conv2d_transpose');
    this.filters = filters;
    this.kernelSize = kernelSize;
    this.strides = strides;
    this.padding = padding;
    this.activation = activation;
    this.useBias = useBias;
    this.kernelInitializer = kernelInit;
    this.biasInitializer = biasInit;
    this.penalties = penalties;
  }

  protected inferShape([input]: Shape[]): Shape {
    const shape = input!;
    if (shape.length !== 4) {
      fail(this.where, `needs a 4-D input (batch, height, width, channels), got ${shapeText(shape)}. Give input() a shape like [7, 7, 16].`);
    }
    const channels = knownChannels(this.where, shape);
    const built = this.weights[0]?.shape[3];
    if (built !== undefined && built !== channels) {
      fail(this.where, `was built for ${built} input channels, got ${shapeText(shape)}. A shared layer needs inputs with the same channels.`);
    }
    const [n, h, w] = shape;
    const outH = transposeOutputDim(h ?? null, this.kernelSize[0], this.padding, this.strides[0]);
    const outW = transposeOutputDim(w ?? null, this.kernelSize[1], this.padding, this.strides[1]);
    return [n ?? null, outH, outW, this.filters];
  }

  protected override build([input]: Shape[]): void {
    const channels = input![3] as number;
    this.addWeight('kernel', [this.kernelSize[0], this.kernelSize[1], this.filters, channels], this.kernelInitializer, { regularizer: this.penalties.kernelRegularizer, constraint: this.penalties.kernelConstraint }); // [kh, kw, filters, inC]
    if (this.useBias) this.addWeight('bias', [this.filters], this.biasInitializer, { regularizer: this.penalties.biasRegularizer, constraint: this.penalties.biasConstraint }); // [filters]
  }

  getConfig(): Conv2DTransposeConfig {
    return {
      className: 'Conv2DTranspose', ...this.baseConfig(), filters: this.filters, kernelSize: [...this.kernelSize],
      strides: [...this.strides], padding: this.padding, activation: this.activation, useBias: this.useBias,
      kernelInitializer: this.kernelInitializer, biasInitializer: this.biasInitializer, ...this.penalties,
    };
  }
}

export const CONV2D_TRANSPOSE: LayerEntry<'Conv2DTranspose'> = {
  fromConfig: (config) => new Conv2DTranspose(configArgs('Conv2DTranspose', config) as unknown as Conv2DTransposeArgs),
  nameBase: 'conv2d_transpose',
  factory: 'conv2dTranspose',
  options: [
    { key: 'filters', type: 'int', label: 'filters', initial: 16, python: 'positional' },
    { key: 'kernelSize', type: 'pair', label: 'kernel size', initial: [3, 3], python: 'positional' },
    { key: 'strides', type: 'pair', label: 'strides', default: [1, 1], initial: [2, 2] },
    { key: 'padding', type: 'select', choices: PADDINGS, label: 'padding', default: 'valid', initial: 'same' },
    { ...ACTIVATION_OPTION, initial: 'relu' },
    ...BIAS_OPTIONS,
    ...PENALTY_OPTIONS,
  ],
  keras: [
    'filters', 'kernelSize', 'strides', 'padding', { key: 'output_padding', value: null, accepted: [null] }, KERAS_DATA_FORMAT,
    { key: 'dilation_rate', value: [1, 1], accepted: [[1, 1], 1] },
    'activation', 'useBias', 'kernelInitializer', 'biasInitializer', ...PENALTY_KEYS,
  ],
  sample: { inputs: [[3, 4, 2]], options: { filters: 3, kernelSize: [3, 2], strides: [2, 1], padding: 'same', activation: 'tanh' } },
};
