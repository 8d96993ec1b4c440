// Keras's activation layers with options of their own: ReLU (max_value, negative_slope,
// threshold), LeakyReLU (negative_slope; Keras 2's `alpha` read too), ELU (alpha) and Softmax
// (axis). Shapes pass through unchanged; PReLU, which has a weight, lives in prelu.ts.

import type { Shape } from '../../ops/shapes.ts';
import { Layer, openArgs, type BaseConfig, type LayerArgs } from '../layer.ts';
import { describe, fail, shapeText } from '../validate.ts';
import { configArgs, type LayerEntry } from './entry.ts';

/** A finite number >= 0 (Keras refuses negative slopes, thresholds and max values). */
function nonNegative(where: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail(where, `${option} must be a finite number >= 0, got ${describe(value)}.`);
  }
  return value;
}

function finite(where: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(where, `${option} must be a finite number, got ${describe(value)}.`);
  return value;
}

/** An elementwise layer: the output shape is the input's. */
abstract class Elementwise extends Layer {
  protected inferShape([input]: Shape[]): Shape {
    return [...input!];
  }
}

export interface ReLUConfig extends BaseConfig {
  className: 'ReLU';
  maxValue: number | null;
  negativeSlope: number;
  threshold: number;
}

export interface ReLUArgs extends LayerArgs {
  /** The largest output (null: unbounded). */
  maxValue?: number | null;
  /** The slope below the threshold. */
  negativeSlope?: number;
  /** Inputs at or below it are "negative". */
  threshold?: number;
}

export class ReLU extends Elementwise {
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}) {
    const where = openArgs('ReLU', args, 're_lu', ['maxValue', 'negativeSlope', 'threshold']);
    const maxValue = args.maxValue === undefined || args.maxValue === null ? null : nonNegative(where, 'maxValue', args.maxValue);
    const negativeSlope = args.negativeSlope === undefined ? 0 : nonNegative(where, 'negativeSlope', args.negativeSlope);
    const threshold = args.threshold === undefined ? 0 : nonNegative(where, 'threshold', args.threshold);
    super('ReLU', args, 're_lu');
    this.maxValue = maxValue;
    this.negativeSlope = negativeSlope;
    this.threshold = threshold;
  }

  getConfig(): ReLUConfig {
    return { className: 'ReLU', ...this.baseConfig(), maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
  }
}

export interface LeakyReLUConfig extends BaseConfig {
  className: 'LeakyReLU';
  negativeSlope: number;
  /** Keras 2's name of negativeSlope, read from configs and never written: always null here. */
  alpha: null;
}

export interface LeakyReLUArgs extends LayerArgs {
  negativeSlope?: number;
  /** Keras 2's name of negativeSlope. */
  alpha?: number | null;
}

export class LeakyReLU extends Elementwise {
  readonly negativeSlope: number;

  constructor(args: LeakyReLUArgs = {}) {
    const where = openArgs('LeakyReLU', args, 'leaky_re_lu', ['negativeSlope', 'alpha']);
    const given = args.negativeSlope ?? args.alpha ?? undefined;
    if (args.negativeSlope !== undefined && args.alpha !== undefined && args.alpha !== null) {
      fail(where, `give negativeSlope or Keras 2's alpha, not both.`);
    }
    const negativeSlope = given === undefined ? 0.3 : nonNegative(where, args.negativeSlope === undefined ? 'alpha' : 'negativeSlope', given);
    super('LeakyReLU', args, 'leaky_re_lu');
    this.negativeSlope = negativeSlope;
  }

  getConfig(): LeakyReLUConfig {
    return { className: 'LeakyReLU', ...this.baseConfig(), negativeSlope: this.negativeSlope, alpha: null };
  }
}

export interface ELUConfig extends BaseConfig {
  className: 'ELU';
  alpha: number;
}

export interface ELUArgs extends LayerArgs {
  /** The scale of exp(x) - 1 below 0. */
  alpha?: number;
}

