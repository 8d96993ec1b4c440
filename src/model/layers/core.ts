// Dense, Flatten, Dropout and Activation: the layers that act on the last
// axis or elementwise. Options are validated before the layer takes a name.
// Each class comes with its config type and its registry entry.

import type { ActivationName } from '../../ops/activations.ts';
import { initializerArg, type Initializer } from '../initializers.ts';
import { Layer, openArgs, type BaseConfig, type LayerArgs } from '../layer.ts';
import type { Shape } from '../../ops/shapes.ts';
import { bool, checkActivation, describe, fail, positiveInt, shapeText } from '../validate.ts';
import { ACTIVATION_OPTION, BIAS_OPTIONS, KERAS_DATA_FORMAT, PENALTY_KEYS, PENALTY_OPTIONS, configArgs, type LayerEntry } from './entry.ts';
import { penaltyArgs, type PenaltyArgs, type PenaltyConfig } from './penalties.ts';

export interface DenseConfig extends BaseConfig, PenaltyConfig {
  className: 'Dense';
  units: number;
  activation: ActivationName;
  useBias: boolean;
  kernelInitializer: Initializer;
  biasInitializer: Initializer;
}

export interface FlattenConfig extends BaseConfig {
  className: 'Flatten';
}

export interface DropoutConfig extends BaseConfig {
  className: 'Dropout';
  /** Fraction of inputs dropped while training, in [0, 1). */
  rate: number;
  seed: number | null;
}

export interface ActivationConfig extends BaseConfig {
  className: 'Activation';
  activation: ActivationName;
}

export interface DenseArgs extends LayerArgs, PenaltyArgs {
  units: number;
  activation?: ActivationName;
  useBias?: boolean;
  kernelInitializer?: Initializer;
  biasInitializer?: Initializer;
}

export class Dense extends Layer {
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly penalties: PenaltyConfig;

  constructor(args: DenseArgs) {
    const where = openArgs('Dense', args, 'dense', ['units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', ...PENALTY_KEYS]);
    const units = positiveInt(where, 'units', args.units);
    const activation = checkActivation(where, args.activation);
    const useBias = args.useBias === undefined ? true : bool(where, 'useBias', args.useBias);
    const kernelInit = initializerArg(where, 'kernelInitializer', args.kernelInitializer, 'glorotUniform');
    const biasInit = initializerArg(where, 'biasInitializer', args.biasInitializer, 'zeros');
    const penalties = penaltyArgs(where, args);
    super('Dense', args, 'dense');
    this.penalties = penalties;
    this.units = units;
    this.activation = activation;
    this.useBias = useBias;
    this.kernelInitializer = kernelInit;
    this.biasInitializer = biasInit;
  }

  // Keras Dense acts on the last axis of any input of rank >= 2.
  protected inferShape([input]: Shape[]): Shape {
    const shape = input!;
    if (shape.length < 2) {
      fail(this.where, `needs an input of rank >= 2 like (None, features), got ${shapeText(shape)}. Give input() a shape such as [features].`);
    }
    const inDim = shape[shape.length - 1]!;
    if (inDim === null) fail(this.where, `the last dimension of its input ${shapeText(shape)} must be known.`);
    const built = this.weights[0]?.shape[0];
    if (built !== undefined && built !== inDim) {
      fail(this.where, `was built for inputs with last dimension ${built}, got ${shapeText(shape)}. A shared layer needs inputs of the same size.`);
    }
    return [...shape.slice(0, -1), this.units];
  }

  protected override build([input]: Shape[]): void {
    const inDim = input![input!.length - 1] as number;
    const p = this.penalties;
    this.addWeight('kernel', [inDim, this.units], this.kernelInitializer, { regularizer: p.kernelRegularizer, constraint: p.kernelConstraint }); // [in, out]
    if (this.useBias) this.addWeight('bias', [this.units], this.biasInitializer, { regularizer: p.biasRegularizer, constraint: p.biasConstraint }); // [out]
  }

  getConfig(): DenseConfig {
    return {
      className: 'Dense', ...this.baseConfig(), units: this.units, activation: this.activation,
      useBias: this.useBias, kernelInitializer: this.kernelInitializer, biasInitializer: this.biasInitializer, ...this.penalties,
    };
  }
}

export class Flatten extends Layer {
  constructor(args: LayerArgs = {}) {
    openArgs('Flatten', args, 'flatten', []);
    super('Flatten', args, 'flatten');
  }

