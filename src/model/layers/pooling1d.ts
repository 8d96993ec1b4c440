// GlobalMaxPooling2D, the 1-D global pools (GlobalAveragePooling1D, GlobalMaxPooling1D) and the
// 1-D window pools (MaxPooling1D, AveragePooling1D), as in Keras. 1-D inputs are [N, steps,
// channels]; the executor runs them as 2-D pools over an image of height 1 (lowerings.ts).

import { convOutputLength, type Padding, type Shape } from '../../ops/shapes.ts';
import { Layer, openArgs, type BaseConfig, type LayerArgs } from '../layer.ts';
import { bool, describe, fail, oneOf, positiveInt, shapeText } from '../validate.ts';
import { KERAS_DATA_FORMAT, configArgs, type LayerEntry } from './entry.ts';
import type { GlobalPooling2DArgs } from './globalPooling.ts';

export interface GlobalMaxPooling2DConfig extends BaseConfig {
  className: 'GlobalMaxPooling2D';
  keepdims: boolean;
}

export interface GlobalPooling1DConfig extends BaseConfig {
  className: 'GlobalAveragePooling1D' | 'GlobalMaxPooling1D';
  /** Keep the pooled axis as size 1: [N, 1, C] instead of [N, C]. */
  keepdims: boolean;
}

export interface Pooling1DConfig extends BaseConfig {
  className: 'MaxPooling1D' | 'AveragePooling1D';
  /** [steps], as Keras writes it. */
  poolSize: [number];
  /** [steps]; Keras defaults it to poolSize. */
  strides: [number];
  padding: Padding;
}

type GlobalClass = 'GlobalMaxPooling2D' | GlobalPooling1DConfig['className'];

const GLOBAL_BASES: Record<GlobalClass, string> = {
  GlobalMaxPooling2D: 'global_max_pooling2d',
  GlobalAveragePooling1D: 'global_average_pooling1d',
  GlobalMaxPooling1D: 'global_max_pooling1d',
};

function checkRank(where: string, shape: Shape, rank: 3 | 4): void {
  if (shape.length === rank) return;
  const wanted = rank === 4 ? 'a 4-D input (batch, height, width, channels)' : 'a 3-D input (batch, steps, channels)';
  const example = rank === 4 ? '[28, 28, 1]' : '[20, 8]';
  fail(where, `needs ${wanted}, got ${shapeText(shape)}. Give input() a shape like ${example}.`);
}

/** A global pool: the max or mean of each channel over every position. */
export class GlobalPooling extends Layer {
  readonly keepdims: boolean;

  constructor(className: GlobalClass, args: GlobalPooling2DArgs) {
    const where = openArgs(className, args, GLOBAL_BASES[className], ['keepdims']);
    const keepdims = args.keepdims === undefined ? false : bool(where, 'keepdims', args.keepdims);
    super(className, args, GLOBAL_BASES[className]);
    this.keepdims = keepdims;
  }

  protected inferShape([input]: Shape[]): Shape {
    const shape = input!;
    checkRank(this.where, shape, this.className === 'GlobalMaxPooling2D' ? 4 : 3);
    const [batch, channels] = [shape[0]!, shape[shape.length - 1]!];
    return this.keepdims ? [batch, ...shape.slice(1, -1).map(() => 1), channels] : [batch, channels];
  }

  getConfig(): GlobalMaxPooling2DConfig | GlobalPooling1DConfig {
    return { className: this.className as GlobalClass, ...this.baseConfig(), keepdims: this.keepdims };
  }
}

export class GlobalMaxPooling2D extends GlobalPooling {
  constructor(args: GlobalPooling2DArgs = {}) {
    super('GlobalMaxPooling2D', args);
  }
}

export class GlobalAveragePooling1D extends GlobalPooling {
  constructor(args: GlobalPooling2DArgs = {}) {
    super('GlobalAveragePooling1D', args);
  }
}

export class GlobalMaxPooling1D extends GlobalPooling {
  constructor(args: GlobalPooling2DArgs = {}) {
    super('GlobalMaxPooling1D', args);
  }
}

export interface Pooling1DArgs extends LayerArgs {
  /** Defaults to 2. */
  poolSize?: number | [number];
  /** Defaults to poolSize (Keras). */
  strides?: number | [number] | null;
  padding?: Padding;
}

/** An int or a one-element list of one, as Keras accepts for pool_size and strides. */
function oneInt(where: string, option: string, value: unknown): [number] {
  if (Array.isArray(value) && value.length === 1) return [positiveInt(where, `${option}[0]`, value[0])];
  if (typeof value === 'number') return [positiveInt(where, option, value)];
  return fail(where, `${option} must be a positive integer or a list of one, like 2 or [2], got ${describe(value)}.`);
}

type Pool1DClass = Pooling1DConfig['className'];

export class Pooling1D extends Layer {
  readonly poolSize: [number];
  readonly strides: [number];
  readonly padding: Padding;

