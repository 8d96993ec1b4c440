// SpatialDropout2D, GaussianNoise and GaussianDropout: Keras's training-time regularizers, the
// identity at inference. Each is seeded like Dropout (its own seed, or one from the training seed
// and its place in the model) and draws fresh noise every step (src/ops/reference/noise.ts).

import type { Shape } from '../../ops/shapes.ts';
import { Layer, openArgs, type BaseConfig, type LayerArgs } from '../layer.ts';
import { describe, fail, shapeText } from '../validate.ts';
import { KERAS_DATA_FORMAT, configArgs, type ConfigInput, type LayerEntry } from './entry.ts';

export type NoiseClass = 'SpatialDropout2D' | 'GaussianNoise' | 'GaussianDropout';

export interface SpatialDropout2DConfig extends BaseConfig {
  className: 'SpatialDropout2D';
  /** The fraction of channels dropped per sample, in [0, 1). */
  rate: number;
  seed: number | null;
}

export interface GaussianNoiseConfig extends BaseConfig {
  className: 'GaussianNoise';
  /** The standard deviation of the additive noise. */
  stddev: number;
  seed: number | null;
}

export interface GaussianDropoutConfig extends BaseConfig {
  className: 'GaussianDropout';
  /** Multiplicative noise N(1, rate / (1 - rate)), rate in [0, 1). */
  rate: number;
  seed: number | null;
}

export interface RateArgs extends LayerArgs {
  rate: number;
  seed?: number;
}

export interface GaussianNoiseArgs extends LayerArgs {
  stddev: number;
  seed?: number;
}

const BASES: Record<NoiseClass, string> = { SpatialDropout2D: 'spatial_dropout2d', GaussianNoise: 'gaussian_noise', GaussianDropout: 'gaussian_dropout' };

function seedOf(where: string, seed: unknown): number | null {
  if (seed === undefined || seed === null) return null;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) fail(where, `seed must be an integer, got ${describe(seed)}.`);
  return seed;
}

function rateOf(where: string, rate: unknown, what: string): number {
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) fail(where, `rate must be a number in [0, 1) (${what}), got ${describe(rate)}.`);
  return rate;
}

export class NoiseLayer extends Layer {
  /** The rate, or GaussianNoise's stddev. */
  readonly amount: number;
  readonly seed: number | null;

  constructor(className: NoiseClass, args: RateArgs | GaussianNoiseArgs) {
    const key = className === 'GaussianNoise' ? 'stddev' : 'rate';
    const where = openArgs(className, args, BASES[className], [key, 'seed']);
    const value = (args as unknown as ConfigInput)[key];
    let amount: number;
    if (className === 'GaussianNoise') {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(where, `stddev must be a number >= 0 (the noise's standard deviation), got ${describe(value)}.`);
      amount = value;
    } else {
      amount = rateOf(where, value, className === 'SpatialDropout2D' ? 'the fraction of channels dropped' : 'the noise is N(1, rate / (1 - rate))');
    }
    const seed = seedOf(where, args.seed);
    super(className, args, BASES[className]);
    this.amount = amount;
    this.seed = seed;
  }

  protected inferShape([input]: Shape[]): Shape {
    const shape = input!;
    if (this.className === 'SpatialDropout2D' && shape.length !== 4) {
      fail(this.where, `needs a 4-D input (batch, height, width, channels), got ${shapeText(shape)}. Use Dropout for other inputs.`);
    }
    return [...shape];
  }

  getConfig(): SpatialDropout2DConfig | GaussianNoiseConfig | GaussianDropoutConfig {
    const base = this.baseConfig();
    if (this.className === 'GaussianNoise') return { className: 'GaussianNoise', ...base, stddev: this.amount, seed: this.seed };
    return { className: this.className as 'SpatialDropout2D' | 'GaussianDropout', ...base, rate: this.amount, seed: this.seed };
  }
}

export class SpatialDropout2D extends NoiseLayer {
  constructor(args: RateArgs) {
    super('SpatialDropout2D', args);
  }
}

export class GaussianNoise extends NoiseLayer {
  constructor(args: GaussianNoiseArgs) {
    super('GaussianNoise', args);
  }
}

export class GaussianDropout extends NoiseLayer {
  constructor(args: RateArgs) {
    super('GaussianDropout', args);
  }
}

/** Keras writes seed: null for "no seed"; the factory takes no seed option then. */
function withoutNullSeed(className: NoiseClass, config: ConfigInput): Record<string, unknown> {
  const { seed, ...args } = configArgs(className, config);
  return seed === null ? args : { ...args, seed };
}

const SEED = { key: 'seed', type: 'seed', default: null } as const;
const RATE = { key: 'rate', type: 'number', label: 'rate', step: 0.05, range: [0, 1], initial: 0.25, python: 'positional' } as const;

export const SPATIAL_DROPOUT2D: LayerEntry<'SpatialDropout2D'> = {
  fromConfig: (config) => new SpatialDropout2D(withoutNullSeed('SpatialDropout2D', config) as unknown as RateArgs),
  nameBase: 'spatial_dropout2d',
  factory: 'spatialDropout2d',
  options: [RATE, SEED],
  keras: ['rate', 'seed', KERAS_DATA_FORMAT],
  sample: { inputs: [[2, 3, 4]], options: { rate: 0.5 } },
};

export const GAUSSIAN_NOISE: LayerEntry<'GaussianNoise'> = {
  fromConfig: (config) => new GaussianNoise(withoutNullSeed('GaussianNoise', config) as unknown as GaussianNoiseArgs),
  nameBase: 'gaussian_noise',
  factory: 'gaussianNoise',
  options: [{ key: 'stddev', type: 'number', label: 'stddev', step: 0.05, range: [0, 100], initial: 0.1, python: 'positional' }, SEED],
  sample: { inputs: [[6]], options: { stddev: 0.5 } },
};

export const GAUSSIAN_DROPOUT: LayerEntry<'GaussianDropout'> = {
  fromConfig: (config) => new GaussianDropout(withoutNullSeed('GaussianDropout', config) as unknown as RateArgs),
  nameBase: 'gaussian_dropout',
  factory: 'gaussianDropout',
  options: [RATE, SEED],
  sample: { inputs: [[6]], options: { rate: 0.3 } },
};
