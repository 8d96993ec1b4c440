// Rescaling: y = x * scale + offset on every value (Keras's preprocessing layer, e.g.
// Rescaling(1 / 255) for image bytes). A scalar scale and offset; the shape is unchanged.

import type { Shape } from '../../ops/shapes.ts';
import { Layer, openArgs, type BaseConfig, type LayerArgs } from '../layer.ts';
import { describe, fail } from '../validate.ts';
import { configArgs, type LayerEntry } from './entry.ts';

export interface RescalingConfig extends BaseConfig {
  className: 'Rescaling';
  scale: number;
  offset: number;
}

export interface RescalingArgs extends LayerArgs {
  scale: number;
  offset?: number;
}

function finite(where: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    fail(where, `${option} must be a finite number (one factor for every channel), got ${describe(value)}.`);
  }
  return value;
}

export class Rescaling extends Layer {
  readonly scale: number;
  readonly offset: number;

  constructor(args: RescalingArgs) {
    const where = openArgs('Rescaling', args, 'rescaling', ['scale', 'offset']);
    if (args.scale === undefined) fail(where, `needs a scale, e.g. {scale: 1 / 255}.`);
    const scale = finite(where, 'scale', args.scale);
    const offset = args.offset === undefined ? 0 : finite(where, 'offset', args.offset);
    super('Rescaling', args, 'rescaling');
    this.scale = scale;
    this.offset = offset;
  }

  protected inferShape([input]: Shape[]): Shape {
    return [...input!];
  }

  getConfig(): RescalingConfig {
    return { className: 'Rescaling', ...this.baseConfig(), scale: this.scale, offset: this.offset };
  }
}

export const RESCALING: LayerEntry<'Rescaling'> = {
  fromConfig: (config) => new Rescaling(configArgs('Rescaling', config) as unknown as RescalingArgs),
  nameBase: 'rescaling',
  factory: 'rescaling',
  options: [
    { key: 'scale', type: 'number', label: 'scale', step: 0.1, initial: 1 / 255, python: 'positional' },
    { key: 'offset', type: 'number', label: 'offset', step: 0.1, default: 0 },
  ],
  sample: { inputs: [[2, 3]], options: { scale: -1.5, offset: 0.25 } },
};
