// ZeroPadding2D, Cropping2D and UpSampling2D (nearest): layers that resize NHWC images without
// weights, as in Keras. Padding and cropping take an int, a [height, width] pair or
// [[top, bottom], [left, right]], always kept (and written) in the last form, as Keras does.

import type { Dim, Shape } from '../../ops/shapes.ts';
import { Layer, openArgs, type BaseConfig, type LayerArgs } from '../layer.ts';
import { LIMITS, describe, fail, intPair, shapeText } from '../validate.ts';
import { KERAS_DATA_FORMAT, configArgs, type LayerEntry } from './entry.ts';

/** [[top, bottom], [left, right]]. */
export type Sides2D = [[number, number], [number, number]];

export interface ZeroPadding2DConfig extends BaseConfig {
  className: 'ZeroPadding2D';
  padding: Sides2D;
}

export interface Cropping2DConfig extends BaseConfig {
  className: 'Cropping2D';
  cropping: Sides2D;
}

export interface UpSampling2DConfig extends BaseConfig {
  className: 'UpSampling2D';
  /** [height, width] factors. */
  size: [number, number];
  interpolation: 'nearest';
}

type SidesArg = number | [number, number] | [[number, number], [number, number]];

function side(where: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > LIMITS.maxDim) {
    fail(where, `${option} must be an integer from 0 to ${LIMITS.maxDim}, got ${describe(value)}.`);
  }
  return value;
}

/** Keras's forms: n (every side), [h, w] (top = bottom = h, left = right = w), [[t, b], [l, r]]. */
function sides2D(where: string, option: string, value: unknown): Sides2D {
  if (typeof value === 'number') {
    const n = side(where, option, value);
    return [[n, n], [n, n]];
  }
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) {
    const [h, w] = [side(where, `${option}[0]`, value[0]), side(where, `${option}[1]`, value[1])];
    return [[h, h], [w, w]];
  }
  if (Array.isArray(value) && value.length === 2 && value.every((v) => Array.isArray(v) && v.length === 2)) {
    const [[t, b], [l, r]] = value as unknown[][];
    return [[side(where, `${option}[0][0]`, t), side(where, `${option}[0][1]`, b)], [side(where, `${option}[1][0]`, l), side(where, `${option}[1][1]`, r)]];
  }
  return fail(where, `${option} must be an integer, a pair [height, width] or [[top, bottom], [left, right]], got ${describe(value)}.`);
}

function checkImage(where: string, shape: Shape): void {
  if (shape.length !== 4) fail(where, `needs a 4-D input (batch, height, width, channels), got ${shapeText(shape)}. Give input() a shape like [28, 28, 1].`);
}

const grow = (d: Dim, by: number): Dim => (d === null ? null : d + by);

export interface ZeroPadding2DArgs extends LayerArgs {
  /** Defaults to 1 on every side. */
  padding?: SidesArg;
}

export class ZeroPadding2D extends Layer {
  readonly padding: Sides2D;

  constructor(args: ZeroPadding2DArgs = {}) {
    const where = openArgs('ZeroPadding2D', args, 'zero_padding2d', ['padding']);
    const padding = sides2D(where, 'padding', args.padding ?? 1);
    super('ZeroPadding2D', args, 'zero_padding2d');
    this.padding = padding;
  }

  protected inferShape([input]: Shape[]): Shape {
    const shape = input!;
    checkImage(this.where, shape);
    const [[t, b], [l, r]] = this.padding;
    return [shape[0]!, grow(shape[1]!, t + b), grow(shape[2]!, l + r), shape[3]!];
  }

  getConfig(): ZeroPadding2DConfig {
    const [[t, b], [l, r]] = this.padding;
    return { className: 'ZeroPadding2D', ...this.baseConfig(), padding: [[t, b], [l, r]] };
  }
}

export interface Cropping2DArgs extends LayerArgs {
  /** Defaults to 0 on every side. */
  cropping?: SidesArg;
}

export class Cropping2D extends Layer {
  readonly cropping: Sides2D;

  constructor(args: Cropping2DArgs = {}) {
    const where = openArgs('Cropping2D', args, 'cropping2d', ['cropping']);
    const cropping = sides2D(where, 'cropping', args.cropping ?? 0);
    super('Cropping2D', args, 'cropping2d');
    this.cropping = cropping;
  }

