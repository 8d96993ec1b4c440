// GlobalAveragePooling2D: the mean of each channel over the whole image, [N, H, W, C] -> [N, C]
// (or [N, 1, 1, C] with keepdims), as in Keras. Options are validated before the layer takes a name.

import type { Shape } from '../../ops/shapes.ts';
import { Layer, openArgs, type BaseConfig, type LayerArgs } from '../layer.ts';
import { bool, fail, shapeText } from '../validate.ts';
import { KERAS_DATA_FORMAT, configArgs, type LayerEntry } from './entry.ts';

export interface GlobalAveragePooling2DConfig extends BaseConfig {
  className: 'GlobalAveragePooling2D';
  /** Keep the pooled axes as size 1: [N, 1, 1, C] instead of [N, C]. */
  keepdims: boolean;
}

export interface GlobalPooling2DArgs extends LayerArgs {
  keepdims?: boolean;
}

export class GlobalAveragePooling2D extends Layer {
  readonly keepdims: boolean;

  constructor(args: GlobalPooling2DArgs = {}) {
    const where = openArgs('GlobalAveragePooling2D', args, 'global_average_pooling2d', ['keepdims']);
    const keepdims = args.keepdims === undefined ? false : bool(where, 'keepdims', args.keepdims);
    super('GlobalAveragePooling2D', args, 'global_average_pooling2d');
    this.keepdims = keepdims;
  }

  protected inferShape([input]: Shape[]): Shape {
    const shape = input!;
    if (shape.length !== 4) {
      fail(this.where, `needs a 4-D input (batch, height, width, channels), got ${shapeText(shape)}. Give input() a shape like [28, 28, 1].`);
    }
    const [batch, , , channels] = shape;
    return this.keepdims ? [batch!, 1, 1, channels!] : [batch!, channels!];
  }

  getConfig(): GlobalAveragePooling2DConfig {
    return { className: 'GlobalAveragePooling2D', ...this.baseConfig(), keepdims: this.keepdims };
  }
}

export const GLOBAL_AVERAGE_POOLING2D: LayerEntry<'GlobalAveragePooling2D'> = {
  fromConfig: (config) => new GlobalAveragePooling2D(configArgs('GlobalAveragePooling2D', config) as GlobalPooling2DArgs),
  nameBase: 'global_average_pooling2d',
  factory: 'globalAveragePooling2d',
  options: [{ key: 'keepdims', type: 'bool', label: 'keepdims', default: false }],
  keras: [KERAS_DATA_FORMAT, 'keepdims'],
  sample: { inputs: [[3, 4, 2]] },
};
