// Reshape (target_shape with at most one -1) and Permute (dims, 1-based as in Keras): layers that
// rearrange the features of each sample. Reshape is a view (no instruction runs); Permute is a
// transpose that leaves the batch axis first.

import type { Shape } from '../../ops/shapes.ts';
import { Layer, openArgs, type BaseConfig, type LayerArgs } from '../layer.ts';
import { LIMITS, describe, fail, shapeText } from '../validate.ts';
import { configArgs, type LayerEntry } from './entry.ts';

export interface ReshapeConfig extends BaseConfig {
  className: 'Reshape';
  /** The feature shape (no batch axis); one entry may be -1, inferred from the others. */
  targetShape: number[];
}

export interface PermuteConfig extends BaseConfig {
  className: 'Permute';
  /** A permutation of 1..rank-1: output axis k + 1 is input axis dims[k]. */
  dims: number[];
}

export interface ReshapeArgs extends LayerArgs {
  targetShape: number[];
}

export interface PermuteArgs extends LayerArgs {
  dims: number[];
}

function intList(where: string, option: string, value: unknown, example: string): number[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > 7 || !value.every((d) => typeof d === 'number' && Number.isInteger(d))) {
    fail(where, `${option} must be a list of 1 to 7 integers like ${example}, got ${describe(value)}.`);
  }
  return [...(value as number[])];
}

const product = (dims: readonly number[]): number => dims.reduce((a, d) => a * d, 1);

export class Reshape extends Layer {
  readonly targetShape: number[];

  constructor(args: ReshapeArgs) {
    const where = openArgs('Reshape', args, 'reshape', ['targetShape']);
    if (args.targetShape === undefined) fail(where, `needs a targetShape, e.g. {targetShape: [7, 4]} (no batch axis; one entry may be -1).`);
    const target = intList(where, 'targetShape', args.targetShape, '[7, 4] or [-1, 4]');
    const bad = target.find((d) => d !== -1 && (d < 1 || d > LIMITS.maxDim));
    if (bad !== undefined) fail(where, `targetShape entries must be from 1 to ${LIMITS.maxDim}, or -1 once for "the rest", got ${bad} in [${target.join(', ')}].`);
    if (target.filter((d) => d === -1).length > 1) fail(where, `targetShape can have only one -1 (the inferred axis), got [${target.join(', ')}].`);
    super('Reshape', args, 'reshape');
    this.targetShape = target;
  }

  protected inferShape([input]: Shape[]): Shape {
    const features = input!.slice(1);
    const known = this.targetShape.filter((d) => d !== -1);
    if (features.some((d) => d === null)) return [input![0]!, ...this.targetShape.map((d) => (d === -1 ? null : d))];
    const size = product(features as number[]);
    const fits = this.targetShape.includes(-1) ? size % product(known) === 0 : size === product(known);
    if (!fits) {
      fail(this.where, `cannot reshape ${shapeText(input!)} (${size} values per sample) to targetShape [${this.targetShape.join(', ')}]: the sizes must match. Use a targetShape whose product is ${size}, or -1 for one axis.`);
    }
    return [input![0]!, ...this.targetShape.map((d) => (d === -1 ? size / product(known) : d))];
  }

  getConfig(): ReshapeConfig {
    return { className: 'Reshape', ...this.baseConfig(), targetShape: [...this.targetShape] };
  }
}

export class Permute extends Layer {
  readonly dims: number[];

  constructor(args: PermuteArgs) {
    const where = openArgs('Permute', args, 'permute', ['dims']);
    if (args.dims === undefined) fail(where, `needs dims, e.g. {dims: [2, 1]} (1-based axes; the batch axis stays first).`);
    const dims = intList(where, 'dims', args.dims, '[2, 1]');
    const sorted = [...dims].sort((a, b) => a - b);
    if (!sorted.every((d, k) => d === k + 1)) {
      fail(where, `dims must be a permutation of 1..${dims.length} (1-based feature axes; 0, the batch axis, cannot move), got [${dims.join(', ')}].`);
    }
    super('Permute', args, 'permute');
    this.dims = dims;
  }

  protected inferShape([input]: Shape[]): Shape {
    const shape = input!;
    if (shape.length !== this.dims.length + 1) {
      fail(this.where, `dims [${this.dims.join(', ')}] permute ${this.dims.length} axes but the input ${shapeText(shape)} has ${shape.length - 1} feature axes. Give one entry per feature axis.`);
    }
    return [shape[0]!, ...this.dims.map((d) => shape[d]!)];
  }

  getConfig(): PermuteConfig {
    return { className: 'Permute', ...this.baseConfig(), dims: [...this.dims] };
  }
}

export const RESHAPE: LayerEntry<'Reshape'> = {
  fromConfig: (config) => new Reshape(configArgs('Reshape', config) as unknown as ReshapeArgs),
  nameBase: 'reshape',
  factory: 'reshape',
  options: [{ key: 'targetShape', type: 'ints', label: 'target shape', initial: [-1], python: 'positional' }],
  sample: { inputs: [[3, 4]], options: { targetShape: [2, -1, 3] } },
};

export const PERMUTE: LayerEntry<'Permute'> = {
  fromConfig: (config) => new Permute(configArgs('Permute', config) as unknown as PermuteArgs),
  nameBase: 'permute',
  factory: 'permute',
  options: [{ key: 'dims', type: 'ints', label: 'dims', initial: [2, 1, 3], python: 'positional' }],
  sample: { inputs: [[2, 3, 4]], options: { dims: [3, 1, 2] } },
};