export class ELU extends Elementwise {
  readonly alpha: number;

  constructor(args: ELUArgs = {}) {
    const where = openArgs('ELU', args, 'elu', ['alpha']);
    const alpha = args.alpha === undefined ? 1 : finite(where, 'alpha', args.alpha);
    super('ELU', args, 'elu');
    this.alpha = alpha;
  }

  getConfig(): ELUConfig {
    return { className: 'ELU', ...this.baseConfig(), alpha: this.alpha };
  }
}

export interface SoftmaxConfig extends BaseConfig {
  className: 'Softmax';
  axis: number;
}

export interface SoftmaxArgs extends LayerArgs {
  /** The axis normalized over: the last (-1) only here. */
  axis?: number;
}

export class Softmax extends Layer {
  readonly axis: number;

  constructor(args: SoftmaxArgs = {}) {
    const where = openArgs('Softmax', args, 'softmax', ['axis']);
    const axis = args.axis ?? -1;
    if (typeof axis !== 'number' || !Number.isInteger(axis) || axis === 0) {
      fail(where, `axis must be a non-zero integer (0 is the batch axis; -1 is the last), got ${describe(axis)}.`);
    }
    super('Softmax', args, 'softmax');
    this.axis = axis;
  }

  protected inferShape([input]: Shape[]): Shape {
    const shape = input!;
    if (this.axis >= shape.length || this.axis < -(shape.length - 1)) {
      fail(this.where, `axis ${this.axis} is outside its input ${shapeText(shape)}: use an axis from 1 to ${shape.length - 1}, or -1 for the last.`);
    }
    return [...shape];
  }

  getConfig(): SoftmaxConfig {
    return { className: 'Softmax', ...this.baseConfig(), axis: this.axis };
  }
}

export const RE_LU: LayerEntry<'ReLU'> = {
  fromConfig: (config) => new ReLU(configArgs('ReLU', config) as unknown as ReLUArgs),
  nameBase: 're_lu',
  factory: 'reLU',
  options: [
    { key: 'maxValue', type: 'number', label: 'max value', step: 0.5, default: null },
    { key: 'negativeSlope', type: 'number', label: 'negative slope', step: 0.05, range: [0, 10], default: 0 },
    { key: 'threshold', type: 'number', label: 'threshold', step: 0.1, range: [0, 100], default: 0 },
  ],
  sample: { inputs: [[6]], options: { maxValue: 0.6, negativeSlope: 0.1, threshold: 0.15 } },
};

export const LEAKY_RE_LU: LayerEntry<'LeakyReLU'> = {
  fromConfig: (config) => new LeakyReLU(configArgs('LeakyReLU', config) as unknown as LeakyReLUArgs),
  nameBase: 'leaky_re_lu',
  factory: 'leakyReLU',
  options: [
    { key: 'negativeSlope', type: 'number', label: 'negative slope', step: 0.05, range: [0, 10], default: 0.3 },
    // Keras 2 wrote the slope as alpha: read, never written (no label: not in the editor).
    { key: 'alpha', type: 'number', default: null },
  ],
  keras: ['negativeSlope'],
  sample: { inputs: [[6]], options: { negativeSlope: 0.2 } },
};

export const ELU_ENTRY: LayerEntry<'ELU'> = {
  fromConfig: (config) => new ELU(configArgs('ELU', config) as unknown as ELUArgs),
  nameBase: 'elu',
  factory: 'elu',
  options: [{ key: 'alpha', type: 'number', label: 'alpha', step: 0.1, default: 1 }],
  sample: { inputs: [[6]], options: { alpha: 0.5 } },
};

export const SOFTMAX: LayerEntry<'Softmax'> = {
  fromConfig: (config) => new Softmax(configArgs('Softmax', config) as unknown as SoftmaxArgs),
  nameBase: 'softmax',
  factory: 'softmax',
  options: [{ key: 'axis', type: 'axis', label: 'axis', default: -1 }],
  sample: { inputs: [[5]] },
};