  protected inferShape([input]: Shape[]): Shape {
    const shape = input!;
    checkImage(this.where, shape);
    const [[t, b], [l, r]] = this.cropping;
    const [h, w] = [grow(shape[1]!, -(t + b)), grow(shape[2]!, -(l + r))];
    if ((h !== null && h < 1) || (w !== null && w < 1)) {
      fail(this.where, `cropping [[${t}, ${b}], [${l}, ${r}]] removes the whole image ${shapeText(shape)}: at least one row and column must remain. Crop less.`);
    }
    return [shape[0]!, h, w, shape[3]!];
  }

  getConfig(): Cropping2DConfig {
    const [[t, b], [l, r]] = this.cropping;
    return { className: 'Cropping2D', ...this.baseConfig(), cropping: [[t, b], [l, r]] };
  }
}

export interface UpSampling2DArgs extends LayerArgs {
  /** Defaults to [2, 2]. */
  size?: number | [number, number];
  interpolation?: 'nearest';
}

export class UpSampling2D extends Layer {
  readonly size: [number, number];

  constructor(args: UpSampling2DArgs = {}) {
    const where = openArgs('UpSampling2D', args, 'up_sampling2d', ['size', 'interpolation']);
    const size = intPair(where, 'size', args.size ?? 2);
    const interpolation: unknown = args.interpolation ?? 'nearest';
    if (interpolation !== 'nearest') {
      fail(where, `interpolation ${describe(interpolation)} is not supported: only 'nearest' runs here (Keras's 'bilinear' and others do not). Use interpolation: 'nearest'.`);
    }
    super('UpSampling2D', args, 'up_sampling2d');
    this.size = size;
  }

  protected inferShape([input]: Shape[]): Shape {
    const shape = input!;
    checkImage(this.where, shape);
    const scaled = (d: Dim, by: number): Dim => (d === null ? null : d * by);
    return [shape[0]!, scaled(shape[1]!, this.size[0]), scaled(shape[2]!, this.size[1]), shape[3]!];
  }

  getConfig(): UpSampling2DConfig {
    return { className: 'UpSampling2D', ...this.baseConfig(), size: [...this.size], interpolation: 'nearest' };
  }
}

export const ZERO_PADDING2D: LayerEntry<'ZeroPadding2D'> = {
  fromConfig: (config) => new ZeroPadding2D(configArgs('ZeroPadding2D', config) as ZeroPadding2DArgs),
  nameBase: 'zero_padding2d',
  factory: 'zeroPadding2d',
  options: [{ key: 'padding', type: 'sides', label: 'padding', default: [[1, 1], [1, 1]], range: [0, LIMITS.maxDim] }],
  keras: ['padding', KERAS_DATA_FORMAT],
  sample: { inputs: [[3, 4, 2]], options: { padding: [[1, 0], [2, 1]] } },
};

export const CROPPING2D: LayerEntry<'Cropping2D'> = {
  fromConfig: (config) => new Cropping2D(configArgs('Cropping2D', config) as Cropping2DArgs),
  nameBase: 'cropping2d',
  factory: 'cropping2d',
  options: [{ key: 'cropping', type: 'sides', label: 'cropping', default: [[0, 0], [0, 0]], initial: [[1, 1], [1, 1]], range: [0, LIMITS.maxDim] }],
  keras: ['cropping', KERAS_DATA_FORMAT],
  sample: { inputs: [[5, 6, 2]], options: { cropping: [[1, 2], [0, 3]] } },
};

export const UP_SAMPLING2D: LayerEntry<'UpSampling2D'> = {
  fromConfig: (config) => new UpSampling2D(configArgs('UpSampling2D', config) as UpSampling2DArgs),
  nameBase: 'up_sampling2d',
  factory: 'upSampling2d',
  options: [
    { key: 'size', type: 'pair', label: 'size', default: [2, 2] },
    { key: 'interpolation', type: 'select', choices: ['nearest'], default: 'nearest' },
  ],
  keras: ['size', KERAS_DATA_FORMAT, 'interpolation'],
  sample: { inputs: [[2, 3, 2]], options: { size: [2, 3] } },
};