  constructor(className: Pool1DClass, args: Pooling1DArgs) {
    const base = className === 'MaxPooling1D' ? 'max_pooling1d' : 'average_pooling1d';
    const where = openArgs(className, args, base, ['poolSize', 'strides', 'padding']);
    const poolSize = oneInt(where, 'poolSize', args.poolSize ?? 2);
    const strides = args.strides === undefined || args.strides === null ? poolSize : oneInt(where, 'strides', args.strides);
    const padding = oneOf(where, 'padding', args.padding ?? 'valid', ['valid', 'same'] as const);
    super(className, args, base);
    this.poolSize = poolSize;
    this.strides = strides;
    this.padding = padding;
  }

  protected inferShape([input]: Shape[]): Shape {
    const shape = input!;
    checkRank(this.where, shape, 3);
    const steps = convOutputLength(shape[1]!, this.poolSize[0], this.padding, this.strides[0]);
    if (steps !== null && steps < 1) {
      fail(this.where, `poolSize ${this.poolSize[0]} is larger than its input's ${shape[1]} steps from ${shapeText(shape)} with padding 'valid'. Use a smaller poolSize or padding: 'same'.`);
    }
    return [shape[0]!, steps, shape[2]!];
  }

  getConfig(): Pooling1DConfig {
    return { className: this.className as Pool1DClass, ...this.baseConfig(), poolSize: [...this.poolSize], strides: [...this.strides], padding: this.padding };
  }
}

export class MaxPooling1D extends Pooling1D {
  constructor(args: Pooling1DArgs = {}) {
    super('MaxPooling1D', args);
  }
}

export class AveragePooling1D extends Pooling1D {
  constructor(args: Pooling1DArgs = {}) {
    super('AveragePooling1D', args);
  }
}

const KEEPDIMS = [{ key: 'keepdims', type: 'bool', label: 'keepdims', default: false }] as const;

export const GLOBAL_MAX_POOLING2D: LayerEntry<'GlobalMaxPooling2D'> = {
  fromConfig: (config) => new GlobalMaxPooling2D(configArgs('GlobalMaxPooling2D', config) as GlobalPooling2DArgs),
  nameBase: 'global_max_pooling2d',
  factory: 'globalMaxPooling2d',
  options: KEEPDIMS,
  keras: [KERAS_DATA_FORMAT, 'keepdims'],
  sample: { inputs: [[3, 4, 2]] },
};

export const GLOBAL_AVERAGE_POOLING1D: LayerEntry<'GlobalAveragePooling1D'> = {
  fromConfig: (config) => new GlobalAveragePooling1D(configArgs('GlobalAveragePooling1D', config) as GlobalPooling2DArgs),
  nameBase: 'global_average_pooling1d',
  factory: 'globalAveragePooling1d',
  options: KEEPDIMS,
  keras: [KERAS_DATA_FORMAT, 'keepdims'],
  sample: { inputs: [[5, 2]], options: { keepdims: true } },
};

export const GLOBAL_MAX_POOLING1D: LayerEntry<'GlobalMaxPooling1D'> = {
  fromConfig: (config) => new GlobalMaxPooling1D(configArgs('GlobalMaxPooling1D', config) as GlobalPooling2DArgs),
  nameBase: 'global_max_pooling1d',
  factory: 'globalMaxPooling1d',
  options: KEEPDIMS,
  keras: [KERAS_DATA_FORMAT, 'keepdims'],
  sample: { inputs: [[5, 2]] },
};

/** Keras's 1-D pooling signature: pool_size (written even at its default), strides (default: pool_size), padding. */
const POOLING1D_OPTIONS = [
  { key: 'poolSize', type: 'ints', label: 'pool size', default: [2], python: 'always' },
  { key: 'strides', type: 'ints', label: 'strides', default: { sameAs: 'poolSize' } },
  { key: 'padding', type: 'select', choices: ['valid', 'same'], label: 'padding', default: 'valid' },
] as const;

const POOLING1D_KERAS = ['poolSize', 'padding', 'strides', KERAS_DATA_FORMAT] as const;

export const MAX_POOLING1D: LayerEntry<'MaxPooling1D'> = {
  fromConfig: (config) => new MaxPooling1D(configArgs('MaxPooling1D', config) as Pooling1DArgs),
  nameBase: 'max_pooling1d',
  factory: 'maxPooling1d',
  options: POOLING1D_OPTIONS,
  keras: POOLING1D_KERAS,
  sample: { inputs: [[7, 2]], options: { poolSize: [3], strides: [2], padding: 'same' } },
};

export const AVERAGE_POOLING1D: LayerEntry<'AveragePooling1D'> = {
  fromConfig: (config) => new AveragePooling1D(configArgs('AveragePooling1D', config) as Pooling1DArgs),
  nameBase: 'average_pooling1d',
  factory: 'averagePooling1d',
  options: POOLING1D_OPTIONS,
  keras: POOLING1D_KERAS,
  sample: { inputs: [[7, 2]], options: { poolSize: [3], strides: [2], padding: 'same' } },
};
