// Normalization (Keras 3's preprocessing layer): y = (x - mean) / max(sqrt(variance), 1e-7) per
// channel of the last axis. With mean and variance given (a number, or one per channel) it has no
// weights, as in Keras; without them it holds non-trainable mean, variance and count weights,
// which adapt() fills from data (Keras 3 leaves count at 0, and so do we).

import type { Shape } from '../../ops/shapes.ts';
import { Layer, openArgs, type BaseConfig, type LayerArgs } from '../layer.ts';
import { bool, describe, fail, shapeText } from '../validate.ts';
import { configArgs, type LayerEntry } from './entry.ts';

/** A number for every channel, or one per channel. */
export type ChannelValues = number | number[];

export interface NormalizationConfig extends BaseConfig {
  className: 'Normalization';
  invert: boolean;
  mean: ChannelValues | null;
  variance: ChannelValues | null;
}

export interface NormalizationArgs extends LayerArgs {
  /** Only false: denormalizing is not supported. */
  invert?: boolean;
  mean?: ChannelValues | null;
  variance?: ChannelValues | null;
}

/** Keras's backend epsilon: the floor of the standard deviation. */
export const NORMALIZATION_EPSILON = 1e-7;

function channelValues(where: string, option: string, value: unknown, nonNegative: boolean): ChannelValues | null {
  if (value === undefined || value === null) return null;
  const ok = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && (!nonNegative || v >= 0);
  const what = nonNegative ? 'non-negative finite numbers' : 'finite numbers';
  if (Array.isArray(value) ? value.length > 0 && value.every(ok) : ok(value)) return Array.isArray(value) ? [...(value as number[])] : (value as number);
  return fail(where, `${option} must be a number or a list of ${what} (one per channel), got ${describe(value)}.`);
}

/** The value of channel c of a number or per-channel list. */
export function channelValue(v: ChannelValues, c: number): number {
  return typeof v === 'number' ? v : v[c]!;
}

export class Normalization extends Layer {
  readonly invert: boolean;
  readonly mean: ChannelValues | null;
  readonly variance: ChannelValues | null;

  constructor(args: NormalizationArgs = {}) {
    const where = openArgs('Normalization', args, 'normalization', ['invert', 'mean', 'variance']);
    const invert = args.invert === undefined ? false : bool(where, 'invert', args.invert);
    if (invert) fail(where, `invert true (mapping normalized values back) is not supported here. Use invert: false, or a Rescaling layer to undo a scalar normalization.`);
    const mean = channelValues(where, 'mean', args.mean, false);
    const variance = channelValues(where, 'variance', args.variance, true);
    if ((mean === null) !== (variance === null)) {
      fail(where, `needs both mean and variance, or neither (then adapt() computes them), got ${mean === null ? 'variance only' : 'mean only'}.`);
    }
    super('Normalization', args, 'normalization');
    this.invert = invert;
    this.mean = mean;
    this.variance = variance;
  }

  protected inferShape([input]: Shape[]): Shape {
    const shape = input!;
    const channels = shape[shape.length - 1];
    if (shape.length < 2 || channels === null) fail(this.where, `needs an input with a known channel (last) axis, got ${shapeText(shape)}.`);
    for (const [option, v] of [['mean', this.mean], ['variance', this.variance]] as const) {
      if (Array.isArray(v) && v.length !== channels) {
        fail(this.where, `${option} has ${v.length} values but its input ${shapeText(shape)} has ${channels} channels. Give one value per channel, or one number.`);
      }
    }
    const built = this.weights[0]?.shape[0];
    if (built !== undefined && built !== channels) fail(this.where, `holds statistics for ${built} channels, got ${shapeText(shape)}.`);
    return [...shape];
  }

  protected override build([input]: Shape[]): void {
    if (this.mean === null) this.addStatistics(input![input!.length - 1] as number);
  }

  private addStatistics(channels: number): void {
    this.addWeight('mean', [channels], 'zeros', { trainable: false }); // [C]
    this.addWeight('variance', [channels], 'ones', { trainable: false }); // [C]
    this.addWeight('count', [], 'zeros', { trainable: false }); // a scalar, as Keras 3
  }

  /**
   * Keras's adapt(): the per-channel mean and (biased) variance of `data` [..., C] over every other
   * axis, into the layer's mean and variance weights. Builds the layer if it was not applied yet.
   */
  adapt(data: Float32Array, shape: readonly number[]): void {
    if (this.mean !== null) fail(this.where, `was given mean and variance, so it has nothing to adapt. Create it without them to use adapt().`);
    const channels = shape[shape.length - 1];
    const size = shape.reduce((a, d) => a * d, 1);
    if (shape.length < 2 || !(channels! > 0) || size !== data.length || data.length === 0) {
      fail(this.where, `adapt() needs data and its shape [samples, ..., channels] (${data.length} values), got ${describe(shape)}.`);
    }
    if (!this.built) {
      this.addStatistics(channels!);
      this.built = true;
    }
    if (this.weights[0]!.size !== channels) fail(this.where, `holds statistics for ${this.weights[0]!.size} channels, adapt() got data with ${channels}.`);
    const rows = data.length / channels!;
    const [mean, variance] = [this.weights[0]!.values, this.weights[1]!.values];
    for (let c = 0; c < channels!; c++) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += data[r * channels! + c]!;
      const m = sum / rows;
      let squares = 0;
      for (let r = 0; r < rows; r++) squares += (data[r * channels! + c]! - m) ** 2;
      mean[c] = m;
      variance[c] = squares / rows;
    }
  }

  getConfig(): NormalizationConfig {
    const copy = (v: ChannelValues | null) => (Array.isArray(v) ? [...v] : v);
    return { className: 'Normalization', ...this.baseConfig(), invert: this.invert, mean: copy(this.mean), variance: copy(this.variance) };
  }
}

export const NORMALIZATION: LayerEntry<'Normalization'> = {
  fromConfig: (config) => new Normalization(configArgs('Normalization', config) as unknown as NormalizationArgs),
  nameBase: 'normalization',
  factory: 'normalization',
  options: [
    { key: 'mean', type: 'numbers', default: null },
    { key: 'variance', type: 'numbers', default: null },
    { key: 'invert', type: 'bool', default: false },
  ],
  keras: [{ key: 'axis', value: [-1], accepted: [[-1], -1] }, 'invert', 'mean', 'variance'],
  sample: { inputs: [[2, 3]], options: { mean: [0.5, -0.25, 1], variance: [4, 0.25, 2] } },
};
