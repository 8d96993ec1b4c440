// BatchNormalization (Keras 3): normalizes each channel of the last axis with the batch's mean and
// biased variance while training (and moves moving_mean/moving_variance toward them by
// `momentum`), with the moving statistics in evaluation and prediction, and when frozen
// (trainable false), as Keras 3 does. Weights in Keras's order: gamma (scale), beta (center),
// moving_mean, moving_variance; the last two are non-trainable.

import type { Shape } from '../../ops/shapes.ts';
import { initializerArg, type Initializer } from '../initializers.ts';
import { Layer, openArgs, type BaseConfig, type LayerArgs } from '../layer.ts';
import { bool, describe, fail, shapeText } from '../validate.ts';
import { configArgs, type KerasFixed, type LayerEntry } from './entry.ts';

export interface BatchNormalizationConfig extends BaseConfig {
  className: 'BatchNormalization';
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  betaInitializer: Initializer;
  gammaInitializer: Initializer;
  movingMeanInitializer: Initializer;
  movingVarianceInitializer: Initializer;
}

export interface BatchNormalizationArgs extends LayerArgs {
  /** The channel axis; only -1 (the last) runs here. */
  axis?: number;
  momentum?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: Initializer;
  gammaInitializer?: Initializer;
  movingMeanInitializer?: Initializer;
  movingVarianceInitializer?: Initializer;
}

const KEYS = ['axis', 'momentum', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer', 'movingMeanInitializer', 'movingVarianceInitializer'];

function inRange(where: string, option: string, value: unknown, fallback: number, ok: (v: number) => boolean, range: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) fail(where, `${option} must be a number ${range}, got ${describe(value)}.`);
  return value;
}

export class BatchNormalization extends Layer {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;

  constructor(args: BatchNormalizationArgs = {}) {
    const where = openArgs('BatchNormalization', args, 'batch_normalization', KEYS);
    const axis = args.axis ?? -1;
    if (typeof axis !== 'number' || !Number.isInteger(axis) || axis === 0) {
      fail(where, `axis must be a non-zero integer (-1 is the channel axis), got ${describe(axis)}.`);
    }
    const momentum = inRange(where, 'momentum', args.momentum, 0.99, (v) => v >= 0 && v <= 1, 'from 0 to 1 (Keras: 0.99)');
    const epsilon = inRange(where, 'epsilon', args.epsilon, 0.001, (v) => v > 0, 'above 0 (Keras: 0.001)');
    const center = args.center === undefined ? true : bool(where, 'center', args.center);
    const scale = args.scale === undefined ? true : bool(where, 'scale', args.scale);
    const inits = {
      beta: initializerArg(where, 'betaInitializer', args.betaInitializer, 'zeros'),
      gamma: initializerArg(where, 'gammaInitializer', args.gammaInitializer, 'ones'),
      mean: initializerArg(where, 'movingMeanInitializer', args.movingMeanInitializer, 'zeros'),
      variance: initializerArg(where, 'movingVarianceInitializer', args.movingVarianceInitializer, 'ones'),
    };
    super('BatchNormalization', args, 'batch_normalization');
    this.axis = axis;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.center = center;
    this.scale = scale;
    this.betaInitializer = inits.beta;
    this.gammaInitializer = inits.gamma;
    this.movingMeanInitializer = inits.mean;
    this.movingVarianceInitializer = inits.variance;
  }

  protected inferShape([input]: Shape[]): Shape {
    const shape = input!;
    const rank = shape.length;
    if (rank < 2) fail(this.where, `needs an input with a channel axis, got ${shapeText(shape)}.`);
    if (this.axis !== -1 && this.axis !== rank - 1) {
      fail(this.where, `axis ${this.axis} is not supported for inputs ${shapeText(shape)}: only the last axis (-1, channels last) is normalized here. Use axis: -1 with channels-last data.`);
    }
    const channels = shape[rank - 1];
    if (channels === null) fail(this.where, `the channel dimension of its input ${shapeText(shape)} must be known.`);
    const built = this.weights[this.weights.length - 1]?.shape[0];
    if (built !== undefined && built !== channels) {
      fail(this.where, `was built for ${built} channels, got ${shapeText(shape)}. A shared layer needs inputs with the same channels.`);
    }
    return [...shape];
  }

  protected override build([input]: Shape[]): void {
    const channels = input![input!.length - 1] as number;
    if (this.scale) this.addWeight('gamma', [channels], this.gammaInitializer); // [C]
    if (this.center) this.addWeight('beta', [channels], this.betaInitializer); // [C]
    this.addWeight('moving_mean', [channels], this.movingMeanInitializer, { trainable: false }); // [C]
    this.addWeight('moving_variance', [channels], this.movingVarianceInitializer, { trainable: false }); // [C]
  }

  getConfig(): BatchNormalizationConfig {
    return {
      className: 'BatchNormalization', ...this.baseConfig(), axis: this.axis, momentum: this.momentum, epsilon: this.epsilon,
      center: this.center, scale: this.scale, betaInitializer: this.betaInitializer, gammaInitializer: this.gammaInitializer,
      movingMeanInitializer: this.movingMeanInitializer, movingVarianceInitializer: this.movingVarianceInitializer,
    };
  }
}

const fixed = (key: string, value: KerasFixed['value']): KerasFixed => ({ key, value, accepted: [value] });

export const BATCH_NORMALIZATION: LayerEntry<'BatchNormalization'> = {
  fromConfig: (config) => new BatchNormalization(configArgs('BatchNormalization', config) as unknown as BatchNormalizationArgs),
  nameBase: 'batch_normalization',
  factory: 'batchNormalization',
  options: [
    { key: 'axis', type: 'axis', default: -1 },
    { key: 'momentum', type: 'number', label: 'momentum', step: 0.01, range: [0, 1], default: 0.99 },
    { key: 'epsilon', type: 'number', label: 'epsilon', step: 0.001, default: 0.001 },
    { key: 'center', type: 'bool', label: 'center', default: true },
    { key: 'scale', type: 'bool', label: 'scale', default: true },
    { key: 'betaInitializer', type: 'initializer', default: 'zeros' },
    { key: 'gammaInitializer', type: 'initializer', default: 'ones' },
    { key: 'movingMeanInitializer', type: 'initializer', default: 'zeros' },
    { key: 'movingVarianceInitializer', type: 'initializer', default: 'ones' },
  ],
  keras: [
    'axis', 'momentum', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer', 'movingMeanInitializer', 'movingVarianceInitializer',
    fixed('beta_regularizer', null), fixed('gamma_regularizer', null), fixed('beta_constraint', null), fixed('gamma_constraint', null),
    fixed('synchronized', false), fixed('renorm', false), fixed('renorm_clipping', null), fixed('renorm_momentum', 0.99),
  ],
  sample: { inputs: [[2, 4]], options: { momentum: 0.9, gammaInitializer: 'heNormal', betaInitializer: 'randomNormal' } },
};
