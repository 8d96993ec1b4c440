// PReLU: y = x > 0 ? x : alpha * x with a trainable alpha per feature (Keras's shape
// input_shape[1:], with size 1 along each of `sharedAxes`, e.g. [1, 2] for one alpha per channel
// of an image), initialized by alphaInitializer (zeros: a relu at first).

import type { Shape } from '../../ops/shapes.ts';
import { initializerArg, type Initializer } from '../initializers.ts';
import { Layer, openArgs, type BaseConfig, type LayerArgs } from '../layer.ts';
import { describe, fail, shapeText } from '../validate.ts';
import { configArgs, type LayerEntry } from './entry.ts';

export interface PReLUConfig extends BaseConfig {
  className: 'PReLU';
  alphaInitializer: Initializer;
  /** Axes (1 is the first after the batch) along which one alpha is shared; null: none. */
  sharedAxes: number[] | null;
}

export interface PReLUArgs extends LayerArgs {
  alphaInitializer?: Initializer;
  /** One axis or a list; Keras counts the batch as axis 0. */
  sharedAxes?: number | number[] | null;
}

function axesArg(where: string, value: unknown): number[] | null {
  if (value === undefined || value === null) return null;
  const axes = typeof value === 'number' ? [value] : value;
  if (!Array.isArray(axes) || axes.length > 8 || !axes.every((a) => Number.isInteger(a) && a >= 1)) {
    fail(where, `sharedAxes must be an axis >= 1 or a list of them (0 is the batch axis), e.g. [1, 2] for an image, got ${describe(value)}.`);
  }
  return [...(axes as number[])];
}

export class PReLU extends Layer {
  readonly alphaInitializer: Initializer;
  readonly sharedAxes: number[] | null;

  constructor(args: PReLUArgs = {}) {
    const where = openArgs('PReLU', args, 'p_re_lu', ['alphaInitializer', 'sharedAxes']);
    const alphaInitializer = initializerArg(where, 'alphaInitializer', args.alphaInitializer, 'zeros');
    const sharedAxes = axesArg(where, args.sharedAxes);
    super('PReLU', args, 'p_re_lu');
    this.alphaInitializer = alphaInitializer;
    this.sharedAxes = sharedAxes;
  }

  /** alpha's shape for an input: its features, 1 along the shared axes. */
  private alphaShape(input: Shape): number[] {
    const features = input.slice(1);
    for (const axis of this.sharedAxes ?? []) {
      if (axis > features.length) {
        fail(this.where, `sharedAxes has axis ${axis} but its input ${shapeText(input)} has axes 1 to ${features.length} after the batch.`);
      }
    }
    return features.map((d, j) => {
      if (this.sharedAxes?.includes(j + 1)) return 1;
      if (d === null) fail(this.where, `axis ${j + 1} of its input ${shapeText(input)} must be known, or shared (sharedAxes).`);
      return d;
    });
  }

  protected inferShape([input]: Shape[]): Shape {
    const shape = this.alphaShape(input!);
    const built = this.weights[0]?.shape;
    if (built !== undefined && built.join() !== shape.join()) {
      fail(this.where, `was built with alpha (${built.join(', ')}), its input ${shapeText(input!)} needs (${shape.join(', ')}). A shared layer needs inputs of the same shape.`);
    }
    return [...input!];
  }

  protected override build([input]: Shape[]): void {
    this.addWeight('alpha', this.alphaShape(input!), this.alphaInitializer); // [...features, 1 on shared axes]
  }

  getConfig(): PReLUConfig {
    return { className: 'PReLU', ...this.baseConfig(), alphaInitializer: this.alphaInitializer, sharedAxes: this.sharedAxes === null ? null : [...this.sharedAxes] };
  }
}

export const P_RE_LU: LayerEntry<'PReLU'> = {
  fromConfig: (config) => new PReLU(configArgs('PReLU', config) as unknown as PReLUArgs),
  nameBase: 'p_re_lu',
  factory: 'pReLU',
  options: [
    { key: 'alphaInitializer', type: 'initializer', label: 'alpha initializer', default: 'zeros' },
    // A list of axes: written in JSON and Python, not edited on the page.
    { key: 'sharedAxes', type: 'shape', default: null },
  ],
  keras: [
    'alphaInitializer',
    { key: 'alpha_regularizer', value: null, accepted: [null] },
    { key: 'alpha_constraint', value: null, accepted: [null] },
    'sharedAxes',
  ],
  sample: { inputs: [[3, 4]], options: { sharedAxes: [1] } },
};