  // [N, d1, ..., dk] -> [N, d1 * ... * dk]; unknown if any dim is unknown.
  protected inferShape([input]: Shape[]): Shape {
    const shape = input!;
    if (shape.length < 1) fail(this.where, `needs an input with a batch dimension, got ${shapeText(shape)}.`);
    const features = shape.slice(1);
    const size = features.some((d) => d === null) ? null : features.reduce<number>((a, d) => a * (d as number), 1);
    return [shape[0]!, size];
  }

  getConfig(): FlattenConfig {
    return { className: 'Flatten', ...this.baseConfig() };
  }
}

export interface DropoutArgs extends LayerArgs {
  rate: number;
  seed?: number;
}

export class Dropout extends Layer {
  readonly rate: number;
  readonly seed: number | null;

  constructor(args: DropoutArgs) {
    const where = openArgs('Dropout', args, 'dropout', ['rate', 'seed']);
    const rate = args.rate;
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      fail(where, `rate must be a number in [0, 1) (the fraction of inputs dropped), got ${describe(rate)}.`);
    }
    if (args.seed !== undefined && (typeof args.seed !== 'number' || !Number.isInteger(args.seed))) {
      fail(where, `seed must be an integer, got ${describe(args.seed)}.`);
    }
    super('Dropout', args, 'dropout');
    this.rate = rate;
    this.seed = args.seed ?? null;
  }

  protected inferShape([input]: Shape[]): Shape {
    return [...input!];
  }

  getConfig(): DropoutConfig {
    return { className: 'Dropout', ...this.baseConfig(), rate: this.rate, seed: this.seed };
  }
}

export interface ActivationArgs extends LayerArgs {
  activation: ActivationName;
}

export class Activation extends Layer {
  readonly activation: ActivationName;

  constructor(args: ActivationArgs) {
    const where = openArgs('Activation', args, 'activation', ['activation']);
    if (args.activation === undefined) fail(where, `needs an activation, e.g. {activation: 'relu'}.`);
    const activation = checkActivation(where, args.activation);
    super('Activation', args, 'activation');
    this.activation = activation;
  }

  protected inferShape([input]: Shape[]): Shape {
    return [...input!];
  }

  getConfig(): ActivationConfig {
    return { className: 'Activation', ...this.baseConfig(), activation: this.activation };
  }
}

export const DENSE: LayerEntry<'Dense'> = {
  fromConfig: (config) => new Dense(configArgs('Dense', config) as unknown as DenseArgs),
  nameBase: 'dense',
  factory: 'dense',
  options: [
    { key: 'units', type: 'int', label: 'units', initial: 32, python: 'positional' },
    { ...ACTIVATION_OPTION, initial: 'relu' },
    ...BIAS_OPTIONS,
    ...PENALTY_OPTIONS,
  ],
  keras: ['units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', ...PENALTY_KEYS],
  sample: { inputs: [[5]], options: { units: 4, activation: 'tanh' } },
};

export const FLATTEN: LayerEntry<'Flatten'> = {
  fromConfig: (config) => new Flatten(configArgs('Flatten', config)),
  nameBase: 'flatten',
  factory: 'flatten',
  options: [],
  keras: [KERAS_DATA_FORMAT],
  sample: { inputs: [[3, 4, 2]] },
};

export const DROPOUT: LayerEntry<'Dropout'> = {
  fromConfig: (config) => {
    // Keras writes seed: null for "no seed"; the factory takes no seed option then.
    const { seed, ...args } = configArgs('Dropout', config);
    return new Dropout((seed === null ? args : { ...args, seed }) as unknown as DropoutArgs);
  },
  nameBase: 'dropout',
  factory: 'dropout',
  options: [
    { key: 'rate', type: 'number', label: 'rate', step: 0.05, range: [0, 1], initial: 0.25, python: 'positional' },
    { key: 'seed', type: 'seed', default: null },
  ],
  keras: ['rate', { key: 'noise_shape', value: null, accepted: [null] }, 'seed'],
  sample: { inputs: [[6]], options: { rate: 0.5 } },
};

export const ACTIVATION: LayerEntry<'Activation'> = {
  fromConfig: (config) => new Activation(configArgs('Activation', config) as unknown as ActivationArgs),
  nameBase: 'activation',
  factory: 'activation',
  options: [{ key: 'activation', type: 'activation', label: 'activation', initial: 'relu', python: 'positional' }],
  sample: { inputs: [[6]], options: { activation: 'sigmoid' } },
};
